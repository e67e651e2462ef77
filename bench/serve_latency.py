#!/usr/bin/env python3
"""Benchmark `digest serve`: from saving a file to the reloaded page's `load` event.

Usage::

    python bench/serve_latency.py [--sizes 1000,10000] [--saves 10] [--edits body,tags,add,delete]
                                  [--no-example] [--search] [--settle] [--digest "CMD"]
                                  [--json FILE]

For the example site (this repository's digest.yaml, sources.yaml and content/, copied to a
temporary folder) and for each generated corpus size (bench/gen_corpus.py, reused from
bench/corpora/N like run.py does, then copied): start `digest serve --port 0`, then for each
kind of edit open a page in headless Chromium (Debian's, via tests/support/browser.py) and
SAVES times make the edit and wait until the page has reloaded on its own and shows it:

    body    append a paragraph with a fresh marker to an article; its page shows the marker
    tags    give that article a fresh tag (replacing the last one given); its page shows it
    summary give the newest article a fresh summary; the home page shows it on its card
    add     write a new article dated yesterday; the home page shows its title
    delete  delete one of the articles `add` wrote; the home page no longer shows its title

The latency of one save is the wall-clock time from just before the write to the reloaded
document's `loadEventEnd` (browser clock, calibrated against this process's clock). Prints
median, min and max per site and edit, the median time from the save to the reload's start
(the rest is the browser's reload: its request, the page, its `load`), the median of the
rebuild times that digest itself reported, and the CPU seconds the serve process (and its
worker processes) used per save.
Each save comes PAUSE (0.5 s) after the page showed the last one; when a rebuild takes longer
(additions and deletions at 10,000 articles), the next save waits behind it. `--settle` waits
for each save's rebuild to be over (digest's "rebuilt ... in N s" line) before the pause.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import queue
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import gen_corpus
import run as build_bench

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO / "tests"))

from playwright.sync_api import Browser, Page  # noqa: E402

from support.browser import chromium_browser, new_page  # noqa: E402

PAUSE = 0.5  # seconds between saves, so that each save is its own rebuild (quiet period: 0.02 s)
EDITS = ("body", "tags", "summary", "add", "delete")
TAGS_LINE = re.compile(r"(?m)^tags: \[(.*)\]$")
SUMMARY_LINE = re.compile(r"(?m)^summary: .*\n")
DATE_LINE = re.compile(r"(?m)^date: (.*)$")
REBUILT = re.compile(r" in (\d+(?:\.\d+)?) s; .*\(after ")
LOAD_END = "() => performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd"
RELOAD_START = "() => performance.timeOrigin"


@dataclass
class Result:
    name: str  # the site, and the edit
    articles: int
    first_build: float
    latencies: list[float] = field(default_factory=list)  # seconds
    # from the save to the reload's start (the quiet period, the rebuild up to the page handed
    # over, the event to the page): the rest of each latency is the browser's reload
    starts: list[float] = field(default_factory=list)
    rebuilds: list[float] = field(default_factory=list)  # seconds, as digest reported them
    cpu: float = 0.0  # CPU seconds of the serve process and its workers, all saves together


@dataclass
class Server:
    proc: subprocess.Popen[str]
    url: str
    out: list[str]


# --- sites ------------------------------------------------------------------------------------


def example_site(tmp: Path) -> Path:
    site = tmp / "example"
    site.mkdir()
    for name in ("digest.yaml", "sources.yaml"):
        shutil.copy2(REPO / name, site / name)
    shutil.copytree(REPO / "content", site / "content")
    return site


def corpus_site(tmp: Path, size: int, seed: int, search: bool = False) -> Path:
    corpus, how = build_bench.ensure_corpus(size, seed)
    print(f"serve_latency: corpus {size:,}: {how}; copying", file=sys.stderr, flush=True)
    site = tmp / f"corpus-{size}"
    shutil.copytree(corpus, site, ignore=shutil.ignore_patterns(".digest-cache", "site"))
    if search:  # as digest init writes it: a search page and its Pagefind index
        with (site / "digest.yaml").open("a", encoding="utf-8") as config:
            config.write("search: true\n")
    return site


def pick_article(site: Path) -> Path:
    """The middle article in file order: an ordinary one, neither newest nor oldest."""
    files = sorted((site / "content").rglob("*.md"))
    return files[len(files) // 2]


def newest_article(site: Path) -> Path:
    """The article with the latest date (ties: the last path): the home page lists it first."""
    dated = []
    for path in (site / "content").rglob("*.md"):
        found = DATE_LINE.search(path.read_text(encoding="utf-8"))
        dated.append((found.group(1) if found else "", str(path)))
    return Path(max(dated)[1])


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n\n{text}\n")


def find_page(preview: Path, anchor: str) -> str:
    """The URL path (under the preview) of the article page whose body holds `anchor`: the
    deepest index.html that contains it (list pages show summaries, not the end of a body)."""
    needle = anchor.encode()
    hits = [p for p in preview.rglob("index.html") if needle in p.read_bytes()]
    if not hits:
        raise SystemExit(f"serve_latency: no page in {preview} shows {anchor!r}")
    best = max(hits, key=lambda p: len(p.parts))
    return best.parent.relative_to(preview).as_posix() + "/"


# --- the server -------------------------------------------------------------------------------


def _pump(stream: object, lines: list[str], ready: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line)
        if line.startswith("serving "):
            ready.put(line)


@contextmanager
def serving(cmd: list[str], site: Path, timeout: float) -> Iterator[Server]:
    proc = subprocess.Popen(
        [*cmd, "serve", "-s", os.fspath(site), "--port", "0", "--quiet"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "CI": "true"},
    )
    out: list[str] = []
    ready: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(proc.stdout, out, ready), daemon=True)
    reader.start()
    try:
        try:
            line = ready.get(timeout=timeout)
        except queue.Empty:
            raise SystemExit("serve_latency: no 'serving' line:\n" + "".join(out[-20:])) from None
        yield Server(proc, line.split()[1], out)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        reader.join(timeout=5)
        if code != 0 or "Traceback" in "".join(out):
            print("serve_latency: digest serve did not stop cleanly:\n" + "".join(out[-20:]), file=sys.stderr)


# --- measuring --------------------------------------------------------------------------------


def clock_offset(page: Page) -> float:
    """Browser wall clock minus ours, in seconds (the smallest round trip of a few)."""
    best: tuple[float, float] | None = None
    for _ in range(5):
        before = time.time()
        browser_ms = float(page.evaluate("() => Date.now()"))
        after = time.time()
        sample = (after - before, browser_ms / 1000 - (before + after) / 2)
        if best is None or sample[0] < best[0]:
            best = sample
    assert best is not None
    return best[1]


def cpu_seconds(pid: int) -> float:
    """user + system time of a process and of its children it waited for (the worker pool)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def wait_for(page: Page, script: str, marker: str, timeout_ms: float) -> None:
    """Until the page has reloaded (its flag is gone) and `script` holds for the marker."""
    page.wait_for_function(
        f"m => window.__benchOld !== true && document.readyState === 'complete' && ({script})",
        arg=marker,
        timeout=timeout_ms,
        polling=10,
    )


