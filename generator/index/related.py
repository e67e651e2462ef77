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
of its chosen candidates and the best one left out), and how far its tags' weights have moved
apart since it was computed (the spread of their relative moves, compounded build after
build): an article is computed again when that might have used the margin up. Exact: the
same results as a full computation (tests check it)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from ..core.model import Article

LIMIT = 4  # related articles per article
WINDOW = 8  # neighbours in time looked at on each side, per tag
HALF_LIFE_DAYS = 14.0  # a candidate this far away in time counts half
# rounding: a margin is trusted only this far above what the weights' moves may have used
SLACK = 1e-9
# more changed articles than this share of all (another language's articles, a first build):
# everything is computed again, which then costs less than working out what to redo
WIDE = 0.25

# per article path: (date as a timestamp, tag slugs, story)
Inputs = dict[str, tuple[float, frozenset[str], str]]


@dataclass
class Memory:
    """The inputs and results of the last computation: what lets the next one be partial."""

    limit: int = LIMIT
    inputs: Inputs = field(default_factory=dict)
    results: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path -> related paths
    changed: bool = True  # the last computation changed something: worth saving
    weights: dict[str, float] = field(default_factory=dict)  # each tag's, as last computed
    # path -> (the margin its order held by when computed, the weights' relative move since)
    margins: dict[str, tuple[float, float]] = field(default_factory=dict)
    computed: int = 0  # results the last computation made (the others were kept)
    # each article's inputs by its object (inputs_of), for this process only: not stored
    seen: dict[int, tuple[Article, Any]] = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name != "seen"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.seen = {}


def inputs_of(articles: tuple[Article, ...], seen: dict[int, tuple[Article, Any]] | None = None) -> Inputs:
    """`seen`: each article's inputs as last worked out, by the article object (kept alive
    there, so that its id stays its own): serve keeps unchanged articles' objects between
    builds (engine/finished.py). It is made to hold these articles' only."""
    if seen is None:
        return {a.path: (a.date.timestamp(), frozenset(t.slug for t in a.tags), a.story) for a in articles}
    inputs: Inputs = {}
    now: dict[int, tuple[Article, Any]] = {}
    for a in articles:
        known = seen.get(id(a))
        if known is None or known[0] is not a:
            known = (a, (a.date.timestamp(), frozenset(t.slug for t in a.tags), a.story))
        now[id(a)] = known
        inputs[a.path] = known[1]
    seen.clear()
    seen.update(now)
    return inputs


