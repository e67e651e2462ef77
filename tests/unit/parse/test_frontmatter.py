"""Front matter: split from the body with its line, YAML 1.1's traps read as the curator wrote
them, alias bombs and repeated keys refused with their lines, and the writer `digest new` uses
read back the same."""

from __future__ import annotations

from datetime import datetime

import pytest

from generator.parse import frontmatter
from generator.parse.article import parse_article
from generator.read.sources import Registry
from support.articles import CONFIG, MOSCOW, parse


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
