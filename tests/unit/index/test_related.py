"""Related articles: the same story first, then rare shared tags, then closeness in time; in
linear time however many articles share a tag; and the incremental computation a rebuild uses
equal to the full one, edit after edit."""

from __future__ import annotations

import math
import pickle
import random
import time
from collections import Counter
from datetime import timedelta

import pytest

from generator.core.model import Article, evolve
from generator.index.related import EPOCHS, HALF_LIFE_DAYS, WINDOW, Memory, related_articles
from generator.index.site import newest_first
from support.articles import STORIES, TAGS, dated, random_article, tag


def _paths(result: dict[str, tuple[Article, ...]]) -> dict[str, list[str]]:
    return {path: [a.path for a in found] for path, found in result.items()}


def _current(result: dict[str, tuple[Article, ...]], ordered: tuple[Article, ...]) -> bool:
    """Every related article is this computation's object for it (a kept result holds the
    last one's objects: an edited title must show)."""
    by_path = {a.path: a for a in ordered}
    return all(a is by_path[a.path] for found in result.values() for a in found)


def test_incremental_related_articles_equal_a_full_computation() -> None:
    rng = random.Random(7)
    articles = [random_article(n, rng) for n in range(300)]
    memory = Memory()
    related_articles(newest_first(articles), memory=memory)
    partial_runs = 0
    for step in range(60):
        i = rng.randrange(len(articles))
        action = rng.choice(["tags", "tags", "story", "date", "title", "add", "delete", "none"])
        if action == "tags":
            articles[i] = evolve(articles[i], tags=tuple(tag(t) for t in rng.sample(TAGS, rng.randint(0, 4))))
        elif action == "story":
            articles[i] = evolve(articles[i], story=rng.choice(STORIES))
        elif action == "date":
            articles[i] = evolve(articles[i], date=articles[i].date + timedelta(hours=rng.randint(1, 99)))
        elif action == "title":  # a new object, the same inputs
            articles[i] = evolve(articles[i], title=f"{articles[i].title} again")
        elif action == "add":
            articles.append(random_article(1000 + step, rng))
        elif action == "delete":
            articles.pop(i)
        ordered = newest_first(articles)
        before = dict(memory.inputs)
        incremental = related_articles(ordered, memory=memory)
        full = related_articles(ordered)
        assert _paths(incremental) == _paths(full), f"step {step}: {action}"
        assert _current(incremental, ordered), f"step {step}: {action}"
        if action in ("tags", "story") and before.keys() == memory.inputs.keys():
            partial_runs += 1
    assert partial_runs > 10  # the partial path was taken, not only full recomputations


def _by_definition(articles: tuple[Article, ...], limit: int = 4) -> dict[str, list[str]]:
    """The module's rule written out plainly: story mates by closeness, then the articles within
    WINDOW on a shared tag's list, by the exactly rounded sum of the shared tags' weights over
    (1 + days apart / HALF_LIFE_DAYS), ties by closeness, then path."""
    n = len(articles)
    lists: dict[str, list[Article]] = {}
    for a in articles:
        for t in a.tags:
            lists.setdefault(t.slug, []).append(a)
    weight = {slug: math.log(1.0 + n / len(members)) for slug, members in lists.items()}
    out: dict[str, list[str]] = {}
    for a in articles:
        day = a.date.timestamp() / 86400.0
        apart = {b.path: abs(day - b.date.timestamp() / 86400.0) for b in articles}
        mates = sorted(
            (b for b in articles if a.story and b.story == a.story and b is not a),
            key=lambda b: (apart[b.path], b.path),
        )
        chosen = [b.path for b in mates[:limit]]
        mine = {t.slug for t in a.tags}
        near = {}
        for slug in mine:
            p = lists[slug].index(a)
            for b in lists[slug][max(0, p - WINDOW) : p + WINDOW + 1]:
                if b is not a and b.path not in chosen:
                    near[b.path] = b
        scored = sorted(
            (
                -math.fsum(weight[s] for s in mine & {t.slug for t in b.tags})
                / (1.0 + apart[b.path] / HALF_LIFE_DAYS),
                apart[b.path],
                b.path,
            )
            for b in near.values()
        )
        chosen += [path for _, _, path in scored[: limit - len(chosen)]]
        if chosen and n >= 2:
            out[a.path] = chosen
    return out


