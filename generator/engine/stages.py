"""The build's stages as steps over one BuildContext, in the order build() runs them. Each reads
what the earlier ones made, adds its own, reports problems into the context's diagnostics, and
may end the build (errors that stop it, or nothing to do). The work itself is the stages'
(read/, parse/, index/, plan/, render/, write/); here is what to run and what to skip."""

from __future__ import annotations

import contextlib
import gc
import os
from dataclasses import replace
from typing import Any

from ..core.dates import utc_now
from ..core.diagnostics import Diagnostics, Level
from ..core.model import Article
from ..read.config import load_config
from ..read.content import find_articles
from ..read.locales import load_words
from ..read.names import load_tag_names
from ..read.sources import load_registry
from ..read.stories import load_stories
from ..render.sitemap import NEWS_WINDOW, news_window
from ..render.theme import load_theme
from ..write.output import OutputProblem, Writer
from . import lastselection, state
from .bodyedits import body_edits, keep_last_plan, news_candidates, same_selection, settings
from .context import BuildContext
from .fewedits import few_edits
from .finished import finish
from .lastbuild import find_record, key_inputs, nothing_to_do
from .process import STATE, count
from .record import site_keys
from .testhooks import pause
from .warm import Kept, Selected


def read_inputs(ctx: BuildContext) -> None:
    """digest.yaml, sources.yaml, stories.yaml and the theme."""
    ctx.config = load_config(ctx.root, ctx.options.base_url)
    ctx.registry = load_registry(ctx.root, ctx.diags)
    ctx.tag_names = load_tag_names(ctx.root, ctx.diags)
    ctx.stories = load_stories(ctx.root, ctx.diags)
    ctx.theme = load_theme(ctx.config, state.generated_dir(ctx.root))
    state.make_generated(ctx.config)
    ctx.now = utc_now(os.environ.get("SOURCE_DATE_EPOCH"))


def parse_files(ctx: BuildContext) -> None:
    """Every article file, through the parse cache, on the worker pool. First, for `digest
    build`: whether the last build's selection stands and nothing changed (lastselection.py)."""
    ctx.noted = len(ctx.diags.items)
    stamps = None
    # serve keeps its own (warm.py); links.root plans the site to resolve links (rootlinks.py)
    if ctx.options.write and ctx.warm is None and not ctx.config.links_root:
        stamps = lastselection.stamps(ctx.config.content_dir, find_articles(ctx.config.content_dir))
        if lastselection.nothing_changed(ctx, stamps):
            ctx.stop()
            return
    from .parsing import parse_all  # and the worker pool's driver: not for a build that ends above

    ctx.parsed, ctx.file_keys, ctx.result.parsed, ctx.seen = parse_all(
        ctx.config, ctx.registry, ctx.diags, ctx.options.jobs, ctx.progress, ctx.warm, stamps
    )
    ignored = ctx.config.front_matter_ignore
    if ignored:
        # front_matter.ignore: dropped here, after the parse cache, so that editing the list
        # takes effect without parsing anything again
        kinds = {f"unknown-key:{key}" for key in ignored}
        ctx.diags.items = [d for d in ctx.diags.items if d.kind not in kinds]


def save_parsed(ctx: BuildContext) -> None:
    """The parse cache of a build under serve that looked only at the watcher's paths: saved
    at the end of the build (parsing.parse_all), after the open pages were handed over."""
    from .parsing import save_deferred

    assert ctx.warm is not None
    save_deferred(ctx.warm, ctx.diags)


