"""digest.yaml's `publish:` section: each target's type and the keys that type takes, checked
when the config is read. What only a publish can find out (a remote that does not exist) is
publish/'s."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics

PUBLISH_TYPES = ("git", "s3", "dir")
_PUBLISH_KEYS = {
    "git": {"type", "remote", "branch", "cname", "message"},
    "s3": {"type", "bucket", "prefix", "region", "endpoint_url", "profile", "cache_control", "path_style"},
    "dir": {"type", "path"},
}


def check_publish(value: Node, path: Path, line: int, diags: Diagnostics) -> dict[str, Any] | None:
    def check_value(key: str, node: Node) -> tuple[str, Any]:
        """(problem, value): the value as written (strings stay strings), or a problem to report."""
        if key == "path_style":
            flag = yn.as_bool(node)
            return ("", flag) if flag is not None else ("'path_style' must be true or false", None)
        if key == "cache_control":
            if not isinstance(node, MappingNode):
                example = '{"static/*": "public, max-age=604800"}'
                return f"'cache_control' must map file patterns to Cache-Control values, e.g. {example}", None
            rules: dict[str, str] = {}
            for pattern, _, rule in yn.mapping_items(node):
                text = yn.scalar_text(rule)
                if text is None or not text.strip():
                    return f"'cache_control' value for '{pattern}' must be a Cache-Control string", None
                rules[pattern] = text.strip()
            return "", rules
        text = yn.scalar_text(node)
        if text is None:
            return f"'{key}' must be a string", None
        text = text.strip()
        if key == "endpoint_url" and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", text):
            return f"'endpoint_url' must be an http(s) URL such as https://s3.example.com, not '{text}'", None
        if key == "cname" and not re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*", text):
            return f"'cname' must be a bare host name such as news.example.org, not '{text}'", None
        return "", text

    if not isinstance(value, MappingNode):
        diags.error(path, line, "'publish' must be a mapping of target names to targets")
        return None
    targets: dict[str, Any] = {}
    for name, _, target in yn.mapping_items(value):
        t_line = yn.line_of(target)
        if not isinstance(target, MappingNode):
            diags.error(path, t_line, f"publish target '{name}' must be a mapping with a 'type'")
            continue
        kind = yn.to_python(target).get("type")
        if kind not in PUBLISH_TYPES:
            diags.error(path, t_line, f"publish target '{name}': 'type' must be one of git, s3, dir")
            continue
        data: dict[str, Any] = {"type": kind}
        for sub, sub_key, sub_value in yn.mapping_items(target):
            if sub == "type":
                continue
            if sub not in _PUBLISH_KEYS[kind]:
                hint = yn.suggest(sub, sorted(_PUBLISH_KEYS[kind]))
                diags.error(path, yn.line_of(sub_key), f"publish target '{name}': unknown key '{sub}'{hint}")
                continue
            problem, checked = check_value(sub, sub_value)
            if problem:
                diags.error(path, yn.line_of(sub_value), f"publish target '{name}': {problem}")
            elif checked is not None:
                data[sub] = checked
        if kind == "s3" and not data.get("bucket"):
            diags.error(path, t_line, f"publish target '{name}': 'bucket' is required")
        if kind == "dir" and not data.get("path"):
            diags.error(path, t_line, f"publish target '{name}': 'path' is required")
        targets[name] = data
    return targets

