"""What one language's last build_index made, kept by `digest serve` for the next (index/site.py
says what is kept and when it is taken)."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import date

from ..core.groups import (
    DayGroup,
    Edition,
    EditionSection,
    MonthGroup,
    SourceGroup,
    StoryGroup,
    TagGroup,
    YearGroup,
)
from ..core.model import Article


@dataclass
class KeptIndex:
    """What one language's last build_index made, with what it was made from (see above)."""

    # story key -> (what the group was made from, the group)
    stories: dict[str, tuple[tuple[object, ...], StoryGroup]] = field(default_factory=dict)
    # edition start -> (the "other" section's title, what its sections were made from, the sections)
    sections: dict[date, tuple[str, tuple[object, ...], tuple[EditionSection, ...]]] = field(
        default_factory=dict
    )
    # what every edition's number, key, title and URL are made from (the words by identity; the
    # kind, base path and first edition by value), and edition start -> (the starts of the
    # editions before and after it, the edition)
    numbering: tuple[object, ...] = ()
    editions: dict[date, tuple[date | None, date | None, Edition]] = field(default_factory=dict)
    # the archive's groups, by (year, month, day), (year, month) and year: the same articles (a
    # day), days (a month) or months (a year) at the same URL, under the same name, are the kept one
    days: dict[tuple[int, int, int], DayGroup] = field(default_factory=dict)
    months: dict[tuple[int, int], MonthGroup] = field(default_factory=dict)
    years: dict[int, YearGroup] = field(default_factory=dict)
    # the articles newest first and their ids, the tag and source groups by slug and the
    # editions' periods (their kind, and each start's articles): what the next build_index
    # takes the few new or gone articles out of and puts them into (index/delta.py)
    ordered: tuple[Article, ...] = ()
    ids: frozenset[int] = frozenset()
    tags: dict[str, TagGroup] = field(default_factory=dict)
    sources: dict[str, SourceGroup] = field(default_factory=dict)
    periods: tuple[str, dict[date, tuple[Article, ...]]] = ("", {})

    def changed_in_place(self) -> None:
        """Some of the articles were changed in place since: the next build_index groups every
        article again (the kept groups are still taken where made of the very same)."""
        self.ordered, self.ids = (), frozenset()


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    """The same objects in the same order (not equal ones: a kept group holds the old ones)."""
    return old is new or (len(old) == len(new) and all(map(operator.is_, old, new)))
