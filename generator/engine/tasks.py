"""Running tasks in this process, with the contract of workers.run_tasks (whose serial half
this is): a BaseException that is not an Exception (a panic in Rust code) is that task's
`Failed`; KeyboardInterrupt, SystemExit and Exceptions go on up. Apart from workers.py so that
a build with little to do (one edited file, a few pages) never imports multiprocessing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Failed:
    """A task without a result. When `ran`, `how` completes "the task ..." for a message:
    "crashed its worker process (killed by SIGSEGV)", "raised PanicException: ...". When not
    (too many workers had died before it was handed out), it says why: "digest stops after 8
    worker processes die"."""

    how: str
    ran: bool = True


def describe(exc: BaseException) -> str:
    """`Type: message` on one line, not too long for a message."""
    text = " ".join(str(exc).split())
    if len(text) > 200:
        text = text[:199] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def no_context(_: Sequence[object]) -> AbstractContextManager[object]:
    return contextlib.nullcontext()


def run_here(work: Callable[[T], R], task: T) -> R | Failed:
    try:
        return work(task)
    except (KeyboardInterrupt, SystemExit, Exception):
        raise
    except BaseException as exc:  # a panic in Rust code, say: this task's failure
        return Failed(f"raised {describe(exc)}")


def run_serially(
    tasks: Sequence[T],
    work: Callable[[T], R],
    around_chunk: Callable[[Sequence[T]], AbstractContextManager[object]] = no_context,
    progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], None] = lambda: None,
) -> list[R | Failed]:
    """`run_tasks(..., workers=0)`: every task here, in order, `around_chunk` around them all."""
    results: list[R | Failed] = []
    with around_chunk(tasks):
        for task in tasks:
            results.append(run_here(work, task))
            if progress is not None:
                progress(len(results))
    meanwhile()
    return results
