"""The data that flows through the pipeline: plain frozen records, no behaviour that does I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, Protocol

from markupsafe import Markup

from .urls import resolve_refs


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
    # old paths of the article under the base path (front matter `aliases:`), each served by a
    # redirect page to it
    aliases: tuple[str, ...] = ()
    # what links it to its translations: `translation_key:`, else its path under its language's
    translation_key: str = ""
    summary_text: str = ""  # the summary as plain text (meta descriptions, JSON Feed)
    # what the article is made of (file bytes, settings, links resolved from other articles):
    # equal fingerprints mean equal rendered output, so unchanged pages are not rendered again
    fp: str = field(default="", repr=False)
    # the same without the body: what a list page, which shows the article as a card, is made
    # of (at parse time, a key of the displayed fields; then finished like `fp`)
    card_fp: str = field(default="", repr=False)
    # the rendered body: in memory (body_html) or in the on-disk store (body_key); links to
    # other articles' .md files are filled in from ref_urls when it is read
    body_html: str = field(default="", repr=False)
    body_key: str = field(default="", repr=False)
    ref_urls: tuple[tuple[str, str], ...] = field(default=(), repr=False)


def evolve(article: Article, **changes: Any) -> Article:
    """`dataclasses.replace` for the build's hot paths: a copy with some fields changed,
    without running `__init__` again (ten times cheaper, for ten thousand articles a build)."""
    new = object.__new__(Article)
    state = new.__dict__
    state.update(article.__dict__)
    for name in changes:
        if name not in Article.__dataclass_fields__:
            raise TypeError(f"Article has no field {name!r}")
    state.update(changes)
    return new


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
class StoryGroup:
    """Articles sharing `story: key`: one event told by several outlets."""

    key: str
    title: str
    description: str
    url: str
    articles: tuple[Article, ...]  # in time order, oldest first
    registered: bool  # has an entry in stories.yaml

    @property
    def slug(self) -> str:
        return self.key

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets that covered it, in the order they first did."""
        return tuple(dict.fromkeys(a.source.name for a in self.articles))

    @property
    def outlet_count(self) -> int:
        return len(self.outlets)

    @property
    def first(self) -> datetime:
        return self.articles[0].date

    @property
    def last(self) -> datetime:
        """The newest activity: the latest publication or update among its articles."""
        return max(a.updated or a.date for a in self.articles)


@dataclass(frozen=True)
class EditionLink:
    number: int
    title: str
    url: str


@dataclass(frozen=True)
class EditionSection:
    """A part of an edition: one story's coverage, or the rest of the articles by tag."""

    kind: str  # "story", "tag" or "other"
    title: str
    url: str  # the story's or the tag's page; "" for "other"
    articles: tuple[Article, ...]
    story: StoryGroup | None = None


@dataclass(frozen=True)
class Edition:
    """One daily (or weekly) issue of the digest."""

    kind: str  # "daily" or "weekly"
    number: int
    key: str  # "2022-05-27", or "2022-w21" for a weekly edition
    start: date
    end: date  # inclusive
    title: str  # "Friday, 27 May 2022" or "Week 21, 23–29 May 2022"
    url: str
    articles: tuple[Article, ...]  # newest first
    sections: tuple[EditionSection, ...]
    prev: EditionLink | None  # the older edition
    next: EditionLink | None  # the newer edition

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def link(self) -> EditionLink:
        return EditionLink(self.number, self.title, self.url)


@dataclass(frozen=True)
class Site:
    """The index: everything a page needs, computed once per build."""

    articles: tuple[Article, ...]  # newest first
    tags: tuple[TagGroup, ...]  # by name
    sources: tuple[SourceGroup, ...]  # by name
    years: tuple[YearGroup, ...]  # newest first
    stories: tuple[StoryGroup, ...] = ()  # newest activity first
    editions: tuple[Edition, ...] = ()  # newest first
    related: dict[str, tuple[Article, ...]] = field(default_factory=dict)  # article path -> related

    # the summaries, made once: `site.*` in every template and the index pages' own contexts
    @cached_property
    def tag_summaries(self) -> tuple[TagSummary, ...]:
        return tuple(summarize_tag(t) for t in self.tags)

    @cached_property
    def source_summaries(self) -> tuple[SourceSummary, ...]:
        return tuple(summarize_source(s) for s in self.sources)

    @cached_property
    def year_summaries(self) -> tuple[YearSummary, ...]:
        return tuple(summarize_year(y) for y in self.years)

    @cached_property
    def top_tags(self) -> tuple[TagSummary, ...]:
        """Up to 20 tags, the most used first."""
        return tuple(sorted(self.tag_summaries, key=lambda t: (-t.count, t.name.casefold()))[:20])


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


class Bodies(Protocol):
    """Where articles' rendered bodies are read from: templates see `article.content` through
    it (render/templates.py), feeds and `check` call it. The engine's body store is one; the
    model itself reads nothing."""

    def content(self, article: Article) -> Markup: ...


def finished_body(article: Article, html: str) -> Markup:
    """An article's stored body as pages show it: links to other articles' `.md` files made
    their URLs."""
    if article.ref_urls:
        html = resolve_refs(html, dict(article.ref_urls), article.path)
    return Markup(html)


class InMemoryBodies:
    """Bodies kept in the articles themselves (`body_html`): tests, and tools that parse
    without a store."""

    def content(self, article: Article) -> Markup:
        return finished_body(article, article.body_html)
