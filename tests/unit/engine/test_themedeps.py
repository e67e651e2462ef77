"""What a theme's templates read (generator.engine.themedeps): which pages print article bodies, found
through names, loops, macros, includes and dynamic access, and `*` wherever it cannot be told."""

from __future__ import annotations

import jinja2

from generator.engine.themedeps import site_dependencies


def _bodies(templates: dict[str, str], name: str = "page.html") -> frozenset[str]:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    return site_dependencies(env, {name})[name].bodies


def test_body_reads_are_found_through_names_loops_macros_and_dynamic_access() -> None:
    assert _bodies({"page.html": "{{ article.title }} {{ articles|length }}"}) == frozenset()
    assert _bodies({"page.html": "{{ article.content }}"}) == {"article"}
    assert _bodies({"page.html": "{{ article['content'] }}"}) == {"article"}
    assert _bodies({"page.html": "{% for a in articles %}{{ a.content }}{% endfor %}"}) == {"*"}
    assert _bodies({"page.html": "{% set article = newer %}{{ article.content }}"}) == {"*"}
    assert _bodies({"page.html": "{{ article[field] }}"}) == {"*"}
    assert _bodies({"page.html": "{{ article|attr(name) }}"}) == {"*"}
    assert _bodies({"page.html": "{{ articles|map(attribute='content')|join }}"}) == {"*"}
    assert _bodies({"page.html": "{{ article.__dict__ }}"}) == {"*"}
    assert _bodies({"page.html": "{{ article.authors[:-1] }}{{ article.tags[0].name }}"}) == frozenset()
    macro = "{% macro show(a) %}{{ a.content }}{% endmacro %}"
    assert _bodies({"page.html": '{% from "m.html" import show %}{{ show(article) }}', "m.html": macro}) == {
        "*"
    }
    assert _bodies({"page.html": '{% include "part.html" %}', "part.html": "{{ article.content }}"}) == {
        "article"
    }
    assert _bodies({"page.html": "{% include name %}"}) == {"*"}
