"""Choosing a publish target from digest.yaml, and locating a target's problems in that file.
read/publishtargets.py validates the shape of every target; what only a publish can find out
(a remote that does not exist, a folder that is a file) is reported here, at the target's line."""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics
from ..read.config import CONFIG_NAME, SiteConfig
from ..read.yamlfile import read_mapping
from .plan import PublishError


def target_line(site: Path, name: str) -> int:
    """The line of `name:` under `publish:` in digest.yaml, or 0 when it cannot be found."""
    # load_config has reported whatever is wrong with the file: nothing to add here
    root = read_mapping(site / CONFIG_NAME, Diagnostics(), "")
    if root is None:
        return 0
    for key, _, value in yn.mapping_items(root):
        if key == "publish" and isinstance(value, MappingNode):
            for target, target_key, _ in yn.mapping_items(value):
                if target == name:
                    return yn.line_of(target_key)
    return 0


def target_problem(site: Path, name: str, message: str) -> PublishError:
    line = target_line(site, name)
    where = f"{CONFIG_NAME}:{line}" if line else CONFIG_NAME
    return PublishError(f"publish target '{name}': {message}", exit_code=2, where=where)


def choose_target(config: SiteConfig, wanted: str | None) -> str:
    names = list(config.publish)
    if not names:
        raise PublishError(
            f"{CONFIG_NAME} has no publish targets; add one, e.g.\n"
            "publish:\n  www: {type: dir, path: /srv/www/digest}",
            exit_code=2,
        )
    listed = ", ".join(names)
    if wanted is None:
        if len(names) == 1:
            return names[0]
        raise PublishError(f"name the target to publish to (digest publish NAME): {listed}", exit_code=2)
    if wanted not in config.publish:
        hint = yn.suggest(wanted, names)
        raise PublishError(
            f"no publish target '{wanted}' in {CONFIG_NAME}{hint}; its targets: {listed}", exit_code=2
        )
    return wanted
