"""Related articles, computed once per build for every article. Pure and linear in the number of
articles: the same story first, then articles sharing tags, a rare tag counting for more than
a common one, the nearer in time the better.

Candidates through a tag are only the articles nearest in time on that tag's list (a window of
WINDOW on either side), so a tag carried by every article costs no more than a rare one: the
whole computation is O(n · tags per article · WINDOW), never n².

Incremental: given the last computation (`Memory`), only the articles whose result can have
changed are computed again. An article's candidates and their scores' parts (the shared tags,
the days apart) change only when an edited, added or removed article is, or was, within its
windows, or in its story: those are computed again. Everything else can change only through
the tags' weights, which move with the number of articles and of each tag's articles; each
result keeps the margin by which its order holds (the smallest relative gap between the scores
of its chosen candidates and the best one left out) and the weights it was computed with (its
epoch: the results computed in one build share them): an article is computed again when its
tags' weights have since moved apart by enough to use the margin up. The results of an epoch
are kept in the order of their margins, so that only those with a margin below what the
epoch's weights moved by at most are looked at one by one. Exact: the same results as a full
computation (tests check it)."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ..core.model import Article
from .delta import Delta
from .relatedindex import HALF_LIFE_DAYS, WINDOW, Inputs, RelatedIndex

__all__ = ["EPOCHS", "HALF_LIFE_DAYS", "LIMIT", "WINDOW", "Memory", "related_articles"]

LIMIT = 4  # related articles per article
# rounding: a margin is trusted only this far above what the weights' moves may have used
SLACK = 1e-9
# more changed articles than this share of all (another language's articles, a first build):
# everything is computed again, which then costs less than working out what to redo
WIDE = 0.25
# epochs kept at most: beyond, the results of the smallest are computed again (each build that
# computes some makes one; every epoch is looked at on every build)
EPOCHS = 12


@dataclass
class Memory:
    """The inputs and results of the last computation: what lets the next one be partial."""

    limit: int = LIMIT
    inputs: Inputs = field(default_factory=dict)
    results: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path -> related paths
    changed: bool = True  # the last computation changed something: worth saving
    weights: dict[str, float] = field(default_factory=dict)  # each tag's, as last computed
    # path -> (the margin its order held by when computed, its epoch)
    margins: dict[str, tuple[float, int]] = field(default_factory=dict)
    epochs: dict[int, dict[str, float]] = field(default_factory=dict)  # epoch -> each tag's weight
    # epoch -> its results' (margin, path) by margin; a path computed again since is left in
    # (margins says which epoch it is in now) until the list is made again
    by_epoch: dict[int, list[tuple[float, str]]] = field(default_factory=dict)
    sizes: dict[int, int] = field(default_factory=dict)  # epoch -> its results
    clock: int = 0  # the last epoch
    computed: int = 0  # results the last computation made (the others were kept)
    # for this process only, not stored: each article's inputs by its object (inputs_of), the
    # inputs they were last worked out for (the articles not new since are those of `inputs`
    # while it is that very dict), the last computation's index and what it returned
    seen: dict[int, tuple[Article, Any]] = field(default_factory=dict, compare=False, repr=False)
    seen_for: Inputs | None = field(default=None, compare=False, repr=False)
    last: tuple[Article, ...] | None = field(default=None, compare=False, repr=False)  # those articles
    index: RelatedIndex | None = field(default=None, compare=False, repr=False)
    out: dict[str, tuple[Article, ...]] | None = field(default=None, compare=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name not in _PROCESS_ONLY}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.seen, self.seen_for, self.last, self.index, self.out = {}, None, None, None, None


_PROCESS_ONLY = frozenset({"seen", "seen_for", "last", "index", "out"})


def inputs_of(
    articles: tuple[Article, ...],
    seen: dict[int, tuple[Article, Any]] | None = None,
    fresh: list[str] | None = None,
) -> Inputs:
    """`seen`: each article's inputs as last worked out, by the article object (kept alive
    there, so that its id stays its own): serve keeps unchanged articles' objects between
    builds (engine/finished.py). It is made to hold these articles' only. `fresh` gets the
    paths of the articles not in it (new objects)."""
    if seen is None:
        return {a.path: _inputs(a) for a in articles}
    inputs: Inputs = {}
    now: dict[int, tuple[Article, Any]] = {}
    for a in articles:
        known = seen.get(id(a))
        if known is None or known[0] is not a:
            known = (a, _inputs(a))
            if fresh is not None:
                fresh.append(a.path)
        now[id(a)] = known
        inputs[a.path] = known[1]
    seen.clear()
    seen.update(now)
    return inputs


def _inputs_after(memory: Memory, delta: Delta, fresh: list[str]) -> Inputs:
    """inputs_of the delta's articles, made of the memory's (those of delta.last) and `seen`
    updated the same way, by the new and gone objects alone."""
    inputs, seen = dict(memory.inputs), memory.seen
    for article in delta.gone:
        del seen[id(article)], inputs[article.path]
    for article in delta.fresh:
        known = seen[id(article)] = (article, _inputs(article))
        inputs[article.path] = known[1]
        fresh.append(article.path)
    return inputs


def _inputs(a: Article) -> tuple[float, frozenset[str], str]:
    return a.date.timestamp(), frozenset(t.slug for t in a.tags), a.story


def related_articles(
    articles: tuple[Article, ...],
    limit: int = LIMIT,
    memory: Memory | None = None,
    delta: Delta | None = None,
) -> dict[str, tuple[Article, ...]]:
    """article path -> up to `limit` related articles. `articles` are newest first (by date,
    then path). `memory`, when given, holds the last computation; it is updated to this one.
    `delta`: the articles new and gone since the last build_index (index/delta.py)."""
    if memory is None:
        results, _ = _compute(articles, inputs_of(articles), limit, None, None)
        return _objects(articles, results, None, None, (), set(), set())
    # the articles whose objects are new since the last computation: only theirs can differ,
    # when it was this process's (serve keeps the others' objects: engine/finished.py)
    synced = memory.seen_for is not None and memory.seen_for is memory.inputs
    fresh: list[str] = []
    if synced and delta is not None and delta.last is memory.last:  # those of the delta
        inputs = _inputs_after(memory, delta, fresh)
    else:
        inputs = inputs_of(articles, memory.seen, fresh)
    memory.last = articles
    old = memory.inputs
    gone = old.keys() - inputs.keys()
    if synced:
        changed = {p for p in fresh if old.get(p) != inputs[p]} | gone
    else:
        changed = {p for p, now in inputs.items() if old.get(p) != now} | gone
    redone: Iterable[str]
    if memory.limit == limit and not changed:
        memory.changed, memory.computed = False, 0  # nothing moved: the results stand
        memory.inputs, results, redone = inputs, memory.results, ()
    else:
        results, redone = _compute(articles, inputs, limit, memory, changed)
    memory.seen_for = inputs
    last = memory.out if synced and memory.out is not None else None
    memory.out = out = _objects(articles, results, memory.index, last, redone, gone, set(fresh))
    return out


def _objects(
    articles: tuple[Article, ...],
    results: dict[str, tuple[str, ...]],
    index: RelatedIndex | None,
    last: dict[str, tuple[Article, ...]] | None,
    redone: Iterable[str],
    gone: set[str],
    fresh: set[str],
) -> dict[str, tuple[Article, ...]]:
    """The results as article objects. `last`: what the last computation returned, which
    stands where neither the result nor any of its articles' objects changed."""
    if last is None or index is None:
        by_path = {a.path: a for a in articles}
        return {path: tuple(by_path[p] for p in found) for path, found in results.items() if found}
    at = index.at
    out = dict(last)
    for path in gone:
        out.pop(path, None)
    again = set(redone)
    if fresh:
        again.update(path for path, found in results.items() if not fresh.isdisjoint(found))
    for path in again:
        found = results.get(path)
        if found:
            out[path] = tuple(articles[at[p]] for p in found)
        else:
            out.pop(path, None)
    return out


