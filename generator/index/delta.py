"""Under `digest serve`: what changed among a language's articles since the last build_index, by
object. serve keeps the finished objects of the articles that did not change (engine/finished.py),
so after a tag edit, an added or a deleted article all but a few of this build's articles are the
very objects of the last one. The newest-first order, the tag, source and day groups and the
editions' periods are then the last ones with those few taken out and put in (index/site.py),
instead of made again from every article: each group that holds none of them is the kept one.

It assumes that an article object the last build_index was handed has not changed since in what
indexing reads of it. The one place that changes articles in place (engine/bodyedits.py
keep_last_plan, a card that changed in what no index reads) calls KeptIndex.changed_in_place,
and the next build_index then groups every article again."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

from ..core.model import Article

# more articles new or gone than this (and than a twentieth of the site): grouped again
FEW = 32
_PATH, _DATE = attrgetter("path"), attrgetter("date")
_K = TypeVar("_K")


@dataclass(frozen=True)
class Delta:
    """The articles a warm build gained and lost since the last."""

    ordered: tuple[Article, ...]  # this build's articles, newest first (as site.newest_first)
    fresh: tuple[Article, ...]  # the objects the last build did not have, newest first
    gone: tuple[Article, ...]  # the last build's objects this one does not have
    gone_ids: frozenset[int]
    last: tuple[Article, ...]  # the last build's articles, newest first: what this is a delta from

    @property
    def moved(self) -> tuple[Article, ...]:
        """The articles whose groups changed: the new objects and the gone ones."""
        return self.fresh + self.gone


def find_delta(
    last: tuple[Article, ...], last_ids: frozenset[int], articles: Sequence[Article]
) -> Delta | None:
    """The delta from `last` (the last build's newest-first articles, `last_ids` their ids) to
    `articles`; None when too many differ to be worth it (or nothing was kept)."""
    if not last:
        return None
    most = max(FEW, len(articles) // 20)
    fresh = [a for a in articles if id(a) not in last_ids]
    if len(fresh) > most:
        return None
    gone: list[Article] = []
    if len(articles) - len(fresh) != len(last):  # some of the last objects are not here
        now = {id(a) for a in articles}
        gone = [a for a in last if id(a) not in now]
        if len(gone) > most:
            return None
    gone_ids = frozenset(map(id, gone))
    fresh.sort(key=_PATH)
    fresh.sort(key=_DATE, reverse=True)
    ordered = [a for a in last if id(a) not in gone_ids] if gone_ids else list(last)
    for article in fresh:
        ordered.insert(place(ordered, article), article)
    return Delta(tuple(ordered), tuple(fresh), tuple(gone), gone_ids, last)


def place(items: Sequence[Article], article: Article) -> int:
    """Where `article` goes in `items` (newest first; the same date: by path)."""
    date, path = article.date, article.path
    low, high = 0, len(items)
    while low < high:
        middle = (low + high) // 2
        other = items[middle]
        if other.date > date or (other.date == date and other.path < path):
            low = middle + 1
        else:
            high = middle
    return low


def _regroup(items: Iterable[Article], delta: Delta, joining: Iterable[Article]) -> tuple[Article, ...]:
    """A group's articles (newest first) after the delta: the gone ones out, `joining` (those
    of the new ones that are in the group, newest first) in."""
    gone = delta.gone_ids
    out = [a for a in items if id(a) not in gone] if gone else list(items)
    for article in joining:
        out.insert(place(out, article), article)
    return tuple(out)


def regrouped(
    groups: Mapping[_K, Sequence[Article]], delta: Delta, keys_of: Callable[[Article], Iterable[_K]]
) -> dict[_K, tuple[Article, ...]]:
    """The groups (by key: `keys_of` an article) that the new or gone articles are or were in,
    after the delta; () for a group none is left in. Every other group is as it was."""
    keys = {key for article in delta.moved for key in keys_of(article)}
    fresh = delta.fresh
    joining = {key: [a for a in fresh if key in keys_of(a)] for key in keys}
    return {key: _regroup(groups.get(key, ()), delta, joining[key]) for key in keys}
