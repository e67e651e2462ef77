"""plan/periods.py's KeptPeriods: under `digest serve` a period page whose group is the very
same object (index/site.py keeps the archive's groups), between the same neighbours, with the
same edition link and summaries, under equal settings, keeps its plans; the plans are always
what planning without them makes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from generator.core.model import Article, evolve
from generator.index.site import KeptIndex, build_index
from generator.plan.inputs import PagePlan
from generator.plan.pages import plan_pages
from generator.plan.periods import KeptPeriods
from unit.plan.test_inputs import CONFIG, TAGS, _articles

PERIODS = ("day.html", "month.html", "year.html")


def _periods(plans: list[PagePlan]) -> dict[str, PagePlan]:
    return {p.url: p for p in plans if p.template in PERIODS}


def _fresh(articles: list[Article], config: object = CONFIG) -> list[PagePlan]:
    return plan_pages(build_index(articles, config, related=False), config)  # type: ignore[arg-type]


def _of(article: Article, plans: dict[str, PagePlan]) -> set[str]:
    """The period pages that hold the article: its day's, month's and year's."""
    d = article.date
    places = {(d.year, d.month, d.day), (d.year, d.month, 0), (d.year, 0, 0)}
    return {url for url, p in plans.items() if (p.inputs[1].year, p.inputs[1].month, p.inputs[1].day) in places}


def test_a_tag_edit_plans_again_only_the_periods_that_hold_the_article() -> None:
    articles = _articles()
    index, kept = KeptIndex(), KeptPeriods()
    first = plan_pages(build_index(articles, CONFIG, related=False, kept=index), CONFIG, kept)
    articles[4] = evolve(articles[4], tags=(TAGS[4],))
    again = plan_pages(build_index(articles, CONFIG, related=False, kept=index), CONFIG, kept)
    assert again == _fresh(articles)
    old, new = _periods(first), _periods(again)
    made_again = {url for url, plan in new.items() if plan is not old.get(url)}
    assert made_again == _of(articles[4], new)
    assert len(made_again) < len(new) // 2


def test_a_new_period_plans_its_neighbours_again_and_other_settings_plan_everything() -> None:
    articles = _articles()
    index, kept = KeptIndex(), KeptPeriods()
    first = _periods(plan_pages(build_index(articles, CONFIG, related=False, kept=index), CONFIG, kept))
    # the newest article a month later: a new day, month (and their neighbours' links to them)
    newest = max(articles, key=lambda a: a.date)
    moved = datetime.combine(newest.date.date() + timedelta(days=40), time(9), UTC)
    articles[articles.index(newest)] = evolve(newest, date=moved)
    plans = plan_pages(build_index(articles, CONFIG, related=False, kept=index), CONFIG, kept)
    assert plans == _fresh(articles)
    again = _periods(plans)
    assert any(plan is first.get(url) for url, plan in again.items())  # most periods kept
    # another site title: every page's settings differ, no period is kept
    retitled = replace(CONFIG, title="Another title")
    other = plan_pages(build_index(articles, retitled, related=False, kept=index), retitled, kept)
    assert other == _fresh(articles, retitled)
    assert not any(plan is again.get(url) for url, plan in _periods(other).items())
