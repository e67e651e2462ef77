"""parse_article, the parse of one file: a BOM and CRLF line endings, sanitising as the site
sets it, and where an article's summary comes from."""

from __future__ import annotations

from pathlib import Path

from generator.parse.article import parse_article
from generator.read.config import SiteConfig
from generator.read.sources import Registry
from support.articles import CONFIG, parse


def test_bom_and_crlf_simply_work() -> None:
    text = "\ufeff---\r\ntitle: Hi\r\ndate: 2022-01-01\r\nsource: X\r\n---\r\nBody\r\n"
    result = parse_article("x.md", text, CONFIG, Registry(exists=False))
    assert result.article is not None and result.article.title == "Hi"
    assert result.diagnostics == ()


def test_sanitising_can_be_turned_off() -> None:
    config = SiteConfig(root=Path("/x"), title="T", base_url="https://e.org/", sanitize_html=False)
    result = parse("title: T\ndate: 2022-01-01\nsource: S\n", "<video controls></video>\n", config)
    assert result.article is not None and "<video controls></video>" in result.article.body_html


def test_summary_sources_in_order_of_preference() -> None:
    explicit = parse("title: T\ndate: 2022-01-01\nsource: S\nsummary: Given *here*.\n", "First.\n\nSecond.\n")
    assert explicit.article is not None and explicit.article.summary == "<p>Given <em>here</em>.</p>\n"
    more = parse("title: T\ndate: 2022-01-01\nsource: S\n", "One.\n\nTwo.\n\n<!--more-->\n\nThree.\n")
    assert more.article is not None and more.article.summary == "<p>One.</p>\n<p>Two.</p>\n"
    first = parse("title: T\ndate: 2022-01-01\nsource: S\n", "# Heading\n\nFirst para.\n\nSecond.\n")
    assert first.article is not None and first.article.summary == "<p>First para.</p>\n"
