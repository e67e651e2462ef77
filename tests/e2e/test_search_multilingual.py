"""Search in a multilingual site, as readers of each language meet it: the fixture
(tests/fixtures/search-multilingual: English, Russian and Japanese, base_url under /news/) is
built, served under /news/ and searched in headless Chromium from each language's search page.
Pagefind makes one index per `<html lang>`; each search page searches its own language's index
only, with that language's stemming (Russian) or segmentation (Japanese), and Pagefind's own UI
words in that language. The bundle is one, at the site root."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import FIXTURES, copy_site, run_digest
from generator.read.pagefind import pagefind_binary
from support.browser import axe_violations, chromium_available, chromium_browser, new_page, serve_directory
from support.htmlcheck import vnu_available, vnu_errors

SITE = FIXTURES / "search-multilingual"

pytestmark = pytest.mark.skipif(pagefind_binary() is None, reason="pagefind is not installed")

EN_REFUSAL = "Contract soldiers refused deployment, Meduza reports"
EN_HARVEST = "Barley harvest falls short across the Volga region"
RU_REFUSAL = "Контрактники отказались от отправки, сообщает Meduza"
RU_FIRE = "Пожар на нефтебазе остановил поставки топлива"
JA_REFUSAL = "契約兵が派遣を拒否、Meduzaが報道"
JA_TYPHOON = "台風で港の貨物輸送が止まる"
ALL = {EN_REFUSAL, EN_HARVEST, RU_REFUSAL, RU_FIRE, JA_REFUSAL, JA_TYPHOON}

# (the search page under /news/, the query, the titles it must find: nothing else)
SEARCHES = [
    # the same story in three languages, each with the outlet's Latin name: each language's
    # page finds its own translation only
    ("", "Meduza", {EN_REFUSAL}),
    ("ru/", "Meduza", {RU_REFUSAL}),
    ("ja/", "Meduza", {JA_REFUSAL}),
    # English stemming: the article says "refused"
    ("", "refusing", {EN_REFUSAL}),
    # Russian stemming (Snowball): "отказался" and the article's "отказались" share the stem
    # "отказа", and neither is a prefix of the other; "контрактник" finds "контрактников"
    ("ru/", "отказался", {RU_REFUSAL}),
    ("ru/", "контрактник", {RU_REFUSAL}),
    ("ru/", "поставки топлива", {RU_FIRE}),
    # Japanese has no spaces: Pagefind's extended build segments the text, so a word inside a
    # longer run (兵役拒否は…) is found
    ("ja/", "兵役", {JA_REFUSAL}),
    ("ja/", "台風", {JA_TYPHOON}),
    # other languages' words are not in a language's index
    ("", "отказались", set()),
    ("", "台風", set()),
    ("ru/", "barley", set()),
    ("ja/", "топлива", set()),
]

# Pagefind UI's own words come from its translations, chosen by the page's <html lang>: the
# input's placeholder, and the message when nothing is found
PLACEHOLDERS = {"": "Search", "ru/": "Поиск", "ja/": "検索"}
NOTHING_FOUND = {"": "No results for", "ru/": "Ничего не найдено", "ja/": "検索に一致する情報はありませんでした"}

# the search has finished (its message says how many it found, or that it found nothing; while
# it runs it says "Searching for …") and every result it announced is on the page: the default
# UI shows up to 5, and fills each in as its fragment arrives
SETTLED = """nothing => {
  const message = document.querySelector('.pagefind-ui__message');
  const text = message ? message.textContent : '';
  if (text.includes(nothing)) return true;
  const digits = text.match(/\\d+/);
  if (!digits) return false;
  const count = Math.min(parseInt(digits[0], 10), 5);
  return document.querySelectorAll('.pagefind-ui__result-link').length === count;
}"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search-ml") / "site"
    result = run_digest("build", "-s", SITE, "-o", out)
    assert result.code == 0, result.err
    return out


def test_one_bundle_with_an_index_per_language(built: Path) -> None:
    entry = json.loads((built / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    counts = {code: index["page_count"] for code, index in entry["languages"].items()}
    assert counts == {"en": 2, "ru": 2, "ja": 2}, entry
    # Russian is stemmed in the browser by its own module; Japanese is segmented when indexed
    assert (built / "pagefind/wasm.ru.pagefind").is_file()
    assert not (built / "ru/pagefind").exists() and not (built / "ja/pagefind").exists()
    for prefix, lang in (("", "en"), ("ru/", "ru"), ("ja/", "ja")):
        page = (built / prefix / "search/index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in page
        # every language's search page loads the one bundle from the site root
        assert '<script src="/news/pagefind/pagefind-ui.js"></script>' in page
        assert 'bundlePath: "/news/pagefind/"' in page and 'baseUrl: "/news/"' in page


@pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")
def test_each_language_searches_its_own_articles(built: Path) -> None:
    with (
        serve_directory(built, mount="/news/") as base,
        chromium_browser() as browser,
        new_page(browser) as page,
    ):
        for prefix, query, expected in SEARCHES:
            page.goto(f"{base}{prefix}search/?q={quote(query)}", wait_until="load")
            page.wait_for_function(SETTLED, arg=NOTHING_FOUND[prefix], timeout=15_000)
            titles = set(
                page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.textContent)")
            )
            assert titles == expected, (prefix, query, titles)
            assert titles <= ALL
            assert page.get_attribute(".pagefind-ui__search-input", "placeholder") == PLACEHOLDERS[prefix]
        # a result opens the article in its language, under the sub-path
        page.goto(f"{base}ru/search/?q={quote('Meduza')}", wait_until="load")
        page.wait_for_function(SETTLED, arg=NOTHING_FOUND["ru/"], timeout=15_000)
        page.click(".pagefind-ui__result-link >> nth=0")
        page.wait_for_load_state("load")
        assert page.url.startswith(f"{base}ru/"), page.url
        assert page.locator("html").get_attribute("lang") == "ru"
        # the Russian and Japanese search pages, with their results, are accessible too
        for prefix, query in (("ru/", "Meduza"), ("ja/", "兵役")):
            for scheme in ("light", "dark"):
                assert axe_violations(page, f"{base}{prefix}search/?q={quote(query)}", scheme) == []


@pytest.mark.skipif(not vnu_available(), reason="java is not installed")
def test_every_language_s_search_page_is_valid_html(built: Path) -> None:
    pages = [built / "search/index.html", built / "ru/search/index.html", built / "ja/search/index.html"]
    assert vnu_errors(pages) == []


def test_check_resolves_every_language_s_links_to_the_bundle() -> None:
    result = run_digest("check", "-s", SITE)
    assert result.code == 0, result.err
    assert "0 errors, 0 warnings" in result.out


def test_an_edit_in_another_language_reindexes(tmp_path: Path) -> None:
    site = copy_site(SITE, tmp_path / "s")
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    again = run_digest("build", "-s", site, "-o", out)
    assert again.report["written"] == 0 and again.report["removed"] == 0, again.report
    # the Japanese article is in no default-language page's index, but its edit is a new index
    article = site / "content/ja/2022/typhoon.md"
    article.write_text(article.read_text(encoding="utf-8").replace("二日間", "三日間"), encoding="utf-8")
    before = (out / "pagefind/pagefind-entry.json").read_bytes()
    third = run_digest("build", "-s", site, "-o", out)
    assert third.code == 0, third.err
    assert (out / "pagefind/pagefind-entry.json").read_bytes() != before
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"en", "ru", "ja"}
