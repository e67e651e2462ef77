"""The build engine's shortcuts, each checked against the long way round: incremental related
articles against a full computation, the templates' body reads against what they print, the
parse cache's journal against a fresh parse, XML escaping against the standard library's."""

from __future__ import annotations

import random
import xml.sax.saxutils
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from conftest import FIXTURES, copy_site, files_under, run_digest
from generator.core.fingerprint import card_key
from generator.core.model import Article, Source, Tag, evolve
from generator.core.xmltext import escape, quoteattr
from generator.engine.themedeps import site_dependencies
from generator.index.related import Memory, related_articles
from generator.index.site import newest_first
from generator.plan.inputs import PagePlan

SOURCE = Source("Outlet", "outlet", "/sources/outlet/", "/sources/outlet/feed.xml")
TAGS = [f"t{n}" for n in range(14)]
STORIES = ["", "", "", "s1", "s2", "s3"]


def _tag(name: str) -> Tag:
    return Tag(name, name, f"/tags/{name}/", f"/tags/{name}/feed.xml")


def _article(n: int, rng: random.Random) -> Article:
    when = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 24 * 60))
    return Article(
        path=f"a{n:03d}.md",
        title=f"Article {n}",
        slug=f"a{n}",
        url=f"/a{n}/",
        abs_url=f"https://example.org/a{n}/",
        date=when,
        source=SOURCE,
        summary=Markup(""),
        lang="en",
        tags=tuple(_tag(t) for t in rng.sample(TAGS, rng.randint(0, 4))),
        story=rng.choice(STORIES),
    )


def _paths(result: dict[str, tuple[Article, ...]]) -> dict[str, list[str]]:
    return {path: [a.path for a in found] for path, found in result.items()}


def test_incremental_related_articles_equal_a_full_computation() -> None:
    rng = random.Random(7)
    articles = [_article(n, rng) for n in range(300)]
    memory = Memory()
    related_articles(newest_first(articles), memory=memory)
    partial_runs = 0
    for step in range(60):
        i = rng.randrange(len(articles))
        action = rng.choice(["tags", "tags", "story", "date", "add", "delete", "none"])
        if action == "tags":
            articles[i] = evolve(
                articles[i], tags=tuple(_tag(t) for t in rng.sample(TAGS, rng.randint(0, 4)))
            )
        elif action == "story":
            articles[i] = evolve(articles[i], story=rng.choice(STORIES))
        elif action == "date":
            articles[i] = evolve(articles[i], date=articles[i].date + timedelta(hours=rng.randint(1, 99)))
        elif action == "add":
            articles.append(_article(1000 + step, rng))
        elif action == "delete":
            articles.pop(i)
        ordered = newest_first(articles)
        before = dict(memory.inputs)
        incremental = related_articles(ordered, memory=memory)
        full = related_articles(ordered)
        assert _paths(incremental) == _paths(full), f"step {step}: {action}"
        if action in ("tags", "story") and before.keys() == memory.inputs.keys():
            partial_runs += 1
    assert partial_runs > 10  # the partial path was taken, not only full recomputations


def test_card_key_ignores_the_body_and_nothing_else() -> None:
    article = _article(1, random.Random(1))
    assert card_key(evolve(article, body_html="<p>other</p>", body_key="k", fp="x")) == card_key(article)
    assert card_key(evolve(article, title="Another title")) != card_key(article)
    assert card_key(evolve(article, reading_minutes=9)) != card_key(article)


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


