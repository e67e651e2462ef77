"""PagePlan.of makes its plan without the frozen dataclass's __init__ (plan/inputs.py): the same
plan, field for field, as the constructor makes; a field added to PagePlan must be made there."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from generator.plan.inputs import PagePlan
from unit.plan.test_inputs import _articles


def _context(title: str, article: Any) -> dict[str, Any]:
    return {"title": title, "article": article}


def test_of_makes_what_the_constructor_makes() -> None:
    article = _articles(1)[0]
    plan = PagePlan.of("/a/", "article.html", _context, "Title", article, article=article)
    assert plan == PagePlan("/a/", "article.html", ("Title", article), _context, article=article)
    assert set(plan.__dict__) == {f.name for f in fields(PagePlan)}
    assert plan.context == {"title": "Title", "article": article}
    assert plan.but(lang="ru").lang == "ru" and plan.lang == ""
