"""The index related articles are computed over (related.py): each article's tags, story and
day by its place in the newest-first order, each tag's list and weight, and the tags as bits;
kept by serve between builds and updated in place when only some articles' inputs changed."""

from __future__ import annotations

import math
from bisect import insort
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import compress, pairwise
from typing import TypeVar

from ..core.model import Article

_T = TypeVar("_T")

WINDOW = 8  # neighbours in time looked at on each side, per tag
HALF_LIFE_DAYS = 14.0  # a candidate this far away in time counts half

# per article path: (date as a timestamp, tag slugs, story)
Inputs = dict[str, tuple[float, frozenset[str], str]]


def _weight(n: int, members: int) -> float:
    """A tag's weight among n articles: the rarer, the more it counts."""
    return math.log(1.0 + n / members)


def _story_lists(stories: list[str]) -> defaultdict[str, list[int]]:
    """Each story's articles by place, newest first."""
    lists: defaultdict[str, list[int]] = defaultdict(list)
    for i, story in enumerate(stories):
        if story:
            lists[story].append(i)
    return lists


class RelatedIndex:
    def __init__(self, articles: tuple[Article, ...], inputs: Inputs) -> None:
        self.n = n = len(articles)
        self.paths = [a.path for a in articles]
        self.at = {p: i for i, p in enumerate(self.paths)}
        self.stories = [a.story for a in articles]
        self.tag_sets = [inputs[p][1] for p in self.paths]
        self.days = [inputs[p][0] / 86400.0 for p in self.paths]
        self.by_tag: dict[str, list[int]] = defaultdict(list)
        for i, slugs in enumerate(self.tag_sets):
            for slug in slugs:
                self.by_tag[slug].append(i)  # newest first, like `articles`
        self.by_story = _story_lists(self.stories)
        self.weight = {slug: _weight(n, len(members)) for slug, members in self.by_tag.items()}
        # each article's tags as the bits of one int (a bit per tag), and the sum of the
        # weights of each set of shared tags met, worked out once: most pairs of articles share
        # one tag, or the same few
        self.bit = {slug: 1 << b for b, slug in enumerate(sorted(self.by_tag))}
        self.masks = [sum(map(self.bit.__getitem__, slugs)) for slugs in self.tag_sets]
        self.slug_of_bit = {bit: slug for slug, bit in self.bit.items()}
        self.shared = _SharedWeights(self.slug_of_bit, self.weight)
        # each tag's list as article -> place on it, made when first needed: a partial
        # computation looks at a few tags' lists
        self.places: dict[str, dict[int, int]] = {}

    def rebase(self, articles: tuple[Article, ...], inputs: Inputs, changed: set[str]) -> None:
        """Turn this index into the index of `articles`, whose inputs differ from its own only
        for `changed` (articles edited, added or removed): the others keep their order among
        themselves, so their places on every list are carried over, and the changed ones are
        placed anew. Every list and weight is a new one (the memory keeps the last weights)."""
        paths = [a.path for a in articles]
        at = dict(zip(paths, range(len(paths)), strict=True))
        # where each of the last articles is now; -1: gone or changed (placed again below)
        now = [-1 if p in changed else at.get(p, -1) for p in self.paths]
        kept = [k >= 0 for k in now]
        placed = sorted((at[p], p) for p in changed if p in at)

        def spliced(values: list[_T], value: Callable[[str], _T]) -> list[_T]:
            """The others' values in their order (they keep it), the changed ones' put in."""
            out = list(compress(values, kept))
            for k, path in placed:
                out.insert(k, value(path))
            return out

        place = now.__getitem__
        by_tag: dict[str, list[int]] = defaultdict(list)
        for slug, members in self.by_tag.items():
            carried = [k for k in map(place, members) if k >= 0]
            if carried:
                by_tag[slug] = carried
        for k, path in placed:
            for slug in inputs[path][1]:
                insort(by_tag[slug], k)
        self.tag_sets = spliced(self.tag_sets, lambda p: inputs[p][1])
        self.masks = spliced(self.masks, lambda p: self._mask(inputs[p][1]))
        self.stories = spliced(self.stories, lambda p: inputs[p][2])
        self.days = spliced(self.days, lambda p: inputs[p][0] / 86400.0)
        self.n = n = len(paths)
        self.paths, self.at, self.by_tag = paths, at, by_tag
        self.by_story = _story_lists(self.stories)
        self.weight = {slug: _weight(n, len(members)) for slug, members in by_tag.items()}
        self.shared = _SharedWeights(self.slug_of_bit, self.weight)
        self.places = {}

    def update(self, inputs: Inputs, changed: Iterable[str]) -> None:
        """Turn this index into the index of `inputs`: the same articles in the same order, whose
        inputs differ only for `changed` (a tag, story or date edit that moved nothing in
        time): their lists, weights and masks updated in place. The weights are a new dict
        (the memory keeps the last ones)."""
        self.weight = dict(self.weight)
        touched: set[str] = set()
        for path in changed:
            i = self.at[path]
            day, slugs, story = inputs[path]
            before = self.tag_sets[i]
            for slug in before - slugs:
                self.by_tag[slug].remove(i)
            for slug in slugs - before:
                insort(self.by_tag[slug], i)
            touched |= before ^ slugs
            if story != self.stories[i]:
                if self.stories[i]:
                    self.by_story[self.stories[i]].remove(i)
                if story:
                    insort(self.by_story[story], i)
                self.stories[i] = story
            self.tag_sets[i], self.days[i] = slugs, day / 86400.0
            self.masks[i] = self._mask(slugs)
        for slug in touched:
            self.places.pop(slug, None)
            members = self.by_tag[slug]
            if members:
                self.weight[slug] = _weight(self.n, len(members))
            else:
                del self.by_tag[slug], self.weight[slug]
        self.shared = _SharedWeights(self.slug_of_bit, self.weight)

    def _mask(self, slugs: frozenset[str]) -> int:
        """The tags as bits; a tag new since the index was made takes the next bit (only which
        tags two articles share counts, not which bits say it)."""
        for slug in slugs - self.bit.keys():
            self.bit[slug] = bit = 1 << len(self.bit)
            self.slug_of_bit[bit] = slug
        return sum(map(self.bit.__getitem__, slugs))

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
