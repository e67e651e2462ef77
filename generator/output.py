"""Writing the site: into a staging folder, then swapped in whole, so a failed or killed build
never damages the previous output. Unchanged files are hard-linked from the previous output,
which keeps their mtimes (rsync and publishing then move only what changed)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".digest-output"


class OutputProblem(Exception):
    pass


def _siblings(out_dir: Path) -> tuple[Path, Path]:
    return (out_dir.parent / f".{out_dir.name}.staging", out_dir.parent / f".{out_dir.name}.old")


def recover(out_dir: Path) -> None:
    """Finish or undo a swap that a killed build left half done."""
    staging, old = _siblings(out_dir)
    if not out_dir.exists() and old.exists():
        old.rename(out_dir)
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)


def check_output_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputProblem(f"output '{out_dir}' exists and is not a folder; choose another with -o")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise OutputProblem(
            f"output folder '{out_dir}' is not empty and was not made by digest; "
            "remove it or choose another with -o (digest replaces its output folder whole)"
        )


@dataclass
class Writer:
    out_dir: Path
    clean: bool = False
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    files: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        recover(self.out_dir)
        check_output_dir(self.out_dir)
        self.staging, self.old = _siblings(self.out_dir)
        self.staging.mkdir(parents=True)
        self._dirs: set[Path] = {self.staging}

    def put(self, rel: str, data: bytes) -> None:
        if rel in self.files:
            raise OutputProblem(f"two outputs would be written to {rel}")
        self.files.add(rel)
        target = self.staging / rel
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        previous = self.out_dir / rel
        if not self.clean and _same(previous, data):
            try:
                os.link(previous, target)
            except OSError:
                shutil.copy2(previous, target)
            self.unchanged += 1
            return
        target.write_bytes(data)
        self.written += 1

    def commit(self) -> None:
        marker = self.staging / MARKER
        try:
            os.link(self.out_dir / MARKER, marker)
        except OSError:
            marker.write_bytes(b"")
        if self.out_dir.exists():
            self.removed = sum(1 for rel in _all_files(self.out_dir) if rel not in self.files)
            self.out_dir.rename(self.old)
            self.staging.rename(self.out_dir)
            shutil.rmtree(self.old)
        else:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.staging.rename(self.out_dir)

    def abort(self) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging)


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _all_files(root: Path) -> list[str]:
    out = []
    for folder, _, names in os.walk(root):
        for name in names:
            if name != MARKER:
                out.append(Path(folder, name).relative_to(root).as_posix())
    return out
