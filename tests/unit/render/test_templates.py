"""The template environment: `article.content` is read through the body store the build hands
in (the model holds where a body is, not the body)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from generator.core.model import Article, InMemoryBodies
from generator.render.bytecode import bytecode_cache
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


def test_a_missing_attribute_is_still_an_error() -> None:
    """The environment's attribute lookup is Jinja's, inlined: a name neither an attribute nor
    a key stays StrictUndefined (a located template error), not a silent empty string."""
    import jinja2

    env = _env(_Counting())
    template = env.from_string("{{ x.nothing }}")  # type: ignore[attr-defined]
    with pytest.raises(jinja2.UndefinedError, match="nothing"):
        template.render(x={"title": "t"})
    assert env.from_string("{{ x.name }}").render(x=source("Meduza")) == "Meduza"  # type: ignore[attr-defined]


def test_translated_messages_are_formatted_once_and_escaped_by_the_type_of_their_values() -> None:
    """gettext keeps what it formatted: the same message with equal values gives the kept
    result, but a str and a Markup that are equal as strings are not the same value (only the
    str is escaped), and values that cannot be kept are formatted every time."""
    env = _env(_Counting())
    say = env.from_string('{{ _("Follow %(name)s:", name=v) }}')  # type: ignore[attr-defined]
    assert say.render(v="<b>") == "Follow &lt;b&gt;:"
    assert say.render(v=Markup("<b>")) == "Follow <b>:"
    assert say.render(v="<b>") == "Follow &lt;b&gt;:"
    assert say.render(v=["<b>"]) == "Follow [&#39;&lt;b&gt;&#39;]:"
    assert say.render(v=1) == "Follow 1:"
    assert say.render(v=True) == "Follow True:"  # equal to 1, not the same value
    gettext = env.globals["_"]  # type: ignore[attr-defined]
    from jinja2.nodes import EvalContext

    ctx = EvalContext(env)  # type: ignore[arg-type]
    assert gettext(ctx, "Home") is gettext(ctx, "Home")  # kept, not formatted again
    plain = EvalContext(env)  # type: ignore[arg-type]
    plain.autoescape = False
    assert gettext(plain, "Follow %(name)s:", name="<b>") == "Follow <b>:"
    assert type(gettext(plain, "Follow %(name)s:", name="<b>")) is str


def test_dates_are_formatted_by_their_own_local_day() -> None:
    """format_date formats the local day of an aware datetime: two datetimes of one instant in
    two zones are equal, yet name different days."""
    from datetime import UTC, datetime, timedelta, timezone

    env = _env(_Counting())
    late = datetime(2024, 1, 2, 1, 0, tzinfo=timezone(timedelta(hours=5)))
    same_instant = late.astimezone(UTC)
    assert late == same_instant
    fmt = env.filters["format_date"]  # type: ignore[attr-defined]
    assert fmt(late, "full") == "Tuesday, 2 January 2024"
    assert fmt(same_instant, "full") == "Monday, 1 January 2024"
    assert fmt(late, "long") == "2 January 2024"
    assert fmt(same_instant.date(), "medium") == "1 Jan 2024"


def _page_including_a_part(tmp_path: Path) -> tuple[Path, Any]:
    """A theme whose page.html includes part.html ("one"), over the built-in one."""
    templates = tmp_path / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "part.html").write_text("one\n", encoding="utf-8")
    (templates / "page.html").write_text('{% include "part.html" %}', encoding="utf-8")
    return templates, replace(load_theme(CONFIG), template_dirs=(templates, *load_theme(CONFIG).template_dirs))


def test_a_template_is_read_once_per_environment_and_its_edit_seen_by_the_next(tmp_path: Path) -> None:
    """An environment lives for one build and reads each template once (no stat per include
    per page); the next build's environment sees an edited template although the compiled
    one is kept in the bytecode cache folder."""
    templates, theme = _page_including_a_part(tmp_path)
    cache = tmp_path / "jinja"

    def env() -> Any:
        return make_environment(theme, CONFIG, {}, {}, _Counting(), cache)  # type: ignore[arg-type]

    first = env()
    assert first.get_template("page.html").render() == "one\n"
    assert any(cache.iterdir()), "compiled templates are kept for the next build"
    (templates / "part.html").write_text("two\n", encoding="utf-8")
    assert first.get_template("page.html").render() == "one\n"  # this build's version
    assert env().get_template("page.html").render() == "two\n"  # the next build's


class _Html:
    def __html__(self) -> str:
        return "<i>own</i>"


@pytest.mark.parametrize(
    "value", ["", "plain", "<a href=\"x\">'&'</a>", Markup("<b>kept</b>"), 7, 2.5, None, _Html(), ["<li>"]]
)
def test_templates_escape_every_value_as_markupsafe_does(value: object) -> None:
    """The compiled templates' `escape` is digest's shortcut for strings and Markup: the same
    text, as Markup, as markupsafe.escape gives for any value."""
    import markupsafe

    from generator.render.templates import _escape

    env = _env(_Counting())
    template = env.from_string("{{ v }}")  # type: ignore[attr-defined]
    assert template.root_render_func.__globals__["escape"] is _escape  # the shortcut is in use
    expected = markupsafe.escape(value)
    assert template.render(v=value) == str(expected)
    assert type(_escape(value)) is Markup and _escape(value) == expected


def test_an_undefined_value_is_still_an_error_when_printed() -> None:
    import jinja2

    with pytest.raises(jinja2.UndefinedError, match="'nothing' is undefined"):
        _env(_Counting()).from_string("{{ nothing }}").render()  # type: ignore[attr-defined]


def test_serve_keeps_the_compiled_templates_in_memory_between_environments(tmp_path: Path) -> None:
    """One KeptBytecode for every build of a preview server: the next environment takes each
    template's code from memory (not even the folder is read: emptied, it stays empty), and an
    edited template, whose source's checksum differs, is compiled again."""
    templates, theme = _page_including_a_part(tmp_path)
    folder = tmp_path / "jinja"
    kept = bytecode_cache(folder)
    assert kept is not None

    def env() -> Any:
        return make_environment(theme, CONFIG, {}, {}, _Counting(), kept)  # type: ignore[arg-type]

    assert env().get_template("page.html").render() == "one\n"
    for path in folder.iterdir():
        path.unlink()
    assert env().get_template("page.html").render() == "one\n"
    assert not any(folder.iterdir()), "the code came from memory: nothing was compiled again"
    (templates / "part.html").write_text("two\n", encoding="utf-8")
    assert env().get_template("page.html").render() == "two\n"
    assert len(list(folder.iterdir())) == 1  # the edited one, compiled and kept
