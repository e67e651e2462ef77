"""Rendered article bodies live on disk (state.html_dir), not in memory: a page or feed
that needs one reads it when it is rendered. This keeps a 10,000-article build's memory to the
metadata, and lets forked workers share nothing but a folder.

Bodies are appended to pack files, one per batch of parsed articles (a worker's chunk, or the
few files an incremental build parses): creating ten thousand small files costs more than
parsing the articles does on many file systems. A body's key says where it is:
`pack:offset:length`. A pack no cache entry refers to is deleted; one mostly made of bodies
no entry refers to any more is emptied by parsing its live articles again (see `worn_packs`)."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

_DIR: list[Path] = []
_READ: dict[str, int] = {}  # pack name -> open descriptor, for reading
SUFFIX = ".pack"


@dataclass
class _Pack:
    """The pack bodies are appended to while a batch of articles is parsed."""

    name: str
    handle: BinaryIO
    offset: int
    seen: dict[bytes, str] = field(default_factory=dict)  # body hash -> key


_WRITE: list[_Pack] = []  # the open pack, if any


def configure(folder: Path | None) -> None:
    _DIR[:] = [folder] if folder is not None else []
    load.cache_clear()
    for fd in _READ.values():
        os.close(fd)
    _READ.clear()
    _WRITE.clear()


def active() -> bool:
    return bool(_DIR)


def pack_of(key: str) -> str:
    return key.split(":", 1)[0]


def begin(label: str) -> None:
    """Start a pack for the bodies saved until `end()`; `label` makes its name unique."""
    name = hashlib.blake2b(f"{os.getpid()}:{label}".encode(), digest_size=10).hexdigest()
    folder = _DIR[0]
    folder.mkdir(parents=True, exist_ok=True)
    handle = (folder / (name + SUFFIX)).open("ab")
    _WRITE[:] = [_Pack(name, handle, handle.tell())]


def end() -> None:
    if _WRITE:
        _WRITE.pop().handle.close()


def save(html: str) -> str:
    """Store a body in the current pack; returns its key (equal bodies share one copy)."""
    pack = _WRITE[0]
    data = html.encode("utf-8")
    digest = hashlib.blake2b(data, digest_size=16).digest()
    key = pack.seen.get(digest)
    if key is None:
        pack.handle.write(data)
        key = pack.seen[digest] = f"{pack.name}:{pack.offset}:{len(data)}"
        pack.offset += len(data)
    return key


@lru_cache(maxsize=512)
def load(key: str) -> str:
    name, offset, length = key.split(":")
    if _WRITE and _WRITE[0].name == name:
        _WRITE[0].handle.flush()
    fd = _READ.get(name)
    if fd is None:
        fd = _READ[name] = os.open(_DIR[0] / (name + SUFFIX), os.O_RDONLY)
    return os.pread(fd, int(length), int(offset)).decode("utf-8")


def packs() -> dict[str, int]:
    """Every pack in the folder, with its size."""
    if not _DIR or not _DIR[0].is_dir():
        return {}
    found = {}
    with os.scandir(_DIR[0]) as entries:
        for entry in entries:
            if entry.name.endswith(SUFFIX) and entry.is_file():
                found[entry.name.removesuffix(SUFFIX)] = entry.stat().st_size
    return found


def worn_packs(keys: set[str], sizes: dict[str, int]) -> set[str]:
    """Packs of which most bytes belong to no key any more (bodies of edited articles)."""
    live: dict[str, int] = {}
    for key in keys:
        name, _, length = [*key.split(":"), "", ""][:3]
        if length.isdigit():
            live[name] = live.get(name, 0) + int(length)
    return {name for name, used in live.items() if name in sizes and used * 2 < sizes[name]}


def prune(keys: set[str]) -> None:
    """Remove the packs no key refers to (and the one-file-per-body folders of older
    versions)."""
    if not _DIR or not _DIR[0].is_dir():
        return
    used = {pack_of(key) for key in keys}
    with os.scandir(_DIR[0]) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and len(entry.name) == 2:
                shutil.rmtree(entry.path, ignore_errors=True)
    for name in packs():
        if name not in used:
            fd = _READ.pop(name, None)
            if fd is not None:
                os.close(fd)
            (_DIR[0] / (name + SUFFIX)).unlink(missing_ok=True)
