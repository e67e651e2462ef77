"""Display names in other languages: tags.yaml (a tag's key -> its name per language) and the
`names:` of an outlet in sources.yaml. A multilingual site shows a tag or an outlet under one
key (/ru/tags/army/ beside /tags/army/) and, in each language, by its name in that language.

```yaml
# tags.yaml
army: {ru: Армия, uk: Армія, ar: الجيش}
```"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, Node

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics
from ..core.langtags import normalize_lang
from ..core.urls import slugify
from .yamlfile import read_mapping

TAGS_NAME = "tags.yaml"
Names = tuple[tuple[str, str], ...]  # (language, name), in the order written


def language_names(node: Node, path: Path, what: str, diags: Diagnostics) -> Names | None:
    """{ru: Армия, uk: Армія} -> (("ru", "Армия"), ("uk", "Армія")); None after an error."""
    if not isinstance(node, MappingNode):
        diags.error(path, yn.line_of(node), f"{what} must map language codes to names ({{ru: Армия}})")
        return None
    out: list[tuple[str, str]] = []
    for written, key_node, value in yn.mapping_items(node):
        code = normalize_lang(written)
        text = yn.scalar_text(value)
        if code is None:
            diags.error(path, yn.line_of(key_node), f"'{written}' in {what} is not a language tag such as ru")
        elif not text or not text.strip():
            diags.error(path, yn.line_of(value), f"{what}: '{written}' must be a name")
        else:
            out.append((code, text.strip()))
    return tuple(out)


def load_tag_names(root: Path, diags: Diagnostics) -> dict[str, Names]:
    """tags.yaml: a tag's slug -> its names per language ({} when there is no file)."""
    path = root / TAGS_NAME
    if not path.is_file():
        return {}
    node = read_mapping(path, diags, "must map tags to their names per language (army: {ru: Армия})")
    if node is None:
        return {}
    out: dict[str, Names] = {}
    for tag, _, value in yn.mapping_items(node):
        names = language_names(value, path, f"'{tag}'", diags)
        if names is not None:
            out[slugify(tag)] = names
    return out
