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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import jinja2

from . import __version__
from .config import CONFIG_NAME, SiteConfig
from .diagnostics import Diagnostic, Level
from .feeds import FeedSpec, absolutize, editions_feed, feed_files
from .fingerprint import Fingerprinter, digest
from .model import Article, Site
from .output import Writer, stage_file
from .pages import EDITIONS_FEED, PageInfo, PagePlan
from .render import TemplateProblem, make_environment, render_page, site_globals, static_hashes
from .search import INDEXED_KINDS, SearchProblem, index_pages, pagefind_identity
from .sitemap import NEWS_SITEMAP, OPML, news_sitemap, robots, sitemap_files, sources_opml
from .theme import Theme
from .themedeps import site_dependencies
from .urls import absolute, output_file, under

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


def site_key(
    config: SiteConfig,
    theme: Theme,
    articles: list[Article],
    out_dir: Path,
    inputs: Sequence[str] = (),
) -> str:
    """Equal keys mean byte-identical output: nothing at all needs doing. `inputs`: whatever
    else decides the output (stories.yaml, the Google News sitemap's window on the clock)."""
    parts = [__version__, _config_key(config), theme.fingerprint(), str(out_dir), *inputs]
    if config.search:
        parts.append(pagefind_identity())
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
        key = digest(job.env_keys[plan.template], plan.template, _FPER[0].of(plan.context))
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
    worker_signals()


def worker_signals() -> None:
    """In a worker: Ctrl-C is the parent's to handle, and SIGTERM (the pool ending) must kill
    at once. Whatever handlers the parent had (serve's) must not be inherited: a worker blocked
    on the pool's queue would never run a Python handler, and the parent would wait forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


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
    search_key: str = ""  # what the search index was made from (indexed pages, Pagefind)

    @classmethod
    def load(cls, cache_dir: Path, out_dir: Path) -> Record:
        path = cache_dir / f"pages-{digest(str(out_dir))}.pickle"
        try:
            with path.open("rb") as handle:
                data = pickle.load(handle)
            if isinstance(data, dict) and data.get("version") == __version__:
                return cls(
                    path,
                    dict(data["keys"]),
                    set(data["files"]),
                    str(data["site_key"]),
                    str(data.get("search_key", "")),
                )
        except Exception:  # missing or damaged: everything is rendered and compared again
            pass
        return cls(path, {}, None)

    def save(self, keys: dict[str, str], files: set[str], site_key: str, search_key: str = "") -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            data = {
                "version": __version__,
                "keys": keys,
                "files": sorted(files),
                "site_key": site_key,
                "search_key": search_key,
            }
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.path)


def _lastmod(plan: PagePlan) -> str:
    article = plan.context.get("article")
    if isinstance(article, Article):
        return (article.updated or article.date).date().isoformat()
    return ""


EMAIL = "editions/latest/email.html"


def news_outputs(
    site: Site, config: SiteConfig, env: jinja2.Environment, news: Sequence[Article]
) -> dict[str, bytes]:
    """The outputs made from the whole site rather than page by page: the Google News sitemap,
    sources.opml, the editions feed and the newest edition as email HTML (raises
    TemplateProblem)."""
    base = config.base_path
    outputs = {
        under(base, NEWS_SITEMAP): news_sitemap(news, config),
        under(base, OPML): sources_opml(site.sources, config),
    }
    if config.editions != "none":
        outputs[under(base, EDITIONS_FEED)] = editions_feed(site.editions, config, under(base, "editions/"))
        if site.editions:
            outputs[under(base, EMAIL)] = email_html(site, config, env)
    return outputs


def email_html(site: Site, config: SiteConfig, env: jinja2.Environment) -> bytes:
    """The newest edition for a newsletter service: CSS inlined into style attributes (no
    <style> left), absolute URLs, no scripts."""
    import css_inline

    edition = site.editions[0]
    url = under(config.base_path, EMAIL)
    page = PageInfo(
        kind="email",
        title=f"No. {edition.number}: {edition.title}",
        url=url,
        canonical=absolute(config.base_url, edition.url),
    )
    html = render_page(env, PagePlan(url, "email.html", {"page": page, "edition": edition})).decode("utf-8")
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
) -> Emitted:
    """Render what changed into the writer's staging folder; the caller commits or aborts."""
    cache_dir = config.root / ".digest-cache"
    statics = theme.static_files()
    hashes = static_hashes(statics)
    globals_ = site_globals(config, site)
    env = make_environment(theme, config, globals_, hashes, cache_dir)
    config_key = _config_key(config)
    common = digest(__version__, theme.fingerprint(), repr(sorted(hashes.items())), config_key)
    fper = Fingerprinter()
    env_keys = {}
    for name, attrs in site_dependencies(env, {p.template for p in plans}).items():
        used = sorted(globals_) if "*" in attrs else sorted(a for a in attrs if a in globals_)
        env_keys[name] = digest(common, *(f"{a}={fper.of(globals_[a])}" for a in used))
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
            env_keys=env_keys,
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
    try:
        for url, data in news_outputs(site, config, env, news).items():
            writer.put(output_file(url, base), data)
    except TemplateProblem as exc:
        return Emitted([exc.diagnostic], keys)
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
    return Emitted([], keys, search_key)


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
