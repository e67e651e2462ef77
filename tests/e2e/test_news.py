"""News-native features on real sites: stories across outlets, numbered editions (pages, feed,
email), the Google News sitemap, sources.opml, tracking parameters, duplicate originals, the new
configuration keys and stories.yaml, and check --suggest-stories. Related articles and the news
sitemap's window are unit-tested (tests/unit/index/test_related.py, unit/render/test_sitemap.py)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from conftest import EPOCH, FIXTURES, REPO, files_under, run_digest

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
NOW = datetime.fromtimestamp(int(EPOCH), UTC)  # 2023-11-14T22:13:20Z


def make_site(root: Path, articles: dict[str, str], config: str = "", stories: str | None = None) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "digest.yaml").write_text(
        "title: News Desk\nbase_url: https://example.org/news/\ntimezone: UTC\n" + config, encoding="utf-8"
    )
    for name, text in articles.items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    if stories is not None:
        (root / "stories.yaml").write_text(stories, encoding="utf-8")
    return root


def article(title: str, date: str, source: str = "Wire", extra: str = "", body: str = "Body.") -> str:
    return f"---\ntitle: {title}\ndate: {date}\nsource: {source}\n{extra}---\n{body}\n"


# ---- stories --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own example site (two outlets, one story), built once."""
    out = tmp_path_factory.mktemp("example") / "site"
    result = run_digest("build", "-s", REPO, "-o", out)
    assert result.code == 0, result.err
    return out


MT = "2022/05/27/russia-jails-soldier-for-refusing-special-mission-deployment/index.html"
MIRROR = "2022/05/26/putin-faces-dissent-as-national-guardsmen-challenge-order-to-fight/index.html"


def test_the_example_articles_form_one_story_side_by_side(example: Path) -> None:
    page = (example / "stories/russian-refuseniks/index.html").read_text(encoding="utf-8")
    assert (
        '<h1 class="page-title">Russian servicemen who refuse to fight in Ukraine</h1>' in page
    )  # stories.yaml
    assert "2 articles from 2 outlets" in page
    grid = page.split('<ol class="coverage-grid">', 1)[1].split("</ol>", 1)[0]
    # time order: the Mirror piece (26 May) before The Moscow Times (27 May), each with its original
    assert grid.index(">Mirror<") < grid.index(">The Moscow Times<")
    assert (
        'href="https://www.mirror.co.uk/news/world-news/vladimir-putin-faces-dissent-russian-27063329"'
        in grid
    )
    assert "Read at The Moscow Times" in grid and "via Zimbabwe News" in grid
    ld = json.loads(LD.search(page).group(1))  # type: ignore[union-attr]
    assert ld["@type"] == "ItemList" and ld["numberOfItems"] == 2
    items = ld["itemListElement"]
    assert [i["position"] for i in items] == [1, 2]
    assert items[0]["item"]["@type"] == "NewsArticle"
    assert items[0]["item"]["sourceOrganization"]["name"] == "Mirror"
    assert items[1]["item"]["url"] == "https://example.org/news/" + MT.removesuffix("index.html")
    index = (example / "stories/index.html").read_text(encoding="utf-8")
    assert 'href="/news/stories/russian-refuseniks/"' in index and "2 outlets" in index


def test_each_article_of_the_story_shows_the_other_outlet(example: Path) -> None:
    for page, other, original in (
        (MT, "Putin faces dissent", "https://www.mirror.co.uk/"),
        (MIRROR, "Russia jails soldier", "https://www.themoscowtimes.com/"),
    ):
        html = (example / page).read_text(encoding="utf-8")
        section = html.split('<section class="coverage"', 1)[1].split("</section>", 1)[0]
        assert "Also covered by" in section and other in section
        assert f'href="{original}' in section
        assert 'href="/news/stories/russian-refuseniks/"' in section


