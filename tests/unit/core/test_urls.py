"""Slugs and output paths: lowercase ASCII, stable when empty, never outside the output folder."""

from __future__ import annotations

import posixpath
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.core.urls import output_file, slugify


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


def test_output_paths_never_leave_the_output_folder() -> None:
    assert output_file("/news/a/", "/news/") == "a/index.html"
    assert output_file("/news/feed.xml", "/news/") == "feed.xml"
    with pytest.raises(ValueError):
        output_file("/news/../../etc/", "/news/")


@pytest.mark.parametrize(
    "text", ["russian-refuseniks", "a", "2024", "covid-19-vaccines", "x" * 80, "a-" * 39 + "ab"]
)
def test_a_slug_is_its_own_slug_as_python_slugify_makes_it(text: str) -> None:
    """Text that is a slug already is returned without python-slugify (not imported by a build
    that parses nothing: stories.yaml's keys are such text), exactly as python-slugify would."""
    from slugify import slugify as python_slugify

    assert slugify(text) == text == python_slugify(text, max_length=80, word_boundary=True, save_order=True)


def _normalised(url_path: str, base_path: str) -> str:
    """output_file's result the long way: every path through posixpath.normpath."""
    rel = url_path[len(base_path) :] if url_path.startswith(base_path) else url_path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    normalized = posixpath.normpath(rel)
    if normalized.startswith("../") or normalized in ("..", ".") or normalized.startswith("/"):
        return "outside"
    return "unsafe" if re.search(r"[\x00-\x1f\x7f\\]", normalized) else normalized


@given(st.text(alphabet="ab/./", max_size=16) | st.text(alphabet="ab./\\-%\x00", max_size=24),
       st.sampled_from(["/", "/news/", "/a/b/"]))
@example("a//b/", "/")
@example("/news/a/./b/", "/news/")
@example("x/../../y", "/")
@settings(max_examples=500)
def test_output_file_skips_normpath_only_where_it_would_change_nothing(url_path: str, base_path: str) -> None:
    try:
        got = output_file.__wrapped__(url_path, base_path)
    except ValueError as exc:
        got = "outside" if "outside" in str(exc) else "unsafe"
    assert got == _normalised(url_path, base_path)
