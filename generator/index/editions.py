"""The editions: numbered daily or weekly issues, each in sections (stories first, then the
other articles by the tag they share most). Under `digest serve` the editions and sections of
the last build are taken where made of the very same objects (index/kept.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from ..core.groups import Edition, EditionLink, EditionSection, StoryGroup
from ..core.model import Article, Tag
from ..core.urls import under
from ..read.config import SiteConfig
from ..read.words import Words
from .delta import Delta, regrouped
from .kept import KeptIndex, _same


def edition_start(day: date, kind: str) -> date:
    """The first day of the edition that `day` belongs to."""
    return day - timedelta(days=day.weekday()) if kind == "weekly" else day


def index_editions(
    articles: tuple[Article, ...],
    config: SiteConfig,
    stories: tuple[StoryGroup, ...],
    words: Words,
    kept: KeptIndex | None = None,
    made: KeptIndex | None = None,
    delta: Delta | None = None,
) -> tuple[Edition, ...]:
    """Numbered issues. An edition's number counts periods (days or weeks) from the first
    edition, whether or not the periods between had articles: adding an article to an older
    day never renumbers the editions around it. The first edition is `editions_start` when set,
    else the oldest article's period; articles before `editions_start` are in no edition."""
    kind = config.editions
    if kind == "none" or not articles:
        return ()
    periods = _periods(articles, kind, kept, delta)
    if made is not None:
        made.periods = (kind, periods)
    first = edition_start(config.editions_start, kind) if config.editions_start else min(periods)
    by_key = {s.key: s for s in stories}
    starts = [start for start in sorted(periods, reverse=True) if start >= first]
    numbering = (words, kind, config.base_path, first)
    if made is not None:
        made.numbering = numbering
    taken = None
    if kept is not None and _numbered_alike(kept.numbering, numbering):
        steady = _steady(kind, by_key, kept, delta) if delta is not None else None
        taken = _taken(starts, periods, by_key, words, kept, made, steady)
    return _new_editions(starts, periods, config, by_key, words, first, kept, made, taken)


def _periods(
    articles: tuple[Article, ...], kind: str, kept: KeptIndex | None, delta: Delta | None
) -> dict[date, tuple[Article, ...]]:
    """Each period's articles, newest first: under serve, the kept ones with the few new or
    gone articles taken out and put in (index/delta.py)."""
    if delta is not None and kept is not None and kept.periods[0] == kind:
        periods = dict(kept.periods[1])
        periods.update(regrouped(periods, delta, lambda a: (edition_start(a.date.date(), kind),)))
        return {start: items for start, items in periods.items() if items}
    lists: dict[date, list[Article]] = defaultdict(list)
    for article in articles:  # newest first, so each period's list is too
        lists[edition_start(article.date.date(), kind)].append(article)
    return {start: tuple(items) for start, items in lists.items()}


def _steady(
    kind: str, by_key: dict[str, StoryGroup], kept: KeptIndex, delta: Delta
) -> Callable[[date, tuple[Article, ...]], bool]:
    """Whether a period's sections are the kept ones without looking at each article: none of
    the new or gone articles is in it, and none of its articles' story groups was made again."""
    moved = {edition_start(a.date.date(), kind) for a in delta.moved}
    last = kept.stories
    remade = {key for key, group in by_key.items() if key not in last or last[key][1] is not group}

    def steady(start: date, items: tuple[Article, ...]) -> bool:
        return start not in moved and (not remade or not any(a.story in remade for a in items))

    return steady


def _numbered_alike(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    return bool(old) and old[0] is new[0] and old[1:] == new[1:]


def _neighbours(starts: list[date], i: int) -> tuple[date | None, date | None]:
    """The starts of the editions before (older) and after (newer) the one at place i."""
    return (starts[i + 1] if i + 1 < len(starts) else None, starts[i - 1] if i > 0 else None)


def _taken(
    starts: list[date],
    periods: dict[date, tuple[Article, ...]],
    by_key: dict[str, StoryGroup],
    words: Words,
    kept: KeptIndex,
    made: KeptIndex | None,
    steady: Callable[[date, tuple[Article, ...]], bool] | None = None,
) -> list[Edition | None]:
    """By place, the kept edition where it stands (None: to be made): one made of the very
    same articles and sections, between editions of the same starts, numbered alike (the
    caller checks), whose number, title, URL and links are made of those alone. `steady`:
    which periods' sections are the kept ones (_steady; None: each is looked at)."""
    taken: list[Edition | None] = []
    for i, start in enumerate(starts):
        was = kept.editions.get(start)
        items = tuple(periods[start])
        if (
            was is not None
            and was[:2] == _neighbours(starts, i)
            and _same(was[2].articles, items)
            and _edition_sections(start, items, by_key, words, kept, made, steady) is was[2].sections
        ):
            taken.append(was[2])
            if made is not None:
                made.editions[start] = was
        else:
            taken.append(None)
    return taken


def _new_editions(
    starts: list[date],
    periods: dict[date, tuple[Article, ...]],
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
                made.editions[start] = (*_neighbours(starts, i), edition)
        editions.append(edition)
    return tuple(editions)


def _edition_sections(
    start: date,
    items: tuple[Article, ...],
    by_key: dict[str, StoryGroup],
    words: Words,
    kept: KeptIndex | None,
    made: KeptIndex | None,
    steady: Callable[[date, tuple[Article, ...]], bool] | None = None,
) -> tuple[EditionSection, ...]:
    """The edition's sections; under serve the kept ones when made of the same objects."""
    other = words.gettext("Also in this edition")
    if made is None:  # nothing kept (digest build)
        return _sections(items, by_key, other)
    done = made.sections.get(start)
    if done is not None:  # looked at already in this build (_taken)
        return done[2]
    last = kept.sections.get(start) if kept is not None else None
    if last is not None and last[0] == other and steady is not None and steady(start, items):
        made.sections[start] = last
        return last[2]
    # what the sections are made of: each article, and its tags, story (and that story's
    # group) and date as they are now, by identity; and the "other" section's title
    reads: list[object] = []
    for a in items:
        reads += (a, a.tags, a.story, by_key.get(a.story) if a.story else None, a.date, a.path)
    made_of = tuple(reads)
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
