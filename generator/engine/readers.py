"""Which pages and feeds read which articles' bodies and cards: in a warm build where only
bodies and cards that no plan reads changed (the plan is the last build's, engine/warm.py),
the render job looks only at the tasks that read a changed body or card instead of working
out every page's key (emit.run_all).

The index is made once per kept plan, from exactly what the keys are made of: a page's key
covers the bodies of the articles its template reads bodies through (RenderJob.bodies: a "*"
or a value that is not one article means any body), and the cards of every article its inputs
hold (pagekeys.py: the inputs fingerprinted, through groups, tuples and records); a feed's key
covers the fingerprints of its items. Every other task's key is the last build's, by
construction."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.model import Article

if TYPE_CHECKING:  # for the types only: a build that renders nothing does not import them
    from ..plan.inputs import PagePlan
    from ..render.feeds import FeedSpec

Task = tuple[str, int]


@dataclass(frozen=True)
class Readers:
    """Which tasks read each article's body or card."""

    plans: object  # the plan list it was made for: compared by identity
    templates: str  # and the templates' keys and body names, compared by value
    by_article: dict[str, frozenset[Task]]  # article path -> tasks whose key covers its body
    by_card: dict[str, frozenset[Task]]  # article path -> pages whose key covers its card
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
    by_card: dict[str, set[Task]] = defaultdict(set)
    always: set[Task] = set()
    held: dict[int, frozenset[str]] = {}
    for i, plan in enumerate(plans):
        task = ("page", i)
        for path in _held(plan.inputs, held):
            by_card[path].add(task)
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
        {path: frozenset(tasks) for path, tasks in by_card.items()},
        frozenset(always),
        frozenset(url for url, _ in pairs),
        frozenset(rel for _, rel in pairs),
    )


_NONE: frozenset[str] = frozenset()


def _held(value: Any, memo: dict[int, frozenset[str]]) -> frozenset[str]:
    """The paths of the articles `value` holds, as core/fingerprint.py's Fingerprinter walks
    it: through records' fields, tuples, lists and dicts (keys and values); anything else is
    fingerprinted by its text and holds no article. `memo`: by identity, for the groups many
    pages share (every value met is held by the plan, so alive)."""
    kind = type(value)
    if kind is Article:
        return frozenset((value.path,))
    if value is None or isinstance(value, str | int | float):
        return _NONE
    key = id(value)
    found = memo.get(key)
    if found is not None:
        return found
    parts: Any
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif isinstance(value, tuple | list):
        parts = value
    elif isinstance(value, dict):
        parts = [*value.keys(), *value.values()]
    else:
        parts = ()
    found = _NONE
    for part in parts:
        inner = _held(part, memo)
        if inner:
            found = found | inner if found else inner
    memo[key] = found
    return found


def candidates(readers: Readers, changed: Sequence[str], cards: Sequence[str] = ()) -> frozenset[Task]:
    """The tasks whose keys may differ from the last build's when the bodies of `changed`
    articles (paths), and the cards of `cards` (in what no plan reads), are all that changed."""
    found = set(readers.always)
    for path in changed:
        found |= readers.by_article.get(path, frozenset())
    for path in cards:
        found |= readers.by_card.get(path, frozenset())
    return frozenset(found)
