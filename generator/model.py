"""The data that flows through the pipeline: plain frozen records, no behaviour that does I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    url: str
    feed_url: str


@dataclass(frozen=True)
class Source:
    name: str
    slug: str
    url: str
    feed_url: str
    homepage: str = ""
    description: str = ""
    country: str = ""
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    registered: bool = False


@dataclass(frozen=True)
class Article:
    path: str  # relative to content/, POSIX separators
    title: str
    slug: str
    url: str  # path under the base path: /news/2022/05/27/slug/
    abs_url: str
    date: datetime  # aware, in the site timezone
    source: Source
    summary: Markup
    lang: str
    updated: datetime | None = None
    source_url: str = ""
    via: str = ""
    authors: tuple[str, ...] = ()
    tags: tuple[Tag, ...] = ()
    image: str = ""
    story: str = ""
    draft: bool = False
    reading_minutes: int = 1
    extra: dict[str, Any] = field(default_factory=dict)
    # what the article is made of (file bytes, settings, links resolved from other articles):
    # equal fingerprints mean equal rendered output, so unchanged pages are not rendered again
    fp: str = ""
    # the rendered body: in memory (body_html) or in the on-disk store (body_key); links to
    # other articles' .md files are filled in from ref_urls when it is read
    body_html: str = ""
    body_key: str = ""
    ref_urls: tuple[tuple[str, str], ...] = ()

    @property
    def content(self) -> Markup:
        from . import store
        from .markdown import resolve_refs

        html = store.load(self.body_key) if self.body_key else self.body_html
        if self.ref_urls:
            html = resolve_refs(html, dict(self.ref_urls), self.path)
        return Markup(html)


@dataclass(frozen=True)
class TagGroup:
    name: str
    slug: str
    url: str
    feed_url: str
    articles: tuple[Article, ...]

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class SourceGroup:
    name: str
    slug: str
    url: str
    feed_url: str
    homepage: str
    description: str
    country: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    registered: bool
    articles: tuple[Article, ...]

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class DayGroup:
    year: int
    month: int
    day: int
    url: str
    articles: tuple[Article, ...]

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def date(self) -> date:
        return date(self.year, self.month, self.day)


@dataclass(frozen=True)
class MonthGroup:
    year: int
    month: int
    name: str
    url: str
    days: tuple[DayGroup, ...]
    articles: tuple[Article, ...]

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class YearGroup:
    year: int
    url: str
    months: tuple[MonthGroup, ...]
    articles: tuple[Article, ...]

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class FeedLink:
    title: str
    type: str
    url: str


@dataclass(frozen=True)
class Site:
    """The index: everything a page needs, computed once per build."""

    articles: tuple[Article, ...]  # newest first
    tags: tuple[TagGroup, ...]  # by name
    sources: tuple[SourceGroup, ...]  # by name
    years: tuple[YearGroup, ...]  # newest first


# What every page sees of the whole site (`site.tags`, `site.sources`, `site.years`): names,
# links and counts, without the articles themselves. Keeping article lists out of the
# site-wide context is what lets one edited article re-render only the pages that show it.


@dataclass(frozen=True)
class TagSummary:
    name: str
    slug: str
    url: str
    feed_url: str
    count: int


@dataclass(frozen=True)
class SourceSummary:
    name: str
    slug: str
    url: str
    feed_url: str
    homepage: str
    description: str
    country: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    registered: bool
    count: int


@dataclass(frozen=True)
class DaySummary:
    year: int
    month: int
    day: int
    url: str
    count: int

    @property
    def date(self) -> date:
        return date(self.year, self.month, self.day)


@dataclass(frozen=True)
class MonthSummary:
    year: int
    month: int
    name: str
    url: str
    count: int
    days: tuple[DaySummary, ...]


@dataclass(frozen=True)
class YearSummary:
    year: int
    url: str
    count: int
    months: tuple[MonthSummary, ...]


def summarize_tag(g: TagGroup) -> TagSummary:
    return TagSummary(g.name, g.slug, g.url, g.feed_url, g.count)


def summarize_source(g: SourceGroup) -> SourceSummary:
    return SourceSummary(
        g.name,
        g.slug,
        g.url,
        g.feed_url,
        g.homepage,
        g.description,
        g.country,
        g.aliases,
        g.domains,
        g.registered,
        g.count,
    )


def summarize_year(y: YearGroup) -> YearSummary:
    months = tuple(
        MonthSummary(
            m.year,
            m.month,
            m.name,
            m.url,
            m.count,
            tuple(DaySummary(d.year, d.month, d.day, d.url, d.count) for d in m.days),
        )
        for m in y.months
    )
    return YearSummary(y.year, y.url, y.count, months)
