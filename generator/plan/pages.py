"""Site -> the list of pages to render: URL, template, and the inputs the page's context is made
from (PagePlan.of). Each kind of page has a planner, which finds the inputs in the site, and a
module-level context maker, which turns them into what the template sees. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.groups import Edition, Site, SourceSummary, StoryGroup, TagSummary
from ..core.model import Article
from ..core.urls import absolute, under
from ..read.config import SiteConfig
from .aliases import alias_pages
from .context import (
    Pages,
    PageSettings,
    Rail,
    here,
    numbered,
    page_info,
    paginate,
)
from .inputs import PagePlan
from .jsonld import LazyJsonLd, story_json_ld
from .periods import KeptPeriods, edition_of, period_pages

MORE_FROM_SOURCE = 3
Context = dict[str, Any]


def plan_pages(site: Site, config: SiteConfig, kept: KeptPeriods | None = None) -> list[PagePlan]:
    """`kept`: the period pages of the last build (periods.py), under `digest serve`."""
    settings = PageSettings.of(config)
    base = config.base_path
    plans: list[PagePlan] = []
    rail = _rail(site)
    for pages, number, items in paginate(config, base, site.articles):
        # the first page's rail of counts is its own input, so that a changed count
        # re-renders that page, not every page of the home list
        first = rail if number == 1 else None
        url = pages.urls[number - 1]
        plans.append(PagePlan.of(url, "index.html", _home, settings, pages, number, items, first))
    plans.extend(_article_pages(site, settings))
    plans.append(PagePlan.of(under(base, "tags/"), "tags.html", _tags, settings, site.tag_summaries))
    for tag, tag_summary in zip(site.tags, site.tag_summaries, strict=True):
        for pages, number, items in paginate(config, tag.url, tag.articles):
            url = pages.urls[number - 1]
            plans.append(PagePlan.of(url, "tag.html", _tag, settings, tag_summary, pages, number, items))
    plans.append(
        PagePlan.of(under(base, "sources/"), "sources.html", _sources, settings, site.source_summaries)
    )
    for source, source_summary in zip(site.sources, site.source_summaries, strict=True):
        for pages, number, items in paginate(config, source.url, source.articles):
            url = pages.urls[number - 1]
            plans.append(
                PagePlan.of(url, "source.html", _source, settings, source_summary, pages, number, items)
            )
    plans.append(
        PagePlan.of(under(base, "archive/"), "archive.html", _archive, settings, site.year_summaries)
    )
    plans.extend(period_pages(site, config, settings, kept))
    plans.extend(_story_pages(site, settings))
    plans.extend(_edition_pages(site, settings))
    if config.search:
        plans.append(PagePlan.of(under(base, "search/"), "search.html", _search, settings))
    plans.append(PagePlan.of(under(base, "404.html"), "404.html", _not_found, settings))
    plans.extend(alias_pages(site.articles))
    return plans


def _rail(site: Site) -> Rail:
    months = [m for y in site.year_summaries for m in y.months][:6]
    sources = sorted(site.source_summaries, key=lambda s: -s.count)[:10]  # stable: by name on ties
    return Rail(site.top_tags, tuple(sources), tuple(months))


def _home(
    settings: PageSettings, pages: Pages, number: int, articles: tuple[Article, ...], rail: Rail | None
) -> Context:
    pagination = pages.page(number)
    title = numbered(settings.title, pagination, settings.words)
    page = page_info(
        settings, "home", title, here(pagination), description=settings.description, feeds=settings.feeds
    )
    return {"page": page, "articles": articles, "pagination": pagination, "rail": rail}


def _tags(settings: PageSettings, tags: tuple[TagSummary, ...]) -> Context:
    words = settings.words
    # the English singular is the plural too: "All 1 tags" is what digest has always written
    description = words.ngettext(
        "All %(num)s tags of %(title)s", "All %(num)s tags of %(title)s", len(tags), title=settings.title
    )
    url = under(settings.base_path, "tags/")
    title = words.gettext("Tags")
    return {
        "page": page_info(settings, "tags", title, url, feeds=settings.feeds, description=description),
        "tags": tags,
    }


def _tag(
    settings: PageSettings, tag: TagSummary, pages: Pages, number: int, articles: tuple[Article, ...]
) -> Context:
    pagination = pages.page(number)
    words = settings.words
    page = page_info(
        settings,
        "tag",
        numbered(words.gettext("Tag: %(name)s", name=tag.name), pagination, words),
        here(pagination),
        feeds=settings.list_feed_links(tag.url, tag.name),
        description=words.ngettext(
            "%(num)s articles tagged %(name)s", "%(num)s articles tagged %(name)s", tag.count, name=tag.name
        ),
    )
    return {"page": page, "tag": tag, "articles": articles, "pagination": pagination}


def _sources(settings: PageSettings, sources: tuple[SourceSummary, ...]) -> Context:
    words = settings.words
    description = words.ngettext(
        "The %(num)s outlets covered by %(title)s",
        "The %(num)s outlets covered by %(title)s",
        len(sources),
        title=settings.title,
    )
    url = under(settings.base_path, "sources/")
    title = words.gettext("Sources")
    page = page_info(settings, "sources", title, url, feeds=settings.feeds, description=description)
    return {"page": page, "sources": sources}


def _source(
    settings: PageSettings, source: SourceSummary, pages: Pages, number: int, articles: tuple[Article, ...]
) -> Context:
    pagination = pages.page(number)
    words = settings.words
    page = page_info(
        settings,
        "source",
        numbered(source.name, pagination, words),
        here(pagination),
        feeds=settings.list_feed_links(source.url, source.name),
        description=source.description
        or words.ngettext(
            "%(num)s articles from %(name)s", "%(num)s articles from %(name)s", source.count, name=source.name
        ),
    )
    return {"page": page, "source": source, "articles": articles, "pagination": pagination}


def _archive(settings: PageSettings, years: tuple[Any, ...]) -> Context:
    words = settings.words
    description = words.gettext("Every edition of %(title)s by year, month and day", title=settings.title)
    url = under(settings.base_path, "archive/")
    title = words.gettext("Archive")
    page = page_info(settings, "archive", title, url, feeds=settings.feeds, description=description)
    return {"page": page, "years": years}


def _search(settings: PageSettings) -> Context:
    url = under(settings.base_path, "search/")
    words = settings.words
    description = words.gettext("Search %(title)s", title=settings.title)
    page = page_info(
        settings, "search", words.gettext("Search"), url, feeds=settings.feeds, description=description
    )
    return {"page": page}


def _not_found(settings: PageSettings) -> Context:
    url = under(settings.base_path, "404.html")
    title = settings.words.gettext("Page not found")
    return {"page": page_info(settings, "404", title, url, feeds=settings.feeds)}


def _article_pages(site: Site, settings: PageSettings) -> list[PagePlan]:
    articles = site.articles
    summaries = {s.slug: summary for s, summary in zip(site.sources, site.source_summaries, strict=True)}
    by_name = {name.casefold(): s.slug for s in site.sources for name in (s.name, *s.aliases)}
    by_story = {s.key: s for s in site.stories}
    editions = edition_of(site)
    # "more from the source": its newest articles but the page's own. One tuple for the pages
    # of all its other articles; only its newest few have one of their own
    more_by_source: dict[str, tuple[Article, ...]] = {}
    more_of: dict[int, tuple[Article, ...]] = {}
    for source in site.sources:
        newest = source.articles[: MORE_FROM_SOURCE + 1]
        more_by_source[source.slug] = newest[:MORE_FROM_SOURCE]
        for own in newest:
            more_of[id(own)] = tuple(a for a in newest if a is not own)[:MORE_FROM_SOURCE]
    plans = []
    for i, article in enumerate(articles):
        newer = articles[i - 1] if i > 0 else None
        older = articles[i + 1] if i + 1 < len(articles) else None
        more = more_of.get(id(article))
        if more is None:
            more = more_by_source[article.source.slug]
        via = summaries.get(by_name.get(article.via.casefold(), "")) if article.via else None
        story = by_story.get(article.story) if article.story else None
        related = site.related.get(article.path, ())
        edition = editions.get(article.path)
        inputs = (settings, article, newer, older, more, via, story, related, edition)
        plans.append(PagePlan.of(article.url, "article.html", _article, *inputs, article=article))
    return plans


def _article(
    settings: PageSettings,
    article: Article,
    newer: Article | None,
    older: Article | None,
    more: tuple[Article, ...],
    via: SourceSummary | None,
    story: StoryGroup | None,
    related: tuple[Article, ...],
    edition: Any,
) -> Context:
    page = page_info(
        settings,
        "article",
        article.title,
        article.url,
        description=article.summary_text[:300],
        feeds=settings.feeds,
        json_ld=LazyJsonLd(article, settings),
        image=article.image,
        og_type="article",
    )
    return {
        "page": page,
        "article": article,
        "newer": newer,
        "older": older,
        "via_source": via,
        "more_from_source": more,
        "story": story,
        "also_covered": tuple(a for a in story.articles if a is not article) if story else (),
        "related": related,
        "edition": edition,
    }


def _story_pages(site: Site, settings: PageSettings) -> list[PagePlan]:
    plans = [
        PagePlan.of(under(settings.base_path, "stories/"), "stories.html", _stories, settings, site.stories)
    ]
    plans += [PagePlan.of(story.url, "story.html", _story, settings, story) for story in site.stories]
    return plans


def _stories(settings: PageSettings, stories: tuple[StoryGroup, ...]) -> Context:
    words = settings.words
    description = words.ngettext(
        "%(num)s story followed across outlets by %(title)s",
        "%(num)s stories followed across outlets by %(title)s",
        len(stories),
        title=settings.title,
    )
    url = under(settings.base_path, "stories/")
    title = words.gettext("Stories")
    page = page_info(settings, "stories", title, url, feeds=settings.feeds, description=description)
    return {"page": page, "stories": stories}


def _story(settings: PageSettings, story: StoryGroup) -> Context:
    words = settings.words
    outlets = story.outlet_count
    how = words.ngettext("How %(num)s outlet covered it", "How %(num)s outlets covered it", outlets)
    articles = words.ngettext("%(num)s article", "%(num)s articles", story.count)
    page = page_info(
        settings,
        "story",
        story.title,
        story.url,
        feeds=settings.feeds,
        description=story.description or words.gettext("%(how)s: %(articles)s", how=how, articles=articles),
        json_ld=story_json_ld(story, absolute(settings.base_url, story.url)),
    )
    return {"page": page, "story": story}


def _edition_pages(site: Site, settings: PageSettings) -> list[PagePlan]:
    if settings.editions == "none":
        return []
    url = under(settings.base_path, "editions/")
    plans = [PagePlan.of(url, "editions.html", _editions, settings, site.editions)]
    plans += [PagePlan.of(e.url, "edition.html", _edition, settings, e) for e in site.editions]
    return plans


def _editions(settings: PageSettings, editions: Sequence[Edition]) -> Context:
    words = settings.words
    feeds = settings.edition_feeds
    url = under(settings.base_path, "editions/")
    if settings.editions == "weekly":
        description = words.gettext("Weekly editions of %(title)s", title=settings.title)
    else:
        description = words.gettext("Daily editions of %(title)s", title=settings.title)
    title = words.gettext("Editions")
    return {
        "page": page_info(settings, "editions", title, url, feeds=feeds, description=description),
        "editions": editions,
    }


def _edition(settings: PageSettings, edition: Edition) -> Context:
    words = settings.words
    number = words.number(edition.number)
    articles = words.ngettext("%(num)s article", "%(num)s articles", edition.count)
    values = {"number": number, "title": settings.title, "articles": articles}
    if settings.editions == "weekly":
        description = words.gettext("Weekly edition No. %(number)s of %(title)s: %(articles)s", **values)
    else:
        description = words.gettext("Daily edition No. %(number)s of %(title)s: %(articles)s", **values)
    page = page_info(
        settings,
        "edition",
        words.gettext("No. %(number)s: %(title)s", number=number, title=edition.title),
        edition.url,
        feeds=settings.edition_feeds,
        description=description,
    )
    return {"page": page, "edition": edition}
