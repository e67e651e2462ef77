"""What a long-running process keeps between its builds of one site (`digest serve`), so that a
save costs reading one file and rendering what shows it, not reloading the site's state from
the cache folder.

It holds exactly what the build would otherwise load from that folder, as the build last saved
it: the parse cache, the record of each output folder, the related articles' memory and the
templates' dependencies. Every build still saves them to disk as before; the state only saves
the loading. So a build handed a WarmState does the same work on the same values as one
handed none (`digest build`): there is one build(), and no second path through it.

Whoever keeps one drops it (`clear`) on any doubt: a failed or cancelled build, a change to the
settings or the theme. The next build then loads from disk, as a first build does.

It also keeps the last build's index and page plan. When only articles' bodies changed since
(the cards key is the same: settings, theme, stories and every article's card), they stand as
they were: the index and the plans are made of cards alone (plan/inputs.py), so planning again
would make equal ones. The kept article of a changed body takes the new body in place, so the
pages that hold it render it, and their keys (made of its fingerprint) tell which changed.

When the index is made again (a tag edit, an added or deleted article), what did not change
is taken from the last one by identity, never by a guess: the articles the last full selection
finished (engine/finished.py) and, per language, the story groups and editions' sections made
of them (index/site.py KeptIndex), each with everything it was made from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ..core.diagnostics import Diagnostic
from ..core.model import Article
from ..index.related import Memory
from ..parse.parsed import Parsed
from .parsecache import ParseCache
from .record import Record, SiteKeys

if TYPE_CHECKING:  # indexing's, planning's and rendering's: a build that ends sooner does not import them
    from ..core.fingerprint import Fingerprinter
    from ..core.groups import Site
    from ..index.site import KeptIndex
    from ..plan.inputs import PagePlan
    from ..plan.periods import KeptPeriods
    from ..render.bytecode import KeptBytecode
    from .pagekeys import PageInputs
    from .readers import Readers

T = TypeVar("T")

# the articles finished by the last full selection (engine/finished.py): path -> (the article as
# selected, its file's key, the URLs its links resolved to, its card and whole fingerprints,
# the article finished)
Kept = dict[str, tuple[Article, str, tuple[str, ...], str, str, Article]]


@dataclass
class Selected:
    """What the last select_articles and check_site made, and from what."""

    settings: tuple[object, ...]  # the config, build options, tags.yaml, stories.yaml
    parsed: dict[str, Parsed]
    paths: list[str]  # the selected articles, in order
    articles: list[Article]  # as select_articles left them
    link_problems: list[Diagnostic]
    checked: list[Diagnostic] = field(default_factory=list)  # what check_site reported
    keys: SiteKeys | None = None  # compare_with_last_build's
    now: datetime | None = None  # the clock it selected by
    due: datetime | None = None  # when the first future article left out comes due
    left_out: tuple[int, list[Article]] = (0, [])  # drafts and future articles left out
    # `articles`, and their dates and themselves sorted by date (bodyedits.news_candidates)
    by_date: tuple[list[Article], list[datetime], list[Article]] | None = None
    index: dict[str, int] = field(default_factory=dict)  # path -> place in `paths`, when needed
    # each tag's spellings among the articles as parsed, when counted (engine/fewedits.py)
    spellings: dict[str, dict[str, int]] | None = None


@dataclass
class KeptParse:
    """What the last parse_all returned (engine/parsing.py), with the parse cache and settings
    key it came from and the files it listed: a save that adds or removes no file takes it,
    with the watcher's files parsed again in their places."""

    cache: ParseCache
    key: str
    rels: list[str]  # the listing's very list (WarmState.listing)
    out: dict[str, Parsed]
    keys: dict[str, str]
    noisy: list[str]  # the files whose parse said something, in order


