"""The built fixture site as a reader and a crawler meet it: every internal link resolves under
the base_url sub-path, every page is valid HTML (Nu checker) and accessible (axe-core, light
and dark), and the pages carry canonical, Open Graph, feed links and NewsArticle JSON-LD."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from support.browser import axe_violations, chromium_available, chromium_browser, new_page, serve_directory
from support.htmlcheck import vnu_available, vnu_errors

LINK = re.compile(r"""(?:href|src)="([^"]*)\"""")


def _fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


def test_every_internal_link_resolves_under_the_sub_path(golden_build: Path) -> None:
    with serve_directory(golden_build, mount="/news/") as base:
        origin = base[: -len("/news/")]
        seen: set[str] = set()
        queue = deque([base])
        broken: list[str] = []
        while queue:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            status, body, ctype = _fetch(url)
            if status != 200:
                broken.append(f"{url} -> {status}")
                continue
            if "html" not in ctype:
                continue
            for link in LINK.findall(body.decode("utf-8")):
                target = urljoin(url, link)
                parts = urlsplit(target)
                if parts.scheme in ("http", "https") and parts.netloc == urlsplit(origin).netloc:
                    assert parts.path.startswith("/news/"), f"{url} links outside the sub-path: {link}"
                    queue.append(target.split("#")[0])
                elif link.startswith("https://example.org/"):
                    assert link.startswith("https://example.org/news/"), f"{url}: {link}"
    assert not broken, broken
    pages = {urlsplit(u).path for u in seen}
    for expected in (
        "/news/",
        "/news/page/2/",
        "/news/tags/",
        "/news/tags/russia/",
        "/news/sources/",
        "/news/sources/the-moscow-times/",
        "/news/archive/",
        "/news/2022/",
        "/news/2022/05/",
        "/news/2022/05/27/",
        "/news/feed.xml",
        "/news/rss.xml",
        "/news/feed.json",
        "/news/tags/russia/feed.xml",
        "/news/sources/mirror/rss.xml",
        "/news/stories/",
        "/news/stories/russian-refuseniks/",
        "/news/editions/",
        "/news/editions/2022-05-27/",
        "/news/editions/feed.xml",
        "/news/editions/latest/email.html",
        "/news/sources.opml",
    ):
        assert expected in pages, f"{expected} not reachable by following links"
    assert len(seen) > 40


def test_sitemap_and_robots_use_the_sub_path(golden_build: Path) -> None:
    sitemap = (golden_build / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locs and all(loc.startswith("https://example.org/news/") for loc in locs)
    assert "https://example.org/news/404.html" not in locs
    for loc in locs:
        rel = loc.removeprefix("https://example.org/news/")
        assert (golden_build / rel / "index.html").is_file() or (golden_build / rel).is_file(), loc
    assert "Sitemap: https://example.org/news/sitemap.xml" in (golden_build / "robots.txt").read_text()


def test_article_page_metadata(golden_build: Path) -> None:
    page = (
        golden_build / "2022/05/27/russia-jails-soldier-for-refusing-special-mission-deployment/index.html"
    ).read_text()
    canonical = (
        "https://example.org/news/2022/05/27/russia-jails-soldier-for-refusing-special-mission-deployment/"
    )
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert 'type="application/atom+xml"' in page and 'type="application/feed+json"' in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert ld["@type"] == "NewsArticle"
    assert ld["isBasedOn"] == "https://www.themoscowtimes.com/2022/05/27/a77810"
    assert ld["sourceOrganization"]["name"] == "The Moscow Times"
    assert 'href="https://www.themoscowtimes.com/2022/05/27/a77810"' in page  # the original, prominently


def test_raw_html_is_sanitised_and_template_syntax_stays_text(golden_build: Path) -> None:
    page = (
        golden_build
        / "2022/05/26/putin-faces-dissent-as-national-guardsmen-challenge-order-to-fight/index.html"
    ).read_text()
    body = page.split('<div class="prose">', 1)[1]
    assert "<script>alert" not in body and "javascript:" not in body
    assert "onclick" not in body and "onmouseover" not in body
    assert "<b>bold stays</b>" in body
    assert "{{ site.title }} and {% if x %}" in body


@pytest.mark.skipif(not vnu_available(), reason="java is not installed")
def test_every_page_is_valid_html(golden_build: Path) -> None:
    pages = sorted(golden_build.rglob("*.html"))
    assert len(pages) > 20
    assert vnu_errors(pages) == []


AXE_PAGES = [
    "",
    "2022/05/27/russia-jails-soldier-for-refusing-special-mission-deployment/",
    "tags/russia/",
    "sources/the-moscow-times/",
    "2022/05/27/",
    "tags/",
    "sources/",
    "archive/",
    "stories/",
    "stories/russian-refuseniks/",
    "editions/",
    "editions/2022-05-27/",
]


@pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_have_no_accessibility_violations(golden_build: Path, scheme: str) -> None:
    problems: dict[str, list[str]] = {}
    with (
        serve_directory(golden_build, mount="/news/") as base,
        chromium_browser() as browser,
        new_page(browser) as page,
    ):
        for rel in AXE_PAGES:
            found = axe_violations(page, base + rel, scheme)
            if found:
                problems[rel or "/"] = found
    assert problems == {}


@pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")
def test_the_dot_between_outlet_and_date_is_drawn_not_read(golden_build: Path) -> None:
    """The card's separator is the style sheet's ::before (not a span in every card): it shows
    after an outlet, not before a date that comes first, and a screen reader gets no text."""
    with (
        serve_directory(golden_build, mount="/news/") as base,
        chromium_browser() as browser,
        new_page(browser) as page,
    ):
        page.goto(base + "2022/05/27/")
        shown = page.evaluate(
            """() => [...document.querySelectorAll('.meta time')].map(t => [
                getComputedStyle(t, '::before').content, t.previousElementSibling !== null])"""
        )
        assert shown and all(after for _, after in shown)
        assert {content for content, _ in shown} == {'"·" / ""'}
        assert "·" not in page.inner_text("ol.cards")  # no separator in the text itself
        # "More from" under an article names no outlet: its dates come first, with no dot
        page.goto(base + "2022/05/27/russia-jails-soldier-for-refusing-special-mission-deployment/")
        firsts = page.evaluate(
            """() => [...document.querySelectorAll('.meta time:first-child')].map(
                t => getComputedStyle(t, '::before').content)"""
        )
        assert firsts and "·" not in "".join(firsts)