def test_story_without_an_entry_takes_its_earliest_title_and_stories_sort_by_activity(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "a.md": article("Dam breaks on the river", "2022-03-01", "Wire", "story: dam\n"),
            "b.md": article("Flooding spreads downstream", "2022-03-02", "Courier", "story: dam\n"),
            "c.md": article("Strike at the port", "2022-02-01", "Wire", "story: port-strike\n"),
            "d.md": article("Port strike ends", "2022-03-05", "Gazette", "story: port-strike\n"),
        },
        stories="port-strike:\n  title: The port strike\n",
    )
    assert run_digest("build", "-s", site).code == 0
    index = (site / "site/stories/index.html").read_text(encoding="utf-8")
    # newest activity first: the port strike (5 March) before the dam (2 March)
    assert index.index("The port strike") < index.index("Dam breaks on the river")
    dam = (site / "site/stories/dam/index.html").read_text(encoding="utf-8")
    assert '<h1 class="page-title">Dam breaks on the river</h1>' in dam


# ---- editions -------------------------------------------------------------------------------


def _edition_numbers(out: Path) -> dict[str, int]:
    page = (out / "editions/index.html").read_text(encoding="utf-8")
    found = re.findall(
        r'<a href="/news/editions/([0-9w-]+)/"><span class="edition-no">No\. (\d+)</span>', page
    )
    return {key: int(n) for key, n in found}


def test_edition_numbers_stay_when_older_articles_are_added(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "a.md": article("First day", "2022-05-01T09:00:00Z", extra="tags: [politics]\n"),
            "b.md": article("Third day", "2022-05-03T09:00:00Z", extra="tags: [energy]\n"),
            "c.md": article("Tenth day", "2022-05-10T09:00:00Z", extra="tags: [energy]\n"),
        },
    )
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    before = _edition_numbers(out)
    assert before == {"2022-05-10": 10, "2022-05-03": 3, "2022-05-01": 1}
    # an older article on a day without an edition: a new edition, the others keep their numbers
    (site / "content/d.md").write_text(article("Fifth day", "2022-05-05T09:00:00Z"), encoding="utf-8")
    assert run_digest("build", "-s", site, "-o", out).code == 0
    assert _edition_numbers(out) == {**before, "2022-05-05": 5}
    # older than the first edition, with editions_start pinned: no renumbering either
    with (site / "digest.yaml").open("a", encoding="utf-8") as handle:
        handle.write("editions_start: 2022-05-01\n")
    (site / "content/e.md").write_text(article("Backfilled", "2022-04-20T09:00:00Z"), encoding="utf-8")
    assert run_digest("build", "-s", site, "-o", out).code == 0
    assert _edition_numbers(out) == {**before, "2022-05-05": 5}
    assert (out / "2022/04/20/index.html").is_file()  # still in the day archive
    edition = (out / "editions/2022-05-05/index.html").read_text(encoding="utf-8")
    assert "No. 5" in edition and 'rel="prev"' in edition and 'href="/news/editions/2022-05-03/"' in edition
    assert 'href="/news/editions/2022-05-10/"' in edition  # the newer one
    day = (out / "2022/05/05/index.html").read_text(encoding="utf-8")
    assert 'href="/news/editions/2022-05-05/">edition No. 5</a>' in day
    # the incremental build equals a clean one
    clean = tmp_path / "clean"
    assert run_digest("build", "-s", site, "-o", clean, "--clean").code == 0
    assert files_under(out) == files_under(clean)


