"""The Markdown engines: comrak renders, markdown-it-py (the reference) renders a file on which
comrak fails, and digest's nesting limit is checked before either sees the text. Their names
and versions are part of the parse cache key (`engine().name`)."""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from typing import TYPE_CHECKING

from ..read.dialect import MarkdownOptions

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

DEFAULT_OPTIONS = MarkdownOptions()
RULES = 8  # the version of what digest does after the engines: part of engine().name

MAX_NESTING = 100  # block quotes and lists inside each other, checked before any renderer runs
_CONTAINER = r"(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*"  # a quote or list marker
# a line of them: the first line, or one after a newline (what `^` with re.M matches; a pattern
# that starts with the newline itself is searched for several times faster)
_NESTED_FIRST = re.compile(rf"[ \t]*(?:{_CONTAINER}){{{MAX_NESTING + 1},}}")
_NESTED = re.compile(rf"\n[ \t]*(?:{_CONTAINER}){{{MAX_NESTING + 1},}}")
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
    if _NESTED_FIRST.match(text):
        start = 0
    else:
        found = _NESTED.search(text)
        if found is None:
            return
        start = found.start() + 1
    raise MarkdownProblem(
        text.count("\n", 0, start) + 1,
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
        self.name = engine_name(options)

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


def engine_name(options: MarkdownOptions = DEFAULT_OPTIONS) -> str:
    """What shapes a body: the engines, the dialect, the rules after them (bump RULES when
    markdown.py, sanitizer.py, bodyhtml.py or highlight.py change what they write). Known
    without loading either engine: it keys the parse cache, and a build that parses nothing
    needs only the key."""
    return _name(options)


@lru_cache(maxsize=8)
def _name(options: MarkdownOptions) -> str:
    return (
        f"comrak {_version('comrak')}; markdown-it-py {_version('markdown-it-py')}; "
        f"Pygments {_version('Pygments') if options.highlight else '-'}; rules {RULES}; {options}"
    )


def _version(package: str) -> str:
    """An installed distribution's version. An installed wheel's metadata folder is named
    `<name>-<version>.dist-info` (name normalised to lowercase and underscores), so the first
    folder on sys.path holding exactly one for `package` answers from a listing;
    importlib.metadata (which imports email, zipfile and csv: about 10 ms of a no-op build's
    start) answers whatever else (an egg, a zip, two versions side by side)."""
    wanted = _normalized(package)
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except NotADirectoryError:  # a zip: importlib.metadata reads it
            break
        except OSError:
            continue
        found = []
        for name in names:
            if name.endswith(".dist-info"):
                dist, _, version = name.removesuffix(".dist-info").rpartition("-")
            elif name.endswith(".egg-info"):  # no version in the name: importlib.metadata's
                dist, version = name.removesuffix(".egg-info").split("-")[0], ""
            else:
                continue
            if _normalized(dist) == wanted:
                found.append(version)
        if len(found) == 1 and found[0]:
            return found[0]
        if found:
            break
    return _metadata_version(package)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_version(package: str) -> str:
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




class Renderer:
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
