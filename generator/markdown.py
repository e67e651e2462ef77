"""Markdown to safe HTML: comrak (CommonMark + tables + strikethrough), markdown-it-py where comrak
fails, then nh3."""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MORE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.MULTILINE)
REF_PREFIX = "__digest_ref__/"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

# nh3's defaults minus what the HTML standard made obsolete (vnu rejects those)
_OBSOLETE_TAGS = {"acronym", "center", "strike", "tt"}
_OBSOLETE_ATTRS = {"align", "char", "charoff", "summary", "size", "width", "height"}


@dataclass(frozen=True)
class Rendered:
    content: str
    summary: str
    refs: tuple[tuple[str, int], ...]  # (content-relative .md target, line) to resolve later
    words: int
    # links with tracking parameters: (URL as written, its line, the parameters)
    tracked: tuple[tuple[str, int, tuple[str, ...]], ...] = ()
    # comrak failed on this file (how): markdown-it-py rendered it instead
    fallback: str = ""


MAX_NESTING = 100  # block quotes and lists inside each other, checked before any renderer runs
_CONTAINER = r"(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*"  # a quote or list marker
_NESTED = re.compile(rf"^[ \t]*(?:{_CONTAINER}){{{MAX_NESTING + 1},}}", re.M)
_ALIGN = re.compile(r'<(th|td)([^>]*?) align="(left|center|right)"')


class MarkdownProblem(Exception):
    """The text cannot be rendered (nested too deep): a located error for its file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def check_nesting(text: str) -> None:
    """Digest's own limit, checked before a renderer sees the text: no input may reach a
    renderer's recursion, whatever that renderer does with it."""
    if len(text) <= MAX_NESTING:
        return
    # a list nested by indentation alone needs two columns a level: comrak was seen to render
    # 3,000 such levels in 0.5 s; what a limit is for is markers stacked on one line
    found = _NESTED.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        raise MarkdownProblem(
            line,
            f"block quotes or lists nested more than {MAX_NESTING} levels deep; flatten them",
        )


class _Engine:
    """CommonMark + tables + strikethrough, raw HTML on (sanitised afterwards by nh3).

    comrak (the Rust CommonMark/GFM implementation behind crates.io and docs.rs: all 655
    examples of CommonMark 0.31.2) renders; markdown-it-py, the reference, renders a file on
    which comrak fails in any way (a Rust panic is a BaseException), and the caller reports it.
    Both engines' names are part of the parse cache key."""

    def __init__(self) -> None:
        import comrak

        self._comrak = comrak
        self._extensions = comrak.ExtensionOptions()
        self._extensions.table = True
        self._extensions.strikethrough = True
        self._render = comrak.RenderOptions()
        self._render.unsafe_ = True
        self.name = f"comrak {_version('comrak')}; markdown-it-py {_version('markdown-it-py')}"

    def render(self, text: str) -> tuple[str, str]:
        """The HTML, and the HTML of its first top-level paragraph ('' if none). Raises
        whatever comrak raises."""
        html = str(self._comrak.render_markdown(text, self._extensions, None, self._render))
        if "align=" in html:
            html = _ALIGN.sub(r'<\1\2 style="text-align:\3"', html)
        return html, first_paragraph(html)

    def render_reference(self, text: str) -> tuple[str, str]:
        """markdown-it-py: slower, the reference semantics, nesting flattened past 20 levels."""
        html = str(_reference().render(text))
        return html, first_paragraph(html)


_BLOCK_TAG = re.compile(r"<(/?)(blockquote|ul|ol|li|table|p)\b[^>]*>")


def first_paragraph(html: str) -> str:
    """The first `<p>…</p>` outside quotes, lists and tables: the summary when an article has
    none. Taken from the rendered body, so reference-style links in it resolve."""
    depth = 0
    for match in _BLOCK_TAG.finditer(html):
        closing, name = match.group(1), match.group(2)
        if name != "p":
            depth = max(0, depth - 1) if closing else depth + 1
        elif not closing and depth == 0:
            end = html.find("</p>", match.end())
            return html[match.start() : end + 4] + "\n" if end != -1 else ""
    return ""


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "?"


