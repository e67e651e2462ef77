"""The one list of a site's outputs, made by one routine whatever receives them: pages and feeds
(on the worker pool, only what changed), sitemaps, robots.txt, the news outputs, the search
index, and the theme's files. `build` hands it the Writer (a staging folder, then an atomic
apply); `check`, `serve` and `publish` use the same, check with the MemoryWriter."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import jinja2

from .. import __version__
from ..core.diagnostics import Diagnostic, Level
from ..core.fingerprint import Fingerprinter, digest
from ..core.model import Article
from ..core.urls import output_file, under
from ..plan.aliases import TEMPLATE as ALIAS_TEMPLATE
from ..plan.inputs import PagePlan
from ..plan.languages import Translation
from ..read.config import CONFIG_NAME, SiteConfig
from ..render.feeds import FeedCache
from ..render.news import EMAIL, feed_specs, news_outputs
from ..render.search import INDEXED_KINDS, SearchProblem, index_pages, pagefind_identity
from ..render.sitemap import robots, sitemap_files
from ..render.templates import (
    CARD_TEMPLATE,
    TEMPLATE_FORM,
    TemplateProblem,
    make_environment,
    site_globals,
    static_hashes,
    use_cards,
)
from ..write.memory import MemoryWriter
from . import state
from .context import BuildContext
from .emit import (
    KEPT_ALL,
    STAGED,
    RenderJob,
    Task,
    crashed,
    execute,
    run_all,
    shown_path,
    template_id,
)
from .process import STATE
from .record import Record, SiteKeys, _config_key
from .themedeps import cached_dependencies
from .workers import Failed


class Sink(Protocol):
    """Where outputs go: write.output.Writer (the output folder) or write.memory.MemoryWriter."""

    out_dir: Path
    clean: bool
    produced: set[str]
    unchanged: int

    @property
    def staging(self) -> Path | None: ...
    @property
    def previous(self) -> set[str] | frozenset[str]: ...
    def claim(self, rel: str) -> None: ...
    def has(self, rel: str) -> bool: ...
    def put(self, rel: str, data: bytes) -> None: ...
    def record(self, rel: str, staged: bool) -> None: ...
    def read(self, rel: str) -> bytes: ...


@dataclass
class Emitted:
    problems: list[Diagnostic]
    keys: dict[str, str]
    search_key: str = ""
    rendered: dict[str, int] = field(default_factory=dict)  # "page"/"feed" -> how many rendered
    templates: dict[str, str] = field(default_factory=dict)  # for the record
    contexts: dict[str, str] = field(default_factory=dict)  # for the record: URL -> context's key
    fingerprinted: int = 0  # pages whose fingerprint was computed

    def save(self, record: Record, files: set[str], keys: SiteKeys) -> None:
        """What the next build into the same folder compares with."""
        record.save(self.keys, files, keys, self.search_key, self.templates, self.contexts)


def make_outputs(ctx: BuildContext, sink: Sink) -> Emitted:
    """Render what changed into the sink; the caller commits or aborts."""
    record = ctx.record or Record(Path(), {}, None)
    statics = ctx.theme.static_files()
    job = _job(ctx, sink, record, static_hashes(statics))
    tasks: list[Task] = [("page", i) for i in range(len(job.plans))]
    tasks += [("feed", i) for i in range(len(job.specs))]
    emitted = Emitted([], {}, rendered={"page": 0, "feed": 0})
    STATE.job = job
    try:
        if job.memory is not None:  # check: everything, here, with no keys to keep
            results = execute(tasks, 1, ctx.progress)
        else:
            results = run_all(tasks, ctx.options.jobs, ctx.progress)
        _collect(ctx, job, sink, tasks, results, emitted)
    finally:
        STATE.job = None
    if emitted.problems:
        return emitted
    emitted.templates, emitted.contexts = job.templates, job.contexts
    emitted.fingerprinted = job.fingerprinted
    try:
        _site_outputs(ctx, job, sink, record, emitted, statics)
    except TemplateProblem as exc:
        emitted.problems.append(exc.diagnostic)
    except SearchProblem as exc:
        emitted.problems.append(Diagnostic(CONFIG_NAME, 0, Level.ERROR, f"search: {exc}"))
    return emitted


def _job(ctx: BuildContext, sink: Sink, record: Record, hashes: dict[str, str]) -> RenderJob:
    config, theme = ctx.config, ctx.theme
    assert ctx.site is not None
    names = {p.template for p in ctx.plans} | ({"email.html"} if config.editions != "none" else set())
    memory = sink.files if isinstance(sink, MemoryWriter) else None
    envs: dict[str, jinja2.Environment] = {}
    configs: dict[str, SiteConfig] = {}
    env_keys: dict[str, str] = {}
    bodies: dict[str, frozenset[str]] = {}
    specs = []
    for lang, site in ctx.sites.items():  # one language: "" -> the site
        lang_config = configs[lang] = config.for_language(lang) if lang else config
        globals_ = site_globals(lang_config, site)
        env = envs[lang] = make_environment(
            theme, lang_config, globals_, hashes, STATE.bodies, state.bytecode_dir(config.root)
        )
        # check keeps no record: its pages need no keys
        if memory is None:
            card = {CARD_TEMPLATE} if _exists(env, CARD_TEMPLATE) else set()
            keys, reads = _template_keys(env, names | card, globals_, hashes, ctx, lang_config)
            env_keys.update({template_id(lang, name): key for name, key in keys.items()})
            bodies.update({template_id(lang, name): read for name, read in reads.items()})
            if ctx.warm is not None and card:  # the cards of the last build, made the same way
                use_cards(env, ctx.warm.cards_for(lang, keys[CARD_TEMPLATE], len(site.articles)))
        specs += [replace(spec, lang=lang) for spec in feed_specs(site, lang_config)]
        for name in names:  # compile once, before forking
            # a broken template is reported with its location when its page is rendered
            with contextlib.suppress(jinja2.TemplateError):
                env.get_template(name)
    templates = {name: f"{env_keys[name]} {sorted(bodies[name])}" for name in env_keys}
    base = config.base_path
    outputs: dict[Task, list[tuple[str, str]]] = {}  # task -> its (URL, output file)s
    for i, plan in enumerate(ctx.plans):
        outputs["page", i] = [(plan.url, output_file(plan.url, base))]
    for i, spec in enumerate(specs):
        urls = [spec.page_url + name for name in config.feeds.files]
        outputs["feed", i] = [(url, output_file(url, base)) for url in urls]
    for pairs in outputs.values():
        for _, rel in pairs:
            sink.claim(rel)
    cards_same = ctx.keys is not None and bool(record.cards_key) and record.cards_key == ctx.keys.cards
    return RenderJob(
        env=envs[next(iter(envs))],
        envs=envs,
        configs=configs,
        plans=ctx.plans,
        specs=specs,
        config=config,
        staging=sink.staging,
        out_dir=sink.out_dir,
        existing=frozenset(sink.previous),
        clean=sink.clean,
        env_keys=env_keys,
        bodies=bodies,
        feed_key=digest(__version__, _config_key(config)),
        previous={} if sink.clean else record.keys,
        bodies_only=cards_same and record.templates == templates,
        old_bodies=record.bodies,
        verify=os.environ.get("DIGEST_VERIFY_SCOPES") == "1",
        old_contexts={} if sink.clean else record.contexts,
        outputs=outputs,
        feeds=FeedCache(STATE.bodies),
        memory=memory,
        templates=templates,
    )


def _exists(env: jinja2.Environment, name: str) -> bool:
    try:
        env.get_template(name)
    except jinja2.TemplateError:  # missing or broken: reported where a page uses it
        return False
    return True


def _template_keys(
    env: jinja2.Environment,
    names: set[str],
    globals_: dict[str, object],
    hashes: dict[str, str],
    ctx: BuildContext,
    config: SiteConfig,
) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Per template: the key of what it is rendered with besides its page's context (theme,
    settings, the parts of `site` it reads), and the context names it reads bodies through."""
    theme_key = ctx.theme.fingerprint
    common = digest(__version__, TEMPLATE_FORM, theme_key, repr(sorted(hashes.items())), _config_key(config))
    fper = Fingerprinter()
    env_keys, bodies = {}, {}
    kept = ctx.warm.templates if ctx.warm is not None else None
    stored = cached_dependencies(env, names, state.templates_file(config.root), theme_key, kept)
    for name, deps in stored.items():
        attrs = deps.site
        # a name that is not one of site's attributes (site.get, site.items) may read any
        used = sorted(globals_) if "*" in attrs or not attrs <= globals_.keys() else sorted(attrs)
        env_keys[name] = digest(common, *(f"{a}={fper.of(globals_[a])}" for a in used))
        bodies[name] = deps.bodies
    return env_keys, bodies


