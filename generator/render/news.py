"""The outputs made from the whole site rather than page by page: the feeds' list, the Google
News sitemap, sources.opml, the editions feed and the newest edition as email HTML."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jinja2

from ..core.diagnostics import Diagnostic, Level
from ..core.groups import Edition, Site
from ..core.model import Article
from ..core.urls import absolute, under
from ..plan.context import PageInfo, editions_feed_link
from ..plan.inputs import PagePlan
from ..read.config import SiteConfig
from ..read.locales import load_words
from .editionfeeds import editions_feed
from .feeds import FeedCache, FeedSpec, absolutize
from .sitemap import NEWS_SITEMAP, OPML, news_sitemap, sources_opml
from .templates import TemplateProblem, render_page


def feed_specs(site: Site, config: SiteConfig) -> list[FeedSpec]:
    """The site's feed (full text), and each tag's and source's as feeds.lists says."""
    specs = [FeedSpec(config.title, config.description, config.base_path, site.articles)]
    if not config.feeds.term_feeds:
        return specs
    full = config.feeds.lists == "full"
    specs += [
        FeedSpec(f"{config.title}: {t.name}", f"Articles tagged {t.name}", t.url, t.articles, full=full)
        for t in site.tags
    ]
    specs += [
        FeedSpec(
            f"{config.title}: {s.name}",
            s.description or f"Articles from {s.name}",
            s.url,
            s.articles,
            full=full,
        )
        for s in site.sources
    ]
    return specs


EMAIL = "editions/latest/email.html"


def news_outputs(
    site: Site,
    config: SiteConfig,
    env: jinja2.Environment,
    news: Sequence[Article] | None,
    feeds: FeedCache,
    email: bool = True,
) -> dict[str, bytes]:
    """The outputs made from the whole site rather than page by page: the Google News sitemap
    (unless `news` is None: a multilingual site has one, at its root), sources.opml, the
    editions feed and (unless `email` is false) the newest edition as email HTML (raises
    TemplateProblem)."""
    base = config.base_path
    outputs = {}
    if news is not None:
        outputs[under(base, NEWS_SITEMAP)] = news_sitemap(news, config)
    if config.feeds.term_feeds:  # the outlets' feeds, for a reader
        outputs[under(base, OPML)] = sources_opml(site.sources, config)
    if config.editions != "none":
        outputs[editions_feed_link(config).url] = editions_feed(
            site.editions, config, under(base, "editions/"), feeds
        )
        if site.editions and email:
            outputs[under(base, EMAIL)] = email_html(site, config, env)
    return outputs


def _email_context(page: PageInfo, edition: Edition) -> dict[str, Any]:
    return {"page": page, "edition": edition}


def email_html(site: Site, config: SiteConfig, env: jinja2.Environment) -> bytes:
    """The newest edition for a newsletter service: CSS inlined into style attributes (no
    <style> left), absolute URLs, no scripts."""
    import css_inline

    edition = site.editions[0]
    url = under(config.base_path, EMAIL)
    words = load_words(config)
    number = words.number(edition.number)
    page = PageInfo(
        kind="email",
        title=words.gettext("No. %(number)s: %(title)s", number=number, title=edition.title),
        url=url,
        canonical=absolute(config.base_url, edition.url),
    )
    html = render_page(env, PagePlan.of(url, "email.html", _email_context, page, edition)).decode("utf-8")
    inliner = css_inline.CSSInliner(
        keep_style_tags=False, keep_link_tags=False, load_remote_stylesheets=False
    )
    try:
        inlined = inliner.inline(html)
    except Exception as exc:  # a theme's broken CSS: say where, never a traceback
        raise TemplateProblem(
            Diagnostic("templates/email.html", 0, Level.ERROR, f"its CSS could not be inlined: {exc}")
        ) from None
    return absolutize(inlined, config.base_url).encode("utf-8")