@lru_cache(maxsize=1)
def _reference() -> MarkdownIt:
    from markdown_it import MarkdownIt as PyMarkdownIt

    return PyMarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


@lru_cache(maxsize=1)
def engine() -> _Engine:
    return _Engine()


@lru_cache(maxsize=1)
def _cleaner_args() -> dict[str, object]:
    import nh3

    tags = (set(nh3.ALLOWED_TAGS) - _OBSOLETE_TAGS) | {"section"}
    attributes = {tag: set(attrs) - _OBSOLETE_ATTRS for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes.setdefault("img", set()).update({"width", "height", "loading"})
    attributes["a"] = {"href", "hreflang", "title"}
    attributes["th"] = attributes.get("th", set()) | {"style"}
    attributes["td"] = attributes.get("td", set()) | {"style"}
    return {
        "tags": tags,
        "attributes": attributes,
        "url_schemes": {"http", "https", "mailto"},
        "link_rel": "noopener noreferrer",
        "clean_content_tags": {"script", "style"},
        "filter_style_properties": {"text-align"},
    }


def sanitize(html: str) -> str:
    import nh3

    cleaned = str(nh3.clean(html, **_cleaner_args()))  # type: ignore[arg-type]
    # a link whose unsafe href was removed keeps nh3's rel, which HTML forbids without href
    return cleaned.replace('<a rel="noopener noreferrer">', "<a>")


_URL_ATTR = re.compile(r'(<(?:a|img)\b[^>]*?\s(?:href|src)=")([^"]*)(")')
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _postprocess(
    html: str, article_dir: str, base_path: str, refs: list[str], tracking: _Tracking | None = None
) -> str:
    """Resolve links to other articles' .md files, put root-relative links under the base path,
    drop tracking parameters from outbound links, and move headings so the top one is h2 (the
    page title is the h1)."""

    def link(match: re.Match[str]) -> str:
        url = _rewrite(match.group(2), article_dir, base_path, refs)
        if tracking is not None and "?" in url:
            url = tracking.handle(url)
        return match.group(1) + url + match.group(3)

    if "href=" in html or "src=" in html:
        html = _URL_ATTR.sub(link, html)
    levels = [int(m.group(2)) for m in _HEADING.finditer(html) if not m.group(1)]
    shift = max(0, 2 - min(levels)) if levels else 0
    if shift:
        html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", html)
    return html


class _Tracking:
    """Finds tracking parameters in rendered links (attribute text, so `&amp;`-escaped) and,
    when stripping, removes them."""

    def __init__(self, strip: bool) -> None:
        self.strip = strip
        self.found: dict[str, tuple[str, ...]] = {}

    def handle(self, attr: str) -> str:
        from .tracking import strip_tracking, tracking_params

        url = html_lib.unescape(attr)
        params = tracking_params(url)
        if not params:
            return attr
        self.found.setdefault(url, tuple(params))
        if not self.strip:
            return attr
        return strip_tracking(url).replace("&", "&amp;").replace('"', "&quot;")


def _rewrite(url: str, article_dir: str, base_path: str, refs: list[str]) -> str:
    if not url or url.startswith(("#", "//")) or _SCHEME.match(url):
        return url
    if url.startswith("/"):
        return url if url.startswith(base_path) else base_path + url.lstrip("/")
    path, _, fragment = url.partition("#")
    if path.endswith(".md"):
        target = posixpath.normpath(posixpath.join(article_dir, unquote(path)))
        refs.append(target)
        return REF_PREFIX + target + (f"#{fragment}" if fragment else "")
    return url


def _ref_lines(
    body: str, body_line: int, article_dir: str, targets: list[str]
) -> tuple[tuple[str, int], ...]:
    """Where each .md link stands in the file, for located messages."""
    found = []
    lines = body.splitlines()
    for target in targets:
        name = posixpath.basename(target)
        line = next((i for i, text in enumerate(lines) if name in text), 0)
        found.append((target, body_line + line))
    return tuple(found)


class _Renderer:
    """One file's renders: comrak, or markdown-it-py for the rest of the file once comrak has
    failed on it (`failure` says how, for the caller's warning)."""

    def __init__(self) -> None:
        self.failure = ""

    def html(self, text: str) -> tuple[str, str]:
        check_nesting(text)
        if not self.failure:
            try:
                return engine().render(text)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # a Rust panic (pyo3's PanicException) is a BaseException
                self.failure = f"{type(exc).__name__}: {exc}"[:300]
        return engine().render_reference(text)


def _finish(
    html: str,
    sanitize_html: bool,
    article_dir: str,
    base_path: str,
    refs: list[str],
    tracking: _Tracking | None = None,
) -> str:
    if sanitize_html:
        html = sanitize(html)
    return _postprocess(html, article_dir, base_path, refs, tracking)


def _tracked_lines(
    body: str, body_line: int, found: dict[str, tuple[str, ...]]
) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """Where each tracked link stands in the file (its line in the body, else 0)."""
    lines = body.splitlines()
    out = []
    for url, params in found.items():
        stem = url.split("?", 1)[0]
        line = next((i for i, text in enumerate(lines) if stem in text), None)
        out.append((url, body_line + line if line is not None else 0, params))
    return tuple(out)


def render(
    body: str,
    *,
    article_path: str,
    base_path: str,
    body_line: int,
    summary_text: str,
    sanitize_html: bool,
    strip_tracking: bool = True,
) -> Rendered:
    """Raises MarkdownProblem for text nested deeper than MAX_NESTING."""
    article_dir = posixpath.dirname(article_path)
    refs: list[str] = []
    tracking = _Tracking(strip_tracking)
    renderer = _Renderer()
    html, first = renderer.html(body)
    content = _finish(html, sanitize_html, article_dir, base_path, refs, tracking)
    ignored: list[str] = []
    if summary_text:
        written = renderer.html(summary_text)[0]
        summary = _finish(written, sanitize_html, article_dir, base_path, refs, tracking)
    else:
        more = MORE.search(body)
        if more:
            first = renderer.html(body[: more.start()])[0]
        summary = _finish(first, sanitize_html, article_dir, base_path, ignored, tracking) if first else ""
    return Rendered(
        content,
        summary,
        _ref_lines(body, body_line, article_dir, refs),
        len(body.split()),
        _tracked_lines(body, body_line, tracking.found),
        renderer.failure,
    )


_A_TAG = re.compile(r"<a\s[^>]*>")
_HREF = re.compile(r'\shref="([^"]*)"')
_REL = 'rel="noopener noreferrer"'


def mark_nofollow(html: str, own_host: str) -> str:
    """`nofollow_links: true`: outbound links (http(s) to another host) in sanitised HTML get
    rel="noopener noreferrer nofollow ugc"; links within the site keep their rel."""
    if _REL not in html:
        return html
    from html import unescape
    from urllib.parse import urlsplit

    def mark(match: re.Match[str]) -> str:
        tag = match.group(0)
        href = _HREF.search(tag)
        if href is None or _REL not in tag:
            return tag
        parts = urlsplit(unescape(href.group(1)))
        if parts.scheme not in ("http", "https", "") or not parts.netloc:
            return tag
        if (parts.hostname or "").lower() == own_host.lower():
            return tag
        return tag.replace(_REL, 'rel="noopener noreferrer nofollow ugc"')

    return _A_TAG.sub(mark, html)


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


def plain_text(html: str) -> str:
    """The text of an HTML fragment, whitespace folded (meta descriptions, JSON Feed summaries)."""
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())
