"""The archive's year, month and day pages, and which edition each day and article is in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ..core.groups import DayGroup, Edition, EditionLink, MonthGroup, Site, YearGroup
from ..core.model import Article
from ..read.config import SiteConfig
from ..read.words import Words
from .context import Pages, PageSettings, Period, PeriodLink, here, numbered, page_info, paginate
from .inputs import PagePlan

Group = YearGroup | MonthGroup | DayGroup


def period_pages(site: Site, config: SiteConfig, settings: PageSettings) -> list[PagePlan]:
    years = site.years
    months = [m for y in years for m in y.months]
    days = [d for m in months for d in m.days]
    day_editions = _day_editions(site, config)
    # a period page lists its months or days as summaries: counts and links, not articles
    summaries: dict[int, tuple[Any, ...]] = {}
    for year, year_summary in zip(years, site.year_summaries, strict=True):
        summaries[id(year)] = year_summary.months
        for month, month_summary in zip(year.months, year_summary.months, strict=True):
            summaries[id(month)] = month_summary.days
    plans: list[PagePlan] = []
    periods: tuple[tuple[str, Sequence[Group]], ...] = (("year", years), ("month", months), ("day", days))
    for kind, groups in periods:
        # groups are newest first: the previous (older) period is the next in the list
        for i, group in enumerate(groups):
            older = groups[i + 1] if i + 1 < len(groups) else None
            newer = groups[i - 1] if i > 0 else None
            period = _period(kind, group, summaries.get(id(group), ()), older, newer, settings.words)
            edition = day_editions.get(group.date) if isinstance(group, DayGroup) else None
            link = edition.link if edition is not None else None
            # a year's page lists its months and a month's its days, not their articles: those
            # are on the day pages they link to (headlines) and on the editions (cards); pages
            # of the same cards again told nothing more
            listed = group.articles if kind == "day" else ()
            for pages, number, items in paginate(config, group.url, listed):
                url = pages.urls[number - 1]
                inputs = (settings, period, pages, number, items, link)
                plans.append(PagePlan.of(url, f"{kind}.html", _period_page, *inputs))
    return plans


def _period(
    kind: str,
    group: Group,
    children: tuple[Any, ...],
    older: Group | None,
    newer: Group | None,
    words: Words,
) -> Period:
    return Period(
        kind=kind,
        year=group.year,
        month=getattr(group, "month", 0),
        day=getattr(group, "day", 0),
        title=_period_title(group, words),
        date=_period_date(group),
        count=group.count,
        children=children,
        prev=_link(older, words),
        next=_link(newer, words),
    )


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


def _link(group: Group | None, words: Words) -> PeriodLink | None:
    return PeriodLink(group.url, _period_title(group, words)) if group is not None else None


def _period_title(group: Group, words: Words) -> str:
    if isinstance(group, DayGroup):
        return words.format_date(group.date, "long")
    if isinstance(group, MonthGroup):
        return words.format_date(_period_date(group), "month_year")
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
        link = edition.link  # one object for all of the edition's articles
        out.update((a.path, link) for a in edition.articles)
    return out


def _day_editions(site: Site, config: SiteConfig) -> dict[date, Edition]:
    from ..index.site import edition_start

    starts = {e.start: e for e in site.editions}
    out: dict[date, Edition] = {}
    for year in site.years:
        for month in year.months:
            for day in month.days:
                edition = starts.get(edition_start(day.date, config.editions))
                if edition is not None:
                    out[day.date] = edition
    return out