SHOWS = "document.body.innerText.toLowerCase().includes(m)"


def one_save(
    page: Page, edit: Callable[[], str], shows: bool, offset: float, timeout_ms: float
) -> tuple[float, float]:
    """Make one edit (it returns the marker to look for) and time it to the reloaded page: the
    seconds to its `load` event, and to the reload's start."""
    page.evaluate("() => { window.__benchOld = true; }")
    saved = time.time()
    marker = edit()
    wait_for(page, SHOWS if shows else f"!{SHOWS}", marker, timeout_ms)
    load_end = float(page.evaluate(LOAD_END)) / 1000 - offset
    reload_start = float(page.evaluate(RELOAD_START)) / 1000 - offset
    return load_end - saved, reload_start - saved


def settle(server: Server, rebuilt: int, timeout: float) -> None:
    """Until the server has reported one more rebuild than `rebuilt` (or `timeout` passed)."""
    deadline = time.monotonic() + timeout
    while sum(1 for line in server.out if REBUILT.search(line)) <= rebuilt and time.monotonic() < deadline:
        time.sleep(0.01)


def new_article(folder: Path, title: str, source: str) -> Path:
    """An article dated yesterday: newer than any in the corpora, so the home page lists it."""
    when = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)).date().isoformat()
    path = folder / f"{title.replace(' ', '-')}.md"
    head = f"---\ntitle: {title}\ndate: {when}\n{source}\ntags: [bench]\n---\n"
    path.write_text(head + "Added by serve_latency.\n", encoding="utf-8")
    return path


