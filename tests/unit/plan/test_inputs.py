"""A page's inputs are declared once: PagePlan.of makes the context of the inputs alone, and the
page's key (engine/pagekeys.py) is made of the same inputs, so a page changes key exactly when
what it shows changes. On a site made in memory, no files."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from generator.core.fingerprint import Fingerprinter, card_key, digest
from generator.core.model import Article, Source, Tag, evolve
from generator.engine.pagekeys import context_key, page_key, same_inputs
from generator.index.site import build_index
from generator.plan.inputs import PagePlan
from generator.plan.pages import plan_pages
from generator.read.config import SiteConfig

CONFIG = SiteConfig(
    root=Path("/nonexistent"), title="T", base_url="https://example.org/news/", per_page=3, search=True
)
SOURCES = [Source(name, name.lower(), f"/news/sources/{name.lower()}/", "") for name in ("Alpha", "Beta", "Gamma")]
TAGS = [Tag(f"t{n}", f"t{n}", f"/news/tags/t{n}/", "") for n in range(5)]
# what the default theme reads bodies through (themedeps): the article page's own article
BODIES = {"article.html": frozenset({"article"})}


def _finished(article: Article) -> Article:
    """With the fingerprints a build gives it: of the card, and of the card and the body."""
    card = card_key(article)
    return evolve(article, card_fp=card, fp=digest(card, article.body_html))


def _articles(count: int = 24) -> list[Article]:
    rng = random.Random(14)
    out = []
    for n in range(count):
        when = datetime(2024, 1, 1, 9, tzinfo=UTC) + timedelta(hours=rng.randint(0, 24 * 20))
        article = Article(
            path=f"a{n:02d}.md",
            title=f"Article {n}",
            slug=f"a{n}",
            url=f"/news/a{n}/",
            abs_url=f"https://example.org/news/a{n}/",
            date=when,
            source=rng.choice(SOURCES),
            summary=Markup(f"<p>Summary {n}</p>"),
            lang="en",
            via=rng.choice(["", "", "Beta"]),
            tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
            story=rng.choice(["", "", "s1", "s2"]),
            body_html=f"<p>Body {n}</p>",
        )
        out.append(_finished(article))
    return out


def _plans(articles: list[Article]) -> list[PagePlan]:
    return plan_pages(build_index(articles, CONFIG), CONFIG)


def _keys(plans: list[PagePlan], key: Any = page_key) -> dict[str, str]:
    full, cards = Fingerprinter(), Fingerprinter(bodies=False)
    return {p.url: key(p, "env", BODIES.get(p.template, frozenset()), full, cards) for p in plans}


def _holds(value: Any, path: str) -> bool:
    """Whether a context value shows the article, however deep (the long way round)."""
    if isinstance(value, Article):
        return value.path == path
    if isinstance(value, dict):
        return any(_holds(v, path) for v in value.values())
    if isinstance(value, tuple | list):
        return any(_holds(v, path) for v in value)
    fields = getattr(value, "__dataclass_fields__", None)
    return fields is not None and any(_holds(getattr(value, name), path) for name in fields)


def test_every_context_is_made_of_its_inputs() -> None:
    plans = _plans(_articles())
    assert {p.template for p in plans} >= {"index.html", "article.html", "tag.html", "day.html", "story.html"}
    for plan in plans:
        assert plan.context == plan.make_context(*plan.inputs), plan.url


def test_planning_makes_no_context_until_one_is_read() -> None:
    """`digest serve` renders the open pages right after planning (engine/emit.py): making
    every page's context while planning would cost it that much before the first page."""
    plans = _plans(_articles())
    assert not [p.url for p in plans if "context" in vars(p)]
    # what sitemaps, aliases and languages read of every page, without its context
    for plan in plans:
        assert plan.article is (plan.context["article"] if plan.template == "article.html" else None)
    plans = _plans(_articles())
    home = next(p for p in plans if p.template == "index.html")
    made = home.context
    assert home.context is made  # made once
    moved = home.but(lang="ru", alternates=("x",))
    assert (moved.lang, moved.alternates, moved.inputs) == ("ru", ("x",), home.inputs)
    assert moved.context is made  # carried over, not made again
    assert "context" not in vars(plans[-1].but(lang="ru"))


def _module_level(page: Any) -> dict[str, Any]:
    return {"page": page}


def _as_article(settings: Any, shown: Any, other: Any) -> dict[str, Any]:
    return {"page": settings, "article": shown, "other": other}


def test_a_plan_s_article_is_its_context_s_article() -> None:
    """engine/emit.py reads an article page's `article` from its plan, not its context: a maker
    that puts another article there is refused when the context is made."""
    one, other = object(), object()
    assert PagePlan.of("/a/", "article.html", _as_article, "s", one, None, article=one).context["article"] is one
    plan = PagePlan.of("/b/", "article.html", _as_article, "s", other, one, article=one)
    with pytest.raises(ValueError, match="the plan's article is not its context's 'article'"):
        plan.context  # noqa: B018


