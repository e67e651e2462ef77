"""index/select.py: which parsed articles make the site, links between them resolved, and the
checks that need every article at once; on in-memory Parsed results."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import Markup

from generator.core.diagnostics import Diagnostics
from generator.core.model import Article
from generator.index.select import check_collisions, check_source_urls, resolve_links, select
from generator.parse.article import Parsed
from support.articles import CONFIG, dated, source

NOW = datetime(2022, 3, 1, tzinfo=UTC)


def parsed(
    *articles: Article, refs: dict[str, tuple[tuple[str, int], ...]] | None = None
) -> dict[str, Parsed]:
    return {a.path: Parsed(a, (), (refs or {}).get(a.path, ()), (), 4) for a in articles}


def test_drafts_and_future_articles_are_left_out_and_counted() -> None:
    kept = dated("a", 10)
    draft = replace(dated("b", 11), draft=True)
    later, latest = dated("c", 70), dated("d", 90)  # 2022-03-12 and 2022-04-01
    items = parsed(kept, draft, latest, later)
    assert select(items, drafts=False, future=False, now=NOW) == ([kept], 1, [later, latest])
    chosen, drafts, future = select(items, drafts=True, future=True, now=NOW)
    assert [a.path for a in chosen] == ["a", "b", "d", "c"] and (drafts, future) == (0, [])
    assert select({"x": Parsed(None, ())}, drafts=False, future=False, now=NOW) == ([], 0, [])


def test_links_to_articles_get_their_urls_and_dangling_ones_are_located() -> None:
    linking = replace(dated("a", 1), summary=Markup('<a href="__digest_ref__/b#part">b</a>'))
    target = dated("b", 2)
    items = parsed(linking, target, refs={"a": (("b", 7), ("gone.md", 9))})
    diags = Diagnostics(root=Path("/site"))
    out = resolve_links([linking, target], items, diags, CONFIG, strict_links=False)
    assert out[0].summary == Markup('<a href="/b/#part">b</a>') and out[0].ref_urls == (("b", "/b/"),)
    assert out[1] is target
    assert [(d.path, d.line, d.level.value) for d in diags.items] == [
        (str(CONFIG.content_dir / "a"), 9, "warning")
    ]
    assert "no such file under content/" in diags.items[0].message
    strict = Diagnostics(root=Path("/site"))
    resolve_links([linking, target], items, strict, CONFIG, strict_links=True)
    assert [d.level.value for d in strict.items] == ["error"]


def test_two_articles_at_one_url_or_from_one_original_are_reported_on_the_later_path() -> None:
    first = replace(dated("a", 1), source_url="https://x.example/1")
    second = replace(dated("b", 2), url=first.url, source_url="https://x.example/1")
    diags = Diagnostics(root=Path("/site"))
    check_collisions([second, first], diags)
    check_source_urls([second, first], parsed(first, second), diags)
    assert [(d.path, d.line, d.level.value) for d in diags.items] == [
        ("content/b", 1, "error"),
        ("content/b", 4, "warning"),
    ]
    assert "same URL /a/ as content/a" in diags.items[0].message
    assert "same source_url as content/a" in diags.items[1].message


def test_distinct_articles_raise_nothing() -> None:
    items = [dated("a", 1, outlet=source("Wire")), dated("b", 2)]
    diags = Diagnostics(root=Path("/site"))
    check_collisions(items, diags)
    check_source_urls(items, parsed(*items), diags)
    assert diags.items == []
