"""Site -> the list of pages to render: URL, output file, template and context. Pure."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from ..core.dates import rfc3339, strftime
from ..core.model import (
    Article,
    DayGroup,
    Edition,
    EditionLink,
    FeedLink,
    MonthGroup,
    MonthSummary,
    Site,
    SourceSummary,
    StoryGroup,
    TagSummary,
    YearGroup,
    summarize_source,
)
from ..core.urls import absolute, paginated, under
from ..read.config import SiteConfig

FEED_TYPES = (
    ("feed.xml", "application/atom+xml", "Atom"),
    ("rss.xml", "application/rss+xml", "RSS"),
    ("feed.json", "application/feed+json", "JSON Feed"),
)


class LazyJsonLd:
    """An article's JSON-LD, built only when a template prints it: most pages of an
    incremental build are never rendered, so building it in the plan would be wasted."""

    __slots__ = ("_article", "_config")

    def __init__(self, article: Article, config: SiteConfig) -> None:
        self._article = article
        self._config = config

    def __html__(self) -> str:
        return str(article_json_ld(self._article, self._config))

    def __str__(self) -> str:
        return self.__html__()

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:  # what fingerprints see: the article's card decides the content
        return f"LazyJsonLd({self._article.card_fp})"


@dataclass(frozen=True)
class PageInfo:
    kind: str
    title: str
    url: str
    canonical: str
    description: str = ""
    feeds: tuple[FeedLink, ...] = ()
    json_ld: Markup | LazyJsonLd = field(default_factory=Markup)
    image: str = ""
    og_type: str = "website"


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str  # "" for a gap
    gap: bool = False


@dataclass(frozen=True)
class Pagination:
    number: int
    total: int
    per_page: int
    total_items: int
    urls: tuple[str, ...]

    @property
    def prev_url(self) -> str:
        return self.urls[self.number - 2] if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        return self.urls[self.number] if self.number < self.total else ""

    @property
    def first_url(self) -> str:
        return self.urls[0]

    @property
    def last_url(self) -> str:
        return self.urls[-1]

    @property
    def links(self) -> tuple[PageLink, ...]:
        """The page numbers a pager shows: the first, the last and two either side of this
        one, with a gap where a run is left out. A few items whatever the number of pages
        (looping over `urls` on every page costs the square of the pages)."""
        near = range(max(1, self.number - 3), min(self.total, self.number + 3) + 1)
        out = []
        for n in sorted({1, self.total, *near}):
            apart = abs(n - self.number)
            if n in (1, self.total) or apart <= 2:
                out.append(PageLink(n, self.urls[n - 1]))
            elif apart == 3:
                out.append(PageLink(n, "", gap=True))
        return tuple(out)


@dataclass(frozen=True)
class PeriodLink:
    url: str
    title: str


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    month: int
    day: int
    title: str
    date: date
    count: int
    children: tuple[Any, ...]
    prev: PeriodLink | None
    next: PeriodLink | None


@dataclass(frozen=True)
class PagePlan:
    url: str  # under the base path
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # the site's objects the context is made from (with the settings): while they are unchanged,
    # so is the context, and the page keeps its last fingerprint without computing it. Every
    # object the context is derived from must be here; None: no such shortcut for this page
    scope: tuple[Any, ...] | None = None


def feed_links(prefix_url: str, label: str) -> tuple[FeedLink, ...]:
    return tuple(FeedLink(f"{label} ({kind})", mime, prefix_url + name) for name, mime, kind in FEED_TYPES)


def _page(config: SiteConfig, kind: str, title: str, url: str, **extra: Any) -> PageInfo:
    return PageInfo(kind=kind, title=title, url=url, canonical=absolute(config.base_url, url), **extra)


def _paginate(
    config: SiteConfig, first_url: str, items: Sequence[Article]
) -> list[tuple[Pagination, tuple[Article, ...]]]:
    per = config.per_page
    total = max(1, -(-len(items) // per))
    urls = tuple(paginated(first_url, n) for n in range(1, total + 1))
    return [
        (Pagination(n, total, per, len(items), urls), tuple(items[(n - 1) * per : n * per]))
        for n in range(1, total + 1)
    ]


def _numbered(title: str, pagination: Pagination) -> str:
    return title if pagination.number == 1 else f"{title} (page {pagination.number})"


def article_json_ld(article: Article, config: SiteConfig) -> Markup:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": article.abs_url,
        "mainEntityOfPage": article.abs_url,
        "datePublished": rfc3339(article.date),
        "dateModified": rfc3339(article.updated or article.date),
        "inLanguage": article.lang,
        "sourceOrganization": {"@type": "NewsMediaOrganization", "name": article.source.name},
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url},
    }
    if article.source.homepage:
        data["sourceOrganization"]["url"] = article.source.homepage
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if article.authors:
        data["author"] = [{"@type": "Person", "name": a} for a in article.authors]
    else:
        data["author"] = {"@type": "Organization", "name": article.source.name}
    if article.tags:
        data["keywords"] = [t.name for t in article.tags]
    if article.image:
        data["image"] = article.image
    return safe_json(data)


def story_json_ld(story: StoryGroup, config: SiteConfig) -> Markup:
    """schema.org ItemList of a story's coverage, in time order."""
    url = absolute(config.base_url, story.url)
    items = []
    for position, article in enumerate(story.articles, start=1):
        item: dict[str, Any] = {
            "@type": "NewsArticle",
            "headline": article.title,
            "url": article.abs_url,
            "datePublished": rfc3339(article.date),
            "inLanguage": article.lang,
            "sourceOrganization": {"@type": "NewsMediaOrganization", "name": article.source.name},
        }
        if article.source.homepage:
            item["sourceOrganization"]["url"] = article.source.homepage
        if article.source_url:
            item["isBasedOn"] = article.source_url
        items.append({"@type": "ListItem", "position": position, "item": item})
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": story.title,
        "url": url,
        "numberOfItems": len(items),
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "itemListElement": items,
    }
    if story.description:
        data["description"] = story.description
    return safe_json(data)


