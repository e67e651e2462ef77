"""HTTP headers for published files, and the order they go up in.

Cache-Control defaults (a target's `cache_control:` patterns come first):
- pages, feeds, sitemaps, robots.txt and other documents (.html .xml .json .txt): 5 minutes,
  so a new edition shows up quickly;
- files whose name carries a content hash (`app.3f9a1c2b.css`): a year, immutable;
- everything else, theme assets included: one day. digest links theme assets with a `?v=`
  content hash in the query, not in the file name, so a browser fetches a changed asset at
  once; a CDN that ignores query strings could keep an old copy for that day, which is why
  the long immutable lifetime is kept for names that change with their content.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from collections.abc import Sequence
from fnmatch import fnmatchcase

SHORT = "public, max-age=300"
DAY = "public, max-age=86400"
IMMUTABLE = "public, max-age=31536000, immutable"

ASSETS, PAGES, FEEDS = 0, 1, 2

_FEED_TYPES = {
    "feed.xml": "application/atom+xml; charset=utf-8",
    "rss.xml": "application/rss+xml; charset=utf-8",
    "feed.json": "application/feed+json",
    "sources.opml": "text/x-opml; charset=utf-8",
}
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
}
_SHORT_SUFFIXES = (".html", ".htm", ".xml", ".json", ".txt")
# a hash in the name: `.3f9a1c2b.` or `-3f9a1c2b.`, at least 8 hex digits with a letter among
# them, so that dates (`photo-20240501.jpg`) do not count
_FINGERPRINT = re.compile(r"[.-](?=[0-9]*[a-f])[0-9a-f]{8,}\.[A-Za-z0-9]+$")
# the standard library's own table, not the machine's /etc/mime.types: the same on every host
_FALLBACK = mimetypes.MimeTypes()


def _is_sitemap(path: str) -> bool:
    return re.fullmatch(r"(news-)?sitemap(-\d+)?\.xml", path) is not None


def phase_of(path: str) -> int:
    name = posixpath.basename(path)
    if name in _FEED_TYPES or _is_sitemap(path) or path == "robots.txt":
        return FEEDS
    if name.endswith((".html", ".htm")):
        return PAGES
    return ASSETS


def content_type(path: str) -> str:
    name = posixpath.basename(path)
    if name in _FEED_TYPES:
        return _FEED_TYPES[name]
    suffix = posixpath.splitext(name)[1].lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = _FALLBACK.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def pattern_matches(pattern: str, path: str) -> bool:
    """A pattern with a '/' matches the whole path (`static/*`, where `*` crosses folders);
    one without matches the file name anywhere (`*.css`)."""
    pattern = pattern.lstrip("/")
    if "/" in pattern:
        return fnmatchcase(path, pattern)
    return fnmatchcase(posixpath.basename(path), pattern)


def cache_control(path: str, rules: Sequence[tuple[str, str]] = ()) -> str:
    for pattern, value in rules:
        if pattern_matches(pattern, path):
            return value
    name = posixpath.basename(path)
    if phase_of(path) != ASSETS:
        return SHORT
    if _FINGERPRINT.search(name):
        return IMMUTABLE
    return SHORT if name.lower().endswith(_SHORT_SUFFIXES) else DAY
