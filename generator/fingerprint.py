"""Fingerprints of what a page is made from, so that a page whose inputs are unchanged is not
rendered again. Exact by construction: an article's fingerprint covers its file's bytes, the
settings that shape it and everything resolved from other articles; a group's covers its
articles'; anything else is fingerprinted by value."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime
from typing import Any

from .model import Article

_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(cls))
        _FIELDS[cls] = names
    return names


def digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))  # length-prefixed: no two part lists collide
        h.update(data)
    return h.hexdigest()


class Fingerprinter:
    """One per build: containers are memoised by identity (and kept alive for that)."""

    def __init__(self) -> None:
        self._memo: dict[int, str] = {}
        self._keep: list[object] = []

    def of(self, value: Any) -> str:
        if isinstance(value, str):
            return "s" + value
        if isinstance(value, Article):
            return "a" + value.fp
        if value is None or isinstance(value, bool | int | float | date | datetime):
            return f"{type(value).__name__}:{value!r}"
        key = id(value)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        cls = type(value)
        if dataclasses.is_dataclass(value):
            parts = [cls.__name__, *(self.of(getattr(value, name)) for name in _fields(cls))]
        elif isinstance(value, tuple | list):
            parts = ["seq", *(self.of(item) for item in value)]
        elif isinstance(value, dict):
            parts = ["map"]
            for k in sorted(value, key=repr):
                parts += [repr(k), self.of(value[k])]
        else:
            parts = [cls.__name__, repr(value)]
        result = digest(*parts)
        self._memo[key] = result
        self._keep.append(value)
        return result
