"""The editions feed: one entry per edition (newest first) with its full content, in the first
of the site's feed formats (Atom when it is written, as it always was)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..core.dates import rfc822, rfc3339
from ..core.groups import Edition
from ..core.urls import absolute
from ..read.config import SiteConfig
from ..read.locales import load_words
from ..read.words import Words
from .feeds import _EPOCH, FeedCache, _attr, _body, _json, _x, atom_head, rss_head


def edition_html(edition: Edition, config: SiteConfig, cache: FeedCache, words: Words) -> str:
    """An edition as one HTML document fragment: its sections, and in each the articles with
    their outlet, date, link to the original and full content (absolute URLs throughout)."""
    from html import escape as h

    out = []
    for section in edition.sections:
        heading = h(section.title)
        if section.url:
            heading = f'<a href="{h(absolute(config.base_url, section.url))}">{heading}</a>'
        out.append(f"<h2>{heading}</h2>")
        for a in section.articles:
            via = ", " + h(words.gettext("via %(name)s", name=a.via)) if a.via else ""
            meta = f"{h(a.source.name)}{via}, {a.date.strftime('%Y-%m-%d')}"
            if a.source_url:
                original = h(words.gettext("original"))
                meta += f' · <a href="{h(a.source_url)}">{original}</a>'
            out.append(f'<h3><a href="{h(a.abs_url)}">{h(a.title)}</a></h3>')
            out.append(f"<p><em>{meta}</em></p>")
            out.append(_body(a, config.base_url, cache))
    return "\n".join(out)


@dataclass(frozen=True)
class _Item:
    """One edition as a feed item."""

    url: str
    title: str
    published: datetime
    updated: datetime
    summary: str
    html: str


def _items(editions: Sequence[Edition], config: SiteConfig, cache: FeedCache, words: Words) -> list[_Item]:
    items = []
    for e in editions:
        count = words.ngettext("%(num)s article", "%(num)s articles", e.count)
        items.append(
            _Item(
                absolute(config.base_url, e.url),
                words.gettext("No. %(number)s: %(title)s", number=words.number(e.number), title=e.title),
                max(a.date for a in e.articles),
                max(a.updated or a.date for a in e.articles),
                count + ": " + "; ".join(s.title for s in e.sections),
                edition_html(e, config, cache, words),
            )
        )
    return items


def editions_feed(
    editions: Sequence[Edition], config: SiteConfig, page_url: str, cache: FeedCache
) -> bytes:
    """/editions/feed.xml (or rss.xml, feed.json: feeds.formats' first), the latest
    `feed_items` editions."""
    shown = editions[: config.feed_items]
    stamps = [a.updated or a.date for e in shown for a in e.articles]
    updated = max(stamps) if stamps else _EPOCH
    words = load_words(config)
    items = _items(shown, config, cache, words)
    weekly = config.editions == "weekly"
    what = words.gettext("Weekly editions") if weekly else words.gettext("Daily editions")
    title = words.gettext("%(title)s: editions", title=config.title)
    home = absolute(config.base_url, page_url)
    fmt = config.feeds.formats[0]
    if fmt == "rss":
        return _rss(items, config, home, (title, what), updated)
    if fmt == "json":
        return _json_feed(items, config, home, (title, what))
    return _atom(items, config, home, (title, what), updated)


def _atom(
    items: list[_Item], config: SiteConfig, home: str, heading: tuple[str, str], updated: datetime
) -> bytes:
    # heading: the feed's title and subtitle, in the site's language
    author = f"<author><name>{_x(config.author or config.title)}</name></author>"
    out = atom_head(config, home, heading, updated)
    for item in items:
        out += [
            "<entry>",
            f"<title>{_x(item.title)}</title>",
            f'<link href={_attr(item.url)} rel="alternate" type="text/html"/>',
            f"<id>{_x(item.url)}</id>",
            f"<published>{rfc3339(item.published)}</published>",
            f"<updated>{rfc3339(item.updated)}</updated>",
            author,
            f"<summary>{_x(item.summary)}</summary>",
            f'<content type="html">{_x(item.html)}</content>',
            "</entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _rss(
    items: list[_Item], config: SiteConfig, home: str, heading: tuple[str, str], updated: datetime
) -> bytes:
    out = rss_head(config, home, heading, updated)  # heading: title and description
    for item in items:
        out += [
            "<item>",
            f"<title>{_x(item.title)}</title>",
            f"<link>{_x(item.url)}</link>",
            f'<guid isPermaLink="true">{_x(item.url)}</guid>',
            f"<pubDate>{rfc822(item.published)}</pubDate>",
            f"<description>{_x(item.html)}</description>",
            "</item>",
        ]
    out += ["</channel>", "</rss>"]
    return ("\n".join(out) + "\n").encode("utf-8")


def _json_feed(items: list[_Item], config: SiteConfig, home: str, heading: tuple[str, str]) -> bytes:
    title, what = heading
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home,
        "feed_url": home + "feed.json",
        "description": what,
        "language": config.language,
        "authors": [{"name": config.author or config.title}],
        "items": [
            {
                "id": item.url,
                "url": item.url,
                "title": item.title,
                "content_html": item.html,
                "summary": item.summary,
                "date_published": rfc3339(item.published),
                "date_modified": rfc3339(item.updated),
            }
            for item in items
        ],
    }
    return (_json(feed) + "\n").encode("utf-8")
