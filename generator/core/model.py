"""The data that flows through the pipeline: plain frozen records, no behaviour that does I/O.
Here the articles (what the parse cache stores, so what every build unpickles); the site they
are indexed into is in groups.py, which a build that finds nothing changed never imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from markupsafe import Markup

from .urls import resolve_refs


@dataclass(frozen=True)
class Tag:
    """A tag as an article carries it: its name, slug and links."""

    name: str
    slug: str
    url: str
    feed_url: str


@dataclass(frozen=True)
class Source:
    """The outlet an article came from, with its links."""

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
    """One news item: its front matter, links and where its body is."""

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
