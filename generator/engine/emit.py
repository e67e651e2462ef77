"""Render and write: pages through the theme, feeds, sitemap, robots.txt and theme assets.

A page is rendered only when its key (the theme, the settings, the parts of `site` its template
reads, and the inputs its context is made from: PagePlan.inputs) differs from the last build's,
or its file is missing; the rest is left untouched. What must be rendered is spread over worker
processes that inherit the whole site through fork and write straight into the staging folder."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jinja2

from .. import __version__
from ..core.diagnostics import Diagnostic, Level
from ..core.fingerprint import Fingerprinter, digest
from ..core.model import Article, Site
from ..core.testhooks import crash, parallel_min
from ..core.urls import output_file, under
from ..plan.inputs import PagePlan
from ..read.config import CONFIG_NAME, SiteConfig
from ..render.feeds import FeedSpec, feed_files
from ..render.news import EMAIL, feed_specs, news_outputs
from ..render.search import INDEXED_KINDS, SearchProblem, index_pages, pagefind_identity
from ..render.sitemap import robots, sitemap_files
from ..render.templates import TemplateProblem, make_environment, render_page, site_globals, static_hashes
from ..render.theme import Theme
from ..write.output import Writer, stage_file
from .pagekeys import context_key, page_key
from .record import Record, SiteKeys, _config_key
from .themedeps import cached_dependencies
from .workers import Failed, run_tasks

PARALLEL_MIN = 64
FEED_NAMES = ("feed.xml", "rss.xml", "feed.json")
Progress = Callable[[str, int, int], None]
Task = tuple[str, int]  # ("page", index in plans) or ("feed", index in specs)


@dataclass
class _Job:
    env: jinja2.Environment
    plans: list[PagePlan]
    specs: list[FeedSpec]
    config: SiteConfig
    staging: Path
    out_dir: Path
    existing: frozenset[str]
    clean: bool
    env_keys: dict[str, str]  # template -> theme, settings and the parts of `site` it reads
    bodies: dict[str, frozenset[str]]  # template -> context names it reads bodies through
    feed_key: str  # settings: shared by every feed
    previous: dict[str, str]  # URL -> key in the last build into this folder
    # only bodies changed since the last build (its cards key and templates match): a page
    # whose template reads no changed body keeps its last key without computing it
    bodies_only: bool = False
    old_bodies: dict[str, str] = field(default_factory=dict)  # article path -> fp, last build
    # DIGEST_VERIFY_SCOPES=1 (the tests): each page's whole context is fingerprinted too, and
    # a page whose key decides otherwise than that fingerprint is an internal error
    verify: bool = False
    contexts: dict[str, str] = field(default_factory=dict)  # URL -> its context's key, verifying
    old_contexts: dict[str, str] = field(default_factory=dict)  # the same, last build
    known: dict[Task, str] = field(default_factory=dict)  # keys computed before forking
    fingerprinted: int = 0  # pages whose key is computed
    outputs: dict[Task, list[tuple[str, str]]] = field(default_factory=dict)  # (URL, file)s


_JOB: list[_Job] = []  # set in the parent before forking; workers inherit it
_FPER: list[Fingerprinter] = []  # one per process: [with bodies, cards only]

STAGED, SAME = 1, 2
KEPT_ALL = "kept"  # a task's result when all its outputs stay as they are
Outcome = list[tuple[str, str, str, int]]  # rendered: (url, rel, fingerprint, STAGED/SAME)
Result = Outcome | Diagnostic | str | Failed


def _fingerprinters() -> list[Fingerprinter]:
    if not _FPER:
        _FPER[:] = [Fingerprinter(), Fingerprinter(bodies=False)]
    return _FPER


def _key(job: _Job, task: Task) -> str:
    """What one page (or one list's three feeds) is made of."""
    known = job.known.get(task)
    if known is not None:
        return known
    kind, index = task
    if kind == "page":
        return _page_key(job, job.plans[index])
    spec = job.specs[index]
    items = spec.articles[: job.config.feed_items]
    return digest(job.feed_key, spec.title, spec.description, spec.page_url, *(a.fp for a in items))


def _page_key(job: _Job, plan: PagePlan) -> str:
    template = plan.template
    full, cards = _FPER or _fingerprinters()
    return page_key(plan, job.env_keys[template], job.bodies[template], full, cards)


def _context_key(job: _Job, plan: PagePlan) -> str:
    """The long way, for verifying `_page_key`: every value of the page's context."""
    full, cards = _fingerprinters()
    return context_key(plan, job.env_keys[plan.template], job.bodies[plan.template], full, cards)


def _planned_key(job: _Job, plan: PagePlan) -> str:
    """The page's key, worked out before forking: the last build's where it cannot have
    changed (`_bodies_unchanged`), else computed."""
    previous = job.previous.get(plan.url)
    if previous is not None and job.bodies_only and _bodies_unchanged(job, plan):
        key = previous
    else:
        key = _page_key(job, plan)
        job.fingerprinted += 1
    if job.verify:
        _verify(job, plan, key)
    return key


def _verify(job: _Job, plan: PagePlan, key: str) -> None:
    """The page's key must be what `_page_key` computes, and it must equal the last build's
    exactly when the whole context's fingerprint does: else an input is missing (the page
    would be kept stale) or something not in the context is (it would be rendered for
    nothing)."""
    name = f"{plan.url} ({plan.template})"
    if _page_key(job, plan) != key:
        raise RuntimeError(f"{name}: its key was kept, but its inputs changed")
    context = job.contexts[plan.url] = _context_key(job, plan)
    previous, old = job.previous.get(plan.url), job.old_contexts.get(plan.url)
    if previous is None or old is None or (key == previous) == (context == old):
        return
    if key == previous:
        raise RuntimeError(f"{name} changed, but its key was kept: an input is missing from its plan")
    raise RuntimeError(f"{name}: its key changed, but its context did not")


def _bodies_unchanged(job: _Job, plan: PagePlan) -> bool:
    """Only bodies changed since the last build (`job.bodies_only`), and none that the page's
    template reads."""
    bodies = job.bodies[plan.template]
    if "*" in bodies:
        return False
    for name in bodies:
        value = plan.context.get(name)
        if value is None:
            continue
        if type(value) is not Article or job.old_bodies.get(value.path) != value.fp:
            return False
    return True


def _kept(job: _Job, task: Task, key: str) -> bool:
    """Whether the task's outputs are all there, made with this key already."""
    if job.clean:
        return False
    previous, existing = job.previous, job.existing
    return all(previous.get(url) == key and rel in existing for url, rel in job.outputs[task])


def _run(task: Task) -> Outcome | Diagnostic | str:
    """Fingerprint one page (or one page's three feeds); render it only when that changed."""
    job = _JOB[0]
    key = _key(job, task)
    if _kept(job, task, key):
        return KEPT_ALL  # the parent knows the URLs and keys: nothing more to send back
    kind, index = task
    crash("render", job.outputs[task][0][0])
    try:
        if kind == "page":
            plan = job.plans[index]
            outputs = {plan.url: render_page(job.env, plan)}
        else:
            outputs = feed_files(job.specs[index], job.config)
    except TemplateProblem as exc:
        return exc.diagnostic
    done = []
    for url, rel in job.outputs[task]:
        data = outputs[url]
        compare = rel in job.existing and not job.clean
        staged = stage_file(job.staging, job.out_dir, rel, data, compare)
        done.append((url, rel, key, STAGED if staged else SAME))
    return done


def _run_all(tasks: list[Task], jobs: int, progress: Progress | None) -> list[Result]:
    """After a build into this folder, every page's key is worked out here, before forking,
    and what it shows unchanged is kept; workers render the rest. After none, workers compute
    the keys and render everything."""
    job = _JOB[0]
    if job.clean or not job.previous:
        job.fingerprinted = len(job.plans)
        # the contexts' keys are for verifying the next build: worked out while workers finish
        return _execute(tasks, jobs, progress, lambda: _verify_all(job))
    results: list[Result | None] = []
    todo: list[Task] = []
    for task in tasks:
        key = _key(job, task) if task[0] == "feed" else _planned_key(job, job.plans[task[1]])
        if _kept(job, task, key):
            results.append(KEPT_ALL)
            continue
        job.known[task] = key
        todo.append(task)
        results.append(None)
    rendered = iter(_execute(todo, jobs, progress))
    return [result if result is not None else next(rendered) for result in results]


def _verify_all(job: _Job) -> None:
    if job.verify:
        for plan in job.plans:
            job.contexts[plan.url] = _context_key(job, plan)


def _execute(
    tasks: list[Task], jobs: int, progress: Progress | None, meanwhile: Callable[[], None] = lambda: None
) -> list[Result]:
    """Each task's result, in order. `meanwhile` runs in the parent once its own share is done,
    while workers finish theirs."""
    serial = jobs <= 1 or len(tasks) < parallel_min(PARALLEL_MIN) or sys.platform == "win32"
    # the parent renders every jobs-th chunk itself, beside jobs - 1 workers: each worker
    # holds its own copy of every page of the site it touches, the parent holds one anyway
    return run_tasks(
        tasks,
        _run,
        workers=0 if serial else jobs - 1,
        chunk_size=max(8, len(tasks) // (jobs * 16)),
        parent_every=jobs,
        progress=None if progress is None else lambda n: progress("rendering", n, len(tasks)),
        meanwhile=meanwhile,
    )


def _crashed(job: _Job, task: Task, failure: Failed, root: Path) -> Diagnostic:
    """A page or feed whose rendering crashed, named by its output file."""
    (url, rel), *others = job.outputs[task]
    if task[0] == "page":
        what = f"rendering this page ({url}, template {job.plans[task[1]].template})"
    else:
        what = f"rendering this feed (and {', '.join(PurePosixPath(r).name for _, r in others)})"
    message = (
        f"{what} {failure.how}; nothing was written. Check what it shows (its articles, its "
        "template), or report the crash with them attached"
    )
    return Diagnostic(_shown(job.out_dir / rel, root), 0, Level.ERROR, message)


def _shown(path: Path, root: Path) -> str:
    """A path as messages show it: from the site folder when it is inside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _lastmod(plan: PagePlan) -> str:
    article = plan.context.get("article")
    if isinstance(article, Article):
        return (article.updated or article.date).date().isoformat()
    return ""


def render_in_memory(
    site: Site, plans: list[PagePlan], config: SiteConfig, theme: Theme, news: Sequence[Article] = ()
) -> dict[str, bytes]:
    """For `check`: every output by URL, nothing written (raises TemplateProblem, SearchProblem)."""
    statics = theme.static_files()
    env = make_environment(theme, config, site_globals(config, site), static_hashes(statics))
    outputs = {plan.url: render_page(env, plan) for plan in plans}
    for spec in feed_specs(site, config):
        outputs.update(feed_files(spec, config))
    outputs.update(sitemap_files([(p.url, _lastmod(p)) for p in plans if p.template != "404.html"], config))
    outputs[under(config.base_path, "robots.txt")] = robots(config)
    outputs.update(news_outputs(site, config, env, news))
    if config.search:
        base = config.base_path
        pages = {output_file(p.url, base): outputs[p.url] for p in _indexed(plans)}
        for rel, data in index_pages(pages, config.language).items():
            outputs[under(base, rel)] = data
    for rel, path in statics.items():
        outputs[under(config.base_path, "static/" + rel)] = path.read_bytes()
    for rel, path in theme.site_files().items():
        outputs[under(config.base_path, rel)] = path.read_bytes()
    return outputs


def _indexed(plans: list[PagePlan]) -> list[PagePlan]:
    return [p for p in plans if getattr(p.context.get("page"), "kind", "") in INDEXED_KINDS]


@dataclass
class Emitted:
    problems: list[Diagnostic]
    keys: dict[str, str]
    search_key: str = ""
    rendered: dict[str, int] = field(default_factory=dict)  # "page"/"feed" -> how many rendered
    templates: dict[str, str] = field(default_factory=dict)  # for the record
    contexts: dict[str, str] = field(default_factory=dict)  # for the record: URL -> context's key
    fingerprinted: int = 0  # pages whose key was computed


def write_site(
    site: Site,
    plans: list[PagePlan],
    config: SiteConfig,
    theme: Theme,
    writer: Writer,
    record: Record,
    jobs: int,
    progress: Progress | None,
    news: Sequence[Article] = (),
    site_keys: SiteKeys | None = None,
) -> Emitted:
    """Render what changed into the writer's staging folder; the caller commits or aborts."""
    cache_dir = config.root / ".digest-cache"
    statics = theme.static_files()
    hashes = static_hashes(statics)
    globals_ = site_globals(config, site)
    env = make_environment(theme, config, globals_, hashes, cache_dir)
    config_key = _config_key(config)
    theme_key = theme.fingerprint
    common = digest(__version__, theme_key, repr(sorted(hashes.items())), config_key)
    fper = Fingerprinter()
    env_keys = {}
    bodies = {}
    names = {p.template for p in plans} | ({"email.html"} if config.editions != "none" else set())
    for name, deps in cached_dependencies(env, names, cache_dir, theme_key).items():
        attrs = deps.site
        # a name that is not one of site's attributes (site.get, site.items) may read any
        used = sorted(globals_) if "*" in attrs or not attrs <= globals_.keys() else sorted(attrs)
        env_keys[name] = digest(common, *(f"{a}={fper.of(globals_[a])}" for a in used))
        bodies[name] = deps.bodies
    templates = {name: f"{env_keys[name]} {sorted(bodies[name])}" for name in env_keys}
    base = config.base_path
    specs = feed_specs(site, config)
    outputs: dict[Task, list[tuple[str, str]]] = {}  # task -> its (URL, output file)s
    for i, plan in enumerate(plans):
        outputs["page", i] = [(plan.url, output_file(plan.url, base))]
    for i, spec in enumerate(specs):
        outputs["feed", i] = [
            (url, output_file(url, base)) for url in (spec.page_url + n for n in FEED_NAMES)
        ]
    for pairs in outputs.values():
        for _, rel in pairs:
            writer.claim(rel)
    for name in names:  # compile once, before forking
        # a broken template is reported with its location when its page is rendered
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)
    _JOB[:] = [
        _Job(
            env=env,
            plans=plans,
            specs=specs,
            config=config,
            staging=writer.staging,
            out_dir=writer.out_dir,
            existing=frozenset(writer.previous),
            clean=writer.clean,
            env_keys=env_keys,
            bodies=bodies,
            feed_key=digest(__version__, config_key),
            previous={} if writer.clean else record.keys,
            bodies_only=(
                site_keys is not None
                and bool(record.cards_key)
                and record.cards_key == site_keys.cards
                and record.templates == templates
            ),
            old_bodies=record.bodies,
            verify=os.environ.get("DIGEST_VERIFY_SCOPES") == "1",
            old_contexts={} if writer.clean else record.contexts,
            outputs=outputs,
        )
    ]
    _FPER.clear()
    job = _JOB[0]
    tasks: list[Task] = [("page", i) for i in range(len(plans))] + [("feed", i) for i in range(len(specs))]
    problems: list[Diagnostic] = []
    keys: dict[str, str] = {}
    rendered = {"page": 0, "feed": 0}
    skipped: list[Failed] = []  # never run: too many workers had died
    try:
        for task, result in zip(tasks, _run_all(tasks, jobs, progress), strict=True):
            if isinstance(result, Failed):
                if result.ran:
                    problems.append(_crashed(job, task, result, config.root))
                else:
                    skipped.append(result)
                continue
            if isinstance(result, Diagnostic):
                if result not in problems:
                    problems.append(result)
                continue
            if result == KEPT_ALL:
                for url, _ in job.outputs[task]:
                    keys[url] = job.previous[url]
                    writer.unchanged += 1
                continue
            assert not isinstance(result, str)
            rendered[task[0]] += 1
            for url, rel, key, outcome in result:
                keys[url] = key
                writer.record(rel, outcome == STAGED)
    finally:
        _JOB.clear()
        _FPER.clear()
    if skipped:  # one message for them all: there may be thousands
        message = (
            f"{len(skipped)} pages and feeds were not rendered: {skipped[0].how}; nothing was "
            "written"
        )
        problems.append(Diagnostic(_shown(writer.out_dir, config.root), 0, Level.ERROR, message))
    if problems:
        return Emitted(problems, keys)
    contexts, fingerprinted = job.contexts, job.fingerprinted
    entries = [(p.url, _lastmod(p)) for p in plans if p.template != "404.html"]
    for url, data in sitemap_files(entries, config).items():
        writer.put(output_file(url, base), data)
    writer.put(output_file(under(base, "robots.txt"), base), robots(config))
    # the email edition inlines its CSS, which costs more than a small rebuild's pages: it is
    # made again only when the newest edition or the email template's inputs changed
    email_url = under(base, EMAIL)
    email_rel = output_file(email_url, base)
    email_key = ""
    if config.editions != "none" and site.editions:
        email_key = digest(env_keys["email.html"], Fingerprinter().of(site.editions[0]))
    keep_email = bool(email_key) and not writer.clean and record.keys.get(email_url) == email_key
    keep_email = keep_email and writer.has(email_rel)
    try:
        for url, data in news_outputs(site, config, env, news, email=not keep_email).items():
            writer.put(output_file(url, base), data)
    except TemplateProblem as exc:
        return Emitted([exc.diagnostic], keys)
    if keep_email:
        writer.claim(email_rel)
        writer.record(email_rel, False)
    if email_key:
        keys[email_url] = email_key
    search_key = ""
    if config.search:
        try:
            search_key = _write_search(plans, config, writer, record, keys, cache_dir)
        except SearchProblem as exc:
            return Emitted([Diagnostic(CONFIG_NAME, 0, Level.ERROR, f"search: {exc}")], keys)
    for rel, path in statics.items():
        writer.put(output_file(under(base, "static/" + rel), base), path.read_bytes())
    for rel, path in theme.site_files().items():
        writer.put(output_file(under(base, rel), base), path.read_bytes())
    return Emitted([], keys, search_key, rendered, templates, contexts, fingerprinted)


def _write_search(
    plans: list[PagePlan],
    config: SiteConfig,
    writer: Writer,
    record: Record,
    keys: dict[str, str],
    cache_dir: Path,
) -> str:
    """Index the article and story pages with Pagefind, unless none of them changed since the
    last build into this folder: then its files stay as they are."""
    base = config.base_path
    indexed = _indexed(plans)
    key = digest(pagefind_identity(), config.language, *(f"{p.url}={keys.get(p.url, '')}" for p in indexed))
    previous = sorted(rel for rel in writer.previous if rel.startswith("pagefind/"))
    if not writer.clean and previous and record.search_key == key:
        for rel in previous:
            writer.claim(rel)
            writer.record(rel, False)
        return key
    staged = set(writer.staged)
    pages = {}
    for plan in indexed:
        rel = output_file(plan.url, base)
        source = (writer.staging if rel in staged else writer.out_dir) / rel
        pages[rel] = source.read_bytes()
    for rel, data in index_pages(pages, config.language, cache_dir).items():
        writer.put(rel, data)
    return key
