"""A small YAML file of the site (sources.yaml, stories.yaml, digest.yaml when publishing) read
into a node tree whose values keep their lines; problems reported where they are."""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics


def read_mapping(path: Path, diags: Diagnostics, shape: str) -> MappingNode | None:
    """The top-level mapping of a small YAML file (sources.yaml, stories.yaml), or None when it
    is empty or broken; problems are reported with their line. `shape` says what it must be."""
    try:
        node = yn.compose(path.read_text(encoding="utf-8-sig"))
        if node is not None:
            yn.count_nodes(node)
    except (OSError, UnicodeDecodeError) as exc:
        diags.error(path, 0, f"cannot read it: {exc}")
        return None
    except yn.YamlProblem as exc:
        diags.error(path, exc.line, exc.message)
        return None
    if node is None:
        return None
    if not isinstance(node, MappingNode):
        diags.error(path, yn.line_of(node), shape)
        return None
    return node
