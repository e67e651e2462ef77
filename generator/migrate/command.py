"""`digest migrate SOURCE_DIR`: detect, read, plan, write, report. The files written (or, with
--dry-run, the plan) go to stdout, one per line; the summary to stderr. Exit 0, 1 when a
content problem stopped a post, 2 for an undetectable folder or bad usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.diagnostics import ConfigError
from . import report, write
from .detect import NoReader, Undetected, detect, read_site

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def migrate_command(args: argparse.Namespace) -> int:
    root: Path = args.source_dir
    site_dir: Path = args.site
    if not root.is_dir():
        print(f"digest: error: {root}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    source, site = root.resolve(), site_dir.resolve()
    written_to = (site, site / "content", site / "static")  # where migrate writes
    if site.is_relative_to(source) or any(source.is_relative_to(w) for w in written_to[1:]) or source == site:
        print(
            f"digest: error: the site folder {site_dir} and the source folder {root} overlap "
            "(migrate never writes into the source); choose another -s/--site",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        generator = args.from_ or detect(root)
        old_site = read_site(generator, root)
        the_plan = write.plan(old_site, site_dir, args.force)
    except (Undetected, NoReader) as exc:
        print(f"digest: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:
        for d in exc.diagnostics:
            print(d.format(), file=sys.stderr)
        return EXIT_USAGE
    if args.dry_run:
        if the_plan.config_text is not None:
            print(f"create {site_dir / 'digest.yaml'}")
        for item in the_plan.items:
            print(f"{item.action} {site_dir / item.path} <- {item.post.source.as_posix()}")
        for _, dest in the_plan.copies:
            print(f"copy {dest}")
    else:
        try:
            for path in write.execute(the_plan):
                print(path)
        except OSError as exc:
            print(
                f"digest: error: cannot write {exc.filename or site_dir}: {exc.strerror or exc}",
                file=sys.stderr,
            )
            return EXIT_CONTENT
    for line in report.lines(old_site, the_plan, args.dry_run):
        print(line, file=sys.stderr)
    stopped = any(s.error for s in [*old_site.skipped, *the_plan.skipped])
    return EXIT_CONTENT if stopped else EXIT_OK
