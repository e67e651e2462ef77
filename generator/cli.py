"""The `digest` command. Heavy modules are imported inside the commands that use them, so that
`digest --version` starts fast: it is answered before even argparse is imported."""

from __future__ import annotations

import os
import sys
import time

from . import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it so)
if TYPE_CHECKING:
    import argparse
    from typing import TextIO

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            self.print_usage(sys.stderr)
            sys.stderr.write(f"digest: error: {message}\n")
            raise SystemExit(EXIT_USAGE)

    parser = _Parser(prog="digest", description="A static site generator for curated news digests.")
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def site_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("-s", "--site", type=Path, default=Path("."), help="the site folder (default: .)")
        p.add_argument("-q", "--quiet", action="store_true", help="print errors and the summary only")
        p.add_argument("-v", "--verbose", action="store_true", help="print more detail")

    b = sub.add_parser("build", help="build the site into site/")
    site_args(b)
    b.add_argument("-o", "--output", type=Path, help="output folder (default: SITE/site)")
    b.add_argument("--drafts", action="store_true", help="include draft articles")
    b.add_argument("--future", action="store_true", help="include future-dated articles")
    b.add_argument("--base-url", help="override base_url from digest.yaml")
    b.add_argument("--clean", action="store_true", help="rewrite every output file")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: one per core)")

    c = sub.add_parser("check", help="validate everything and check internal links; write nothing")
    site_args(c)
    c.add_argument("--drafts", action="store_true")
    c.add_argument("--future", action="store_true")
    c.add_argument("--strict", action="store_true")
    c.add_argument(
        "--suggest-stories",
        action="store_true",
        help="list articles without a story that likely cover the same event",
    )

    n = sub.add_parser("new", help="create a new article file")
    n.add_argument("title")
    n.add_argument("-s", "--site", type=Path, default=Path("."))
    n.add_argument("--source", default="", help="the outlet (default: defaults.source)")
    n.add_argument("--url", default="", help="the original story's URL")
    n.add_argument("--tags", default="", help="comma-separated tags")
    n.add_argument("--lang", default="", help="the article's language (a multilingual site: its folder)")

    sv = sub.add_parser("serve", help="preview at http://127.0.0.1:8000/ with live reload")
    sv.add_argument("-s", "--site", type=Path, default=Path("."))
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    sv.add_argument("--poll", action="store_true", help="poll for changes (network file systems)")
    sv.add_argument(
        "--drafts", action=argparse.BooleanOptionalAction, default=True, help="include drafts (default: yes)"
    )
    sv.add_argument("--no-reload", dest="reload", action="store_false", help="no live reload")
    sv.add_argument("-q", "--quiet", action="store_true")

    pb = sub.add_parser("publish", help="build cleanly, then publish to a target from digest.yaml")
    pb.add_argument("target", nargs="?", help="a target name under publish: in digest.yaml")
    pb.add_argument("-s", "--site", type=Path, default=Path("."))
    pb.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    pb.add_argument("--max-deletes", type=int, default=256)
    pb.add_argument("--force", action="store_true", help="allow more deletes than --max-deletes")
    pb.add_argument(
        "--delete-extra",
        action="store_true",
        help="git: also delete files on the branch that the site does not produce",
    )
    pb.add_argument("-q", "--quiet", action="store_true")

    im = sub.add_parser("import", help="turn copied or saved news pages into draft articles")
    im.add_argument("sources", nargs="+", metavar="SOURCE",
                    help="a text or .html file, - for standard input, or an http(s) URL")
    im.add_argument("-s", "--site", type=Path, default=Path("."))
    im.add_argument("--url", default="", help="the original story's URL (source_url)")
    im.add_argument("--source", default="", help="the outlet that wrote it")
    im.add_argument("--via", default="", help="the site it was found on, when another outlet wrote it")
    im.add_argument("--author", default="")
    im.add_argument("--date", default="", help="the article's date (YYYY-MM-DD or ISO 8601 with time)")
    im.add_argument("--title", default="")
    im.add_argument("--tags", default="", help="comma-separated tags")
    im.add_argument("--story", default="", help="the story key it belongs to")
    im.add_argument("--dry-run", action="store_true", help="print the drafts, write nothing")
    im.add_argument("--force", action="store_true",
                    help="import even what the digest already has (never overwrites a file)")

    m = sub.add_parser(
        "migrate", help="bring a Pelican, Jekyll, Hugo, Zola, Eleventy or Docusaurus blog over"
    )
    m.add_argument(
        "source_dir", type=Path, metavar="SOURCE_DIR", help="the other generator's folder (only read)"
    )
    m.add_argument(
        "-s", "--site", type=Path, default=Path("."), help="the digest site to write into (default: .)"
    )
    m.add_argument(
        "--from",
        dest="from_",
        choices=("pelican", "jekyll", "hugo", "zola", "eleventy", "docusaurus"),
        help="the generator (default: detected from the folder)",
    )
    m.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    m.add_argument("--force", action="store_true", help="write posts migrated before again")

    i = sub.add_parser("init", help="start a new digest site")
    i.add_argument("dir", nargs="?", type=Path, default=Path("."))
    return parser


