"""Related articles: a full computation against the incremental one after one edit.

    cd bench && ../.venv/bin/python related_speed.py [--sizes 2000,10000] [--edits 8]

For each generated corpus size (bench/gen_corpus.py, reused from bench/corpora/N like run.py
does), the site's articles are selected as a build selects them (digest's own stages, into a
scratch output folder), then for each kind of edit (an article added, one removed, one moved
three days in time, one given another article's tags) EDITS times: a full computation into a
fresh memory, the edit, and the timed incremental computation from that memory, whose result
is checked against a full one. Prints the median milliseconds and how many of the articles'
lists were computed again, and the full computation's time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import run as build_bench

from generator.build import BuildOptions, WarmState, build
from generator.core.model import Article, evolve
from generator.index import related
from generator.index import site as index_site


def selected_articles(corpus: Path) -> tuple[Article, ...]:
    """The articles build_index gets, newest first: caught on their way in."""
    caught: dict[str, tuple[Article, ...]] = {}
    original = index_site.related_articles

    def catch(articles: tuple[Article, ...], limit: int = related.LIMIT, memory: Any = None) -> Any:
        caught["articles"] = articles
        return original(articles, limit, memory)

    index_site.related_articles = catch  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as out:
            options = BuildOptions(site_dir=corpus, output_dir=Path(out), write=True)
            build(options, warm=WarmState())
    finally:
        index_site.related_articles = original
    return caught["articles"]


def edited(articles: list[Article], kind: str, n: int, rng: random.Random) -> list[Article]:
    changed = list(articles)
    i = rng.randrange(len(changed))
    if kind == "add":
        changed.append(evolve(changed[i], path=f"bench-added-{n}.md"))
    elif kind == "delete":
        changed.pop(i)
    elif kind == "date":
        changed[i] = evolve(changed[i], date=changed[i].date + timedelta(days=3))
    else:
        changed[i] = evolve(changed[i], tags=changed[rng.randrange(len(changed))].tags)
    return changed


def paths(result: dict[str, tuple[Article, ...]]) -> dict[str, list[str]]:
    return {path: [a.path for a in found] for path, found in result.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="2000", help="corpus sizes, comma-separated (default 2000)")
    parser.add_argument("--edits", type=int, default=8, help="edits of each kind (default 8)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print("| articles | edit | incremental ms, median | lists computed again, median | full ms, median |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        corpus, _ = build_bench.ensure_corpus(size, args.seed)
        articles = list(selected_articles(corpus))
        rng = random.Random(args.seed)
        fulls: list[float] = []
        for kind in ("add", "delete", "date", "tags"):
            times, counts = [], []
            for n in range(args.edits):
                memory = related.Memory()
                started = time.perf_counter()
                related.related_articles(index_site.newest_first(articles), memory=memory)
                fulls.append(time.perf_counter() - started)
                ordered = index_site.newest_first(edited(articles, kind, n, rng))
                started = time.perf_counter()
                result = related.related_articles(ordered, memory=memory)
                times.append(time.perf_counter() - started)
                counts.append(memory.computed)
                if paths(result) != paths(related.related_articles(ordered)):
                    print(f"related_speed: {kind} {n}: the incremental result differs", file=sys.stderr)
                    return 1
            full = statistics.median(fulls) * 1000
            print(
                f"| {len(articles):,} | {kind} | {statistics.median(times) * 1000:.1f} "
                f"| {statistics.median(counts):,.0f} | {full:.1f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