def select_articles(ctx: BuildContext) -> None:
    """The articles in the site, links between them resolved, their fingerprints finished."""
    # a build that found nothing changed (lastselection.py) ends before this and its imports
    from ..index.select import canonical_tag_names, resolve_links, select, translated_tag_names

    options, result = ctx.options, ctx.result
    ctx.link_problems = Diagnostics(root=ctx.root)
    problems = ctx.link_problems
    warm = ctx.warm if options.write else None
    edited = None
    if warm is not None and warm.selected is not None and same_selection(ctx):
        edited = body_edits(ctx, None)
    if edited is None and warm is not None and few_edits(ctx):  # a few cards changed: fewedits.py
        return
    if edited is None:
        articles, result.drafts_left_out, result.future_left_out = select(
            ctx.parsed, options.drafts, options.future, ctx.now
        )
    if warm is not None:
        edited = edited if edited is not None else body_edits(ctx, [a.path for a in articles])
        if edited is not None and warm.selected is not None:  # only bodies changed: bodyedits.py
            result.drafts_left_out, result.future_left_out = warm.selected.left_out
            problems.items.extend(warm.selected.link_problems)
            ctx.diags.items.extend(problems.items)
            ctx.articles = list(warm.selected.articles)
            for i, article in edited:
                ctx.articles[i] = article
            ctx.bodies_edited, ctx.edited = True, edited
            result.articles = len(ctx.articles)
            count("select:kept")  # tests: how often this shortcut was taken
            return
        paths = [a.path for a in articles]
    articles = resolve_links(articles, ctx.parsed, problems, ctx.config, strict_links=not options.write)
    if ctx.config.links_root:  # it plans the site to know its URLs: imported only then
        from .rootlinks import resolve_root_links

        articles = resolve_root_links(articles, ctx.parsed, ctx)
    if options.write:  # a build warns at once; check reports them with the broken links
        ctx.diags.items.extend(ctx.link_problems.items)
    named = translated_tag_names(canonical_tag_names(articles), ctx.tag_names)
    ctx.articles = _fingerprinted(named, ctx)
    result.articles = len(ctx.articles)
    if warm is not None:
        links = list(problems.items)
        warm.selected = Selected(settings(ctx), dict(ctx.parsed), paths, ctx.articles, links)
        warm.selected.now, warm.selected.left_out = ctx.now, (result.drafts_left_out, result.future_left_out)
        later = result.future_left_out
        warm.selected.due = min(a.date for a in later) if later else None


def check_site(ctx: BuildContext) -> None:
    """What needs every article at once; check also lists tracking parameters and stories."""
    from ..index.select import check_collisions, check_source_urls, check_stories, check_translations
    from ..index.tagclash import check_tag_names

    selected = ctx.warm.selected if ctx.warm is not None else None
    if ctx.bodies_edited and selected is not None:  # made of cards and lines: as last time
        ctx.diags.items.extend(selected.checked)
    else:
        noted = len(ctx.diags.items)
        check_collisions(ctx.articles, ctx.diags)
        check_source_urls(ctx.articles, ctx.parsed, ctx.diags)
        check_stories(ctx.stories, ctx.parsed, ctx.diags, ctx.root)
        check_tag_names(ctx.parsed, [a.path for a in ctx.articles], ctx.config.content_dir, ctx.diags)
        if ctx.config.multilingual:
            check_translations(ctx.articles, ctx.diags)
        if selected is not None:
            selected.checked = ctx.diags.items[noted:]
    if not ctx.options.write:
        for item in ctx.parsed.values():
            ctx.diags.items.extend(item.tracking)
        if ctx.options.suggest_stories:
            from ..index.suggest import suggest_stories

            ctx.result.suggestions = suggest_stories(ctx.articles, STATE.bodies)
    ctx.notes = [d for d in ctx.diags.items[ctx.noted :] if not _about_cache(d.path)]
    if ctx.options.strict:
        # warnings about the site are errors; not those about digest's own cache (a cache
        # from before an upgrade is rebuilt, and the site is no worse for it)
        ctx.diags.items = [
            replace(d, level=Level.ERROR) if d.level is Level.WARNING and not _about_cache(d.path) else d
            for d in ctx.diags.items
        ]
    if ctx.diags.errors:
        ctx.stop()


def compare_with_last_build(ctx: BuildContext) -> None:
    """The keys of this build, and the record of the last one into the same folder: equal keys
    and an intact output mean there is nothing to do."""
    find_record(ctx)
    if ctx.bodies_edited or ctx.few_edited:  # the articles by date kept: those in the window
        ctx.news = news_window(news_candidates(ctx, ctx.articles, ctx.now - NEWS_WINDOW), ctx.now)
    else:
        ctx.news = news_window(ctx.articles, ctx.now)
    inputs = key_inputs(ctx, ctx.news)
    selected = ctx.warm.selected if ctx.warm is not None else None
    if ctx.bodies_edited and selected is not None:  # the same cards: only bodies to key again
        edited = [article for _, article in ctx.edited]
        cards = any(article.card_fp != selected.articles[i].card_fp for i, article in ctx.edited)
        ctx.keys = site_keys(
            ctx.config, ctx.theme, ctx.articles, ctx.out_dir, inputs, selected.keys, edited, cards
        )
    else:
        ctx.keys = site_keys(ctx.config, ctx.theme, ctx.articles, ctx.out_dir, inputs)
    if selected is not None:
        selected.keys = ctx.keys
    if ctx.seen is not None and ctx.options.write and ctx.warm is None:
        lastselection.remember(ctx, ctx.seen)
    if nothing_to_do(ctx):
        if ctx.warm is not None and (ctx.edited or not ctx.bodies_edited):
            # the kept plan did not take this selection's articles (index_site did not run):
            # the next build selects afresh rather than pair the two (bodyedits.py). A kept
            # selection with nothing edited is the kept plan's own articles: it stands
            ctx.warm.selected = None
        ctx.stop()


