"""Test-only hooks: pause points, so that tests can kill a build at a chosen moment, and a
crash injector, so that tests can make a worker process die on a chosen file or page.

Never set outside the test suite. With its variable unset, each hook is one environment
lookup.

DIGEST_TEST_PAUSE_AT: set to `POINT` or `POINT:N`, the build prints
`digest-test: paused at POINT:N` to stderr the N-th time (default: the first) it reaches POINT,
then sleeps (60 s, or DIGEST_TEST_PAUSE_SECONDS) waiting to be killed. The points:

    parse    every article parsed and the parse cache saved, nothing rendered yet
    early    `digest serve`: the open pages that changed are handed to the server, nothing else
             rendered yet (N: the N-th build that did)
    render   a page or feed has just been staged (N: the N-th staged file)
    apply    a staged file has just been renamed into the output (N: the N-th file)
    prune    every staged file renamed in, stale files not removed yet
    commit   the output is complete, the build record not saved yet

DIGEST_TEST_CRASH: set to `STAGE:MATCH:KIND`, the process parsing a file whose path under
content/ contains MATCH (STAGE `parse`, just before the file is parsed) or rendering a page or
feed whose URL contains MATCH (STAGE `render`, just before it is rendered) then:

    kill     sends itself SIGKILL (as the OOM killer would)
    segv     dies of a real segmentation fault (a NULL read; no core file)
    exit     ends with os._exit(3)
    panic    raises a BaseException that is not an Exception (as pyo3's PanicException)
    hang     prints `digest-test: hanging on MATCHED` to stderr and sleeps until killed

kill, segv, exit and hang act only in a worker process: in the build's own process they would
end the command itself; there the hook does nothing (panic acts everywhere).

DIGEST_TEST_PARALLEL_MIN: the number of files to parse, or pages and feeds to render, from
which a stage uses worker processes (default 64), so that tests reach the pool with a few.

process.count(POINT): every read of a file of the cache folder counts `load:KIND` (articles, journal,
record, related, templates...) in STATE.hook_counts, for tests that build in their process.

DIGEST_TEST_RELOAD_FIRST_SECONDS: how long `digest serve` waits, after handing over the open
pages that changed, for them to reload before it renders the rest (default 0.3 s; tests that
check the order set it long, so that a slow browser cannot pass the limit).

DIGEST_TEST_REPORT: a file to which every build the CLI runs (build, check, serve's rebuilds,
publish's build) appends one JSON line of its counts, so that tests read numbers, not the
wording of `-v`: {"command", "ok", "articles", "parsed", "rendered": {"page", "feed"},
"written", "unchanged", "removed", "fingerprinted", "loaded", "drafts_left_out"}.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

from .process import STATE

if TYPE_CHECKING:
    from .context import BuildResult

ENV = "DIGEST_TEST_PAUSE_AT"
CRASH_ENV = "DIGEST_TEST_CRASH"
PARALLEL_ENV = "DIGEST_TEST_PARALLEL_MIN"
REPORT_ENV = "DIGEST_TEST_REPORT"
RELOAD_FIRST_ENV = "DIGEST_TEST_RELOAD_FIRST_SECONDS"


def pause(point: str) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    counts = STATE.hook_counts
    counts[point] = counts.get(point, 0) + 1
    if counts[point] != int(nth or 1):
        return
    sys.stderr.write(f"digest-test: paused at {wanted}\n")
    sys.stderr.flush()
    time.sleep(float(os.environ.get("DIGEST_TEST_PAUSE_SECONDS", "60")))


class InjectedPanic(BaseException):
    """What `panic` raises: like pyo3's PanicException, not an Exception."""


def crash(stage: str, subject: str) -> None:
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    name, _, rest = wanted.partition(":")
    match, _, kind = rest.rpartition(":")
    if name != stage or match not in subject:
        return
    if kind == "panic":
        raise InjectedPanic(f"injected panic on {subject}")
    import multiprocessing

    if multiprocessing.parent_process() is None:
        return  # the build's own process: dying here would end the command, not a worker
    import signal

    if kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif kind == "segv":
        _segfault()
    elif kind == "exit":
        os._exit(3)
    elif kind == "hang":
        sys.stderr.write(f"digest-test: hanging on {subject}\n")
        sys.stderr.flush()
        time.sleep(600)


def _segfault() -> None:
    import ctypes
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform == "linux":  # not dumpable: no core file even through a core_pattern pipe
        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE
    ctypes.string_at(0)


def reload_first_seconds(default: float) -> float:
    wanted = os.environ.get(RELOAD_FIRST_ENV)
    return float(wanted) if wanted else default


def parallel_min(default: int) -> int:
    wanted = os.environ.get(PARALLEL_ENV)
    return int(wanted) if wanted else default


def report(result: BuildResult, command: str = "build") -> None:
    """Append the counts of a build's result to the file DIGEST_TEST_REPORT names."""
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    import json

    line = {
        "command": command,
        "ok": result.ok,
        "articles": result.articles,
        "parsed": result.parsed,
        "rendered": {"page": result.rendered.get("page", 0), "feed": result.rendered.get("feed", 0)},
        "written": result.written,
        "unchanged": result.unchanged,
        "removed": result.removed,
        "fingerprinted": result.fingerprinted,
        "loaded": result.loaded,
        "drafts_left_out": result.drafts_left_out,
        "search_pending": result.search_pending,
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
