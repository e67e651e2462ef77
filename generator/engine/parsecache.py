"""The persistent per-article cache, in the cache folder (state.py): parse results keyed by
the file's content hash and everything else that changes them. A file whose size and mtime are
unchanged is not even read, unless its mtime is too close to the cache's own write time to be
trusted (a file saved twice within one clock tick keeps its mtime). A corrupt or foreign cache
is discarded with a warning, never trusted."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..core.diagnostics import Diagnostics
from ..core.fingerprint import digest
from ..parse.commonmark import engine_name
from ..parse.parsed import Parsed
from ..read.config import SiteConfig
from ..read.sources import Registry
from . import state

VARIANTS = 3  # settings variants kept side by side (e.g. `digest serve`'s and `build`'s base_url)
# mtimes this close to the cache's write time may hide a second write in the same tick
RACY_NS = 2_000_000_000


class Seen(NamedTuple):
    """What the parse cache knew of every article file after parsing (lastselection.py)."""

    key: str  # the cache's key (cache_key)
    files: str  # files_key of each file's size and mtime, as the cache trusts them
    trusted_below: int  # the cache's write time, less the racy interval (parsecache.RACY_NS)


def files_key(files: dict[str, tuple[int, int]]) -> str:
    """One key of article files' sizes and mtimes (a key, not the files: the build holds it
    to its end, and 10,000 files' stamps are a megabyte)."""
    return digest(*[f"{rel}:{size}:{mtime}" for rel, (size, mtime) in files.items()])


@dataclass
class Entry:
    """One article file as last parsed: its stat, hash and result."""

    size: int
    mtime_ns: int
    sha: str
    parsed: Parsed


