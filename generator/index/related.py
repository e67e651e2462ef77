"""Related articles, computed once per build for every article. Pure and linear in the number of
articles: the same story first, then articles sharing tags, a rare tag counting for more than
a common one, the nearer in time the better.

Candidates through a tag are only the articles nearest in time on that tag's list (a window of
WINDOW on either side), so a tag carried by every article costs no more than a rare one: the
whole computation is O(n · tags per article · WINDOW), never n².

Incremental: given the last build's inputs and results (`Memory`), only the articles whose
result can have changed are computed again: the edited ones, the articles on the lists of the
tags that were added or removed (their weights and windows moved), the neighbours of the edited
ones on their tags' lists, and the members of the stories they left or joined. Anything wider
(an article added, removed or moved in time) computes everything."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from ..core.model import Article

LIMIT = 4  # related articles per article
WINDOW = 8  # neighbours in time looked at on each side, per tag
HALF_LIFE_DAYS = 14.0  # a candidate this far away in time counts half

# per article path: (date as a timestamp, tag slugs, story)
Inputs = dict[str, tuple[float, frozenset[str], str]]


@dataclass
class Memory:
    """The inputs and results of the last computation: what lets the next one be partial."""

    limit: int = LIMIT
    inputs: Inputs = field(default_factory=dict)
    results: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path -> related paths
    changed: bool = True  # the last computation changed something: worth saving


def inputs_of(articles: tuple[Article, ...]) -> Inputs:
    return {a.path: (a.date.timestamp(), frozenset(t.slug for t in a.tags), a.story) for a in articles}


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
        self.masks = [sum(bit[slug] for slug in slugs) for slugs in self.tag_sets]
        self.shared = _SharedWeights({bit[slug]: slug for slug in bit}, self.weight)
        # each article's place on each of its tags' lists
        self.position: list[dict[str, int]] = [{} for _ in range(n)]
        for slug, members in self.by_tag.items():
            for p, i in enumerate(members):
                self.position[i][slug] = p

    def near(self, i: int, slugs: frozenset[str] | None = None) -> set[int]:
        """The articles within the window of article i on its tags' lists."""
        found: set[int] = set()
        for slug, p in self.position[i].items():
            if slugs is None or slug in slugs:
                found.update(self.by_tag[slug][max(0, p - WINDOW) : p + WINDOW + 1])
        return found

    def related(self, i: int, limit: int) -> list[int]:
        day = self.days[i]
        days, paths = self.days, self.paths
        chosen: list[int] = []
        if self.stories[i]:
            mates = [j for j in self.by_story[self.stories[i]] if j != i]
            mates.sort(key=lambda j: (abs(day - days[j]), paths[j]))
            chosen = mates[:limit]
        if len(chosen) < limit and self.tag_sets[i]:
            candidates = self.near(i)
            candidates.difference_update(chosen)
            candidates.discard(i)
            mask, masks, shared, want = self.masks[i], self.masks, self.shared, limit - len(chosen)
            # scores alone first (floats are cheap); only those as good as the `want`-th best
            # are ordered in full: the best score first; ties: the nearer in time, then the path
            order = list(candidates)
            if not order:
                return chosen
            scores = [-shared[mask & masks[j]] / (1.0 + abs(day - days[j]) / HALF_LIFE_DAYS) for j in order]
            worst = sorted(scores)[min(want, len(scores)) - 1]
            best = [
                (s, abs(day - days[j]), paths[j], j) for s, j in zip(scores, order, strict=True) if s <= worst
            ]
            best.sort()
            chosen += [entry[3] for entry in best[:want]]
        return chosen


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
    """article path -> up to `limit` related articles. `articles` are newest first. `memory`,
    when given, holds the last computation; it is updated to this one."""
    inputs = inputs_of(articles)
    index: _Index | None = None
    results: dict[str, tuple[str, ...]]
    todo = _to_redo(memory, inputs, limit) if memory is not None else None
    if todo is None or todo:
        index = _Index(articles, inputs)
    if todo is None:  # everything
        assert index is not None
        results = {}
        if index.n >= 2:
            for i in range(index.n):
                results[index.paths[i]] = tuple(index.paths[j] for j in index.related(i, limit))
    else:
        assert memory is not None
        results = memory.results
        if index is not None:
            at = {p: i for i, p in enumerate(index.paths)}
            for path in _widen(todo, memory.inputs, inputs, index, at):
                results[path] = tuple(index.paths[j] for j in index.related(at[path], limit))
    if memory is not None:
        memory.changed = todo != set()
        memory.limit, memory.inputs, memory.results = limit, inputs, results
    by_path = {a.path: a for a in articles}
    return {path: tuple(by_path[p] for p in found) for path, found in results.items() if found}


def _to_redo(memory: Memory, inputs: Inputs, limit: int) -> set[str] | None:
    """The articles whose own inputs changed, or None when everything must be computed."""
    old = memory.inputs
    if memory.limit != limit or len(old) != len(inputs) or len(inputs) < 2 or old.keys() != inputs.keys():
        return None
    changed = {path for path, now in inputs.items() if old[path] != now}
    if any(old[path][0] != inputs[path][0] for path in changed):
        return None  # moved in time: windows shift everywhere
    return changed


def _widen(changed: set[str], old: Inputs, new: Inputs, index: _Index, at: dict[str, int]) -> set[str]:
    """Everything whose result may differ when `changed` articles changed tags or story."""
    redo = set(changed)
    moved_tags: set[str] = set()
    for path in changed:
        _, old_tags, old_story = old[path]
        _, new_tags, new_story = new[path]
        moved_tags |= old_tags ^ new_tags
        for story in {old_story, new_story} - {""}:
            redo.update(index.paths[j] for j in index.by_story.get(story, ()))
            redo.update(p for p, (_, _, s) in old.items() if s == story)
    for slug in moved_tags:  # weights and windows of these tags moved
        redo.update(index.paths[j] for j in index.by_tag.get(slug, ()))
    for path in changed:  # whoever may have it as a candidate, then and now
        i = at[path]
        redo.update(index.paths[j] for j in index.near(i))
        # its old neighbours on tags it kept are its neighbours now; on tags it dropped,
        # every article of that tag is already in `redo`
    return redo
