"""build_index: Articles in, the Site every page is made from out. The order of the site's
articles, the tag, source and date groupings and their order, stories, numbered editions and
one spelling per tag; on a handful of in-memory articles."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from generator.core.groups import Site
from generator.core.model import Article, Tag
from generator.index.select import canonical_tag_names
from generator.index.site import build_index, newest_first
from generator.read.config import SiteConfig
from support.articles import CONFIG, dated, source

WIRE, MIRROR, AGENCY = source("Wire"), source("Mirror"), source("agency")


def articles() -> list[Article]:
    """Five articles over two years (days after 2022-01-01); two share a date."""
    return [
        dated("w1", 0, ("beta",), story="s", outlet=WIRE),  # 2022-01-01
        dated("w2", 31, ("beta", "Alpha"), outlet=WIRE),  # 2022-02-01
        dated("m1", 31, ("Gamma",), story="s", outlet=MIRROR),  # 2022-02-01, as w2
        dated("a2", 32, ("beta",), story="t", outlet=AGENCY),  # 2022-02-02
        dated("a1", 365, ("Alpha",), outlet=AGENCY),  # 2023-01-01
    ]


def paths(items: tuple[Article, ...]) -> list[str]:
    return [a.path for a in items]


def site(config: SiteConfig = CONFIG) -> Site:
    return build_index(articles(), config)


def test_articles_are_newest_first_and_equal_dates_go_by_path() -> None:
    assert paths(site().articles) == ["a1", "a2", "m1", "w2", "w1"]
    assert paths(newest_first(reversed(articles()))) == ["a1", "a2", "m1", "w2", "w1"]


def test_tags_are_sorted_by_name_whatever_the_case_each_newest_first() -> None:
    tags = site().tags
    assert [(t.name, t.url, paths(t.articles)) for t in tags] == [
        ("Alpha", "/tags/Alpha/", ["a1", "w2"]),
        ("beta", "/tags/beta/", ["a2", "w2", "w1"]),
        ("Gamma", "/tags/Gamma/", ["m1"]),
    ]


def test_sources_are_sorted_by_name_whatever_the_case_each_newest_first() -> None:
    sources = site().sources
    assert [(s.name, s.url, paths(s.articles)) for s in sources] == [
        ("agency", "/sources/agency/", ["a1", "a2"]),
        ("Mirror", "/sources/mirror/", ["m1"]),
        ("Wire", "/sources/wire/", ["w2", "w1"]),
    ]


def test_years_months_and_days_newest_first_under_the_base_path() -> None:
    years = site().years
    assert [(y.year, y.url, paths(y.articles)) for y in years] == [
        (2023, "/news/2023/", ["a1"]),
        (2022, "/news/2022/", ["a2", "m1", "w2", "w1"]),
    ]
    months = years[1].months
    assert [(m.month, m.name, m.url, paths(m.articles)) for m in months] == [
        (2, "February", "/news/2022/02/", ["a2", "m1", "w2"]),
        (1, "January", "/news/2022/01/", ["w1"]),
    ]
    assert [(d.day, d.url, paths(d.articles)) for d in months[0].days] == [
        (2, "/news/2022/02/02/", ["a2"]),
        (1, "/news/2022/02/01/", ["m1", "w2"]),
    ]


def test_stories_oldest_article_first_and_the_most_recently_active_first() -> None:
    stories = site().stories
    assert [(s.key, s.url, s.title, paths(s.articles), s.registered) for s in stories] == [
        ("t", "/news/stories/t/", "a2", ["a2"], False),
        # no stories.yaml entry: the story is named after its earliest article
        ("s", "/news/stories/s/", "w1", ["w1", "m1"], False),
    ]


def test_daily_editions_are_numbered_by_days_since_the_first() -> None:
    editions = site().editions
    assert [(e.number, e.key, e.url, paths(e.articles)) for e in editions] == [
        (366, "2023-01-01", "/news/editions/2023-01-01/", ["a1"]),
        (33, "2022-02-02", "/news/editions/2022-02-02/", ["a2"]),
        (32, "2022-02-01", "/news/editions/2022-02-01/", ["m1", "w2"]),
        (1, "2022-01-01", "/news/editions/2022-01-01/", ["w1"]),
    ]
    assert editions[0].title == "Sunday, 1 January 2023"
    middle = editions[1]
    assert middle.prev is not None and middle.prev.number == 32  # the older one
    assert middle.next is not None and middle.next.number == 366
    assert editions[0].next is None and editions[-1].prev is None


def test_weekly_editions_none_and_a_first_edition_day() -> None:
    weekly = site(replace(CONFIG, editions="weekly")).editions
    assert [(e.number, e.key, e.start, paths(e.articles)) for e in weekly] == [
        (53, "2022-w52", date(2022, 12, 26), ["a1"]),
        (6, "2022-w05", date(2022, 1, 31), ["a2", "m1", "w2"]),
        (1, "2021-w52", date(2021, 12, 27), ["w1"]),
    ]
    assert site(replace(CONFIG, editions="none")).editions == ()
    later = site(replace(CONFIG, editions_start=date(2022, 2, 1))).editions
    assert [(e.number, e.key) for e in later] == [(335, "2023-01-01"), (2, "2022-02-02"), (1, "2022-02-01")]


def test_a_tag_written_several_ways_gets_its_most_used_spelling() -> None:
    def spelt(path: str, name: str) -> Article:
        return replace(dated(path, 0), tags=(Tag(name, "russia", "/tags/russia/", "/tags/russia/feed.xml"),))

    fixed = canonical_tag_names([spelt("x", "russia"), spelt("y", "Russia"), spelt("z", "Russia")])
    assert [a.tags[0].name for a in fixed] == ["Russia", "Russia", "Russia"]
    tied = canonical_tag_names([spelt("x", "russia"), spelt("y", "Russia")])
    assert [a.tags[0].name for a in tied] == ["Russia", "Russia"]  # a tie: the first in sort order
    group = build_index(fixed, SiteConfig(root=Path("/nonexistent"), title="T", base_url="https://e.org/")).tags
    assert [(t.name, paths(t.articles)) for t in group] == [("Russia", ["x", "y", "z"])]
