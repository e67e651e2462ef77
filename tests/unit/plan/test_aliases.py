"""Alias redirect pages in the plan (generator.plan.aliases): one plan per alias, made only of
what the page shows, at the end of the plan and outside the sitemap's lists; and the checks
that keep an alias from taking another output's file."""

from __future__ import annotations

from pathlib import Path

from generator.core.model import evolve
from generator.index.site import build_index
from generator.plan.aliases import TEMPLATE, Redirect, alias_pages, alias_problems
from generator.plan.pages import plan_pages
from generator.read.config import SiteConfig
from support.articles import dated, parse

CONFIG = SiteConfig(root=Path("/nonexistent"), title="Desk", base_url="https://example.org/news/")


def test_front_matter_aliases_become_paths_under_the_base_path_with_their_lines() -> None:
    result = parse(
        "title: T\ndate: 2022-01-01\nsource: S\naliases:\n  - /old/post\n  - /old.html\n  - /old/post/\n"
    )
    assert result.article is not None
    assert result.article.aliases == ("/news/old/post/", "/news/old.html")  # one page per path
    assert result.alias_lines == (6, 7)  # the file's lines, after its opening ---
    single = parse("title: T\ndate: 2022-01-01\nsource: S\naliases: /one\nextra: {a: [1, 2], b: {c: x}}\n")
    assert single.article is not None and single.article.aliases == ("/news/one/",)
    assert single.article.extra == {"a": [1, 2], "b": {"c": "x"}}
    assert single.diagnostics == ()  # extra: and aliases: are known keys


def test_one_plan_per_alias_made_of_what_it_shows() -> None:
    article = evolve(dated("a", 0), aliases=("/news/old/", "/news/old.html"), lang="ru")
    plans = alias_pages([article])
    assert [p.url for p in plans] == ["/news/old/", "/news/old.html"]
    first = plans[0]
    assert first.template == TEMPLATE
    assert first.inputs == (Redirect("/news/old/", "https://example.org/a/", "a", "ru"),)
    assert first.context["page"].canonical == "https://example.org/a/"
    assert first.context["page"].kind == "alias"
    # the site's plan ends with them
    site = build_index([article], CONFIG)
    assert [p.url for p in plan_pages(site, CONFIG)[-2:]] == ["/news/old/", "/news/old.html"]


def test_collisions_name_both_sides() -> None:
    one = evolve(dated("one", 0), url="/news/one/", aliases=("/news/shared/", "/news/one/"))
    two = evolve(dated("two", 1), url="/news/two/", aliases=("/news/shared/", "/news/tags/", "/news/x.html"))
    three = evolve(dated("three", 2), url="/news/three/", aliases=("/news/two/", "/news/fine/"))
    articles = [one, two, three]
    plans = plan_pages(build_index(articles, CONFIG), CONFIG)
    lines = {"one": (5, 6), "two": (7, 8, 9), "three": (4, 5)}
    found = alias_problems(articles, lines, plans, {"x.html": "the file static/x.html of the site"}, "/news/")
    assert [(d.path, d.line, d.message.split(";")[0]) for d in found] == [
        ("content/one", 6, "alias /one/ is this article's own URL"),
        ("content/three", 4, "alias /two/ is also the URL of content/two"),
        ("content/two", 7, "alias /shared/ is also an alias in content/one:5"),
        ("content/two", 8, "alias /tags/ is also the URL of the site's tags page"),
        ("content/two", 9, "alias /x.html is also the file static/x.html of the site"),
    ]


def test_extra_and_unknown_keys_share_article_extra_without_clashing() -> None:
    twice = parse("title: T\ndate: 2022-01-01\nsource: S\nlayout: a\nlayout: b\n")
    assert [d.message for d in twice.diagnostics if d.level.name == "ERROR"] == ["'layout' is given twice"]
    both = parse("title: T\ndate: 2022-01-01\nsource: S\nextra: {layout: b}\nlayout: a\n")
    assert "'layout' is given both here and under 'extra'; keep one" in [d.message for d in both.diagnostics]
    merged = parse("title: T\ndate: 2022-01-01\nsource: S\nlayout: a\nextra: {series: b}\n")
    assert merged.article is not None and merged.article.extra == {"layout": "a", "series": "b"}