def run() -> None:
    """The `digest` command. After a build or check, the process ends without tearing down its
    heap (tens of thousands of objects, a noticeable part of a small rebuild's time): the
    output and the caches are written and closed by then."""
    if sys.argv[1:] == ["--version"]:  # as the parser's own --version prints it, without it
        print(f"digest {__version__}")
        raise SystemExit(EXIT_OK)
    args = make_parser().parse_args()
    code = _main(args)
    if args.command in ("build", "check"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    return _main(make_parser().parse_args(argv))


def _main(args: argparse.Namespace) -> int:
    from .core.diagnostics import DigestError

    try:
        if args.command == "build":
            return _build(args, write=True)
        if args.command == "check":
            return _build(args, write=False)
        if args.command == "new":
            return _new(args)
        if args.command == "init":
            return _init(args)
        if args.command == "import":
            return _import(args)
        if args.command == "serve":
            from .preview.serve import serve_command

            return serve_command(args)
        if args.command == "publish":
            from .publish import publish_command

            return publish_command(args)
        if args.command == "migrate":
            from .migrate.command import migrate_command

            return migrate_command(args)
    except DigestError as exc:
        for d in exc.diagnostics:
            print(d.format(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("digest: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: say so plainly, never a traceback
        if os.environ.get("DIGEST_DEBUG"):
            raise
        print(
            f"digest: internal error: {type(exc).__name__}: {exc} "
            "(set DIGEST_DEBUG=1 for details and please report it)",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    return EXIT_USAGE  # pragma: no cover - argparse requires a command


class _Progress:
    """A single updating line on a terminal; silent in CI and when quiet."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done != total):
            return
        self.last = now
        self.stream.write(f"\r{stage} {done}/{total}\033[K")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled and self.last:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _build(args: argparse.Namespace, write: bool) -> int:
    from . import buildreport
    from .build import BuildOptions, build
    from .core.diagnostics import format_lines

    options = BuildOptions(
        site_dir=args.site,
        output_dir=getattr(args, "output", None),
        drafts=args.drafts,
        future=args.future,
        base_url=getattr(args, "base_url", None),
        clean=getattr(args, "clean", False),
        strict=args.strict,
        write=write,
        jobs=getattr(args, "jobs", 0),
        suggest_stories=getattr(args, "suggest_stories", False),
    )
    interactive = sys.stderr.isatty() and not os.environ.get("CI") and not args.quiet
    progress = _Progress(sys.stderr, interactive)
    result = build(options, progress=progress)
    progress.clear()
    diags = result.diagnostics
    from .engine.testhooks import report

    report(result, "build" if write else "check")  # tests only: DIGEST_TEST_REPORT
    shown = buildreport.shown(diags.items, args.quiet)
    lines = format_lines(shown, verbose=args.verbose)
    for line in lines:
        print(line, file=sys.stderr)
    messages = len(set(shown))
    if messages > len(lines):
        print(
            f"note: {messages:,} messages in {len(lines):,} line{'s' if len(lines) != 1 else ''}, "
            "similar ones grouped; -v lists every one",
            file=sys.stderr,
        )
    if result.future_left_out:
        first = result.future_left_out[0]
        count = len(result.future_left_out)
        print(
            f"note: {count} future-dated article{'s' if count != 1 else ''} left out; "
            f"the first is due {first.date.isoformat(timespec='minutes')} (content/{first.path}); "
            "use --future to include them",
            file=sys.stderr,
        )
    if getattr(args, "suggest_stories", False) and result.ok:
        _print_suggestions(result)
    if args.verbose:
        print(
            f"  parsed {result.parsed} article files, {result.articles} articles in the site", file=sys.stderr
        )
        if result.rendered:
            pages, feeds = result.rendered.get("page", 0), result.rendered.get("feed", 0)
            print(
                f"  rendered {pages} pages and the feeds of {feeds} lists;"
                f" fingerprinted {result.fingerprinted} pages",
                file=sys.stderr,
            )
        for stage, seconds in result.timings.items():
            print(f"  {stage}: {seconds:.3f} s", file=sys.stderr)
    print(buildreport.summary(result, write), file=sys.stderr if not result.ok else sys.stdout)
    return EXIT_OK if result.ok and not diags.errors else EXIT_CONTENT


def _print_suggestions(result: object) -> None:
    from .build import BuildResult

    assert isinstance(result, BuildResult)
    if not result.suggestions:
        print("no likely stories among the articles without a 'story'")
        return
    for n, s in enumerate(result.suggestions, start=1):
        count = len(s.articles)
        print(f"likely one story ({count} articles, similarity {s.similarity:.2f}):")
        for a in s.articles:
            mark = f" [story: {a.story}]" if a.story else ""
            print(f"  content/{a.path}  {a.date.date().isoformat()}  {a.source.name}: {a.title}{mark}")
        if len(s.stories) > 1:
            print(f"  they touch several stories ({', '.join(s.stories)}): pick one")
        else:
            print(f"  to confirm, give each of them:  story: {s.proposed}")
        if n < len(result.suggestions):
            print()


def _new(args: argparse.Namespace) -> int:
    from .core.langtags import normalize_lang
    from .read.config import load_config
    from .scaffold import ScaffoldProblem, new_article

    config = load_config(args.site.resolve())
    source = args.source or config.default_source
    if not source:
        print(
            "digest: error: give the outlet with --source NAME (or set defaults.source in digest.yaml)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    tags = [t.strip() for t in args.tags.split(",") if t.strip()]
    lang = normalize_lang(args.lang) if args.lang else ""
    if lang is None or (lang and config.multilingual and config.language_of(lang) is None):
        listed = ", ".join(lang.code for lang in config.languages)
        known = f"one of the site's languages ({listed})" if listed else "a language tag such as ru or zh-CN"
        print(f"digest: error: --lang must be {known}, not '{args.lang}'", file=sys.stderr)
        return EXIT_USAGE
    try:
        path = new_article(config, args.title, source, args.url, tags, lang=lang)
    except ScaffoldProblem as exc:
        print(f"digest: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    print(f"created {path}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from .ingest.command import Flags, import_sources

    flags = Flags(
        url=args.url, source=args.source, via=args.via, author=args.author, date=args.date,
        title=args.title, tags=tuple(t.strip() for t in args.tags.split(",") if t.strip()),
        story=args.story, dry_run=args.dry_run, force=args.force,
    )
    return import_sources(args.sources, args.site, flags, sys.stdin.buffer, sys.stdout, sys.stderr)


def _init(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldProblem, init_site

    try:
        written = init_site(args.dir)
    except ScaffoldProblem as exc:
        print(f"digest: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(f"created {path}")
    print(f"next: cd {args.dir} && digest build")
    return EXIT_OK