class _Index:
    def __init__(self, articles: tuple[Article, ...], inputs: Inputs) -> None:
        self.n = n = len(articles)
        self.paths = [a.path for a in articles]
        self.stories = [a.story for a in articles]
        self.tag_sets = [inputs[p][1] for p in self.paths]
        self.days = [inputs[p][0] / 86400.0 for p in self.paths]
        self.by_tag: dict[str, list[int]] = defaultdict(list)
        self.by_story: dict[str, list[int]] = defaultdict(list)
        for i, slugs in enumerate(self.tag_sets):
            for slug in slugs:
                self.by_tag[slug].append(i)  # newest first, like `articles`
            if self.stories[i]:
                self.by_story[self.stories[i]].append(i)
        self.weight = {slug: math.log(1.0 + n / len(members)) for slug, members in self.by_tag.items()}
        # each article's tags as the bits of one int (a bit per tag, in slug order), and the sum
        # of the weights of each set of shared tags met, worked out once: most pairs of
        # articles share one tag, or the same few
        bit = {slug: 1 << b for b, slug in enumerate(sorted(self.by_tag))}
        self.masks = [sum(map(bit.__getitem__, slugs)) for slugs in self.tag_sets]
        self.shared = _SharedWeights({bit[slug]: slug for slug in bit}, self.weight)
        # each tag's list as article -> place on it, made when first needed: a partial
        # computation looks at a few tags' lists
        self.places: dict[str, dict[int, int]] = {}

    def near(self, i: int) -> set[int]:
        """The articles within the window of article i on its tags' lists."""
        found: set[int] = set()
        for slug in self.tag_sets[i]:
            members = self.by_tag[slug]
            places = self.places.get(slug)
            if places is None:
                places = self.places[slug] = {j: p for p, j in enumerate(members)}
            p = places[i]
            found.update(members[max(0, p - WINDOW) : p + WINDOW + 1])
        return found

    def related(self, i: int, limit: int) -> tuple[list[int], float]:
        """Up to `limit` related articles, and the margin by which their order holds against
        the weights' moves (math.inf when no weight decides it)."""
        day = self.days[i]
        days, paths = self.days, self.paths
        chosen: list[int] = []
        if self.stories[i]:
            mates = [j for j in self.by_story[self.stories[i]] if j != i]
            mates.sort(key=lambda j: (abs(day - days[j]), paths[j]))
            chosen = mates[:limit]
        if len(chosen) >= limit or not self.tag_sets[i]:
            return chosen, math.inf
        candidates = self.near(i)
        candidates.difference_update(chosen)
        candidates.discard(i)
        if not candidates:
            return chosen, math.inf
        mask, masks, shared, want = self.masks[i], self.masks, self.shared, limit - len(chosen)
        # scores alone first (floats are cheap); only those as good as the best one left out
        # are ordered in full: the best score first; ties: the nearer in time, then the path
        order = list(candidates)
        scores = [-shared[mask & masks[j]] / (1.0 + abs(day - days[j]) / HALF_LIFE_DAYS) for j in order]
        cut = sorted(scores)[min(want + 1, len(scores)) - 1]
        best = [(s, abs(day - days[j]), paths[j], j) for s, j in zip(scores, order, strict=True) if s <= cut]
        best.sort()
        chosen += [entry[3] for entry in best[:want]]
        rest = [(s, j) for s, j in zip(scores, order, strict=True) if s > cut]
        return chosen, self._margin(mask, best, want, rest)

    def _margin(
        self, mask: int, best: list[tuple[float, float, str, int]], want: int, rest: list[tuple[float, int]]
    ) -> float:
        """The smallest relative gap the order of the chosen (the first `want` of `best`, the
        candidates as good as the best one left out, in order) holds by: the weights may all
        move by less than that, relatively, without changing it. Two that share the same tags
        with the article keep their order whatever the weights (their scores move together):
        the chosen are checked pair by pair, skipping such pairs, and the last chosen against
        the best candidate left out that shares other tags (`rest`: the other candidates)."""
        masks = self.masks
        margin = math.inf
        chosen = best[:want]
        for (s1, _, _, j1), (s2, _, _, j2) in pairwise(chosen):
            if mask & masks[j1] != mask & masks[j2]:
                margin = min(margin, (s2 - s1) / -(s1 + s2))  # scores are negated: s1 <= s2 < 0
        if len(chosen) < want:
            return margin
        last, last_mask = chosen[-1][0], mask & masks[chosen[-1][3]]
        rivals = (s for s, _, _, j in best[want:] if mask & masks[j] != last_mask)
        rival = next(rivals, None)
        if rival is None:
            rival = min((s for s, j in rest if mask & masks[j] != last_mask), default=None)
        if rival is not None:
            margin = min(margin, (rival - last) / -(last + rival))
        return margin


class _SharedWeights(dict[int, float]):
    """Set of shared tags (as bits) -> the sum of their weights, exactly rounded (math.fsum):
    the same float whatever order the tags come in, so scores tie exactly when they should."""

    def __init__(self, slug_of_bit: dict[int, str], weight: dict[str, float]) -> None:
        super().__init__()
        self.slug_of_bit, self.weight = slug_of_bit, weight

    def __missing__(self, mask: int) -> float:
        weights = []
        rest = mask
        while rest:
            low = rest & -rest
            weights.append(self.weight[self.slug_of_bit[low]])
            rest ^= low
        total = self[mask] = math.fsum(weights)
        return total