def _compute(
    articles: tuple[Article, ...],
    inputs: Inputs,
    limit: int,
    memory: Memory | None,
    changed: set[str] | None,
) -> tuple[dict[str, tuple[str, ...]], Iterable[str]]:
    """The results, computed again where they may have changed since `memory` (`changed`: the
    articles whose inputs differ from its, or are gone; everywhere without one, or when too
    much changed), and the articles whose results were computed; `memory` becomes this
    computation."""
    old = memory.inputs if memory is not None else {}
    index = _kept_index(memory, articles, inputs, changed) if memory is not None else None
    if index is None:
        index = RelatedIndex(articles, inputs)
    at = index.at
    results: dict[str, tuple[str, ...]] = {}
    partial = False
    todo: set[str] | list[str] = index.paths
    if index.n < 2:
        todo = []
    elif (
        memory is not None
        and changed is not None
        and memory.limit == limit
        and len(changed) <= WIDE * index.n
    ):
        partial, results = True, memory.results
        for path in old.keys() - inputs.keys():
            results.pop(path, None)
            _forget(memory, path)
        todo = _to_redo(changed, memory, inputs, index, at)
    computed: list[tuple[float, str]] = []  # (margin, path)
    for path in todo:
        found, margin = index.related(at[path], limit)
        results[path] = tuple(index.paths[j] for j in found)
        computed.append((margin, path))
    redone = todo if todo or index.n >= 2 else index.paths  # (none: every result is new, empty)
    if memory is not None:
        if not partial:
            memory.margins, memory.epochs, memory.by_epoch, memory.sizes = {}, {}, {}, {}
        _file(memory, computed, index.weight)
        memory.changed = True
        memory.limit, memory.inputs, memory.results = limit, inputs, results
        memory.weights, memory.computed, memory.index = index.weight, len(todo), index
    return results, redone


