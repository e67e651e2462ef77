"""The one list of a site's outputs, made by one routine whatever receives them: pages and feeds
(on the worker pool, only what changed), sitemaps, robots.txt, the news outputs, the search
index, and the theme's files. `build` hands it the Writer (a staging folder, then an atomic
apply); `check`, `serve` and `publish` use the same, check with the MemoryWriter."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

import jinja2

from .. import __version__
from ..core.diagnostics import Diagnostic, Level
from ..core.fingerprint import Fingerprinter, digest
from ..core.groups import Site
from ..core.urls import output_file
from ..plan.inputs import PagePlan
from ..read.config import CONFIG_NAME, SiteConfig
from ..render.bytecode import bytecode_cache
from ..render.feeds import FeedCache, FeedSpec
from ..render.news import EMAIL, feed_specs
from ..render.search import SearchProblem
from ..render.templates import (
    CARD_TEMPLATE,
    TEMPLATE_FORM,
    TemplateProblem,
    make_environment,
    site_globals,
    static_hashes,
    use_bodies,
    use_cards,
)
from ..write.memory import MemoryWriter
from ..write.output import OutputProblem
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
from .pagekeys import LASTING
from .process import STATE
from .readers import candidates, make_readers
from .record import Record, _config_key
from .tasks import Failed
from .themedeps import cached_dependencies
from .warm import WarmState, reused
from .wholesite import Emitted, Sink, site_outputs


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
    if ctx.warm is not None:  # what the next build's keys may take from this one's
        for fingerprinter in job.fingerprinters:
            fingerprinter.carry(LASTING)
        ctx.warm.inputs = job.inputs or {}
    if emitted.problems:
        return emitted
    emitted.templates, emitted.contexts = job.templates, job.contexts
    emitted.fingerprinted = job.fingerprinted
    try:
        site_outputs(ctx, job, sink, record, emitted, statics)
    except TemplateProblem as exc:
        emitted.problems.append(exc.diagnostic)
    except SearchProblem as exc:
        emitted.problems.append(Diagnostic(CONFIG_NAME, 0, Level.ERROR, f"search: {exc}"))
    return emitted


def output_error(ctx: BuildContext, exc: OSError | OutputProblem) -> tuple[Path, int, str]:
    """Where a failure to render or write the outputs is reported, and what it says. An article
    body gone from the cache folder (another `digest build` of the site pruned its pack while
    serve kept articles that point into it): serve's kept state is dropped, so that the next
    build reads every file and parses those articles again."""
    missing = getattr(exc, "filename", None)
    bodies = state.html_dir(ctx.config.root)
    if isinstance(exc, FileNotFoundError) and missing and Path(missing).parent == bodies:
        if ctx.warm is not None:
            ctx.warm.clear()
        why = "an article body stored in digest's cache is gone (another digest build of this site"
        return Path(missing), 0, f"{why} may have replaced it); save again: the next build parses it again"
    return ctx.out_dir, 0, str(exc)


def _job(ctx: BuildContext, sink: Sink, record: Record, hashes: dict[str, str]) -> RenderJob:
    config = ctx.config
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
        env = envs[lang] = _environment(ctx, site, lang_config, globals_, hashes, names)
        # check keeps no record: its pages need no keys
        if memory is None:
            card = {CARD_TEMPLATE} if _exists(env, CARD_TEMPLATE) else set()
            keys, reads = _template_keys(env, names | card, globals_, hashes, ctx, lang_config)
            env_keys.update({template_id(lang, name): key for name, key in keys.items()})
            bodies.update({template_id(lang, name): read for name, read in reads.items()})
            if ctx.warm is not None and card:  # the cards of the last build, made the same way
                use_cards(env, ctx.warm.cards_for(lang, keys[CARD_TEMPLATE], len(site.articles)))
        made = partial(_specs, site, lang_config, lang)
        specs += reused(ctx.warm, f"feeds:{lang}", (site,), (lang_config,), made)
    templates = {name: f"{env_keys[name]} {sorted(bodies[name])}" for name in env_keys}
    # the same plan and feeds have the same output files (a warm build where bodies changed)
    same = (ctx.plans, *(specs if len(ctx.sites) > 1 else ()))
    files = partial(_output_files, ctx.plans, specs, config, ctx.warm)
    outputs, rels, count = reused(ctx.warm, "outputs", same, (config, len(specs)), files)
    if len(rels) == count:
        sink.claim_all(rels)
    else:  # two outputs to one file: claim says which
        for pairs in outputs.values():
            for _, rel in pairs:
                sink.claim(rel)
    cards_same = ctx.keys is not None and bool(record.cards_key) and record.cards_key == ctx.keys.cards
    bodies_only = cards_same and record.templates == templates
    # or the kept plan is the one the recorded build rendered, its cards changed in place since
    # (bodyedits.keep_last_plan): the tasks that show a changed card are candidates too
    same_plan = ctx.warm is not None and ctx.kept_plan and record.cards_key in ctx.warm.plan_cards
    same_plan = (bodies_only or same_plan) and record.templates == templates
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
        bodies_only=bodies_only,
        old_bodies=record.bodies,
        candidates=_candidates(ctx, sink, record, specs, bodies, outputs, templates) if same_plan else None,
        verify=os.environ.get("DIGEST_VERIFY_SCOPES") == "1",
        old_contexts={} if sink.clean else record.contexts,
        outputs=outputs,
        feeds=FeedCache(STATE.bodies),
        memory=memory,
        templates=templates,
        first=ctx.warm.first if ctx.warm is not None and memory is None else frozenset(),
        fingerprinters=ctx.warm.fingerprinters if ctx.warm is not None and memory is None else [],
        last_inputs=ctx.warm.inputs if ctx.warm is not None and memory is None else {},
        inputs={} if ctx.warm is not None and memory is None else None,
        early=ctx.warm.early if ctx.warm is not None else None,
    )


def _environment(
    ctx: BuildContext,
    site: Site,
    config: SiteConfig,
    globals_: dict[str, object],
    hashes: dict[str, str],
    names: set[str],
) -> jinja2.Environment:
    """One language's Jinja environment with the pages' templates compiled; a warm build of
    the same site (a kept plan) with the same settings and theme keeps the last one."""
    theme = ctx.theme

    def make() -> jinja2.Environment:
        folder = state.bytecode_dir(config.root)
        warm = ctx.warm
        if warm is None:
            bytecode = bytecode_cache(folder)
        else:  # the code of each template, kept between serve's builds
            if warm.bytecode is None or warm.bytecode.directory != str(folder):
                warm.bytecode = bytecode_cache(folder)
            bytecode = warm.bytecode
        env = make_environment(theme, config, globals_, hashes, STATE.bodies, bytecode)
        for name in names:  # compile once, before forking
            # a broken template is reported with its location when its page is rendered
            with contextlib.suppress(jinja2.TemplateError):
                env.get_template(name)
        return env

    equal = (config, theme.fingerprint, hashes, names)
    env = reused(ctx.warm, f"env:{config.language}", (site,), equal, make)
    use_bodies(env, STATE.bodies)  # each build's own body store
    return env


def _specs(site: Site, config: SiteConfig, lang: str) -> list[FeedSpec]:
    specs = feed_specs(site, config)
    return specs if not lang else [replace(spec, lang=lang) for spec in specs]  # made with lang ""


def _output_files(
    plans: list[PagePlan], specs: list[FeedSpec], config: SiteConfig, warm: WarmState | None
) -> tuple[dict[Task, list[tuple[str, str]]], frozenset[str], int]:
    """Each task's (URL, output file)s; the files, and how many outputs there are. Under serve,
    each URL's file as the last build found it (the same base path): a site's thousands of
    URLs are planned again on every tag edit, and most are the same."""
    base = config.base_path
    last = warm.output_files.get(base, {}) if warm is not None else {}
    urls = [plan.url for plan in plans]
    for spec in specs:
        urls += [spec.page_url + name for name in config.feeds.files]
    known = last.get
    rels = [known(url) or output_file(url, base) for url in urls]
    if warm is not None:
        warm.output_files = {base: dict(zip(urls, rels, strict=True))}
    pairs = list(zip(urls, rels, strict=True))
    at, per_feed = len(plans), len(config.feeds.files)
    outputs: dict[Task, list[tuple[str, str]]] = {("page", i): [pair] for i, pair in enumerate(pairs[:at])}
    for i in range(len(specs)):
        outputs["feed", i] = pairs[at + i * per_feed : at + (i + 1) * per_feed]
    return outputs, frozenset(rels), len(rels)


def _candidates(
    ctx: BuildContext,
    sink: Sink,
    record: Record,
    specs: list[FeedSpec],
    bodies: dict[str, frozenset[str]],
    outputs: dict[Task, list[tuple[str, str]]],
    templates: dict[str, str],
) -> frozenset[Task] | None:
    """A warm build of the recorded build's plan where only bodies and cards that no plan reads
    changed: the tasks that read a changed body or show a changed card (engine/readers.py),
    when every other task's outputs are there as recorded."""
    warm, keys = ctx.warm, ctx.keys
    if warm is None or not ctx.kept_plan or keys is None or sink.clean:
        return None
    shape = repr(sorted(templates.items()))
    readers = warm.readers
    if readers is None or readers.plans is not ctx.plans or readers.templates != shape:
        readers = warm.readers = make_readers(ctx.plans, specs, bodies, ctx.config.feed_items, outputs, shape)
    if not (record.keys.keys() >= readers.urls and sink.previous >= readers.rels):
        return None
    old = record.bodies
    changed = [path for path, fp in keys.bodies.items() if old.get(path) != fp]
    # an article's whole fingerprint covers its card: those whose card may have changed too
    return candidates(readers, changed, changed if record.cards_key != keys.cards else ())


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
    # a warm build that looked only at some tasks (emit.RenderJob.candidates): the others' keys
    # are the last build's, which has the same outputs
    bulk = job.candidates is not None
    if bulk:
        keys.update(job.previous)
    previous = job.previous
    for task, result in zip(tasks, results, strict=True):
        if result is KEPT_ALL:
            if not bulk:
                for url, _ in job.outputs[task]:
                    keys[url] = previous[url]
            sink.unchanged += len(job.outputs[task])
        elif isinstance(result, Failed):
            if result.ran:
                problems.append(crashed(job, task, result, ctx.config.root))
            else:
                skipped.append(result)  # never run: too many workers had died
        elif isinstance(result, Diagnostic):
            if result not in problems:
                problems.append(result)
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
