"""The archive's year, month and day pages, and which edition each day and article is in.

Under `digest serve` the plans of the last build's period pages may be handed in (KeptPeriods,
in the warm state): a period whose group is the very same object (index/site.py keeps the
archive's groups of the same articles), between neighbours at the same URLs, with the same
edition link and summaries, under equal settings, keeps its plans. A tag edit, an added or a
deleted article plans again only the periods that hold a changed article, and their
neighbours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

from ..core.groups import DayGroup, EditionLink, MonthGroup, Site, YearGroup
from ..core.model import Article
from ..read.config import SiteConfig
from ..read.words import Words
from .context import Pages, PageSettings, Period, PeriodLink, here, numbered, page_info, paginate
from .inputs import PagePlan

Group = YearGroup | MonthGroup | DayGroup
_PATH = attrgetter("path")


# a period's group, the URLs of the periods before and after it, its edition link, its
# summaries, its plans
_Planned = tuple[Group, str, str, EditionLink | None, tuple[Any, ...], list[PagePlan]]


@dataclass
class KeptPeriods:
    """One language's period pages as the last build planned them (see above)."""

    settings: PageSettings | None = None
    per_page: int = 0
    plans: dict[str, _Planned] = field(default_factory=dict)  # by the period's URL


def period_pages(
    site: Site, config: SiteConfig, settings: PageSettings, kept: KeptPeriods | None = None
) -> list[PagePlan]:
    """`kept`: the last build's (see above), which takes this build's in its place."""
    last_plans = kept.plans if kept is not None else {}
    if kept is not None and (kept.settings != settings or kept.per_page != config.per_page):
        last_plans = {}
    made: dict[str, _Planned] = {}
    years = site.years
    months = [m for y in years for m in y.months]
    days = [d for m in months for d in m.days]
    # a period page lists its months or days as summaries: counts and links, not articles
    summaries: dict[int, tuple[Any, ...]] = {}
    for year, year_summary in zip(years, site.year_summaries, strict=True):
        summaries[id(year)] = year_summary.months
        for month, month_summary in zip(year.months, year_summary.months, strict=True):
            summaries[id(month)] = month_summary.days
    plans: list[PagePlan] = []
    periods: tuple[tuple[str, Sequence[Group]], ...] = (("year", years), ("month", months), ("day", days))
    words = settings.words
    day_editions: dict[date, EditionLink] = {}
    for kind, groups in periods:
        # each period's date, title and link once, when first needed: a period is named by its
        # own page and by its two neighbours'
        dates = [_period_date(group) for group in groups]
        link_of = _Links(groups, dates, words)
        last = len(groups) - 1
        if kind == "day":
            day_editions = _day_editions(dates, site, config)
        # groups are newest first: the previous (older) period is the next in the list
        for i, group in enumerate(groups):
            before = groups[i + 1].url if i < last else ""
            after = groups[i - 1].url if i > 0 else ""
            link = day_editions.get(dates[i]) if kind == "day" else None
            children = summaries.get(id(group), ())
            was = last_plans.get(group.url)
            if (
                was is not None
                and was[0] is group
                and (was[1], was[2]) == (before, after)
                and was[3] == link
                and was[4] == children
            ):
                made[group.url] = was
                plans.extend(was[5])
                continue
            period = Period(
                kind=kind,
                year=group.year,
                month=getattr(group, "month", 0),
                day=getattr(group, "day", 0),
                title=link_of(i).title,
                date=dates[i],
                count=group.count,
                children=children,
                prev=link_of(i + 1) if i < last else None,
                next=link_of(i - 1) if i > 0 else None,
            )
            # a year's page lists its months and a month's its days, not their articles: those
            # are on the day pages they link to (headlines) and on the editions (cards); pages
            # of the same cards again told nothing more
            listed = group.articles if kind == "day" else ()
            own = []
            for pages, number, items in paginate(config, group.url, listed):
                url = pages.urls[number - 1]
                inputs = (settings, period, pages, number, items, link)
                own.append(PagePlan.of(url, f"{kind}.html", _period_page, *inputs))
            made[group.url] = (group, before, after, link, children, own)
            plans.extend(own)
    if kept is not None:
        kept.settings, kept.per_page, kept.plans = settings, config.per_page, made
    return plans


class _Links:
    """The link to each period of a list (by place), made when first asked for."""

    def __init__(self, groups: Sequence[Group], dates: list[date], words: Words) -> None:
        self.groups, self.dates, self.words = groups, dates, words
        self.made: dict[int, PeriodLink] = {}

    def __call__(self, i: int) -> PeriodLink:
        link = self.made.get(i)
        if link is None:
            group = self.groups[i]
            link = self.made[i] = PeriodLink(group.url, _period_title(group, self.dates[i], self.words))
        return link


def _period_page(
    settings: PageSettings,
    period: Period,
    pages: Pages,
    number: int,
    articles: tuple[Article, ...],
    edition: EditionLink | None,
) -> dict[str, Any]:
    pagination = pages.page(number)
    words = settings.words
    heading = words.format_date(period.date, "full") if period.kind == "day" else period.title
    # the English singular is the plural too: "1 articles, 2 December 2026" as before
    description = words.ngettext(
        "%(num)s articles, %(period)s", "%(num)s articles, %(period)s", period.count, period=period.title
    )
    page = page_info(
        settings,
        period.kind,
        numbered(heading, pagination, words),
        here(pagination),
        feeds=settings.feeds,
        description=description,
    )
    context = {"page": page, "period": period, "articles": articles, "pagination": pagination}
    if period.kind == "day":  # a day's page names its edition (None: it has none)
        context["edition"] = edition
    return context


def _period_title(group: Group, day: date, words: Words) -> str:
    if isinstance(group, DayGroup):
        return words.format_date(day, "long")
    if isinstance(group, MonthGroup):
        return words.format_date(day, "month_year")
    return str(group.year)


def _period_date(group: Group) -> date:
    if isinstance(group, DayGroup):
        return group.date
    if isinstance(group, MonthGroup):
        return date(group.year, group.month, 1)
    return date(group.year, 1, 1)


def edition_of(site: Site) -> dict[str, EditionLink]:
    """article path -> the edition it appeared in."""
    out: dict[str, EditionLink] = {}
    for edition in site.editions:
        # one object for all of the edition's articles
        out.update(dict.fromkeys(map(_PATH, edition.articles), edition.link))
    return out


def _day_editions(days: list[date], site: Site, config: SiteConfig) -> dict[date, EditionLink]:
    """day -> the link to the edition it is in."""
    from ..index.editions import edition_start

    starts = {e.start: e.link for e in site.editions}
    kind = config.editions
    out: dict[date, EditionLink] = {}
    for day in days:
        link = starts.get(edition_start(day, kind))
        if link is not None:
            out[day] = link
    return out
