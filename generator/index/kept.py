"""What one language's last build_index made, kept by `digest serve` for the next (index/site.py
says what is kept and when it is taken)."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import date

from ..core.groups import DayGroup, Edition, EditionSection, MonthGroup, StoryGroup, YearGroup


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


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    """The same objects in the same order (not equal ones: a kept group holds the old ones)."""
    return len(old) == len(new) and all(map(operator.is_, old, new))
