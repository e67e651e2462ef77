"""Relative links in bodies (`../other-post/`, `img/x.png`) were relative to the post's URL on
the old site; on the new site the post has another URL. Each is resolved against the old URL:
a link to another migrated post becomes that article's URL, any other becomes the old
site-relative path (an alias, a copied file, or for links.root: the old site's page)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from .convert import code_spans, inside

_LINK = re.compile(
    r"(\]\(\s*<?|<[A-Za-z][^<>]*?\s(?:href|src)\s*=\s*[\"']|^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\n?[ \t]*<?)"
    r"(?![A-Za-z][A-Za-z0-9+.-]*:|/|#|\?|<|\s|\)|\{|migrate-post:)([^)\s\"'>#?]+)([^)\s\"'>]*)",
    re.M,
)  # inline links, href/src of HTML tags, and reference definitions ([x]: ../y/), not
# footnotes ([^1]: Some text, which is no link)
_MARKDOWN = (".md", ".markdown", ".mdx")


def norm(url: str) -> str:
    for tail in ("index.html", "index.htm"):
        url = url.removesuffix(tail)
    return url.rstrip("/") or "/"


def rewrite(body: str, old_url: str, lookup: Callable[[str], str | None]) -> str:
    """`lookup(path)` gives the new URL of the post that had `path`, else None."""
    # a post at the site's root (Jekyll's `permalink: :title:output_ext`: /post.html) is in "/"
    base = old_url if old_url.endswith("/") else posixpath.dirname(old_url).rstrip("/") + "/"
    spans = code_spans(body)

    def sub(m: re.Match[str]) -> str:
        target = m.group(2)
        if inside(spans, m.start()) or target.lower().endswith(_MARKDOWN):
            return m.group(0)  # .md links are digest's own kind of link (the report names them)
        path = posixpath.normpath(posixpath.join(base, target))
        if path.startswith(".."):
            return m.group(0)
        if path.startswith("//"):  # normpath keeps two leading slashes: a link to another host
            path = "/" + path.lstrip("/")
        if target.endswith("/") and not path.endswith("/"):
            path += "/"
        new = lookup(norm(path))
        return m.group(1) + (new if new is not None else path) + m.group(3)

    return _LINK.sub(sub, body)