@dataclass
class ParseCache:
    """The parsed articles of one settings variant, by file."""

    path: Path
    fingerprint: str
    entries: dict[str, Entry] = field(default_factory=dict)
    written_ns: int = 0
    dirty: bool = False
    # the main file holds every entry as of `base_ns`; the journal beside it, the entries
    # changed since (None: removed). A small edit then rewrites the journal, not 10,000 entries
    base_ns: int = 0
    pending: dict[str, Entry | None] = field(default_factory=dict)
    # in memory only: the articles' shared Source and Tag objects (parsing.py _intern), so that
    # a build in the same process interns only the files it parsed
    canon: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, root: Path, fingerprint: str, diags: Diagnostics) -> ParseCache:
        # one file per settings fingerprint, so that alternating settings (serve's preview
        # base_url, then build's) do not invalidate each other
        path = state.parse_cache_file(root, fingerprint)
        cache = cls(path=path, fingerprint=fingerprint)
        try:
            data = _stored(path, "articles")
            if data is None:
                return cache
            if data.get("fingerprint") != fingerprint:
                cache.dirty = True  # settings changed: every article is parsed again
                return cache
            if not isinstance(data.get("entries"), dict):
                raise ValueError("unexpected contents")
            cache.entries = data["entries"]
            cache.written_ns = cache.base_ns = int(data.get("written_ns", 0))
            cache._apply_journal()
        except Exception as exc:  # any damage at all: start afresh
            diags.warning(path, 0, f"cache discarded and rebuilt ({exc}); nothing to do")
            cache.clear()
        return cache

    def clear(self) -> None:
        """Forget every entry; the next save writes the whole (empty) cache."""
        self.entries = {}
        self.pending = {}
        self.base_ns = 0
        self.dirty = True

    @property
    def journal_path(self) -> Path:
        return self.path.with_suffix(".journal")

    def _apply_journal(self) -> None:
        journal = _stored(self.journal_path, "journal")
        if journal is None:
            return
        if not isinstance(journal.get("changes"), dict):
            raise ValueError("unexpected journal contents")
        if journal.get("base") != self.base_ns:
            return  # written against an older main file: that file has it all
        self.pending = journal["changes"]
        for rel, entry in self.pending.items():
            if entry is None:
                self.entries.pop(rel, None)
            else:
                self.entries[rel] = entry
        self.written_ns = int(journal["written_ns"])

    def by_stamp(self, rel: str, size: int, mtime_ns: int) -> Parsed | None:
        """The entry of a file of this size and mtime, unless its mtime is racy."""
        entry = self.entries.get(rel)
        if entry is None or entry.size != size or entry.mtime_ns != mtime_ns:
            return None
        if mtime_ns >= self.written_ns - RACY_NS:
            return None
        return entry.parsed

    def by_hash(self, rel: str, sha: str, stat: os.stat_result) -> Parsed | None:
        entry = self.entries.get(rel)
        if entry is None or entry.sha != sha:
            return None
        if entry.mtime_ns != stat.st_mtime_ns or entry.size != stat.st_size:
            self.store(rel, stat, sha, entry.parsed)
        return entry.parsed

    def store(self, rel: str, stat: os.stat_result, sha: str, parsed: Parsed) -> None:
        self.entries[rel] = self.pending[rel] = Entry(stat.st_size, stat.st_mtime_ns, sha, parsed)
        self.dirty = True

    def forget(self, rels: Iterable[str]) -> None:
        """Drop these entries: their files are parsed again."""
        for rel in list(rels):
            del self.entries[rel]
            self.pending[rel] = None
            self.dirty = True

    def keep_only(self, rels: set[str]) -> None:
        stale = [rel for rel in self.entries if rel not in rels]
        for rel in stale:
            del self.entries[rel]
            self.pending[rel] = None
        self.dirty = self.dirty or bool(stale)

    def save(self) -> None:
        """Write what changed: the journal when few entries did, else the whole cache."""
        # rewrite when anything changed, and also when racy entries exist, so that they
        # become trustworthy once the clock has moved on
        racy = any(e.mtime_ns >= self.written_ns - RACY_NS for e in self.entries.values())
        if not (self.dirty or racy):
            return
        now = time.time_ns()
        if self.base_ns and self.path.exists() and len(self.pending) <= max(64, len(self.entries) // 50):
            journal = {"base": self.base_ns, "written_ns": now, "changes": self.pending}
            state.save(self.journal_path, "journal", journal)
        else:
            content = {"fingerprint": self.fingerprint, "written_ns": now, "entries": self.entries}
            state.save(self.path, "articles", content)
            self.journal_path.unlink(missing_ok=True)
            self.base_ns = now
            self.pending = {}
        self.written_ns = now
        self._write_body_keys()
        self._drop_old_variants()

    def _write_body_keys(self) -> None:
        keys = sorted({e.parsed.article.body_key for e in self.entries.values() if e.parsed.article})
        # replaced whole, never truncated: a build killed here must not leave a short list that
        # would let another settings variant prune bodies this one still uses
        state.write_bytes(self.path.with_suffix(".bodies"), "\n".join(keys).encode("ascii"))

    def _drop_old_variants(self) -> None:
        """Keep VARIANTS parse caches of this version, and no journal or body list whose
        cache is gone (they would keep its bodies forever)."""
        folder = self.path.parent
        for old in state.outdated(folder.glob("articles-*.pickle"), "articles", VARIANTS):
            old.unlink(missing_ok=True)
        for side in [*folder.glob("articles-*.bodies"), *folder.glob("articles-*.journal")]:
            if not side.with_suffix(".pickle").exists():
                side.unlink(missing_ok=True)

    def bodies_in_use(self) -> set[str]:
        """Body keys referred to by this cache and by the other variants kept beside it."""
        keys = {e.parsed.article.body_key for e in self.entries.values() if e.parsed.article}
        for sidecar in self.path.parent.glob("articles-*.bodies"):
            if sidecar != self.path.with_suffix(".bodies"):
                # unreadable: its variant finds its bodies gone and parses its files again
                with contextlib.suppress(OSError, ValueError):
                    keys.update(sidecar.read_text(encoding="ascii").split())
        return keys


def _stored(path: Path, kind: str) -> dict[str, Any] | None:
    """The dict stored at `path`; None when there is no file; ValueError when it is unusable."""
    stored = state.load(path, kind)
    if stored.problem:
        raise ValueError(stored.problem)
    if stored.value is not None and not isinstance(stored.value, dict):
        raise ValueError("unexpected contents")
    return stored.value


def fingerprint(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def cache_key(config: SiteConfig, registry: Registry) -> str:
    """The parse cache's key: the settings that shape what a file parses to."""
    return fingerprint(
        config.base_url,
        config.timezone,
        config.language,
        config.article_permalink,
        config.default_source,
        config.sanitize_html,
        config.nofollow_links,
        config.strip_tracking,
        config.feeds,  # tags' and sources' feed_url
        bool(config.links_root),  # root-relative links held for resolving, or under the base path
        registry,
        engine_name(config.markdown),
        *((config.languages,) if config.languages else ()),  # articles' languages and URLs
    )