def test_related_articles_follow_their_definition_ties_included() -> None:
    """Many equal weights (tags of equal use) and equal distances: ties must fall as the rule says."""
    rng = random.Random(11)
    for size in (2, 3, 40, 400):
        tags = [f"k{i}" for i in range(6)]
        articles = newest_first(
            dated(
                f"p{i:04d}",
                rng.randint(0, 30),
                tuple(rng.sample(tags, rng.randint(0, 4))),
                rng.choice(STORIES),
            )
            for i in range(size)
        )
        assert _paths(related_articles(articles)) == _by_definition(articles), size
    rng = random.Random(5)
    articles = newest_first(random_article(n, rng) for n in range(300))
    assert _paths(related_articles(articles)) == _by_definition(articles)


def test_related_articles_story_first_then_rare_tags_then_closeness() -> None:
    common = tuple(dated(f"filler{i}", 40 + i, ("common",)) for i in range(10))
    me = dated("me", 10, ("common", "rare"), story="s")
    mate = dated("mate", 90, story="s")  # far away in time, but the same story
    rare = dated("rare", 14, ("rare",))
    near = dated("near", 11, ("common",))
    far = dated("far", 300, ("common", "rare"))
    everything = sorted((me, mate, rare, near, far, *common), key=lambda a: a.date, reverse=True)
    related = related_articles(tuple(everything))
    # a rare shared tag outweighs a common one; closeness outweighs an extra tag 290 days away
    assert [a.path for a in related["me"]] == ["mate", "rare", "near", "filler0"]
    assert related["mate"][0].path == "me"


def test_related_articles_take_linear_time_even_when_every_article_shares_a_tag() -> None:
    n = 20_000
    articles = tuple(dated(f"a{i:05d}", n - i, ("everywhere", f"t{i % 50}")) for i in range(n))
    started = time.perf_counter()
    related = related_articles(articles)
    elapsed = time.perf_counter() - started
    assert len(related) == n and all(len(v) == 4 for v in related.values())
    assert elapsed < 15, f"{elapsed:.1f} s: related articles must not compare every pair (4e8 pairs)"


def _zipf_article(n: int, rng: random.Random, tags: list[str]) -> Article:
    """An article with 1-6 tags drawn as real sites use them: a few everywhere, most rare."""
    picked = {tags[min(int(rng.paretovariate(0.8)) - 1, len(tags) - 1)] for _ in range(rng.randint(1, 6))}
    day = rng.randint(0, 400)
    article = dated(f"z{n:05d}", day, tuple(sorted(picked)), rng.choice(["", "", "", "", "s1", "s2"]))
    return evolve(article, date=article.date + timedelta(minutes=rng.randint(0, 1440)))


def _computed_zipf_site(seed: int, size: int) -> tuple[random.Random, list[Article], Memory]:
    """`size` articles over 120 tags of Zipf-like popularity, their related articles computed
    into a new memory."""
    rng = random.Random(seed)
    tags = [f"t{i:03d}" for i in range(120)]
    articles = [_zipf_article(n, rng, tags) for n in range(size)]
    memory = Memory()
    related_articles(newest_first(articles), memory=memory)
    return rng, articles, memory


