"""`digest import` sources other than a text file: standard input, and URLs served by a local
HTTP server on 127.0.0.1 (200 text, a redirect, a declared charset, 404, a slow answer, an
oversized body); and bad input of every kind: one line naming the source, exit 1, nothing written."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import EPOCH, digest_command, run_digest
from support.seeds import example_site

# our own text: a made-up report, long enough not to be a stub
ARTICLE = "\n\n".join([
    "Harbour Town News",
    "Ferry strike halts crossings to the islands for a second day",
    "By Ann Example | Coast Gazette |",
    *[f"Paragraph {n}: the ferry operator and the union met again on Tuesday without an agreement, "
      "and the crossings to the three islands stayed suspended while hauliers queued at the port, "
      "where the harbour master said the backlog would take days to clear." for n in range(1, 6)],
    "Read more",
    "Subscribe to our newsletter",
])
SLOW = 3.0
# our own page (tests/fixtures/import/README.md): a republication with JSON-LD, Open Graph, a
# canonical URL with a tracking parameter, widget and plea lines inside the article
REPUBLISHED = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "republished.html"


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def _send(self, code: int, body: bytes, content_type: str, length: int | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/story":
            self._send(200, ARTICLE.encode("utf-8"), "text/plain; charset=utf-8")
        elif path == "/latin1":
            self._send(200, ARTICLE.replace("Paragraph", "Café").encode("latin-1"),
                       "text/plain; charset=ISO-8859-1")
        elif path == "/page":
            self._send(200, REPUBLISHED.read_bytes(), "text/html")  # the charset is in <meta>
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/story?utm_source=feed&utm_medium=rss")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/slow":
            time.sleep(SLOW)
            self._send(200, ARTICLE.encode("utf-8"), "text/plain; charset=utf-8")
        elif path == "/huge-declared":
            self._send(200, b"", "text/html", length=50 * 1024 * 1024)
        elif path == "/huge":  # no length given: the limit is counted while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            chunk = b"word " * 20_000
            try:
                for _ in range(120):  # 12 MB
                    self.wfile.write(chunk)
            except OSError:
                pass  # the client stopped reading at the limit
        else:
            self._send(404, b"not here", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _drafts(site: Path) -> list[Path]:
    return sorted(site.glob("content/2023/*.md"))


def test_a_url_is_fetched_and_its_redirect_followed(tmp_path: Path, server: str) -> None:
    site = example_site(tmp_path)
    result = run_digest("import", f"{server}/moved", "-s", site)
    assert result.code == 0, result.err
    [draft] = _drafts(site)
    text = draft.read_text(encoding="utf-8")
    assert "title: Ferry strike halts crossings to the islands for a second day\n" in text
    # where the redirect ended, tracking parameters removed
    assert f"source_url: {server}/story\n" in text
    assert "source: Coast Gazette\n" in text and "author: Ann Example\n" in text
    assert "Read more" not in text and "newsletter" not in text and "Harbour Town" not in text
    assert text.count("Paragraph ") == 5


def test_the_charset_the_server_declares_is_used(tmp_path: Path, server: str) -> None:
    site = example_site(tmp_path)
    result = run_digest("import", f"{server}/latin1", "-s", site)
    assert result.code == 0, result.err
    assert _drafts(site)[0].read_text(encoding="utf-8").count("Café 1: the ferry") == 1


@pytest.mark.parametrize(("path", "said"), [
    ("/nothing", "the server answered 404 Not Found"),
    ("/slow", "no answer within 0.5 s (DIGEST_IMPORT_TIMEOUT sets it)"),
    ("/huge-declared", "50.0 MB, more than the 10 MB a news page can be"),
    ("/huge", "more than the 10 MB a news page can be"),
])
def test_bad_urls_are_one_line_errors(tmp_path: Path, server: str, path: str, said: str) -> None:
    site = example_site(tmp_path)
    started = time.monotonic()
    result = run_digest("import", f"{server}{path}", "-s", site, env={"DIGEST_IMPORT_TIMEOUT": "0.5"})
    assert time.monotonic() - started < SLOW + 5
    assert result.code == 1 and result.out == ""
    assert result.err == f"digest: error: {server}{path}: {said}" + result.err.split(said, 1)[1]
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert _drafts(site) == []


def _stdin_import(site: Path, data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "CI": "true"}
    return subprocess.run([*digest_command(), "import", "-", "-s", str(site), *args], input=data,
                          capture_output=True, env=env, timeout=120)


def test_standard_input_is_what_a_curator_pastes(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    result = _stdin_import(site, ARTICLE.encode("utf-8"), "--url", "https://example.com/ferry?fbclid=1")
    assert result.returncode == 0, result.stderr
    [draft] = _drafts(site)
    assert result.stdout.decode() == f"{draft}\n"
    assert "source_url: https://example.com/ferry\n" in draft.read_text(encoding="utf-8")
    assert "digest: standard input:" in result.stderr.decode()


@pytest.mark.parametrize(("data", "said"), [
    (b"", "empty; there is nothing to import"),
    (b"\n  \n\t\n", "empty; there is nothing to import"),
    (bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50, "line 1: not UTF-8 text (byte 0x81); save it as UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary data, not a page or text"),
    (b"Read more\n\nSupport us\n\n1 of 35\n", "no article text left after removing the page's clutter"),
])
def test_bad_input_is_one_line_exit_1_nothing_written(tmp_path: Path, data: bytes, said: str) -> None:
    site = example_site(tmp_path)
    result = _stdin_import(site, data)
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr.decode() == f"digest: error: standard input: {said}\n"
    assert _drafts(site) == []


def test_a_50_mb_html_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    page = tmp_path / "page.html"
    with page.open("wb") as out:
        out.write(b"<!doctype html><html><body>")
        out.write(b"<p>" + b"word " * 100_000 + b"</p>\n" * 1)
        out.truncate(50 * 1024 * 1024)
    result = run_digest("import", page, "-s", site)
    assert result.code == 1 and result.out == ""
    assert result.err == f"digest: error: {page}: 50.0 MB, more than the 10 MB a news page can be; " \
        "save the article's own page or paste its text\n"


def test_a_short_body_is_a_warning(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    stub = tmp_path / "stub.txt"
    stub.write_text("Ferry strike ends\n\nThe ferry strike ended on Friday.\n\nSubscribe to read more.\n",
                    encoding="utf-8")
    result = run_digest("import", stub, "-s", site, "--source", "Mirror")
    assert result.code == 0, result.err
    assert "warning" in result.err and "the body has only 6 words: a paywall stub or a teaser?" in result.err


def test_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    result = run_digest("import", tmp_path / "nope.txt", tmp_path, "-s", site)
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines()[:2] == [f"digest: error: {tmp_path / 'nope.txt'}: no such file",
                                           f"digest: error: {tmp_path}: is a folder, not a page"]


def test_flags_that_cannot_apply_are_usage_errors(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    one = tmp_path / "a.txt"
    one.write_text(ARTICLE, encoding="utf-8")
    several = run_digest("import", one, one, "--title", "X", "-s", site)
    assert several.code == 2 and "--url and --title name one page" in several.err
    bad_date = run_digest("import", one, "--date", "yesterday", "-s", site)
    assert bad_date.code == 2 and bad_date.err.startswith("digest: error: --date:")
    bad_url = run_digest("import", one, "--url", "example.com/x", "-s", site)
    assert bad_url.code == 2 and "--url must be an http(s) URL" in bad_url.err
    assert _drafts(site) == []


def test_html_without_the_import_extra_is_exit_2_with_the_install_command(tmp_path: Path) -> None:
    # trafilatura as it fails on a Python whose pip did not install lxml-html-clean: a stand-in
    # package first on the path (the only way to take an installed library away from one run)
    fake = tmp_path / "no-extra" / "trafilatura"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        'raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean")\n')
    site = example_site(tmp_path)
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><html><body><h1>Ferry strike</h1><p>Text.</p></body></html>")
    result = run_digest("import", page, "-s", site, env={"PYTHONPATH": str(fake.parent)})
    assert result.code == 2 and result.out == ""
    assert "pip install 'digest-ssg[import]'" in result.err and str(page) in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert _drafts(site) == []


def test_a_language_the_lists_do_not_cover_is_a_warning(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    page = tmp_path / "prom.txt"
    page.write_text("Strajk promowy wstrzymał przeprawy na wyspy\n\n" + "\n\n".join(
        ["Przewoźnik i związek zawodowy spotkali się ponownie we wtorek bez porozumienia, a przeprawy "
         "na trzy wyspy pozostały zawieszone, podczas gdy kierowcy czekali w porcie."] * 3), encoding="utf-8")
    result = run_digest("import", page, "-s", site, "--source", "Mirror")
    assert result.code == 0, result.err
    assert "is not one the built-in clutter lists cover (de, en, es, fr, ru, zh)" in result.err


HTML_BODY = [
    "The ferry operator and the union met again on Tuesday",
    "The harbour master said the backlog of lorries",
    "## Talks to resume",
    "Both sides said they would return to the table on Thursday.",
    "- Crossings suspended: 48 hours\n- Lorries waiting: about 300",
    "Islanders told reporters that shops were running short",
]


def _check_republished(draft: Path) -> None:
    text = draft.read_text(encoding="utf-8")
    head, body = text.split("---\n")[1], text.split("---\n", 2)[2]
    assert head == (
        "title: Ferry strike halts crossings for a second day\n"
        "date: 2026-11-20T11:30:00+03:00\n"
        "source: Mirror\n"
        "via: Zimbabwe News\n"
        "source_url: https://zimbabwenews.net/2026/11/20/ferry-strike-halts-crossings/\n"
        "author: Ann Example\n"
        "draft: true\n"
        'summary: ""\n')
    paragraphs = body.strip().split("\n\n")
    assert len(paragraphs) == len(HTML_BODY)
    for paragraph, start in zip(paragraphs, HTML_BODY, strict=True):
        assert paragraph.startswith(start), paragraph
    assert "SEE MORE" not in body and "donate" not in body and "Home" not in body


def test_a_saved_html_page_through_the_import_extra(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    result = run_digest("import", REPUBLISHED, "-s", site)
    assert result.code == 0, result.err
    draft = site / "content/2026/ferry-strike-halts-crossings-for-a-second-day.md"
    assert result.out == f"{draft}\n"
    _check_republished(draft)
    assert "  title: Ferry strike halts crossings for a second day  [JSON-LD headline]" in result.err
    assert "  source: Mirror  [JSON-LD isBasedOn, sources.yaml alias 'Daily Mirror']" in result.err
    assert "date not found" not in result.err
    # the same page again, from its canonical URL written another way: refused
    again = run_digest("import", REPUBLISHED, "-s", site, "--url",
                       "http://ZimbabweNews.net/2026/11/20/ferry-strike-halts-crossings?fbclid=x")
    assert again.code == 1 and again.out == ""
    assert "content/2026/ferry-strike-halts-crossings-for-a-second-day.md (the same source_url)" in again.err


def test_an_html_url(tmp_path: Path, server: str) -> None:
    site = example_site(tmp_path)
    result = run_digest("import", f"{server}/page", "-s", site)
    assert result.code == 0, result.err
    _check_republished(site / "content/2026/ferry-strike-halts-crossings-for-a-second-day.md")


def test_no_outlet_found_is_an_error_unless_given_or_defaulted(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    page = tmp_path / "p.txt"
    page.write_text("Ferry strike ends\n\n" + ARTICLE.split("|\n\n", 1)[1], encoding="utf-8")
    result = run_digest("import", page, "-s", site)
    assert result.code == 1 and result.out == ""
    assert result.err.endswith(f"digest: error: {page}: no outlet found in it; give it with --source NAME "
                               "(a name from sources.yaml), or set defaults.source in digest.yaml\n")
    assert _drafts(site) == []
    config = site / "digest.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "defaults:\n  source: Mirror\n", encoding="utf-8")
    defaulted = run_digest("import", page, "-s", site)
    assert defaulted.code == 0, defaulted.err
    assert "  source: Mirror  [defaults.source in digest.yaml]" in defaulted.err
    checked = run_digest("check", "--drafts", "-s", site)
    assert checked.code == 0, checked.err


def test_many_warnings_of_one_kind_are_grouped(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    pages = []
    for n in range(5):
        page = tmp_path / f"p{n}.txt"
        page.write_text(ARTICLE.replace("Paragraph", f"Part {n}"), encoding="utf-8")
        pages.append(page)
    result = run_digest("import", *pages, "-s", site, "--force")
    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == 5
    inline = [line for line in result.err.splitlines() if "date not found in the source" in line]
    assert len(inline) == 4, result.err  # the first three, then one line for the rest
    assert inline[-1].startswith(f"digest: warning: 2 more sources ({pages[3]}, {pages[4]}) like the first: "
                                 "date not found in the source")
