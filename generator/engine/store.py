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
from pathlib import Path
from typing import BinaryIO

from markupsafe import Markup

from ..core.model import Article, finished_body

SUFFIX = ".pack"
_READ_CACHE = 512  # bodies kept decoded: an article's body is read by its page and its feeds


@dataclass
class _Pack:
    """The pack bodies are appended to while a batch of articles is parsed."""

    name: str
    handle: BinaryIO
    offset: int
    seen: dict[bytes, str] = field(default_factory=dict)  # body hash -> key


class BodyStore:
    """The body store of one site's cache folder (None: bodies stay in the articles). Part of
    the engine's state; forked workers inherit it, their open files included."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._read: dict[str, int] = {}  # pack name -> open descriptor, for reading
        self._write: _Pack | None = None  # the open pack, if any
        self._loaded: dict[str, str] = {}

    @property
    def active(self) -> bool:
        return self.folder is not None

    def close(self) -> None:
        for fd in self._read.values():
            os.close(fd)
        self._read.clear()
        self._loaded.clear()
        self.end()

    def begin(self, label: str) -> None:
        """Start a pack for the bodies saved until `end()`; `label` makes its name unique."""
        assert self.folder is not None
        name = hashlib.blake2b(f"{os.getpid()}:{label}".encode(), digest_size=10).hexdigest()
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = (self.folder / (name + SUFFIX)).open("ab")
        self._write = _Pack(name, handle, handle.tell())

    def end(self) -> None:
        if self._write is not None:
            self._write.handle.close()
            self._write = None

    def save(self, html: str) -> str:
        """Store a body in the current pack; returns its key (equal bodies share one copy)."""
        pack = self._write
        assert pack is not None
        data = html.encode("utf-8")
        digest = hashlib.blake2b(data, digest_size=16).digest()
        key = pack.seen.get(digest)
        if key is None:
            pack.handle.write(data)
            key = pack.seen[digest] = f"{pack.name}:{pack.offset}:{len(data)}"
            pack.offset += len(data)
        return key

    def load(self, key: str) -> str:
        html = self._loaded.get(key)
        if html is not None:
            return html
        name, offset, length = key.split(":")
        if self._write is not None and self._write.name == name:
            self._write.handle.flush()
        fd = self._read.get(name)
        if fd is None:
            assert self.folder is not None
            fd = self._read[name] = os.open(self.folder / (name + SUFFIX), os.O_RDONLY)
        html = os.pread(fd, int(length), int(offset)).decode("utf-8")
        if len(self._loaded) >= _READ_CACHE:
            self._loaded.clear()
        self._loaded[key] = html
        return html

    def content(self, article: Article) -> Markup:
        """The article's body as pages show it (core.model.Bodies)."""
        html = self.load(article.body_key) if article.body_key else article.body_html
        return finished_body(article, html)

    def packs(self) -> dict[str, int]:
        """Every pack in the folder, with its size."""
        if self.folder is None or not self.folder.is_dir():
            return {}
        found = {}
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.endswith(SUFFIX) and entry.is_file():
                    found[entry.name.removesuffix(SUFFIX)] = entry.stat().st_size
        return found

    def prune(self, keys: set[str]) -> None:
        """Remove the packs no key refers to (and the one-file-per-body folders of older
        versions)."""
        if self.folder is None or not self.folder.is_dir():
            return
        used = {pack_of(key) for key in keys}
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False) and len(entry.name) == 2:
                    shutil.rmtree(entry.path, ignore_errors=True)
        for name in self.packs():
            if name not in used:
                fd = self._read.pop(name, None)
                if fd is not None:
                    os.close(fd)
                (self.folder / (name + SUFFIX)).unlink(missing_ok=True)
        self._loaded.clear()


def pack_of(key: str) -> str:
    return key.split(":", 1)[0]


def worn_packs(keys: set[str], sizes: dict[str, int]) -> set[str]:
    """Packs of which most bytes belong to no key any more (bodies of edited articles)."""
    live: dict[str, int] = {}
    for key in keys:
        name, _, length = [*key.split(":"), "", ""][:3]
        if length.isdigit():
            live[name] = live.get(name, 0) + int(length)
    return {name for name, used in live.items() if name in sizes and used * 2 < sizes[name]}