class Edits:
    """The edits of one site: each returns the marker the open page must (or must no longer)
    show once it has reloaded."""

    def __init__(self, site: Path, article: Path) -> None:
        self.article = article
        self.site = site
        self.newest: Path | None = None  # the article the home page lists first (summary)
        self.added = site / "content" / "bench-added"
        self.to_delete: list[tuple[Path, str]] = []
        found = re.search(r"(?m)^source: .*$", article.read_text(encoding="utf-8"))
        self.source = found.group(0) if found else "source: Bench Wire"  # one sources.yaml knows

    def body(self) -> str:
        marker = f"bench-save-{uuid.uuid4().hex[:12]}"
        append(self.article, marker)
        return marker

    def tags(self) -> str:
        marker = f"benchtag{uuid.uuid4().hex[:10]}"
        text = self.article.read_text(encoding="utf-8")
        found = TAGS_LINE.search(text)
        assert found, f"no tags line in {self.article}"
        kept = [t.strip() for t in found.group(1).split(",") if not t.strip().startswith("benchtag")]
        line = f"tags: [{', '.join([*kept, marker])}]"
        self.article.write_text(text[: found.start()] + line + text[found.end() :], encoding="utf-8")
        return marker

    def summary(self) -> str:
        if self.newest is None:
            self.newest = newest_article(self.site)
        marker = f"benchsum{uuid.uuid4().hex[:10]}"
        text = SUMMARY_LINE.sub("", self.newest.read_text(encoding="utf-8"))
        head = text.index("\n---", 3)  # the end of the front matter
        self.newest.write_text(f"{text[:head]}\nsummary: Summary {marker}.{text[head:]}", encoding="utf-8")
        return marker

    def add(self) -> str:
        marker = f"benchadd{uuid.uuid4().hex[:10]}"
        self.added.mkdir(exist_ok=True)
        self.to_delete.append((new_article(self.added, f"Bench added {marker}", self.source), marker))
        return marker

    def delete(self) -> str:
        path, marker = self.to_delete.pop()
        path.unlink()
        return marker


