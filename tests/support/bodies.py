"""One article body rendered as the parse stage renders it (generator.parse.markdown.render), for the
unit tests of the Markdown dialect, the body rules (bodyhtml) and highlighting."""

from __future__ import annotations

from typing import Any

from generator.parse.markdown import MarkdownOptions, render

ARGS: dict[str, Any] = {
    "article_path": "2022/a.md",
    "base_path": "/",
    "body_line": 10,
    "summary_text": "",
    "sanitize_html": True,
}


def html(text: str, **options: bool) -> str:
    """The body's HTML, with these `markdown:` options (all on by default)."""
    return render(text, **ARGS, options=MarkdownOptions(**options)).content
