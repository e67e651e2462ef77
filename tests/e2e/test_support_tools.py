"""Self-tests of the test tooling in tests/support: vnu (HTML validity), axe-core
(accessibility) in Debian's Chromium via Playwright, and the static file server.

They are skipped only when java or Chromium is not installed at all; a missing npm package
(``npm ci --prefix tests/node`` not run) or a broken tool makes them fail.
"""

from __future__ import annotations

import http.client
import struct
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from support.browser import (
    AXE_JS,
    axe_violations,
    chromium_available,
    chromium_browser,
    chromium_executable,
    new_page,
    screenshot,
    serve_directory,
)
from support.htmlcheck import VNU_JAR, java_executable, vnu_errors

needs_java = pytest.mark.skipif(
    java_executable() is None,
    reason="java is not installed (apt-get install default-jre-headless): vnu.jar needs it",
)
needs_chromium = pytest.mark.skipif(
    not chromium_available(),
    reason=f"Chromium is not installed at {chromium_executable()} "
    "(apt-get install chromium chromium-driver, or set DIGEST_CHROMIUM)",
)

GIF_1PX = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="


def page_html(body: str, *, head: str = "<title>Test page</title>", style: str = "") -> str:
    """A complete page; the body sits in <main> after an <h1>, as axe's best practices want."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{head}\n"
        f"<style>{style}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        "<h1>Digest</h1>\n"
        f"{body}\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


VALID_PAGE = page_html("<p>All the news that fits.</p>")

# Line 4 of this page is </head> (no <title>); line 12 holds a stray </p> (the <div> closed
# the <p> implicitly) and line 13 an unknown element.
INVALID_PAGE = (
    "<!DOCTYPE html>\n"
    '<html lang="en">\n'
    '<head><meta charset="utf-8">\n'
    "</head>\n"
    "<body>\n"
    "<main>\n"
    "<h1>Digest</h1>\n"
    "\n"
    "\n"
    "\n"
    "\n"
    "<p><div>block in a paragraph</div></p>\n"
    "<blink>old</blink>\n"
    "</main>\n"
    "</body>\n"
    "</html>\n"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- vnu -------------------------------------------------------------------------------------


def test_vnu_needs_no_java_for_nothing() -> None:
    assert vnu_errors([]) == []


def test_vnu_refuses_missing_files(tmp_path: Path) -> None:
    # vnu itself silently skips missing files, which would pass as "valid".
    with pytest.raises(FileNotFoundError):
        vnu_errors([tmp_path / "nope.html"])


@needs_java
def test_vnu_reports_errors_and_passes_valid_pages(tmp_path: Path) -> None:
    assert VNU_JAR.is_file(), f"{VNU_JAR} missing: run `npm ci --prefix tests/node`"
    valid = write(tmp_path / "valid.html", VALID_PAGE)
    invalid = write(tmp_path / "invalid.html", INVALID_PAGE)
    # A directory is expanded to its HTML files; a non-ASCII name with a space must be
    # checked too (Java skips such names silently under the POSIX locale).
    broken_dir = tmp_path / "broken"
    odd = write(broken_dir / "café page.html", page_html("<p>x</p>", head=""))
    write(broken_dir / "notes.txt", "not html, not checked")

    errors = vnu_errors([valid, invalid, broken_dir])

    assert f"{invalid}:4: Element “head” is missing a required instance of child element “title”." in errors
    assert f"{invalid}:12: No “p” element in scope but a “p” end tag seen." in errors
    assert any(e.startswith(f"{invalid}:13: ") and "“blink”" in e for e in errors), errors
    assert f"{odd}:8: Element “head” is missing a required instance of child element “title”." in errors
    assert not [e for e in errors if e.startswith(str(valid))]
    assert not [e for e in errors if "notes.txt" in e]

    assert vnu_errors([valid]) == []


# --- static server ---------------------------------------------------------------------------


def get(url: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    """GET without following redirects or normalising the path."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write(root / "index.html", "<p>home</p>")
    write(root / "sub" / "index.html", "<p>sub</p>")
    write(root / "sub" / "page.html", "<p>page</p>")
    write(root / "feed.xml", "<feed/>")
    write(tmp_path / "secret.txt", "outside the site")
    return root


