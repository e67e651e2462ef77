"""The output folder `digest check` writes into: memory. It takes the same calls as the Writer
(claim, put, record, read), so that check makes its outputs through the very code a build
writes them with, and nothing reaches the disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.urls import under
from .output import OutputProblem


@dataclass
class MemoryWriter:
    """A sink that keeps the outputs in memory (`digest check`)."""

    out_dir: Path  # where the site would go: named in messages only
    base_path: str
    files: dict[str, bytes] = field(default_factory=dict)  # output file -> bytes
    produced: set[str] = field(default_factory=set)
    staged: list[str] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    clean: bool = True  # nothing to compare with: every output is made
    staging: None = None
    previous: frozenset[str] = frozenset()

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
        return False

    def put(self, rel: str, data: bytes) -> None:
        self.claim(rel)
        self.files[rel] = data
        self.record(rel, True)

    def record(self, rel: str, staged: bool) -> None:
        self.staged.append(rel)
        self.written += 1

    def read(self, rel: str) -> bytes:
        return self.files[rel]

    def by_url(self) -> dict[str, bytes]:
        """Every output by the URL that serves it (a folder's index.html by the folder)."""
        out = {}
        for rel, data in self.files.items():
            url = under(self.base_path, rel)
            if url.endswith("/index.html"):
                url = url.removesuffix("index.html")
            out[url] = data
        return out

    def commit(self) -> None:
        pass

    def abort(self) -> None:
        pass