def safe_json(data: Any) -> Markup:
    """JSON that cannot end its <script> element or open a comment, whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def plan_pages(site: Site, config: SiteConfig) -> list[PagePlan]:
    base = config.base_path
    site_feeds = feed_links(base, config.title)
    plans: list[PagePlan] = []
    for pagination, items in _paginate(config, base, site.articles):
        page = _page(
            config,
            "home",
            _numbered(config.title, pagination),
            pagination.urls[pagination.number - 1],
            description=config.description,
            feeds=site_feeds,
        )
        # the first page's rail of counts comes in its own context, so that a changed count
        # re-renders that page, not every page of the home list
        rail = _rail(site) if pagination.number == 1 else None
        plans.append(
            PagePlan(
                page.url,
                "index.html",
                {"page": page, "articles": items, "pagination": pagination, "rail": rail},
                (items, len(site.articles), rail),
            )
        )
    plans.extend(_article_pages(site, config, site_feeds))
    plans.append(
        PagePlan(
            under(base, "tags/"),
            "tags.html",
            {
                "page": _page(
                    config,
                    "tags",
                    "Tags",
                    under(base, "tags/"),
                    feeds=site_feeds,
                    description=f"All {len(site.tags)} tags of {config.title}",
                ),
                "tags": site.tag_summaries,
            },
            (site.tag_summaries,),
        )
    )
    for tag, tag_summary in zip(site.tags, site.tag_summaries, strict=True):
        feeds = feed_links(tag.url, f"{config.title}: {tag.name}")
        for pagination, items in _paginate(config, tag.url, tag.articles):
            url = pagination.urls[pagination.number - 1]
            page = _page(
                config,
                "tag",
                _numbered(f"Tag: {tag.name}", pagination),
                url,
                feeds=feeds,
                description=f"{tag.count} articles tagged {tag.name}",
            )
            plans.append(
                PagePlan(
                    url,
                    "tag.html",
                    {"page": page, "tag": tag_summary, "articles": items, "pagination": pagination},
                    (tag_summary, items),
                )
            )
    plans.append(
        PagePlan(
            under(base, "sources/"),
            "sources.html",
            {
                "page": _page(
                    config,
                    "sources",
                    "Sources",
                    under(base, "sources/"),
                    feeds=site_feeds,
                    description=f"The {len(site.sources)} outlets covered by {config.title}",
                ),
                "sources": site.source_summaries,
            },
            (site.source_summaries,),
        )
    )
    for source, source_summary in zip(site.sources, site.source_summaries, strict=True):
        feeds = feed_links(source.url, f"{config.title}: {source.name}")
        for pagination, items in _paginate(config, source.url, source.articles):
            url = pagination.urls[pagination.number - 1]
            page = _page(
                config,
                "source",
                _numbered(source.name, pagination),
                url,
                feeds=feeds,
                description=source.description or f"{source.count} articles from {source.name}",
            )
            plans.append(
                PagePlan(
                    url,
                    "source.html",
                    {"page": page, "source": source_summary, "articles": items, "pagination": pagination},
                    (source_summary, items),
                )
            )
    plans.append(
        PagePlan(
            under(base, "archive/"),
            "archive.html",
            {
                "page": _page(
                    config,
                    "archive",
                    "Archive",
                    under(base, "archive/"),
                    feeds=site_feeds,
                    description=f"Every edition of {config.title} by year, month and day",
                ),
                "years": site.year_summaries,
            },
            (site.year_summaries,),
        )
    )
    plans.extend(_period_pages(site, config, site_feeds))
    plans.extend(_story_pages(site, config, site_feeds))
    plans.extend(_edition_pages(site, config, site_feeds))
    if config.search:
        url = under(base, "search/")
        page = _page(config, "search", "Search", url, feeds=site_feeds, description=f"Search {config.title}")
        plans.append(PagePlan(url, "search.html", {"page": page}, ()))
    plans.append(
        PagePlan(
            under(base, "404.html"),
            "404.html",
            {
                "page": _page(config, "404", "Page not found", under(base, "404.html"), feeds=site_feeds),
            },
            (),
        )
    )
    return plans


@dataclass(frozen=True)
class Rail:
    """The front page's ways into the archive."""

    top_tags: tuple[TagSummary, ...]  # up to 20, most used first
    top_sources: tuple[SourceSummary, ...]  # up to 10, most articles first
    recent_months: tuple[MonthSummary, ...]  # the latest 6 months with articles