def test_an_edition_groups_by_story_then_tag_and_has_a_feed_and_an_email(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "s1.md": article(
                "Bridge closed",
                "2022-06-01T08:00:00Z",
                "Wire",
                "story: bridge\ntags: [transport]\n",
                "The bridge was closed at dawn. See [the map](/tags/transport/).",
            ),
            "s2.md": article("Bridge repairs begin", "2022-06-01T12:00:00Z", "Courier", "story: bridge\n"),
            "e1.md": article(
                "Power prices rise",
                "2022-06-01T09:00:00Z",
                "Wire",
                "tags: [energy, economy]\n",
                "Prices rose by a **tenth**.",
            ),
            "e2.md": article("Gas storage fills", "2022-06-01T10:00:00Z", "Wire", "tags: [energy]\n"),
            "x.md": article("Untagged note", "2022-06-01T11:00:00Z", "Wire"),
            "old.md": article("Earlier news", "2022-05-30T11:00:00Z", "Wire", "tags: [energy]\n"),
        },
        config="per_page: 2\n",
    )
    assert run_digest("build", "-s", site).code == 0
    out = site / "site"
    page = (out / "editions/2022-06-01/index.html").read_text(encoding="utf-8")
    titles = re.findall(r'<h2 class="group-title">(.*?)</h2>', page, re.S)
    assert "Bridge closed" in titles[0] and "Story" in titles[0]  # the story first
    assert "energy" in titles[1] and "Also in this edition" in titles[2]
    assert page.count('<li><article class="card') == 5  # not paginated: the whole issue
    feed = feedparser.parse((out / "editions/feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["No. 3: Wednesday, 1 June 2022", "No. 1: Monday, 30 May 2022"]
    content = feed.entries[0].content[0].value
    assert "Prices rose by a <strong>tenth</strong>." in content  # full content
    assert 'href="https://example.org/news/tags/transport/"' in content
    email = (out / "editions/latest/email.html").read_text(encoding="utf-8")
    assert "<style" not in email and "<script" not in email and "<link" not in email
    assert 'style="' in email
    urls = re.findall(r'\s(?:href|src)="([^"]*)"', email)
    assert urls and all(u.startswith("https://") for u in urls), [
        u for u in urls if not u.startswith("https://")
    ]
    assert "https://example.org/news/tags/transport/" in urls  # a root-relative link, made absolute
    assert "No. 3" in email and "Bridge repairs begin" in email
    assert 'role="presentation"' in email


def test_weekly_editions_and_no_editions(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "a.md": article("Monday news", "2022-05-23T09:00:00Z"),
            "b.md": article("Sunday news", "2022-05-29T09:00:00Z"),
            "c.md": article("Next week", "2022-06-01T09:00:00Z"),
        },
        config="editions: weekly\n",
    )
    assert run_digest("build", "-s", site).code == 0
    assert _edition_numbers(site / "site") == {"2022-w22": 2, "2022-w21": 1}
    page = (site / "site/editions/2022-w21/index.html").read_text(encoding="utf-8")
    assert "Week 21, 23–29 May 2022" in page and page.count('<article class="card') == 2
    (site / "digest.yaml").write_text(
        (site / "digest.yaml").read_text().replace("weekly", "none"), encoding="utf-8"
    )
    assert run_digest("build", "-s", site).code == 0
    assert not (site / "site/editions").exists()
    assert "Editions</a>" not in (site / "site/index.html").read_text(encoding="utf-8")


# ---- for crawlers and feed readers ------------------------------------------------------------


def _validate_news_sitemap(data: bytes) -> list[ET.Element]:
    """The Google News sitemap's schema rules: namespaces, required elements in order, W3C dates."""
    root = ET.fromstring(data)
    assert root.tag == f"{SM}urlset"
    urls = root.findall(f"{SM}url")
    assert len(urls) <= 1000
    for url in urls:
        assert [c.tag for c in url] == [f"{SM}loc", f"{NEWS}news"]
        news = url.find(f"{NEWS}news")
        assert news is not None
        assert [c.tag for c in news] == [f"{NEWS}publication", f"{NEWS}publication_date", f"{NEWS}title"]
        publication = news.find(f"{NEWS}publication")
        assert publication is not None
        assert [c.tag for c in publication] == [f"{NEWS}name", f"{NEWS}language"]
        language = publication.findtext(f"{NEWS}language") or ""
        assert re.fullmatch(r"[a-z]{2,3}|zh-cn|zh-tw", language), language
        assert W3C_DATETIME.match(news.findtext(f"{NEWS}publication_date") or "")
        assert (news.findtext(f"{NEWS}title") or "").strip()
        assert (url.findtext(f"{SM}loc") or "").startswith("https://example.org/news/")
    return urls


def test_google_news_sitemap_lists_the_last_two_days(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "in1.md": article("Hours ago", "2023-11-14T10:00:00Z"),
            "in2.md": article("Yesterday in Moscow", "2023-11-13T03:00:00+03:00", extra="lang: ru\n"),
            "out.md": article("Three days ago", "2023-11-11T21:00:00Z"),
            "edge.md": article("Just outside", "2023-11-12T22:13:19Z"),
            "future.md": article("Tomorrow", "2023-11-15T09:00:00Z"),
        },
    )
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out, "--future").code == 0
    data = (out / "news-sitemap.xml").read_bytes()
    assert b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in data
    urls = _validate_news_sitemap(data)
    titles = [u.findtext(f"{NEWS}news/{NEWS}title") for u in urls]
    assert titles == ["Hours ago", "Yesterday in Moscow"]  # newest first; the future one is not news yet
    assert [u.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") for u in urls] == ["en", "ru"]
    assert urls[0].findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name") == "News Desk"
    assert urls[0].findtext(f"{NEWS}news/{NEWS}publication_date") == "2023-11-14T10:00:00+00:00"
    assert "Sitemap: https://example.org/news/news-sitemap.xml" in (out / "robots.txt").read_text()
    # the window follows the clock, and a build with a moved clock is not mistaken for a no-op
    later = str(int(EPOCH) + 86400)
    moved = run_digest("build", "-s", site, "-o", out, "--future", env={"SOURCE_DATE_EPOCH": later})
    assert moved.code == 0 and moved.report["written"] > 0, moved.report
    titles = [
        u.findtext(f"{NEWS}news/{NEWS}title")
        for u in _validate_news_sitemap((out / "news-sitemap.xml").read_bytes())
    ]
    assert titles == ["Tomorrow", "Hours ago"]
    clean = tmp_path / "clean"
    assert (
        run_digest(
            "build", "-s", site, "-o", clean, "--future", "--clean", env={"SOURCE_DATE_EPOCH": later}
        ).code
        == 0
    )
    assert files_under(out) == files_under(clean)
    again = run_digest(
        "build", "-s", site, "-o", out, "--future", env={"SOURCE_DATE_EPOCH": str(int(later) + 60)}
    )
    assert again.report["written"] == 0, again.report  # the same articles in the window: nothing to do


def test_sources_opml_lists_every_outlet_with_its_feed(example: Path) -> None:
    root = ET.fromstring((example / "sources.opml").read_bytes())
    assert root.tag == "opml" and root.get("version") == "2.0"
    outlines = root.findall("body/outline")
    assert [o.get("text") for o in outlines] == ["Mirror", "The Moscow Times"]
    for outline in outlines:
        xml_url = outline.get("xmlUrl") or ""
        assert outline.get("type") == "rss" and xml_url.startswith("https://example.org/news/sources/")
        assert (example / xml_url.removeprefix("https://example.org/news/")).is_file()
        assert (
            example / (outline.get("htmlUrl") or "").removeprefix("https://example.org/news/") / "index.html"
        ).is_file()
    assert 'href="/news/sources.opml"' in (example / "sources/index.html").read_text(encoding="utf-8")


# ---- outbound links -------------------------------------------------------------------------


TRACKED = {
    "a.md": article(
        "Tracked",
        "2022-05-01",
        extra="source_url: https://news.example.com/story?id=7&utm_source=twitter&utm_medium=social\n",
        body="Intro.\n\nSee [the report](https://example.com/report?fbclid=IwAR0&page=2) and "
        "[a clean one](https://example.com/clean?page=3).\n",
    ),
    "b.md": article("Copy", "2022-05-02", extra="source_url: https://news.example.com/story?id=7\n"),
}


def test_tracking_parameters_are_removed_and_reported_by_check(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", TRACKED)
    built = run_digest("build", "-s", site)
    assert built.code == 0
    # the same original twice (once tracking parameters are gone) is a warning naming both files
    assert (
        "content/b.md:5: warning: same source_url as content/a.md (https://news.example.com/story?id=7)"
        in built.err
    )
    assert "tracking" not in built.err  # build says nothing about them: check does
    page = (site / "site/2022/05/01/tracked/index.html").read_text(encoding="utf-8")
    assert 'href="https://news.example.com/story?id=7"' in page
    assert 'href="https://example.com/report?page=2"' in page and "fbclid" not in page
    assert "utm_" not in (site / "site/feed.xml").read_text(encoding="utf-8")
    checked = run_digest("check", "-s", site)
    assert checked.code == 0
    assert (
        "content/a.md:5: warning: 'source_url' carries tracking parameters (utm_source, utm_medium): "
        "removed in the output" in checked.err
    )
    assert (
        "content/a.md:9: warning: link to https://example.com/report carries tracking parameters (fbclid): "
        "removed in the output" in checked.err
    )
    assert "example.com/clean" not in checked.err


def test_strip_tracking_false_keeps_them(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", TRACKED, config="strip_tracking: false\n")
    assert run_digest("build", "-s", site).code == 0
    page = (site / "site/2022/05/01/tracked/index.html").read_text(encoding="utf-8")
    assert "utm_source=twitter&amp;utm_medium=social" in page and "fbclid=IwAR0" in page
    checked = run_digest("check", "-s", site)
    assert "kept in the output (strip_tracking: false)" in checked.err


# ---- configuration and stories.yaml -----------------------------------------------------------


def test_new_configuration_keys_are_validated_with_their_lines(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {"a.md": article("A", "2022-05-01")},
        config="editions: monthly\nsearch: maybe\nstrip_tracking: sometimes\neditions_start: 2022-13-01\n",
    )
    result = run_digest("build", "-s", site)
    assert result.code == 2
    assert "digest.yaml:4: error: 'editions' must be daily, weekly or none, not 'monthly'" in result.err
    assert "digest.yaml:5: error: 'search' must be true or false" in result.err
    assert "digest.yaml:6: error: 'strip_tracking' must be true or false" in result.err
    assert (
        "digest.yaml:7: error: 'editions_start' must be a date (YYYY-MM-DD), not '2022-13-01'" in result.err
    )
    assert "Traceback" not in result.err


def test_search_with_a_pagefind_path_that_is_not_a_file_says_so(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"a.md": article("A", "2022-05-01")}, config="search: true\n")
    missing = tmp_path / "missing"
    result = run_digest("build", "-s", site, env={"PAGEFIND_BINARY_PATH": str(missing)})
    assert result.code == 2
    assert (
        f"digest.yaml:4: error: 'search: true' needs Pagefind, but PAGEFIND_BINARY_PATH is {missing}, "
        "which is not a file: point it at a Pagefind executable, or unset it" in result.err
    )
    assert not (site / "site").exists()


def test_search_with_a_broken_install_says_to_reinstall_digest(tmp_path: Path) -> None:
    # Pagefind comes with digest; a broken install is imitated by modules that shadow the
    # packages which ship its binary (PYTHONPATH comes before site-packages) and a PATH without it
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        (shadow / f"{module}.py").write_text("raise ImportError('removed by the test')\n", encoding="utf-8")
    site = make_site(tmp_path / "s", {"a.md": article("A", "2022-05-01")}, config="search: true\n")
    env = {"PYTHONPATH": str(shadow), "PATH": "/usr/bin:/bin", "PAGEFIND_BINARY_PATH": ""}
    result = run_digest("build", "-s", site, env=env)
    assert result.code == 2
    assert (
        "digest.yaml:4: error: 'search: true' needs Pagefind, which comes with digest but is not found: "
        "reinstall digest (pip install --force-reinstall 'digest-ssg'), or set PAGEFIND_BINARY_PATH "
        "to a Pagefind executable; 'search: false' turns search off" in result.err
    )
    assert "Traceback" not in result.err
    assert not (site / "site").exists()


def test_stories_yaml_problems_are_located(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {"a.md": article("A", "2022-05-01", extra="story: port-strike\n")},
        stories=(
            "port-strike:\n  title: The strike\n  summary: wrong key\n"
            "port-strik:\n  title: Misspelt\n"
            "bad:\n  - a list\n"
            "worse:\n  title: [not, text]\n"
        ),
    )
    result = run_digest("build", "-s", site)
    assert result.code == 1
    assert "stories.yaml:3: warning: unknown key 'summary'" in result.err
    assert (
        "stories.yaml:4: warning: no article has story 'port-strik' (did you mean 'port-strike'?)"
        in result.err
    )
    assert "stories.yaml:7: error: story 'bad' must be a mapping (title, description)" in result.err
    assert "stories.yaml:9: error: 'title' of story 'worse' must be a string" in result.err
    (site / "stories.yaml").write_text("port-strike: [\n", encoding="utf-8")
    broken = run_digest("build", "-s", site)
    assert broken.code == 1 and re.search(r"stories.yaml:\d+: error: invalid YAML", broken.err)


# ---- check --suggest-stories ------------------------------------------------------------------


def test_suggest_stories_finds_the_example_pair_without_their_story(tmp_path: Path) -> None:
    site = tmp_path / "example"
    (site / "content").mkdir(parents=True)
    for name in ("digest.yaml", "sources.yaml"):
        (site / name).write_text((REPO / name).read_text(encoding="utf-8"), encoding="utf-8")
    for path in (REPO / "content").rglob("*.md"):
        text = "".join(
            ln for ln in path.read_text(encoding="utf-8").splitlines(True) if not ln.startswith("story:")
        )
        (site / "content" / path.name).write_text(text, encoding="utf-8")
    (site / "content/unrelated.md").write_text(
        article(
            "Wheat exports recover",
            "2022-05-26T12:00:00+03:00",
            "Agro Weekly",
            body="Grain shipments from the southern ports picked up as insurers returned.",
        ),
        encoding="utf-8",
    )
    result = run_digest("check", "-s", site, "--suggest-stories")
    assert result.code == 0, result.err
    assert "likely one story (2 articles" in result.out
    group = result.out.split("likely one story", 1)[1]
    assert (
        "content/national-guard-refuseniks-sue.md" in group and "content/chechen-soldier-jailed.md" in group
    )
    assert "unrelated.md" not in result.out
    assert "to confirm, give each of them:  story: " in group


def test_suggest_stories_finds_two_chinese_articles_on_one_quake(tmp_path: Path) -> None:
    """Chinese has no spaces between words: as whole runs of characters, the multilingual
    fixture's two articles on the Hualien earthquake shared nothing. By pairs of characters
    they share 花莲, 地震, 太鲁阁…; the eclipse and the Higgs articles stay apart."""
    site = tmp_path / "zh"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text("title: 摘要\nbase_url: https://zh.example.org/\nlanguage: zh-CN\n")
    fixture = FIXTURES / "multilingual"
    (site / "sources.yaml").write_text((fixture / "sources.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for name in ("taiwan-earthquake", "hualien-rescue", "eclipse", "xigesi"):
        lines = (fixture / "content/zh-cn/2024" / f"{name}.md").read_text(encoding="utf-8").splitlines(True)
        kept = "".join(ln for ln in lines if not ln.startswith(("story:", "tags:", "translation_key:")))
        (site / "content" / f"{name}.md").write_text(kept, encoding="utf-8")
    result = run_digest("check", "-s", site, "--suggest-stories", "--future")  # 2024 is after EPOCH
    assert result.code == 0, result.err
    assert result.out.count("likely one story (2 articles") == 1, result.out
    group = result.out.split("likely one story", 1)[1]
    assert "content/taiwan-earthquake.md" in group and "content/hualien-rescue.md" in group
    assert "eclipse.md" not in result.out and "xigesi.md" not in result.out


def test_suggest_stories_on_the_example_site_has_nothing_left_to_suggest() -> None:
    result = run_digest("check", "-s", REPO, "--suggest-stories")
    assert result.code == 0, result.err
    assert "no likely stories among the articles without a 'story'" in result.out


def test_story_edits_rebuild_exactly_what_a_clean_build_makes(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "a.md": article("Dam breaks", "2022-03-01", "Wire", "story: dam\ntags: [floods]\n"),
            "b.md": article("Flooding spreads", "2022-03-02", "Courier", "story: dam\ntags: [floods]\n"),
            "c.md": article("Rain forecast", "2022-03-03", "Gazette", "tags: [floods, weather]\n"),
        },
        stories="dam:\n  title: The dam\n",
    )
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    edits = [
        lambda: (site / "stories.yaml").write_text("dam:\n  title: The dam disaster\n", encoding="utf-8"),
        lambda: (site / "content/c.md").write_text(
            article("Rain forecast", "2022-03-03", "Gazette", "story: dam\ntags: [weather]\n"),
            encoding="utf-8",
        ),
        lambda: (site / "stories.yaml").unlink(),
        lambda: (site / "content/a.md").unlink(),
    ]
    for step, edit in enumerate(edits):
        edit()
        assert run_digest("build", "-s", site, "-o", out).code == 0
        clean = tmp_path / f"clean{step}"
        assert run_digest("build", "-s", site, "-o", clean, "--clean").code == 0
        assert files_under(out) == files_under(clean), f"step {step}"
    story = (out / "stories/dam/index.html").read_text(encoding="utf-8")
    assert '<h1 class="page-title">Flooding spreads</h1>' in story  # no entry: the earliest title
