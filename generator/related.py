"""Related articles, computed once per build for every article. Pure and linear in the number of
articles: the same story first, then articles sharing tags, a rare tag counting for more than
a common one, the nearer in time the better.

Candidates through a tag are only the articles nearest in time on that tag's list (a window of
WINDOW on either side), so a tag carried by every article costs no more than a rare one: the
whole computation is O(n · tags per article · WINDOW), never n²."""

from __future__ import annotations

import math
from collections import defaultdict

from .model import Article

LIMIT = 4  # related articles per article
WINDOW = 8  # neighbours in time looked at on each side, per tag
HALF_LIFE_DAYS = 14.0  # a candidate this far away in time counts half


def related_articles(articles: tuple[Article, ...], limit: int = LIMIT) -> dict[str, tuple[Article, ...]]:
    """article path -> up to `limit` related articles. `articles` are newest first."""
    n = len(articles)
    if n < 2:
        return {}
    by_tag: dict[str, list[int]] = defaultdict(list)
    by_story: dict[str, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        for tag in article.tags:
            by_tag[tag.slug].append(i)  # newest first, like `articles`
        if article.story:
            by_story[article.story].append(i)
    idf = {slug: math.log(1.0 + n / len(members)) for slug, members in by_tag.items()}
    position = {(slug, i): p for slug, members in by_tag.items() for p, i in enumerate(members)}
    stamps = [a.date.timestamp() for a in articles]
    tag_sets = [frozenset(t.slug for t in a.tags) for a in articles]

    def days_apart(i: int, j: int) -> float:
        return abs(stamps[i] - stamps[j]) / 86400.0

    out: dict[str, tuple[Article, ...]] = {}
    for i, article in enumerate(articles):
        mates = [j for j in by_story.get(article.story, ()) if j != i] if article.story else []
        mates.sort(key=lambda j: (days_apart(i, j), articles[j].path))
        chosen = mates[:limit]
        if len(chosen) < limit and tag_sets[i]:
            taken = set(chosen)
            taken.add(i)
            candidates: set[int] = set()
            for slug in tag_sets[i]:
                members = by_tag[slug]
                p = position[(slug, i)]
                candidates.update(members[max(0, p - WINDOW) : p + WINDOW + 1])
            scored = []
            for j in candidates - taken:
                shared = sum(idf[s] for s in tag_sets[i] & tag_sets[j])
                apart = days_apart(i, j)
                scored.append((-shared / (1.0 + apart / HALF_LIFE_DAYS), apart, articles[j].path, j))
            scored.sort()
            chosen += [j for *_, j in scored[: limit - len(chosen)]]
        if chosen:
            out[article.path] = tuple(articles[j] for j in chosen)
    return out
