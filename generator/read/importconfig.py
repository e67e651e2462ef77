"""digest.yaml's `import:` section: what `digest import` needs from the site beyond the rest of
the configuration (the extra clutter lines it drops)."""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, Node, SequenceNode

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics


def check_import(value: Node, path: Path, line: int, diags: Diagnostics) -> tuple[str, ...] | None:
    """import: {drop_lines: ["Listen to this article", "Sponsored by *"]}: whole lines
    `digest import` drops, compared without case or end punctuation; `*` is any text."""
    if not isinstance(value, MappingNode):
        diags.error(path, line, "'import' must be a mapping such as {drop_lines: [\"Sponsored by *\"]}")
        return None
    lines: tuple[str, ...] = ()
    for sub, sub_key, sub_value in yn.mapping_items(value):
        if sub != "drop_lines":
            hint = yn.suggest(sub, ["drop_lines"])
            diags.error(path, yn.line_of(sub_key), f"unknown key 'import.{sub}'{hint}")
            continue
        if not isinstance(sub_value, SequenceNode):
            diags.error(path, yn.line_of(sub_value), "'import.drop_lines' must be a list of lines, such as "
                        "[\"Listen to this article\", \"Sponsored by *\"]")
            continue
        kept = []
        for item in sub_value.value:
            text = yn.scalar_text(item)
            if text is None or not text.strip() or not text.strip().strip("*").strip():
                diags.error(path, yn.line_of(item), "each of 'import.drop_lines' must be a line of text "
                            "(`*` matches any text, but not alone)")
                continue
            kept.append(text.strip())
        lines = tuple(kept)
    return lines
