"""Code blocks highlighted at build time with Pygments: CSS classes, no JavaScript.

`code_block` rebuilds one `<pre><code class="language-X">` block of a rendered body (held
back from the sanitiser), `code_blocks` every block of an unsanitised body. A language
Pygments does not know stays plain text (no guessing, no error). The markup is made here from
the block's text, so it is trusted whoever wrote the block.
`stylesheet` gives the CSS of a light and a dark style, the dark one under
`prefers-color-scheme: dark`. Pygments is imported only when a body has a fenced language."""

from __future__ import annotations

import html as html_lib
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..read.dialect import DARK_STYLE, LIGHT_STYLE

if TYPE_CHECKING:
    from pygments.lexer import Lexer


@lru_cache(maxsize=256)
def _lexer(language: str) -> Lexer | None:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language.lower(), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=512)
def _css_class(token_type: object) -> str:
    from pygments.token import STANDARD_TYPES

    current = token_type
    while current not in STANDARD_TYPES:
        current = getattr(current, "parent", None)
        if current is None:
            return ""
    return STANDARD_TYPES[current]  # type: ignore[index]


def _spans(code: str, lexer: Lexer, line_numbers: bool) -> str:
    """The code as `<span class="k">…</span>` runs; with line numbers, each line is also a
    `<span class="line">` (the numbers come from CSS, so copying the code copies no numbers)."""
    lines: list[list[str]] = [[]]
    last = ""  # the open run's class: neighbours of one class share a span
    for token_type, value in lexer.get_tokens(code):
        css = _css_class(token_type)
        if css == "w":  # whitespace needs no colour
            css = ""
        for n, piece in enumerate(value.split("\n")):
            if n:
                lines.append([])
                last = ""
            if not piece:
                continue
            text = html_lib.escape(piece, quote=False)
            if css and css == last and lines[-1]:
                lines[-1][-1] = lines[-1][-1][: -len("</span>")] + text + "</span>"
            else:
                lines[-1].append(f'<span class="{css}">{text}</span>' if css else text)
            last = css
    if lines and not lines[-1]:
        lines.pop()  # the block's final newline
    if line_numbers:
        return "".join(f'<span class="line">{"".join(line)}</span>\n' for line in lines)
    return "".join("".join(line) + "\n" for line in lines)


# a block whose long lines scroll must be reachable by keyboard (WCAG 2.1.1; axe's
# scrollable-region-focusable), and no script may add that later
_FOCUS = ' tabindex="0"'
_HELD_BLOCK = re.compile(r'<pre><code(?: class="([^"]*)")?>(.*?)</code></pre>', re.S)


def code_block(held: str, highlight: bool, line_numbers: bool = False) -> str:
    """A `<pre><code>` block rebuilt from its text alone, so it is safe whoever wrote it (an
    author's raw `<pre><code>` may hold markup: it comes out as visible text), highlighted
    when its class names a language Pygments knows."""
    match = _HELD_BLOCK.fullmatch(held)
    if match is None:  # pragma: no cover - only what _HELD_BLOCK matched is held
        return html_lib.escape(held)
    classes = (match.group(1) or "").split()
    language = next((c.removeprefix("language-") for c in classes if c.startswith("language-")), "")
    language = re.sub(r"[^A-Za-z0-9_+#.-]", "", language)
    code = html_lib.unescape(match.group(2))
    lexer = _lexer(language) if highlight and language else None
    attr = f' class="language-{language}"' if language else ""
    if lexer is None:
        return f'<pre class="highlight"{_FOCUS}><code{attr}>{html_lib.escape(code, quote=False)}</code></pre>'
    numbered = " numbered" if line_numbers else ""
    body = _spans(code, lexer, line_numbers)
    return f'<pre class="highlight{numbered}"{_FOCUS}><code{attr}>{body}</code></pre>'


def code_blocks(html: str, highlight: bool, line_numbers: bool = False) -> str:
    """Every code block of unsanitised HTML (`sanitize_html: false`) made as code_block makes
    the ones held back from the sanitiser."""
    if "<pre><code" not in html:
        return html
    return _HELD_BLOCK.sub(lambda m: code_block(m.group(0), highlight, line_numbers), html)


def stylesheet(light: str = LIGHT_STYLE, dark: str = DARK_STYLE) -> str:
    """CSS for `pre.highlight` blocks: the light style, then the dark one for dark schemes."""
    from pygments.formatters import HtmlFormatter

    # `pre.highlight` outranks the theme's `.prose pre` when linked after it
    light_css = str(HtmlFormatter(style=light).get_style_defs("pre.highlight"))  # type: ignore[no-untyped-call]
    dark_css = str(HtmlFormatter(style=dark).get_style_defs("pre.highlight"))  # type: ignore[no-untyped-call]
    indented = "\n".join("  " + line for line in dark_css.splitlines())
    return f"{light_css}\n@media (prefers-color-scheme: dark) {{\n{indented}\n}}\n"


def style_exists(name: str) -> bool:
    from pygments.styles import get_all_styles

    return name in set(get_all_styles())
