"""The Markdown dialect a site writes in: digest.yaml's `markdown:` and `highlight:` keys.

    markdown: {autolinks: true, footnotes: true, tasklists: true, alerts: true,
               heading_ids: true, tables: true, strikethrough: true}
    highlight: {style: xcode, dark_style: lightbulb, line_numbers: false}   # or false

Everything is on by default (GitHub's dialect); each key may be turned off."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics

LIGHT_STYLE = "xcode"  # both meet WCAG AA (4.5:1) for every token colour on their background
DARK_STYLE = "lightbulb"


@dataclass(frozen=True)
class MarkdownOptions:
    """The Markdown extensions the site turns on."""

    tables: bool = True
    strikethrough: bool = True
    autolinks: bool = True
    tasklists: bool = True
    footnotes: bool = True
    alerts: bool = True
    heading_ids: bool = True
    highlight: bool = True
    line_numbers: bool = False


MARKDOWN_KEYS = tuple(f.name for f in fields(MarkdownOptions) if f.name not in ("highlight", "line_numbers"))
HIGHLIGHT_KEYS = ("style", "dark_style", "line_numbers")


def check_markdown(value: Node, path: Path, line: int, diags: Diagnostics) -> dict[str, bool] | None:
    """`markdown:` as MarkdownOptions fields, or None (errors reported)."""
    if not isinstance(value, MappingNode):
        diags.error(path, line, "'markdown' must be a mapping such as {footnotes: false}")
        return None
    out: dict[str, bool] = {}
    for key, key_node, sub in yn.mapping_items(value):
        if key not in MARKDOWN_KEYS:
            hint = yn.suggest(key, MARKDOWN_KEYS)
            diags.error(path, yn.line_of(key_node), f"unknown key 'markdown.{key}'{hint}")
            continue
        flag = yn.as_bool(sub)
        if flag is None:
            diags.error(path, yn.line_of(sub), f"'markdown.{key}' must be true or false")
            continue
        out[key] = flag
    return out


def check_highlight(value: Node, path: Path, line: int, diags: Diagnostics) -> dict[str, Any] | None:
    """`highlight:` (false, or a mapping of style, dark_style, line_numbers) as SiteConfig
    values, or None (errors reported). A style must be one Pygments knows."""
    flag = yn.as_bool(value)
    if flag is not None:
        return {"highlight": flag}
    if not isinstance(value, MappingNode):
        diags.error(path, line, "'highlight' must be false or a mapping such as {style: xcode}")
        return None
    out: dict[str, Any] = {}
    for key, key_node, sub in yn.mapping_items(value):
        sub_line = yn.line_of(sub)
        if key not in HIGHLIGHT_KEYS:
            hint = yn.suggest(key, HIGHLIGHT_KEYS)
            diags.error(path, yn.line_of(key_node), f"unknown key 'highlight.{key}'{hint}")
        elif key == "line_numbers":
            number_flag = yn.as_bool(sub)
            if number_flag is None:
                diags.error(path, sub_line, "'highlight.line_numbers' must be true or false")
            else:
                out["line_numbers"] = number_flag
        else:
            name = yn.scalar_text(sub)
            styles = _styles()
            if name is None or name not in styles:
                hint = yn.suggest(name or "", styles) if name else ""
                message = f"'highlight.{key}' must be a Pygments style such as {LIGHT_STYLE}{hint}"
                diags.error(path, sub_line, message)
            else:
                out[key] = name
    return out


def _styles() -> list[str]:
    from pygments.styles import get_all_styles

    return sorted(get_all_styles())
