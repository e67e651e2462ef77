"""What the last select_articles and check_site made, kept on disk for the next `digest build`
(another process, with no warm state): each selected article's path, fingerprint and date,
what those stages reported, and what they were made from.

A build that finds every input the same (the settings and build options, sources.yaml,
tags.yaml, stories.yaml, every article file by the size and mtime the parse cache trusts, and a
clock that selects the same articles) has the same selection and fingerprints, so it makes the
site's keys from these (record.site_keys and lastbuild.nothing_to_do, as
compare_with_last_build uses them) at the start of parse_files, without loading the parse
cache, selecting or fingerprinting. That serves one purpose only: finding that nothing changed.
If anything did, the build runs every stage as it always does.

The file is a pure function of those inputs: whichever build saves it, it holds what the
stages made of them, and a file of another digest version or format is no file (state.py)."""

from __future__ import annotations

import contextlib
import os
import pickle
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from ..core.diagnostics import Diagnostic, Level
from ..core.fingerprint import digest
from ..core.model import Article
from ..render.sitemap import news_window
from . import state
from .bodyedits import settings
from .context import BuildContext
from .lastbuild import find_record, key_inputs, nothing_to_do
from .parsecache import Seen, cache_key, files_key
from .process import count
from .record import site_keys


class Kept(NamedTuple):
    """A selected article as the site's keys and the Google News window read it."""

    path: str
    fp: str
    card_fp: str
    date: datetime  # in UTC


# a file's size and mtime, as the parse cache compares them (parsecache.by_stamp)
Stamp = tuple[int, int]


class Made(NamedTuple):
    """What the stages made: read only once everything they were made from is known to hold
    (a build that goes on never unpickles it)."""

    articles: list[tuple[str, str, str, datetime]]  # Kept, in the order select_articles left them
    notes: list[Diagnostic]  # what parse_files, select_articles and check_site reported
    drafts_left_out: int
    future_left_out: list[Article]


@dataclass(frozen=True)
class LastSelection:
    """The last build's selection of articles, with what it was made of."""

    inputs: str  # the key of the settings, options and YAML files (inputs_key)
    files: str  # files_key of every article file found, as parsed
    trusted_below: int  # mtimes from here on may hide a second write (parsecache.RACY_NS)
    now: datetime  # the clock it selected by
    due: datetime | None  # when the first future article left out comes due
    warned: bool  # whether the notes hold a warning (which --strict makes an error)
    made: bytes  # Made, pickled

    def holds(self, inputs: str, files: dict[str, Stamp], now: datetime, strict: bool) -> bool:
        """Whether the stages would make what they made last time: the same inputs, every
        file as it was and not racy, the clock not gone back nor past a left-out article's
        date; and under --strict, nothing that check_site would make an error."""
        if inputs != self.inputs or (strict and self.warned):
            return False
        if not self.now <= now or (self.due is not None and now >= self.due):
            return False
        if any(mtime >= self.trusted_below for _, mtime in files.values()):
            return False
        return files_key(files) == self.files

    def what_was_made(self) -> Made | None:
        try:
            made = pickle.loads(self.made)
        except Exception:  # damaged: as if there were nothing kept
            return None
        return made if isinstance(made, Made) else None


def inputs_key(parse_key: str, settings: tuple[object, ...]) -> str:
    """`parse_key`: the parse cache's (settings that shape a parsed file, sources.yaml);
    `settings`: bodyedits.settings (the config, build options, tags.yaml, stories.yaml)."""
    return digest(parse_key, repr(settings))


def stamps(content_dir: Path, rels: list[str]) -> dict[str, Stamp | None]:
    """Each file's size and mtime (None: gone since the walk). Not the stat results: 2,000 of
    them are a megabyte, which a build that goes on would hold until it ends."""
    folder = f"{content_dir}{os.sep}"
    found: dict[str, Stamp | None] = {}
    for rel in rels:
        try:
            stat = os.stat(folder + rel)
        except OSError:
            found[rel] = None
        else:
            found[rel] = (stat.st_size, stat.st_mtime_ns)
    return found


def _complete(found: dict[str, Stamp | None]) -> dict[str, Stamp] | None:
    if any(stamp is None for stamp in found.values()):
        return None
    return {rel: stamp for rel, stamp in found.items() if stamp is not None}


def nothing_changed(ctx: BuildContext, found: dict[str, Stamp | None]) -> bool:
    """When every input of the last build's selection is the same: the site's keys from what
    it kept, compared as compare_with_last_build does. True: nothing to do, and the result
    holds what the stages reported last time. False: the build goes on as always (with the
    record found, for compare_with_last_build)."""
    files = _complete(found)
    last = load(ctx.config.root) if files else None
    if last is None or files is None:
        return False
    parse_key = cache_key(ctx.config, ctx.registry)
    # the parse cache deleted (to parse every file again): the build that does it goes on
    if not state.parse_cache_file(ctx.config.root, parse_key).is_file():
        return False
    inputs = inputs_key(parse_key, settings(ctx))
    made = last.what_was_made() if last.holds(inputs, files, ctx.now, ctx.options.strict) else None
    if made is None:
        return False
    kept = [Kept(*item) for item in made.articles]
    find_record(ctx)
    news = news_window(kept, ctx.now)
    ctx.keys = site_keys(ctx.config, ctx.theme, kept, ctx.out_dir, key_inputs(ctx, news))
    if not nothing_to_do(ctx):
        ctx.keys = None  # made again from the articles themselves
        return False
    count("select:last")  # tests: how often this shortcut was taken
    result = ctx.result
    ctx.diags.items.extend(made.notes)
    result.articles, result.drafts_left_out = len(kept), made.drafts_left_out
    result.future_left_out = list(made.future_left_out)
    return True


def remember(ctx: BuildContext, seen: Seen) -> None:
    """What select_articles and check_site made, with what they made it from."""
    result, later = ctx.result, ctx.result.future_left_out
    made = Made(
        # in UTC: the same instants, which the news window compares twenty times faster than
        # in the site's zone (each comparison in a ZoneInfo zone looks the offset up)
        [(a.path, a.fp, a.card_fp, a.date.astimezone(UTC)) for a in ctx.articles],
        ctx.notes,
        result.drafts_left_out,
        list(later),
    )
    selection = LastSelection(
        inputs=inputs_key(seen.key, settings(ctx)),
        files=seen.files,
        trusted_below=seen.trusted_below,
        now=ctx.now,
        due=min(a.date for a in later) if later else None,
        warned=any(d.level is Level.WARNING for d in ctx.notes),
        made=pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL),
    )
    save(ctx.config.root, selection)


def load(root: Path) -> LastSelection | None:
    """The kept selection, or None (none, damaged, of another version, or of another layout
    of this class: pickle fills an instance with whatever fields were saved)."""
    value = state.load(state.selection_file(root), "selection").value
    if not isinstance(value, LastSelection) or vars(value).keys() != _FIELDS:
        return None
    return value


_FIELDS = {f.name for f in fields(LastSelection)}


def save(root: Path, selection: LastSelection) -> None:
    """Only a shortcut: a failure to save is ignored (the next build runs every stage)."""
    with contextlib.suppress(OSError):
        state.save(state.selection_file(root), "selection", selection)
