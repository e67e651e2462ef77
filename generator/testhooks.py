"""Test-only pause points, so that tests can kill a build at a chosen moment.

Never set outside the test suite. With DIGEST_TEST_PAUSE_AT unset, pause() is one environment
lookup. Set to `POINT` or `POINT:N`, the build prints `digest-test: paused at POINT:N` to
stderr the N-th time (default: the first) it reaches POINT, then sleeps (60 s, or
DIGEST_TEST_PAUSE_SECONDS) waiting to be killed. The points:

    parse    every article parsed and the parse cache saved, nothing rendered yet
    render   a page or feed has just been staged (N: the N-th staged file)
    apply    a staged file has just been renamed into the output (N: the N-th file)
    prune    every staged file renamed in, stale files not removed yet
    commit   the output is complete, the build record not saved yet
"""

from __future__ import annotations

import os
import sys
import time

ENV = "DIGEST_TEST_PAUSE_AT"
_COUNTS: dict[str, int] = {}


def pause(point: str) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    _COUNTS[point] = _COUNTS.get(point, 0) + 1
    if _COUNTS[point] != int(nth or 1):
        return
    sys.stderr.write(f"digest-test: paused at {wanted}\n")
    sys.stderr.flush()
    time.sleep(float(os.environ.get("DIGEST_TEST_PAUSE_SECONDS", "60")))