def bench_site(
    name: str, site: Path, cmd: list[str], browser: Browser, args: argparse.Namespace
) -> list[Result]:
    saves, timeout = args.saves, args.timeout
    article = pick_article(site)
    anchor = f"bench-anchor-{uuid.uuid4().hex[:12]}"
    append(article, anchor)
    articles = sum(1 for _ in (site / "content").rglob("*.md"))
    started = time.monotonic()
    results = []
    with serving(cmd, site, timeout) as server:
        first_build = time.monotonic() - started
        article_url = server.url + find_page(site / ".digest-cache" / "preview", anchor)
        edits = Edits(site, article)
        for kind in args.edits:
            if kind == "delete" and len(edits.to_delete) < saves:  # articles to delete, first
                for _ in range(saves - len(edits.to_delete)):
                    edits.add()
                time.sleep(PAUSE)
            url = article_url if kind in ("body", "tags") else server.url  # summary: the home page
            result = Result(f"{name}: {kind}", articles, first_build)
            with new_page(browser) as page:
                page.goto(url)
                offset = clock_offset(page)
                page.wait_for_timeout(PAUSE * 1000)  # a build the setup started is over
                seen = len(server.out)
                cpu = cpu_seconds(server.proc.pid)
                for n in range(1, saves + 1):
                    time.sleep(PAUSE)
                    rebuilt = sum(1 for line in server.out if REBUILT.search(line))
                    latency, start = one_save(
                        page, getattr(edits, kind), kind != "delete", offset, timeout * 1000
                    )
                    result.starts.append(start)
                    if args.settle:  # this save's rebuild is over before the next save
                        settle(server, rebuilt, timeout)
                    result.latencies.append(latency)
                    print(f"serve_latency: {name}: {kind} {n}: {ms(latency)} ms", file=sys.stderr, flush=True)
                time.sleep(PAUSE)
                result.cpu = cpu_seconds(server.proc.pid) - cpu
            for line in server.out[seen:]:
                match = REBUILT.search(line)
                if match:
                    result.rebuilds.append(float(match.group(1)))
            results.append(result)
    return results


# --- report -----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def table(results: Sequence[Result], saves: int) -> str:
    rows = [
        f"| site: edit | articles | first build s | save → load ms, median of {saves} | min | max "
        "| save → reload starts ms, median | rebuild s (digest), median | CPU s per save |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rebuild = f"{statistics.median(r.rebuilds):.3f}" if r.rebuilds else "n/a"
        rows.append(
            f"| {r.name} | {r.articles:,} | {r.first_build:.1f} | {ms(statistics.median(r.latencies))} "
            f"| {ms(min(r.latencies))} | {ms(max(r.latencies))} | {ms(statistics.median(r.starts))} "
            f"| {rebuild} | {r.cpu / len(r.latencies):.3f} |"
        )
    return "\n".join(rows)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Save-to-reload latency of `digest serve`.")
    p.add_argument(
        "--sizes",
        type=build_bench.parse_sizes,
        default=[1000],
        help="generated corpus sizes, comma-separated (default 1000; '10k' works)",
    )
    p.add_argument("--no-example", action="store_true", help="skip the example site")
    p.add_argument(
        "--search", action="store_true", help="turn search on in the generated corpora (digest init does)"
    )
    p.add_argument("--saves", type=int, default=10, help="saves per site and edit (default 10)")
    p.add_argument(
        "--edits",
        type=lambda text: [e for e in text.split(",") if e],
        default=list(EDITS),
        help=f"kinds of edit, comma-separated (default {','.join(EDITS)})",
    )
    p.add_argument("--seed", type=int, default=gen_corpus.DEFAULT_SEED, help="corpus seed")
    p.add_argument(
        "--digest", metavar="CMD", help="the digest command (default: the current Python with -m generator)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds to wait for the first build and for each reload (default 600)",
    )
    p.add_argument(
        "--settle",
        action="store_true",
        help="before each save, wait until the last save's rebuild is over (by default a save comes "
        f"{PAUSE} s after the page showed the last one, maybe during its rebuild)",
    )
    p.add_argument("--json", type=Path, help="also write the raw figures to this file")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cmd = shlex.split(args.digest) if args.digest else [sys.executable, "-m", "generator"]
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="digest-serve-bench-") as tmp, chromium_browser() as browser:
        sites = [] if args.no_example else [("example", example_site(Path(tmp)))]
        sites += [(f"generated {n:,}", corpus_site(Path(tmp), n, args.seed, args.search)) for n in args.sizes]
        unknown = set(args.edits) - set(EDITS)
        if unknown:
            raise SystemExit(f"serve_latency: unknown edits {sorted(unknown)}; choose from {','.join(EDITS)}")
        for name, site in sites:
            results += bench_site(name, site, cmd, browser, args)
    load = os.getloadavg()
    print()
    print(f"load average (1/5/15 min) at the end: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")
    print(table(results, args.saves))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
