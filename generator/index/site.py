"""[Article] -> Site: the home, tag, source and date groupings. Pure and cheap: recomputed
on every build, so index pages can never go stale.

Under `digest serve` a build may be handed what the last one made (KeptIndex, in the warm state):
the story groups, the archive's year, month and day groups, the editions' sections and the
editions (editions.py), each with everything it was made from, by identity (the articles,
their tags, stories and dates as they were, the story groups, the words) or, for an edition's
number, title and links, by the starts of it and its neighbours. A group, section or edition
whose every input is the very same is the kept one; any other is made again. The articles of a
warm build are the last build's objects where they did not change (engine/finished.py), so a
tag edit, an added or a deleted article makes again only the stories, archive groups and
editions that hold a changed article."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..core.groups import DayGroup, MonthGroup, Site, SourceGroup, StoryGroup, TagGroup, YearGroup
from ..core.model import Article, Tag
from ..core.urls import under
from ..read.config import SiteConfig
from ..read.locales import load_words
from ..read.stories import StoryRegistry
from ..read.words import Words
from .editions import edition_start, index_editions
from .kept import KeptIndex, _same
from .related import Memory, related_articles

__all__ = ["KeptIndex", "build_index", "edition_start", "newest_first"]


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    # the path breaks ties so that equal dates still give one order
    ordered = sorted(articles, key=lambda a: a.path)
    return tuple(sorted(ordered, key=lambda a: a.date, reverse=True))


def build_index(
    articles: Iterable[Article],
    config: SiteConfig,
    stories: StoryRegistry | None = None,
    memory: Memory | None = None,
    related: bool = True,
    kept: KeptIndex | None = None,
) -> Site:
    """`related=False`: without related articles (what only the site's URLs are wanted of).
    `kept`: the last build's (see above), which takes this build's in its place."""
    ordered = newest_first(articles)
    made = KeptIndex() if kept is not None else None
    story_groups = _stories(ordered, config, stories or StoryRegistry(exists=False), kept, made)
    words = load_words(config)  # month names and edition titles are in the site's language
    site = Site(
        articles=ordered,
        tags=_tags(ordered),
        sources=_sources(ordered),
        years=_years(ordered, config, words, kept, made),
        stories=story_groups,
        editions=index_editions(ordered, config, story_groups, words, kept, made),
        related=related_articles(ordered, memory=memory) if related else {},
    )
    if kept is not None and made is not None:
        kept.stories, kept.sections = made.stories, made.sections
        kept.numbering, kept.editions = made.numbering, made.editions
        kept.days, kept.months, kept.years = made.days, made.months, made.years
    return site


def _stories(
    articles: tuple[Article, ...],
    config: SiteConfig,
    registry: StoryRegistry,
    kept: KeptIndex | None = None,
    made: KeptIndex | None = None,
) -> tuple[StoryGroup, ...]:
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if article.story:
            members[article.story].append(article)
    known = registry.as_dict()
    groups = []
    for key, items in members.items():
        in_time = tuple(sorted(items, key=lambda a: (a.date, a.path)))
        info = known.get(key)
        title = info.title if info and info.title else in_time[0].title
        description = info.description if info else ""
        url = under(config.base_path, f"stories/{key}/")
        # the group's own fields by value, its articles by identity
        reads = (title, description, url, info is not None, *in_time)
        last = kept.stories.get(key) if kept is not None else None
        if last is not None and last[0][:4] == reads[:4] and _same(last[0][4:], reads[4:]):
            group = last[1]
        else:
            group = StoryGroup(key, title, description, url, in_time, info is not None)
        if made is not None:
            made.stories[key] = (reads, group)
        groups.append(group)
    groups.sort(key=lambda g: g.key)
    groups.sort(key=lambda g: g.last, reverse=True)
    return tuple(groups)


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


def _years(
    articles: tuple[Article, ...],
    config: SiteConfig,
    words: Words,
    kept: KeptIndex | None = None,
    made: KeptIndex | None = None,
) -> tuple[YearGroup, ...]:
    tree: dict[int, dict[int, dict[int, list[Article]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for article in articles:
        d = article.date
        tree[d.year][d.month][d.day].append(article)
    base = config.base_path
    old = kept if kept is not None else KeptIndex()
    new = made if made is not None else KeptIndex()
    years = []
    for year in sorted(tree, reverse=True):
        months = []
        for month in sorted(tree[year], reverse=True):
            days = []
            for day in sorted(tree[year][month], reverse=True):
                items = tuple(tree[year][month][day])
                url = under(base, f"{year:04d}/{month:02d}/{day:02d}/")
                group = old.days.get((year, month, day))
                if group is None or group.url != url or not _same(group.articles, items):
                    group = DayGroup(year, month, day, url, items)
                new.days[year, month, day] = group
                days.append(group)
            name, url = words.month_name(month), under(base, f"{year:04d}/{month:02d}/")
            month_group = old.months.get((year, month))
            if (
                month_group is None
                or (month_group.name, month_group.url) != (name, url)
                or not _same(month_group.days, tuple(days))
            ):
                month_articles = tuple(a for d in days for a in d.articles)
                month_group = MonthGroup(year, month, name, url, tuple(days), month_articles)
            new.months[year, month] = month_group
            months.append(month_group)
        url = under(base, f"{year:04d}/")
        year_group = old.years.get(year)
        if year_group is None or year_group.url != url or not _same(year_group.months, tuple(months)):
            year_articles = tuple(a for m in months for a in m.articles)
            year_group = YearGroup(year, url, tuple(months), year_articles)
        new.years[year] = year_group
        years.append(year_group)
    return tuple(years)
