"""The preview server's pure parts (generator.preview.livereload): which request reaches which file
(never one outside the preview folder, however the path is written), what type it is served
as, and where the reload script goes in a page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.preview.pagescript import inject
from generator.preview.routes import SPECIAL, Route, content_type, resolve_inside, route


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/news/", Route("file", "index.html")),
        ("/news/2022/a/?utm=1#top", Route("file", "2022/a/index.html")),
        ("/news/feed.xml", Route("file", "feed.xml")),
        ("/news/x%20y.png", Route("file", "x y.png")),
        ("/news/%252e%252e/x", Route("file", "%2e%2e/x")),  # decoded once: a literal name
        ("/", Route("redirect", "/news/")),
        ("/news", Route("redirect", "/news/")),
        ("/other/", Route("missing")),
        ("//evil.example/news/", Route("missing")),
        ("/news/../etc/passwd", Route("missing")),
        ("/news/%2e%2e/etc/passwd", Route("missing")),
        ("/news/a/./b", Route("missing")),
        ("/news/a//b", Route("missing")),
        ("/news/a%5c..%5cb", Route("missing")),
        ("/news/a%00.html", Route("missing")),
        (f"/news/{SPECIAL}events", Route("events")),
        (f"/news/{SPECIAL}livereload.js", Route("script")),
    ],
)
def test_routes_under_the_base_path_only(raw: str, expected: Route) -> None:
    assert route(raw, "/news/") == expected


def test_a_symlink_out_of_the_preview_folder_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "preview"
    folder.mkdir()
    (folder / "page.html").write_text("x")
    (tmp_path / "secret.txt").write_text("s")
    os.symlink(tmp_path / "secret.txt", folder / "link.txt")
    assert resolve_inside(folder, "page.html") == os.path.realpath(folder / "page.html")
    assert resolve_inside(folder, "link.txt") is None
    assert resolve_inside(folder, "../secret.txt") is None


def test_feeds_are_told_apart_by_their_first_bytes() -> None:
    assert content_type("feed.xml", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">') == (
        "application/atom+xml"
    )
    assert content_type("news.xml", b'<?xml version="1.0"?><rss version="2.0">') == "application/rss+xml"
    assert content_type("sitemap.xml", b"<urlset>") == "application/xml"
    assert content_type("feed.json", b'{"version": "https://jsonfeed.org/version/1.1"}') == "application/feed+json"
    assert content_type("data.json", b"{}") == "application/json"
    assert content_type("a/index.html", b"") == "text/html; charset=utf-8"


def test_the_script_goes_before_the_last_closing_body_tag() -> None:
    assert inject(b"<body><p>a</p></BODY>", "<script></script>") == b"<body><p>a</p><script></script></BODY>"
    page = b"<body><pre>&lt;/body&gt; </body></pre></body>"
    assert inject(page, "S") == b"<body><pre>&lt;/body&gt; </body></pre>S</body>"
    assert inject(b"<p>no body</p>", "S") == b"<p>no body</p>S"
    assert inject(b"<body></body>", "") == b"<body></body>"
