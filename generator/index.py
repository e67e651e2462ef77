"""[Article] -> Site: the home, tag, source and date groupings. Pure and cheap: recomputed
on every build, so index pages can never go stale."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

from .config import SiteConfig
from .dates import month_name
from .model import Article, DayGroup, MonthGroup, Site, SourceGroup, Tag, TagGroup, YearGroup
from .urls import under


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    # the path breaks ties so that equal dates still give one order
    ordered = sorted(articles, key=lambda a: a.path)
    return tuple(sorted(ordered, key=lambda a: a.date, reverse=True))


def build_index(articles: Iterable[Article], config: SiteConfig) -> Site:
    ordered = newest_first(articles)
    return Site(
        articles=ordered,
        tags=_tags(ordered),
        sources=_sources(ordered),
        years=_years(ordered, config),
    )


def canonical_tag_names(articles: list[Article]) -> list[Article]:
    """One spelling per tag across the site: the most used, ties to the first in sort order."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for tag in article.tags:
            spellings[tag.slug][tag.name] += 1
    names = {slug: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for slug, c in spellings.items()}
    out = []
    for article in articles:
        if all(names[t.slug] == t.name for t in article.tags):
            out.append(article)
            continue
        tags = tuple(replace(t, name=names[t.slug]) for t in article.tags)
        out.append(replace(article, tags=tags))
    return out


def _tags(articles: tuple[Article, ...]) -> tuple[TagGroup, ...]:
    members: dict[str, list[Article]] = defaultdict(list)
    first: dict[str, Tag] = {}
    for article in articles:
        for tag in article.tags:
            members[tag.slug].append(article)
            first.setdefault(tag.slug, tag)
    groups = []
    for slug, items in members.items():
        tag = first[slug]
        groups.append(TagGroup(tag.name, slug, tag.url, tag.feed_url, tuple(items)))
    return tuple(sorted(groups, key=lambda g: (g.name.casefold(), g.slug)))


def _sources(articles: tuple[Article, ...]) -> tuple[SourceGroup, ...]:
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        members[article.source.slug].append(article)
    groups = []
    for items in members.values():
        s = items[0].source
        groups.append(
            SourceGroup(
                s.name,
                s.slug,
                s.url,
                s.feed_url,
                s.homepage,
                s.description,
                s.country,
                s.aliases,
                s.domains,
                s.registered,
                tuple(items),
            )
        )
    return tuple(sorted(groups, key=lambda g: (g.name.casefold(), g.slug)))


def _years(articles: tuple[Article, ...], config: SiteConfig) -> tuple[YearGroup, ...]:
    tree: dict[int, dict[int, dict[int, list[Article]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for article in articles:
        d = article.date
        tree[d.year][d.month][d.day].append(article)
    base = config.base_path
    years = []
    for year in sorted(tree, reverse=True):
        months = []
        for month in sorted(tree[year], reverse=True):
            days = tuple(
                DayGroup(
                    year,
                    month,
                    day,
                    under(base, f"{year:04d}/{month:02d}/{day:02d}/"),
                    tuple(tree[year][month][day]),
                )
                for day in sorted(tree[year][month], reverse=True)
            )
            month_articles = tuple(a for d in days for a in d.articles)
            months.append(
                MonthGroup(
                    year,
                    month,
                    month_name(month),
                    under(base, f"{year:04d}/{month:02d}/"),
                    days,
                    month_articles,
                )
            )
        year_articles = tuple(a for m in months for a in m.articles)
        years.append(YearGroup(year, under(base, f"{year:04d}/"), tuple(months), year_articles))
    return tuple(years)
