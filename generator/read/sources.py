"""sources.yaml: the registry of outlets, matched by name or alias."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics
from .names import Names, language_names
from .yamlfile import read_mapping

SOURCES_NAME = "sources.yaml"
_KEYS = ("url", "description", "country", "aliases", "domains", "names")


@dataclass(frozen=True)
class Outlet:
    """One outlet of sources.yaml."""

    name: str
    url: str = ""
    description: str = ""
    country: str = ""
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    names: Names = ()  # a multilingual site's: (language, its name in that language)


@dataclass(frozen=True)
class Registry:
    """sources.yaml: the outlets by name and alias."""

    exists: bool
    outlets: tuple[Outlet, ...] = ()

    def lookup(self, name: str) -> Outlet | None:
        key = name.casefold().strip()
        for outlet in self.outlets:
            if outlet.name.casefold() == key or key in (a.casefold() for a in outlet.aliases):
                return outlet
        for outlet in self.outlets:  # its name in another language (names:)
            if key in (n.casefold() for _, n in outlet.names):
                return outlet
        return None

    def names(self) -> list[str]:
        return [o.name for o in self.outlets] + [a for o in self.outlets for a in o.aliases]


def load_registry(root: Path, diags: Diagnostics) -> Registry:
    path = root / SOURCES_NAME
    if not path.is_file():
        return Registry(exists=False)
    node = read_mapping(path, diags, "must map outlet names to their details (url, description, ...)")
    if node is None:
        return Registry(exists=True)
    outlets = [o for o in (_outlet(path, n, k, v, diags) for n, k, v in yn.mapping_items(node)) if o]
    seen: dict[str, str] = {}
    for outlet in outlets:
        for name in (outlet.name, *outlet.aliases):
            other = seen.get(name.casefold())
            if other is not None and other != outlet.name:
                diags.error(path, 0, f"'{name}' names both '{other}' and '{outlet.name}'")
            seen[name.casefold()] = outlet.name
    return Registry(exists=True, outlets=tuple(outlets))


def _strings(node: Node) -> tuple[str, ...] | None:
    if isinstance(node, ScalarNode):
        text = yn.scalar_text(node)
        return (text,) if text else ()
    if isinstance(node, SequenceNode) and all(isinstance(n, ScalarNode) for n in node.value):
        return tuple(str(n.value) for n in node.value if yn.scalar_text(n))
    return None


def _outlet(path: Path, name: str, key_node: Node, node: Node, diags: Diagnostics) -> Outlet | None:
    if yn.is_null(node):
        return Outlet(name=name)
    if not isinstance(node, MappingNode):
        diags.error(path, yn.line_of(node), f"'{name}' must be a mapping (url, description, ...)")
        return None
    fields: dict[str, object] = {}
    for key, k_node, value in yn.mapping_items(node):
        line = yn.line_of(value)
        if key not in _KEYS:
            diags.warning(path, yn.line_of(k_node), f"unknown key '{key}'{yn.suggest(key, _KEYS)}")
            continue
        if key == "names":
            names = language_names(value, path, f"'{name}.names'", diags)
            if names is not None:
                fields[key] = names
            continue
        if key in ("aliases", "domains"):
            items = _strings(value)
            if items is None:
                diags.error(path, line, f"'{key}' must be a list of strings")
                continue
            fields[key] = items
            continue
        text = yn.scalar_text(value)
        if text is None:
            diags.error(path, line, f"'{key}' must be a string")
            continue
        if key == "url" and urlsplit(text).scheme not in ("http", "https"):
            diags.error(path, line, f"'url' must be an http(s) URL, not '{text}'")
            continue
        fields[key] = text
    return Outlet(name=name, **fields)  # type: ignore[arg-type]
