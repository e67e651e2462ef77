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
    content: Markup
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
    line: int = 1  # where the front matter starts, for located messages

    @property
    def output_path(self) -> str:
        return self.url


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
