"""[Article] -> Site: the home, tag, source and date groupings. Pure and cheap: recomputed
on every build, so index pages can never go stale.

Under `digest serve` a build may be handed what the last one made (KeptIndex, in the warm state):
the story groups, the editions' sections and the editions, each with everything it was made
from, by identity (the articles, their tags, stories and dates as they were, the story groups,
the words) or, for an edition's number, title and links, by the starts of it and its
neighbours. A group, section or edition whose every input is the very same is the kept one; any
other is made again. The articles of a warm build are the last build's objects where they did
not change (engine/finished.py), so a tag edit, an added or a deleted article makes again only
the stories and the editions that hold a changed article."""

from __future__ import annotations

import operator
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
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


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    """The same objects in the same order (not equal ones: a kept group holds the old ones)."""
    return len(old) == len(new) and all(map(operator.is_, old, new))


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
        years=_years(ordered, config, words),
        stories=story_groups,
        editions=_editions(ordered, config, story_groups, words, kept, made),
        related=related_articles(ordered, memory=memory) if related else {},
    )
    if kept is not None and made is not None:
        kept.stories, kept.sections = made.stories, made.sections
        kept.numbering, kept.editions = made.numbering, made.editions
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


def edition_start(day: date, kind: str) -> date:
    """The first day of the edition that `day` belongs to."""
    return day - timedelta(days=day.weekday()) if kind == "weekly" else day


def _editions(
    articles: tuple[Article, ...],
    config: SiteConfig,
    stories: tuple[StoryGroup, ...],
    words: Words,
    kept: KeptIndex | None = None,
    made: KeptIndex | None = None,
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
    by_key = {s.key: s for s in stories}
    starts = [start for start in sorted(periods, reverse=True) if start >= first]
    numbering = (words, kind, config.base_path, first)
    if made is not None:
        made.numbering = numbering
    if kept is not None and _numbered_alike(kept.numbering, numbering):
        # an edition made of the very same articles and sections, between editions of the same
        # starts, is the kept one: its number, title, URL and links are made of those alone
        return _kept_editions(starts, periods, config, by_key, words, first, kept, made)
    return _new_editions(starts, periods, config, by_key, words, first, kept, made)


def _numbered_alike(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    return bool(old) and old[0] is new[0] and old[1:] == new[1:]


def _kept_editions(
    starts: list[date],
    periods: dict[date, list[Article]],
    config: SiteConfig,
    by_key: dict[str, StoryGroup],
    words: Words,
    first: date,
    kept: KeptIndex,
    made: KeptIndex | None,
) -> tuple[Edition, ...]:
    last = len(starts) - 1
    editions: list[Edition | None] = []
    for i, start in enumerate(starts):
        before = starts[i + 1] if i < last else None
        after = starts[i - 1] if i > 0 else None
        was = kept.editions.get(start)
        items = tuple(periods[start])
        edition = None
        if was is not None and was[0] == before and was[1] == after and _same(was[2].articles, items):
            sections = _edition_sections(start, items, by_key, words, kept, made)
            if sections is was[2].sections:
                edition = was[2]
                if made is not None:
                    made.editions[start] = was
        editions.append(edition)
    if all(e is not None for e in editions):
        return tuple(e for e in editions if e is not None)
    return _new_editions(starts, periods, config, by_key, words, first, kept, made, editions)


def _new_editions(
    starts: list[date],
    periods: dict[date, list[Article]],
    config: SiteConfig,
    by_key: dict[str, StoryGroup],
    words: Words,
    first: date,
    kept: KeptIndex | None,
    made: KeptIndex | None,
    taken: list[Edition | None] | None = None,
) -> tuple[Edition, ...]:
    """The editions; `taken`: those kept already, by place (None: made here)."""
    kind = config.editions
    step = 7 if kind == "weekly" else 1
    places = taken if taken is not None else [None] * len(starts)
    named: dict[int, tuple[int, str, str, str]] = {}  # place -> number, key, title, URL

    def name(i: int) -> tuple[int, str, str, str]:
        if i not in named:
            was, start = places[i], starts[i]
            if was is not None:
                named[i] = (was.number, was.key, was.title, was.url)
            else:
                number = (start - first).days // step + 1
                if kind == "weekly":
                    year, week, _ = start.isocalendar()
                    key = f"{year:04d}-w{week:02d}"
                    span = words.span(start, start + timedelta(days=6))
                    title = words.gettext("Week %(week)s, %(span)s", week=words.number(week), span=span)
                else:
                    key = start.isoformat()
                    title = words.format_date(start, "full")
                named[i] = (number, key, title, under(config.base_path, f"editions/{key}/"))
        return named[i]

    def link(i: int) -> EditionLink:
        number, _, title, url = name(i)
        return EditionLink(number, title, url)

    editions = []
    last = len(starts) - 1
    for i, start in enumerate(starts):
        edition = places[i]
        if edition is None:
            number, key, title, url = name(i)
            items = tuple(periods[start])
            edition = Edition(
                kind=kind,
                number=number,
                key=key,
                start=start,
                end=start + timedelta(days=step - 1),
                title=title,
                url=url,
                articles=items,
                sections=_edition_sections(start, items, by_key, words, kept, made),
                prev=link(i + 1) if i < last else None,
                next=link(i - 1) if i > 0 else None,
            )
            if made is not None:
                neighbours = (starts[i + 1] if i < last else None, starts[i - 1] if i > 0 else None)
                made.editions[start] = (*neighbours, edition)
        editions.append(edition)
    return tuple(editions)


def _edition_sections(
    start: date,
    items: tuple[Article, ...],
    by_key: dict[str, StoryGroup],
    words: Words,
    kept: KeptIndex | None,
    made: KeptIndex | None,
) -> tuple[EditionSection, ...]:
    """The edition's sections; under serve the kept ones when made of the same objects."""
    other = words.gettext("Also in this edition")
    if made is None:  # nothing kept (digest build)
        return _sections(items, by_key, other)
    # what the sections are made of: each article, and its tags, story (and that story's
    # group) and date as they are now, by identity; and the "other" section's title
    reads: list[object] = []
    for a in items:
        reads += (a, a.tags, a.story, by_key.get(a.story) if a.story else None, a.date, a.path)
    made_of = tuple(reads)
    last = kept.sections.get(start) if kept is not None else None
    if last is not None and last[0] == other and _same(last[1], made_of):
        sections = last[2]
    else:
        sections = _sections(items, by_key, other)
    made.sections[start] = (other, made_of, sections)
    return sections


def _sections(
    articles: tuple[Article, ...], stories: dict[str, StoryGroup], other: str
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
        sections.append(EditionSection("other", other, "", tuple(untagged)))
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
