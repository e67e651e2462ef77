#!/usr/bin/env python3
"""A real multilingual news site built by digest, beside a one-language site of the same
articles: time (wall and CPU) and peak memory of a cold build, a no-op rebuild and a rebuild
after editing one article.

Usage::

    python bench/multilingual.py [--sites otel,ruby] [--work DIR] [--out bench/results-multilingual.md]

The sites come from snapshots in /work/.mirror (`fetch`), read with git (never changed):

- `otel`: the opentelemetry.io blog (Hugo; CC-BY-4.0), every post of `content/<lang>/blog/` in
  every language that has posts (en, ja, pt, es, uk, zh);
- `ruby`: the ruby-lang.org news (Jekyll; no licence stated for the site's text, so it is
  used here only, never committed), every post of `<lang>/news/_posts/` in its 17 languages,
  where each release announcement is published in many of them.

Each is brought in with `digest migrate` (a multilingual digest site: `languages:`, each
language under `content/<lang>/`, translations at one path). The one-language twin is a copy
of the migrated site with every article in the default language: `languages:` removed, each
article moved out of its language folder and, for the other languages, given the slug
`LANG-SLUG` (translations share date and slug, and one language has one URL for each).

Each command runs under a fresh Python process that reports its children's resource use:
wall seconds around the command, CPU seconds (user + system of the whole process tree,
workers included) and the peak resident set of the largest process. Only the standard
library is used; run it with the project's Python so `-m generator` runs the working tree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
MIRRORS = Path("/work/.mirror")

_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": run.returncode, "wall": wall, "cpu": use.ru_utime + use.ru_stime,
                  "peak_kb": use.ru_maxrss, "out": run.stdout, "err": run.stderr}))
"""


@dataclass(frozen=True)
class Source:
    name: str
    mirror: str  # owner+name under /work/.mirror
    wanted: str  # a regular expression on paths in the repository
    about: str


SOURCES = {
    "otel": Source(
        "otel",
        "open-telemetry+opentelemetry.io",
        r"^(config/_default/hugo\.yaml|content/[^/]+/blog/.+)$",
        "opentelemetry.io blog (Hugo, CC-BY-4.0)",
    ),
    "ruby": Source(
        "ruby",
        "ruby+www.ruby-lang.org",
        r"^(_config\.yml|[^/]+/news/_posts/[^/]+\.md)$",
        "ruby-lang.org news (Jekyll, no licence stated: local only)",
    ),
}


def measure(*command: str | Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *map(str, command)], capture_output=True, text=True, cwd=REPO
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def digest(*args: str | Path) -> list[str | Path]:
    return [sys.executable, "-m", "generator", *args]


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True).stdout


