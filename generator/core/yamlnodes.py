"""YAML read as a node tree, so every value keeps its line and the text the author wrote.

Working on nodes rather than on PyYAML's constructed objects is what keeps YAML 1.1's traps
away: `no` where a string is expected stays "no", `slug: 2024-05-01` stays that text, and a
date is parsed by our own rules. Aliases are followed under a node budget, so an alias bomb
is refused quickly instead of expanding. Hostile shapes are refused before any node is built:
more than NODE_BUDGET values, or nesting deeper than MAX_DEPTH (which would otherwise crash
the C composer, whose recursion has no limit).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # the C parser is several times faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

NODE_BUDGET = 100_000
MAX_DEPTH = 100
# below these, a document cannot be deep or large enough to need the event pre-scan
_SCAN_ABOVE_CHARS = 16_384
_SCAN_ABOVE_OPENERS = 64
STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"

_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def compose(text: str) -> Node | None:
    """Parse one YAML document into nodes; YamlProblem (with a 1-based line) if it is not YAML,
    or if it is too large or too deeply nested to be front matter or configuration."""
    try:
        if _may_be_hostile(text):
            _prescan(text)
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        # the context mark is where the broken construct began (an opening quote, say)
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark is not None else 1
        what = "; ".join(part for part in (exc.context, exc.problem) if part) or "malformed YAML"
        hint = "check quotes, colons and indentation"
        if _char_at(text, exc.problem_mark) == "\t":
            hint = "YAML does not allow tabs for indentation: use spaces"
        raise YamlProblem(line, f"invalid YAML: {what}; {hint}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. U+0007
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        message = f"invalid YAML: character U+{code:04X} is not allowed in YAML; remove it"
        raise YamlProblem(line, message) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"invalid YAML: {' '.join(str(exc).split())}") from None


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    line = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    return line[mark.column] if 0 <= mark.column < len(line) else ""


def _may_be_hostile(text: str) -> bool:
    """Cheap: only long documents or ones with many collection openers can nest deeply."""
    if len(text) > _SCAN_ABOVE_CHARS:
        return True
    openers = text.count("[") + text.count("{") + text.count("- ") + text.count("-\n") + text.count("? ")
    return openers > _SCAN_ABOVE_OPENERS


def _prescan(text: str) -> None:
    """Walk the parser's events (no nodes are built) and refuse a document with more than
    NODE_BUDGET values or deeper than MAX_DEPTH. The C composer recurses once per level of
    nesting with no limit, so `[[[[...` a hundred thousand deep would crash the process."""
    _check_depth(text)
    depth = 0
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(_event_line(event), f"YAML nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
            continue
        elif not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            continue
        count += 1
        if count > NODE_BUDGET:
            raise YamlProblem(_event_line(event), f"YAML too large: more than {NODE_BUDGET} values")


_OPENS_SCALAR = set(":-[{,? \t\n")  # a quote after one of these opens a quoted scalar
_STACKED = re.compile(r"(?:[-?][ \t]+)*")  # `- - - x`: one level a marker


def _check_depth(text: str) -> None:
    """Digest's own depth limit, read off the text before PyYAML sees it (PyYAML has limits
    of its own, at other depths and in other words): flow collections by their brackets, block
    collections by their indentation and by markers stacked on one line."""
    indents: list[int] = []
    flow = 0
    quote = ""
    for number, line in enumerate(text.split("\n"), start=1):
        if not quote and flow == 0:
            stripped = line.lstrip(" ")
            if stripped and not stripped.startswith("#"):
                indent = len(line) - len(stripped)
                while indents and indents[-1] >= indent:
                    indents.pop()
                indents.append(indent)
                markers = _STACKED.match(stripped)
                stacked = markers.group().count("-") + markers.group().count("?") if markers else 0
                if len(indents) + stacked > MAX_DEPTH:
                    raise YamlProblem(number, f"YAML nested more than {MAX_DEPTH} levels deep")
        previous = "\n"
        escaped = False
        for char in line:
            if quote:
                if escaped:
                    escaped = False
                elif char == "\\" and quote == '"':
                    escaped = True
                elif char == quote:
                    quote = ""
            elif char in "'\"" and previous in _OPENS_SCALAR:
                quote = char
            elif char == "#" and previous in " \t\n":
                break
            elif char in "[{":
                flow += 1
                if flow > MAX_DEPTH:
                    raise YamlProblem(number, f"YAML nested more than {MAX_DEPTH} levels deep")
            elif char in "]}":
                flow = max(0, flow - 1)
            previous = char


def _event_line(event: yaml.Event) -> int:
    mark = event.start_mark
    return int(mark.line) + 1 if mark is not None else 1


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG


def mapping_items(node: MappingNode) -> Iterator[tuple[str, Node, Node]]:
    """(key text, key node, value node) for each entry; keys are taken as written."""
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.value)
        yield str(key), key_node, value_node


def duplicate_keys(node: MappingNode) -> list[tuple[str, Node]]:
    seen: set[str] = set()
    dups: list[tuple[str, Node]] = []
    for key, key_node, _ in mapping_items(node):
        if key in seen:
            dups.append((key, key_node))
        seen.add(key)
    return dups


def scalar_text(node: Node) -> str | None:
    """The text of a scalar as written (so `no` is "no", `2024-05-01` is "2024-05-01")."""
    if isinstance(node, ScalarNode) and node.tag != NULL_TAG:
        return str(node.value)
    return None


def as_bool(node: Node) -> bool | None:
    if not isinstance(node, ScalarNode):
        return None
    if node.value in _TRUE or node.value in ("yes", "Yes", "on", "On"):
        return True
    if node.value in _FALSE or node.value in ("no", "No", "off", "Off"):
        return False
    return None


def as_int(node: Node) -> int | None:
    if isinstance(node, ScalarNode) and node.tag == INT_TAG and re.fullmatch(r"[-+]?\d+", node.value):
        return int(node.value)
    return None


def to_python(node: Node, budget: list[int] | None = None) -> Any:
    """Plain Python data for values we pass through (template `extra`): strings stay strings
    unless YAML 1.2 core would read them otherwise (true/false, numbers, null)."""
    if budget is None:
        budget = [NODE_BUDGET]
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlProblem(line_of(node), "YAML too large or too many aliases (alias bomb?)")
    if isinstance(node, ScalarNode):
        if node.style:  # quoted
            return node.value
        if node.tag == NULL_TAG:
            return None
        if node.tag == BOOL_TAG and (node.value in _TRUE or node.value in _FALSE):
            return node.value in _TRUE
        if node.tag == INT_TAG and re.fullmatch(r"[-+]?\d+", node.value):
            return int(node.value)
        if node.tag == FLOAT_TAG:
            try:
                return float(node.value)
            except ValueError:
                return node.value
        return node.value
    if isinstance(node, SequenceNode):
        return [to_python(item, budget) for item in node.value]
    if isinstance(node, MappingNode):
        return {key: to_python(value, budget) for key, _, value in mapping_items(node)}
    return None


def count_nodes(node: Node, limit: int = NODE_BUDGET) -> None:
    """Walk the tree as an expanded document would be walked; refuse past the budget."""
    budget = [limit]
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            raise YamlProblem(line_of(current), "YAML too large or too many aliases (alias bomb?)")
        if isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, MappingNode):
            for k, v in current.value:
                stack.append(k)
                stack.append(v)


def closest(name: str, known: list[str] | tuple[str, ...]) -> str | None:
    import difflib  # only when a key is misspelt

    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return match[0] if match else None


def suggest(name: str, known: list[str] | tuple[str, ...]) -> str:
    match = closest(name, known)
    return f" (did you mean '{match}'?)" if match else ""

