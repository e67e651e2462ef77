"""What `digest serve` watches, with watchdog: content/, the themes, digest.yaml, sources.yaml,
stories.yaml, tags.yaml and locales/.

Only the folders a build reads are watched (not the whole site folder, which may hold a
virtualenv, site/ or a git checkout). The preview folder, the cache folder, `site/` and
editor scratch files never trigger a rebuild, and neither do the file opens that a build
itself causes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from ..read.config import CONFIG_NAME
from ..read.locales import LOCALES
from ..read.names import TAGS_NAME
from ..read.stories import STORIES_NAME
from ..read.themedir import builtin_theme_dir

# what a build reads in the site folder itself (stories.yaml, tags.yaml and locales/ too: saving
# one must not leave the preview stale)
ROOT_NAMES = frozenset({CONFIG_NAME, "sources.yaml", STORIES_NAME, TAGS_NAME, LOCALES, "content", "themes"})
# not "opened" or "closed_no_write": builds read files; "closed" (by a writer) is on_written
_CHANGES = frozenset({"created", "modified", "deleted", "moved"})
_SCRATCH_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".kate-swp", ".tmp", "___jb_tmp___", "___jb_old___")
POLL_SECONDS = 0.5


def is_scratch(name: str) -> bool:
    """Editor temporaries: vim's .swp and its '4913' probe, emacs' .#lock and #autosave#,
    backups~, JetBrains' safe-write files, gedit's .goutputstream-*, and all dotfiles (the build
    skips those too)."""
    return (
        name.startswith(".")
        or name.endswith(_SCRATCH_SUFFIXES)
        or name == "4913"
        or (name.startswith("#") and name.endswith("#"))
    )


def watch_targets(root: Path) -> list[tuple[Path, bool]]:
    """(folder, recursive) pairs: the site folder itself for its two YAML files, content/, the
    site's message catalogs (locales/), every theme of the site and the built-in theme (skipped
    when it lies in the site's themes/)."""
    targets: list[tuple[Path, bool]] = [(root, False)]
    themes = root / "themes"
    for folder in (root / "content", root / "locales", themes, builtin_theme_dir()):
        folder = folder.resolve()
        if not folder.is_dir() or any(folder.is_relative_to(t) for t, deep in targets if deep):
            continue
        targets.append((folder, True))
    return targets


class _Events(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind == "closed" and not event.is_directory:  # its writer closed it (inotify's close-write)
            self.watcher.consider(Path(os.fsdecode(event.src_path)), written=True)
            return
        if kind not in _CHANGES or (event.is_directory and kind == "modified"):
            return
        for raw in (event.src_path, event.dest_path):
            if raw:
                self.watcher.consider(Path(os.fsdecode(raw)))
        if event.is_directory:
            return
        if kind == "moved" and event.dest_path:  # renamed into place: whole
            self.watcher.consider(Path(os.fsdecode(event.dest_path)), written=True)
        elif kind == "deleted":  # gone whole (an editor's save renames, it does not delete)
            self.watcher.consider(Path(os.fsdecode(event.src_path)), written=True)


class Watcher:
    """Calls `on_change(path)` for every relevant change, and `on_written(path)` when a file's
    writer has closed it, it was renamed into place or deleted (the change is whole then:
    inotify says so, the polling observer does not), from watchdog's thread."""

    def __init__(
        self,
        root: Path,
        ignored: Iterable[Path],
        on_change: Callable[[Path], None],
        poll: bool,
        on_written: Callable[[Path], None] = lambda path: None,
    ):
        self.root = root
        self.ignored = tuple(str(p) for p in ignored)
        self.on_change = on_change
        self.on_written = on_written
        self.observer: BaseObserver = PollingObserver(timeout=POLL_SECONDS) if poll else Observer()
        self._handler = _Events(self)
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self._lock = threading.Lock()
        self._resync = False

    def start(self) -> None:
        self.sync()
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)

    def sync(self) -> None:
        """Watch what the site has now: content/ or themes/ may have appeared or been replaced
        since the last build (an emitter does not survive its folder being deleted)."""
        with self._lock:
            if self._resync:  # content/, themes/ or locales/ was created, deleted or renamed: start afresh
                self._resync = False
                self._apply(set())
            self._apply(set(watch_targets(self.root)))

    def _apply(self, wanted: set[tuple[Path, bool]]) -> None:
        for key in set(self._watches) - wanted:
            self.observer.unschedule(self._watches.pop(key))
        for folder, recursive in sorted(wanted - set(self._watches)):
            try:
                self._watches[folder, recursive] = self.observer.schedule(
                    self._handler, str(folder), recursive=recursive
                )
            except OSError:  # vanished meanwhile, or out of inotify watches: the next sync retries
                continue

    def consider(self, path: Path, written: bool = False) -> None:
        if not self.relevant(path):
            return
        if written:
            self.on_written(path)
            return
        if path.parent == self.root and path.name in ("content", "themes", LOCALES):
            self._resync = True
        self.on_change(path)

    def relevant(self, path: Path) -> bool:
        text = str(path)
        if any(text == d or text.startswith(d + os.sep) for d in self.ignored):
            return False
        if path.parent == self.root and path.name not in ROOT_NAMES:
            return False  # site/, the cache folder, README.md...: nothing a build reads
        return not is_scratch(path.name)
