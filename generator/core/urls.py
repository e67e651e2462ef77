"""URLs and output paths. Every URL here is built from safe segments, so it stays in the site."""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import SplitResult, unquote, urlsplit


def slugify(text: str, fallback_seed: str = "") -> str:
    """Lowercase ASCII with hyphens; never empty: falls back to a stable hash of the seed."""
    slug = _slug(text)
    if slug:
        return str(slug)
    seed = fallback_seed or text
    return "x-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:8]


# a text that is a slug already: python-slugify returns it as it is (lowercase ASCII letters and
# digits in hyphen-separated words, no longer than max_length)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    # the same tags and outlets come back on every article: transliterating them once per
    # process saves a tenth of the parse stage
    if len(text) <= 80 and _SLUG.fullmatch(text):
        return text  # stories.yaml's keys, mostly: a build that parses nothing imports no slugify
    # python-slugify builds its tables on import: only a build that needs it pays for it
    from slugify import slugify as _slugify

    return str(_slugify(text, max_length=80, word_boundary=True, save_order=True))


def expand_permalink(pattern: str, tokens: dict[str, str]) -> str:
    """Fill `{token}`s; every token value is a safe segment, so the path cannot escape."""
    path = pattern
    for name, value in tokens.items():
        path = path.replace("{" + name + "}", value)
    path = re.sub(r"/{2,}", "/", path)
    return path


def parse_url(url: str) -> SplitResult | None:
    """urlsplit for text from outside (a page's og:url, a pasted link): None where no URL can
    be made of it ('http://[::1' raises in urlsplit, a port of 99999 in .port)."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return None
    return parts


def under(base_path: str, path: str) -> str:
    """`path` (site-relative, with or without a leading '/') under the base path."""
    return base_path + path.lstrip("/")


def absolute(base_url: str, path: str) -> str:
    """An absolute URL for a site path that already includes the base path."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}{path}"


_UNSAFE_PATH = re.compile(r"[\x00-\x1f\x7f\\]")


@lru_cache(maxsize=65536)  # every page's, several times a build, and again on each of serve's
def output_file(url_path: str, base_path: str) -> str:
    """The file (relative to the output folder) that serves a URL path under the base path."""
    rel = url_path[len(base_path) :] if url_path.startswith(base_path) else url_path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    # normpath changes only a path with an empty, "." or ".." segment (or a leading "/"):
    # a segment that starts with "." follows a "/" or starts the path
    clean = "/." not in rel and "//" not in rel and not rel.startswith((".", "/"))
    normalized = rel if clean else posixpath.normpath(rel)
    if normalized.startswith("../") or normalized in ("..", ".") or normalized.startswith("/"):
        raise ValueError(f"URL {url_path!r} would be written outside the output folder")
    if _UNSAFE_PATH.search(normalized):
        raise ValueError(f"URL {url_path!r} holds a backslash or a control character")
    return normalized


def paginated(first: str, number: int) -> str:
    return first if number == 1 else f"{first}page/{number}/"


# where a link to another article's .md file goes until that article's URL is known, and with
# links.root a root-relative link until the site's URLs are known (the target starts with '/')
# an href or src inside a tag, up to its opening quote (the tag's other quoted values whole: a `>`
# may stand in one); text that reads like one (`src="x.png"` in a paragraph, `href='` in
# highlighted code) is not matched. write/links.py and render/feeds.py read links with it.
IN_TAG_URL = r"""<[A-Za-z](?:[^<>"']|"[^"]*"|'[^']*')*?\s(?:href|src)="""
REF_PREFIX = "__digest_ref__/"


def resolve_refs(html: str, urls: dict[str, str], article_path: str) -> str:
    """Put the real URL of each linked article in place of its `.md` reference; an unresolved
    one goes back to the relative link as written (and is reported by the caller)."""
    if REF_PREFIX not in html:
        return html

    def swap(match: re.Match[str]) -> str:
        target, _, fragment = match.group(1).partition("#")
        url = urls.get(target)
        if url is None and target.startswith("/"):
            return match.group(0)  # a root-relative link (links.root), resolved with the site's URLs
        if url is None:
            url = posixpath.relpath(target, posixpath.dirname(article_path) or ".")
        return url + (f"#{fragment}" if fragment else "")

    return re.sub(re.escape(REF_PREFIX) + r"([^\"'\s>]+)", swap, html)


class AliasProblem(ValueError):
    """Why a front-matter alias cannot be a path of this site."""


_ALIAS_FILE = (".html", ".htm")
EXAMPLE = "/2019/05/old-post/"


def alias_path(text: str) -> str:
    """An `aliases:` entry as the site-relative path its redirect page is served at, normalised
    as Hugo does: `/old/post` and `/old/post/` are the folder `/old/post/` (its index.html),
    `/old.html` and `/old.htm` are that file. Percent-escapes are decoded, since a static server
    decodes a request before it looks for the file. Raises AliasProblem."""
    written = text.strip()
    if not written:
        raise AliasProblem("an alias is empty")
    parts = urlsplit(written)
    if parts.scheme or written.startswith("//"):
        raise AliasProblem(f"alias '{written}' is an absolute URL; write its path alone, such as {EXAMPLE}")
    if parts.query or parts.fragment or "?" in written or "#" in written:
        raise AliasProblem(f"alias '{written}' has a query or a fragment ('?', '#'); write the path alone")
    if not written.startswith("/"):
        raise AliasProblem(f"alias '{written}' must start with '/', from the site's root, such as {EXAMPLE}")
    path = unquote(written)
    if "\\" in path or _UNSAFE_PATH.search(path) or ("%" in path and unquote(path) != path):
        raise AliasProblem(f"alias '{written}' holds a backslash, a control character or a double escape")
    segments = [s for s in path.split("/") if s not in ("", ".")]
    if ".." in segments:
        raise AliasProblem(f"alias '{written}' has a '..' segment; write the path it means")
    if not segments:
        raise AliasProblem(f"alias '{written}' is the site's root, which is the home page")
    joined = "/" + "/".join(segments)
    return joined if joined.lower().endswith(_ALIAS_FILE) else joined + "/"


def root_link(link: str, base_path: str, root: str, is_page: Callable[[str], bool]) -> str:
    """links.root: a root-relative link as written (attribute text: path, query) made the URL
    it means: under the base path, as without links.root, when `is_page` says the site has that
    path; else absolute against `root`, an outbound link."""
    site = link if link.startswith(base_path) else base_path + link.lstrip("/")
    if is_page(unquote(html.unescape(site.partition("?")[0]))):
        return site
    return root + link
