"""The parse stage: every article file -> Parsed, through the cache, on all cores when there is
enough to do. Workers read and hash the files themselves, so no text crosses processes."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from ..core.diagnostics import Diagnostic, Diagnostics, Level
from ..core.model import evolve
from ..parse.commonmark import engine
from ..parse.parsed import Parsed
from ..read.config import SiteConfig
from ..read.content import MAX_BYTES, article_rel, decode, find_articles, too_large
from ..read.sources import Registry
from . import state
from .parsecache import RACY_NS, ParseCache, Seen, cache_key, files_key
from .process import STATE, count, use_store
from .store import BodyStore, pack_of, worn_packs
from .tasks import Failed, run_serially
from .testhooks import crash, parallel_min, pause
from .warm import KeptParse, WarmState

PARALLEL_MIN = 64  # below this, starting processes costs more than it saves

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class _Done:
    """One file read and parsed, or found unchanged."""

    rel: str
    stat: os.stat_result | None
    sha: str
    parsed: Parsed | None  # None: unchanged (known_sha matched) or unreadable
    problem: Diagnostic | None


@dataclass(frozen=True)
class _ParseJob:
    """What every file's parse needs, set in the engine's state before forking."""

    config: SiteConfig
    registry: Registry


def _work(task: tuple[str, str]) -> _Done:
    rel, known_sha = task
    job = STATE.job
    assert isinstance(job, _ParseJob)
    config, registry = job.config, job.registry
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
    crash("parse", rel)
    from ..parse.article import parse_article  # the Markdown stack: only when a file is parsed

    try:
        parsed = parse_article(rel, text, config, registry)
    except Exception as exc:  # a library (YAML, HTML, Babel) or digest itself failing on this file
        message = (
            f"digest failed on this file ({type(exc).__name__}: {exc}); the rest of the site was "
            "parsed. Please report it with the file attached (DIGEST_DEBUG=1 shows where)"
        )
        if os.environ.get("DIGEST_DEBUG"):
            raise
        return _Done(rel, stat, sha, None, Diagnostic(shown, 0, Level.ERROR, message[:600]))
    if parsed.article is not None and STATE.bodies.active:
        article = parsed.article
        moved = evolve(article, body_html="", body_key=STATE.bodies.save(article.body_html))
        parsed = replace(parsed, article=moved)
    return _Done(rel, stat, sha, parsed, None)


@contextmanager
def _pack(tasks: Sequence[tuple[str, str]]) -> Iterator[None]:
    """The bodies of one chunk of files go to one pack."""
    store = STATE.bodies
    if store.active and tasks:
        store.begin(f"{time.time_ns()}:{tasks[0][0]}")
    try:
        yield
    finally:
        store.end()


def _run(
    tasks: list[tuple[str, str]], config: SiteConfig, registry: Registry, jobs: int, progress: Progress | None
) -> list[_Done]:
    if not tasks:  # nothing to parse: not even the worker pool is imported
        return []
    STATE.job = _ParseJob(config, registry)
    serial = jobs <= 1 or len(tasks) < parallel_min(PARALLEL_MIN) or sys.platform == "win32"
    told = None if progress is None else lambda n: progress("parsing", n, len(tasks))
    if serial:  # a few files: not even the worker pool (multiprocessing) is imported
        results = run_serially(tasks, _work, around_chunk=_pack, progress=told)
    else:
        from .workers import run_tasks

        engine()  # load the Markdown engine once, before forking, so workers inherit it
        results = run_tasks(
            tasks,
            _work,
            workers=jobs,
            chunk_size=max(8, len(tasks) // (jobs * 8)),
            around_chunk=_pack,
            progress=told,
        )
    STATE.job = None
    done: list[_Done] = []
    skipped: list[tuple[str, Failed]] = []
    for (rel, _), result in zip(tasks, results, strict=True):
        if not isinstance(result, Failed):
            done.append(result)
        elif result.ran:
            done.append(_crashed(rel, result))
        else:
            skipped.append((rel, result))
    if skipped:  # one message for them all: there may be thousands
        rel, failure = skipped[0]
        message = (
            f"{len(skipped)} files were not parsed: {failure.how}; fix or remove the files named "
            "above and build again"
        )
        done.append(_Done(rel, None, "", None, Diagnostic("content", 0, Level.ERROR, message)))
    return done


def _crashed(rel: str, failure: Failed) -> _Done:
    message = (
        f"parsing this file {failure.how}, most likely in the Markdown, YAML or HTML library; "
        "digest went on with the other files. Fix or remove this file, or report the crash with "
        "the file attached"
    )
    return _Done(rel, None, "", None, Diagnostic(f"content/{rel}", 0, Level.ERROR, message))


def _intern(found: dict[str, Parsed], canon: dict[object, object], only: Iterable[str] | None = None) -> None:
    """Articles of one outlet share one Source object, and of one tag one Tag: less memory, and
    a smaller, faster cache. `canon` holds the shared objects (ParseCache.canon); `only`: the
    files to intern when the others were interned into it already."""
    known = {id(value) for value in canon.values()}  # most are met again: no hashing needed

    def one(value: object) -> object:
        if id(value) in known:
            return value
        chosen = canon.setdefault(value, value)
        known.add(id(chosen))
        return chosen

    for rel in found if only is None else only:
        parsed = found[rel]
        article = parsed.article
        if article is None:
            continue
        source = one(article.source)
        tags = tuple(one(t) for t in article.tags)
        if source is not article.source or any(a is not b for a, b in zip(tags, article.tags, strict=True)):
            found[rel] = replace(parsed, article=evolve(article, source=source, tags=tags))


def _files(config: SiteConfig, warm: WarmState | None) -> tuple[list[str], frozenset[str] | None]:
    """Every article file, and the ones that may have changed since the last build in this
    process (None: any). `digest serve` hands its watcher's changed paths to a warm build
    (WarmState.hint): the files it names are looked at, the others are as they were. A path
    that is not an article file (a folder made, moved or deleted) means a walk of content/."""
    content = config.content_dir
    hint = warm.hint if warm is not None else None
    listing = warm.listing if warm is not None else None
    if hint is None or listing is None or listing[0] != content:
        return find_articles(content), None
    changed = set()
    for path in hint:
        rel = article_rel(path, content)
        if rel is None:
            return find_articles(content), None
        changed.add(rel)
    count("parse:hinted")  # tests: the watcher's paths were enough
    rels = listing[1]  # sorted; the very list when no file came or went (parse_all keeps by it)
    for rel in sorted(changed):
        i = bisect_left(rels, rel)
        listed, there = i < len(rels) and rels[i] == rel, (content / rel).is_file()
        if listed != there:
            rels = list(rels) if rels is listing[1] else rels
            if there:
                rels.insert(i, rel)
            else:
                del rels[i]
    return rels, frozenset(changed)


def _listed(rels: list[str], rel: str) -> bool:
    """`rel` is in the sorted list `rels`."""
    i = bisect_left(rels, rel)
    return i < len(rels) and rels[i] == rel


def _parse_cache(config: SiteConfig, key: str, diags: Diagnostics, warm: WarmState | None) -> ParseCache:
    """The parse cache of these settings: the one the last build in this process saved (the
    same object, saved again below), else the one on disk."""
    kept = warm.parse_cache if warm is not None else None
    if kept is not None and kept.fingerprint == key and kept.path == state.parse_cache_file(config.root, key):
        return kept
    cache = ParseCache.load(config.root, key, diags)
    if warm is not None:
        warm.parse_cache = cache
    return cache


def save_deferred(warm: WarmState, diags: Diagnostics) -> None:
    """The parse cache that a build under serve left to its end (parse_all)."""
    cache, warm.unsaved = warm.unsaved, None
    if cache is not None:
        with _warned(cache, diags):
            cache.save()


@contextmanager
def _warned(cache: ParseCache, diags: Diagnostics) -> Iterator[None]:
    """A cache that cannot be written is a warning: builds stay correct."""
    try:
        yield
    except OSError as exc:
        diags.warning(cache.path, 0, f"cannot write the cache ({exc}); builds stay correct but slower")


def parse_all(
    config: SiteConfig,
    registry: Registry,
    diags: Diagnostics,
    jobs: int,
    progress: Progress | None,
    warm: WarmState | None = None,
    stamps: dict[str, tuple[int, int] | None] | None = None,
) -> tuple[dict[str, Parsed], dict[str, str], int, Seen | None]:
    """Parsed articles by path, the key of each (content hash + settings) for fingerprints,
    how many files had to be parsed (the rest came from the cache), and what the cache saw of
    every file (lastselection.py). `stamps`: every article file with its size and mtime, found
    already (else walked here, and nothing is said of what the cache saw)."""
    listed = warm.listing[1] if warm is not None and warm.listing is not None else None
    kept = warm.parsed if warm is not None else None
    if warm is not None:
        warm.parsed = None  # this build's, once made
    if stamps is not None:  # walked and looked at already (stages.parse_files)
        rels, changed = list(stamps), None
    else:
        rels, changed = _files(config, warm)
    key = cache_key(config, registry)
    html_dir = state.html_dir(config.root)
    cache = _parse_cache(config, key, diags, warm)
    store = BodyStore(html_dir)
    use_store(store)
    # bodies live beside the cache: an entry whose pack is gone is parsed again, and so are
    # the entries in a pack mostly made of replaced bodies, so that the pack can go. A build
    # that looks only at the watcher's paths (a save under serve) leaves that to the next walk
    redo: set[str] = set()
    if changed is None:
        sizes = store.packs()
        in_use = cache.bodies_in_use()
        redo = worn_packs(in_use, sizes) | ({pack_of(k) for k in in_use if ":" in k} - sizes.keys())
    if redo:
        cache.forget(
            rel
            for rel, entry in cache.entries.items()
            if entry.parsed.article is not None and pack_of(entry.parsed.article.body_key) in redo
        )
    # a save under serve, with the same cache and settings as the last build in this process,
    # which read every file it listed: its results stand for every file the watcher did not name
    if kept is not None and (changed is None or kept.rels is not listed or len(kept.out) != len(listed)):
        kept = None
    if kept is not None and (kept.cache is not cache or kept.key != key):
        kept = None
    found: dict[str, Parsed] = {}
    tasks: list[tuple[str, str]] = []
    folder = f"{config.content_dir}{os.sep}"
    entries = cache.entries
    named = [rel for rel in sorted(changed) if _listed(rels, rel)] if kept is not None and changed else None
    for rel in rels if named is None else named:
        if changed is not None and rel not in changed:
            entry = entries.get(rel)
            if entry is not None:  # the watcher saw no change to it since the last build
                found[rel] = entry.parsed
                continue
        if stamps is not None:
            stamp = stamps[rel]
        else:
            try:
                stat = os.stat(folder + rel)
            except OSError:
                stamp = None
            else:
                stamp = (stat.st_size, stat.st_mtime_ns)
        hit = cache.by_stamp(rel, *stamp) if stamp is not None else None
        if hit is not None:
            found[rel] = hit
        else:
            entry = cache.entries.get(rel)
            tasks.append((rel, entry.sha if entry else ""))
    parsed_count = 0
    fresh: list[str] = []
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
            fresh.append(done.rel)
        found[done.rel] = parsed
    # a cache kept from the last build in this process has its entries interned already: only
    # the fresh ones are. One read from disk shares them as they were saved (pickle keeps shared
    # objects shared) and is interned whole (canon filled) when many files were parsed (a cold
    # build, new settings): not for a no-op, nor for a few edited files, whose copies of a
    # Source or Tag cost a few hundred bytes (the journal that stores them holds its own anyway)
    if fresh and (cache.canon or len(fresh) * 20 >= len(rels)):
        only = fresh if cache.canon else None
        _intern(found, cache.canon, only)
        for rel in found if only is None else only:  # the interned objects, into the cache
            entry = cache.entries.get(rel)
            if entry is not None:
                entry.parsed = found[rel]
    if kept is not None and changed is not None and rels is listed and changed <= found.keys():
        # no file came or went: the last results with the named files' in their places
        count("parse:kept")  # tests: the last results were taken
        out, keys = dict(kept.out), dict(kept.keys)
        for rel in changed:
            out[rel], keys[rel] = found[rel], f"{cache.entries[rel].sha}:{key}"
        noisy = [r for r in kept.noisy if r not in changed]
        noisy = sorted(noisy + [r for r in changed if found[r].diagnostics])
    elif kept is not None and changed is not None:
        # files came or went, or a named one could not be read: in the listing's order again
        count("parse:kept")
        last, known = kept.out, kept.keys
        out = {}
        for rel in rels:
            got = found.get(rel) if rel in changed else last[rel]
            if got is not None:
                out[rel] = got
        keys = {rel: f"{cache.entries[rel].sha}:{key}" if rel in changed else known[rel] for rel in out}
        noisy = [r for r in kept.noisy if r not in changed and r in out]
        noisy = sorted(noisy + [r for r in changed if r in found and found[r].diagnostics])
    else:
        out = {rel: found[rel] for rel in rels if rel in found}
        keys = {rel: f"{cache.entries[rel].sha}:{key}" for rel in out}
        noisy = [rel for rel, parsed in out.items() if parsed.diagnostics]
    if changed is None or len(cache.entries) != len(out):
        cache.keep_only(set(out))
    if warm is not None and changed is not None:
        # a save under serve: the cache is for the next process, saved once this build has
        # handed the open pages over (save_deferred), not before everything else
        warm.unsaved = cache
    else:
        with _warned(cache, diags):
            dirty = cache.dirty
            cache.save()
            if dirty and changed is None:
                store.prune(cache.bodies_in_use())
    pause("parse")
    if warm is not None:
        warm.listing, warm.hint = (config.content_dir, rels), None
        warm.parsed = KeptParse(cache, key, rels, out, keys, noisy)
    for rel in noisy:
        diags.items.extend(out[rel].diagnostics)
    seen = None
    if stamps is not None and len(out) == len(rels):  # only for a build that keeps its selection
        files = {rel: (entry.size, entry.mtime_ns) for rel in rels for entry in (cache.entries[rel],)}
        seen = Seen(key, files_key(files), cache.written_ns - RACY_NS)
    return out, keys, parsed_count, seen
