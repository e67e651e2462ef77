"""`digest publish [TARGET]`: build cleanly into a temporary folder, then publish the result to
a target from digest.yaml. The publisher is chosen by the target's `type` (git, s3, dir); all
of them share one plan (plan.py): upload what is new or changed, assets before pages before
feeds, delete what is stale only after that, and never more than --max-deletes."""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Protocol

from ..build import BuildOptions, BuildResult, build
from ..buildreport import articles_left_out, shown
from ..core.diagnostics import format_lines
from ..engine import state, testhooks
from ..read.config import load_config
from .plan import LocalFile, Options, Outcome, PublishError, scan_output
from .report import Reporter
from .settings import choose_target, target_problem

EXIT_OK, EXIT_BUILD, EXIT_USAGE = 0, 1, 2


class Publisher(Protocol):
    cache_rules: tuple[tuple[str, str], ...]

    def describe(self) -> str: ...

    def extra_files(self) -> dict[str, bytes]: ...

    def publish(self, files: list[LocalFile], options: Options, report: Reporter, work: Path) -> Outcome: ...


def make_publisher(name: str, settings: dict[str, Any], site: Path) -> Publisher:
    kind = settings.get("type")
    if kind == "git":
        from .git_target import GitPublisher

        return GitPublisher(name, settings, site)
    if kind == "s3":
        try:
            from .s3_target import S3Publisher
        except ImportError:
            raise target_problem(
                site, name, "publishing to S3 needs boto3: pip install 'digest-ssg[s3]'"
            ) from None
        return S3Publisher(name, settings, site)
    if kind == "dir":
        from .dir_target import DirPublisher

        return DirPublisher(name, settings, site)
    # read/publishtargets.py has refused any other type when digest.yaml was read
    raise target_problem(site, name, "'type' must be one of git, s3, dir")


def publish_command(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    site = Path(args.site).resolve()
    config = load_config(site)  # a ConfigError is printed by the CLI (exit 2)
    report = Reporter(quiet=args.quiet)
    try:
        if args.max_deletes < 0:
            raise PublishError("--max-deletes must be 0 or more", exit_code=EXIT_USAGE)
        name = choose_target(config, args.target)
        publisher = make_publisher(name, config.publish[name], site)
        options = Options(
            dry_run=args.dry_run,
            max_deletes=args.max_deletes,
            force=args.force,
            delete_extra=args.delete_extra,
        )
        work = _work_dir(site, name)
        try:
            built = _build(site, work / "site", report)
            if built is None:
                return EXIT_BUILD
            for rel, data in publisher.extra_files().items():
                (built / rel).write_bytes(data)
            files = scan_output(built, publisher.cache_rules)
            outcome = publisher.publish(files, options, report, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except PublishError as exc:
        report.finish()
        print(exc.format(), file=sys.stderr)
        return exc.exit_code
    seconds = time.perf_counter() - started
    report.summary(_summary(name, outcome, options.dry_run, seconds))
    return EXIT_OK


def _work_dir(site: Path, name: str) -> Path:
    """A fresh folder for the build and the target's scratch files, in the site's cache folder
    (which git ignores): a stable path per target keeps the build's own caches from piling up."""
    state.make_folder(site)
    work = state.publish_dir(site) / re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return work


def _build(site: Path, out: Path, report: Reporter) -> Path | None:
    """A clean build (no drafts, no future articles) into a fresh folder; None on errors."""
    options = BuildOptions(site_dir=site, output_dir=out, drafts=False, future=False, clean=True, write=True)
    result: BuildResult = build(options, progress=report.build_progress)
    testhooks.report(result, "publish")  # tests only: DIGEST_TEST_REPORT
    report.finish()
    for line in format_lines(shown(result.diagnostics.items, report.quiet)):
        print(line, file=sys.stderr)
    errors = len(result.diagnostics.errors)
    if not result.ok or result.output_dir is None:
        print(
            f"digest: build failed: {errors} error{'s' if errors != 1 else ''}; nothing was published",
            file=sys.stderr,
        )
        return None
    articles = articles_left_out(result)
    report.note(f"digest: built {articles}, {result.written} files in {result.seconds:.2f} s")
    return result.output_dir


def _summary(name: str, outcome: Outcome, dry_run: bool, seconds: float) -> str:
    if dry_run:
        return (
            f"digest: dry run for {name}: {outcome.uploaded} to upload, {outcome.deleted} to delete, "
            f"{outcome.unchanged} unchanged; nothing was changed ({seconds:.1f} s)"
        )
    detail = f" ({outcome.detail})" if outcome.detail else ""
    return (
        f"digest: published to {name}: {outcome.uploaded} uploaded, {outcome.deleted} deleted, "
        f"{outcome.unchanged} unchanged in {seconds:.1f} s{detail}"
    )