def _rail(site: Site) -> Rail:
    months = [m for y in site.year_summaries for m in y.months][:6]
    sources = sorted(site.source_summaries, key=lambda s: -s.count)[:10]  # stable: by name on ties
    return Rail(site.top_tags, tuple(sources), tuple(months))


EDITIONS_FEED = "editions/feed.xml"


def editions_feed_link(config: SiteConfig) -> FeedLink:
    return FeedLink(
        f"{config.title}: editions (Atom)", "application/atom+xml", under(config.base_path, EDITIONS_FEED)
    )


def _story_pages(site: Site, config: SiteConfig, feeds: tuple[FeedLink, ...]) -> list[PagePlan]:
    base = config.base_path
    count = len(site.stories)
    plans = [
        PagePlan(
            under(base, "stories/"),
            "stories.html",
            {
                "page": _page(
                    config,
                    "stories",
                    "Stories",
                    under(base, "stories/"),
                    feeds=feeds,
                    description=f"{count} stor{'y' if count == 1 else 'ies'} followed across outlets "
                    f"by {config.title}",
                ),
                "stories": site.stories,
            },
            (site.stories,),
        )
    ]
    for story in site.stories:
        outlets = story.outlet_count
        page = _page(
            config,
            "story",
            story.title,
            story.url,
            feeds=feeds,
            description=story.description
            or f"How {outlets} outlet{'' if outlets == 1 else 's'} covered it: {story.count} "
            f"article{'' if story.count == 1 else 's'}",
            json_ld=story_json_ld(story, config),
        )
        plans.append(PagePlan(story.url, "story.html", {"page": page, "story": story}, (story,)))
    return plans


def _edition_pages(site: Site, config: SiteConfig, feeds: tuple[FeedLink, ...]) -> list[PagePlan]:
    if config.editions == "none":
        return []
    base = config.base_path
    with_feed = (*feeds, editions_feed_link(config))
    what = "Weekly" if config.editions == "weekly" else "Daily"
    plans = [
        PagePlan(
            under(base, "editions/"),
            "editions.html",
            {
                "page": _page(
                    config,
                    "editions",
                    "Editions",
                    under(base, "editions/"),
                    feeds=with_feed,
                    description=f"{what} editions of {config.title}",
                ),
                "editions": site.editions,
            },
            (site.editions,),
        )
    ]
    for edition in site.editions:
        page = _page(
            config,
            "edition",
            f"No. {edition.number}: {edition.title}",
            edition.url,
            feeds=with_feed,
            description=f"{what} edition No. {edition.number} of {config.title}: "
            f"{edition.count} article{'' if edition.count == 1 else 's'}",
        )
        plans.append(PagePlan(edition.url, "edition.html", {"page": page, "edition": edition}, (edition,)))
    return plans


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


MORE_FROM_SOURCE = 3