def test_a_journal_edit_keeps_the_cache_exact(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    assert run_digest("build", "-s", site, "-o", tmp_path / "a").code == 0
    path = site / "content" / "notes" / "accented.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert run_digest("build", "-s", site, "-o", tmp_path / "a").code == 0
    (journal,) = (site / ".digest-cache").glob("articles-*.journal")  # the edit went to the journal
    again = run_digest("build", "-s", site, "-o", tmp_path / "a", "-v")
    assert "parsed 0 article files" in again.err and "0 files written" in again.out
    fresh = run_digest("build", "-s", site, "-o", tmp_path / "b", "--clean")
    assert fresh.code == 0
    assert files_under(tmp_path / "a") == files_under(tmp_path / "b")
    journal.write_bytes(b"damaged")
    damaged = run_digest("build", "-s", site, "-o", tmp_path / "a", "-v")
    assert damaged.code == 0
    assert "warning: cache discarded and rebuilt" in damaged.err
    assert "parsed 6 article files" in damaged.err


def test_packs_of_replaced_bodies_are_emptied_and_removed(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    packs = site / ".digest-cache" / "html"
    (first,) = packs.glob("*.pack")  # one pack for the six articles parsed
    edited = [p for p in sorted((site / "content").rglob("*.md")) if p.name != "draft.md"]
    for path in edited:
        path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    assert run_digest("build", "-s", site, "-o", out).code == 0
    assert first.exists() and len(list(packs.glob("*.pack"))) == 2
    # one short body of its six is still in use: the next build parses that article again,
    # into a new pack, and removes the worn one; the output does not change
    again = run_digest("build", "-s", site, "-o", out, "-v")
    assert again.code == 0
    assert "parsed 1 article files" in again.err and "0 files written" in again.out
    assert not first.exists() and len(list(packs.glob("*.pack"))) == 2
    clean = run_digest("build", "-s", site, "-o", tmp_path / "clean", "--clean")
    assert clean.code == 0
    assert files_under(out) == files_under(tmp_path / "clean")


@given(st.text())
def test_xml_escaping_matches_the_standard_library(text: str) -> None:
    assert escape(text) == xml.sax.saxutils.escape(text)
    assert quoteattr(text) == xml.sax.saxutils.quoteattr(text)


def test_a_pager_shows_a_few_links_however_many_pages() -> None:
    from generator.plan.context import Pagination

    urls = tuple(f"/page/{n}/" for n in range(1, 1001))
    middle = Pagination(500, 1000, 20, 20_000, urls).links
    assert [(link.number, link.gap) for link in middle] == [
        (1, False), (497, True), (498, False), (499, False), (500, False), (501, False), (502, False),
        (503, True), (1000, False),
    ]  # fmt: skip
    assert middle[0].url == "/page/1/" and middle[-1].url == "/page/1000/"
    assert [link.number for link in Pagination(2, 1000, 20, 20_000, urls).links] == [1, 2, 3, 4, 5, 1000]
    assert [link.number for link in Pagination(1, 1, 20, 3, urls[:1]).links] == [1]


def _plans_with(monkeypatch: pytest.MonkeyPatch, change: Callable[[PagePlan, Any], PagePlan]) -> None:
    """Article pages planned by `change(plan, site)` instead."""
    import generator.build as build_module

    planned = build_module.plan_pages

    def changed(site: Any, config: Any) -> list[PagePlan]:
        return [change(p, site) if p.template == "article.html" else p for p in planned(site, config)]

    monkeypatch.setattr(build_module, "plan_pages", changed)


def test_verifying_catches_a_plan_that_misses_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's key is made of its plan's inputs, and PagePlan.of makes its context of the
    same inputs, so no input can be missing from it. A plan made by hand can hold a context
    made of more than it declares (here: article pages that declare only their own article,
    not the neighbours whose titles they show): that would keep stale pages, and
    DIGEST_VERIFY_SCOPES, set in every test build, makes it an internal error."""
    from generator.build import BuildOptions, build

    _plans_with(monkeypatch, lambda p, _: PagePlan(p.url, p.template, p.context, p.inputs[:2], p.make_context))
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    options = BuildOptions(site_dir=site, output_dir=tmp_path / "out", jobs=1)
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")
    assert not build(options).diagnostics.errors
    path = site / "content" / "world" / "guardsmen.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: ", "title: Retitled ", 1), encoding="utf-8"
    )
    with pytest.raises(RuntimeError, match="changed, but its key was kept: an input is missing"):
        build(options)
    monkeypatch.delenv("DIGEST_VERIFY_SCOPES")
    assert not build(options).diagnostics.errors  # unverified: stale pages, as a clean build shows
    assert not build(replace(options, output_dir=tmp_path / "clean")).diagnostics.errors
    assert files_under(tmp_path / "out") != files_under(tmp_path / "clean")


def test_verifying_catches_an_input_the_context_does_not_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other way round: an input that the context does not use re-renders pages for
    nothing (here: every article of the site, on each article page; then one article's author
    changes, which the other article pages do not show)."""
    from generator.build import BuildOptions, build

    def more(plan: PagePlan, site: Any) -> PagePlan:
        return PagePlan(plan.url, plan.template, plan.context, (*plan.inputs, site.articles), plan.make_context)

    _plans_with(monkeypatch, more)
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    options = BuildOptions(site_dir=site, output_dir=tmp_path / "out", jobs=1)
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")
    assert not build(options).diagnostics.errors
    path = site / "content" / "world" / "guardsmen.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Second Writer", "Other Writer", 1), encoding="utf-8"
    )
    with pytest.raises(RuntimeError, match="its key changed, but its context did not"):
        build(options)
