"""What a reader of another generator's folder hands to the writer: posts in digest's terms,
with everything it could not convert said with file and line. Readers only read SOURCE_DIR."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

GENERATORS = ("pelican", "jekyll", "hugo", "zola", "eleventy", "docusaurus")


@dataclass(frozen=True)
class Note:
    """A warning for the report: `path:line: message` (line 0 when there is no line)."""

    path: Path  # relative to SOURCE_DIR
    line: int
    message: str


@dataclass
class Post:
    source: Path  # the post's file, relative to SOURCE_DIR: the key that makes re-runs skip it
    title: str
    date: dt.datetime | dt.date | None  # aware when the generator's time zone is known
    body: str  # Markdown in digest's syntax, the generator's own syntax converted or left visible
    slug: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    summary: str | None = None
    authors: list[str] = field(default_factory=list)
    lang: str | None = None
    draft: bool = False
    updated: dt.datetime | dt.date | None = None
    image: str | None = None
    old_urls: list[str] = field(default_factory=list)  # root-relative URLs it had: become aliases
    extra: dict[str, Any] = field(default_factory=dict)  # keys digest has no place for
    files: list[tuple[Path, str]] = field(default_factory=list)  # (file under SOURCE_DIR, static path)
    notes: list[Note] = field(default_factory=list)
    body_line: int = 1  # the body's first line in the source file: where root-relative links are
    # what links the post to its translations on the old site (Hugo: its path in its language's
    # content folder, or translationKey); None: the same year and slug (see languages.py)
    translation_key: str | None = None


@dataclass(frozen=True)
class Skipped:
    path: Path  # relative to SOURCE_DIR
    reason: str  # "reStructuredText: digest reads Markdown only", "a page, not a post", ...
    error: bool = False  # True: a content problem stopped a post (the command exits 1)
    line: int = 0  # where the problem is, when error


@dataclass
class SourceSite:
    generator: str  # one of GENERATORS
    root: Path
    posts: list[Post] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # site-wide: config not understood, ...
    base_url: str | None = None  # the old site's URL, when its config says
    title: str | None = None  # the old site's name: a new site's title, and each article's source
    language: str | None = None  # the old site's language, for a new site's digest.yaml
    timezone: str | None = None
    # the old site's languages: code -> {title, description} (a new multilingual digest.yaml's)
    language_settings: dict[str, dict[str, str]] = field(default_factory=dict)
    prefix_default_language: bool = False  # the default language had its /en/ too
    root_links: list[tuple[Path, int, str]] = field(default_factory=list)  # root-relative links seen
    # folders under root that the old site served at its root (Jekyll's source, Hugo's static):
    # a file a body links there, root-relative or relative to the post's old URL, is copied
    static_dirs: tuple[str, ...] = ()


class Reader(Protocol):
    def __call__(self, root: Path) -> SourceSite: ...
