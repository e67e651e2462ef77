"""The one build(): read -> parse -> index -> plan -> render -> write. Everything calls it:
`digest build`, `digest check` (which stops before writing) and, later, serve and publish."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from markupsafe import Markup

from .core.dates import utc_now
from .core.diagnostics import Diagnostics, Level
from .core.fingerprint import digest, hash_text
from .core.model import Article, Site, evolve
from .core.yamlnodes import suggest
from .engine.emit import render_in_memory, write_site
from .engine.parsecache import CACHE_DIR
from .engine.parsing import parse_all
from .engine.record import Record, SiteKeys, site_keys
from .index.related import load_memory, save_memory
from .index.site import build_index, canonical_tag_names
from .index.suggest import Suggestion, suggest_stories
from .parse.article import Parsed
from .parse.markdown import resolve_refs
from .plan.inputs import PagePlan
from .plan.pages import plan_pages
from .read.config import CONFIG_NAME, SiteConfig, load_config
from .read.sources import load_registry
from .read.stories import STORIES_NAME, StoryRegistry, load_stories
from .render.search import SearchProblem
from .render.sitemap import news_window
from .render.templates import TemplateProblem
from .render.theme import Theme, load_theme
from .write.output import MARKER, OutputProblem, Writer, staging_dir


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path
    output_dir: Path | None = None
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    clean: bool = False
    strict: bool = False
    write: bool = True  # False: `check` renders in memory and writes nothing
    jobs: int = 0  # worker processes; 0: one per available core
    suggest_stories: bool = False  # check: list groups of articles that look like one story


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    articles: int = 0
    drafts_left_out: int = 0
    future_left_out: list[Article] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    outputs: dict[str, bytes] = field(default_factory=dict)  # check mode only: URL -> bytes
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds, for -v
    parsed: int = 0  # articles parsed (not taken from the cache)
    rendered: dict[str, int] = field(default_factory=dict)  # "page"/"feed" -> how many rendered
    fingerprinted: int = 0  # pages whose fingerprint had to be computed
    output_dir: Path | None = None
    suggestions: list[Suggestion] = field(default_factory=list)  # check --suggest-stories
    site_articles: list[Article] = field(default_factory=list)  # check mode only: their links

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors


Progress = Callable[[str, int, int], None]


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    # a build allocates a great many long-lived objects and frees few: the cyclic collector
    # would only rescan them over and over
    gc.disable()
    try:
        return _build(options, progress)
    finally:
        gc.unfreeze()
        gc.enable()


def _build(options: BuildOptions, progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    root = options.site_dir.resolve()
    if options.jobs <= 0:
        options = replace(
            options,
            jobs=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
        )
    config = load_config(root, options.base_url)
    diags = Diagnostics(root=root)
    result = BuildResult(diagnostics=diags)
    registry = load_registry(root, diags)
    stories = load_stories(root, diags)
    theme = load_theme(config)

    stage = time.perf_counter()
    parsed, keys, result.parsed = parse_all(config, registry, diags, options.jobs, progress)
    result.timings["read and parse"] = time.perf_counter() - stage
    _drop_ignored_keys(diags, config.front_matter_ignore)
    now = utc_now(os.environ.get("SOURCE_DATE_EPOCH"))
    articles = _select(parsed, options, now, result)
    link_problems = Diagnostics(root=root)
    articles = _resolve_links(articles, parsed, link_problems, config, strict_links=not options.write)
    if options.write:
        diags.items.extend(link_problems.items)
    articles = _fingerprinted(canonical_tag_names(articles), parsed, keys)
    _check_collisions(articles, diags)
    _check_source_urls(articles, parsed, diags)
    _check_stories(stories, parsed, diags, root)
    if not options.write:  # check: links with tracking parameters, and the articles' links
        result.site_articles = articles
        for item in parsed.values():
            diags.items.extend(item.tracking)
        if options.suggest_stories:
            result.suggestions = suggest_stories(articles)
    result.articles = len(articles)
    if options.strict:
        _promote_warnings(diags)
    if diags.errors:
        result.seconds = time.perf_counter() - started
        return result

    out_dir = (options.output_dir or config.root / "site").resolve()
    record = Record.load(config.root / CACHE_DIR, out_dir) if options.write else None
    if record is not None and staging_dir(out_dir).exists():
        # the last build was killed: its output may be part old, part new, whatever the
        # record says; compare every file (unchanged ones are still not rewritten)
        record = Record(record.path, {}, None)
    news = news_window(articles, now)
    inputs = [repr(stories), "news:" + ",".join(a.path for a in news)]
    keys_now = site_keys(config, theme, articles, out_dir, inputs)
    if record is not None and _nothing_to_do(record, keys_now.whole, out_dir, options):
        result.unchanged = len(record.files or ())
        result.output_dir = out_dir
        result.seconds = time.perf_counter() - started
        return result

    stage = time.perf_counter()
    memory_path = config.root / CACHE_DIR / "related.pickle"
    memory = load_memory(memory_path) if options.write else None
    site = build_index(articles, config, stories, memory)
    plans = plan_pages(site, config)
    result.timings["index and plan"] = time.perf_counter() - stage
    stage = time.perf_counter()
    # rendering makes cyclic garbage (Jinja's contexts and macros) page after page: collect it
    # again, but only among objects made from now on, in this process and the forked workers
    gc.freeze()
    gc.enable()
    _check_reserved(plans, articles, diags)
    if diags.errors:
        result.seconds = time.perf_counter() - started
        return result
    _emit(site, plans, config, theme, options, result, progress, record, keys_now, news)
    if memory is not None and result.ok:
        with contextlib.suppress(OSError):  # only a shortcut for the next build
            save_memory(memory_path, memory)
    result.timings["render and write"] = time.perf_counter() - stage
    if not options.write:  # check: dangling links are errors, reported with everything else
        diags.items.extend(link_problems.items)
    result.seconds = time.perf_counter() - started
    return result


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - platforms without affinity


def _drop_ignored_keys(diags: Diagnostics, ignored: tuple[str, ...]) -> None:
    """front_matter.ignore: no warning for keys the site keeps on purpose. Dropped here, after
    the parse cache, so that editing the list takes effect without parsing anything again (the
    articles, their `extra` included, do not depend on it)."""
    if ignored:
        kinds = {f"unknown-key:{key}" for key in ignored}
        diags.items = [d for d in diags.items if d.kind not in kinds]


def _select(
    parsed: dict[str, Parsed], options: BuildOptions, now: datetime, result: BuildResult
) -> list[Article]:
    chosen: list[Article] = []
    future: list[Article] = []
    for item in parsed.values():
        article = item.article
        if article is None:
            continue
        if article.draft and not options.drafts:
            result.drafts_left_out += 1
            continue
        if article.date > now and not options.future:
            future.append(article)
            continue
        chosen.append(article)
    result.future_left_out = sorted(future, key=lambda a: (a.date, a.path))
    return chosen


def _resolve_links(
    articles: list[Article],
    parsed: dict[str, Parsed],
    diags: Diagnostics,
    config: SiteConfig,
    strict_links: bool,
) -> list[Article]:
    """Swap `.md` links for article URLs. A dangling one is a warning for build (a link to a
    draft is normal while writing) and an error for check."""
    report = diags.error if strict_links else diags.warning
    urls = {a.path: a.url for a in articles}
    out = []
    for article in articles:
        refs = parsed[article.path].refs
        if not refs:
            out.append(article)
            continue
        for target, line in refs:
            if target not in urls:
                why = "a draft or future-dated article" if target in parsed else "no such file under content/"
                report(
                    config.content_dir / article.path,
                    line,
                    f"link to '{target}' does not resolve: {why}",
                    kind=f"unresolved-link:{target}",
                    group=f"link to '{target}' does not resolve",
                    fix=why,
                )
        out.append(
            replace(
                article,
                ref_urls=tuple((t, urls[t]) for t, _ in refs if t in urls),
                summary=Markup(resolve_refs(article.summary, urls, article.path)),
            )
        )
    return out


def _fingerprinted(articles: list[Article], parsed: dict[str, Parsed], keys: dict[str, str]) -> list[Article]:
    """Each article's card fingerprint (its fields but the body, its tags' canonical names,
    the URLs its links resolved to) and its whole fingerprint (the card's and its file's)."""
    urls = {a.path: a.url for a in articles}
    out = []
    for article in articles:
        refs = parsed[article.path].refs
        linked = [urls.get(target, "") for target, _ in refs] if refs else []
        card = digest(article.card_fp, *[t.name for t in article.tags], "|", *linked)
        whole = hash_text(f"{keys[article.path]}|{card}")
        out.append(evolve(article, fp=whole, card_fp=card))
    return out


def _check_collisions(articles: list[Article], diags: Diagnostics) -> None:
    by_url: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_url[article.url].append(article)
    for url, group in sorted(by_url.items()):
        if len(group) > 1:
            first, *others = sorted(group, key=lambda a: a.path)
            for other in others:
                diags.error(
                    f"content/{other.path}",
                    1,
                    f"same URL {url} as content/{first.path}; give one of them a different 'slug'",
                    kind=f"same-url:{url}",
                    group=f"same URL {url} as content/{first.path}",
                    fix="give them different slugs",
                )


def _check_source_urls(articles: list[Article], parsed: dict[str, Parsed], diags: Diagnostics) -> None:
    """The same original used by two articles is usually a copy made by mistake."""
    by_url: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if article.source_url:
            by_url[article.source_url].append(article)
    for url, group in sorted(by_url.items()):
        if len(group) > 1:
            first, *others = sorted(group, key=lambda a: a.path)
            for other in others:
                diags.warning(
                    f"content/{other.path}",
                    parsed[other.path].source_url_line,
                    f"same source_url as content/{first.path} ({url})",
                    kind=f"same-source-url:{url}",
                )


def _check_stories(stories: StoryRegistry, parsed: dict[str, Parsed], diags: Diagnostics, root: Path) -> None:
    """A stories.yaml entry that no article (drafts included) uses is most likely misspelt."""
    if not stories.exists:
        return
    used = {p.article.story for p in parsed.values() if p.article is not None and p.article.story}
    for info in stories.stories:
        if info.key not in used:
            hint = suggest(info.key, sorted(used))
            diags.warning(root / STORIES_NAME, info.line, f"no article has story '{info.key}'{hint}")


def _check_reserved(plans: list[PagePlan], articles: list[Article], diags: Diagnostics) -> None:
    by_url = {a.url: a for a in articles}
    for plan in plans:
        if plan.template != "article.html" and plan.url in by_url:
            article = by_url[plan.url]
            diags.error(
                f"content/{article.path}",
                1,
                f"URL {plan.url} is also the site's {plan.template.removesuffix('.html')} page; "
                "give the article a different 'slug' or change permalinks.article",
            )


def _promote_warnings(diags: Diagnostics) -> None:
    """--strict: warnings about the site are errors. Not those about digest's own cache (a
    cache from before an upgrade is rebuilt, and the site is no worse for it)."""
    diags.items = [
        replace(d, level=Level.ERROR) if d.level is Level.WARNING and not d.path.startswith(CACHE_DIR) else d
        for d in diags.items
    ]


def _nothing_to_do(record: Record, whole: str, out_dir: Path, options: BuildOptions) -> bool:
    if options.clean or record.files is None or record.site_key != whole:
        return False
    # a killed build may have left staged files unapplied; then the record is older anyway
    return (out_dir / MARKER).exists() and not staging_dir(out_dir).exists()


def _emit(
    site: Site,
    plans: list[PagePlan],
    config: SiteConfig,
    theme: Theme,
    options: BuildOptions,
    result: BuildResult,
    progress: Progress | None,
    record: Record | None,
    keys: SiteKeys,
    news: tuple[Article, ...],
) -> None:
    if not options.write or record is None:
        try:
            result.outputs = render_in_memory(site, plans, config, theme, news)
        except TemplateProblem as exc:
            result.diagnostics.items.append(exc.diagnostic)
        except SearchProblem as exc:
            result.diagnostics.error(CONFIG_NAME, 0, f"search: {exc}")
        return
    out_dir = (options.output_dir or config.root / "site").resolve()
    try:
        writer = Writer(out_dir, clean=options.clean, known_files=record.files)
    except (OutputProblem, OSError) as exc:
        result.diagnostics.error(out_dir, 0, str(exc))
        return
    try:
        emitted = write_site(site, plans, config, theme, writer, record, options.jobs, progress, news, keys)
    except (OutputProblem, OSError) as exc:
        writer.abort()
        result.diagnostics.error(out_dir, 0, str(exc))
        return
    except BaseException:
        writer.abort()
        raise
    if emitted.problems:
        writer.abort()
        result.diagnostics.items.extend(emitted.problems)
        return
    writer.commit()
    record.save(emitted.keys, writer.produced, keys, emitted.search_key, emitted.templates, emitted.contexts)
    result.written, result.unchanged, result.removed = writer.written, writer.unchanged, writer.removed
    result.rendered = emitted.rendered
    result.fingerprinted = emitted.fingerprinted
    result.output_dir = out_dir