def _collect(
    ctx: BuildContext,
    job: RenderJob,
    sink: Sink,
    tasks: list[Task],
    results: Sequence[object],
    emitted: Emitted,
) -> None:
    """Each task's outcome into the sink's counts, the keys and the problems."""
    problems, keys, skipped = emitted.problems, emitted.keys, []
    for task, result in zip(tasks, results, strict=True):
        if isinstance(result, Failed):
            if result.ran:
                problems.append(crashed(job, task, result, ctx.config.root))
            else:
                skipped.append(result)  # never run: too many workers had died
        elif isinstance(result, Diagnostic):
            if result not in problems:
                problems.append(result)
        elif result == KEPT_ALL:
            for url, _ in job.outputs[task]:
                keys[url] = job.previous[url]
                sink.unchanged += 1
        else:
            assert isinstance(result, list)
            emitted.rendered[task[0]] += 1
            for url, rel, key, outcome in result:
                keys[url] = key
                sink.record(rel, outcome == STAGED)
    if skipped:  # one message for them all: there may be thousands
        message = f"{len(skipped)} pages and feeds were not rendered: {skipped[0].how}; nothing was written"
        problems.append(Diagnostic(shown_path(sink.out_dir, ctx.config.root), 0, Level.ERROR, message))


def copied_files(ctx: BuildContext) -> dict[str, str]:
    """The output files not made from a plan (the theme's and the site's static files, the email
    edition): file under the output folder -> what it is, as messages name it. Aliases must not
    take their place, and links.root counts them as the site's."""
    files = {"static/" + rel: f"the theme's file static/{rel}" for rel in ctx.theme.static_files()}
    files.update({rel: f"the file static/{rel} of the site" for rel in ctx.theme.site_files()})
    if ctx.config.editions != "none":
        files[EMAIL] = "the email edition"
    return files


