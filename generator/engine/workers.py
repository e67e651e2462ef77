"""A crash-safe pool of forked worker processes, for the parse and render stages.

The contract of `run_tasks(tasks, work, workers=N, ...)`:

- Every task gets exactly one entry in the returned list, in the tasks' order: what `work`
  returned for it, or a `Failed` saying why there is no result. A task is never lost and the
  call never waits forever: a worker that dies (SIGKILL, the OOM killer, a segfault in C or Rust
  code, `os._exit`) is noticed at once, the task it held is `Failed` with how the worker died,
  a new worker is forked, and the other tasks go on, so that every crashing task of a run is
  reported. After `MAX_DEATHS` deaths no worker is forked again and the tasks not yet handed
  out are `Failed` with `ran=False`.
- A BaseException that is not an Exception (pyo3's PanicException, SystemExit from a library)
  raised by `work` is that task's `Failed`, in a worker and in this process alike, except that
  KeyboardInterrupt and SystemExit raised in this process go on up. An Exception raised by
  `work` is raised again here (in a worker it is sent back), as a plain call would raise it.
- Workers are forked, so they inherit the tasks, `work` and everything the parent built
  before: only task indices go to a worker and only results come back. Each has its own
  duplex pipe; the parent hands one chunk of task indices at a time to an idle worker, and the
  worker notes the index of the task it is about to run in a slot of shared memory, so a death
  is blamed on exactly the task being run. The parent waits on the pipes and the processes'
  sentinels together. The tasks of a dead worker's chunk other than the one it died on are
  handed out again (their results died with it).
- `workers=0` runs everything here. With `parent_every=n`, the parent itself runs every n-th
  chunk while the workers run the rest, and `meanwhile` runs once its share is done.
- In workers, Ctrl-C is ignored (it is the parent's to handle) and SIGTERM kills. Every worker
  is ended and reaped before `run_tasks` returns or raises (Ctrl-C and exceptions from
  `progress` included), so a long-lived process (`digest serve`) leaks none.

A crash in the parent's own share cannot be reported: the process itself is gone (the output
is then left as a killed build leaves it: untouched)."""

from __future__ import annotations

import contextlib
import mmap
import multiprocessing
import os
import pickle
import signal
import struct
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Generic, TypeVar

from .tasks import Failed, describe, no_context, run_here, run_serially

T = TypeVar("T")
R = TypeVar("R")

MAX_DEATHS = 8  # workers that may die in one run before no new one is forked
_SLOT = struct.Struct("q")  # per worker: the index of the task it is running, or -1
_JOIN_SECONDS = 5.0
_BROKEN = 70  # a worker's exit code when its own loop (not a task) failed


@dataclass(frozen=True)
class _Raised:
    """An Exception raised by a task in a worker, sent back to be raised in the parent."""

    exc: Exception


@dataclass
class _Worker:
    """One worker process and the tasks it holds."""

    process: BaseProcess
    conn: Connection
    chunk: list[int] | None = None  # the task indices it holds; None: idle


