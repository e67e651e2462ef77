"""Templates lose their indentation, and pages nothing they show: after Jinja's own whitespace
rules (trim_blocks, lstrip_blocks), every piece of text a template outputs is the same once
whitespace runs are collapsed, as a browser collapses them."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from generator.render.templates import unindent

THEME = Path(__file__).resolve().parents[3] / "themes" / "default" / "templates"
TEMPLATES = sorted(p.relative_to(THEME).as_posix() for p in THEME.rglob("*.html"))


def _env() -> jinja2.Environment:
    return jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _output_text(source: str) -> list[tuple[str, str]]:
    """What the template outputs besides its expressions, as the lexer leaves it: each data
    token with its whitespace runs collapsed (a token of only whitespace is one space)."""
    tokens = []
    for _, kind, value in _env().lex(source):
        if kind == "data":
            value = re.sub(r"\s+", " ", value)
        elif kind in ("whitespace", "comment"):  # neither reaches the page
            continue
        elif kind.endswith(("_begin", "_end")):  # `-%}` holds the whitespace it took away
            value = value.strip()
        tokens.append((kind, value))
    return tokens


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_default_themes_templates_output_the_same_text(name: str) -> None:
    source = (THEME / name).read_text(encoding="utf-8")
    assert _output_text(unindent(source)) == _output_text(source)


def test_indentation_goes_and_is_kept_where_it_counts() -> None:
    source = "<ul>\n  <li>a</li>\n    {% if x %}\n    <li>b</li>\n  {% endif %}\n</ul>\n"
    assert unindent(source) == "<ul>\n<li>a</li>\n{% if x %}\n <li>b</li>\n{% endif %}\n</ul>\n"
    # a line after a block tag keeps one space: trim_blocks joins it to what came before
    env = _env()
    assert env.from_string(unindent("a{% if x %}\n    b{% endif %}")).render(x=True) == "a b"
    assert env.from_string("a{% if x %}\n    b{% endif %}").render(x=True) == "a    b"


def test_templates_where_whitespace_is_content_are_left_whole() -> None:
    for source in ("<pre>\n  x\n</pre>", "<textarea>\n  x</textarea>", "<p style='white-space: pre'>\n  x</p>"):
        assert unindent(source) == source


def test_templates_with_trans_blocks_are_left_whole() -> None:
    """A {% trans %} block's text is its msgid, whitespace included: unindented, it would no
    longer be the msgid a site's catalog was extracted with."""
    source = "<p>\n  {% trans %}Hello\n    world{% endtrans %}\n</p>\n"
    assert unindent(source) == source
    assert unindent(source.replace("{% trans", "{%- trans")) == source.replace("{% trans", "{%- trans")
