"""Atom 1.0, RSS 2.0 and JSON Feed 1.1, written directly: escaping and dates are ours to get right."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from .. import __version__
from ..core.dates import rfc822, rfc3339
from ..core.model import Article, Bodies
from ..core.urls import IN_TAG_URL, absolute
from ..core.xmltext import escape, quoteattr
from ..read.config import SiteConfig
from ..read.feedsconfig import FORMATS

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# in a tag only: text that reads like an attribute (`src="/x.png"` in a paragraph) stays as written
_ROOT_RELATIVE = re.compile(f'({IN_TAG_URL}")' + r'(/(?!/)[^"]*)"')
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedSpec:
    """A feed to write: its title, page and articles."""

    title: str
    description: str
    page_url: str  # under the base path: the HTML page this feed mirrors
    articles: Sequence[Article]
    lang: str = ""  # a multilingual site: the language whose feed it is
    # each item's full text (the site's feed; tags' and sources' with feeds.lists: full), or
    # its title, link, date and summary only
    full: bool = True


def _x(text: str) -> str:
    return escape(_XML_INVALID.sub("", text))


def _attr(text: str) -> str:
    return quoteattr(_XML_INVALID.sub("", text))


def absolutize(html: str, base_url: str) -> str:
    """Feed readers have no page to resolve against: make root-relative URLs absolute."""
    return _ROOT_RELATIVE.sub(lambda m: f'{m.group(1)}{absolute(base_url, m.group(2))}"', html)


class FeedCache:
    """What the feeds of one build share: where bodies are read from, and each article's body
    (absolute URLs) and entries, made once per process (an article appears in the site feed
    and in each of its tags' and its source's feeds)."""

    def __init__(self, bodies: Bodies) -> None:
        self.bodies = bodies
        self.html: dict[str, str] = {}
        self.entries: dict[tuple[str, str, str], str] = {}


def _body(a: Article, base_url: str, cache: FeedCache) -> str:
    key = a.fp + base_url
    body = cache.html.get(key)
    if body is None:
        if len(cache.html) > 128:
            cache.html.clear()
        body = cache.html[key] = absolutize(cache.bodies.content(a), base_url)
    return body


def _updated(articles: Sequence[Article]) -> datetime:
    stamps = [a.updated or a.date for a in articles]
    return max(stamps) if stamps else _EPOCH


def atom_head(config: SiteConfig, home: str, heading: tuple[str, str], updated: datetime) -> list[str]:
    """An Atom feed's lines up to its entries: `home` is the page the feed is of (its feed is
    home + feed.xml), `heading` its title and subtitle (none when empty)."""
    title, subtitle = heading
    self_url = home + "feed.xml"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={_attr(config.language)}>',
        f"<title>{_x(title)}</title>",
    ]
    if subtitle:
        out.append(f"<subtitle>{_x(subtitle)}</subtitle>")
    out += [
        f'<link href={_attr(self_url)} rel="self" type="application/atom+xml"/>',
        f'<link href={_attr(home)} rel="alternate" type="text/html"/>',
        f"<id>{_x(self_url)}</id>",
        f"<updated>{rfc3339(updated)}</updated>",
        f"<author><name>{_x(config.author or config.title)}</name></author>",
        f'<generator version="{__version__}">digest</generator>',
    ]
    return out


def rss_head(
    config: SiteConfig, home: str, heading: tuple[str, str], updated: datetime, namespaces: str = ""
) -> list[str]:
    """An RSS channel's lines up to its items: `heading` is its title and description;
    `namespaces`, more xmlns declarations for the items' elements."""
    title, description = heading
    return [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"{namespaces}>',
        "<channel>",
        f"<title>{_x(title)}</title>",
        f"<link>{_x(home)}</link>",
        f"<description>{_x(description)}</description>",
        f"<language>{_x(config.language)}</language>",
        f"<generator>digest {__version__}</generator>",
        f"<lastBuildDate>{rfc822(updated)}</lastBuildDate>",
        f'<atom:link href={_attr(home + "rss.xml")} rel="self" type="application/rss+xml"/>',
    ]


def atom(spec: FeedSpec, config: SiteConfig, cache: FeedCache) -> bytes:
    home = absolute(config.base_url, spec.page_url)
    out = atom_head(config, home, (spec.title, spec.description), _updated(spec.articles))
    out += [_entry("atom", a, config.base_url, cache, spec.full) for a in spec.articles]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def rss(spec: FeedSpec, config: SiteConfig, cache: FeedCache) -> bytes:
    home = absolute(config.base_url, spec.page_url)
    heading = (spec.title, spec.description or spec.title)
    dc = ' xmlns:dc="http://purl.org/dc/elements/1.1/"'  # dc:creator, the items' authors
    out = rss_head(config, home, heading, _updated(spec.articles), dc)
    out += [_entry("rss", a, config.base_url, cache, spec.full) for a in spec.articles]
    out += ["</channel>", "</rss>"]
    return ("\n".join(out) + "\n").encode("utf-8")


