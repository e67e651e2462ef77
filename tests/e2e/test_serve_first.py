"""`digest serve` renders the pages open in a browser first and serves them before the rest of
the build is done (engine/emit.py `_render_first`): a save shows in the open page after the
site is planned and that one page rendered, not after every page and feed. The guarantees of
the preview stand: any other page of that build waits for the whole of it, the open page does
not reload twice, and a build that fails after its open page was shown takes the page back to
the last good build, with the errors over it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import REPO
from e2e.test_serve import (
    ARTICLE,
    ARTICLE_PATH,
    OVERLAY,
    WAIT_MS,
    Preview,
    make_site,
    mark_page,
    serve,
    unique,
    was_reloaded,
)
from support.browser import new_page

PAUSE_SECONDS = 4  # the build stops this long right after handing over the open page


def _tag(preview: Preview, tag: str) -> None:
    """Give the open article one more tag: its own page changes, and a new tag page comes."""
    path = preview.site / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tags: [russia,", f"tags: [{tag}, russia,", 1), encoding="utf-8")


def _open(page: Page, url: str) -> None:
    """Go to `url` and wait until the page's live-reload stream is connected: only then does
    serve know the page is open, to render it first and wait for its reload. A save made before
    (the heading shows before the script at the end of the page has run) builds for no open
    page."""
    with page.expect_response(lambda response: "events?page=" in response.url):
        page.goto(url)


def _builds(preview: Preview) -> int:
    return len(preview.reports)


def _wait_err(preview: Preview, needle: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while needle not in "".join(preview.err):
        assert time.monotonic() < deadline, f"no {needle!r}: {''.join(preview.err)[-2000:]}"
        time.sleep(0.05)


def _wait_builds(preview: Preview, count: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while _builds(preview) < count:
        assert time.monotonic() < deadline, f"no build {count}: {''.join(preview.err)[-2000:]}"
        time.sleep(0.05)


def test_the_open_page_shows_an_edit_before_the_rest_of_the_build(
    tmp_path: Path, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGEST_TEST_PAUSE_AT", "early")
    monkeypatch.setenv("DIGEST_TEST_PAUSE_SECONDS", str(PAUSE_SECONDS))
    site = make_site(tmp_path, "https://example.org/news/")
    with serve(site) as preview:
        _open(page, preview.url + ARTICLE_PATH)
        expect(page.locator("h1")).to_contain_text("Russia jails soldier")
        built = _builds(preview)
        assert built == 1
        mark_page(page)
        tag = unique("firstrender")
        _tag(preview, tag)
        # shown while the build is held right after handing the page over
        expect(page.locator("main")).to_contain_text(tag, timeout=(PAUSE_SECONDS - 1) * 1000)
        assert was_reloaded(page)
        # the build pauses once serve knows the page has reloaded (its new event stream), which
        # may come a moment after the page shows the edit
        _wait_err(preview, "digest-test: paused at early", 3)
        assert _builds(preview) == built, "the page was shown only after the whole build"
        # any other page of that build waits for all of it: the new tag page is not served yet
        answers: list[tuple[int, bytes]] = []
        asker = threading.Thread(target=lambda: answers.append(_status_body(preview, f"tags/{tag}/")))
        asker.start()
        asker.join(0.5)
        assert asker.is_alive() and not answers, "a page of a build under way was served"
        mark_page(page)
        asker.join(WAIT_MS / 1000)
        assert answers and answers[0][0] == 200 and b"Russia jails soldier" in answers[0][1]
        _wait_builds(preview, built + 1, WAIT_MS / 1000)
        assert _builds(preview) == built + 1
        time.sleep(0.5)  # the build's end is published: the page already shows that build
        assert not was_reloaded(page), "the open page reloaded a second time"
        assert tag in page.locator("main").inner_text()


def test_the_rest_of_the_build_waits_until_the_open_page_has_reloaded(
    tmp_path: Path, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reload does not share the machine with the rest of the build (serve.py
    RELOAD_FIRST_SECONDS): the build reaches the point right after the handover only once the
    page has reloaded. The limit is set long here, so that a slow browser cannot pass it."""
    monkeypatch.setenv("DIGEST_TEST_PAUSE_AT", "early")
    monkeypatch.setenv("DIGEST_TEST_PAUSE_SECONDS", "2")
    monkeypatch.setenv("DIGEST_TEST_RELOAD_FIRST_SECONDS", "30")
    site = make_site(tmp_path, "https://example.org/news/")
    with serve(site) as preview:
        _open(page, preview.url + ARTICLE_PATH)
        expect(page.locator("h1")).to_contain_text("Russia jails soldier")
        mark_page(page)
        tag = unique("reloadfirst")
        _tag(preview, tag)
        deadline = time.monotonic() + WAIT_MS / 1000
        while "digest-test: paused at early" not in "".join(preview.err):
            assert time.monotonic() < deadline, "the build never went on after the handover"
            time.sleep(0.002)
        assert was_reloaded(page), "the build went on before the open page had reloaded"
        assert tag in page.locator("main").inner_text()


