"""What a publish prints: notes and progress on stderr (progress only on a terminal, never in
CI), the dry-run plan and the closing summary on stdout."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from .plan import Plan

# A test hook: pause (until killed) after this many files went up, so that tests can kill a
# publish midway at a known point. Uploads run one at a time while it is set.
PAUSE_ENV = "DIGEST_TEST_PAUSE_AFTER"


class Reporter:
    def __init__(self, quiet: bool, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.quiet = quiet
        self.interactive = self.err.isatty() and not os.environ.get("CI") and not quiet
        pause = os.environ.get(PAUSE_ENV, "")
        self.pause_after = int(pause) if pause.isdigit() else None
        self._verb = ""
        self._total = 0
        self._done = 0
        self._drawn = 0.0

    @property
    def serial(self) -> bool:
        return self.pause_after is not None

    def note(self, message: str) -> None:
        if not self.quiet:
            self._clear()
            print(message, file=self.err)

    def show_plan(self, plan: Plan, name: str, where: str, dry_run: bool) -> None:
        counts = (
            f"{len(plan.upload)} to upload, {len(plan.delete)} to delete, {len(plan.unchanged)} unchanged"
        )
        if not dry_run:
            self.note(f"digest: publishing to '{name}' ({where}): {counts}")
            return
        print(f"digest: dry run for '{name}' ({where}): {counts}", file=self.out)
        for f in plan.upload:
            print(f"  upload  {f.path} ({'new' if f.path in plan.new else 'changed'})", file=self.out)
        for path in plan.delete:
            print(f"  delete  {path}", file=self.out)
        for path in plan.kept:
            print(f"  keep    {path} (not made by digest; --delete-extra removes it)", file=self.out)

    def start(self, verb: str, total: int) -> None:
        self._verb, self._total, self._done = verb, total, 0

    def build_progress(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.interactive and (now - self._drawn >= 0.1 or done == total):
            self._drawn = now
            self.err.write(f"\r{stage} {done}/{total}\033[K")
            self.err.flush()

    def step(self, path: str) -> None:
        """One more file done: redraw the progress line (at most ten times a second)."""
        self._done += 1
        now = time.monotonic()
        if self.interactive and (now - self._drawn >= 0.1 or self._done == self._total):
            self._drawn = now
            self.err.write(f"\r{self._verb} {self._done}/{self._total} {path[-60:]}\033[K")
            self.err.flush()
        self.checkpoint(self._done)

    def checkpoint(self, done: int) -> None:
        if self.pause_after is not None and done >= self.pause_after:
            self._clear()
            print(f"digest: test pause after {done} uploads", file=self.err, flush=True)
            self.pause_after = None
            time.sleep(3600)

    def finish(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self.interactive and self._drawn:
            self.err.write("\r\033[K")
            self.err.flush()
            self._drawn = 0.0

    def summary(self, line: str) -> None:
        self._clear()
        print(line, file=self.out)
