"""The parse stage: every article file -> Parsed, through the cache, on all cores when there is
enough to do. Workers read and hash the files themselves, so no text crosses processes."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from . import store
from .article import Parsed, parse_article
from .cache import CACHE_DIR, ParseCache, fingerprint
from .config import SiteConfig
from .content import MAX_BYTES, decode, find_articles, too_large
from .diagnostics import Diagnostic, Diagnostics, Level
from .markdown import engine
from .model import evolve
from .sources import Registry
from .testhooks import pause

PARALLEL_MIN = 64  # below this, starting processes costs more than it saves

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class _Done:
    rel: str
    stat: os.stat_result | None
    sha: str
    parsed: Parsed | None  # None: unchanged (known_sha matched) or unreadable
    problem: Diagnostic | None


_STATE: dict[str, object] = {}


def _init_worker(config: SiteConfig, registry: Registry, in_pool: bool = False) -> None:
    if in_pool:
        from .emit import worker_signals

        worker_signals()
    _STATE["config"] = config
    _STATE["registry"] = registry


def _work(task: tuple[str, str]) -> _Done:
    rel, known_sha = task
    config = _STATE["config"]
    registry = _STATE["registry"]
    assert isinstance(config, SiteConfig) and isinstance(registry, Registry)
    path = config.content_dir / rel
    shown = f"content/{rel}"
    try:
        stat = path.stat()
        if stat.st_size > MAX_BYTES:  # refused unread: memory stays bounded whatever the file
            return _Done(rel, None, "", None, too_large(shown, stat.st_size))
        data = path.read_bytes()
    except OSError as exc:
        return _Done(
            rel, None, "", None, Diagnostic(shown, 0, Level.ERROR, f"cannot read it: {exc.strerror or exc}")
        )
    sha = hashlib.sha256(data).hexdigest()
    if sha == known_sha:
        return _Done(rel, stat, sha, None, None)
    text, problem = decode(shown, data)
    if problem is not None or text is None:
        return _Done(rel, stat, sha, None, problem)
    parsed = parse_article(rel, text, config, registry)
    if parsed.article is not None and store.active():
        article = parsed.article
        moved = evolve(article, body_html="", body_key=store.save(article.body_html))
        parsed = replace(parsed, article=moved)
    return _Done(rel, stat, sha, parsed, None)


def _begin_pack(tasks: list[tuple[str, str]]) -> None:
    if store.active() and tasks:
        store.begin(f"{time.time_ns()}:{tasks[0][0]}")


def _work_chunk(tasks: list[tuple[str, str]]) -> list[_Done]:
    _begin_pack(tasks)
    try:
        return [_work(task) for task in tasks]
    finally:
        store.end()


def _run(
    tasks: list[tuple[str, str]], config: SiteConfig, registry: Registry, jobs: int, progress: Progress | None
) -> list[_Done]:
    _init_worker(config, registry)
    if jobs <= 1 or len(tasks) < PARALLEL_MIN or sys.platform == "win32":
        done = []
        _begin_pack(tasks)
        try:
            for n, task in enumerate(tasks, start=1):
                done.append(_work(task))
                if progress is not None:
                    progress("parsing", n, len(tasks))
        finally:
            store.end()
        return done
    engine()  # load the Markdown engine once, before forking, so workers inherit it
    size = max(8, len(tasks) // (jobs * 8))
    chunks = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    context = multiprocessing.get_context("fork")
    done = []
    with context.Pool(jobs, initializer=_init_worker, initargs=(config, registry, True)) as pool:
        for result in pool.imap(_work_chunk, chunks):
            done.extend(result)
            if progress is not None:
                progress("parsing", len(done), len(tasks))
    return done


def _intern(found: dict[str, Parsed]) -> None:
    """Articles of one outlet share one Source object, and of one tag one Tag: less memory, and
    a smaller, faster cache."""
    canon: dict[object, object] = {}
    known: set[int] = set()  # ids of canonical objects: most are met again, no hashing needed

    def one(value: object) -> object:
        if id(value) in known:
            return value
        chosen = canon.setdefault(value, value)
        known.add(id(chosen))
        return chosen

    for rel, parsed in found.items():
        article = parsed.article
        if article is None:
            continue
        source = one(article.source)
        tags = tuple(one(t) for t in article.tags)
        if source is not article.source or any(a is not b for a, b in zip(tags, article.tags, strict=True)):
            found[rel] = replace(parsed, article=evolve(article, source=source, tags=tags))


def parse_all(
    config: SiteConfig, registry: Registry, diags: Diagnostics, jobs: int, progress: Progress | None
) -> tuple[dict[str, Parsed], dict[str, str], int]:
    """Parsed articles by path, the key of each (content hash + settings) for fingerprints, and
    how many files had to be parsed (the rest came from the cache)."""
    rels = find_articles(config.content_dir)
    key = fingerprint(
        config.base_url,
        config.timezone,
        config.language,
        config.article_permalink,
        config.default_source,
        config.sanitize_html,
        config.nofollow_links,
        config.strip_tracking,
        registry,
        engine(config.markdown).name,
    )
    html_dir = config.root / CACHE_DIR / "html"
    cache = ParseCache.load(config.root, key, diags)
    store.configure(html_dir)
    # bodies live beside the cache: an entry whose pack is gone is parsed again, and so are
    # the entries in a pack mostly made of replaced bodies, so that the pack can go
    sizes = store.packs()
    in_use = cache.bodies_in_use()
    redo = store.worn_packs(in_use, sizes) | ({store.pack_of(k) for k in in_use if ":" in k} - sizes.keys())
    if redo:
        cache.forget(
            rel
            for rel, entry in cache.entries.items()
            if entry.parsed.article is not None and store.pack_of(entry.parsed.article.body_key) in redo
        )
    found: dict[str, Parsed] = {}
    tasks: list[tuple[str, str]] = []
    folder = f"{config.content_dir}{os.sep}"
    for rel in rels:
        try:
            stat = os.stat(folder + rel)
        except OSError:
            stat = None
        hit = cache.by_stat(rel, stat) if stat is not None else None
        if hit is not None:
            found[rel] = hit
        else:
            entry = cache.entries.get(rel)
            tasks.append((rel, entry.sha if entry else ""))
    parsed_count = 0
    for done in _run(tasks, config, registry, jobs, progress):
        if done.problem is not None:
            diags.items.append(done.problem)
            continue
        assert done.stat is not None
        parsed = done.parsed or cache.by_hash(done.rel, done.sha, done.stat)
        if parsed is None:  # pragma: no cover - a known hash always has its entry
            continue
        if done.parsed is not None:
            parsed_count += 1
            cache.store(done.rel, done.stat, done.sha, parsed)
        found[done.rel] = parsed
    _intern(found)
    for rel, parsed in found.items():
        entry = cache.entries.get(rel)
        if entry is not None:
            entry.parsed = parsed
    cache.keep_only(set(found))
    try:
        dirty = cache.dirty
        cache.save()
        if dirty:
            store.prune(cache.bodies_in_use())
    except OSError as exc:
        diags.warning(cache.path, 0, f"cannot write the cache ({exc}); builds stay correct but slower")
    pause("parse")
    out = {rel: found[rel] for rel in rels if rel in found}
    for parsed in out.values():
        diags.items.extend(parsed.diagnostics)
    keys = {rel: f"{cache.entries[rel].sha}:{key}" for rel in out}
    return out, keys, parsed_count
