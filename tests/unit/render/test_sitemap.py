"""Sitemaps: split into an index past the size limit; the Google News window."""

from __future__ import annotations

from generator.sitemap import sitemap_files
from support.articles import CONFIG


def test_sitemap_splits_into_an_index() -> None:
    entries = [(f"/news/a{i}/", "") for i in range(5)]
    files = sitemap_files(entries, CONFIG, max_urls=2)
    assert sorted(files) == [
        "/news/sitemap-1.xml",
        "/news/sitemap-2.xml",
        "/news/sitemap-3.xml",
        "/news/sitemap.xml",
    ]
    index = files["/news/sitemap.xml"].decode()
    assert "<sitemapindex" in index and "https://example.org/news/sitemap-3.xml" in index
    assert files["/news/sitemap-3.xml"].decode().count("<url>") == 1
