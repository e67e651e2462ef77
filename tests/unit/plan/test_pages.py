"""The page plan (generator.plan.pages): what pages a site has, at which URLs, with which templates
and contexts, paginated; the pager; JSON-LD that stays inside its script element. Sites are
made in memory by build_index, as the build makes them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.index.site import build_index
from generator.plan.inputs import PagePlan
from generator.plan.jsonld import safe_json
from generator.plan.pages import plan_pages
from generator.read.config import SiteConfig
from support.articles import dated, source

# two articles a page, so that a handful of articles makes paginated lists
FLAT = SiteConfig(root=Path("/nonexistent"), title="Desk", base_url="https://example.org/", per_page=2)
WIRE, AGENCY = source("Wire"), source("Agency")


def plan(config: SiteConfig = FLAT) -> list[PagePlan]:
    articles = [
        dated("w1", 0, ("beta",), story="s", outlet=WIRE),  # 2022-01-01
        dated("w2", 31, ("beta", "alpha"), outlet=WIRE),  # 2022-02-01
        dated("w3", 31, story="s", outlet=WIRE),  # 2022-02-01, as w2
        dated("a1", 32, ("beta",), outlet=AGENCY),  # 2022-02-02
        dated("a2", 365, outlet=AGENCY),  # 2023-01-01
    ]
    return plan_pages(build_index(articles, config), config)


def paths(items: Any) -> list[str] | None:
    return None if items is None else [a.path for a in items]


def page(plans: list[PagePlan], url: str) -> dict[str, Any]:
    (found,) = [p for p in plans if p.url == url]
    return found.context


def test_json_ld_cannot_close_its_script_element() -> None:
    text = safe_json({"headline": "</script><script>alert(1)</script> & <!--"})
    assert "</script" not in text and "<!--" not in text
    assert json.loads(text)["headline"] == "</script><script>alert(1)</script> & <!--"


def test_a_pager_shows_a_few_links_however_many_pages() -> None:
    from generator.plan.context import Pagination

    urls = tuple(f"/page/{n}/" for n in range(1, 1001))
    middle = Pagination(500, 1000, 20, 20_000, urls).links
    assert [(link.number, link.gap) for link in middle] == [
        (1, False), (497, True), (498, False), (499, False), (500, False), (501, False), (502, False),
        (503, True), (1000, False),
    ]  # fmt: skip
    assert middle[0].url == "/page/1/" and middle[-1].url == "/page/1000/"
    assert [link.number for link in Pagination(2, 1000, 20, 20_000, urls).links] == [1, 2, 3, 4, 5, 1000]
    assert [link.number for link in Pagination(1, 1, 20, 3, urls[:1]).links] == [1]


def test_every_page_of_a_small_site_with_its_template_in_order() -> None:
    assert [(p.url, p.template) for p in plan()] == [
        ("/", "index.html"), ("/page/2/", "index.html"), ("/page/3/", "index.html"),
        ("/a2/", "article.html"), ("/a1/", "article.html"), ("/w2/", "article.html"),
        ("/w3/", "article.html"), ("/w1/", "article.html"),
        ("/tags/", "tags.html"),
        ("/tags/alpha/", "tag.html"), ("/tags/beta/", "tag.html"), ("/tags/beta/page/2/", "tag.html"),
        ("/sources/", "sources.html"),
        ("/sources/agency/", "source.html"), ("/sources/wire/", "source.html"),
        ("/sources/wire/page/2/", "source.html"),
        ("/archive/", "archive.html"),
        ("/2023/", "year.html"), ("/2022/", "year.html"),  # months, not articles: one page
        ("/2023/01/", "month.html"), ("/2022/02/", "month.html"), ("/2022/01/", "month.html"),  # days
        ("/2023/01/01/", "day.html"), ("/2022/02/02/", "day.html"), ("/2022/02/01/", "day.html"),
        ("/2022/01/01/", "day.html"),
        ("/stories/", "stories.html"), ("/stories/s/", "story.html"),
        ("/editions/", "editions.html"),
        ("/editions/2023-01-01/", "edition.html"), ("/editions/2022-02-02/", "edition.html"),
        ("/editions/2022-02-01/", "edition.html"), ("/editions/2022-01-01/", "edition.html"),
        ("/404.html", "404.html"),
    ]  # fmt: skip


def test_lists_are_paginated_newest_first_and_numbered_in_their_titles() -> None:
    plans = plan()
    home = [p.context for p in plans if p.template == "index.html"]
    assert [
        (c["pagination"].number, c["pagination"].total, c["page"].title, paths(c["articles"])) for c in home
    ] == [(1, 3, "Desk", ["a2", "a1"]), (2, 3, "Desk (page 2)", ["w2", "w3"]), (3, 3, "Desk (page 3)", ["w1"])]
    assert home[1]["page"].canonical == "https://example.org/page/2/"
    assert home[0]["rail"] is not None and home[1]["rail"] is None  # counts on the first page only
    tag = [p.context for p in plans if p.template == "tag.html" and p.url.startswith("/tags/beta/")]
    assert [(c["page"].title, paths(c["articles"])) for c in tag] == [
        ("Tag: beta", ["a1", "w2"]),
        ("Tag: beta (page 2)", ["w1"]),
    ]
    day = page(plans, "/2022/02/01/")
    assert day["page"].title == "Tuesday, 1 February 2022" and paths(day["articles"]) == ["w2", "w3"]
    assert day["edition"].number == 32 and day["period"].prev.url == "/2022/01/01/"


def test_an_article_page_knows_its_neighbours_outlet_story_and_edition() -> None:
    plans = plan()
    w2 = page(plans, "/w2/")
    assert (w2["newer"].path, w2["older"].path) == ("a1", "w3")
    assert paths(w2["more_from_source"]) == ["w3", "w1"] and w2["story"] is None
    w1 = page(plans, "/w1/")
    assert w1["older"] is None and w1["story"].key == "s" and paths(w1["also_covered"]) == ["w3"]
    assert w1["edition"].number == 1 and w1["page"].title == "w1"


def test_site_pages_go_under_the_base_path() -> None:
    """Article, tag and source URLs are the parse stage's (here: the helpers'); the rest of the
    URLs are planned here, under the base path."""

    def own(plans: list[PagePlan]) -> list[str]:
        return [p.url for p in plans if p.template not in ("article.html", "tag.html", "source.html")]

    under_news = own(plan(replace(FLAT, base_url="https://example.org/news/")))
    assert under_news == ["/news" + url for url in own(plan())]
    assert "/news/page/2/" in under_news and "/news/2022/02/01/" in under_news and "/news/404.html" in under_news


def test_editions_off_and_search_on() -> None:
    templates = [p.template for p in plan(replace(FLAT, editions="none", search=True))]
    assert "editions.html" not in templates and "edition.html" not in templates
    assert templates[-2:] == ["search.html", "404.html"]
    assert [p.url for p in plan(replace(FLAT, search=True)) if p.template == "search.html"] == ["/search/"]


def test_archive_years_list_months_months_list_days_and_days_list_their_articles() -> None:
    plans = plan()
    year, month, day = page(plans, "/2022/"), page(plans, "/2022/02/"), page(plans, "/2022/02/01/")
    assert year["articles"] == () and [m.url for m in year["period"].children] == ["/2022/02/", "/2022/01/"]
    assert month["articles"] == () and month["pagination"].total == 1
    assert [d.url for d in month["period"].children] == ["/2022/02/02/", "/2022/02/01/"]
    assert paths(day["articles"]) and all(a.date.day == 1 for a in day["articles"])
