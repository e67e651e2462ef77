"""Unit tests of the pure pieces: front matter, YAML traps, dates, slugs, URLs, sanitising."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.core.dates import DateProblem, parse_datetime, rfc822, strftime
from generator.core.urls import output_file, slugify
from generator.parse import frontmatter
from generator.parse.article import parse_article
from generator.parse.markdown import sanitize
from generator.plan.jsonld import safe_json
from generator.read.config import SiteConfig, check_permalink, normalize_base_url
from generator.read.sources import Registry
from generator.render.sitemap import sitemap_files

CONFIG = SiteConfig(
    root=Path("/nonexistent"), title="T", base_url="https://example.org/news/", timezone="Europe/Moscow"
)
MOSCOW = ZoneInfo("Europe/Moscow")


def parse(front: str, body: str = "Body text.\n", config: SiteConfig = CONFIG):  # type: ignore[no-untyped-def]
    return parse_article("x.md", f"---\n{front}---\n{body}", config, Registry(exists=False))


def test_bom_and_crlf_simply_work() -> None:
    text = "\ufeff---\r\ntitle: Hi\r\ndate: 2022-01-01\r\nsource: X\r\n---\r\nBody\r\n"
    result = parse_article("x.md", text, CONFIG, Registry(exists=False))
    assert result.article is not None and result.article.title == "Hi"
    assert result.diagnostics == ()


def test_split_reports_body_line() -> None:
    parts = frontmatter.split("---\na: 1\nb: 2\n---\nbody\n")
    assert parts.body_line == 5 and parts.body == "body\n"


@pytest.mark.parametrize(
    ("front", "field", "expected"),
    [
        ("title: no\n", "title", "no"),
        ("title: 'yes'\n", "title", "yes"),
        ("source: NO\n", "source", "NO"),
        ("title: 1.10\n", "title", "1.10"),
        ("title: 2024-05-01\n", "title", "2024-05-01"),
    ],
)
def test_yaml_11_traps_keep_the_written_text(front: str, field: str, expected: str) -> None:
    base = {"title": "title: T\n", "source": "source: S\n"}
    base[field] = front
    result = parse("".join(base.values()) + "date: 2022-01-01\n")
    assert result.article is not None, result.diagnostics
    value = result.article.title if field == "title" else result.article.source.name
    assert value == expected


def test_yaml_traps_in_tags_and_slug() -> None:
    result = parse("title: T\ndate: 2022-01-01\nsource: S\ntags: [on, off, yes]\nslug: 2024-05-01\n")
    assert result.article is not None
    assert [t.name for t in result.article.tags] == ["on", "off", "yes"]
    assert result.article.slug == "2024-05-01"


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for n in range(1, 12):
        prev = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    result = parse("title: T\ndate: 2022-01-01\nsource: S\n" + bomb)
    assert result.article is None
    assert any("alias bomb" in d.message for d in result.diagnostics)


def test_duplicate_key_is_an_error_with_its_line() -> None:
    result = parse("title: A\ntitle: B\ndate: 2022-01-01\nsource: S\n")
    assert [(d.line, d.message) for d in result.diagnostics] == [(3, "'title' is given twice")]


def test_dates() -> None:
    assert parse_datetime("2022-05-27", MOSCOW) == datetime(2022, 5, 27, tzinfo=MOSCOW)
    assert parse_datetime("2022-05-27 09:30", MOSCOW).utcoffset() == timedelta(hours=3)
    assert parse_datetime("2022-05-27T09:30:00Z", MOSCOW).utcoffset() == timedelta(0)
    assert parse_datetime("2022-05-27 09:30:00 +3", MOSCOW).utcoffset() == timedelta(hours=3)
    with pytest.raises(DateProblem, match=r"month must be in 1\.\.12"):
        parse_datetime("2024-13-45", MOSCOW)
    with pytest.raises(DateProblem):
        parse_datetime("yesterday", MOSCOW)


def test_rfc822_and_english_names_whatever_the_locale() -> None:
    moment = datetime(2022, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=-5, minutes=-30)))
    assert rfc822(moment) == "Fri, 06 May 2022 07:08:09 -0530"
    assert strftime(moment, "%A, %-d %B %Y") == "Friday, 6 May 2022"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Russia jails soldier for refusing 'special mission'",
            "russia-jails-soldier-for-refusing-special-mission",
        ),
        ("Суд в Грозном", "sud-v-groznom"),
        ("Ça va? Émigrés", "ca-va-emigres"),
        ("A/B.c", "a-b-c"),
    ],
)
def test_slugs_are_lowercase_ascii(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_empty_slug_falls_back_to_something_stable() -> None:
    assert slugify("!!!", "content/a.md") == slugify("!!!", "content/a.md")
    assert slugify("!!!", "content/a.md").startswith("x-")
    assert slugify("!!!", "content/a.md") != slugify("!!!", "content/b.md")


def test_permalink_validation() -> None:
    assert check_permalink("/{year}/{month}/{day}/{slug}/") is None
    assert check_permalink("/{lang}/{source}/{slug}/") is None
    assert "unknown token {week}" in (check_permalink("/{week}/{slug}/") or "")
    assert "must contain {slug}" in (check_permalink("/{year}/") or "")
    assert "'..'" in (check_permalink("/../{slug}/") or "")


def test_base_url_normalisation() -> None:
    assert normalize_base_url("https://example.org/news") == "https://example.org/news/"
    assert normalize_base_url("example.org") is None
    assert normalize_base_url("ftp://example.org/") is None


def test_output_paths_never_leave_the_output_folder() -> None:
    assert output_file("/news/a/", "/news/") == "a/index.html"
    assert output_file("/news/feed.xml", "/news/") == "feed.xml"
    with pytest.raises(ValueError):
        output_file("/news/../../etc/", "/news/")


def test_sanitize_removes_script_handlers_and_javascript_urls() -> None:
    dirty = (
        '<p onclick="x()">hi<script>alert(1)</script><iframe src="https://e.org"></iframe>'
        '<a href="javascript:alert(1)">j</a><a href="data:text/html,x">d</a>'
        '<img src="x.png" onerror="y()" style="color:red"><a href="https://ok.org">ok</a></p>'
    )
    clean = sanitize(dirty)
    for bad in ("onclick", "<script", "alert(1)", "<iframe", "javascript:", "data:", "onerror", "style="):
        assert bad not in clean
    assert '<a href="https://ok.org" rel="noopener noreferrer">ok</a>' in clean


def test_sanitising_can_be_turned_off() -> None:
    config = SiteConfig(root=Path("/x"), title="T", base_url="https://e.org/", sanitize_html=False)
    result = parse("title: T\ndate: 2022-01-01\nsource: S\n", "<video controls></video>\n", config)
    assert result.article is not None and "<video controls></video>" in result.article.content


def test_json_ld_cannot_close_its_script_element() -> None:
    text = safe_json({"headline": "</script><script>alert(1)</script> & <!--"})
    assert "</script" not in text and "<!--" not in text
    assert json.loads(text)["headline"] == "</script><script>alert(1)</script> & <!--"


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


def test_summary_sources_in_order_of_preference() -> None:
    explicit = parse("title: T\ndate: 2022-01-01\nsource: S\nsummary: Given *here*.\n", "First.\n\nSecond.\n")
    assert explicit.article is not None and explicit.article.summary == "<p>Given <em>here</em>.</p>\n"
    more = parse("title: T\ndate: 2022-01-01\nsource: S\n", "One.\n\nTwo.\n\n<!--more-->\n\nThree.\n")
    assert more.article is not None and more.article.summary == "<p>One.</p>\n<p>Two.</p>\n"
    first = parse("title: T\ndate: 2022-01-01\nsource: S\n", "# Heading\n\nFirst para.\n\nSecond.\n")
    assert first.article is not None and first.article.summary == "<p>First para.</p>\n"


def test_writer_round_trips_through_the_parser() -> None:
    text = frontmatter.write(
        {
            "title": "No: it's 'yes'",
            "date": datetime(2022, 5, 27, 9, 30, tzinfo=MOSCOW),
            "source": "NO",
            "tags": ["on", "off"],
            "slug": "2024-05-01",
        },
        "Body.\n",
    )
    result = parse_article("x.md", text, CONFIG, Registry(exists=False))
    assert result.article is not None, result.diagnostics
    assert result.article.title == "No: it's 'yes'" and result.article.source.name == "NO"
    assert [t.name for t in result.article.tags] == ["on", "off"] and result.article.slug == "2024-05-01"
