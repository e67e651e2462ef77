"""The template environment: `article.content` is read through the body store the build hands
in (the model holds where a body is, not the body)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from markupsafe import Markup

from generator.core.model import Article, InMemoryBodies
from generator.render.templates import make_environment
from generator.render.theme import load_theme
from support.articles import CONFIG, dated, source


class _Counting:
    def __init__(self) -> None:
        self.read: list[str] = []

    def content(self, article: Article) -> Markup:
        self.read.append(article.path)
        return Markup(f"<p>body of {article.path}</p>")


def _env(bodies: object) -> object:
    return make_environment(load_theme(CONFIG), CONFIG, {}, {}, bodies)  # type: ignore[arg-type]


def test_templates_read_article_content_through_the_store() -> None:
    bodies = _Counting()
    env = _env(bodies)
    article = dated("2024/a.md", 1, outlet=source("Meduza"))
    template = env.from_string("{{ a.content }}|{{ a['content'] }}|{{ [a]|map(attribute='content')|join }}|{{ a|attr('content') }}")  # type: ignore[attr-defined]
    out = template.render(a=article)
    assert out == "|".join(["<p>body of 2024/a.md</p>"] * 4)
    assert bodies.read == ["2024/a.md"] * 4


def test_the_model_itself_holds_no_body_reader() -> None:
    article = dated("2024/a.md", 1, outlet=source("Meduza"))
    assert not hasattr(article, "content")
    with_links = replace(
        article, body_html='<a href="__digest_ref__/2024/b.md#x">b</a>', ref_urls=(("2024/b.md", "/b/"),)
    )
    assert str(InMemoryBodies().content(with_links)) == '<a href="/b/#x">b</a>'


@pytest.mark.parametrize("name", ["content", "title"])
def test_other_objects_and_attributes_are_looked_up_as_usual(name: str) -> None:
    env = _env(_Counting())
    template = env.from_string("{{ x." + name + " }}")  # type: ignore[attr-defined]
    assert template.render(x={name: "plain"}) == "plain"