def _kept_index(
    memory: Memory, articles: tuple[Article, ...], inputs: Inputs, changed: set[str] | None
) -> RelatedIndex | None:
    """The last computation's index, updated, when few articles changed: in place when they
    are the same articles in the same order (a tag, story or date edit), else carried over to
    the new order (an addition, a deletion, a date moved); None when too many changed."""
    index = memory.index
    memory.index = None  # updated in place below, or replaced: not the last one's any more
    if index is None or changed is None or len(changed) > WIDE * len(articles):
        return None
    old = memory.inputs
    if not all(
        p not in old or p not in index.at or index.tag_sets[index.at[p]] == old[p][1] for p in changed
    ):
        return None  # not the index of the memory's inputs: made afresh
    if index.n == len(articles) and all(a.path == p for a, p in zip(articles, index.paths, strict=True)):
        index.update(inputs, changed)
    else:
        index.rebase(articles, inputs, changed)
    return index


def _to_redo(
    changed: set[str], memory: Memory, inputs: Inputs, index: RelatedIndex, at: dict[str, int]
) -> set[str]:
    """The articles whose result may differ from the memory's: the changed ones (those still
    here), those whose windows hold or held one of them, the members of the stories they
    left or joined, those whose margin the weights' moves since their epoch may have used
    up, and those of the smallest epochs beyond EPOCHS."""
    old = memory.inputs
    redo = {p for p in changed if p in inputs}
    old_lists = _old_lists(old, {t for p in changed if p in old for t in old[p][1]})
    for path in changed:
        if path in inputs:
            redo.update(index.paths[j] for j in index.near(at[path]))
        if path in old:
            _, tags, story = old[path]
            for slug in tags:
                members = old_lists[slug]
                p = members.index(path)
                redo.update(q for q in members[max(0, p - WINDOW) : p + WINDOW + 1] if q in inputs)
            if story:
                redo.update(q for q, (_, _, s) in old.items() if s == story and q in inputs)
        if path in inputs and inputs[path][2]:
            redo.update(index.paths[j] for j in index.by_story.get(inputs[path][2], ()))
    redo |= _worn(memory, inputs, index)
    return redo | _aged(memory, inputs)


