"""What a publish does: the built files against what the target holds, as one ordered plan.

Every target (git, s3, dir) describes what it holds as `RemoteFile`s and gets its plan from
`plan_publish`; only how a target fingerprints a file differs (git compares blob ids, the
others SHA-256). This module does no I/O apart from reading the built files in `scan_output`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..write.output import MARKER
from .headers import cache_control, content_type, phase_of

# Kept on every target beside the site: which files digest put there (and, for s3 and dir,
# their hashes, so that the next publish need not read every file back). Never planned,
# never deleted as stale, never counted.
MANIFEST = ".digest-published.json"


class PublishError(Exception):
    """A publish that cannot go on. `where` starts the printed line (`digest.yaml:7` for a
    target's settings); exit code 1 for a failing target, 2 for usage and configuration."""

    def __init__(self, message: str, exit_code: int = 1, where: str = "digest") -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.where = where

    def format(self) -> str:
        return f"{self.where}: error: {self.message}"


@dataclass(frozen=True)
class LocalFile:
    path: str  # relative to the site root, '/'-separated
    source: Path
    sha256: str
    size: int
    content_type: str
    cache_control: str


@dataclass(frozen=True)
class RemoteFile:
    path: str
    fingerprint: str
    owned: bool = True  # put there by digest (else kept unless --delete-extra)
    headers: tuple[str, str] | None = None  # (Content-Type, Cache-Control) where the target keeps them


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    max_deletes: int = 256
    force: bool = False
    delete_extra: bool = False


@dataclass(frozen=True)
class Plan:
    upload: tuple[LocalFile, ...]  # assets, then pages, then feeds and sitemaps
    new: frozenset[str]  # the uploads the target does not have yet
    delete: tuple[str, ...]
    unchanged: tuple[LocalFile, ...]
    kept: tuple[str, ...]  # on the target, not made by digest, left alone

    def phases(self) -> list[list[LocalFile]]:
        """The uploads in the order that keeps every live page's links working: everything a
        page may point at is in place before the page, and pages before feeds and sitemaps."""
        out: list[list[LocalFile]] = [[], [], []]
        for f in self.upload:
            out[phase_of(f.path)].append(f)
        return [phase for phase in out if phase]

    @property
    def empty(self) -> bool:
        return not self.upload and not self.delete


@dataclass(frozen=True)
class Outcome:
    uploaded: int
    deleted: int
    unchanged: int
    detail: str = ""  # e.g. "commit 1a2b3c4 on gh-pages"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_output(out_dir: Path, cache_rules: Sequence[tuple[str, str]] = ()) -> list[LocalFile]:
    """Every built file except digest's own marker, with its hash and HTTP headers."""
    files: list[LocalFile] = []
    for folder, dirs, names in os.walk(out_dir):
        dirs.sort()
        for name in sorted(names):
            source = Path(folder, name)
            rel = source.relative_to(out_dir).as_posix()
            if rel in (MARKER, MANIFEST):
                continue
            files.append(
                LocalFile(
                    path=rel,
                    source=source,
                    sha256=file_sha256(source),
                    size=source.stat().st_size,
                    content_type=content_type(rel),
                    cache_control=cache_control(rel, cache_rules),
                )
            )
    return files


def _sha256(f: LocalFile) -> str:
    return f.sha256


def plan_publish(
    local: Sequence[LocalFile],
    remote: Mapping[str, RemoteFile],
    delete_extra: bool = False,
    fingerprint: Callable[[LocalFile], str] = _sha256,
) -> Plan:
    upload: list[LocalFile] = []
    unchanged: list[LocalFile] = []
    new: set[str] = set()
    for f in local:
        there = remote.get(f.path)
        if there is None:
            new.add(f.path)
            upload.append(f)
        elif there.fingerprint != fingerprint(f) or (
            there.headers is not None and there.headers != (f.content_type, f.cache_control)
        ):
            upload.append(f)
        else:
            unchanged.append(f)
    produced = {f.path for f in local}
    stale = sorted(p for p, r in remote.items() if p not in produced and (r.owned or delete_extra))
    kept = sorted(p for p, r in remote.items() if p not in produced and not r.owned and not delete_extra)
    upload.sort(key=lambda f: (phase_of(f.path), f.path))
    return Plan(tuple(upload), frozenset(new), tuple(stale), tuple(unchanged), tuple(kept))


def check_deletes(plan: Plan, options: Options, target: str) -> None:
    """The guard against a wrong bucket, prefix or folder wiping a site: refuse before
    changing anything when a publish would delete more than --max-deletes files."""
    if len(plan.delete) > options.max_deletes and not options.force:
        raise PublishError(
            f"publishing to '{target}' would delete {len(plan.delete)} files, more than "
            f"--max-deletes {options.max_deletes}; nothing was changed. Check the target "
            "(try --dry-run), then run again with --force or a higher --max-deletes",
            exit_code=2,
        )
