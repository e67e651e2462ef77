"""stories.yaml (optional): a title and a description for stories, keyed as articles name them.

```yaml
russian-refuseniks:
  title: Russian servicemen who refuse to fight
  description: Soldiers and guardsmen who will not go to Ukraine, and the courts that judge them.
```

A story without an entry takes its earliest article's title."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics
from ..core.urls import slugify
from .yamlfile import read_mapping

STORIES_NAME = "stories.yaml"
_KEYS = ("title", "description")


@dataclass(frozen=True)
class StoryInfo:
    """One story of stories.yaml."""

    key: str  # the slug articles use in `story:`
    title: str = ""
    description: str = ""
    line: int = 0  # where the entry is, for messages


@dataclass(frozen=True)
class StoryRegistry:
    """stories.yaml: the stories by key."""

    exists: bool
    stories: tuple[StoryInfo, ...] = ()

    def lookup(self, key: str) -> StoryInfo | None:
        for info in self.stories:
            if info.key == key:
                return info
        return None

    def as_dict(self) -> dict[str, StoryInfo]:
        return {info.key: info for info in self.stories}


def load_stories(root: Path, diags: Diagnostics) -> StoryRegistry:
    path = root / STORIES_NAME
    if not path.is_file():
        return StoryRegistry(exists=False)
    node = read_mapping(path, diags, "must map story keys to their title and description")
    if node is None:
        return StoryRegistry(exists=True)
    for key, key_node in yn.duplicate_keys(node):
        diags.error(path, yn.line_of(key_node), f"story '{key}' is given twice")
    found: dict[str, StoryInfo] = {}
    for name, key_node, value in yn.mapping_items(node):
        line = yn.line_of(key_node)
        key = slugify(name)
        if not any(ch.isalnum() for ch in name):
            diags.error(path, line, "a story key must have letters or digits")
            continue
        if key in found:
            diags.error(path, line, f"story '{name}' gives the same key '{key}' as an entry above")
            continue
        if yn.is_null(value):
            found[key] = StoryInfo(key, line=line)
            continue
        if not isinstance(value, MappingNode):
            diags.error(path, yn.line_of(value), f"story '{name}' must be a mapping (title, description)")
            continue
        fields: dict[str, str] = {}
        for sub, sub_key, sub_value in yn.mapping_items(value):
            if sub not in _KEYS:
                diags.warning(path, yn.line_of(sub_key), f"unknown key '{sub}'{yn.suggest(sub, _KEYS)}")
                continue
            written = yn.scalar_text(sub_value)
            if written is None:
                diags.error(path, yn.line_of(sub_value), f"'{sub}' of story '{name}' must be a string")
                continue
            fields[sub] = " ".join(written.split())
        found[key] = StoryInfo(key, fields.get("title", ""), fields.get("description", ""), line)
    return StoryRegistry(exists=True, stories=tuple(found.values()))
