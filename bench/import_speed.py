"""How fast `digest import` is: one page (a whole process, start-up included, the median of
several runs) and 200 pages in one command, into copies of the example site.

The pages are pasted-text pages made here (a masthead, a headline, a byline, eight paragraphs
of seeded random words, the usual clutter), all different, so that none is refused as a copy of
another; `--html` makes them saved .html pages (JSON-LD, a canonical URL, navigation) for the
extractor of the import extra; `--pages DIR` imports the files of a folder instead (saved .html pages, say;
`--source NAME` for pages that name no outlet).

    .venv/bin/python bench/import_speed.py [--runs 5] [--count 200] [--html] [--pages DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = """court soldier refused deployment military order lawyer guard dismissal region city
appeal ruling prosecutor sentence contract service unit commander report hearing garrison
minister decree border village harbour ferry strike union council budget hospital school
election vote parliament protest police station river bridge winter harvest factory wage
market price energy grid storm flood rescue volunteer museum theatre festival railway
the the the the of of of and and to to in in a a was said that for on with by from""".split()  # noqa: SIM905


def page(rng: random.Random, n: int) -> str:
    def sentence(k: int) -> str:
        words = [rng.choice(WORDS) for _ in range(k)]
        return " ".join(words).capitalize() + "."

    title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize() + f" {n}"
    body = ["\n".join(["Enjoying ad-free content?", "Support us"]), "Example Daily", title,
            f"By Reporter {n} | Example Wire |"]
    body += [" ".join(sentence(rng.randint(12, 22)) for _ in range(4)) for _ in range(8)]
    body += ["Related Articles\n1 of 12", "Read more"]
    return "\n\n".join(body) + "\n"


def html_page(rng: random.Random, n: int) -> str:
    """The same kind of page as a saved .html file: JSON-LD, a canonical URL, navigation."""
    text = page(rng, n).split("\n\n")
    title, paragraphs = text[2], text[4:-2]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": f"2026-11-{1 + n % 28:02d}T08:00:00+00:00",
                     "author": {"@type": "Person", "name": f"Reporter {n}"},
                     "publisher": {"@type": "Organization", "name": "Example Wire"}})
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="https://news.example.com/{n}/?utm_source=x">'
            f'<script type="application/ld+json">{ld}</script></head><body>'
            '<nav><a href="/">Home</a> <a href="/world">World</a></nav><main><article>'
            f"<h1>{title}</h1><p>By Reporter {n}</p>{body}<p>SEE MORE</p></article></main>"
            "<footer>© Example Wire</footer></body></html>\n")


def example_site(dst: Path) -> Path:
    shutil.copytree(REPO / "content", dst / "content")
    for name in ("digest.yaml", "sources.yaml", "stories.yaml"):
        shutil.copy(REPO / name, dst / name)
    return dst


# as installed: Python's compiled bytecode cached (a PYTHONDONTWRITEBYTECODE in the environment
# would have every run compile digest's modules again, which no installed copy does)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(args: list[str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of the process): on a shared machine the first waits
    for other people's work, the second does not."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=ENV)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"digest import failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of the one-page import (median)")
    parser.add_argument("--count", type=int, default=200, help="pages in the one-command import")
    parser.add_argument("--pages", type=Path, help="a folder of pages to import instead of made ones")
    parser.add_argument("--source", help="--source NAME for each import (pages that name no outlet)")
    parser.add_argument("--html", action="store_true",
                        help="made pages as saved .html files (needs the import extra)")
    args = parser.parse_args()
    source = ["--source", args.source] if args.source else []
    digest = [sys.executable, "-m", "generator", "import", *source]
    with tempfile.TemporaryDirectory(prefix="digest-import-bench-") as tmp:
        root = Path(tmp)
        if args.pages:
            pages = sorted(p for p in args.pages.iterdir() if p.is_file())[: args.count]
        else:
            rng = random.Random(15)
            (root / "pages").mkdir()
            pages = []
            for n in range(args.count):
                path = root / "pages" / f"page-{n:03d}.{'html' if args.html else 'txt'}"
                path.write_text((html_page if args.html else page)(rng, n), encoding="utf-8")
                pages.append(path)
        timed([*digest, str(pages[0]), "-s", str(example_site(root / "warm-up")), "--dry-run"])
        one = []
        for run in range(args.runs):
            site = example_site(root / f"one-{run}")
            one.append(timed([*digest, str(pages[0]), "-s", str(site)]))
        site = example_site(root / "many")
        many = timed([*digest, *map(str, pages), "-s", str(site)])
        written = len(list((site / "content").rglob("*.md"))) - 2
    walls = [w for w, _ in one]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    kind = "HTML" if args.html else "pasted-text"
    print(f"{kind} pages")
    print(f"one page, start-up included: median {statistics.median(walls):.3f} s of {args.runs} runs "
          f"(min {min(walls):.3f} s, max {max(walls):.3f} s); CPU median "
          f"{statistics.median(c for _, c in one):.3f} s")
    print(f"{len(pages)} pages in one command: {many[0]:.2f} s, CPU {many[1]:.2f} s ({written} drafts, "
          f"{many[0] / len(pages) * 1000:.0f} ms a page)")


if __name__ == "__main__":
    main()
