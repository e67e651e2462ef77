"""The outputs made from the whole site rather than page by page: sitemaps, robots.txt, the news
outputs (editions feed, email edition, Google News sitemap, sources.opml), the search index and
the theme's files; and the Sink they and the pages are written to.

Each whole-site output is keyed by its bytes' hash in the record, like a page by its inputs: a
file whose bytes are what the record says the output folder has is left as it is, not read
back to be compared. A warm build (engine/warm.py) of the same plan reuses the bytes it made
last time instead of making them again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from ..core.diagnostics import Diagnostic
from ..core.fingerprint import Fingerprinter, digest, hash_bytes
from ..core.model import Article
from ..core.urls import output_file, under
from ..plan.aliases import TEMPLATE as ALIAS_TEMPLATE
from ..plan.inputs import PagePlan
from ..plan.languages import Translation
from ..render.news import EMAIL, email_html, news_outputs
from ..render.search import INDEXED_KINDS, index_pages, pagefind_identity
from ..render.sitemap import robots, sitemap_files
from . import state
from .context import BuildContext
from .emit import RenderJob, template_id
from .record import Record, SiteKeys
from .warm import reused


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
    def claim_all(self, rels: frozenset[str]) -> None: ...
    def has(self, rel: str) -> bool: ...
    def put(self, rel: str, data: bytes) -> None: ...
    def record(self, rel: str, staged: bool) -> None: ...
    def read(self, rel: str) -> bytes: ...


@dataclass
class Emitted:
    """What the render stage made and keyed, for the record."""

    problems: list[Diagnostic]
    keys: dict[str, str]
    search_key: str = ""
    rendered: dict[str, int] = field(default_factory=dict)  # "page"/"feed" -> how many rendered
    templates: dict[str, str] = field(default_factory=dict)  # for the record
    contexts: dict[str, str] = field(default_factory=dict)  # for the record: URL -> context's key
    fingerprinted: int = 0  # pages whose fingerprint was computed
    search_pending: bool = False  # the search index was left as it was (BuildOptions.search_later)
    made: dict[str, tuple[str, ...]] = field(default_factory=dict)  # for the record (Record.made)

    def save(self, record: Record, files: set[str], keys: SiteKeys) -> None:
        """What the next build into the same folder compares with. An output whose search
        index is behind is not the whole output of these keys: the next build is no no-op."""
        if self.search_pending:
            keys = replace(keys, whole="")
        record.save(self.keys, files, keys, self.search_key, self.templates, self.contexts, self.made)


def site_outputs(
    ctx: BuildContext, job: RenderJob, sink: Sink, record: Record, emitted: Emitted, statics: dict[str, Path]
) -> None:
    """What is made from the whole site rather than page by page."""
    config, base = ctx.config, ctx.config.base_path
    skip = ("404.html", ALIAS_TEMPLATE)

    def sitemaps() -> dict[str, bytes]:
        entries = [(p.url, _lastmod(p), _hreflang(p)) for p in ctx.plans if p.template not in skip]
        return sitemap_files(entries, config)

    # the same plan (a warm build where only bodies changed) has the same sitemaps
    if not _kept_as_recorded(ctx, job, sink, record, emitted, "sitemaps"):
        made = _made(ctx, "sitemaps", (ctx.plans,), (config,), sitemaps)
        _put_made(sink, record, emitted, "sitemaps", made, base)
    sink.put(output_file(under(base, "robots.txt"), base), robots(config))
    for lang in ctx.sites:
        _news_outputs(ctx, job, sink, record, emitted, lang)
    if config.search:
        emitted.search_key = _search(ctx, sink, record, emitted)
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
    feeds = job.feeds
    assert feeds is not None
    news = ctx.news if config.language == ctx.config.language else None
    env = job.envs[lang]
    # the editions feed holds its editions' full text: the same site (a kept plan) with the same
    # bodies in its newest editions makes the same news outputs
    shown = [a for e in site.editions[: config.feed_items] for a in e.articles]
    if not _kept_as_recorded(ctx, job, sink, record, emitted, f"news:{lang}", shown):
        made = _made(
            ctx,
            f"news:{lang}",
            (site,),
            # (the kept articles take changed cards in place: bodyedits.keep_last_plan)
            (config, news, tuple(a.card_fp for a in news or ()), tuple(a.fp for a in shown)),
            lambda: news_outputs(site, config, env, news, feeds, email=False),
        )
        _put_made(sink, record, emitted, f"news:{lang}", made, base)
    if not keep_email and config.editions != "none" and site.editions:
        sink.put(email_rel, email_html(site, config, env))
    if keep_email:
        sink.claim(email_rel)
        sink.record(email_rel, False)
    if email_key:
        emitted.keys[email_url] = email_key


def _search(ctx: BuildContext, sink: Sink, record: Record, emitted: Emitted) -> str:
    """Index the article and story pages with Pagefind, unless none of them changed since the
    last build into this folder: then its files stay as they are. `digest serve`'s builds
    (BuildOptions.search_later) leave them as they are anyway, and say the index is behind:
    Pagefind reads every page, seconds a build for a site of hundreds of articles."""
    config, keys = ctx.config, emitted.keys
    # the pages of those kinds are the articles' and stories' (plan/pages.py)
    indexed = [p for p in ctx.plans if p.template.removesuffix(".html") in INDEXED_KINDS]
    # a one-language site's index is forced into its language; a multilingual site's is split by
    # each page's language, over the indexed pages of every language (ctx.plans holds them all)
    force = None if config.multilingual else config.language
    languages = force or ",".join(lang.code for lang in config.languages)
    key = digest(pagefind_identity(), languages, *(f"{p.url}={keys.get(p.url, '')}" for p in indexed))
    previous = sorted(rel for rel in sink.previous if rel.startswith("pagefind/"))
    current = bool(previous) and not sink.clean and record.search_key == key
    if current or ctx.options.search_later:
        for rel in previous if not sink.clean else ():
            sink.claim(rel)
            sink.record(rel, False)
        if current:
            return key
        emitted.search_pending = True
        return record.search_key if not sink.clean else ""
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
    article = plan.article
    if isinstance(article, Article):
        return (article.updated or article.date).date().isoformat()
    return ""


Made = dict[str, tuple[bytes, str]]  # URL -> (bytes, their key)


def _made(
    ctx: BuildContext,
    name: str,
    same: tuple[object, ...],
    equal: tuple[object, ...],
    make: Callable[[], dict[str, bytes]],
) -> Made:
    """`make()`'s outputs with their keys; a warm build takes those it made last time from
    the same objects and equal values (WarmState.reuse)."""

    def made() -> Made:
        return {url: (data, "h:" + hash_bytes(data)) for url, data in make().items()}

    return reused(ctx.warm, name, same, equal, made)


def _kept_as_recorded(
    ctx: BuildContext,
    job: RenderJob,
    sink: Sink,
    record: Record,
    emitted: Emitted,
    name: str,
    bodies: Sequence[Article] = (),
) -> bool:
    """A `digest build` after edits to bodies alone (RenderJob.bodies_only: the same settings,
    theme, plan and cards as the recorded build) keeps an output made of those and `bodies` as
    the recorded build made it, when those bodies are the recorded ones and the output folder
    still has its files: nothing is made again. Under serve, WarmState keeps what it made
    instead (`_made`)."""
    urls = record.made.get(name)
    if ctx.warm is not None or not job.bodies_only or sink.clean or not urls:
        return False
    if any(record.bodies.get(a.path) != a.fp for a in bodies):
        return False
    base = ctx.config.base_path
    rels = [(url, output_file(url, base)) for url in urls]
    if not all(url in record.keys and sink.has(rel) for url, rel in rels):
        return False
    for url, rel in rels:
        emitted.keys[url] = record.keys[url]
        sink.claim(rel)
        sink.record(rel, False)
    emitted.made[name] = urls
    return True


def _put_made(sink: Sink, record: Record, emitted: Emitted, name: str, made: Made, base: str) -> None:
    emitted.made[name] = tuple(made)
    for url, (data, key) in made.items():
        _put_keyed(sink, record, emitted, url, output_file(url, base), data, key)


def _put_keyed(
    sink: Sink, record: Record, emitted: Emitted, url: str, rel: str, data: bytes, key: str
) -> None:
    """`data` into `rel`, unless the record says the output folder has these bytes there."""
    emitted.keys[url] = key
    if not sink.clean and record.keys.get(url) == key and sink.has(rel):
        sink.claim(rel)
        sink.record(rel, False)
    else:
        sink.put(rel, data)
