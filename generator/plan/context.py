"""What templates see besides the site's own objects: the page's description (PageInfo), its
pager (Pagination), a period's neighbours (Period), the front page's rail, feed links; and
what of the settings a context may read (PageSettings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from ..core.groups import FeedLink, MonthSummary, SourceSummary, TagSummary
from ..core.model import Article
from ..core.urls import absolute, paginated, under
from ..read.config import SiteConfig
from ..read.feedsconfig import FORMATS, FeedSettings
from ..read.locales import load_words
from ..read.words import Words
from .jsonld import LazyJsonLd

FEED_TYPES = tuple(FORMATS.values())  # (file, media type, name) of every format


def editions_feed(feeds: FeedSettings) -> str:
    """The editions feed, under the base path: one feed, in the first format written."""
    return "editions/" + feeds.first


def editions_feed_link(config: SiteConfig, words: Words | None = None) -> FeedLink:
    """The editions feed's link, titled "<title>: editions (Atom)" in the site's language."""
    _, mime, kind = config.feeds.types[0]
    url = under(config.base_path, editions_feed(config.feeds))
    words = words or load_words(config)
    title = words.gettext("%(title)s: editions (%(format)s)", title=config.title, format=kind)
    return FeedLink(title, mime, url)


@dataclass(frozen=True)
class PageInfo:
    """What a page says of itself: kind, title, URLs, description."""

    kind: str
    title: str
    url: str
    canonical: str
    description: str = ""
    feeds: tuple[FeedLink, ...] = ()
    json_ld: Markup | LazyJsonLd = field(default_factory=Markup)
    image: str = ""
    og_type: str = "website"


@dataclass(frozen=True)
class PageLink:
    """One page number in a pagination bar."""

    number: int
    url: str  # "" for a gap
    gap: bool = False


@dataclass(frozen=True)
class Pagination:
    """Where a page stands in its list's pages."""

    number: int
    total: int
    per_page: int
    total_items: int
    urls: tuple[str, ...]

    @property
    def prev_url(self) -> str:
        return self.urls[self.number - 2] if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        return self.urls[self.number] if self.number < self.total else ""

    @property
    def first_url(self) -> str:
        return self.urls[0]

    @property
    def last_url(self) -> str:
        return self.urls[-1]

    @property
    def links(self) -> tuple[PageLink, ...]:
        """The page numbers a pager shows: the first, the last and two either side of this
        one, with a gap where a run is left out. A few items whatever the number of pages
        (looping over `urls` on every page costs the square of the pages)."""
        near = range(max(1, self.number - 3), min(self.total, self.number + 3) + 1)
        out = []
        for n in sorted({1, self.total, *near}):
            apart = abs(n - self.number)
            if n in (1, self.total) or apart <= 2:
                out.append(PageLink(n, self.urls[n - 1]))
            elif apart == 3:
                out.append(PageLink(n, "", gap=True))
        return tuple(out)


@dataclass(frozen=True)
class PeriodLink:
    """The period before or after another."""

    url: str
    title: str


@dataclass(frozen=True)
class Period:
    """A day, month or year whose page lists its articles."""

    kind: str
    year: int
    month: int
    day: int
    title: str
    date: date
    count: int
    children: tuple[Any, ...]
    prev: PeriodLink | None
    next: PeriodLink | None


@dataclass(frozen=True)
class Rail:
    """The front page's ways into the archive."""

    top_tags: tuple[TagSummary, ...]  # up to 20, most used first
    top_sources: tuple[SourceSummary, ...]  # up to 10, most articles first
    recent_months: tuple[MonthSummary, ...]  # the latest 6 months with articles


def feed_links(
    prefix_url: str, label: str, words: Words, types: tuple[tuple[str, str, str], ...] = FEED_TYPES
) -> tuple[FeedLink, ...]:
    """A list's feeds (feeds.formats), titled "<label> (Atom)" in `words`' language."""
    return tuple(
        FeedLink(words.gettext("%(title)s (%(format)s)", title=label, format=kind), mime, prefix_url + name)
        for name, mime, kind in types
    )


@dataclass(frozen=True)
class PageSettings:
    """What a page's context reads of the settings: made once per site, and an input of every
    page (first). The settings are in every page's key anyway (with the theme); this is so
    that a context cannot read a setting that it does not declare."""

    title: str
    description: str
    base_url: str
    base_path: str
    editions: str  # "daily", "weekly" or "none"
    feeds: tuple[FeedLink, ...]  # the whole site's, on every page
    edition_feeds: tuple[FeedLink, ...]  # and the editions' feed, on the editions' pages
    feed_types: tuple[tuple[str, str, str], ...]  # (file, media type, name) of the formats written
    list_feeds: bool  # tags and sources have feeds (feeds.lists is not none)
    # the page's language: titles and descriptions made here are in it (its repr is the
    # language and its catalogs' fingerprint, so a changed translation re-renders the page)
    words: Words

    @classmethod
    def of(cls, config: SiteConfig) -> PageSettings:
        words = load_words(config)
        types = config.feeds.types
        feeds = feed_links(config.base_path, config.title, words, types)
        editions = editions_feed_link(config, words)
        return cls(
            config.title,
            config.description,
            config.base_url,
            config.base_path,
            config.editions,
            feeds,
            (*feeds, editions),
            types,
            config.feeds.term_feeds,
            words,
        )

    def list_feed_links(self, url: str, label: str) -> tuple[FeedLink, ...]:
        """A tag's or source's feeds: none when the site writes none."""
        if not self.list_feeds:
            return ()
        return feed_links(url, f"{self.title}: {label}", self.words, self.feed_types)


def page_info(settings: PageSettings, kind: str, title: str, url: str, **extra: Any) -> PageInfo:
    return PageInfo(kind=kind, title=title, url=url, canonical=absolute(settings.base_url, url), **extra)


class Pages:
    """A list cut into pages: one object for them all, an input of each (what a page's
    Pagination is made of, fingerprinted once per list rather than once per page)."""

    __slots__ = ("first_url", "per_page", "total_items", "urls")

    def __init__(self, first_url: str, per_page: int, total_items: int) -> None:
        self.first_url = first_url
        self.per_page = per_page
        self.total_items = total_items
        total = max(1, -(-total_items // per_page))
        # one for all pages; most lists (a day's, a tag's) have one page
        urls = (first_url,) if total == 1 else tuple(paginated(first_url, n) for n in range(1, total + 1))
        self.urls = urls

    def page(self, number: int) -> Pagination:
        return Pagination(number, len(self.urls), self.per_page, self.total_items, self.urls)

    def __repr__(self) -> str:  # what fingerprints see: `urls` follow from the rest
        return f"Pages({self.first_url!r}, {self.per_page}, {self.total_items})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pages) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))


def paginate(
    config: SiteConfig, first_url: str, items: Sequence[Article]
) -> list[tuple[Pages, int, tuple[Article, ...]]]:
    """(the list's pages, a page's number, its items) for each page of the list."""
    pages = Pages(first_url, config.per_page, len(items))
    per = pages.per_page
    return [(pages, n, tuple(items[(n - 1) * per : n * per])) for n in range(1, len(pages.urls) + 1)]


def here(pagination: Pagination) -> str:
    """The URL of the page the pagination is of."""
    return pagination.urls[pagination.number - 1]


def numbered(title: str, pagination: Pagination, words: Words) -> str:
    if pagination.number == 1:
        return title
    return words.gettext("%(title)s (page %(number)s)", title=title, number=words.number(pagination.number))
