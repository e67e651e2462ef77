"""index/site.py's KeptIndex: the story groups and editions' sections of the last build_index
are taken for the same article objects (with the same tags, story and date objects), and made
again for anything else; the index is always what a build_index without them makes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from generator.core.groups import EditionSection, Site
from generator.core.model import evolve
from generator.index.site import KeptIndex, build_index
from generator.read.stories import StoryInfo, StoryRegistry
from unit.plan.test_inputs import CONFIG, TAGS, _articles

STORIES = StoryRegistry(exists=True, stories=(StoryInfo("s1", "Story one"),))


def _sections(site: Site) -> list[tuple[EditionSection, ...]]:
    return [e.sections for e in site.editions]


def test_the_same_articles_keep_stories_and_sections() -> None:
    articles = _articles()
    kept = KeptIndex()
    first = build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    again = build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    assert all(a is b for a, b in zip(first.stories, again.stories, strict=True))
    assert all(a is b for a, b in zip(_sections(first), _sections(again), strict=True))
    assert again == build_index(articles, CONFIG, STORIES, related=False)


def test_a_changed_article_story_title_or_tags_changed_in_place_are_indexed_again() -> None:
    articles = _articles()
    kept = KeptIndex()
    build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    # another article in the place of one
    articles[3] = evolve(articles[3], tags=(TAGS[4],))
    site = build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    assert site == build_index(articles, CONFIG, STORIES, related=False)
    # a kept article (in no story) whose tags were set in place (as keep_last_plan sets cards,
    # and says so: the kept index groups every article again)
    loose = next(a for a in articles if not a.story and TAGS[4] not in a.tags)
    loose.__dict__["tags"] = (TAGS[4],)
    kept.changed_in_place()
    site = build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    assert site == build_index(articles, CONFIG, STORIES, related=False)
    assert any(s.title == "t4" and loose in s.articles for e in site.editions for s in e.sections)
    # the same articles, another title for their story in stories.yaml
    retitled = StoryRegistry(exists=True, stories=(StoryInfo("s1", "Story one, retitled"),))
    site = build_index(articles, CONFIG, retitled, related=False, kept=kept)
    assert site == build_index(articles, CONFIG, retitled, related=False)
    titles = {s.title for e in site.editions for s in e.sections if s.kind == "story"}
    assert "Story one, retitled" in titles and "Story one" not in titles


@pytest.mark.parametrize("kind", ["daily", "weekly"])
def test_editions_of_the_same_articles_between_the_same_editions_are_kept(kind: str) -> None:
    """A tag edit makes again the edition that holds the article, and no other."""
    config = replace(CONFIG, editions=kind)
    articles = _articles()
    kept = KeptIndex()
    first = build_index(articles, config, STORIES, related=False, kept=kept)
    # an article in no story (a story's articles are in sections of every edition they are in)
    at = next(i for i, a in enumerate(articles) if not a.story)
    articles[at] = evolve(articles[at], tags=(TAGS[4],))
    again = build_index(articles, config, STORIES, related=False, kept=kept)
    assert again == build_index(articles, config, STORIES, related=False)
    made_again = [new for old, new in zip(first.editions, again.editions, strict=True) if old is not new]
    assert [e.key for e in made_again] == [e.key for e in again.editions if articles[at] in e.articles]


@pytest.mark.parametrize("kind", ["daily", "weekly"])
def test_an_edition_added_or_renumbered_makes_its_neighbours_again(kind: str) -> None:
    config = replace(CONFIG, editions=kind)
    articles = _articles()
    kept = KeptIndex()
    first = build_index(articles, config, STORIES, related=False, kept=kept)
    # an article in a period of its own after the newest edition: that one links to it now
    days = sorted({e.start for e in first.editions})
    later = datetime.combine(days[-1] + timedelta(days=15), time(12), UTC)
    articles[5] = evolve(articles[5], date=later)
    site = build_index(articles, config, STORIES, related=False, kept=kept)
    assert site == build_index(articles, config, STORIES, related=False)
    assert site.editions[1].next is not None and site.editions[1].next.url == site.editions[0].url
    # an earlier first edition renumbers every edition: none is kept
    earlier = replace(config, editions_start=days[0] - timedelta(days=14))
    renumbered = build_index(articles, earlier, STORIES, related=False, kept=kept)
    assert renumbered == build_index(articles, earlier, STORIES, related=False)
    assert not any(a is b for a, b in zip(site.editions, renumbered.editions, strict=True))


def test_the_archive_groups_of_the_same_articles_are_kept() -> None:
    articles = _articles()
    kept = KeptIndex()
    first = build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    at = 7
    articles[at] = evolve(articles[at], tags=(TAGS[4],))
    again = build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    assert again == build_index(articles, CONFIG, STORIES, related=False)
    d = articles[at].date

    def days(site: Site) -> dict[object, object]:
        return {(day.year, day.month, day.day): day for y in site.years for m in y.months for day in m.days}

    old, new = days(first), days(again)
    assert {key for key in new if new[key] is not old[key]} == {(d.year, d.month, d.day)}
    old_months = {(m.year, m.month): m for y in first.years for m in y.months}
    for month in (m for y in again.years for m in y.months):
        assert (month is old_months[month.year, month.month]) == ((month.year, month.month) != (d.year, d.month))
