"""URLs and output paths. Every URL here is built from safe segments, so it stays in the site."""

from __future__ import annotations

import hashlib
import posixpath
import re
from functools import lru_cache
from urllib.parse import urlsplit

from slugify import slugify as _slugify


def slugify(text: str, fallback_seed: str = "") -> str:
    """Lowercase ASCII with hyphens; never empty: falls back to a stable hash of the seed."""
    slug = _slug(text)
    if slug:
        return str(slug)
    seed = fallback_seed or text
    return "x-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:8]


@lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    # the same tags and outlets come back on every article: transliterating them once per
    # process saves a tenth of the parse stage
    return str(_slugify(text, max_length=80, word_boundary=True, save_order=True))


def expand_permalink(pattern: str, tokens: dict[str, str]) -> str:
    """Fill `{token}`s; every token value is a safe segment, so the path cannot escape."""
    path = pattern
    for name, value in tokens.items():
        path = path.replace("{" + name + "}", value)
    path = re.sub(r"/{2,}", "/", path)
    return path


def under(base_path: str, path: str) -> str:
    """`path` (site-relative, with or without a leading '/') under the base path."""
    return base_path + path.lstrip("/")


def absolute(base_url: str, path: str) -> str:
    """An absolute URL for a site path that already includes the base path."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}{path}"


_UNSAFE_PATH = re.compile(r"[\x00-\x1f\x7f\\]")


def output_file(url_path: str, base_path: str) -> str:
    """The file (relative to the output folder) that serves a URL path under the base path."""
    rel = url_path[len(base_path) :] if url_path.startswith(base_path) else url_path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    normalized = posixpath.normpath(rel)
    if normalized.startswith("../") or normalized in ("..", ".") or normalized.startswith("/"):
        raise ValueError(f"URL {url_path!r} would be written outside the output folder")
    if _UNSAFE_PATH.search(normalized):
        raise ValueError(f"URL {url_path!r} holds a backslash or a control character")
    return normalized


def paginated(first: str, number: int) -> str:
    return first if number == 1 else f"{first}page/{number}/"


# where a link to another article's .md file goes until that article's URL is known
REF_PREFIX = "__digest_ref__/"


def resolve_refs(html: str, urls: dict[str, str], article_path: str) -> str:
    """Put the real URL of each linked article in place of its `.md` reference; an unresolved
    one goes back to the relative link as written (and is reported by the caller)."""
    if REF_PREFIX not in html:
        return html

    def swap(match: re.Match[str]) -> str:
        target, _, fragment = match.group(1).partition("#")
        url = urls.get(target)
        if url is None:
            url = posixpath.relpath(target, posixpath.dirname(article_path) or ".")
        return url + (f"#{fragment}" if fragment else "")

    return re.sub(re.escape(REF_PREFIX) + r"([^\"'\s>]+)", swap, html)
