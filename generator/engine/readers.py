"""Which pages and feeds read which articles' bodies: in a warm build where only bodies changed
(the plan is the last build's, engine/warm.py), the render job looks only at the tasks that
read a changed body instead of working out every page's key (emit.run_all).

The index is made once per kept plan, from exactly what the keys are made of: a page's key
covers the bodies of the articles its template reads bodies through (RenderJob.bodies: a "*"
or a value that is not one article means any body), and a feed's key covers the fingerprints
of its items. Every other task's key is the last build's, by construction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.model import Article

if TYPE_CHECKING:  # for the types only: a build that renders nothing does not import them
    from ..plan.inputs import PagePlan
    from ..render.feeds import FeedSpec

Task = tuple[str, int]


@dataclass(frozen=True)
class Readers:
    plans: object  # the plan list it was made for: compared by identity
    templates: str  # and the templates' keys and body names, compared by value
    by_article: dict[str, frozenset[Task]]  # article path -> tasks whose key covers its body
    always: frozenset[Task]  # tasks that may read any body
    urls: frozenset[str]  # every task's output URLs and files
    rels: frozenset[str]


def make_readers(
    plans: Sequence[PagePlan],
    specs: Sequence[FeedSpec],
    bodies: Mapping[str, frozenset[str]],
    feed_items: int,
    outputs: Mapping[Task, list[tuple[str, str]]],
    templates: str,
) -> Readers:
    """`bodies`: template id (emit.template_id) -> the context names it reads bodies through."""
    by_article: dict[str, set[Task]] = defaultdict(set)
    always: set[Task] = set()
    for i, plan in enumerate(plans):
        task = ("page", i)
        names = bodies[f"{plan.lang}:{plan.template}" if plan.lang else plan.template]
        if "*" in names:
            always.add(task)
            continue
        for name in names:
            value = plan.context.get(name)
            if value is None:
                continue
            if type(value) is not Article:
                always.add(task)
                break
            by_article[value.path].add(task)
    for i, spec in enumerate(specs):
        for article in spec.articles[:feed_items]:
            by_article[article.path].add(("feed", i))
    pairs = [pair for listed in outputs.values() for pair in listed]
    return Readers(
        plans,
        templates,
        {path: frozenset(tasks) for path, tasks in by_article.items()},
        frozenset(always),
        frozenset(url for url, _ in pairs),
        frozenset(rel for _, rel in pairs),
    )


def candidates(readers: Readers, changed: Sequence[str]) -> frozenset[Task]:
    """The tasks whose keys may differ from the last build's when the bodies of `changed`
    articles (paths) are all that changed."""
    found = set(readers.always)
    for path in changed:
        found |= readers.by_article.get(path, frozenset())
    return frozenset(found)
