"""The site as indexed: articles grouped by tag, source, day, month, year and story, the
editions, and the summaries list pages show. Plain frozen records, as in model.py; apart from it
because only a build that indexes the site needs them (and each frozen dataclass costs its
import time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from .model import Article


@dataclass(frozen=True)
class TagGroup:
    """A tag and its articles, newest first."""

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
    """An outlet and its articles, newest first."""

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
    """The articles of one day, newest first."""

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
    """A month and its days."""

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
    """A year, its months and its articles."""

    year: int
    url: str
    months: tuple[MonthGroup, ...]
    articles: tuple[Article, ...]

    @property
    def count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class FeedLink:
    """One feed of a page, as its <link rel=alternate> names it."""

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
    """The edition before or after another: its number, title and URL."""

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

    @cached_property
    def link(self) -> EditionLink:  # one object per edition: a kept edition keeps its link
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
    """A tag as a list of tags shows it: name, links and count."""

    name: str
    slug: str
    url: str
    feed_url: str
    count: int


@dataclass(frozen=True)
class SourceSummary:
    """An outlet as a list of sources shows it: name, links and count."""

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
    """A day as the archive lists it."""

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
    """A month as the archive lists it."""

    year: int
    month: int
    name: str
    url: str
    count: int
    days: tuple[DaySummary, ...]


@dataclass(frozen=True)
class YearSummary:
    """A year as the archive lists it, with its months."""

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