def _worn(memory: Memory, inputs: Inputs, index: RelatedIndex) -> set[str]:
    """The kept results whose margin their tags' weights may have used up since their epoch.
    Every kept result's margin held against the last computation's weights: when only a few
    tags' weights moved since (an edit that leaves the number of articles alone), only their
    articles are looked at. Else an epoch's results whose margin is wider than what all its
    tags' weights moved apart by are not looked at one by one."""
    worn = set()
    margins, now = memory.margins, index.weight
    moved = [slug for slug, weight in now.items() if memory.weights.get(slug) != weight]
    if len(moved) * 4 < len(now):
        for path in {index.paths[j] for slug in moved for j in index.by_tag[slug]}:
            kept = margins.get(path)
            if kept is None or _used(memory.epochs[kept[1]], now, inputs[path][1]) + SLACK >= kept[0]:
                worn.add(path)
        return worn
    for epoch, then in memory.epochs.items():
        entries = memory.by_epoch[epoch]
        cut = bisect_right(entries, _used(then, now, then.keys() & now.keys()) + SLACK, key=_MARGIN)
        for margin, path in entries[:cut]:
            if margins.get(path) != (margin, epoch) or path not in inputs:
                continue  # computed again since, or gone
            if _used(then, now, inputs[path][1]) + SLACK >= margin:
                worn.add(path)
    return worn


_MARGIN = itemgetter(0)


def _used(then: dict[str, float], now: dict[str, float], slugs: Iterable[str]) -> float:
    """What a margin computed with the weights `then` has used now, for a result whose tags
    are `slugs` (-1.0: none of their weights moved). A margin m is the relative gap
    (S1 - S2) / (S1 + S2) between two scores, each a sum of the article's tags' weights over
    a distance in time: it holds while the ratio of any two of those weights' factors (now
    over then) stays below (1 + m) / (1 - m). Weights that all move the same way move the
    scores together: what counts is the spread of the factors, not the largest move: adding
    or removing an article moves every weight a little, mostly in one direction."""
    low, high = math.inf, 0.0
    for slug in slugs:
        was, weight = then.get(slug), now.get(slug)
        if not was or weight is None:
            return math.inf
        factor = weight / was
        low, high = min(low, factor), max(high, factor)
    if high == 0.0 or low == high == 1.0:
        return -1.0
    ratio = high / low
    return (ratio - 1.0) / (ratio + 1.0)


def _aged(memory: Memory, inputs: Inputs) -> set[str]:
    """The results of the smallest epochs beyond EPOCHS - 1 (this computation makes one)."""
    extra = len(memory.epochs) - (EPOCHS - 1)
    if extra <= 0:
        return set()
    margins, sizes = memory.margins, memory.sizes
    oldest = sorted(sizes, key=lambda epoch: (sizes[epoch], epoch))[:extra]
    return {
        path
        for epoch in oldest
        for margin, path in memory.by_epoch[epoch]
        if margins.get(path) == (margin, epoch) and path in inputs
    }


def _forget(memory: Memory, path: str) -> None:
    """The result of `path` is gone or computed again: out of its epoch."""
    kept = memory.margins.pop(path, None)
    if kept is None:
        return
    epoch = kept[1]
    size = memory.sizes[epoch] = memory.sizes[epoch] - 1
    entries = memory.by_epoch[epoch]
    if not size:
        del memory.sizes[epoch], memory.by_epoch[epoch], memory.epochs[epoch]
    elif len(entries) > 2 * size + 64:  # mostly paths computed again since: made again
        margins = memory.margins
        entries[:] = [(m, p) for m, p in entries if margins.get(p) == (m, epoch)]


def _file(memory: Memory, computed: list[tuple[float, str]], weights: dict[str, float]) -> None:
    """The results just computed, (margin, path), as a new epoch of these weights."""
    if not computed:
        return
    for _, path in computed:
        _forget(memory, path)
    memory.clock = epoch = memory.clock + 1
    memory.epochs[epoch], memory.sizes[epoch] = weights, len(computed)
    memory.by_epoch[epoch] = sorted(computed)
    memory.margins.update((path, (margin, epoch)) for margin, path in computed)


def _old_lists(old: Inputs, tags: set[str]) -> dict[str, list[str]]:
    """Each of these tags' articles in the memory's order (newest first, then by path): the
    lists its windows were cut from."""
    lists: dict[str, list[str]] = {slug: [] for slug in tags}
    for path, (_, slugs, _) in old.items():
        for slug in slugs & tags:
            lists[slug].append(path)
    for members in lists.values():
        members.sort()
        members.sort(key=lambda p: old[p][0], reverse=True)
    return lists
