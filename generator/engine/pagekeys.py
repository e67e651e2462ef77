"""A page's key: what decides whether its last output still stands. It is made of the page's
template's key (the theme, the settings, the parts of `site` the template reads) and the inputs
its plan declares (PagePlan.inputs, from which PagePlan.of made the context): by their cards,
and by their whole fingerprints (bodies) where the template reads bodies through a context name
(engine/themedeps.py). The context is made of the inputs alone, so nothing it holds can be
missing from the key. `context_key`, the fingerprint of the whole context, is the long way
round to the same decision: builds that verify (DIGEST_VERIFY_SCOPES) compare the two."""

from __future__ import annotations

import functools
import operator
from typing import Any

from ..core import groups
from ..core.fingerprint import Fingerprinter, digest
from ..core.model import Article
from ..plan import context as plan_context
from ..plan.context import Pages, PageSettings
from ..plan.inputs import PagePlan

# what a warm build's pages' keys keep from one build to the next (Fingerprinter.carry): the
# index's and the plan's objects that a warm build hands on unchanged when what they were made
# of is unchanged (index/kept.py, plan/periods.py). Each is immutable all through: made of
# strings, numbers, dates, tuples, articles and one another (tests/engine/test_lasting.py
# walks a built site's), and an article that changes in place (bodyedits.keep_last_plan)
# drops what was kept
LASTING: frozenset[type] = frozenset(
    {
        groups.TagGroup,
        groups.SourceGroup,
        groups.DayGroup,
        groups.MonthGroup,
        groups.YearGroup,
        groups.FeedLink,
        groups.StoryGroup,
        groups.EditionLink,
        groups.EditionSection,
        groups.Edition,
        groups.TagSummary,
        groups.SourceSummary,
        groups.DaySummary,
        groups.MonthSummary,
        groups.YearSummary,
        plan_context.Period,
        plan_context.PeriodLink,
        plan_context.Pages,
    }
)


def page_key(
    plan: PagePlan, env_key: str, bodies: frozenset[str], full: Fingerprinter, cards: Fingerprinter
) -> str:
    """`full` fingerprints bodies, `cards` does not; `bodies`: the context names the template
    reads bodies through ("*": any). An input the same by its card may have another body, so
    what a body name holds counts by its whole fingerprint."""
    template, inputs = plan.template, plan.inputs
    if inputs and type(inputs[0]) is PageSettings:  # made of the settings, which env_key holds
        inputs = inputs[1:]
    # a multilingual site's pages: their versions in the other languages
    alternates = (repr(plan.alternates),) if plan.alternates else ()
    if "*" in bodies:
        return digest(env_key, template, *full.inputs(inputs), *alternates)
    parts = cards.inputs(inputs)
    if bodies:
        context = plan.context
        parts += full.inputs(tuple([context.get(name) for name in _sorted(bodies)]))
    return digest(env_key, template, *parts, *alternates)


def context_key(
    plan: PagePlan, env_key: str, bodies: frozenset[str], full: Fingerprinter, cards: Fingerprinter
) -> str:
    """Each value of the page's context, its articles by their whole fingerprint where the
    template reads bodies through that name, else by their cards."""
    everything = "*" in bodies
    parts = [env_key, plan.template]
    for name in sorted(plan.context):
        value = plan.context[name]
        parts += [name, (full if everything or name in bodies else cards).top(value)]
    if plan.alternates:
        parts.append(repr(plan.alternates))
    return digest(*parts)


@functools.cache
def _sorted(names: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(names))


# a page as its key was worked out: its template's key, its inputs and versions, the key
PageInputs = tuple[str, tuple[Any, ...], tuple[Any, ...], str]

# what an input may be for `same_inputs` to trust its identity: immutable all through
_SAME_BY_IDENTITY = LASTING | {Article, str, int, bool, type(None)}
# and what it compares by value when it is another object: each build makes them anew (the
# index's summaries), they hold no article, and their fingerprint is their fields' values
_SAME_BY_VALUE = frozenset(
    {
        str,
        int,
        bool,
        groups.TagSummary,
        groups.SourceSummary,
        groups.DaySummary,
        groups.MonthSummary,
        groups.YearSummary,
        groups.EditionLink,
        groups.FeedLink,
        plan_context.PeriodLink,
    }
)


def same_inputs(new: tuple[Any, ...], old: tuple[Any, ...]) -> bool:
    """Whether a page's inputs are the very objects of its inputs in the last build (a tuple's
    items one by one), each of a kind that cannot change (an article changed in place drops
    the last build's inputs: bodyedits.keep_last_plan), or equal summaries: then its context
    is the same, and so is its key. The settings (a first PageSettings) are left out, as the
    key leaves them out."""
    if len(new) != len(old):
        return False
    trusted = _SAME_BY_IDENTITY
    for a, b in zip(new, old, strict=True):
        kind = type(a)
        if kind is not type(b):
            return False
        if kind is tuple:
            if len(a) != len(b):
                return False
            # most often the same articles, one by one (a list's page, an article's related)
            same = all(map(operator.is_, a, b)) and trusted.issuperset(map(type, a))
            if not (same or all(map(_same, a, b))):
                return False
        elif not (kind is PageSettings or _same(a, b)):
            return False
    return True


def _same(a: Any, b: Any) -> bool:
    kind = type(a)
    if a is b:
        return kind in _SAME_BY_IDENTITY
    if kind is not type(b):
        return False
    if kind is Pages:  # made anew for every list; fingerprinted by its repr
        return repr(a) == repr(b)
    return kind in _SAME_BY_VALUE and a == b
