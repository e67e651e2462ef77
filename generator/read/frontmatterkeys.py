"""The front-matter keys digest reads itself, and digest.yaml's `front_matter:` section, which
names the other keys a site keeps on purpose (Jekyll's layout, Hugo's categories): parse/ warns
about an unknown key unless the site lists it there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics

KNOWN_KEYS = (
    "title",
    "date",
    "source",
    "source_url",
    "via",
    "author",
    "tags",
    "summary",
    "story",
    "slug",
    "draft",
    "updated",
    "lang",
    "image",
    "aliases",
    "extra",
    "translation_key",
)
FRONT_MATTER_KEYS = ("ignore",)


def check_front_matter(value: Node, path: Path, line: int, diags: Diagnostics) -> dict[str, Any] | None:
    """front_matter: {ignore: [categories, layout]}: keys articles may carry without a warning."""
    if not isinstance(value, MappingNode):
        diags.error(path, line, "'front_matter' must be a mapping such as {ignore: [categories, layout]}")
        return None
    out: dict[str, Any] = {}
    for sub, sub_key, sub_value in yn.mapping_items(value):
        if sub not in FRONT_MATTER_KEYS:
            hint = yn.suggest(sub, FRONT_MATTER_KEYS)
            diags.error(path, yn.line_of(sub_key), f"unknown key 'front_matter.{sub}'{hint}")
            continue
        if not isinstance(sub_value, SequenceNode):
            diags.error(
                path,
                yn.line_of(sub_value),
                "'front_matter.ignore' must be a list of front-matter keys such as [categories, layout]",
            )
            continue
        keys: list[str] = []
        for item in sub_value.value:
            text = yn.scalar_text(item) if isinstance(item, ScalarNode) else None
            if text is None or not text.strip():
                diags.error(path, yn.line_of(item), "each entry of 'front_matter.ignore' must be a key name")
            elif text.strip() in KNOWN_KEYS:
                diags.error(
                    path,
                    yn.line_of(item),
                    f"'front_matter.ignore' lists '{text.strip()}', which digest reads itself; remove it",
                )
            elif text.strip() not in keys:
                keys.append(text.strip())
        out[sub] = tuple(keys)
    return out

