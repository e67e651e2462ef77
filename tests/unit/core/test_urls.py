"""Slugs and output paths: lowercase ASCII, stable when empty, never outside the output folder."""

from __future__ import annotations

import pytest

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
