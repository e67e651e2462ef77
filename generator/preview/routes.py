"""What answers a request to the preview, decided from its path alone, and which content type a
served file gets. Pure but for `resolve_inside`, which follows symlinks."""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

SPECIAL = "__digest__/"  # reserved folder under the base path: the script and the event stream

RouteKind = Literal["file", "redirect", "events", "script", "missing"]


@dataclass(frozen=True)
class Route:
    kind: RouteKind
    target: str = ""  # "file": path relative to the preview folder; "redirect": the Location


def route(raw_path: str, base_path: str) -> Route:
    """Map a request path to what answers it. Only paths under `base_path` reach files, and
    none with '.', '..' or empty segments, whether written plainly or percent-encoded."""
    path = unquote(path_part(raw_path))  # decoded once: '%252e' stays the literal '%2e'
    if "\x00" in path or "\\" in path:
        return Route("missing")
    if not path.startswith(base_path):
        if path in ("/", base_path.rstrip("/")):
            return Route("redirect", base_path)
        return Route("missing")
    rel = path[len(base_path) :]
    segments = rel.split("/")
    if any(s in (".", "..") for s in segments) or "" in segments[:-1]:
        return Route("missing")
    if rel == SPECIAL + "events":
        return Route("events")
    if rel == SPECIAL + "livereload.js":
        return Route("script")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return Route("file", rel)


def path_part(raw_path: str) -> str:
    """The path of a request target without query or fragment. Not urlsplit: it would read
    '//host/x' as a network location."""
    return raw_path.split("?", 1)[0].split("#", 1)[0]


def resolve_inside(folder: Path, rel: str) -> str | None:
    """The real path of `rel` if it lies inside `folder` (symlinks followed), else None. The
    folder is resolved on every call: a build may have replaced it since."""
    root = os.path.realpath(folder)
    target = os.path.realpath(os.path.join(root, rel))
    return target if target.startswith(root + os.sep) else None


_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}


def content_type(rel: str, data: bytes) -> str:
    """By extension; feeds are told apart by their first bytes (feed.xml is Atom, rss.xml RSS,
    whatever a theme names them)."""
    suffix = os.path.splitext(rel)[1].lower()
    head = data[:512]
    if suffix == ".xml":
        if b"<feed" in head:
            return "application/atom+xml"
        return "application/rss+xml" if b"<rss" in head else "application/xml"
    if suffix == ".json":
        return "application/feed+json" if b"jsonfeed.org/version" in head else "application/json"
    return _TYPES.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"
