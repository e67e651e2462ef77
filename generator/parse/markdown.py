"""Markdown to safe HTML: comrak (CommonMark + tables + strikethrough), markdown-it-py where comrak
fails (commonmark.py), then nh3 (sanitizer.py), then digest's rules for links (here) and for
headings, images, tables and footnotes (bodyhtml.py). `render` is what the parse stage calls."""

from __future__ import annotations

import html as html_lib
import posixpath
import re
import secrets
from dataclasses import dataclass
from urllib.parse import unquote

from ..core.fingerprint import hash_text
from ..core.readingtime import TextLength, measure
from ..core.urls import REF_PREFIX
from ..read.dialect import MarkdownOptions
from .commonmark import DEFAULT_OPTIONS, Renderer
from .sanitizer import sanitize

MORE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# the same characters as bytes: in UTF-8 they never stand inside another character's encoding,
# so deleting them from the encoded text tells whether it holds one (a fraction of a regex
# search's time on a long body)
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Rendered:
    """A body rendered: its HTML, summary, links and length."""

    content: str
    summary: str
    refs: tuple[tuple[str, int], ...]  # (content-relative .md target, line) to resolve later
    length: TextLength  # its words and Chinese and Japanese characters, for its reading time
    # links with tracking parameters: (URL as written, its line, the parameters)
    tracked: tuple[tuple[str, int, tuple[str, ...]], ...] = ()
    # comrak failed on this file (how): markdown-it-py rendered it instead
    fallback: str = ""
    # images without alt text: (src, its line in the file)
    no_alt: tuple[tuple[str, int], ...] = ()
    # with links.root: the root-relative links (path and query as written in the attribute),
    # left as REF_PREFIX + link until the site's URLs are known (index/select.py resolves them)
    roots: tuple[str, ...] = ()


_URL_ATTR = re.compile(r'(<(?:a|img|video|audio|source|track)\b[^>]*?\s(?:href|src)=")([^"]*)(")')


def _postprocess(
    html: str,
    article_dir: str,
    base_path: str,
    refs: list[str],
    tracking: _Tracking | None = None,
    roots: list[str] | None = None,
) -> str:
    """Resolve links to other articles' .md files, put root-relative links under the base path
    (with links.root, `roots` is given: they are held to be resolved later), and drop tracking
    parameters from outbound links."""

    def link(match: re.Match[str]) -> str:
        url = _rewrite(match.group(2), article_dir, base_path, refs, roots)
        if tracking is not None and "?" in url:
            url = tracking.handle(url)
        return match.group(1) + url + match.group(3)

    if "href=" in html or "src=" in html:
        html = _URL_ATTR.sub(link, html)
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


def _rewrite(url: str, article_dir: str, base_path: str, refs: list[str], roots: list[str] | None) -> str:
    if not url or url.startswith(("#", "//")) or _SCHEME.match(url):
        return url
    if url.startswith("/"):
        if roots is not None:
            roots.append(url.partition("#")[0])
            return REF_PREFIX + url
        return url if url.startswith(base_path) else base_path + url.lstrip("/")
    path, _, fragment = url.partition("#")
    if path.endswith((".md", ".markdown")):
        target = posixpath.normpath(posixpath.join(article_dir, unquote(path)))
        refs.append(target)
        return REF_PREFIX + target + (f"#{fragment}" if fragment else "")
    return url


def _index_of(lines: list[str], needle: str) -> int | None:
    """The first body line (0-based) holding the text, for located messages."""
    return next((i for i, text in enumerate(lines) if needle and needle in text), None)


def _ref_lines(body: str, body_line: int, targets: list[str]) -> tuple[tuple[str, int], ...]:
    """Where each .md link stands in the file, for located messages."""
    if not targets:
        return ()
    lines = body.splitlines()
    return tuple((t, body_line + (_index_of(lines, posixpath.basename(t)) or 0)) for t in targets)


# what comrak writes that nh3 must not see: code blocks (highlighted after it, with markup of
# our own) and task-list boxes (an author's raw <input> is dropped, these are kept)
_HELD = re.compile(
    r'<pre><code(?: class="[^"]*")?>.*?</code></pre>'
    r'|<input type="checkbox"(?: checked="")? disabled="" />',
    re.S,
)
_NONCE = secrets.token_hex(8)  # never in output: what is held waits behind it while nh3 runs
_HELD_MARK = re.compile(rf"dgst{_NONCE}x(\d+)x")