@dataclass
class WarmState:
    """What `digest serve` keeps in memory between its builds."""

    parse_cache: ParseCache | None = None  # the settings variant built last
    unsaved: ParseCache | None = None  # parse_cache, when this build saves it at its end
    records: dict[Path, Record] = field(default_factory=dict)  # record file -> as last saved
    memory: Memory | None = None  # related articles, as last saved (or loaded)
    templates: dict[Path, dict[str, Any]] = field(default_factory=dict)  # deps file -> as stored
    builds: int = 0  # builds that used it since it was made or cleared
    # the last build's index and plan, and the cards key (SiteKeys.cards) and articles they
    # were made from: a build whose cards key is the same (only bodies changed) takes them
    # (stages.index_site) instead of indexing and planning again
    cards_key: str = ""
    shape: str = ""  # the same key's part of all but the articles (SiteKeys.parts)
    # the cards keys of the builds that used the kept plan: the first, then those whose cards
    # changed only in what no plan reads (bodyedits.keep_last_plan)
    plan_cards: set[str] = field(default_factory=set)
    articles: list[Article] = field(default_factory=list)
    sites: dict[str, Site] = field(default_factory=dict)
    plans: list[PagePlan] = field(default_factory=list)
    plan_notes: list[Diagnostic] = field(default_factory=list)  # what planning reported
    # per language: the card template's key and the cards it made, by article fingerprint
    # (render/templates.py card_html): a list page rendered again reuses the cards of articles
    # that did not change
    cards: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    # the kept plan's index of which tasks read which bodies (engine/readers.py)
    readers: Readers | None = None
    # `digest serve`'s watcher: the paths changed since the last build (None: unknown), and
    # the article files that build found (engine/parsing.py _files)
    hint: frozenset[Path] | None = None
    listing: tuple[Path, list[str]] | None = None
    parsed: KeptParse | None = None  # what the last parse_all returned of that listing
    # what the last select_articles and check_site made (engine/bodyedits.py)
    selected: Selected | None = None
    # the articles the last full selection finished, by path (engine/finished.py), and per
    # language what the last build_index made of them (index/site.py)
    finished: Kept = field(default_factory=dict)
    # the paths of the articles a kept plan took new bodies or cards into, in place
    # (bodyedits.keep_last_plan), since `finished` was made: their finished objects may be those
    touched: set[str] = field(default_factory=set)
    index: dict[str, KeptIndex] = field(default_factory=dict)
    # per language, the period pages the last plan made (plan/periods.py)
    periods: dict[str, KeptPeriods] = field(default_factory=dict)
    # what was made from the kept site and plan (Jinja environments, feeds, output files,
    # sitemaps...) with what it was made from: `reuse`
    made: dict[str, tuple[tuple[object, ...], tuple[object, ...], Any]] = field(default_factory=dict)
    # the templates' compiled code, by template and source checksum (render/templates.py)
    bytecode: KeptBytecode | None = None
    # `digest serve`: the output files of the pages open in a browser, rendered before every
    # other page and feed (engine/emit.py), and what is handed those of them that changed, with
    # their bytes, as soon as they are staged; the server's wiring, kept by clear()
    first: frozenset[str] = frozenset()
    early: Callable[[dict[str, bytes]], None] | None = None
    # base path -> each URL's output file, as the last build's plan had them (engine/outputs.py)
    output_files: dict[str, dict[str, str]] = field(default_factory=dict)
    # the pages' keys' fingerprinters ([with bodies, cards only]) with what they worked out for
    # the index's groups, editions and periods, which a warm build hands on unchanged
    # (Fingerprinter.carry); dropped when an article changes in place (bodyedits.py)
    fingerprinters: list[Fingerprinter] = field(default_factory=list)
    # what each page's key was worked out from (pagekeys.py PageInputs), dropped with them
    inputs: dict[str, PageInputs] = field(default_factory=dict)

    def clear(self) -> None:
        self.parse_cache = self.unsaved = None
        self.records.clear()
        self.memory = None
        self.templates.clear()
        self.builds = 0
        self.selected = None
        self.finished = {}
        self.touched = set()
        self.index = {}
        self.periods = {}
        self.output_files = {}
        self.fingerprinters = []
        self.inputs = {}
        self.hint = self.listing = self.parsed = None
        self.cards.clear()
        self.bytecode = None
        self.forget_plan()

    def forget_plan(self) -> None:
        self.cards_key = self.shape = ""
        self.plan_cards = set()
        self.articles = []
        self.sites = {}
        self.plans = []
        self.plan_notes = []
        self.readers = None
        self.made = {}  # a new dict: the old one is freed with the rest (`held`)

    def held(self) -> tuple[object, ...]:
        """What this state holds now. A build keeps it until it is over: what the build replaces
        (the last plan, its pages, the last selection...: tens of thousands of objects) is then
        freed after the open page was handed over, not before."""
        return tuple(vars(self).values())

    def reuse(
        self, name: str, same: tuple[object, ...], equal: tuple[object, ...], make: Callable[[], T]
    ) -> T:
        """What `make()` made last time for `name` if it was made from the same `same` objects
        (by identity: a kept site or plan) and equal `equal` values (settings, the theme's
        fingerprint); else `make()`'s new value, kept for next time."""
        kept = self.made.get(name)
        if kept is not None and kept[1] == equal and _identical(kept[0], same):
            return cast(T, kept[2])
        value = make()
        self.made[name] = (same, equal, value)
        return value

    def cards_for(self, lang: str, key: str, articles: int) -> dict[str, Any]:
        """The cards kept for `lang` if they were made with the card template key `key`, else
        a new, empty set to be filled (and kept). Cards of old fingerprints pile up as articles
        are edited: past twice the site's articles, they start afresh."""
        kept = self.cards.get(lang)
        if kept is None or kept[0] != key or len(kept[1]) > 2 * articles + 64:
            kept = self.cards[lang] = (key, {})
        return kept[1]


def _identical(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))


def reused(
    warm: WarmState | None,
    name: str,
    same: tuple[object, ...],
    equal: tuple[object, ...],
    make: Callable[[], T],
) -> T:
    """WarmState.reuse for a build that may have no warm state (then `make()`)."""
    return warm.reuse(name, same, equal, make) if warm is not None else make()
