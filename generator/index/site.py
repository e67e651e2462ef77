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
editions that hold a changed article. Nor are the articles grouped again one by one then: the
newest-first order and the story, tag, source, day and period groups are the kept ones with the
few new or gone objects taken out and put in (delta.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from ..core.groups import DayGroup, MonthGroup, Site, SourceGroup, StoryGroup, TagGroup, YearGroup
from ..core.model import Article, Tag
from ..core.urls import under
from ..read.config import SiteConfig
from ..read.locales import load_words
from ..read.stories import StoryRegistry
from ..read.words import Words
from .delta import Delta, find_delta, regrouped
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
    items = articles if isinstance(articles, list | tuple) else list(articles)
    delta = find_delta(kept.ordered, kept.ids, items) if kept is not None else None
    ordered = delta.ordered if delta is not None else newest_first(items)
    made = KeptIndex() if kept is not None else None
    registry = stories or StoryRegistry(exists=False)
    story_groups = _stories(ordered, config, registry, kept, made, delta)
    words = load_words(config)  # month names and edition titles are in the site's language
    site = Site(
        articles=ordered,
        tags=_tags(ordered, delta, kept, made),
        sources=_sources(ordered, delta, kept, made),
        years=_years(ordered, config, words, kept, made, delta),
        stories=story_groups,
        editions=index_editions(ordered, config, story_groups, words, kept, made, delta),
        related=related_articles(ordered, memory=memory, delta=delta) if related else {},
    )
    if kept is not None and made is not None:
        kept.stories, kept.sections = made.stories, made.sections
        kept.numbering, kept.editions = made.numbering, made.editions
        kept.days, kept.months, kept.years = made.days, made.months, made.years
        kept.tags, kept.sources, kept.periods = made.tags, made.sources, made.periods
        kept.ordered, kept.ids = ordered, frozenset(map(id, ordered))
    return site


def _stories(
    articles: tuple[Article, ...],
    config: SiteConfig,
    registry: StoryRegistry,
    kept: KeptIndex | None = None,
    made: KeptIndex | None = None,
    delta: Delta | None = None,
) -> tuple[StoryGroup, ...]:
    known = registry.as_dict()
    groups = []
    for key, in_time in _story_members(articles, kept, delta).items():
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


def _story_members(
    articles: tuple[Article, ...], kept: KeptIndex | None, delta: Delta | None
) -> dict[str, tuple[Article, ...]]:
    """Each story's articles, oldest first (then by path): under serve, the kept ones with the
    few new or gone articles taken out and put in (index/delta.py)."""
    if delta is not None and kept is not None:
        members = {key: group.articles for key, (_, group) in kept.stories.items()}
        for key in {a.story for a in delta.moved if a.story}:
            items = [a for a in members.get(key, ()) if id(a) not in delta.gone_ids]
            items += [a for a in delta.fresh if a.story == key]
            members[key] = tuple(sorted(items, key=_in_time))
        return {key: items for key, items in members.items() if items}
    lists: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if article.story:
            lists[article.story].append(article)
    return {key: tuple(sorted(items, key=_in_time)) for key, items in lists.items()}


def _in_time(article: Article) -> tuple[datetime, str]:
    return article.date, article.path


def _tags(
    articles: tuple[Article, ...], delta: Delta | None, kept: KeptIndex | None, made: KeptIndex | None
) -> tuple[TagGroup, ...]:
    if delta is not None and kept is not None:  # the kept groups, those of the moved articles again
        changed = regrouped({s: g.articles for s, g in kept.tags.items()}, delta, _slugs)
        groups = [g for slug, g in kept.tags.items() if slug not in changed]
        groups += [_tag_group(_tag(items[0], slug), items) for slug, items in changed.items() if items]
    else:
        members: dict[str, list[Article]] = defaultdict(list)
        first: dict[str, Tag] = {}
        for article in articles:
            for tag in article.tags:
                members[tag.slug].append(article)
                first.setdefault(tag.slug, tag)
        groups = [_tag_group(first[slug], tuple(items)) for slug, items in members.items()]
    if made is not None:
        made.tags = {g.slug: g for g in groups}
    return tuple(sorted(groups, key=lambda g: (g.name.casefold(), g.slug)))


def _slugs(article: Article) -> list[str]:
    return [t.slug for t in article.tags]


def _tag(article: Article, slug: str) -> Tag:
    """The article's tag of that slug (the first, should it have two)."""
    return next(t for t in article.tags if t.slug == slug)


def _source_slug(article: Article) -> tuple[str]:
    return (article.source.slug,)


def _tag_group(tag: Tag, items: tuple[Article, ...]) -> TagGroup:
    return TagGroup(tag.name, tag.slug, tag.url, tag.feed_url, items)


def _sources(
    articles: tuple[Article, ...], delta: Delta | None, kept: KeptIndex | None, made: KeptIndex | None
) -> tuple[SourceGroup, ...]:
    if delta is not None and kept is not None:  # as _tags
        changed = regrouped({s: g.articles for s, g in kept.sources.items()}, delta, _source_slug)
        groups = [g for slug, g in kept.sources.items() if slug not in changed]
        groups += [_source_group(items) for items in changed.values() if items]
    else:
        members: dict[str, list[Article]] = defaultdict(list)
        for article in articles:
            members[article.source.slug].append(article)
        groups = [_source_group(tuple(items)) for items in members.values()]
    if made is not None:
        made.sources = {g.slug: g for g in groups}
    return tuple(sorted(groups, key=lambda g: (g.name.casefold(), g.slug)))


def _source_group(items: tuple[Article, ...]) -> SourceGroup:
    s = items[0].source
    return SourceGroup(
        s.name, s.slug, s.url, s.feed_url, s.homepage, s.description, s.country, s.aliases, s.domains,
        s.registered, items,
    )


def _years(
    articles: tuple[Article, ...],
    config: SiteConfig,
    words: Words,
    kept: KeptIndex | None = None,
    made: KeptIndex | None = None,
    delta: Delta | None = None,
) -> tuple[YearGroup, ...]:
    days: Mapping[tuple[int, int, int], Sequence[Article]]
    if delta is not None and kept is not None:  # the kept days, those of the moved articles again
        patched = {key: group.articles for key, group in kept.days.items()}
        patched.update(regrouped(patched, delta, lambda a: (_day(a),)))
        days = patched
    else:
        lists: defaultdict[tuple[int, int, int], list[Article]] = defaultdict(list)
        for article in articles:
            lists[_day(article)].append(article)
        days = lists
    tree: dict[int, dict[int, dict[int, Sequence[Article]]]] = defaultdict(lambda: defaultdict(dict))
    for (year, month, day), items in days.items():
        if items:
            tree[year][month][day] = items
    base = config.base_path
    old = kept if kept is not None else KeptIndex()
    new = made if made is not None else KeptIndex()
    years = []
    for year in sorted(tree, reverse=True):
        months = []
        for month in sorted(tree[year], reverse=True):
            groups = []
            for day in sorted(tree[year][month], reverse=True):
                items = tuple(tree[year][month][day])
                url = under(base, f"{year:04d}/{month:02d}/{day:02d}/")
                group = old.days.get((year, month, day))
                if group is None or group.url != url or not _same(group.articles, items):
                    group = DayGroup(year, month, day, url, items)
                new.days[year, month, day] = group
                groups.append(group)
            name, url = words.month_name(month), under(base, f"{year:04d}/{month:02d}/")
            month_group = old.months.get((year, month))
            if (
                month_group is None
                or (month_group.name, month_group.url) != (name, url)
                or not _same(month_group.days, tuple(groups))
            ):
                month_articles = tuple(a for d in groups for a in d.articles)
                month_group = MonthGroup(year, month, name, url, tuple(groups), month_articles)
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


def _day(article: Article) -> tuple[int, int, int]:
    d = article.date
    return d.year, d.month, d.day
