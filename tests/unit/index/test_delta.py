"""index/delta.py: a build_index handed the last one's KeptIndex takes the few articles that are
new or gone since out of the kept order and groups and puts them in, instead of grouping every
article again; the site is always what a build_index without it makes."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from generator.core.groups import Site
from generator.core.model import Article, evolve
from generator.index.delta import find_delta
from generator.index.site import KeptIndex, build_index
from generator.read.stories import StoryInfo, StoryRegistry
from unit.plan.test_inputs import CONFIG, SOURCES, TAGS, _articles

STORIES = StoryRegistry(exists=True, stories=(StoryInfo("s1", "Story one"),))


def _edit(rng: random.Random, articles: list[Article], made: int) -> str:
    """One random change to `articles`, as a save under serve makes it; what it was."""
    kind = rng.choice(["add", "delete", "tags", "date", "story", "source", "same day", "none"])
    if kind == "add" or len(articles) < 3:
        base = rng.choice(articles)
        articles.append(replace(base, path=f"new{made:03d}.md", url=f"/news/new{made}/", slug=f"new{made}"))
        return "add"
    at = rng.randrange(len(articles))
    article = articles[at]
    if kind == "delete":
        del articles[at]
    elif kind == "tags":
        articles[at] = evolve(article, tags=tuple(rng.sample(TAGS, rng.randint(0, 3))))
    elif kind == "date":
        articles[at] = evolve(article, date=article.date + timedelta(hours=rng.randint(-300, 300)))
    elif kind == "story":
        articles[at] = evolve(article, story=rng.choice(["", "s1", "s2", "s3"]))
    elif kind == "source":
        articles[at] = evolve(article, source=rng.choice(SOURCES))
    elif kind == "same day":  # the same date as another article: ordered by path
        articles[at] = evolve(article, date=rng.choice(articles).date)
    return kind


@pytest.mark.parametrize("editions", ["daily", "weekly"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_walk_of_edits_indexes_as_a_build_without_the_kept_index(editions: str, seed: int) -> None:
    config = replace(CONFIG, editions=editions)
    rng = random.Random(seed)
    articles = _articles(40)
    kept = KeptIndex()
    last = build_index(articles, config, STORIES, related=False, kept=kept)
    taken = 0
    for step in range(60):
        kinds = [_edit(rng, articles, step * 3 + n) for n in range(rng.choice([1, 1, 1, 2, 3]))]
        before = (kept.ordered, kept.ids)
        delta = find_delta(*before, articles)
        site = build_index(articles, config, STORIES, related=False, kept=kept)
        assert site == build_index(articles, config, STORIES, related=False), (step, kinds)
        if delta is not None:
            taken += 1
            _kept_groups_stand(last, site, delta.moved)
        last = site
    assert taken == 60


def _kept_groups_stand(last: Site, site: Site, moved: tuple[Article, ...]) -> None:
    """The tag and source groups that hold none of the moved articles are the last ones."""
    tags = {t.slug for a in moved for t in a.tags}
    sources = {a.source.slug for a in moved}
    old_tags = {g.slug: g for g in last.tags}
    old_sources = {g.slug: g for g in last.sources}
    assert all(g is old_tags[g.slug] for g in site.tags if g.slug not in tags)
    assert all(g is old_sources[g.slug] for g in site.sources if g.slug not in sources)


def test_many_changes_or_nothing_kept_group_everything_again() -> None:
    articles = _articles(40)
    kept = KeptIndex()
    assert find_delta(kept.ordered, kept.ids, articles) is None  # nothing kept yet
    build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    delta = find_delta(kept.ordered, kept.ids, articles)
    assert delta is not None and not delta.moved
    renamed = [evolve(a, title=a.title + "!") for a in articles]
    assert find_delta(kept.ordered, kept.ids, renamed) is None  # 40 new objects: beyond FEW


def test_an_article_changed_in_place_is_grouped_again_once_said() -> None:
    """keep_last_plan changes articles in place and says so (KeptIndex.changed_in_place)."""
    articles = _articles(40)
    kept = KeptIndex()
    build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    loose = next(a for a in articles if TAGS[4] not in a.tags)
    loose.__dict__["tags"] = (*loose.tags, TAGS[4])
    kept.changed_in_place()
    assert find_delta(kept.ordered, kept.ids, articles) is None
    site = build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    assert site == build_index(articles, CONFIG, STORIES, related=False)
    assert loose in next(g for g in site.tags if g.slug == TAGS[4].slug).articles


def test_related_articles_take_their_inputs_from_the_delta(monkeypatch: pytest.MonkeyPatch) -> None:
    """related.py works out only the new articles' inputs (not every article's again), and its
    results are those of a computation from nothing, edit after edit."""
    from generator.index import related

    calls = []
    whole = related.inputs_of
    monkeypatch.setattr(related, "inputs_of", lambda *a, **k: calls.append(1) or whole(*a, **k))
    rng = random.Random(7)
    articles = _articles(40)
    kept, memory = KeptIndex(), related.Memory()
    build_index(articles, CONFIG, STORIES, memory=memory, kept=kept)
    for step in range(40):
        kind = _edit(rng, articles, step)
        site = build_index(articles, CONFIG, STORIES, memory=memory, kept=kept)
        assert site == build_index(articles, CONFIG, STORIES), (step, kind)
    assert len(calls) == 1 + 40  # the first build's, and the 40 builds from nothing above
