"""Search with Pagefind, as a reader meets it: the fixture site (search: true, base_url under
/news/) is built, served under /news/ and searched in headless Chromium, in English, Russian
and French with and without accents. The index goes through the writer like every other
output: a second build writes nothing, and stale index files are removed, never kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import FIXTURES, REPO, copy_site, files_under, run_digest
from generator.read.pagefind import pagefind_binary
from support.browser import axe_violations, chromium_available, chromium_browser, new_page, serve_directory
from support.htmlcheck import vnu_available, vnu_errors

SEARCH_SITE = FIXTURES / "search"

pytestmark = pytest.mark.skipif(pagefind_binary() is None, reason="pagefind is not installed")


@pytest.fixture(scope="module")
def search_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "site"
    result = run_digest("build", "-s", SEARCH_SITE, "-o", out)
    assert result.code == 0, result.err
    return out


QUERIES = [
    # (query, URL of the article that must come first)
    ("barley", "/news/2022/07/14/barley-harvest-falls-short-across-the-volga-region/"),
    (
        "поставки топлива",
        "/news/2022/07/15/pozhar-na-neftepererabatyvaiushchem-zavode-ostanovil-postavki-topliva/",
    ),
    ("économie", "/news/2022/07/16/les-cafes-de-riga-et-l-economie-de-l-exil/"),
    ("economie", "/news/2022/07/16/les-cafes-de-riga-et-l-economie-de-l-exil/"),
]


@pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")
def test_search_finds_english_russian_and_accented_articles_under_the_sub_path(search_build: Path) -> None:
    with (
        serve_directory(search_build, mount="/news/") as base,
        chromium_browser() as browser,
        new_page(browser) as page,
    ):
        for query, expected in QUERIES:
            page.goto(f"{base}search/?q={quote(query)}", wait_until="load")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
            links = page.eval_on_selector_all(
                ".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))"
            )
            assert links[0] == expected, (query, links)
            # the result opens the article, under the sub-path
            page.click(".pagefind-ui__result-link >> nth=0")
            page.wait_for_load_state("load")
            assert page.url == base[: -len("/news/")] + expected
        # typing works too, not only ?q=
        page.goto(f"{base}search/", wait_until="load")
        page.fill(".pagefind-ui__search-input", "refinery")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
        titles = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.textContent)")
        assert "Refinery fire halts fuel deliveries in the north" in titles
        assert "Story: Refinery fire halts fuel deliveries in the north" in titles
        for scheme in ("light", "dark"):
            assert axe_violations(page, f"{base}search/?q=refinery", scheme) == []


@pytest.mark.skipif(not vnu_available(), reason="java is not installed")
def test_search_site_pages_are_valid_html(search_build: Path) -> None:
    assert vnu_errors([search_build / "search/index.html", search_build / "editions/latest/email.html"]) == []


def test_index_files_go_through_the_writer(tmp_path: Path) -> None:
    site = copy_site(SEARCH_SITE, tmp_path / "s")
    out = tmp_path / "out"
    first = run_digest("build", "-s", site, "-o", out)
    assert first.code == 0, first.err
    bundle = {p for p in files_under(out) if p.startswith("pagefind/")}
    assert "pagefind/pagefind-ui.js" in bundle and "pagefind/pagefind-entry.json" in bundle
    # a one-language site has one index, its Russian and French articles in it too
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"] and entry["languages"]["en"]["page_count"] == 5, entry
    assert any(p.startswith("pagefind/fragment/") for p in bundle)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    second = run_digest("build", "-s", site, "-o", out)
    assert second.report["written"] == 0 and second.report["removed"] == 0, second.report
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps
    # an edit to an indexed page: only what changed is written, and the stale fragment goes
    article = site / "content/barley.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("Grain traders", "Grain merchants"), encoding="utf-8"
    )
    third = run_digest("build", "-s", site, "-o", out)
    assert third.code == 0 and third.report["removed"] > 0, third.report
    clean = tmp_path / "clean"
    assert run_digest("build", "-s", site, "-o", clean, "--clean").code == 0
    assert files_under(out) == files_under(clean)
    # search off: the bundle and the page are removed with everything else the site no longer makes
    config = site / "digest.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("search: true", "search: false"), encoding="utf-8"
    )
    assert run_digest("build", "-s", site, "-o", out).code == 0
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    shutil.rmtree(clean)


def test_check_with_search_resolves_the_bundle_links() -> None:
    result = run_digest("check", "-s", SEARCH_SITE)
    assert result.code == 0, result.err


@pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")
def test_the_example_site_searches_its_seed_articles(tmp_path: Path) -> None:
    # the repository is the example site, with search: true as in every new site
    out = tmp_path / "example"
    result = run_digest("build", "-s", REPO, "-o", out)
    assert result.code == 0, result.err
    with (
        serve_directory(out, mount="/news/") as base,
        chromium_browser() as browser,
        new_page(browser) as page,
    ):
        chechen = "/news/2022/05/27/russia-jails-soldier-for-refusing-special-mission-deployment/"
        guards = "/news/2022/05/26/putin-faces-dissent-as-national-guardsmen-challenge-order-to-fight/"
        # each seed article is found by a word only it has (the story page that quotes both
        # may come first)
        for query, expected, other in (("Grozny", chechen, guards), ("guardsmen", guards, chechen)):
            page.goto(f"{base}search/?q={quote(query)}", wait_until="load")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
            links = page.eval_on_selector_all(
                ".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))"
            )
            assert expected in links and other not in links, (query, links)