def _site_outputs(
    ctx: BuildContext, job: RenderJob, sink: Sink, record: Record, emitted: Emitted, statics: dict[str, Path]
) -> None:
    """What is made from the whole site rather than page by page."""
    config, base = ctx.config, ctx.config.base_path
    skip = ("404.html", ALIAS_TEMPLATE)
    entries = [(p.url, _lastmod(p), _hreflang(p)) for p in ctx.plans if p.template not in skip]
    for url, data in sitemap_files(entries, config).items():
        sink.put(output_file(url, base), data)
    sink.put(output_file(under(base, "robots.txt"), base), robots(config))
    for lang in ctx.sites:
        _news_outputs(ctx, job, sink, record, emitted, lang)
    if config.search:
        emitted.search_key = _search(ctx, sink, record, emitted.keys)
    for rel, path in statics.items():
        sink.put(output_file(under(base, "static/" + rel), base), path.read_bytes())
    for rel, path in ctx.theme.site_files().items():
        sink.put(output_file(under(base, rel), base), path.read_bytes())


def _news_outputs(
    ctx: BuildContext, job: RenderJob, sink: Sink, record: Record, emitted: Emitted, lang: str
) -> None:
    """One language's outputs made from its whole Site: sources.opml, the editions feed, the
    email edition; and the Google News sitemap, once (of every language's articles)."""
    config, site, base = job.configs[lang], ctx.sites[lang], ctx.config.base_path
    # the email edition inlines its CSS, which costs more than a small rebuild's pages: it is
    # made again only when the newest edition or the email template's inputs changed
    email_url = under(config.base_path, EMAIL)
    email_rel = output_file(email_url, base)
    email_key = ""
    if config.editions != "none" and site.editions and job.memory is None:
        email_env = job.env_keys[template_id(lang, "email.html")]
        email_key = digest(email_env, Fingerprinter().of(site.editions[0]))
    keep_email = bool(email_key) and not sink.clean and record.keys.get(email_url) == email_key
    keep_email = keep_email and sink.has(email_rel)
    assert job.feeds is not None
    news = ctx.news if config.language == ctx.config.language else None
    env = job.envs[lang]
    for url, data in news_outputs(site, config, env, news, job.feeds, email=not keep_email).items():
        sink.put(output_file(url, base), data)
    if keep_email:
        sink.claim(email_rel)
        sink.record(email_rel, False)
    if email_key:
        emitted.keys[email_url] = email_key


def _search(ctx: BuildContext, sink: Sink, record: Record, keys: dict[str, str]) -> str:
    """Index the article and story pages with Pagefind, unless none of them changed since the
    last build into this folder: then its files stay as they are."""
    config = ctx.config
    indexed = [p for p in ctx.plans if getattr(p.context.get("page"), "kind", "") in INDEXED_KINDS]
    # a one-language site's index is forced into its language; a multilingual site's is split by
    # each page's language, over the indexed pages of every language (ctx.plans holds them all)
    force = None if config.multilingual else config.language
    languages = force or ",".join(lang.code for lang in config.languages)
    key = digest(pagefind_identity(), languages, *(f"{p.url}={keys.get(p.url, '')}" for p in indexed))
    previous = sorted(rel for rel in sink.previous if rel.startswith("pagefind/"))
    if not sink.clean and previous and record.search_key == key:
        for rel in previous:
            sink.claim(rel)
            sink.record(rel, False)
        return key
    pages = {rel: sink.read(rel) for rel in (output_file(p.url, config.base_path) for p in indexed)}
    scratch = state.search_dir(config.root) if sink.staging is not None else None
    for rel, data in index_pages(pages, force, scratch).items():
        sink.put(rel, data)
    return key


def _hreflang(plan: PagePlan) -> tuple[tuple[str, str], ...]:
    """A multilingual site's page: (hreflang, absolute URL) of each version, x-default last."""
    versions = [t for t in plan.alternates if isinstance(t, Translation) and t.exists]
    if len(versions) < 2:
        return ()
    # the default language's version, else the first in the site's order: the same x-default
    # in every version's entry (partials/translations.html names the same one)
    default = next((t for t in versions if t.default), versions[0])
    return (*((t.lang, t.abs_url) for t in versions), ("x-default", default.abs_url))


def _lastmod(plan: PagePlan) -> str:
    article = plan.context.get("article")
    if isinstance(article, Article):
        return (article.updated or article.date).date().isoformat()
    return ""
