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
    # length-prefixed, so that no two different part lists give the same text
    text = "".join(f"{len(part)}:{part}" for part in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_SCALARS = (bool, int, float, date, datetime)


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
        if value is None or isinstance(value, _SCALARS):
            return f"{type(value).__name__}:{value!r}"
        key = id(value)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        cls = type(value)
        names = _FIELDS.get(cls)
        if names is None and dataclasses.is_dataclass(value):
            names = _fields(cls)
        of = self.of
        if names is not None:
            parts = [cls.__name__, *[of(getattr(value, name)) for name in names]]
        elif isinstance(value, tuple | list):
            parts = ["seq", *[of(item) for item in value]]
        elif isinstance(value, dict):
            parts = ["map"]
            for k in sorted(value, key=repr):
                parts += [repr(k), of(value[k])]
        else:
            parts = [cls.__name__, repr(value)]
        result = digest(*parts)
        self._memo[key] = result
        self._keep.append(value)
        return result
