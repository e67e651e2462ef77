"""Rendered article bodies live on disk (.digest-cache/html/), not in memory: a page or feed
that needs one reads it when it is rendered. This keeps a 10,000-article build's memory to the
metadata, and lets forked workers share nothing but a folder."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

_DIR: list[Path] = []


def configure(folder: Path | None) -> None:
    _DIR[:] = [folder] if folder is not None else []
    load.cache_clear()


def active() -> bool:
    return bool(_DIR)


def save(html: str) -> str:
    """Store a body; returns its key (a content hash, so equal bodies share one file)."""
    data = html.encode("utf-8")
    key = hashlib.blake2b(data, digest_size=16).hexdigest()
    path = _DIR[0] / key[:2] / f"{key}.html"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return key


@lru_cache(maxsize=512)
def load(key: str) -> str:
    return (_DIR[0] / key[:2] / f"{key}.html").read_bytes().decode("utf-8")


def prune(keep: set[str]) -> None:
    """Remove bodies no article refers to any more."""
    if not _DIR or not _DIR[0].is_dir():
        return
    for sub in _DIR[0].iterdir():
        if not sub.is_dir():
            continue
        for path in sub.iterdir():
            if path.suffix == ".html" and path.stem not in keep:
                path.unlink(missing_ok=True)
