"""links.root (digest.yaml): root-relative links in articles' bodies and summaries that name no
output of this site become absolute against that origin, outbound links; those that name one
stay under the base path. Parsing holds them (parse/markdown.py); here they are resolved once,
before the articles' fingerprints are finished, so that the answer is part of each linking
article's key: a page added at a path an article links to makes that article's pages again.

The site's URLs are those of the pages the plan would make (articles, lists, archives, aliases),
the feeds, the site-wide files and the theme's and site's static files. Planning a site costs
as much as a no-op build, so they are kept in the cache folder under a key of all they follow
from: each article's path, URL, date, tags, source, story and aliases, the settings, the theme
and the site's static files (theme.fingerprint), stories.yaml and digest's version."""

from __future__ import annotations

import contextlib

from markupsafe import Markup

from .. import __version__
from ..core.fingerprint import digest
from ..core.model import Article, evolve
from ..core.urls import resolve_refs, root_link, under
from ..index.site import build_index
from ..parse.parsed import Parsed
from ..plan.context import editions_feed
from ..plan.pages import plan_pages
from ..render.news import EMAIL, feed_specs
from ..render.sitemap import NEWS_SITEMAP, OPML
from . import state
from .context import BuildContext
from .outputs import copied_files
from .record import _config_key

SITE_FILES = ("sitemap.xml", "robots.txt", NEWS_SITEMAP, EMAIL)


def resolve_root_links(
    articles: list[Article], parsed: dict[str, Parsed], ctx: BuildContext
) -> list[Article]:
    """The articles with their root-relative links resolved (added to `ref_urls`, which pages
    read bodies through, and filled into summaries)."""
    config = ctx.config
    if not config.links_root or not any(parsed[a.path].roots for a in articles):
        return articles
    known = _stored_site_urls(articles, ctx)

    def exists(path: str) -> bool:
        if path in known or path + "/" in known:
            return True
        return path.endswith("/index.html") and path.removesuffix("index.html") in known

    out = []
    for article in articles:
        links = parsed[article.path].roots
        if not links:
            out.append(article)
            continue
        resolved = tuple(
            (link, root_link(link, config.base_path, config.links_root, exists)) for link in links
        )
        summary = Markup(resolve_refs(str(article.summary), dict(resolved), article.path))
        out.append(evolve(article, ref_urls=article.ref_urls + resolved, summary=summary))
    return out


def site_urls(articles: list[Article], ctx: BuildContext) -> frozenset[str]:
    """Every URL path the build will write a file at (pagefind's files aside)."""
    config, base = ctx.config, ctx.config.base_path
    urls: set[str] = set()
    for lang in config.languages or (None,):  # each language's pages in a multilingual site
        lang_config = config.for_language(lang.code) if lang else config
        mine = [a for a in articles if a.lang == lang.code] if lang else articles
        site = build_index(mine, lang_config, ctx.stories, related=False)
        urls.update(plan.url for plan in plan_pages(site, lang_config))
        specs = feed_specs(site, lang_config)
        urls.update(spec.page_url + name for spec in specs for name in config.feeds.files)
        names = [*SITE_FILES, editions_feed(config.feeds), *([OPML] if config.feeds.term_feeds else [])]
        urls.update(under(lang_config.base_path, name) for name in names)
    urls.update(under(base, rel) for rel in copied_files(ctx))
    return frozenset(urls)


def _stored_site_urls(articles: list[Article], ctx: BuildContext) -> frozenset[str]:
    """`site_urls`, from the cache folder when nothing they follow from has changed."""
    key = _urls_key(articles, ctx)
    path = state.site_urls_file(ctx.config.root)
    stored = state.load(path, "site-urls").value
    if isinstance(stored, dict) and stored.get("key") == key and isinstance(stored.get("urls"), frozenset):
        known: frozenset[str] = stored["urls"]
        return known
    urls = site_urls(articles, ctx)
    with contextlib.suppress(OSError):  # only a shortcut for the next build
        state.make_folder(ctx.config.root)
        state.save(path, "site-urls", {"key": key, "urls": urls})
    return urls


def _urls_key(articles: list[Article], ctx: BuildContext) -> str:
    """What the site's URLs follow from (see the module's docstring): an article's body,
    summary, title or authors are not part of it."""
    parts = [
        f"{a.path}|{a.url}|{a.date.isoformat()}|{a.source.url}|{a.story}|{a.aliases!r}|"
        + " ".join(t.url for t in a.tags)
        for a in articles
    ]
    parts.sort()
    return digest(__version__, _config_key(ctx.config), ctx.theme.fingerprint, repr(ctx.stories), *parts)
