"""index/site.py's KeptIndex: the story groups and editions' sections of the last build_index
are taken for the same article objects (with the same tags, story and date objects), and made
again for anything else; the index is always what a build_index without them makes."""

from __future__ import annotations

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
    # a kept article (in no story) whose tags were set in place (as keep_last_plan sets cards)
    loose = next(a for a in articles if not a.story and TAGS[4] not in a.tags)
    loose.__dict__["tags"] = (TAGS[4],)
    site = build_index(articles, CONFIG, STORIES, related=False, kept=kept)
    assert site == build_index(articles, CONFIG, STORIES, related=False)
    assert any(s.title == "t4" and loose in s.articles for e in site.editions for s in e.sections)
    # the same articles, another title for their story in stories.yaml
    retitled = StoryRegistry(exists=True, stories=(StoryInfo("s1", "Story one, retitled"),))
    site = build_index(articles, CONFIG, retitled, related=False, kept=kept)
    assert site == build_index(articles, CONFIG, retitled, related=False)
    titles = {s.title for e in site.editions for s in e.sections if s.kind == "story"}
    assert "Story one, retitled" in titles and "Story one" not in titles
