"""Sitemaps: split into an index past the size limit; the Google News window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import EPOCH
from generator.render.sitemap import NEWS_MAX_URLS, news_window, sitemap_files
from support.articles import CONFIG, dated

NOW = datetime.fromtimestamp(int(EPOCH), UTC)  # 2023-11-14T22:13:20Z


def test_sitemap_splits_into_an_index() -> None:
    entries = [(f"/news/a{i}/", "", ()) for i in range(5)]
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


def test_news_window_is_capped_at_1000() -> None:
    many = [dated(f"n{i:04d}", 0) for i in range(1500)]
    many = [a.__class__(**{**a.__dict__, "date": NOW - timedelta(minutes=i)}) for i, a in enumerate(many)]
    chosen = news_window(many, NOW)
    assert len(chosen) == NEWS_MAX_URLS
    assert chosen[0].date == NOW and chosen[-1].date == NOW - timedelta(minutes=NEWS_MAX_URLS - 1)
