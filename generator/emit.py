"""Render and write: pages through the theme, feeds, sitemap, robots.txt and theme assets.

A page is rendered only when its fingerprint (theme, settings, the site-wide summaries and
everything in its own context) differs from the last build's, or its file is missing; the rest
is left untouched. What must be rendered is spread over worker processes that inherit the
whole site through fork and write straight into the staging folder."""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import jinja2

from . import __version__
from .config import SiteConfig
from .diagnostics import Diagnostic
from .feeds import FeedSpec, feed_files
from .fingerprint import Fingerprinter, digest
from .model import Article, Site
from .output import Writer, stage_file
from .pages import PagePlan
from .render import TemplateProblem, make_environment, render_page, site_globals, static_hashes
from .sitemap import robots, sitemap_files
from .theme import Theme
from .urls import output_file, under

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
    env_key: str  # theme, settings and site-wide summaries: shared by every page
    feed_key: str  # settings: shared by every feed
    previous: dict[str, str]  # URL -> fingerprint in the last build into this folder


_JOB: list[_Job] = []  # set in the parent before forking; workers inherit it
_FPER: list[Fingerprinter] = []  # one per process

KEPT, STAGED, SAME = 0, 1, 2
Outcome = list[tuple[str, str, str, int]]  # (url, rel, fingerprint, KEPT/STAGED/SAME)


def feed_specs(site: Site, config: SiteConfig) -> list[FeedSpec]:
    specs = [FeedSpec(config.title, config.description, config.base_path, site.articles)]
    specs += [
        FeedSpec(f"{config.title}: {t.name}", f"Articles tagged {t.name}", t.url, t.articles)
        for t in site.tags
    ]
    specs += [
        FeedSpec(f"{config.title}: {s.name}", s.description or f"Articles from {s.name}", s.url, s.articles)
        for s in site.sources
    ]
    return specs


def site_key(config: SiteConfig, theme: Theme, articles: list[Article], out_dir: Path) -> str:
    """Equal keys mean byte-identical output: nothing at all needs doing."""
    parts = [__version__, _config_key(config), theme.fingerprint(), str(out_dir)]
    parts += [f"{a.path}={a.fp}" for a in sorted(articles, key=lambda a: a.path)]
    return digest(*parts)


def _config_key(config: SiteConfig) -> str:
    return repr([(f.name, getattr(config, f.name)) for f in fields(config) if f.name != "root"])


def _run(task: Task) -> Outcome | Diagnostic:
    """Fingerprint one page (or one page's three feeds); render it only when that changed."""
    job = _JOB[0]
    if not _FPER:
        _FPER.append(Fingerprinter())
    base = job.config.base_path
    kind, index = task
    if kind == "page":
        plan = job.plans[index]
        urls = [plan.url]
        key = digest(job.env_key, plan.template, _FPER[0].of(plan.context))
    else:
        spec = job.specs[index]
        urls = [spec.page_url + name for name in FEED_NAMES]
        items = spec.articles[: job.config.feed_items]
        key = digest(job.feed_key, spec.title, spec.description, spec.page_url, *(a.fp for a in items))
    rels = [output_file(url, base) for url in urls]
    if not job.clean and all(
        job.previous.get(url) == key and rel in job.existing for url, rel in zip(urls, rels, strict=True)
    ):
        return [(url, rel, key, KEPT) for url, rel in zip(urls, rels, strict=True)]
    try:
        outputs = {urls[0]: render_page(job.env, plan)} if kind == "page" else feed_files(spec, job.config)
    except TemplateProblem as exc:
        return exc.diagnostic
    done = []
    for url, data in outputs.items():
        rel = output_file(url, base)
        compare = rel in job.existing and not job.clean
        staged = stage_file(job.staging, job.out_dir, rel, data, compare)
        done.append((url, rel, key, STAGED if staged else SAME))
    return done


def _ignore_sigint() -> None:
    # Ctrl-C is the parent's to handle: workers just stop when it ends the pool
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_chunk(tasks: list[Task]) -> list[Outcome | Diagnostic]:
    return [_run(task) for task in tasks]


def _execute(tasks: list[Task], jobs: int, progress: Progress | None) -> list[Outcome | Diagnostic]:
    if jobs <= 1 or len(tasks) < PARALLEL_MIN or sys.platform == "win32":
        results = []
        for n, task in enumerate(tasks, start=1):
            results.append(_run(task))
            if progress is not None:
                progress("rendering", n, len(tasks))
        return results
    size = max(8, len(tasks) // (jobs * 16))
    chunks = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    results = []
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_ignore_sigint) as pool:
        for chunk in pool.imap(_run_chunk, chunks):
            results.extend(chunk)
            if progress is not None:
                progress("rendering", len(results), len(tasks))
    return results


