"""[Article] -> Site: the home, tag, source and date groupings. Pure and cheap: recomputed
on every build, so index pages can never go stale."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from ..core.groups import (
    DayGroup,
    Edition,
    EditionLink,
    EditionSection,
    MonthGroup,
    Site,
    SourceGroup,
    StoryGroup,
    TagGroup,
    YearGroup,
)
from ..core.model import Article, Tag
from ..core.urls import under
from ..read.config import SiteConfig
from ..read.locales import load_words
from ..read.stories import StoryRegistry
from ..read.words import Words
from .related import Memory, related_articles


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
) -> Site:
    """`related=False`: without related articles (what only the site's URLs are wanted of)."""
    ordered = newest_first(articles)
    story_groups = _stories(ordered, config, stories or StoryRegistry(exists=False))
    words = load_words(config)  # month names and edition titles are in the site's language
    return Site(
        articles=ordered,
        tags=_tags(ordered),
        sources=_sources(ordered),
        years=_years(ordered, config, words),
        stories=story_groups,
        editions=_editions(ordered, config, story_groups, words),
        related=related_articles(ordered, memory=memory) if related else {},
    )


def _stories(
    articles: tuple[Article, ...], config: SiteConfig, registry: StoryRegistry
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
        groups.append(
            StoryGroup(
                key=key,
                title=(info.title if info and info.title else in_time[0].title),
                description=info.description if info else "",
                url=under(config.base_path, f"stories/{key}/"),
                articles=in_time,
                registered=info is not None,
            )
        )
    groups.sort(key=lambda g: g.key)
    groups.sort(key=lambda g: g.last, reverse=True)
    return tuple(groups)


def edition_start(day: date, kind: str) -> date:
    """The first day of the edition that `day` belongs to."""
    return day - timedelta(days=day.weekday()) if kind == "weekly" else day


def _editions(
    articles: tuple[Article, ...], config: SiteConfig, stories: tuple[StoryGroup, ...], words: Words
) -> tuple[Edition, ...]:
    """Numbered issues. An edition's number counts periods (days or weeks) from the first
    edition, whether or not the periods between had articles: adding an article to an older
    day never renumbers the editions around it. The first edition is `editions_start` when set,
    else the oldest article's period; articles before `editions_start` are in no edition."""
    kind = config.editions
    if kind == "none" or not articles:
        return ()
    periods: dict[date, list[Article]] = defaultdict(list)
    for article in articles:  # newest first, so each period's list is too
        periods[edition_start(article.date.date(), kind)].append(article)
    first = edition_start(config.editions_start, kind) if config.editions_start else min(periods)
    step = 7 if kind == "weekly" else 1
    by_key = {s.key: s for s in stories}
    made: list[tuple[int, date, str, str, str, tuple[Article, ...]]] = []
    for start in sorted(periods, reverse=True):
        if start < first:
            continue
        number = (start - first).days // step + 1
        if kind == "weekly":
            year, week, _ = start.isocalendar()
            key = f"{year:04d}-w{week:02d}"
            span = words.span(start, start + timedelta(days=6))
            title = words.gettext("Week %(week)s, %(span)s", week=words.number(week), span=span)
        else:
            key = start.isoformat()
            title = words.format_date(start, "full")
        url = under(config.base_path, f"editions/{key}/")
        made.append((number, start, key, title, url, tuple(periods[start])))
    links = [EditionLink(number, title, url) for number, _, _, title, url, _ in made]
    editions = []
    for i, (number, start, key, title, url, items) in enumerate(made):
        editions.append(
            Edition(
                kind=kind,
                number=number,
                key=key,
                start=start,
                end=start + timedelta(days=step - 1),
                title=title,
                url=url,
                articles=items,
                sections=_sections(items, by_key, words),
                prev=links[i + 1] if i + 1 < len(links) else None,
                next=links[i - 1] if i > 0 else None,
            )
        )
    return tuple(editions)


def _sections(
    articles: tuple[Article, ...], stories: dict[str, StoryGroup], words: Words
) -> tuple[EditionSection, ...]:
    """Stories first (the most covered first), then the other articles under the tag they share
    most with the rest of the edition, then those without tags."""
    in_story: dict[str, list[Article]] = defaultdict(list)
    rest: list[Article] = []
    for article in articles:
        if article.story and article.story in stories:
            in_story[article.story].append(article)
        else:
            rest.append(article)
    sections: list[EditionSection] = []
    story_keys = sorted(in_story, key=lambda k: (-len(in_story[k]), -in_story[k][0].date.timestamp(), k))
    for key in story_keys:
        story = stories[key]
        items = tuple(sorted(in_story[key], key=lambda a: (a.date, a.path)))
        sections.append(EditionSection("story", story.title, story.url, items, story))
    uses: Counter[str] = Counter(t.slug for a in rest for t in a.tags)
    by_tag: dict[str, list[Article]] = defaultdict(list)
    tag_of: dict[str, Tag] = {}
    untagged: list[Article] = []
    for article in rest:
        if not article.tags:
            untagged.append(article)
            continue
        best = min(article.tags, key=lambda t: (-uses[t.slug], t.name.casefold(), t.slug))
        by_tag[best.slug].append(article)
        tag_of.setdefault(best.slug, best)
    for slug in sorted(by_tag, key=lambda s: (-len(by_tag[s]), tag_of[s].name.casefold(), s)):
        tag = tag_of[slug]
        sections.append(EditionSection("tag", tag.name, tag.url, tuple(by_tag[slug])))
    if untagged:
        sections.append(EditionSection("other", words.gettext("Also in this edition"), "", tuple(untagged)))
    return tuple(sections)


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


def _years(articles: tuple[Article, ...], config: SiteConfig, words: Words) -> tuple[YearGroup, ...]:
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
                    words.month_name(month),
                    under(base, f"{year:04d}/{month:02d}/"),
                    days,
                    month_articles,
                )
            )
        year_articles = tuple(a for m in months for a in m.articles)
        years.append(YearGroup(year, under(base, f"{year:04d}/"), tuple(months), year_articles))
    return tuple(years)
