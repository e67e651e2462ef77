"""The headers a published file gets: its content type, and how long it may be cached (a
content hash in the name: for ever; a date is not a hash)."""

from __future__ import annotations

from generator.publish.headers import DAY, IMMUTABLE, SHORT, cache_control, content_type


def test_content_types_and_cache_defaults() -> None:
    assert content_type("index.html") == "text/html; charset=utf-8"
    assert content_type("tags/x/feed.xml") == "application/atom+xml; charset=utf-8"
    assert content_type("rss.xml") == "application/rss+xml; charset=utf-8"
    assert content_type("feed.json") == "application/feed+json"
    assert content_type("sitemap.xml") == "application/xml; charset=utf-8"
    assert content_type("static/style.css") == "text/css; charset=utf-8"
    assert content_type("static/favicon.svg") == "image/svg+xml"
    assert content_type("files/report.zip") == "application/zip"
    assert content_type("CNAME") == "application/octet-stream"
    assert cache_control("index.html") == SHORT
    assert cache_control("feed.json") == SHORT and cache_control("sitemap.xml") == SHORT
    assert cache_control("static/style.css") == DAY
    assert cache_control("static/app.3f9a1c2b.css") == IMMUTABLE
    assert cache_control("images/photo-20240501.jpg") == DAY, "a date is not a content hash"
    rules = [("static/*", "public, max-age=604800"), ("*.svg", "no-cache")]
    assert cache_control("static/deep/x.css", rules) == "public, max-age=604800"
    assert cache_control("img/logo.svg", rules) == "no-cache"
    assert cache_control("index.html", rules) == SHORT