def test_serve_directory_under_a_mount(site: Path) -> None:
    with serve_directory(site, mount="/news/") as base:
        assert base.startswith("http://127.0.0.1:")
        assert base.endswith("/news/")
        origin = base[: -len("/news/")]

        assert get(base)[::2] == (200, b"<p>home</p>")
        status, headers, body = get(base + "sub/page.html")
        assert (status, body) == (200, b"<p>page</p>")
        assert headers["Content-Type"].startswith("text/html")
        assert get(base + "sub/")[::2] == (200, b"<p>sub</p>")
        assert get(base + "feed.xml?x=1")[::2] == (200, b"<feed/>")

        status, headers, _ = get(base + "sub")
        assert (status, headers["Location"]) == (301, "/news/sub/")
        status, headers, _ = get(origin + "/news")
        assert (status, headers["Location"]) == (301, "/news/")

        for outside in ("/", "/index.html", "/sub/page.html", "/newsletter/", "/news.html"):
            assert get(origin + outside)[0] == 404, outside
        assert get(base + "missing.html")[0] == 404
        assert get(base + "../secret.txt")[0] == 404
        assert get(base + "%2e%2e/secret.txt")[0] == 404

    with pytest.raises(ConnectionError):
        get(base)


def test_serve_directory_at_root_and_mount_normalisation(site: Path) -> None:
    with serve_directory(site) as base:
        assert base.endswith("/") and base.count("/") == 3
        assert get(base + "sub/page.html")[::2] == (200, b"<p>page</p>")
    with serve_directory(site, mount="news") as base:
        assert base.endswith("/news/")
        assert get(base + "index.html")[::2] == (200, b"<p>home</p>")


# --- axe-core in Chromium ----------------------------------------------------------------------

DARK_LOW_CONTRAST = """
body { color: #000; background: #fff; }
@media (prefers-color-scheme: dark) { body { color: #555; background: #444; } }
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not chromium_available():
        pytest.skip(f"Chromium is not installed at {chromium_executable()}")
    with chromium_browser() as b:
        yield b


@pytest.fixture(scope="module")
def pages_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("axe")
    write(root / "clean.html", VALID_PAGE)
    write(root / "no-alt.html", page_html(f'<p>A photo:</p>\n<img src="{GIF_1PX}">'))
    write(
        root / "dark.html",
        page_html("<p>Readable only in light mode.</p>", style=DARK_LOW_CONTRAST),
    )
    with serve_directory(root, mount="/news/") as base:
        yield base


@needs_chromium
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_clean_page(browser: Browser, pages_url: str, scheme: str) -> None:
    assert AXE_JS.is_file(), f"{AXE_JS} missing: run `npm ci --prefix tests/node`"
    with new_page(browser) as page:
        assert axe_violations(page, pages_url + "clean.html", scheme) == []


@needs_chromium
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_image_without_alt(browser: Browser, pages_url: str, scheme: str) -> None:
    with new_page(browser) as page:
        violations = axe_violations(page, pages_url + "no-alt.html", scheme)
    assert len(violations) == 1, violations
    assert violations[0].startswith("image-alt: Images must have alternative text (1 node: img")


@needs_chromium
def test_axe_follows_the_color_scheme(browser: Browser, pages_url: str) -> None:
    with new_page(browser) as page:
        assert axe_violations(page, pages_url + "dark.html", "light") == []
        dark = axe_violations(page, pages_url + "dark.html", "dark")
    assert len(dark) == 1, dark
    assert dark[0].startswith("color-contrast: "), dark


@needs_chromium
def test_axe_refuses_error_pages(browser: Browser, pages_url: str) -> None:
    with new_page(browser) as page, pytest.raises(RuntimeError, match="HTTP 404"):
        axe_violations(page, pages_url + "missing.html", "light")
    with new_page(browser) as page, pytest.raises(ValueError):
        axe_violations(page, pages_url + "clean.html", "sepia")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@needs_chromium
def test_screenshot(browser: Browser, pages_url: str, tmp_path: Path) -> None:
    light = screenshot(pages_url + "dark.html", tmp_path / "light.png", 400, 300, "light", browser=browser)
    dark = screenshot(
        pages_url + "dark.html", tmp_path / "shots" / "dark.png", 400, 300, "dark", browser=browser
    )
    assert png_size(light) == (400, 300)
    assert png_size(dark) == (400, 300)
    assert light.read_bytes() != dark.read_bytes()
