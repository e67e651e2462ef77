"""sitemap.xml (an index of sitemaps past 50,000 URLs), the Google News sitemap, robots.txt and
sources.opml."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar

from ..core.dates import rfc3339
from ..core.model import Article
from ..core.urls import absolute, under
from ..core.xmltext import escape, quoteattr
from ..read.config import SiteConfig

if TYPE_CHECKING:  # the news window is asked for by every build; the groups by those that render
    from ..core.groups import SourceGroup

MAX_URLS = 50_000
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_SITEMAP = "news-sitemap.xml"
NEWS_WINDOW = timedelta(days=2)
NEWS_MAX_URLS = 1_000
OPML = "sources.opml"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return escape(_XML_INVALID.sub("", text))


Entry = tuple[str, str, tuple[tuple[str, str], ...]]  # URL, lastmod or "", (hreflang, URL)s


def _urlset(entries: list[Entry]) -> bytes:
    xhtml = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if any(e[2] for e in entries) else ""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{_NS}"{xhtml}>']
    for loc, lastmod, alternates in entries:
        mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(url)}/>'
            for lang, url in alternates
        )
        lines.append(f"<url><loc>{escape(loc)}</loc>{mod}{links}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_files(entries: list[Entry], config: SiteConfig, max_urls: int = MAX_URLS) -> dict[str, bytes]:
    """entries: (URL under the base path, lastmod or '', a multilingual site's alternates:
    (hreflang, absolute URL)s) in output order."""
    absolute_entries = [(absolute(config.base_url, url), mod, alt) for url, mod, alt in entries]
    if len(absolute_entries) <= max_urls:
        return {under(config.base_path, "sitemap.xml"): _urlset(absolute_entries)}
    files: dict[str, bytes] = {}
    index = ['<?xml version="1.0" encoding="utf-8"?>', f'<sitemapindex xmlns="{_NS}">']
    for n, start in enumerate(range(0, len(absolute_entries), max_urls), start=1):
        url = under(config.base_path, f"sitemap-{n}.xml")
        files[url] = _urlset(absolute_entries[start : start + max_urls])
        index.append(f"<sitemap><loc>{escape(absolute(config.base_url, url))}</loc></sitemap>")
    index.append("</sitemapindex>")
    files[under(config.base_path, "sitemap.xml")] = ("\n".join(index) + "\n").encode("utf-8")
    return files


class Dated(Protocol):
    """What the news window reads of an article (engine/lastselection.py keeps only this)."""

    @property
    def path(self) -> str: ...

    @property
    def date(self) -> datetime: ...


D = TypeVar("D", bound=Dated)


def news_window(articles: Iterable[D], now: datetime) -> tuple[D, ...]:
    """The articles a Google News sitemap lists: published in the two days up to `now` (the
    build's clock: SOURCE_DATE_EPOCH or the current time), newest first, at most 1,000."""
    cutoff = now - NEWS_WINDOW
    recent = sorted((a for a in articles if cutoff <= a.date <= now), key=lambda a: a.path)
    recent.sort(key=lambda a: a.date, reverse=True)
    return tuple(recent[:NEWS_MAX_URLS])


def _news_language(lang: str) -> str:
    """ISO 639 as Google News wants it: the language subtag, except zh-cn and zh-tw."""
    tag = lang.lower().replace("_", "-")
    if tag in ("zh-cn", "zh-tw"):
        return tag
    if tag.startswith("zh-hans"):
        return "zh-cn"
    if tag.startswith("zh-hant"):
        return "zh-tw"
    return tag.split("-", 1)[0]


def news_sitemap(articles: Sequence[Article], config: SiteConfig) -> bytes:
    """/news-sitemap.xml: `articles` from news_window(). Without recent articles it is an empty
    urlset, so robots.txt never points at a missing file."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<urlset xmlns="{_NS}" xmlns:news="{NEWS_NS}">',
    ]
    for a in articles:
        lines.append(
            f"<url><loc>{_x(a.abs_url)}</loc><news:news><news:publication>"
            f"<news:name>{_x(config.title)}</news:name>"
            f"<news:language>{_x(_news_language(a.lang))}</news:language></news:publication>"
            f"<news:publication_date>{rfc3339(a.date)}</news:publication_date>"
            f"<news:title>{_x(a.title)}</news:title></news:news></url>"
        )
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sources_opml(sources: Sequence[SourceGroup], config: SiteConfig) -> bytes:
    """/sources.opml: one outline per outlet, pointing at its feed on this site."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0">',
        "<head>",
        f"<title>{_x(config.title)}: sources</title>",
        f"<ownerName>{_x(config.author or config.title)}</ownerName>",
        "<docs>http://opml.org/spec2.opml</docs>",
        "</head>",
        "<body>",
    ]
    for s in sources:
        attrs = [
            ("type", "rss"),
            ("text", s.name),
            ("title", s.name),
            ("xmlUrl", absolute(config.base_url, s.url + config.feeds.opml_file)),
            ("htmlUrl", absolute(config.base_url, s.url)),
        ]
        if s.description:
            attrs.append(("description", s.description))
        if config.language:
            attrs.append(("language", config.language))
        text = " ".join(f"{k}={quoteattr(_XML_INVALID.sub('', v))}" for k, v in attrs)
        lines.append(f"<outline {text}/>")
    lines += ["</body>", "</opml>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(config: SiteConfig) -> bytes:
    sitemap = absolute(config.base_url, under(config.base_path, "sitemap.xml"))
    news = absolute(config.base_url, under(config.base_path, NEWS_SITEMAP))
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\nSitemap: {news}\n".encode()
