"""`digest serve`'s rebuild loop: one worker thread that turns the watcher's changes into
rebuilds, a burst of changes into one, and changes during a rebuild into the next."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

# a burst of saves closer than this is one rebuild, while a file of it may still be being
# written (the polling observer, and systems without inotify's close-write, never tell when it
# is whole). One save's events (a write, or an editor's write-and-rename) reach the watcher
# within a few ms of each other (2026-12-04, 40 saves each of a plain write, a write and rename
# and vim's backup-write-delete: at most 0.5, 1.2 and 1.9 ms); a longer burst (a git checkout)
# may start a build early, and what comes during it is coalesced into the next one, while
# requests wait for that one
QUIET_SECONDS = 0.02
# once every file of the burst so far is whole (its writer closed it, it was renamed into place
# or deleted: watch.py), the rebuild starts after this much quiet. Saves quicker than that (an
# editor's autosave while typing) may start builds between them, one of which can read a file
# that the next save has just truncated and fail: a build that a newer change outdated reports
# nothing (serve.py SETTLE_SECONDS), and the next build reports
QUICK_SECONDS = 0.004


class RebuildLoop:
    """One worker thread. A change marks the preview stale at once (new requests wait), and the
    rebuild starts after QUIET_SECONDS without another change (QUICK_SECONDS once each changed
    file is whole); changes during a build queue up for the next one."""

    def __init__(
        self, rebuild: Callable[[frozenset[Path], bool], None], mark_stale: Callable[[], None]
    ) -> None:
        self._rebuild = rebuild
        self._mark_stale = mark_stale
        self._cond = threading.Condition()
        self._pending: set[Path] = set()
        self._open: set[Path] = set()  # pending files not yet whole (`written` says when)
        self._search = False  # a request waits for the search index (Session.search_wanted)
        self._last_change = 0.0
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="digest-rebuild", daemon=True)

    def changed(self, path: Path) -> None:
        with self._cond:
            self._mark_stale()
            self._pending.add(path)
            self._open.add(path)
            self._last_change = time.monotonic()
            self._cond.notify()

    def written(self, path: Path) -> None:
        """The file's writer closed it, it was renamed into place or deleted: that change is
        whole. A file closed without a change before it (opened for writing only) starts no
        build."""
        with self._cond:
            if path in self._pending:
                self._open.discard(path)
                self._last_change = time.monotonic()
                self._cond.notify()

    def quiet_seconds(self) -> float:
        """How long the changes so far must be left alone before the rebuild starts."""
        with self._cond:
            whole = bool(self._pending) and not self._open
            return QUICK_SECONDS if whole else QUIET_SECONDS

    def want_search(self) -> None:
        """A page asked for the search index, which is behind: the next build makes it (at
        once, or with the changes coming in), and requests wait for that build."""
        with self._cond:
            if not self._search:
                self._search = True
                self._mark_stale()
                self._last_change = time.monotonic()
                self._cond.notify()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            self._rebuild(*batch)

    def _next_batch(self) -> tuple[frozenset[Path], bool] | None:
        with self._cond:
            while not self._stopping:
                if not self._pending and not self._search:
                    self._cond.wait()
                    continue
                quiet_left = self._last_change + self.quiet_seconds() - time.monotonic()
                if quiet_left > 0:
                    self._cond.wait(quiet_left)
                    continue
                batch = frozenset(self._pending), self._search
                self._pending.clear()
                self._open.clear()
                self._search = False
                return batch
            return None
