"""`digest serve` and the search index: a save does not run Pagefind (it reads every page:
seconds a build for a site of hundreds of articles, while every other request waits); the index
stays as it was, and the first request for it (the search page loads pagefind/) has it made
first, so what it gets is what a clean build makes, never a stale index."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EPOCH, files_under, run_digest
from e2e.test_serve import WAIT_MS, Preview, make_site, serve, unique, write_article

ENTRY = "pagefind/pagefind-entry.json"


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # run_digest's clock: byte-for-byte comparisons
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")
    site = make_site(tmp_path, "https://example.org/news/")
    assert "search: true" in (site / "digest.yaml").read_text(encoding="utf-8")
    with serve(site) as running:
        yield running


def _reports_after(preview: Preview, count: int) -> list[dict[str, object]]:
    deadline = time.monotonic() + WAIT_MS / 1000
    while len(preview.reports) < count:
        assert time.monotonic() < deadline, f"no build report {count}: {preview.err[-5:]}"
        time.sleep(0.05)
    return preview.reports


def _index(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in files_under(folder).items() if rel.startswith("pagefind/")}


def _clean_index(preview: Preview, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    done = run_digest("build", "-s", preview.site, "-o", clean, "--drafts", "--base-url", preview.url)
    assert done.code == 0, done.err
    return _index(clean)


def test_saves_leave_the_index_and_a_request_for_it_has_it_made_first(preview: Preview, tmp_path: Path) -> None:
    first = _reports_after(preview, 1)[0]
    assert first["ok"] and first["search_pending"]  # the pages first: no Pagefind run yet
    assert _index(preview.preview_dir) == {}

    status, _, _ = preview.get(preview.base_path + ENTRY)
    assert status == 200
    reports = _reports_after(preview, 2)
    assert reports[1]["ok"] and not reports[1]["search_pending"] and reports[1]["rendered"]["page"] == 0
    made = _index(preview.preview_dir)
    assert made and made == _clean_index(preview, tmp_path)

    word = unique("searchword")
    write_article(preview.site, "searched", f"Searched {word}")
    saved = _reports_after(preview, 3)[2]
    assert saved["ok"] and saved["search_pending"] and saved["rendered"]["page"] > 0
    assert _index(preview.preview_dir) == made  # the save did not touch the index

    status, _, body = preview.get(preview.base_path + ENTRY)
    assert status == 200
    reports = _reports_after(preview, 4)
    assert not reports[3]["search_pending"]
    again = _index(preview.preview_dir)
    assert again != made and again == _clean_index(preview, tmp_path)
    assert body == again[ENTRY]  # the request got the index made for it, not the stale one

    # an index that is current is served as it is, without a build
    assert preview.get(preview.base_path + "pagefind/pagefind-ui.js")[0] == 200
    time.sleep(0.3)
    assert len(preview.reports) == 4


def test_a_request_that_waited_for_a_save_gets_the_index_made_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index was the pages' when the request came, but a save's build was running: that
    build leaves the index behind, and the request, let in after it, has it made first."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("DIGEST_TEST_PAUSE_AT", "parse:3")  # the save's build (after the index's)
    monkeypatch.setenv("DIGEST_TEST_PAUSE_SECONDS", "2")
    site = make_site(tmp_path, "https://example.org/news/")
    with serve(site) as preview:
        _reports_after(preview, 1)
        assert preview.get(preview.base_path + ENTRY)[0] == 200  # build 2 makes the index
        made = _index(preview.preview_dir)
        write_article(preview.site, "during", f"During {unique('word')}")
        preview.wait_for_stderr("paused at parse:3")
        status, _, body = preview.get(preview.base_path + ENTRY)
        assert status == 200
        reports = _reports_after(preview, 4)
        assert reports[2]["search_pending"] and not reports[3]["search_pending"]
        now = _index(preview.preview_dir)
        assert now != made and now == _clean_index(preview, tmp_path) and body == now[ENTRY]
