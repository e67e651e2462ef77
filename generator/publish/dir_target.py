"""Publishing into a local folder (served by nginx, synced with rsync, a mounted volume).

Each changed file is written to a temporary file beside it and renamed over the old one, so a
reader (or a publish killed midway) only ever sees a whole old or a whole new file. Stale files
go only after every new file is in place. The folder's `.digest-published.json` lists what
digest put there, with sizes, mtimes and hashes, so an unchanged file is not read back."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .plan import (
    MANIFEST,
    LocalFile,
    Options,
    Outcome,
    PublishError,
    RemoteFile,
    check_deletes,
    file_sha256,
    plan_publish,
)
from .report import Reporter
from .settings import target_problem

TMP_SUFFIX = ".digest-tmp"


class DirPublisher:
    def __init__(self, name: str, settings: dict[str, Any], site: Path) -> None:
        self.name = name
        dest = Path(str(settings["path"])).expanduser()
        self.dest = (dest if dest.is_absolute() else site / dest).resolve()
        if self.dest == site or site.is_relative_to(self.dest):
            raise target_problem(site, name, f"'path' {self.dest} must not be the site folder or contain it")
        if self.dest.exists() and not self.dest.is_dir():
            raise target_problem(site, name, f"'path' {self.dest} exists and is not a folder")
        self.cache_rules: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        return str(self.dest)

    def extra_files(self) -> dict[str, bytes]:
        return {}

    def publish(self, files: list[LocalFile], options: Options, report: Reporter, work: Path) -> Outcome:
        try:
            return self._publish(files, options, report)
        except OSError as exc:
            raise PublishError(f"cannot write to {self.dest}: {exc}") from None

    def _publish(self, files: list[LocalFile], options: Options, report: Reporter) -> Outcome:
        manifest = self._read_manifest()
        remote, leftovers = self._remote_state(manifest)
        plan = plan_publish(files, remote, options.delete_extra)
        report.show_plan(plan, self.name, self.describe(), options.dry_run)
        outcome = Outcome(len(plan.upload), len(plan.delete), len(plan.unchanged))
        if options.dry_run:
            return outcome
        check_deletes(plan, options, self.name)
        for leftover in leftovers:  # temporary files of a publish that was killed
            leftover.unlink(missing_ok=True)
        self.dest.mkdir(parents=True, exist_ok=True)
        if plan.new:
            # record the new files as digest's before writing them, so that a publish killed
            # midway still knows them as its own next time
            pending = {path: {"sha256": "", "size": -1, "mtime_ns": -1} for path in plan.new}
            self._write_manifest({**pending, **manifest})
        report.start("copying", len(plan.upload))
        for phase in plan.phases():
            for f in phase:
                _replace(f.source, self.dest / f.path)
                report.step(f.path)
        report.finish()
        for path in plan.delete:
            target = self.dest / path
            target.unlink(missing_ok=True)
            _prune_empty(target.parent, self.dest)
        self._write_manifest(self._entries(files))
        return outcome

    def _read_manifest(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads((self.dest / MANIFEST).read_text(encoding="utf-8"))
            files = data["files"]
            return {str(k): dict(v) for k, v in files.items()} if isinstance(files, dict) else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def _remote_state(self, manifest: dict[str, dict[str, Any]]) -> tuple[dict[str, RemoteFile], list[Path]]:
        remote: dict[str, RemoteFile] = {}
        leftovers: list[Path] = []
        if not self.dest.is_dir():
            return remote, leftovers
        for folder, dirs, names in os.walk(self.dest):
            dirs.sort()
            for name in names:
                path = Path(folder, name)
                rel = path.relative_to(self.dest).as_posix()
                if rel == MANIFEST:
                    continue
                if name.startswith(".") and name.endswith(TMP_SUFFIX):
                    leftovers.append(path)
                    continue
                known = manifest.get(rel)
                remote[rel] = RemoteFile(rel, _fingerprint(path, known), owned=known is not None)
        return remote, leftovers

    def _entries(self, files: list[LocalFile]) -> dict[str, dict[str, Any]]:
        entries: dict[str, dict[str, Any]] = {}
        for f in files:
            st = (self.dest / f.path).stat()
            entries[f.path] = {"sha256": f.sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        return entries

    def _write_manifest(self, entries: dict[str, dict[str, Any]]) -> None:
        """Written only when its content changes: a publish with nothing to do leaves the
        folder exactly as it was, manifest included (its mtime too, for rsync and backups)."""
        data = {"generator": "digest", "files": dict(sorted(entries.items()))}
        text = json.dumps(data, indent=1, sort_keys=True) + "\n"
        try:
            if (self.dest / MANIFEST).read_bytes() == text.encode("utf-8"):
                return
        except OSError:
            pass  # missing or unreadable: write it
        tmp = self.dest / f".{MANIFEST}{TMP_SUFFIX}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.dest / MANIFEST)


def _fingerprint(path: Path, known: dict[str, Any] | None) -> str:
    """The file's SHA-256: from the manifest when its size and mtime are as recorded."""
    try:
        st = path.stat()
    except OSError:
        return ""
    if known and known.get("size") == st.st_size and known.get("mtime_ns") == st.st_mtime_ns:
        return str(known.get("sha256", ""))
    try:
        return file_sha256(path)
    except OSError:
        return ""


def _replace(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{os.getpid()}{TMP_SUFFIX}"
    with source.open("rb") as src, tmp.open("wb") as dst:
        while block := src.read(1 << 20):
            dst.write(block)
    os.replace(tmp, target)


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
