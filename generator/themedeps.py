"""Which parts of `site` each template can read, found by reading the templates' syntax trees.

A page's fingerprint then includes only those parts: changing one article's tags changes the
tag counts in `site.tags`, and that should re-render the pages that show tag counts, not all
of them. Whatever cannot be resolved statically (`site` passed around whole, a template name
computed at run time) counts as depending on everything, so the result is never too small."""

from __future__ import annotations

import jinja2
from jinja2 import meta, nodes

EVERYTHING: frozenset[str] = frozenset({"*"})
# card_html() renders this template from Python, so template syntax does not show the link
_IMPLICIT = {"card_html": "partials/card.html"}


def _direct(env: jinja2.Environment, name: str) -> tuple[frozenset[str], list[str | None]]:
    loader = env.loader
    assert loader is not None
    source, _, _ = loader.get_source(env, name)
    tree = env.parse(source)
    attrs: set[str] = set()
    covered: set[int] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, nodes.Getattr | nodes.Getitem)
        target = node.node
        if isinstance(target, nodes.Name) and target.name == "site":
            key = node.arg if isinstance(node, nodes.Getitem) else None
            if isinstance(node, nodes.Getattr):
                attrs.add(node.attr)
            elif isinstance(key, nodes.Const) and isinstance(key.value, str):
                attrs.add(key.value)
            else:
                return EVERYTHING, []
            covered.add(id(target))
    for name_node in tree.find_all(nodes.Name):
        if name_node.name == "site" and id(name_node) not in covered:
            return EVERYTHING, []
    referenced: list[str | None] = list(meta.find_referenced_templates(tree))
    for name_node in tree.find_all(nodes.Name):
        if name_node.name in _IMPLICIT:
            referenced.append(_IMPLICIT[name_node.name])
    return frozenset(attrs), referenced


def site_dependencies(env: jinja2.Environment, names: set[str]) -> dict[str, frozenset[str]]:
    """Template name -> the `site` attributes it and everything it pulls in may read."""
    direct: dict[str, tuple[frozenset[str], list[str | None]]] = {}

    def visit(name: str) -> tuple[frozenset[str], list[str | None]]:
        if name not in direct:
            try:
                direct[name] = _direct(env, name)
            except jinja2.TemplateError:
                direct[name] = (EVERYTHING, [])  # reported when the page is rendered
        return direct[name]

    result: dict[str, frozenset[str]] = {}
    for name in names:
        seen: set[str] = set()
        stack = [name]
        attrs: set[str] = set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            found, referenced = visit(current)
            attrs |= found
            for ref in referenced:
                if ref is None:  # a template name only known at run time
                    attrs |= EVERYTHING
                else:
                    stack.append(ref)
        result[name] = EVERYTHING if "*" in attrs else frozenset(attrs)
    return result
