"""The engine's state in this process, in one object: the body store of the site being built
and the job of the stage running now (parsing or rendering). Forked workers inherit it, which
is how they get the job without anything being sent to them. Nothing else in digest keeps
mutable state between calls (the `lru_cache`s of pure functions aside)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .store import BodyStore


@dataclass
class EngineState:
    """What one process keeps between the stages of a build."""

    bodies: BodyStore = field(default_factory=BodyStore)
    job: Any = None  # the running stage's job: set before forking, cleared after
    hook_counts: dict[str, int] = field(default_factory=dict)  # test hooks: points passed
    # message catalogs as read (read/locales.py), by catalog key: those kept in the cache
    # folder of the site in `catalogs_root`, and those this process read since
    catalogs: dict[str, Any] = field(default_factory=dict)
    catalogs_root: Any = None
    catalogs_saved: frozenset[str] = frozenset()


STATE = EngineState()


def use_store(store: BodyStore) -> None:
    """Read and write bodies through this store from now on (closing the previous one)."""
    if STATE.bodies is not store:
        STATE.bodies.close()
        STATE.bodies = store


def count(point: str) -> None:
    """Counts one passing of `point` (e.g. `load:record`: a file of the cache folder read) in
    STATE.hook_counts, where tests that build in their own process read it (testhooks.py).
    Always on: one dictionary update, at points passed a few times per build."""
    counts = STATE.hook_counts
    counts[point] = counts.get(point, 0) + 1