def worker_signals() -> None:
    """In a worker: Ctrl-C is the parent's to handle, and SIGTERM (the pool ending) must kill
    at once. Whatever handlers the parent had (serve's) must not be inherited: a worker would
    run them instead of ending, and the parent would wait for it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def death(exitcode: int | None) -> str:
    """How a worker process ended, from its exit code."""
    if exitcode is None:
        return "stopped answering"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"killed by {name}" + (", maybe for lack of memory" if name == "SIGKILL" else "")
    return f"exited with code {exitcode}"


def run_tasks(
    tasks: Sequence[T],
    work: Callable[[T], R],
    *,
    workers: int,
    chunk_size: int = 8,
    parent_every: int = 0,
    around_chunk: Callable[[Sequence[T]], AbstractContextManager[object]] = no_context,
    progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], None] = lambda: None,
    max_deaths: int = MAX_DEATHS,
) -> list[R | Failed]:
    """`work(task)` for every task, in order, on `workers` forked processes (see the module's
    docstring). `around_chunk(tasks)` is entered around each chunk a process runs (around all
    of them when `workers` is 0); `progress(n)` is told how many tasks are done so far."""
    if workers <= 0 or not tasks:
        return run_serially(tasks, work, around_chunk, progress, meanwhile)
    pool = _Pool(tasks, work, workers, around_chunk, max_deaths)
    return pool.run(max(1, chunk_size), parent_every, progress, meanwhile)


class _Pool(Generic[T, R]):
    def __init__(
        self,
        tasks: Sequence[T],
        work: Callable[[T], R],
        size: int,
        around_chunk: Callable[[Sequence[T]], AbstractContextManager[object]],
        max_deaths: int,
    ) -> None:
        self.tasks = tasks
        self.work = work
        self.around_chunk = around_chunk
        self.max_deaths = max_deaths
        self.context = multiprocessing.get_context("fork")
        self.slots = mmap.mmap(-1, _SLOT.size * size)  # shared with every worker forked
        self.workers: list[_Worker | None] = [None] * size
        self.queue: deque[list[int]] = deque()
        self.results: dict[int, R | Failed] = {}
        self.deaths = 0
        self.done = 0
        self.progress: Callable[[int], None] | None = None

    # --- the parent ---------------------------------------------------------------------------

    def run(
        self,
        chunk_size: int,
        parent_every: int,
        progress: Callable[[int], None] | None,
        meanwhile: Callable[[], None],
    ) -> list[R | Failed]:
        self.progress = progress
        indices = list(range(len(self.tasks)))
        chunks = [indices[i : i + chunk_size] for i in range(0, len(indices), chunk_size)]
        mine = [c for n, c in enumerate(chunks) if parent_every and n % parent_every == 0]
        self.queue.extend(c for n, c in enumerate(chunks) if not (parent_every and n % parent_every == 0))
        ok = False
        try:
            self._dispatch()
            for chunk in mine:
                with self.around_chunk([self.tasks[i] for i in chunk]):
                    for i in chunk:
                        self.results[i] = run_here(self.work, self.tasks[i])
                        # no fork in here: a new worker would inherit what around_chunk opened
                        self._service(timeout=0, fork=False)
                self._count(len(chunk))
                self._dispatch()
            meanwhile()
            while self.queue or self._busy():
                self._service(timeout=None)
            ok = True
        finally:
            self._close(ok)
        return [self.results[i] for i in indices]

    def _busy(self) -> list[_Worker]:
        return [w for w in self.workers if w is not None and w.chunk is not None]

    def _count(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done)

    def _dispatch(self, fork: bool = True) -> None:
        """Hand queued chunks to idle workers, forking one into an empty slot when needed."""
        while self.queue:
            if self.deaths >= self.max_deaths:
                self._give_up()
                return
            idle = [n for n, w in enumerate(self.workers) if w is not None and w.chunk is None]
            empty = [n for n, w in enumerate(self.workers) if w is None and fork]
            if not idle and not empty:
                return
            slot = (idle or empty)[0]
            worker = self.workers[slot] or self._fork(slot)
            chunk = self.queue.popleft()
            worker.chunk = chunk
            try:
                worker.conn.send(chunk)
            except OSError:  # it died while idle: noticed here rather than by its sentinel
                self._died(slot, worker)

    def _give_up(self) -> None:
        how = f"digest stops after {self.max_deaths} worker processes die"
        while self.queue:
            chunk = self.queue.popleft()
            for i in chunk:
                self.results[i] = Failed(how, ran=False)
            self._count(len(chunk))

    def _fork(self, slot: int) -> _Worker:
        _SLOT.pack_into(self.slots, slot * _SLOT.size, -1)
        mine, theirs = self.context.Pipe(duplex=True)
        process = self.context.Process(target=self._worker_main, args=(slot, theirs, mine), daemon=True)
        process.start()
        worker = self.workers[slot] = _Worker(process, mine)
        theirs.close()
        return worker

    def _service(self, timeout: float | None, fork: bool = True) -> None:
        """Take what workers have sent, notice those that died, hand out more work."""
        busy = self._busy()
        if not busy:
            self._dispatch(fork)
            return
        by_object: dict[object, tuple[int, _Worker]] = {}
        waited: list[Connection | int] = []
        for worker in busy:
            slot = self.workers.index(worker)
            by_object[worker.conn] = by_object[worker.process.sentinel] = (slot, worker)
            waited += [worker.conn, worker.process.sentinel]
        for ready in wait(waited, timeout):
            slot, worker = by_object[ready]
            if self.workers[slot] is not worker or worker.chunk is None:
                continue  # already dealt with through its other object
            try:
                message = worker.conn.recv() if worker.conn.poll() else None
            except (EOFError, OSError):
                message = None
            if message is None:
                self._died(slot, worker)
            else:
                self._take(worker, message)
        self._dispatch(fork)

    def _take(self, worker: _Worker, message: object) -> None:
        if isinstance(message, _Raised):
            raise message.exc
        chunk = worker.chunk
        assert chunk is not None and isinstance(message, list) and len(message) == len(chunk)
        for i, result in zip(chunk, message, strict=True):
            self.results[i] = result
        worker.chunk = None
        self._count(len(chunk))

    def _died(self, slot: int, worker: _Worker) -> None:
        """Blame the task the worker was running, queue the rest of its chunk again."""
        process = worker.process
        process.join(_JOIN_SECONDS)
        if process.is_alive():  # its pipe broke, yet it runs: it cannot be trusted
            process.kill()
            process.join()
        how = death(process.exitcode)
        self._release(worker)
        self.workers[slot] = None
        self.deaths += 1
        chunk = worker.chunk or []
        (held,) = _SLOT.unpack_from(self.slots, slot * _SLOT.size)
        if held in chunk:
            self.results[held] = Failed(f"crashed its worker process ({how})")
            self._count(1)
            chunk = [i for i in chunk if i != held]
        if chunk:
            self.queue.appendleft(chunk)

    def _release(self, worker: _Worker) -> None:
        worker.conn.close()
        with contextlib.suppress(ValueError):  # only a process still running refuses
            worker.process.close()

    def _close(self, ok: bool) -> None:
        """End and reap every worker: idle ones see their pipe close, the others (after an
        error or Ctrl-C here) are terminated."""
        live = [w for w in self.workers if w is not None]
        for worker in live:
            if not ok or worker.chunk is not None:
                with contextlib.suppress(OSError):
                    worker.process.terminate()
            worker.conn.close()
        for worker in live:
            worker.process.join(_JOIN_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            self._release(worker)
        self.workers = [None] * len(self.workers)
        self.slots.close()

    # --- a worker -----------------------------------------------------------------------------

    def _worker_main(self, slot: int, conn: Connection, parent_end: Connection) -> None:
        # the parent's ends of the pipes must not stay open here, or a worker would never see
        # its own pipe close when the parent dies
        parent_end.close()
        for other in self.workers:
            if other is not None:
                other.conn.close()
        try:
            worker_signals()
            while True:
                try:
                    chunk = conn.recv()
                except EOFError:  # the parent is done with this worker, or gone
                    return
                conn.send(self._run_chunk(slot, chunk))
        except BaseException:  # the pipe broke under it: the parent is gone or will see this
            if os.environ.get("DIGEST_DEBUG"):
                traceback.print_exc()
            os._exit(_BROKEN)

    def _run_chunk(self, slot: int, chunk: list[int]) -> list[R | Failed] | _Raised:
        results: list[R | Failed] = []
        with self.around_chunk([self.tasks[i] for i in chunk]):
            for i in chunk:
                _SLOT.pack_into(self.slots, slot * _SLOT.size, i)
                try:
                    results.append(self.work(self.tasks[i]))
                except Exception as exc:
                    if os.environ.get("DIGEST_DEBUG"):
                        traceback.print_exc()
                    return _Raised(_portable(exc))
                except BaseException as exc:  # not the worker's end: this task's failure
                    results.append(Failed(f"raised {describe(exc)}"))
            _SLOT.pack_into(self.slots, slot * _SLOT.size, -1)
        return results


def _portable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling, else a RuntimeError that names it."""
    try:
        back = pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(describe(exc))
    return back if isinstance(back, Exception) else RuntimeError(describe(exc))