def index_site(ctx: BuildContext) -> None:
    """Tags, sources, dates, stories, editions and related articles."""
    # the message catalogs of every language the site is written in: a broken one stops the
    # build here, located, before anything is indexed or rendered. Not sooner: a build that
    # finds nothing changed (compare_with_last_build; the catalogs are in the theme's
    # fingerprint) need not read them, nor import Babel's catalog reader
    catalogs = _kept_catalogs(ctx) if ctx.options.write else None
    for lang in ctx.config.languages or (None,):
        load_words(ctx.config.for_language(lang.code) if lang else ctx.config, catalogs)
    if keep_last_plan(ctx):
        return
    memory = None
    if ctx.options.write:
        warm = ctx.warm
        memory = warm.memory if warm is not None and warm.memory is not None else None
        if memory is None:
            memory = state.load_memory(ctx.config.root)
            if warm is not None:
                warm.memory = memory
    ctx.memory = memory
    config = ctx.config
    from ..index.site import KeptIndex, build_index  # not needed to find nothing changed

    def kept(lang: str) -> KeptIndex | None:  # serve's: what the last build_index made
        warm = ctx.warm if ctx.options.write else None
        return warm.index.setdefault(lang, KeptIndex()) if warm is not None else None

    if not config.multilingual:
        ctx.site = build_index(ctx.articles, config, ctx.stories, memory, kept=kept(""))
        ctx.sites = {"": ctx.site}
        return
    for lang in config.languages:
        articles = [a for a in ctx.articles if a.lang == lang.code]
        lang_config = config.for_language(lang.code)
        ctx.sites[lang.code] = build_index(articles, lang_config, ctx.stories, memory, kept=kept(lang.code))
    ctx.site = ctx.sites[config.language]


def plan_site(ctx: BuildContext) -> None:
    """Every page to render; an article at the URL of one of the site's own pages is an error."""
    assert ctx.site is not None
    warm = ctx.warm
    selected = warm.selected if warm is not None else None
    # the articles the plan holds (the selection's own list stands: its by-date order with it)
    if selected is not None and selected.articles is not ctx.articles:
        selected.articles = list(ctx.articles)
    if warm is not None and ctx.kept_plan:
        ctx.plans = warm.plans
        ctx.diags.items.extend(warm.plan_notes)
        return
    # planning, rendering and checking links are imported where they run: a build that finds
    # nothing changed (compare_with_last_build) ends before them, and sooner without them
    from ..plan.aliases import alias_problems, check_reserved
    from ..plan.languages import plan_site as plan_languages
    from .outputs import copied_files

    noted = len(ctx.diags.items)
    periods = warm.periods if warm is not None and ctx.options.write else None
    ctx.plans = plan_languages(ctx.sites, ctx.config, periods)
    check_reserved(ctx.plans, ctx.articles, ctx.diags)
    if any(a.aliases for a in ctx.articles):
        lines = {a.path: ctx.parsed[a.path].alias_lines for a in ctx.articles if a.aliases}
        ctx.diags.items.extend(
            alias_problems(ctx.articles, lines, ctx.plans, copied_files(ctx), ctx.config.base_path)
        )
    if ctx.diags.errors:
        ctx.stop()
    elif warm is not None and ctx.options.write and ctx.keys is not None:
        warm.cards_key, warm.shape, warm.articles = ctx.keys.cards, ctx.keys.parts, list(ctx.articles)
        warm.plan_cards = {ctx.keys.cards}
        warm.sites, warm.plans = dict(ctx.sites), ctx.plans
        warm.plan_notes = ctx.diags.items[noted:]


