"""Writing the site without ever damaging the previous output.

Every new or changed file is first written into a staging folder beside the output; nothing in
the output is touched until the whole build has succeeded. Then each staged file replaces its
counterpart by an atomic rename (assets first, then pages, deepest first, then feeds and
sitemaps), and files the site no longer produces are removed last. A build that fails, or is
killed before applying, leaves the output as it was; one killed while applying leaves every file
either old or new, never partial, and the next build (which then trusts no record of the last
one and compares every file) completes it. Unchanged files are never rewritten, so
their mtimes stay (rsync and publishing move only what changed), and a build with nothing to
change writes nothing at all.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".digest-output"


class OutputProblem(Exception):
    pass


def staging_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.staging"


def check_output_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputProblem(f"output '{out_dir}' exists and is not a folder; choose another with -o")
    if out_dir.is_dir() and not (out_dir / MARKER).exists() and any(out_dir.iterdir()):
        raise OutputProblem(
            f"output folder '{out_dir}' is not empty and was not made by digest; "
            "remove it or choose another with -o (digest deletes files it did not produce)"
        )


def existing_files(root: Path) -> set[str]:
    found: set[str] = set()
    if not root.is_dir():
        return found
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), rel + "/"))
                elif rel != MARKER:
                    found.add(rel)
    return found


def same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def stage_file(staging: Path, out_dir: Path, rel: str, data: bytes, compare: bool) -> bool:
    """Write `data` for `rel` into staging unless the output already has these bytes.
    True when staged. Safe to call from worker processes (each writes its own files)."""
    if compare and same_bytes(out_dir / rel, data):
        return False
    # a cold build writes thousands of files: straight to a descriptor (no buffered file
    # object, no path objects), and a folder made only when the open says it is missing
    target = os.path.join(staging, rel)
    try:
        _write(target, data)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _write(target, data)
    return True


def _write(path: str, data: bytes) -> None:
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:  # os.write may write less than asked
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


@dataclass
class Writer:
    """Writes the outputs into the output folder through a staging folder."""

    out_dir: Path
    clean: bool = False
    # the files the last build recorded as written here: trusted instead of walking the folder
    known_files: set[str] | None = None
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    produced: set[str] = field(default_factory=set)
    staged: list[str] = field(default_factory=list)
    # called at each point a build can be killed at ("render", "apply", "prune", "commit"):
    # the engine's test hook, which pauses there when a kill test asks it to
    pause: Callable[[str], None] = field(default=lambda point: None, repr=False)

    def __post_init__(self) -> None:
        check_output_dir(self.out_dir)
        self.staging = staging_dir(self.out_dir)
        # left by a build that was killed: drop what it did not apply, and do not trust the
        # record of files, since the output may be part old, part new
        self.interrupted = self.staging.exists()
        if self.interrupted:
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        if self.known_files is not None and (self.out_dir / MARKER).exists() and not self.interrupted:
            self.previous = self.known_files
        else:
            self.previous = existing_files(self.out_dir)

    def claim(self, rel: str) -> None:
        if rel in self.produced:
            raise OutputProblem(f"two outputs would be written to {rel}")
        self.produced.add(rel)

    def claim_all(self, rels: frozenset[str]) -> None:
        """`claim` for each of `rels`, at once."""
        if not self.produced.isdisjoint(rels):
            for rel in rels:
                self.claim(rel)
        self.produced |= rels

    def has(self, rel: str) -> bool:
        return rel in self.previous

    def read(self, rel: str) -> bytes:
        """A claimed file's bytes: staged now, or left as the last build wrote them."""
        staged = self.staging / rel
        return staged.read_bytes() if staged.exists() else (self.out_dir / rel).read_bytes()

    def put(self, rel: str, data: bytes) -> None:
        self.claim(rel)
        self.record(rel, stage_file(self.staging, self.out_dir, rel, data, self.has(rel) and not self.clean))

    def record(self, rel: str, staged: bool) -> None:
        """A claimed file's outcome: staged (new bytes) or left as it is."""
        if staged:
            self.staged.append(rel)
            self.written += 1
            self.pause("render")
        else:
            self.unchanged += 1

    def commit(self) -> None:
        stale = sorted(self.previous - self.produced)
        self.removed = len(stale)
        if not self.out_dir.exists():
            (self.staging / MARKER).write_bytes(b"")
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.staging.rename(self.out_dir)
            return
        made: set[Path] = set()
        for rel in sorted(self.staged, key=apply_order):
            target = self.out_dir / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            os.replace(self.staging / rel, target)
            self.pause("apply")
        self.pause("prune")
        for rel in stale:
            (self.out_dir / rel).unlink(missing_ok=True)
        _prune_empty_dirs(self.out_dir, stale)
        marker = self.out_dir / MARKER
        if not marker.exists():
            marker.write_bytes(b"")
        shutil.rmtree(self.staging, ignore_errors=True)
        self.pause("commit")

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def apply_order(rel: str) -> tuple[int, int, str]:
    """Assets first, then pages (deepest first: an article before the lists that link to it),
    then feeds and sitemaps: a build killed while applying leaves few links to missing files."""
    name = rel.rsplit("/", 1)[-1]
    if name.endswith(".html"):
        return (1, -rel.count("/"), rel)
    if name.endswith((".xml", ".json", ".txt")):
        return (2, 0, rel)
    return (0, 0, rel)


def _prune_empty_dirs(root: Path, removed: list[str]) -> None:
    folders = {Path(rel).parent for rel in removed}
    candidates = sorted(
        {p for f in folders for p in (f, *f.parents) if p != Path(".")},
        key=lambda p: len(p.parts),
        reverse=True,
    )
    for rel in candidates:
        with contextlib.suppress(OSError):  # not empty, or already gone
            (root / rel).rmdir()
