"""The one build(): read -> parse -> select -> index -> plan -> render and write. Everything calls
it: `digest build`, `digest check` (which renders into memory and checks links instead of
writing), `digest serve` on every change, and `digest publish` before it uploads."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from dataclasses import replace

from .core.diagnostics import Diagnostics
from .engine import stages
from .engine.context import BuildContext, BuildOptions, BuildResult, Progress
from .engine.process import STATE
from .engine.warm import WarmState

__all__ = ["STAGES", "BuildOptions", "BuildResult", "Progress", "WarmState", "available_cores", "build"]

# (the group of stages `-v` times it in, the stage); any stage may end the build
STAGES: tuple[tuple[str, Callable[[BuildContext], None]], ...] = (
    ("read and parse", stages.read_inputs),
    ("read and parse", stages.parse_files),
    ("read and parse", stages.select_articles),
    ("read and parse", stages.check_site),
    ("read and parse", stages.compare_with_last_build),
    ("index and plan", stages.index_site),
    ("index and plan", stages.plan_site),
    ("render and write", stages.render_and_write),
    ("render and write", stages.remember),
    ("render and write", stages.check_links),
)


def build(
    options: BuildOptions, progress: Progress | None = None, warm: WarmState | None = None
) -> BuildResult:
    """`warm`: what the last build in this process saved (digest serve keeps one between its
    builds); the build takes it instead of loading it from the cache folder, and refreshes it."""
    if options.jobs <= 0:
        options = replace(options, jobs=available_cores())
    root = options.site_dir.resolve()
    ctx = BuildContext(options, root, progress, BuildResult(Diagnostics(root=root)), warm=warm)
    loads_before = _loads()
    # a build allocates a great many long-lived objects and frees few: the cyclic collector
    # would only rescan them over and over (render_and_write turns it on for its own garbage)
    gc.disable()
    held = warm.held() if warm is not None else ()
    try:
        for group, stage in STAGES:
            with ctx.timed(group):
                stage(ctx)
            if ctx.done:
                break
        if warm is not None and warm.unsaved is not None:  # serve's: left to the end
            with ctx.timed("render and write"):
                stages.save_parsed(ctx)
    except BaseException:
        if warm is not None:  # stopped anywhere: what it holds may be half updated
            warm.clear()
        raise
    finally:
        gc.unfreeze()
        gc.enable()
        del held  # the last build's objects this one replaced are freed now
    if warm is not None:
        warm.builds += 1
        if not ctx.result.ok:
            # the related articles' memory may hold a computation that was not saved (when the
            # build got as far as index_site); the parse cache and the records are only ever
            # replaced by what was saved
            if ctx.memory is not None:
                warm.memory = None
            # and the kept selection may be newer than the kept plan (bodyedits.py): the next
            # build selects afresh
            warm.selected = None
    ctx.result.loaded = _loads() - loads_before
    ctx.result.seconds = time.perf_counter() - ctx.started
    return ctx.result


def _loads() -> int:
    return sum(n for point, n in STATE.hook_counts.items() if point.startswith("load:"))


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - platforms without affinity