def extract(source: Source, dest: Path) -> tuple[str, int, int]:
    """The snapshot's wanted files under dest: (commit, files written, files absent from the
    snapshot: its largest blobs may be left out of a mirror)."""
    repo = MIRRORS / source.mirror / "repo"
    commit = git(repo, "rev-parse", "HEAD").decode().strip()
    wanted = re.compile(source.wanted)
    entries = []
    for line in git(repo, "ls-tree", "-r", "-z", "HEAD").split(b"\0"):
        if not line:
            continue
        meta, _, path = line.decode("utf-8").partition("\t")
        mode, kind, sha = meta.split()
        if kind == "blob" and mode != "120000" and wanted.match(path):
            entries.append((sha, path))
    batch = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input="".join(f"{sha}\n" for sha, _ in entries).encode(),
        capture_output=True,
        check=True,
    ).stdout
    written = missing = 0
    pos = 0
    for _, path in entries:
        end = batch.index(b"\n", pos)
        header = batch[pos:end].split()
        pos = end + 1
        if header[-1] == b"missing":
            missing += 1
            continue
        size = int(header[2])
        target = dest / PurePosixPath(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(batch[pos : pos + size])
        pos += size + 1
        written += 1
    return commit, written, missing


def one_language_twin(site: Path, twin: Path) -> None:
    """The migrated site with every article in the default language (see the module's text)."""
    shutil.copytree(site, twin, ignore=shutil.ignore_patterns("site", ".digest-cache"))
    config = (twin / "digest.yaml").read_text(encoding="utf-8")
    default = re.search(r"^language: (\S+)$", config, re.M)
    assert default is not None
    config = re.sub(r"^languages:\n(?:  .*\n)+", "", config, flags=re.M)
    config = re.sub(r"^prefix_default_language: .*\n", "", config, flags=re.M)
    (twin / "digest.yaml").write_text(config, encoding="utf-8")
    content = twin / "content"
    for folder in sorted(p for p in content.iterdir() if p.is_dir()):
        lang = folder.name
        for path in sorted(folder.rglob("*.md")):
            rel = path.relative_to(folder)
            text = path.read_text(encoding="utf-8")
            if lang != default.group(1).lower():
                rel = rel.with_name(f"{rel.stem}-{lang}.md")
                # the language first (digest cuts a long slug at 80 characters: a suffix could be
                # cut off); a quoted slug keeps its quotes: slug: '2024' -> slug: 'ja-2024'
                text = re.sub(r"^slug: (['\"]?)(.+?)\1$", rf"slug: \1{lang}-\2\1", text, count=1, flags=re.M)
            target = content / "_one" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        shutil.rmtree(folder)
    (content / "_one").rename(content / "all")


def translated_article(site: Path) -> Path:
    """A default-language article that has translations (the edit of the third build)."""
    config = (site / "digest.yaml").read_text(encoding="utf-8")
    default = re.search(r"^language: (\S+)$", config, re.M)
    assert default is not None
    content = site / "content"
    home = content / default.group(1).lower()
    others = [p for p in content.iterdir() if p.is_dir() and p != home]
    for path in sorted(home.rglob("*.md")):
        rel = path.relative_to(home)
        if sum((o / rel).is_file() for o in others) >= 2:
            return path
    raise SystemExit(f"{site}: no article with two translations")


def in_twin(site: Path, twin: Path, article: Path) -> Path:
    """Where a default-language article of the site is in its one-language twin."""
    rel = article.relative_to(site / "content")
    return twin / "content" / "all" / PurePosixPath(*rel.parts[1:])


def builds(site: Path, out: Path, article: Path) -> list[dict[str, object]]:
    shutil.rmtree(site / ".digest-cache", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    rows = []
    for name in ("cold", "no-op", "one edit"):
        if name == "one edit":
            with article.open("a", encoding="utf-8") as f:
                f.write("\nOne more sentence, added by bench/multilingual.py.\n")
        result = measure(*digest("build", "-s", site, "-o", out))
        result["build"] = name
        summary = [ln for ln in str(result["out"]).splitlines() if ln.startswith("digest:")]
        result["summary"] = summary[-1] if summary else str(result["err"]).strip().splitlines()[-1:]
        rows.append(result)
        print(f"  {name}: {result['wall']:.2f} s wall, {result['cpu']:.2f} s CPU, "
              f"{int(result['peak_kb']) // 1024} MB; {result['summary']}", flush=True)  # fmt: skip
        if result["code"] != 0:
            print(result["err"], file=sys.stderr)
            raise SystemExit(f"build failed: {site}")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", default="otel,ruby")
    parser.add_argument("--work", type=Path, default=Path("/tmp/digest-bench-multilingual"))
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results-multilingual.md")
    args = parser.parse_args()
    sections = []
    head = git(REPO, "rev-parse", "--short", "HEAD").decode().strip()
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    for key in args.sites.split(","):
        source = SOURCES[key]
        src, site, twin = (args.work / f"{key}-{part}" for part in ("source", "site", "one-language"))
        for folder in (src, site, twin):
            shutil.rmtree(folder, ignore_errors=True)
        commit, files, missing = extract(source, src)
        print(
            f"{source.about}: {files} files at {commit[:10]} ({missing} absent from the snapshot)", flush=True
        )
        migrated = measure(*digest("migrate", src, "-s", site))
        report = str(migrated["err"]).splitlines()
        print("  " + "\n  ".join(ln for ln in report if "posts found" in ln or ln.startswith("languages:")))
        if migrated["code"] not in (0, 1):
            raise SystemExit(f"migrate failed: {migrated['err']}")
        article = translated_article(site)
        one_language_twin(site, twin)
        twin_article = in_twin(site, twin, article)
        print(" multilingual:", flush=True)
        multi = builds(site, args.work / f"{key}-site-out", article)
        print(" one language:", flush=True)
        single = builds(twin, args.work / f"{key}-one-language-out", twin_article)
        languages = next((ln for ln in report if ln.startswith("languages:")), "")
        found = next((ln for ln in report if "posts found" in ln), "")
        lines = [
            f"## {source.about}",
            "",
            f"{MIRRORS.name}/{source.mirror} at commit {commit}; {files} files extracted "
            f"({missing} absent from the snapshot). `digest migrate`: {found.split(': ', 1)[-1]}; "
            f"{languages.split(';')[0]}. Edited: `{article.relative_to(site)}`.",
            "",
            "| site | build | wall s | CPU s | peak MB | digest's summary |",
            "| --- | --- | ---: | ---: | ---: | --- |",
        ]
        for label, rows in (("multilingual", multi), ("one language", single)):
            for r in rows:
                lines.append(
                    f"| {label} | {r['build']} | {float(r['wall']):.2f} | {float(r['cpu']):.2f} | "  # type: ignore[arg-type]
                    f"{int(r['peak_kb']) // 1024} | {r['summary']} |"  # type: ignore[call-overload]
                )
        sections.append("\n".join(lines))
    text = (
        "# A real multilingual site: build time and memory beside one language\n\n"
        f"`.venv/bin/python bench/multilingual.py --sites {args.sites}` at commit {head}, {started}, "
        f"{platform.node() or 'this machine'}: {os.cpu_count()} cores, load average {load} at the start. "
        "Wall and CPU seconds (user + system, the build's worker processes included) and the peak "
        "resident set of the largest process.\n\n" + "\n\n".join(sections) + "\n"
    )
    args.out.write_text(text, encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
