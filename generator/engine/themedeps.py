"""Which parts of `site` each template can read, and which of its context variables it reads
an article's body through, found by reading the templates' syntax trees.

A page's fingerprint then includes only those parts: changing one article's tags changes the
tag counts in `site.tags`, and that should re-render the pages that show tag counts, not all
of them; editing one article's body should re-render its own page and the feeds, not every
list that shows its card. Whatever cannot be resolved statically (`site` passed around whole,
a template name computed at run time, an attribute named at run time, a body read through a
loop variable or a macro argument) counts as depending on everything, so the result is never
too small."""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes

from .. import __version__
from . import state

EVERYTHING: frozenset[str] = frozenset({"*"})
# what reads an article's body (`content` is the property that loads it)
BODY_ATTRS = frozenset({"content", "body_html", "body_key", "ref_urls", "fp"})
# filters that read an attribute named by an argument
_ATTR_FILTERS = frozenset(
    {"attr", "map", "selectattr", "rejectattr", "sort", "groupby", "sum", "unique", "min", "max", "dictsort"}
)


@dataclass(frozen=True)
class Dependencies:
    """What one template reads of the site and of bodies."""

    site: frozenset[str]  # `site` attributes read ("*": all of them)
    bodies: frozenset[str]  # context variables whose articles' bodies are read ("*": any)


# card_html() renders this template from Python, so template syntax does not show the link
_IMPLICIT = {"card_html": "partials/card.html"}


def _names(node: nodes.Node) -> list[nodes.Name]:
    """The Name nodes in `node`, itself included."""
    found = list(node.find_all(nodes.Name))
    return [node, *found] if isinstance(node, nodes.Name) else found


def _bodies(tree: nodes.Template) -> tuple[frozenset[str], frozenset[str]]:
    """(the free names a body is read through, the names `set` assigns). A read through a
    loop variable, a macro argument or anything but a plain name is "*"."""
    read: set[str] = set()
    assigned = {n.name for node in tree.find_all(nodes.Assign) for n in _names(node.target)}
    assigned |= {n.name for node in tree.find_all(nodes.AssignBlock) for n in _names(node.target)}
    assigned |= {node.target for node in tree.find_all(nodes.Import)}
    for node in tree.find_all(nodes.FromImport):
        assigned |= {name if isinstance(name, str) else name[1] for name in node.names}

    def walk(node: nodes.Node, bound: frozenset[str]) -> bool:
        """False: a body may be read through something not resolvable here."""
        if isinstance(node, nodes.For | nodes.Macro | nodes.CallBlock | nodes.With):
            bound = bound | {n.name for n in _names(node) if n.ctx in ("store", "param")}
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            if isinstance(node, nodes.Getattr):
                attr: object = node.attr
            elif isinstance(node.arg, nodes.Const):
                attr = node.arg.value
            elif isinstance(node.arg, nodes.Slice) or (
                isinstance(node.arg, nodes.Neg) and isinstance(node.arg.node, nodes.Const)
            ):
                attr = None  # a slice or a negative index reads no attribute
            else:  # obj[expr]: Jinja falls back to an attribute of that name
                return False
            if isinstance(attr, str) and (attr.startswith("_") or attr in BODY_ATTRS):
                target = node.node
                if attr.startswith("_") or not isinstance(target, nodes.Name) or target.name in bound:
                    return False
                read.add(target.name)
        if isinstance(node, nodes.Filter) and node.name in _ATTR_FILTERS:
            for arg in [*node.args, *(kw.value for kw in node.kwargs)]:
                if not isinstance(arg, nodes.Const):
                    return False
                if isinstance(arg.value, str) and arg.value.split(".")[0] in BODY_ATTRS:
                    return False
        return all(walk(child, bound) for child in node.iter_child_nodes())

    if not walk(tree, frozenset()):
        return EVERYTHING, frozenset(assigned)
    return frozenset(read), frozenset(assigned)


def _direct(
    env: jinja2.Environment, name: str
) -> tuple[frozenset[str], frozenset[str], frozenset[str], list[str | None]]:
    loader = env.loader
    assert loader is not None
    source, _, _ = loader.get_source(env, name)
    tree = env.parse(source)
    bodies, stored = _bodies(tree)
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
                return EVERYTHING, bodies, stored, []
            covered.add(id(target))
    for name_node in tree.find_all(nodes.Name):
        if name_node.name == "site" and id(name_node) not in covered:
            return EVERYTHING, bodies, stored, []
    referenced: list[str | None] = list(meta.find_referenced_templates(tree))
    for name_node in tree.find_all(nodes.Name):
        if name_node.name in _IMPLICIT:
            referenced.append(_IMPLICIT[name_node.name])
    return frozenset(attrs), bodies, stored, referenced


def site_dependencies(env: jinja2.Environment, names: set[str]) -> dict[str, Dependencies]:
    """Template name -> what it and everything it pulls in may read."""
    direct: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str], list[str | None]]] = {}

    def visit(name: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], list[str | None]]:
        if name not in direct:
            try:
                direct[name] = _direct(env, name)
            except jinja2.TemplateError:
                direct[name] = (EVERYTHING, EVERYTHING, frozenset(), [])  # reported when rendered
        return direct[name]

    result: dict[str, Dependencies] = {}
    for name in names:
        seen: set[str] = set()
        stack = [name]
        attrs: set[str] = set()
        bodies: set[str] = set()
        stored: set[str] = set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            found, read, assigned, referenced = visit(current)
            attrs |= found
            bodies |= read
            stored |= assigned
            for ref in referenced:
                if ref is None:  # a template name only known at run time
                    attrs |= EVERYTHING
                    bodies |= EVERYTHING
                else:
                    stack.append(ref)
        # a body read through a name some template `set`s may be any article's
        if bodies & stored:
            bodies = set(EVERYTHING)
        result[name] = Dependencies(
            EVERYTHING if "*" in attrs else frozenset(attrs),
            EVERYTHING if "*" in bodies else frozenset(bodies),
        )
    return result


def cached_dependencies(
    env: jinja2.Environment,
    names: set[str],
    path: Path,
    theme_key: str,
    kept: dict[Path, dict[str, Any]] | None = None,
) -> dict[str, Dependencies]:
    """`site_dependencies`, kept in the file `path` for as long as the theme's files (which
    `theme_key` fingerprints), digest and Jinja stay the same: parsing every template costs
    more than a small rebuild's rendering. `kept`: what this process last stored or loaded
    (a warm state's), read before the file."""
    key = hashlib.blake2b(
        repr((theme_key, sorted(names), __version__, jinja2.__version__)).encode(), digest_size=16
    ).hexdigest()
    stored = kept.get(path) if kept is not None else None
    if stored is None or stored.get("key") != key:
        stored = state.load(path, "templates").value
    if isinstance(stored, dict) and stored.get("key") == key and isinstance(stored.get("deps"), dict):
        if kept is not None:
            kept[path] = stored
        return dict(stored["deps"])
    deps = site_dependencies(env, names)
    with contextlib.suppress(OSError):  # only a shortcut for the next build
        state.save(path, "templates", {"key": key, "deps": deps})
        if kept is not None:
            kept[path] = {"key": key, "deps": dict(deps)}
    return deps