def render_and_write(ctx: BuildContext) -> None:
    """Render what changed and write it atomically (check: render everything into memory)."""
    from .outputs import make_outputs, output_error  # with Jinja: only a build that renders does

    # rendering makes cyclic garbage (Jinja's contexts and macros) page after page: collect it
    # again, but only among objects made from now on, in this process and the forked workers
    gc.freeze()
    gc.enable()
    if not ctx.options.write:
        from ..write.memory import MemoryWriter

        sink = MemoryWriter(ctx.out_dir, ctx.config.base_path)
        emitted = make_outputs(ctx, sink)
        # check reports what it checked (its outputs), not counts of writing
        ctx.diags.items.extend(emitted.problems)
        if not emitted.problems:
            ctx.result.outputs = sink.by_url()
        return
    assert ctx.record is not None
    try:
        writer = Writer(ctx.out_dir, clean=ctx.options.clean, known_files=ctx.record.files, pause=pause)
    except (OutputProblem, OSError) as exc:
        ctx.diags.error(ctx.out_dir, 0, str(exc))
        return
    try:
        emitted = make_outputs(ctx, writer)
    except (OutputProblem, OSError) as exc:
        writer.abort()
        ctx.diags.error(*output_error(ctx, exc))
        return
    except BaseException:
        writer.abort()
        raise
    if emitted.problems:
        writer.abort()
        ctx.diags.items.extend(emitted.problems)
        return
    writer.commit()
    assert ctx.keys is not None
    emitted.save(ctx.record, writer.produced, ctx.keys)
    if ctx.warm is not None:  # the record as just saved: the next build need not load it
        ctx.warm.records[ctx.record.path] = ctx.record
    result = ctx.result
    result.written, result.unchanged, result.removed = writer.written, writer.unchanged, writer.removed
    result.rendered, result.fingerprinted = emitted.rendered, emitted.fingerprinted
    result.search_pending = emitted.search_pending
    result.output_dir = ctx.out_dir


def remember(ctx: BuildContext) -> None:
    """Related articles' memory and the message catalogs read, for the next build: only
    shortcuts, so a failure is ignored."""
    if ctx.memory is not None and ctx.result.ok:
        with contextlib.suppress(OSError):
            state.save_memory(ctx.config.root, ctx.memory)
    if ctx.options.write and ctx.result.ok and STATE.catalogs_root == ctx.config.root:
        with contextlib.suppress(OSError):
            STATE.catalogs_saved = state.save_catalogs(ctx.config.root, STATE.catalogs, STATE.catalogs_saved)


def _kept_catalogs(ctx: BuildContext) -> dict[str, Any]:
    """The catalogs kept in the site's cache folder, loaded once per process and site."""
    root = ctx.config.root
    if STATE.catalogs_root != root:
        STATE.catalogs = state.load_catalogs(root)
        STATE.catalogs_root, STATE.catalogs_saved = root, frozenset(STATE.catalogs)
    return STATE.catalogs


def check_links(ctx: BuildContext) -> None:
    """check: links in articles and in every output that lead nowhere, with the dangling links
    between articles, reported with everything else."""
    if ctx.options.write:
        return
    from ..write.links import article_links, broken_links

    if ctx.link_problems is not None:
        ctx.diags.items.extend(ctx.link_problems.items)
    outputs, base = ctx.result.outputs, ctx.config.base_path
    if outputs:
        content = ctx.config.content_dir
        in_articles, hrefs = article_links(ctx.articles, outputs, base, content, STATE.bodies)
        ctx.diags.items.extend(in_articles)
        ctx.diags.items.extend(broken_links(outputs, base, skip=hrefs))



def _about_cache(path: str) -> bool:
    return path.startswith(state.FOLDER)


def _fingerprinted(articles: list[Article], ctx: BuildContext) -> list[Article]:
    """Each article's card fingerprint (its fields but the body, its tags' canonical names,
    the URLs its links resolved to) and its whole fingerprint (the card's and its file's);
    under serve, the last build's object for an article that did not change (finished.py)."""
    urls = {a.path: a.url for a in articles}
    warm = ctx.warm if ctx.options.write else None
    kept = warm.finished if warm is not None else None
    made: Kept | None = {} if warm is not None else None
    touched = warm.touched if warm is not None else None
    out = []
    for article in articles:
        parsed = ctx.parsed[article.path]
        refs = parsed.refs
        linked = [urls.get(target, "") for target, _ in refs] if refs else []
        if parsed.roots:  # links.root: where each root-relative link went (rootlinks.py)
            linked += [url for link, url in article.ref_urls if link.startswith("/")]
        out.append(finish(article, ctx.file_keys[article.path], linked, kept, made, touched))
    if warm is not None and made is not None:
        warm.finished = made
        warm.touched = set()  # each kept object is as finished now
    return out