def _article_pages(site: Site, config: SiteConfig, feeds: tuple[FeedLink, ...]) -> list[PagePlan]:
    plans = []
    articles = site.articles
    by_source = {s.slug: s for s in site.sources}
    by_name = {name.casefold(): s for s in site.sources for name in (s.name, *s.aliases)}
    by_story = {s.key: s for s in site.stories}
    editions = edition_of(site)
    for i, article in enumerate(articles):
        story = by_story.get(article.story) if article.story else None
        newer = articles[i - 1] if i > 0 else None
        older = articles[i + 1] if i + 1 < len(articles) else None
        more = tuple(
            a for a in by_source[article.source.slug].articles[: MORE_FROM_SOURCE + 1] if a is not article
        )[:MORE_FROM_SOURCE]
        via = by_name.get(article.via.casefold()) if article.via else None
        related = site.related.get(article.path, ())
        edition = editions.get(article.path)
        page = _page(
            config,
            "article",
            article.title,
            article.url,
            description=article.summary_text[:300],
            feeds=feeds,
            json_ld=LazyJsonLd(article, config),
            image=article.image,
            og_type="article",
        )
        plans.append(
            PagePlan(
                article.url,
                "article.html",
                {
                    "page": page,
                    "article": article,
                    "newer": newer,
                    "older": older,
                    "via_source": summarize_source(via) if via is not None else None,
                    "more_from_source": more,
                    "story": story,
                    "also_covered": tuple(a for a in story.articles if a is not article) if story else (),
                    "related": related,
                    "edition": edition,
                },
                (article, newer, older, more, via, story, related, edition),
            )
        )
    return plans


def _period_pages(site: Site, config: SiteConfig, feeds: tuple[FeedLink, ...]) -> list[PagePlan]:
    years = site.years
    months = [m for y in years for m in y.months]
    days = [d for m in months for d in m.days]
    plans: list[PagePlan] = []
    day_editions = _day_editions(site, config)
    # a period page lists its months or days as summaries: counts and links, not articles
    summaries: dict[int, tuple[Any, ...]] = {}
    for year, year_summary in zip(years, site.year_summaries, strict=True):
        summaries[id(year)] = year_summary.months
        for month, month_summary in zip(year.months, year_summary.months, strict=True):
            summaries[id(month)] = month_summary.days

    def link(group: YearGroup | MonthGroup | DayGroup | None) -> PeriodLink | None:
        return PeriodLink(group.url, _period_title(group)) if group is not None else None

    def emit(kind: str, groups: Sequence[YearGroup | MonthGroup | DayGroup]) -> None:
        # groups are newest first: the previous (older) period is the next in the list
        for i, group in enumerate(groups):
            children = summaries.get(id(group), ())
            period = Period(
                kind=kind,
                year=group.year,
                month=getattr(group, "month", 0),
                day=getattr(group, "day", 0),
                title=_period_title(group),
                date=_period_date(group),
                count=group.count,
                children=children,
                prev=link(groups[i + 1] if i + 1 < len(groups) else None),
                next=link(groups[i - 1] if i > 0 else None),
            )
            heading = strftime(period.date, "%A, %-d %B %Y") if kind == "day" else period.title
            extra: dict[str, Any] = {}
            if isinstance(group, DayGroup):
                edition = day_editions.get(group.date)
                extra["edition"] = edition.link if edition is not None else None
            for pagination, items in _paginate(config, group.url, group.articles):
                url = pagination.urls[pagination.number - 1]
                page = _page(
                    config,
                    kind,
                    _numbered(heading, pagination),
                    url,
                    feeds=feeds,
                    description=f"{group.count} articles, {period.title}",
                )
                plans.append(
                    PagePlan(
                        url,
                        f"{kind}.html",
                        {
                            "page": page,
                            "period": period,
                            "articles": items,
                            "pagination": pagination,
                            **extra,
                        },
                        (period, items, extra.get("edition")),
                    )
                )

    emit("year", years)
    emit("month", months)
    emit("day", days)
    return plans


def _period_title(group: YearGroup | MonthGroup | DayGroup) -> str:
    if isinstance(group, DayGroup):
        return strftime(group.date, "%-d %B %Y")
    if isinstance(group, MonthGroup):
        return f"{group.name} {group.year}"
    return str(group.year)


def _period_date(group: YearGroup | MonthGroup | DayGroup) -> date:
    if isinstance(group, DayGroup):
        return group.date
    if isinstance(group, MonthGroup):
        return date(group.year, group.month, 1)
    return date(group.year, 1, 1)