def json_feed(spec: FeedSpec, config: SiteConfig, cache: FeedCache) -> bytes:
    head: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": absolute(config.base_url, spec.page_url),
        "feed_url": absolute(config.base_url, spec.page_url + "feed.json"),
        "language": config.language,
        "authors": [{"name": config.author or config.title}],
    }
    # the items are written once per article and spliced in: the same text `json.dumps` gives
    # for the whole feed, as no indent is used (the C encoder is used only without one)
    items = ",".join([_entry("json", a, config.base_url, cache, spec.full) for a in spec.articles])
    text = _json(head)[:-1] + f',"items":[{items}]'
    if spec.description:
        text += f',"description":{_json(spec.description)}'
    return (text + "}\n").encode("utf-8")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _entry(kind: str, a: Article, base_url: str, cache: FeedCache, full: bool) -> str:
    """One article's entry in an Atom, RSS or JSON feed: the same in every feed it appears in
    (the site's, its tags', its source's), so it is written once per process."""
    key = (kind + ("" if full else "-summary"), a.fp, base_url)
    text = cache.entries.get(key)
    if text is None:
        if len(cache.entries) > 600:
            cache.entries.clear()
        make = _atom_entry if kind == "atom" else _rss_item if kind == "rss" else _json_item
        text = cache.entries[key] = make(a, base_url, cache, full)
    return text


def _summary(a: Article, base_url: str) -> str:
    return absolutize(a.summary, base_url)


def _atom_entry(a: Article, base_url: str, cache: FeedCache, full: bool) -> str:
    out = ["<entry>", f"<title>{_x(a.title)}</title>"]
    out.append(f'<link href={_attr(a.abs_url)} rel="alternate" type="text/html"/>')
    if a.source_url:
        out.append(f'<link href={_attr(a.source_url)} rel="related" type="text/html"/>')
    out.append(f"<id>{_x(a.abs_url)}</id>")
    out.append(f"<published>{rfc3339(a.date)}</published>")
    out.append(f"<updated>{rfc3339(a.updated or a.date)}</updated>")
    for name in a.authors or (a.source.name,):
        out.append(f"<author><name>{_x(name)}</name></author>")
    for tag in a.tags:
        out.append(f"<category term={_attr(tag.slug)} label={_attr(tag.name)}/>")
    out.append(f'<summary type="html">{_x(_summary(a, base_url))}</summary>')
    if full:
        out.append(f'<content type="html">{_x(_body(a, base_url, cache))}</content>')
    out.append("</entry>")
    return "\n".join(out)


def _rss_item(a: Article, base_url: str, cache: FeedCache, full: bool) -> str:
    out = ["<item>", f"<title>{_x(a.title)}</title>"]
    out.append(f"<link>{_x(a.abs_url)}</link>")
    out.append(f'<guid isPermaLink="true">{_x(a.abs_url)}</guid>')
    out.append(f"<pubDate>{rfc822(a.date)}</pubDate>")
    for name in a.authors or (a.source.name,):
        out.append(f"<dc:creator>{_x(name)}</dc:creator>")
    for tag in a.tags:
        out.append(f"<category>{_x(tag.name)}</category>")
    text = _body(a, base_url, cache) if full else _summary(a, base_url)
    out.append(f"<description>{_x(text)}</description>")
    out.append("</item>")
    return "\n".join(out)


def _json_item(a: Article, base_url: str, cache: FeedCache, full: bool) -> str:
    item: dict[str, object] = {
        "id": a.abs_url,
        "url": a.abs_url,
        "title": a.title,
        # JSON Feed needs content in each item: a summary-only item's is its summary
        "content_html": _body(a, base_url, cache) if full else _summary(a, base_url),
    }
    if full:
        item["summary"] = a.summary_text
    item |= {
        "date_published": rfc3339(a.date),
        "date_modified": rfc3339(a.updated or a.date),
        "authors": [{"name": n} for n in (a.authors or (a.source.name,))],
        "tags": [t.name for t in a.tags],
        "language": a.lang,
    }
    if a.source_url:
        item["external_url"] = a.source_url
    if a.image:
        item["image"] = a.image
    return _json(item)


_WRITERS = {"atom": atom, "rss": rss, "json": json_feed}


def feed_files(spec: FeedSpec, config: SiteConfig, cache: FeedCache) -> dict[str, bytes]:
    """The feeds of one page (feeds.formats: Atom, RSS, JSON Feed), keyed by their URL under
    the base path."""
    limited = replace(spec, articles=spec.articles[: config.feed_items])
    return {
        spec.page_url + FORMATS[name][0]: _WRITERS[name](limited, config, cache)
        for name in config.feeds.formats
    }
