"""Whether the last build into the output folder stands: its record, and the test that equal
keys and an intact output leave nothing to do. compare_with_last_build asks it with the keys
made from the selected articles; a build whose selection stands (lastselection.py) asks it
sooner, with the same keys made from what the last selection kept."""

from __future__ import annotations

from collections.abc import Sequence

from ..render.sitemap import Dated
from ..write.output import MARKER, staging_dir
from . import state
from .context import BuildContext
from .record import Record


def find_record(ctx: BuildContext) -> None:
    """The output folder, and the record of the last build into it (once per build)."""
    ctx.out_dir = (ctx.options.output_dir or ctx.config.root / "site").resolve()
    if ctx.options.write and ctx.record is None:
        ctx.record = _last_record(ctx)
        if staging_dir(ctx.out_dir).exists():
            # the last build was killed: its output may be part old, part new, whatever the
            # record says; compare every file (unchanged ones are still not rewritten)
            ctx.record = Record(ctx.record.path, {}, None)


def nothing_to_do(ctx: BuildContext) -> bool:
    """Whether the last build into the output folder was made of the same keys (ctx.keys) and
    left it intact; then the result says so."""
    record = ctx.record
    if record is None or ctx.keys is None or ctx.options.clean or record.files is None:
        return False
    # (a killed build's leftover staging folder emptied the record's files: find_record)
    if record.site_key != ctx.keys.whole or not (ctx.out_dir / MARKER).exists():
        return False
    ctx.result.unchanged = len(record.files)
    ctx.result.output_dir = ctx.out_dir
    return True


def key_inputs(ctx: BuildContext, news: Sequence[Dated]) -> list[str]:
    """What else the site's keys are made of: stories.yaml and the Google News window."""
    return [repr(ctx.stories), "news:" + ",".join(a.path for a in news)]


def _last_record(ctx: BuildContext) -> Record:
    """The record of the last build into the output folder: kept by the warm state when this
    process made it, else loaded."""
    warm = ctx.warm
    if warm is not None:
        kept = warm.records.get(state.record_file(ctx.config.root, ctx.out_dir))
        if kept is not None:
            return kept
    record = Record.load(ctx.config.root, ctx.out_dir)
    if warm is not None:
        warm.records[record.path] = record
    return record