def test_added_removed_and_moved_articles_recompute_only_what_may_change() -> None:
    """Adding, removing or re-dating an article moves every tag's weight a little: results whose
    order holds by a wider margin are kept, and every step equals a full computation, rare
    tags (weights that move a lot) and ties included."""
    rng = random.Random(3)
    tags = [f"t{i:03d}" for i in range(120)]
    articles = [_zipf_article(n, rng, tags) for n in range(600)]
    memory = Memory()
    related_articles(newest_first(articles), memory=memory)
    assert memory.computed == 600
    computed: dict[str, list[int]] = {"add": [], "delete": [], "date": [], "tags": []}
    for step in range(160):
        action = rng.choice(["add", "delete", "date", "tags"])
        i = rng.randrange(len(articles))
        if action == "add":
            articles.append(_zipf_article(10_000 + step, rng, tags))
        elif action == "delete":
            articles.pop(i)
        elif action == "date":
            articles[i] = evolve(articles[i], date=articles[i].date + timedelta(days=rng.randint(-30, 30)))
        else:
            articles[i] = evolve(articles[i], tags=_zipf_article(0, rng, tags).tags)
        ordered = newest_first(articles)
        incremental = related_articles(ordered, memory=memory)
        computed[action].append(memory.computed)
        assert _paths(incremental) == _paths(related_articles(ordered)), f"step {step}: {action}"
    for action, counts in computed.items():
        # most steps recompute a part of the 600 (windows, stories of a hundred, slim margins)
        assert sorted(counts)[len(counts) // 2] < 200, (action, sorted(counts))


def test_adding_and_removing_articles_spares_results_whose_weights_move_together() -> None:
    """A new article moves every tag's weight (the number of articles is in each), nearly all
    the same way: a result is computed again only when its tags' weights move apart by more
    than its margin, not whenever one of them moves by that much. Here each new article has a
    tag of its own, so it is in no other article's window: what is computed again is what the
    weights' moves may have changed (280 results over the twelve additions when the largest move
    counted)."""
    rng, articles, memory = _computed_zipf_site(5, 1000)
    computed = []
    for step in range(24):
        if step < 12:
            articles.append(dated(f"new{step:03d}", 401 + step, (f"only-{step}",)))
        else:
            articles.pop(rng.randrange(len(articles) - 12))  # an older article goes
        ordered = newest_first(articles)
        incremental = related_articles(ordered, memory=memory)
        assert _paths(incremental) == _paths(related_articles(ordered)), f"step {step}"
        computed.append(memory.computed)
    assert sum(computed[:12]) < 140, computed


def test_a_memory_of_many_changes_or_another_limit_computes_everything() -> None:
    rng = random.Random(4)
    tags = [f"t{i:03d}" for i in range(40)]
    articles = [_zipf_article(n, rng, tags) for n in range(200)]
    memory = Memory()
    related_articles(newest_first(articles), memory=memory)
    others = [_zipf_article(500 + n, rng, tags) for n in range(200)]  # another language's, say
    result = related_articles(newest_first(others), memory=memory)
    assert memory.computed == 200 and _paths(result) == _paths(related_articles(newest_first(others)))
    result = related_articles(newest_first(others), limit=2, memory=memory)
    assert memory.computed == 200 and _paths(result) == _paths(
        related_articles(newest_first(others), limit=2)
    )
    related_articles(newest_first(others), limit=2, memory=memory)
    assert not memory.changed


@pytest.mark.parametrize("seed", range(40))
def test_incremental_related_articles_on_odd_sites(seed: int) -> None:
    """Sites of none to a few hundred articles, one tag to forty, stories or none, limits of
    one to six, and every kind of edit, many at once too: each step equals a full computation."""
    rng = random.Random(seed)
    tags = [f"t{i}" for i in range(rng.choice([1, 2, 3, 8, 40]))]
    days = rng.choice([1, 3, 30, 400])
    stories = ["", "", "s1", "s2"] if seed % 2 else [""]
    limit = rng.choice([1, 2, 4, 6])

    def made(n: int) -> Article:
        picked = tuple(sorted(rng.sample(tags, rng.randint(0, min(4, len(tags))))))
        article = dated(f"p{n:05d}", rng.randint(0, days), picked, rng.choice(stories))
        return evolve(article, date=article.date + timedelta(hours=rng.randint(0, 23)))

    articles = [made(n) for n in range(rng.choice([0, 1, 2, 3, 10, 60, 200]))]
    memory = Memory()
    related_articles(newest_first(articles), limit, memory)
    for step in range(25):
        action = rng.choice(["add", "delete", "date", "tags", "story", "title", "none", "many"])
        if action == "add" or not articles:
            articles.append(made(1000 + step))
        elif action == "delete":
            articles.pop(rng.randrange(len(articles)))
        elif action == "date":
            i = rng.randrange(len(articles))
            articles[i] = evolve(articles[i], date=articles[i].date + timedelta(days=rng.randint(-5, 5)))
        elif action == "tags":
            i = rng.randrange(len(articles))
            articles[i] = evolve(articles[i], tags=made(0).tags)
        elif action == "story":
            i = rng.randrange(len(articles))
            articles[i] = evolve(articles[i], story=rng.choice(["", "s1", "s3"]))
        elif action == "title":  # a new object, the same inputs
            for i in rng.sample(range(len(articles)), min(3, len(articles))):
                articles[i] = evolve(articles[i], title=f"{articles[i].title} again")
        elif action == "many":
            for k in range(rng.randint(2, 30)):
                if articles:
                    articles.pop(rng.randrange(len(articles)))
                articles.append(made(5000 + step * 100 + k))
        ordered = newest_first(articles)
        incremental = related_articles(ordered, limit, memory)
        assert _paths(incremental) == _paths(related_articles(ordered, limit)), f"step {step}: {action}"
        assert _current(incremental, ordered), f"step {step}: {action}"


def test_edits_additions_and_deletions_carry_the_last_index_over_and_many_changes_make_a_new_one() -> None:
    rng = random.Random(3)
    articles = [random_article(n, rng) for n in range(300)]
    memory = Memory()
    related_articles(newest_first(articles), memory=memory)
    for step in range(24):
        index = memory.index
        i = rng.randrange(len(articles))
        kind = step % 6
        if kind == 0:
            articles[i] = evolve(articles[i], tags=tuple(tag(t) for t in rng.sample(TAGS, rng.randint(0, 4))))
        elif kind == 1:
            articles[i] = evolve(articles[i], story=rng.choice(STORIES))
        elif kind == 2:  # moved in time: its place in the order changes
            articles[i] = evolve(articles[i], date=articles[i].date + timedelta(days=rng.randint(-9, 9)))
        elif kind == 3:
            articles.append(random_article(1000 + step, rng))
        elif kind == 4:
            articles.pop(i)
        else:  # a new object with the same inputs
            articles[i] = evolve(articles[i], title="Retitled")
        ordered = newest_first(articles)
        incremental = related_articles(ordered, memory=memory)
        assert memory.index is index, step  # carried over, not made again
        assert memory.index is not None and memory.index.paths == [a.path for a in ordered]
        assert _paths(incremental) == _paths(related_articles(ordered)) and _current(incremental, ordered)
    index = memory.index
    articles = articles[100:] + [random_article(2000 + n, rng) for n in range(100)]  # a third new
    ordered = newest_first(articles)
    assert _paths(related_articles(ordered, memory=memory)) == _paths(related_articles(ordered))
    assert memory.index is not index


def test_a_result_is_looked_at_against_the_weights_it_was_computed_with() -> None:
    """Each result keeps its epoch: the weights it was computed with. An article added and then
    removed brings every weight back to what it was, so the results kept from before are as
    good as new: each addition computes only the new article's result (its tag is its own,
    so it is in no other article's window) and each removal nothing. Compounding each build's
    moves instead computed 265 results over these forty steps."""
    _, articles, memory = _computed_zipf_site(5, 1000)
    computed = []
    for step in range(40):
        if step % 2 == 0:
            articles.append(dated(f"new{step:03d}", 401 + step, (f"only-{step}",)))
        else:
            articles.pop()
        ordered = newest_first(articles)
        incremental = related_articles(ordered, memory=memory)
        assert _paths(incremental) == _paths(related_articles(ordered)), f"step {step}"
        computed.append(memory.computed)
    assert computed == [1, 0] * 20


def test_epochs_are_bounded_and_survive_pickling() -> None:
    """Every build that computes some results makes an epoch; beyond EPOCHS the smallest are
    computed again, and a memory read back from the cache goes on exactly where it was."""
    rng = random.Random(11)
    tags = [f"t{i:03d}" for i in range(60)]
    articles = [_zipf_article(n, rng, tags) for n in range(400)]
    memory = Memory()
    related_articles(newest_first(articles), memory=memory)
    most = 0
    for step in range(60):
        if step % 3 == 0:
            articles.append(_zipf_article(5000 + step, rng, tags))
        else:
            i = rng.randrange(len(articles))
            articles[i] = evolve(articles[i], tags=_zipf_article(0, rng, tags).tags)
        if step == 30:
            memory = pickle.loads(pickle.dumps(memory))
        ordered = newest_first(articles)
        assert _paths(related_articles(ordered, memory=memory)) == _paths(related_articles(ordered)), step
        most = max(most, len(memory.epochs))
        assert memory.epochs.keys() == memory.by_epoch.keys() == memory.sizes.keys()
        live = Counter(epoch for _, epoch in memory.margins.values())
        assert live == memory.sizes and len(memory.margins) == len(memory.results) == len(articles)
    assert most == EPOCHS
