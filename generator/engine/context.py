"""What one build is asked to do (BuildOptions), what it reports (BuildResult), and the context
its stages pass along (BuildContext): each stage reads what earlier ones made and adds its own."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.diagnostics import Diagnostic, Diagnostics
from ..core.model import Article
from ..index.related import Memory
from ..parse.parsed import Parsed
from ..read.config import SiteConfig
from ..read.sources import Registry
from ..read.stories import StoryRegistry
from ..render.theme import Theme
from .parsecache import Seen
from .record import Record, SiteKeys
from .warm import WarmState

if TYPE_CHECKING:
    from ..core.groups import Site  # made by index_site: a build that ends sooner never imports it
    from ..index.suggest import Suggestion  # check --suggest-stories only
    from ..plan.inputs import PagePlan

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    """What `digest build` (or serve, check, publish) was asked to do."""

    site_dir: Path
    output_dir: Path | None = None
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    clean: bool = False
    strict: bool = False
    write: bool = True  # False: `check` renders in memory and writes nothing
    jobs: int = 0  # worker processes; 0: one per available core
    suggest_stories: bool = False  # check: list groups of articles that look like one story
    # digest serve: the search index is not made again with the pages; the last one stays, the
    # build says the index is behind (BuildResult.search_pending), and serve makes it when a
    # page asks for it (preview/serve.py)
    search_later: bool = False


@dataclass
class BuildResult:
    """What a build did, as data: the CLI prints it, tests and the preview read it."""

    diagnostics: Diagnostics
    articles: int = 0
    drafts_left_out: int = 0
    future_left_out: list[Article] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    outputs: dict[str, bytes] = field(default_factory=dict)  # check mode only: URL -> bytes
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds, for -v
    parsed: int = 0  # articles parsed (not taken from the cache)
    rendered: dict[str, int] = field(default_factory=dict)  # "page"/"feed" -> how many rendered
    fingerprinted: int = 0  # pages whose fingerprint had to be computed
    loaded: int = 0  # files of the cache folder read (a warm build reads none: engine/warm.py)
    search_pending: bool = False  # BuildOptions.search_later: the search index is behind the pages
    output_dir: Path | None = None
    suggestions: list[Suggestion] = field(default_factory=list)  # check --suggest-stories

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors


@dataclass
class BuildContext:
    """One build's state, filled in stage by stage. `done` ends the build early: errors that
    stop it, or nothing to do."""

    options: BuildOptions
    root: Path
    progress: Progress | None
    result: BuildResult
    started: float = field(default_factory=time.perf_counter)
    done: bool = False
    # what the last build in this process saved (serve), or None: everything from disk
    warm: WarmState | None = None
    # read
    config: SiteConfig = field(init=False)
    registry: Registry = field(init=False)
    tag_names: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # tags.yaml
    stories: StoryRegistry = field(init=False)
    theme: Theme = field(init=False)
    now: datetime = field(init=False)
    # parse: every file's result, and each article's key (content hash and settings)
    parsed: dict[str, Parsed] = field(default_factory=dict)
    file_keys: dict[str, str] = field(default_factory=dict)
    # what the parse cache saw of every file (lastselection.py), and where in the diagnostics
    # the parse stage's own begin
    seen: Seen | None = None
    noted: int = 0
    # select: the articles in the site, and the problems with links between them
    articles: list[Article] = field(default_factory=list)
    link_problems: Diagnostics | None = None
    # keys: the output folder, what the last build into it was made from, and this one's keys
    out_dir: Path = field(init=False)
    record: Record | None = None
    news: tuple[Article, ...] = ()
    keys: SiteKeys | None = None
    # index and plan, with the related articles' memory of the last build
    memory: Memory | None = None
    site: Site | None = None  # the default language's, in a multilingual site
    sites: dict[str, Site] = field(default_factory=dict)  # language -> its Site ("": one-language)
    plans: list[PagePlan] = field(default_factory=list)
    bodies_edited: bool = False  # the articles are the last build's, some with new bodies (bodyedits.py)
    edited: list[tuple[int, Article]] = field(default_factory=list)  # their places and new selves
    few_edited: bool = False  # the last build's articles but a few (fewedits.py)
    kept_plan: bool = False  # the index and plans are the warm state's (only bodies changed)
    # what parse_files, select_articles and check_site reported (before --strict made warnings
    # errors), but for notes about digest's own cache
    notes: list[Diagnostic] = field(default_factory=list)

    @property
    def diags(self) -> Diagnostics:
        return self.result.diagnostics

    def stop(self) -> None:
        self.done = True

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        """Adds the time spent to the stage group `name` (the names `-v` prints)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.result.timings[name] = self.result.timings.get(name, 0.0) + time.perf_counter() - start
