"""Markdown to safe HTML: comrak (CommonMark + tables + strikethrough), markdown-it-py where comrak
fails, then nh3."""

from __future__ import annotations

import html as html_lib
import posixpath
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..core.fingerprint import hash_text
from ..core.urls import REF_PREFIX
from ..read.dialect import MarkdownOptions

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MORE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.MULTILINE)
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
    # images without alt text: (src, its line in the file)
    no_alt: tuple[tuple[str, int], ...] = ()


DEFAULT_OPTIONS = MarkdownOptions()
RULES = 7


MAX_NESTING = 100  # block quotes and lists inside each other, checked before any renderer runs
_CONTAINER = r"(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*"  # a quote or list marker
_NESTED = re.compile(rf"^[ \t]*(?:{_CONTAINER}){{{MAX_NESTING + 1},}}", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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
    """CommonMark with the GitHub extensions the options turn on, raw HTML on (sanitised
    afterwards by nh3).

    comrak (the Rust CommonMark/GFM implementation behind crates.io and docs.rs: all 655
    examples of CommonMark 0.31.2) renders; markdown-it-py, the reference, renders a file on
    which comrak fails in any way (a Rust panic is a BaseException), and the caller reports it.
    Both engines' names are part of the parse cache key."""

    def __init__(self, options: MarkdownOptions = DEFAULT_OPTIONS) -> None:
        import comrak

        self.options = options
        self._comrak = comrak
        self._extensions = comrak.ExtensionOptions()
        self._extensions.table = options.tables
        self._extensions.strikethrough = options.strikethrough
        self._extensions.autolink = options.autolinks
        self._extensions.tasklist = options.tasklists
        self._extensions.footnotes = options.footnotes
        self._extensions.alerts = options.alerts
        self._render = comrak.RenderOptions()
        self._render.unsafe_ = True
        # what shapes a body: the engines, the dialect, the rules after them (bump RULES when
        # markdown.py, bodyhtml.py or highlight.py change what they write)
        self.name = (
            f"comrak {_version('comrak')}; markdown-it-py {_version('markdown-it-py')}; "
            f"Pygments {_version('Pygments') if options.highlight else '-'}; rules {RULES}; {options}"
        )

    def render(self, text: str) -> tuple[str, str]:
        """The HTML, and the HTML of its first top-level paragraph ('' if none). Raises
        whatever comrak raises."""
        html = str(self._comrak.render_markdown(text, self._extensions, None, self._render))
        if "align=" in html:
            html = _ALIGN.sub(r'<\1\2 style="text-align:\3"', html)
        return html, first_paragraph(html)

    def render_reference(self, text: str) -> tuple[str, str]:
        """markdown-it-py: slower, the reference semantics, nesting flattened past 20 levels.
        It stands in for comrak on one file; GitHub's extensions beyond tables and
        strikethrough are left out there (the caller warns)."""
        html = str(_reference().render(text))
        return html, first_paragraph(html)


_TAGS = re.compile(r"<[^>]+>")
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
            if end == -1:
                return ""
            if _TAGS.sub("", html[match.end() : end]).strip():  # an image alone is no summary
                return html[match.start() : end + 4] + "\n"
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


def engine(options: MarkdownOptions = DEFAULT_OPTIONS) -> _Engine:
    return _engine(options)


@lru_cache(maxsize=8)
def _engine(options: MarkdownOptions) -> _Engine:
    return _Engine(options)


@lru_cache(maxsize=1)
def _cleaner_args() -> dict[str, object]:
    import nh3

    tags = (set(nh3.ALLOWED_TAGS) - _OBSOLETE_TAGS) | {"section"}
    attributes = {tag: set(attrs) - _OBSOLETE_ATTRS for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes.setdefault("img", set()).update({"width", "height", "loading", "decoding"})
    attributes["a"] = {"href", "hreflang", "title", "id", "aria-label"}
    attributes["th"] = attributes.get("th", set()) | {"style"}
    attributes["td"] = attributes.get("td", set()) | {"style"}
    for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li"):
        attributes.setdefault(tag, set()).add("id")  # heading anchors, footnotes
    # video and audio that release notes and blogs embed: no script can ride on them
    tags |= {"video", "audio", "source", "track"}
    media = {"src", "controls", "preload", "loop", "muted"}
    attributes["video"] = media | {"poster", "width", "height", "playsinline"}
    attributes["audio"] = media
    attributes["source"] = {"src", "type", "media"}
    attributes["track"] = {"src", "kind", "srclang", "label", "default"}
    return {
        "tags": tags,
        "attributes": attributes,
        "allowed_classes": {
            "div": {"markdown-alert", *(f"markdown-alert-{kind}" for kind in ALERT_KINDS)},
            "p": {"markdown-alert-title"},
            "section": {"footnotes"},
            "sup": {"footnote-ref"},
            "a": {"footnote-backref"},
        },
        "url_schemes": {"http", "https", "mailto", "ftp", "sftp", "rsync", "tel"},
        "link_rel": "noopener noreferrer",
        "clean_content_tags": {"script", "style"},
        "filter_style_properties": {"text-align"},
    }


def sanitize(html: str) -> str:
    import nh3

    cleaned = str(nh3.clean(html, **_cleaner_args()))  # type: ignore[arg-type]
    # a link whose unsafe href was removed keeps nh3's rel, which HTML forbids without href
    return cleaned.replace('<a rel="noopener noreferrer">', "<a>")


ALERT_KINDS = ("note", "tip", "important", "warning", "caution")
_URL_ATTR = re.compile(r'(<(?:a|img|video|audio|source|track)\b[^>]*?\s(?:href|src)=")([^"]*)(")')


def _postprocess(
    html: str, article_dir: str, base_path: str, refs: list[str], tracking: _Tracking | None = None
) -> str:
    """Resolve links to other articles' .md files, put root-relative links under the base path,
    and drop tracking parameters from outbound links."""

    def link(match: re.Match[str]) -> str:
        url = _rewrite(match.group(2), article_dir, base_path, refs)
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


def _rewrite(url: str, article_dir: str, base_path: str, refs: list[str]) -> str:
    if not url or url.startswith(("#", "//")) or _SCHEME.match(url):
        return url
    if url.startswith("/"):
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


class _Renderer:
    """One file's renders: comrak, or markdown-it-py for the rest of the file once comrak has
    failed on it (`failure` says how, for the caller's warning)."""

    def __init__(self, options: MarkdownOptions) -> None:
        self.options = options
        self.engine = engine(options)
        self.failure = ""

    def html(self, text: str) -> tuple[str, str]:
        check_nesting(text)
        if not self.failure:
            try:
                return self.engine.render(text)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # a Rust panic (pyo3's PanicException) is a BaseException
                self.failure = f"{type(exc).__name__}: {exc}"[:300]
        return self.engine.render_reference(text)


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
        html = _postprocess(html, self.article_dir, self.base_path, self.refs if refs else [], self.tracking)
        if blocks:
            html = _HELD_MARK.sub(lambda m: self.restore(blocks[int(m.group(1))]), html)
        elif not self.sanitize_html and "<pre><code" in html:
            from .highlight import code_blocks

            html = code_blocks(html, self.options.highlight, self.options.line_numbers)
        html = bodyhtml.fix_headings(html, ids=self.options.heading_ids)
        html, missing = bodyhtml.fix_images(html)
        if missing:
            html = bodyhtml.name_image_links(html)
        if not summary:
            self.no_alt += missing
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
) -> Rendered:
    """Raises MarkdownProblem for text nested deeper than MAX_NESTING."""
    if _CONTROL.search(body):  # HTML forbids them; they come from copying out of PDFs and terminals
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
    )
    renderer = _Renderer(options)
    html, first = renderer.html(body)
    content = body_state.finish(html)
    if summary_text:
        summary = body_state.finish(renderer.html(summary_text)[0], summary=True)
    else:
        more = MORE.search(body)
        if more:
            first = renderer.html(body[: more.start()])[0]
        summary = body_state.finish(first, summary=True, refs=False) if first else ""
    return Rendered(
        content,
        summary,
        _ref_lines(body, body_line, body_state.refs),
        len(body.split()),
        _tracked_lines(body, body_line, body_state.tracking.found),
        renderer.failure,
        _image_lines(body, body_line, body_state.no_alt),
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
