"""Warm rebuilds in one process, as `digest serve` makes them: the time from a build's start to
the open page handed over (engine/emit.py's early handover), the whole build, and each stage.

    cd bench && ../.venv/bin/python warm_stages.py [--sizes 2000] [--edits tags,add,delete]
                                                   [--builds 8]

It imports digest as the Python running it finds it: for another checkout, put it first on
PYTHONPATH (`PYTHONPATH=/path/to/checkout ../.venv/bin/python warm_stages.py`).

For each generated corpus size (bench/gen_corpus.py, reused from bench/corpora/N like run.py
does, then copied to a scratch folder): one build with a WarmState, then for each kind of edit
BUILDS edits, each followed by a warm build told which file changed (as serve's watcher tells
it), with the open page set as serve sets it: the edited article's page for `body`, `tags`,
`summary` and `title`, the home page for `add` and `delete`. Edits: `body` appends a paragraph
to an article, `tags` adds a new tag to it, `summary` gives it a summary, `title` changes its
title, `add` writes a new article, `delete` removes one. Prints the median of builds 2 to
BUILDS (the first warms what the kind of edit needs) of each figure, in milliseconds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import run as build_bench

from generator import build as engine
from generator.build import BuildOptions, WarmState, build

STAGE_TIMES: dict[str, list[float]] = {}


def timed_stages() -> None:
    """Each stage of build() timed into STAGE_TIMES (build.STAGES is the one list it runs)."""

    def wrap(stage: Callable[..., None]) -> Callable[..., None]:
        def timed(ctx: object) -> None:
            started = time.perf_counter()
            stage(ctx)
            STAGE_TIMES.setdefault(stage.__name__, []).append(time.perf_counter() - started)

        return timed

    engine.STAGES = tuple((group, wrap(stage)) for group, stage in engine.STAGES)


def edit(site: Path, kind: str, n: int) -> Path:
    """Make edit number n; the file it changed."""
    articles = sorted((site / "content").rglob("*.md"))
    article = articles[5]
    text = article.read_text(encoding="utf-8")
    if kind == "body":
        article.write_text(text + f"\nA paragraph added by the bench, number {n}.\n", encoding="utf-8")
    elif kind == "tags":
        tagged = re.sub(r"(?m)^tags: \[", f"tags: [bench-tag-{n}, ", text, count=1)
        article.write_text(tagged, encoding="utf-8")
    elif kind == "title":
        article.write_text(text.replace("title: ", f"title: T{n} ", 1), encoding="utf-8")
    elif kind == "summary":
        article.write_text(text.replace("\ndate: ", f"\nsummary: Summary {n}.\ndate: ", 1), encoding="utf-8")
    elif kind == "add":
        article = site / "content" / "bench-added" / f"added-{n}.md"
        article.parent.mkdir(exist_ok=True)
        article.write_text(text.replace("title: ", f"title: Added {n} ", 1), encoding="utf-8")
    else:
        article = articles[100 + n]
        article.unlink()
    return article


def open_page(out: Path, article: Path) -> str:
    """The output file that shows the article (its own page: the shortest path holding its URL)."""
    found = re.search(r"(?m)^source_url: (.*)$", article.read_text(encoding="utf-8"))
    assert found, article
    hits = [p for p in out.rglob("index.html") if found.group(1) in p.read_text(encoding="utf-8")]
    return str(min(hits, key=lambda p: len(str(p))).relative_to(out))


def measure(corpus: Path, kind: str, builds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(corpus, site, ignore=shutil.ignore_patterns(".digest-cache", "site"))
        out = site / ".digest-cache" / "preview"
        local = "http://127.0.0.1:9/"  # as serve builds: drafts shown, its own base URL
        options = BuildOptions(site_dir=site, output_dir=out, drafts=True, base_url=local, write=True)
        warm = WarmState()
        build(options, warm=warm)
        target = sorted((site / "content").rglob("*.md"))[5]
        warm.first = frozenset({"index.html" if kind in ("add", "delete") else open_page(out, target)})
        started = [0.0]
        early: list[float] = []
        warm.early = lambda pages: early.append(time.perf_counter() - started[0])
        totals: list[float] = []
        STAGE_TIMES.clear()
        for n in range(builds):
            changed = edit(site, kind, n)
            warm.hint = frozenset({changed})
            started[0] = time.perf_counter()
            result = build(options, warm=warm)
            totals.append(time.perf_counter() - started[0])
            if not result.ok:
                raise SystemExit(f"warm_stages: {kind} {n}: the build failed")
        figures = {"open page": statistics.median(early[1:]) if len(early) > 1 else float("nan")}
        figures["whole build"] = statistics.median(totals[1:])
        figures.update({name: statistics.median(times[1:]) for name, times in STAGE_TIMES.items()})
        return {name: value * 1000 for name, value in figures.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="2000", help="corpus sizes, comma-separated (default 2000)")
    parser.add_argument("--edits", default="tags,add,delete", help="body, tags, summary, title, add, delete")
    parser.add_argument("--builds", type=int, default=8, help="warm builds per kind of edit (default 8)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    timed_stages()
    for size in (int(s) for s in args.sizes.split(",")):
        corpus, _ = build_bench.ensure_corpus(size, args.seed)
        for kind in args.edits.split(","):
            figures = measure(corpus, kind, args.builds)
            shown = ", ".join(f"{name} {value:.1f}" for name, value in figures.items())
            print(f"{size:,} {kind}: {shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
