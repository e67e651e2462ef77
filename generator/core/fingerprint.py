"""Fingerprints of what a page is made from, so that a page whose inputs are unchanged is not
rendered again. Exact by construction: an article's fingerprint covers its file's bytes, the
settings that shape it and everything resolved from other articles; a group's covers its
articles'; anything else is fingerprinted by value."""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import sys
from datetime import date, datetime
from functools import cache
from typing import Any

from .model import Article


@cache
def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def hash_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def hash_text(text: str) -> str:
    return hash_bytes(text.encode("utf-8", "surrogatepass"))


def digest(*parts: str) -> str:
    # length-prefixed, so that no two different part lists give the same text
    return hash_text("".join([f"{len(part)}:{part}" for part in parts]))


# an Article's fields that are not its body: what a card on a list page can show
_CARD_FIELDS = tuple(
    name
    for name in Article.__dataclass_fields__
    if name not in ("fp", "card_fp", "body_html", "body_key", "ref_urls")
)


def card_key(article: Article) -> str:
    """A key of everything about the article but its body, by value."""
    return hash_text(repr(tuple(getattr(article, name) for name in _CARD_FIELDS)))


_SCALARS = (bool, int, float, date, datetime)
# a part this long is hashed; shorter ones are kept as they are, which costs less than hashing
_INLINE = 160
# sys.getrefcount of an object held by one container only, as seen inside `of`: the holder,
# the list of the holder's parts, the loop variable over it, the argument, getrefcount's own
_SOLE_HOLDER = 5
_NONE = "vNoneType:None"  # as `of` writes None


class Fingerprinter:
    """One per build: containers are memoised by identity (and kept alive for that).
    With `bodies=False`, an article counts by its card (everything but its body): for what a
    template shows without reading any article's body.

    Each value's text starts with a letter saying what it is ("s" a string, "a"/"c" an
    article, "A"/"C" a tuple of articles, "v" a scalar, "(" a container written out, "#" a
    container hashed), and a container's parts are length-prefixed (fingerprints have one
    length), so two different values never give one text."""

    def __init__(self, bodies: bool = True) -> None:
        self._memo: dict[int, str] = {}
        self._held: dict[int, str] = {}  # apart from `_memo`: `held` hashes what `top` may not
        self._keep: dict[int, object] = {}  # what the two are keyed by, by id
        self._bodies = bodies
        self._getters: dict[type, tuple[str, Any] | None] = {}

    def carry(self, lasting: frozenset[type]) -> None:
        """Keep what was worked out for the objects of the `lasting` types that something else
        still holds (the index's groups, editions and periods a warm build hands on), and
        forget the rest. The caller answers for those types: immutable through and through,
        holding no article that may change in place (engine/pagekeys.py LASTING); an object
        kept here stays alive, so its id is not given to another one."""
        keep = {key: value for key, value in self._keep.items() if type(value) in lasting}
        self._keep = {}
        alone = _alone()
        while True:  # an object let go may have been the last holder of another: again
            gone = [key for key, count in _counts(keep) if count <= alone]
            if not gone:
                break
            for key in gone:
                del keep[key]
        self._keep = keep
        self._memo = {key: text for key, text in self._memo.items() if key in keep}
        self._held = {key: text for key, text in self._held.items() if key in keep}

    def __len__(self) -> int:
        """How many objects it keeps what it worked out for."""
        return len(self._keep)

    def of(self, value: Any) -> str:
        kind = type(value)
        if kind is str:
            return "s" + value  # type: ignore[no-any-return]
        if kind is Article:
            article: Article = value
            return "a" + article.fp if self._bodies else "c" + article.card_fp
        if isinstance(value, str):
            return "s" + str(value)
        if value is None or isinstance(value, _SCALARS):
            return f"v{kind.__name__}:{value!r}"
        key = id(value)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        if kind in self._getters:
            getter = self._getters[kind]
        else:
            getter = self._getters[kind] = self._getter(kind, value)
        if getter is not None:
            name, get = getter
            items: Any = get(value)
        elif isinstance(value, tuple | list):
            name, items = "seq", value
        elif isinstance(value, dict):
            name = "map"
            items = []
            for k in sorted(value, key=repr):
                items += [repr(k), value[k]]
        else:
            name, items = kind.__name__, (repr(value),)
        of = self.of
        parts = [("s" + v if type(v) is str else of(v)) for v in items]
        text = "(" + name + "".join([f"{len(part)}:{part}" for part in parts])
        if len(text) > _INLINE:
            text = "#" + hash_text(text)
        # remembered only when something else may hold the same object: a page's own
        # PageInfo or tuple, held by its context alone, is never met again
        if sys.getrefcount(value) > _SOLE_HOLDER:
            self._memo[key] = text
            self._keep[key] = value
        return text

    def held(self, value: Any) -> str:
        """`of` for a value that the site holds for the whole build (a group, a list of the
        site's): remembered whoever else holds it, since many pages name it."""
        kind = type(value)
        if kind is Article or value is None or kind is str or isinstance(value, _SCALARS):
            return self.of(value)
        key = id(value)
        cached = self._held.get(key)
        if cached is None:
            cached = self.top(value)
            if len(cached) > _INLINE:
                cached = "#" + hash_text(cached)
            self._held[key] = cached
            self._keep[key] = value
        return cached

    def inputs(self, values: tuple[Any, ...]) -> list[str]:
        """`held` of each of a page's inputs (see PagePlan.inputs), with articles and tuples
        of articles (fresh for each page, never met again), None and ints written out
        directly, and what is held already looked up first: a site has tens of thousands."""
        bodies = self._bodies
        held = self._held
        parts: list[str] = []
        append = parts.append
        for value in values:
            kind = type(value)
            if kind is Article:
                append("a" + value.fp if bodies else "c" + value.card_fp)
            elif value is None:
                append(_NONE)
            elif kind is tuple and all(type(item) is Article for item in value):
                if bodies:
                    append("A" + "".join([item.fp for item in value]))
                else:
                    append("C" + "".join([item.card_fp for item in value]))
            else:
                known = held.get(id(value))
                if known is None:
                    known = f"vint:{value!r}" if kind is int else self.held(value)  # as `of` writes it
                append(known)
        return parts

    def top(self, value: Any) -> str:
        """`of` for a page's context values, with the commonest kinds (an article, a tuple of
        articles, None) written out directly: a site has tens of thousands of such values."""
        kind = type(value)
        if kind is Article or value is None:
            return self.of(value)
        if kind is tuple and value and all(type(item) is Article for item in value):
            if self._bodies:
                return "A" + "".join([item.fp for item in value])
            return "C" + "".join([item.card_fp for item in value])
        return self.of(value)

    @staticmethod
    def _getter(kind: type, value: Any) -> tuple[str, Any] | None:
        """A dataclass's fields, read in one call."""
        if not dataclasses.is_dataclass(value):
            return None
        names = _fields(kind)
        if not names:
            return kind.__name__, lambda _: ()
        get = operator.attrgetter(*names)
        return kind.__name__, (get if len(names) > 1 else lambda v: (get(v),))


def _counts(held: dict[int, object]) -> list[tuple[int, int]]:
    return [(key, sys.getrefcount(value)) for key, value in held.items()]


@cache
def _alone() -> int:
    """What `_counts` says of a value that nothing but its dict holds."""
    ((_, count),) = _counts({0: object()})
    return count