@dataclass
class Record:
    """What the last build into one output folder wrote: each URL's fingerprint, and the files."""

    path: Path
    keys: dict[str, str]
    files: set[str] | None
    site_key: str = ""  # everything the whole output was made from

    @classmethod
    def load(cls, cache_dir: Path, out_dir: Path) -> Record:
        path = cache_dir / f"pages-{digest(str(out_dir))}.pickle"
        try:
            with path.open("rb") as handle:
                data = pickle.load(handle)
            if isinstance(data, dict) and data.get("version") == __version__:
                return cls(path, dict(data["keys"]), set(data["files"]), str(data["site_key"]))
        except Exception:  # missing or damaged: everything is rendered and compared again
            pass
        return cls(path, {}, None)

    def save(self, keys: dict[str, str], files: set[str], site_key: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            data = {"version": __version__, "keys": keys, "files": sorted(files), "site_key": site_key}
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.path)


def _lastmod(plan: PagePlan) -> str:
    article = plan.context.get("article")
    if isinstance(article, Article):
        return (article.updated or article.date).date().isoformat()
    return ""


def render_in_memory(site: Site, plans: list[PagePlan], config: SiteConfig, theme: Theme) -> dict[str, bytes]:
    """For `check`: every output by URL, nothing written (raises TemplateProblem)."""
    statics = theme.static_files()
    env = make_environment(theme, config, site_globals(config, site), static_hashes(statics))
    outputs = {plan.url: render_page(env, plan) for plan in plans}
    for spec in feed_specs(site, config):
        outputs.update(feed_files(spec, config))
    outputs.update(sitemap_files([(p.url, _lastmod(p)) for p in plans if p.template != "404.html"], config))
    outputs[under(config.base_path, "robots.txt")] = robots(config)
    for rel, path in statics.items():
        outputs[under(config.base_path, "static/" + rel)] = path.read_bytes()
    for rel, path in theme.site_files().items():
        outputs[under(config.base_path, rel)] = path.read_bytes()
    return outputs


@dataclass
class Emitted:
    problems: list[Diagnostic]
    keys: dict[str, str]


def write_site(
    site: Site,
    plans: list[PagePlan],
    config: SiteConfig,
    theme: Theme,
    writer: Writer,
    record: Record,
    jobs: int,
    progress: Progress | None,
) -> Emitted:
    """Render what changed into the writer's staging folder; the caller commits or aborts."""
    cache_dir = config.root / ".digest-cache"
    statics = theme.static_files()
    hashes = static_hashes(statics)
    globals_ = site_globals(config, site)
    env = make_environment(theme, config, globals_, hashes, cache_dir)
    config_key = _config_key(config)
    env_key = digest(
        __version__,
        theme.fingerprint(),
        repr(sorted(hashes.items())),
        config_key,
        Fingerprinter().of(globals_),
    )
    base = config.base_path
    specs = feed_specs(site, config)
    for plan in plans:
        writer.claim(output_file(plan.url, base))
    for spec in specs:
        for name in FEED_NAMES:
            writer.claim(output_file(spec.page_url + name, base))
    for name in {p.template for p in plans}:  # compile once, before forking
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
            env_key=env_key,
            feed_key=digest(__version__, config_key),
            previous={} if writer.clean else record.keys,
        )
    ]
    _FPER.clear()
    tasks: list[Task] = [("page", i) for i in range(len(plans))] + [("feed", i) for i in range(len(specs))]
    problems: list[Diagnostic] = []
    keys: dict[str, str] = {}
    try:
        for result in _execute(tasks, jobs, progress):
            if isinstance(result, Diagnostic):
                if result not in problems:
                    problems.append(result)
                continue
            for url, rel, key, outcome in result:
                keys[url] = key
                if outcome == KEPT:
                    writer.unchanged += 1
                else:
                    writer.record(rel, outcome == STAGED)
    finally:
        _JOB.clear()
        _FPER.clear()
    if problems:
        return Emitted(problems, keys)
    entries = [(p.url, _lastmod(p)) for p in plans if p.template != "404.html"]
    for url, data in sitemap_files(entries, config).items():
        writer.put(output_file(url, base), data)
    writer.put(output_file(under(base, "robots.txt"), base), robots(config))
    for rel, path in statics.items():
        writer.put(output_file(under(base, "static/" + rel), base), path.read_bytes())
    for rel, path in theme.site_files().items():
        writer.put(output_file(under(base, rel), base), path.read_bytes())
    return Emitted([], keys)