def test_a_context_is_made_by_a_module_level_function_only() -> None:
    hidden = {"extra": 1}

    def closure(page: Any) -> dict[str, Any]:
        return {"page": page, **hidden}

    def nested(page: Any) -> dict[str, Any]:  # no closure, but nobody can tell what it reads
        return {"page": page}

    def defaulted(page: Any, extra: Any = hidden) -> dict[str, Any]:
        return {"page": page, "extra": extra}

    for maker in (closure, nested, defaulted, lambda page: {"page": page}, dict):
        with pytest.raises(TypeError, match=r"a page.s context is made by|a default value"):
            PagePlan.of("/x/", "404.html", maker, "p")  # type: ignore[arg-type]
    plan = PagePlan.of("/x/", "404.html", _module_level, "p")
    assert plan.context == {"page": "p"} and plan.inputs == ("p",)


def test_a_changed_card_changes_the_key_of_exactly_the_pages_that_show_it() -> None:
    articles = _articles()
    before = _plans(articles)
    for target in (articles[3], articles[11], articles[20]):
        retitled = _finished(replace(target, title=f"{target.title}, retitled"))
        after = _plans([retitled if a.path == target.path else a for a in articles])
        assert [p.url for p in after] == [p.url for p in before]
        old, new = _keys(before), _keys(after)
        changed = {url for url in old if old[url] != new[url]}
        showing = {p.url for p in after if _holds(p.context, target.path)}
        assert changed == showing, target.path
        # not the whole site: its own page, its lists, its neighbours
        assert target.url in changed and len(changed) < len(after) / 2
        # and the long way round decides the same
        old_full, new_full = _keys(before, context_key), _keys(after, context_key)
        assert changed == {url for url in old_full if old_full[url] != new_full[url]}


def test_a_changed_body_changes_the_key_of_the_pages_that_read_it_only() -> None:
    """The same card, another body: lists keep their keys; the article's own page, whose
    template reads the body through `article`, changes."""
    articles = _articles()
    target = articles[7]
    edited = evolve(target, body_html="<p>Another body</p>", fp=digest(target.card_fp, "another"))
    before, after = _plans(articles), _plans([edited if a is target else a for a in articles])
    old, new = _keys(before), _keys(after)
    assert {url for url in old if old[url] != new[url]} == {target.url}


def test_a_plan_made_by_of_is_the_dataclass_made_field_for_field() -> None:
    """PagePlan.of fills the instance's fields itself (faster than the frozen dataclass's
    __init__): every field is set, to what the constructor would set, and the plan is as
    immutable as one the constructor made."""
    from dataclasses import FrozenInstanceError, fields

    site = build_index(_articles(6), CONFIG)
    for plan in plan_pages(site, CONFIG):
        made = PagePlan(plan.url, plan.template, plan.inputs, plan.make_context, article=plan.article)
        assert plan == made
        assert {f.name for f in fields(PagePlan)} == set(plan.__dict__)
        with pytest.raises(FrozenInstanceError):
            plan.url = "/elsewhere/"  # type: ignore[misc]


def test_pages_with_the_same_inputs_have_the_same_keys() -> None:
    """A warm build keeps a page's last key when its inputs are the same objects, or equal
    summaries (engine/pagekeys.py same_inputs, so it need not fingerprint them): that must
    never hold of a page whose key changed, and it must hold of the pages an edit leaves
    alone, though every build makes its index's summaries and lists' pages anew."""
    articles = _articles()
    before = _plans(articles)
    # the same articles indexed again: every summary and Pages is a new object (a warm build
    # keeps the groups, editions and periods themselves: index/kept.py, plan/periods.py)
    again = _plans(articles)
    lists = [(new, old) for new, old in zip(again, before, strict=True) if new.template in ("tag.html", "source.html")]
    assert lists and all(same_inputs(new.inputs, old.inputs) for new, old in lists)
    assert all(new.inputs[1] is not old.inputs[1] for new, old in lists)
    for n, edit in enumerate(
        [
            {"title": "Retitled"},
            {"date": articles[5].date + timedelta(days=3)},
            {"tags": (TAGS[4],)},
            {"source": SOURCES[2]},
            {"story": "s2"},
            {"via": ""},
        ]
    ):
        target = articles[(7 * n + 3) % len(articles)]
        changed = _finished(replace(target, **edit))
        after = _plans([changed if a.path == target.path else a for a in articles])
        old_plans = {p.url: p for p in before}
        old, new = _keys(before), _keys(after)
        kept = [p.url for p in after if p.url in old_plans and same_inputs(p.inputs, old_plans[p.url].inputs)]
        assert [url for url in kept if new[url] != old[url]] == [], edit
        assert len(kept) > len(after) // 3, edit  # not vacuous: many pages do not show it
    # what may change in place is not trusted by its identity: a list
    assert not same_inputs(("x", [1]), ("x", [1]))
    held = [1]
    assert not same_inputs((held,), (held,))