@dataclass
class _Body:
    """What one file's rendering collects on the way: links, tracking parameters, images."""

    article_dir: str
    base_path: str
    sanitize_html: bool
    options: MarkdownOptions
    key: str
    refs: list[str]
    tracking: _Tracking
    no_alt: list[str]
    roots: list[str] | None = None

    def restore(self, held: str) -> str:
        if held.startswith("<input"):
            return held  # a task-list box as comrak wrote it: bodyhtml names it
        from .highlight import code_block

        return code_block(held, self.options.highlight, self.options.line_numbers)

    def finish(self, html: str, *, summary: bool = False, refs: bool = True) -> str:
        """Sanitise (code blocks held back, then highlighted: their markup is ours), rewrite
        links, then the rules of bodyhtml."""
        from . import bodyhtml

        blocks: list[str] = []
        if self.sanitize_html:
            if "<pre><code" in html or "<input" in html:

                def hold(match: re.Match[str]) -> str:
                    blocks.append(match.group(0))
                    return f"dgst{_NONCE}x{len(blocks) - 1}x"

                html = _HELD.sub(hold, html)
            html = sanitize(html)
        html = _postprocess(
            html, self.article_dir, self.base_path, self.refs if refs else [], self.tracking, self.roots
        )
        if blocks:
            html = _HELD_MARK.sub(lambda m: self.restore(blocks[int(m.group(1))]), html)
        elif not self.sanitize_html and "<pre><code" in html:
            from .highlight import code_blocks

            html = code_blocks(html, self.options.highlight, self.options.line_numbers)
        html = bodyhtml.fix_headings(html, ids=self.options.heading_ids)
        html, missing = bodyhtml.fix_images(html)
        if missing:
            html = bodyhtml.name_image_links(html)
        if not summary:  # as written: a root-relative src waiting for links.root has a marker
            self.no_alt += [src.removeprefix(REF_PREFIX) for src in missing]
        if "<input" in html:
            html = bodyhtml.fix_checkboxes(html)
        html = bodyhtml.wrap_tables(html)
        html = bodyhtml.drop_empty_links(html)
        html = bodyhtml.fix_details(bodyhtml.fix_sizes(html))
        if "fn-" in html:
            html = bodyhtml.drop_footnote_refs(html) if summary else bodyhtml.key_footnotes(html, self.key)
        return html


def _tracked_lines(
    body: str, body_line: int, found: dict[str, tuple[str, ...]]
) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """Where each tracked link stands in the file (its line in the body, else 0)."""
    if not found:
        return ()
    lines = body.splitlines()
    out = []
    for url, params in found.items():
        line = _index_of(lines, url.split("?", 1)[0])
        out.append((url, body_line + line if line is not None else 0, params))
    return tuple(out)


def has_control(text: str) -> bool:
    """Whether `text` holds a character of _CONTROL."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def render(
    body: str,
    *,
    article_path: str,
    base_path: str,
    body_line: int,
    summary_text: str,
    sanitize_html: bool,
    strip_tracking: bool = True,
    options: MarkdownOptions = DEFAULT_OPTIONS,
    root_links: bool = False,
) -> Rendered:
    """Raises MarkdownProblem for text nested deeper than MAX_NESTING."""
    if has_control(body):  # HTML forbids them; they come from copying out of PDFs and terminals
        body = _CONTROL.sub("", body)
    body_state = _Body(
        posixpath.dirname(article_path),
        base_path,
        sanitize_html,
        options,
        hash_text(article_path)[:6],
        [],
        _Tracking(strip_tracking),
        [],
        [] if root_links else None,
    )
    renderer = Renderer(options)
    html, first = renderer.html(body)
    content = body_state.finish(html)
    if summary_text:
        summary = body_state.finish(renderer.html(summary_text)[0], summary=True)
    else:
        more = MORE.search(body) if "<!--" in body else None  # a scan of the body for the rare marker
        if more:
            first = renderer.html(body[: more.start()])[0]
        summary = body_state.finish(first, summary=True, refs=False) if first else ""
    return Rendered(
        content,
        summary,
        _ref_lines(body, body_line, body_state.refs),
        measure(body),
        _tracked_lines(body, body_line, body_state.tracking.found),
        renderer.failure,
        _image_lines(body, body_line, body_state.no_alt),
        tuple(dict.fromkeys(body_state.roots or ())),
    )


def _image_lines(body: str, body_line: int, srcs: list[str]) -> tuple[tuple[str, int], ...]:
    if not srcs:
        return ()
    lines = body.splitlines()
    raws = [html_lib.unescape(src) for src in dict.fromkeys(srcs)]
    return tuple((raw, body_line + (_index_of(lines, raw) or 0)) for raw in raws)


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


def plain_text(html: str) -> str:
    """The text of an HTML fragment, whitespace folded (meta descriptions, JSON Feed summaries)."""
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())
