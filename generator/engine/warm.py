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
pages that hold it render it, and their keys (made of its fingerprint) tell which changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.diagnostics import Diagnostic
from ..core.model import Article, Site
from ..index.related import Memory
from ..plan.inputs import PagePlan
from .parsecache import ParseCache
from .record import Record


@dataclass
class WarmState:
    parse_cache: ParseCache | None = None  # the settings variant built last
    records: dict[Path, Record] = field(default_factory=dict)  # record file -> as last saved
    memory: Memory | None = None  # related articles, as last saved (or loaded)
    templates: dict[Path, dict[str, Any]] = field(default_factory=dict)  # deps file -> as stored
    builds: int = 0  # builds that used it since it was made or cleared
    # the last build's index and plan, and the cards key (SiteKeys.cards) and articles they
    # were made from: a build whose cards key is the same (only bodies changed) takes them
    # (stages.index_site) instead of indexing and planning again
    cards_key: str = ""
    articles: list[Article] = field(default_factory=list)
    sites: dict[str, Site] = field(default_factory=dict)
    plans: list[PagePlan] = field(default_factory=list)
    plan_notes: list[Diagnostic] = field(default_factory=list)  # what planning reported
    # per language: the card template's key and the cards it made, by article fingerprint
    # (render/templates.py card_html): a list page rendered again reuses the cards of articles
    # that did not change
    cards: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def clear(self) -> None:
        self.parse_cache = None
        self.records.clear()
        self.memory = None
        self.templates.clear()
        self.builds = 0
        self.cards.clear()
        self.forget_plan()

    def forget_plan(self) -> None:
        self.cards_key = ""
        self.articles = []
        self.sites = {}
        self.plans = []
        self.plan_notes = []

    def cards_for(self, lang: str, key: str, articles: int) -> dict[str, Any]:
        """The cards kept for `lang` if they were made with the card template key `key`, else
        a new, empty set to be filled (and kept). Cards of old fingerprints pile up as articles
        are edited: past twice the site's articles, they start afresh."""
        kept = self.cards.get(lang)
        if kept is None or kept[0] != key or len(kept[1]) > 2 * articles + 64:
            kept = self.cards[lang] = (key, {})
        return kept[1]