def test_a_stylesheet_the_browser_asks_for_again_does_not_hold_the_build(
    tmp_path: Path, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A theme that links its stylesheet without static()'s versioned URL: the reloading page
    asks for it again, that request waits for the build to end, and the page's script waits for
    the stylesheet. The build must not wait for that page's reload then (serve.py
    _interrupted), or neither would end before the limit (set long here)."""
    monkeypatch.setenv("DIGEST_TEST_RELOAD_FIRST_SECONDS", "30")
    site = make_site(tmp_path, "https://example.org/news/")
    meta = site / "themes" / "default" / "templates" / "partials" / "meta.html"
    meta.parent.mkdir(parents=True)
    original = (REPO / "themes" / "default" / "templates" / "partials" / "meta.html").read_text(encoding="utf-8")
    unversioned = original.replace("{{ static('style.css') }}", "{{ site.base_path }}static/style.css")
    assert unversioned != original
    meta.write_text(unversioned, encoding="utf-8")
    with serve(site) as preview:
        _open(page, preview.url + ARTICLE_PATH)
        expect(page.locator("h1")).to_contain_text("Russia jails soldier")
        built = _builds(preview)
        mark_page(page)
        tag = unique("uncached")
        _tag(preview, tag)
        _wait_builds(preview, built + 1, WAIT_MS / 1000)
        page.wait_for_function("() => document.readyState === 'complete'", timeout=WAIT_MS)
        assert was_reloaded(page)
        assert tag in page.locator("main").inner_text()


def test_a_build_that_fails_after_showing_the_open_page_takes_it_back(
    tmp_path: Path, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGEST_TEST_PAUSE_AT", "early")
    # the page shows the edit only while the build is paused: long enough for a loaded
    # machine's reload to show it before the failure takes it back (1 s was not, once)
    monkeypatch.setenv("DIGEST_TEST_PAUSE_SECONDS", str(PAUSE_SECONDS))
    site = make_site(tmp_path, "https://example.org/news/")
    # a theme override whose tag page breaks for one tag: rendered after the open article page
    override = site / "themes" / "default" / "templates" / "tag.html"
    override.parent.mkdir(parents=True)
    original = (REPO / "themes" / "default" / "templates" / "tag.html").read_text(encoding="utf-8")
    breaking = "{% block main %}{% if 'breaks' in page.url %}{{ 1 // 0 }}{% endif %}"
    override.write_text(original.replace("{% block main %}", breaking, 1), encoding="utf-8")
    with serve(site) as preview:
        _open(page, preview.url + ARTICLE_PATH)
        expect(page.locator("h1")).to_contain_text("Russia jails soldier")
        built = _builds(preview)
        tag = unique("breaks")
        _tag(preview, tag)
        expect(page.locator("main")).to_contain_text(tag, timeout=WAIT_MS)  # shown early
        mark_page(page)
        overlay = page.locator(OVERLAY)
        expect(overlay).to_contain_text("templates/tag.html", timeout=WAIT_MS)
        expect(overlay).to_contain_text("ZeroDivisionError")
        assert was_reloaded(page), "the page of the failed build stayed"
        assert tag not in page.locator("main").inner_text()
        assert _builds(preview) == built + 1 and not preview.reports[-1]["ok"]
        assert tag.encode() not in (preview.preview_dir / ARTICLE_PATH / "index.html").read_bytes()


def _status_body(preview: Preview, rel: str) -> tuple[int, bytes]:
    status, _, body = preview.get(preview.base_path + rel)
    return status, body


def test_a_page_open_in_two_tabs_and_a_page_not_open(
    tmp_path: Path, browser: Browser, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each open page is rendered first once, whatever the number of its tabs; a page open in
    a browser that this build does not change reloads with the rest, when the build is done."""
    monkeypatch.setenv("DIGEST_TEST_PAUSE_AT", "early")
    # as long a pause as the first test's: under load two tabs' reloads took over 1.5 s once
    monkeypatch.setenv("DIGEST_TEST_PAUSE_SECONDS", str(PAUSE_SECONDS))
    site = make_site(tmp_path, "https://example.org/news/")
    with serve(site) as preview, new_page(browser) as twin, new_page(browser) as about:
        for tab in (page, twin):
            _open(tab, preview.url + ARTICLE_PATH)
        _open(about, preview.url + "sources/")
        mark_page(about)
        built = _builds(preview)
        tag = unique("twotabs")
        _tag(preview, tag)
        for tab in (page, twin):
            expect(tab.locator("main")).to_contain_text(tag, timeout=(PAUSE_SECONDS - 1) * 1000)
        assert _builds(preview) == built, "the open pages were shown only after the whole build"
        _wait_builds(preview, built + 1, WAIT_MS / 1000)
        assert preview.reports[-1]["ok"]
        page.wait_for_timeout(300)
        assert was_reloaded(about)
        expect(about.locator("h1")).to_be_visible()