def related_articles(
    articles: tuple[Article, ...], limit: int = LIMIT, memory: Memory | None = None
) -> dict[str, tuple[Article, ...]]:
    """article path -> up to `limit` related articles. `articles` are newest first (by date,
    then path). `memory`, when given, holds the last computation; it is updated to this one."""
    inputs = inputs_of(articles, memory.seen if memory is not None else None)
    if memory is not None and memory.limit == limit and memory.inputs == inputs:
        memory.changed, memory.computed = False, 0  # nothing moved: the results stand
        results = memory.results
    else:
        results = _compute(articles, inputs, limit, memory)
    by_path = {a.path: a for a in articles}
    return {path: tuple(by_path[p] for p in found) for path, found in results.items() if found}


def _compute(
    articles: tuple[Article, ...], inputs: Inputs, limit: int, memory: Memory | None
) -> dict[str, tuple[str, ...]]:
    """The results, computed again where they may have changed since `memory` (everywhere
    without one, or when too much changed); `memory` becomes this computation."""
    index = _Index(articles, inputs)
    at = {p: i for i, p in enumerate(index.paths)}
    old = memory.inputs if memory is not None else {}
    changed = {p for p, now in inputs.items() if old.get(p) != now} | (old.keys() - inputs.keys())
    results: dict[str, tuple[str, ...]] = {}
    margins: dict[str, tuple[float, float]] = {}
    todo: set[str] | list[str] = index.paths
    if index.n < 2:
        todo = []
    elif memory is not None and memory.limit == limit and len(changed) <= WIDE * index.n:
        results, margins = memory.results, memory.margins
        for path in old.keys() - inputs.keys():
            results.pop(path, None)
            margins.pop(path, None)
        todo = _to_redo(changed, memory, inputs, index, at)
    for path in todo:
        found, margin = index.related(at[path], limit)
        results[path] = tuple(index.paths[j] for j in found)
        margins[path] = (margin, 0.0)
    if memory is not None:
        memory.changed = True
        memory.limit, memory.inputs, memory.results = limit, inputs, results
        memory.weights, memory.margins, memory.computed = index.weight, margins, len(todo)
    return results


def _to_redo(
    changed: set[str], memory: Memory, inputs: Inputs, index: _Index, at: dict[str, int]
) -> set[str]:
    """The articles whose result may differ from the memory's: the changed ones (those still
    here), those whose windows hold or held one of them, the members of the stories they
    left or joined, and those whose margin the weights' moves may have used up (the moves
    are added to what each kept result has used so far)."""
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
    moved = _moves(memory.weights, index.weight)
    # an edit that leaves the number of articles alone moves only its tags' weights: only
    # their articles are looked at
    if len(moved) * 4 < len(index.weight):
        touched = {index.paths[j] for slug in moved for j in index.by_tag[slug]}
    else:
        touched = set(inputs)
    margins = memory.margins
    for path in touched - redo:
        margin, used = margins.get(path, (0.0, math.inf))
        used = _used(used, [moved.get(slug, 0.0) for slug in inputs[path][1]])
        if used + SLACK >= margin:
            redo.add(path)
        else:
            margins[path] = (margin, used)
    return redo


def _used(used: float, moves: list[float]) -> float:
    """What a result's margin has used after its tags' weights moved by `moves` (relative,
    signed), on top of `used`. A margin m is the relative gap (S1 - S2) / (S1 + S2) between two
    scores, each a sum of the article's tags' weights over a distance in time: it holds while
    the ratio of any two of those weights' factors stays below (1 + m) / (1 - m). Weights that
    all move the same way move the scores together: what counts is the spread of the factors
    (1 + the smallest move to 1 + the largest), not the largest move: adding or removing an
    article moves every weight a little, mostly in one direction."""
    low, high = min(moves, default=0.0), max(moves, default=0.0)
    if used >= 1.0 or high == math.inf or low <= -1.0:
        return math.inf
    ratio = (1.0 + used) / (1.0 - used) * (1.0 + high) / (1.0 + low)
    return (ratio - 1.0) / (ratio + 1.0)


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


def _moves(before: dict[str, float], now: dict[str, float]) -> dict[str, float]:
    """The tags whose weight moved, by how much relatively, signed (a tag new since:
    infinitely)."""
    moves = {}
    for slug, weight in now.items():
        was = before.get(slug)
        if was != weight:
            moves[slug] = weight / was - 1.0 if was else math.inf
    return moves
