"""`digest serve` hands each build the state the last one saved (engine/warm.py): a save costs
reading one file, not reloading the site's cache. What a curator sees must not change for it:
every kind of edit shows in the open page, quick saves are coalesced and never leave a stale
page, and the preview is byte for byte what a clean build of the same files makes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import EPOCH, files_under, run_digest
from e2e.test_serve import (
    ARTICLE,
    ARTICLE_PATH,
    WAIT_MS,
    Preview,
    make_site,
    mark_page,
    needs_chromium,
    serve,
    unique,
    was_reloaded,
    write_article,
)


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    # the clock of run_digest's builds, so that a clean build can be compared byte for byte;
    # and page keys verified in the server's builds too (tests/engine/test_engine.py)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")
    site = make_site(tmp_path, "https://example.org/news/")
    with serve(site) as running:
        yield running


def _settled(preview: Preview) -> list[dict[str, object]]:
    """The server's build reports, once it has had no change for a moment."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        before = len(preview.reports)
        time.sleep(0.5)
        reports = preview.reports
        if len(reports) == before:
            return reports
        assert time.monotonic() < deadline, "the server never settled"


def _same_as_a_clean_build(preview: Preview, tmp_path: Path) -> None:
    # serve makes the search index when a page asks for it (test_serve_search.py): ask first
    status, _, _ = preview.get(preview.base_path + "pagefind/pagefind-entry.json")
    assert status == 200
    clean = tmp_path / "clean"
    done = run_digest("build", "-s", preview.site, "-o", clean, "--drafts", "--base-url", preview.url)
    assert done.code == 0, done.err
    served, built = files_under(preview.preview_dir), files_under(clean)
    assert served.keys() == built.keys()
    assert [rel for rel in served if served[rel] != built[rel]] == []


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@needs_chromium
def test_quick_saves_show_the_last_one_and_are_built_warm(preview: Preview, page: Page, tmp_path: Path) -> None:
    first = len(_settled(preview))
    page.goto(preview.url + ARTICLE_PATH)
    expect(page.locator("h1")).to_contain_text("Russia jails soldier")
    mark_page(page)
    path = preview.site / ARTICLE
    last = "A garrison court"
    for _ in range(6):  # closer than a build: some land during one, and wait for the next
        text = unique("Quick save ")
        _replace(path, last, text)
        last = text
        time.sleep(0.01)
    expect(page.locator("main")).to_contain_text(last, timeout=WAIT_MS)
    assert was_reloaded(page)
    reports = _settled(preview)[first:]
    assert 1 <= len(reports) <= 6  # coalesced: never more builds than saves
    assert all(r["ok"] for r in reports)
    # the builds after the first one of the server read nothing from the cache folder
    assert [r["loaded"] for r in reports] == [0] * len(reports)
    expect(page.locator("main")).to_contain_text(last)  # and the page did not go back
    _same_as_a_clean_build(preview, tmp_path)


@needs_chromium
def test_a_tag_edit_an_addition_and_a_deletion_show_in_open_pages(
    preview: Preview, page: Page, tmp_path: Path
) -> None:
    page.goto(preview.url + ARTICLE_PATH)
    tag = unique("warmtag")
    _replace(preview.site / ARTICLE, "tags: [", f"tags: [{tag}, ")
    expect(page.locator("main")).to_contain_text(tag, timeout=WAIT_MS)
    assert preview.get(f"{preview.base_path}tags/{tag}/")[0] == 200

    page.goto(preview.url)
    title = unique("Freshly added ")
    added = write_article(preview.site, unique("warm-"), title, tags=f"[{tag}]")
    expect(page.locator("main")).to_contain_text(title, timeout=WAIT_MS)
    mark_page(page)
    added.unlink()
    expect(page.locator("main")).not_to_contain_text(title, timeout=WAIT_MS)
    assert was_reloaded(page)
    slug = title.lower().replace(" ", "-")
    assert preview.get(f"{preview.base_path}2022/06/01/{slug}/")[0] == 404

    # a settings change drops the state: that build loads from disk, the next is warm again
    _replace(preview.site / "digest.yaml", "title: ", "title: Warm ")
    expect(page.locator("header")).to_contain_text("Warm ", timeout=WAIT_MS)
    _settled(preview)
    page.goto(preview.url + ARTICLE_PATH)
    _replace(preview.site / ARTICLE, "A garrison court", "A warm garrison court")
    expect(page.locator("main")).to_contain_text("A warm garrison court", timeout=WAIT_MS)
    reports = _settled(preview)
    assert reports[-2]["loaded"] > 0 and reports[-1]["loaded"] == 0
    _same_as_a_clean_build(preview, tmp_path)


@needs_chromium
def test_saving_stories_yaml_rebuilds_the_preview(preview: Preview, page: Page, tmp_path: Path) -> None:
    """stories.yaml (and tags.yaml) are read by every build: a save of one is a change."""
    page.goto(preview.url + "stories/")
    title = unique("Refuseniks, as retitled ")
    (preview.site / "stories.yaml").write_text(f"russian-refuseniks:\n  title: {title}\n", encoding="utf-8")
    expect(page.locator("main")).to_contain_text(title, timeout=WAIT_MS)
    assert _settled(preview)[-1]["loaded"] > 0  # not an article: the state was dropped
    _same_as_a_clean_build(preview, tmp_path)
