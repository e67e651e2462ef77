"""Pelican's settings files read without running them: top-level assignments whose values are
literals, earlier settings, `+` of those, or `a if COND else b` with a known COND. Anything
else (os.environ, function calls) is left unknown, never executed."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

_UNKNOWN = object()


def read_settings(path: Path) -> tuple[dict[str, Any], str | None]:
    """(settings, problem): the problem is a located message when the file cannot be parsed."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        tree = ast.parse(text, filename=str(path))
    except (OSError, SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        return {}, f"{path.name}:{line}: cannot read the settings ({type(exc).__name__}); defaults used"
    known: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = _eval(node.value, known)
            if value is not _UNKNOWN:
                known[node.targets[0].id] = value
    return known, None


def _eval(node: ast.expr, known: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return known.get(node.id, _UNKNOWN)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = [_eval(e, known) for e in node.elts]
        if any(i is _UNKNOWN for i in items):
            return _UNKNOWN
        return list(items) if not isinstance(node, ast.Tuple) else tuple(items)
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values, strict=True):
            key = _eval(k, known) if k is not None else _UNKNOWN
            value = _eval(v, known)
            if key is _UNKNOWN or value is _UNKNOWN:
                return _UNKNOWN
            try:
                out[key] = value
            except TypeError:
                return _UNKNOWN
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _eval(node.left, known), _eval(node.right, known)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        try:
            return left + right
        except TypeError:
            return _UNKNOWN
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        value = _eval(node.operand, known)
        return _UNKNOWN if value is _UNKNOWN else not value
    if isinstance(node, ast.IfExp):
        test = _eval(node.test, known)
        if test is _UNKNOWN:
            return _UNKNOWN
        return _eval(node.body if test else node.orelse, known)
    return _UNKNOWN
