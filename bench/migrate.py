#!/usr/bin/env python3
"""`digest migrate` on a generated 5,000-post blog of each generator, then `digest build` of
the result: wall time and peak memory of the real CLI.

Usage::

    python bench/migrate.py [--posts 5000] [--generators hugo,jekyll,zola,docusaurus,...]
                            [--work DIR] [--out bench/results-migrate.md]

Each source site is written to its generator's own layout (Pelican `content/` with `Key: value`
headers, Jekyll `_posts/YYYY-MM-DD-slug.md`, Hugo `content/posts/` with TOML front matter,
Zola `content/blog/` with a section `_index.md`, Eleventy `src/blog/` with a directory data
file, Docusaurus `blog/YYYY-MM-DD-slug.md` with `authors.yml`), with the same posts: 400-900
word bodies, tags, an excerpt marker, links between posts, one image in ten posts, and a few of
the generator's own constructs (shortcodes, Liquid, admonitions). The generator is seeded: the
same arguments give the same files.

Wall time is measured around the command; memory is the peak resident set size of the largest
process the command ran (`ru_maxrss` of the children, read by a fresh Python process per
command so one run's peak cannot hide in another's). Only the standard library is used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

WORDS = [
    "government",
    "report",
    "court",
    "city",
    "council",
    "minister",
    "election",
    "market",
    "energy",
    "prices",
    "water",
    "river",
    "school",
    "hospital",
    "workers",
    "union",
    "strike",
    "police",
    "border",
    "trade",
    "budget",
    "climate",
    "drought",
    "harvest",
    "railway",
    "bridge",
    "port",
    "museum",
    "festival",
    "library",
    "research",
    "university",
    "study",
    "survey",
    "data",
    "release",
    "version",
    "update",
    "security",
    "network",
    "software",
    "community",
    "volunteers",
    "donors",
    "regional",
    "national",
    "officials",
    "residents",
    "journalists",
    "editors",
    "readers",
    "statement",
    "interview",
    "investigation",
]
TAGS = [f"topic-{i}" for i in range(60)]
AUTHORS = ["Ana Lima", "Bo Chen", "Chidi Okafor", "Dana Novak", "Emil Berg"]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e2279a320000000049454e44ae426082"
)


class Post:
    def __init__(self, r: random.Random, i: int) -> None:
        self.i = i
        self.slug = f"post-{i:05d}-" + "-".join(r.sample(WORDS, 3))
        self.title = " ".join(r.sample(WORDS, 6)).capitalize() + f" ({i})"
        # five posts a week from 2017 on: 5,000 posts end in 2026, none in the future
        self.date = (dt.date(2017, 1, 1) + dt.timedelta(days=i * 5 // 7)).isoformat()
        self.hour = f"{r.randrange(7, 22):02d}:{r.randrange(60):02d}:00"
        self.tags = sorted(r.sample(TAGS, r.randrange(1, 5)))
        self.author = r.choice(AUTHORS)
        self.summary = " ".join(r.sample(WORDS, 12)).capitalize() + "."
        self.image = i % 10 == 0
        self.paragraphs = [
            " ".join(r.choice(WORDS) for _ in range(r.randrange(60, 130))).capitalize() + "."
            for _ in range(r.randrange(5, 9))
        ]
        self.link_to = r.randrange(max(1, i)) if i else None


def body(post: Post, more: str, link: str, image: str, extra: str) -> str:
    parts = [post.paragraphs[0], more, *post.paragraphs[1:3]]
    if post.link_to is not None:
        parts.append(f"See also [an earlier report]({link}).")
    if post.image:
        parts.append(f"![A chart of the figures]({image})")
    parts.append(extra)
    parts.extend(post.paragraphs[3:])
    parts.append(f"Read the [original report](https://example.org/reports/{post.i}).")
    return "\n\n".join(p for p in parts if p) + "\n"


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(t) for t in items) + "]"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def pelican(root: Path, posts: list[Post]) -> None:
    write(
        root / "pelicanconf.py", 'SITENAME = "Bench"\nSITEURL = "https://bench.example"\nTIMEZONE = "UTC"\n'
    )
    (root / "content" / "images").mkdir(parents=True)
    (root / "content" / "images" / "chart.png").write_bytes(PNG)
    for p in posts:
        head = (
            f"Title: {p.title}\nDate: {p.date} {p.hour[:5]}\nTags: {', '.join(p.tags)}\n"
            f"Author: {p.author}\nSlug: {p.slug}\nSummary: {p.summary}\n\n"
        )
        link = f"{{filename}}/{posts[p.link_to].slug}.md" if p.link_to is not None else ""
        write(root / "content" / f"{p.slug}.md", head + body(p, "", link, "{static}/images/chart.png", ""))


def jekyll(root: Path, posts: list[Post]) -> None:
    write(root / "_config.yml", "title: Bench\nurl: https://bench.example\ntimezone: UTC\n")
    (root / "assets").mkdir()
    (root / "assets" / "chart.png").write_bytes(PNG)
    for p in posts:
        name = f"{p.date}-{p.slug}"
        link = (
            f"{{% post_url {posts[p.link_to].date}-{posts[p.link_to].slug} %}}"
            if p.link_to is not None
            else ""
        )
        head = (
            f"---\nlayout: post\ntitle: {json.dumps(p.title)}\ndate: {p.date} {p.hour}\n"
            f"tags: {json.dumps(p.tags)}\nauthor: {p.author}\nexcerpt: {json.dumps(p.summary)}\n---\n"
        )
        text = body(p, "<!--more-->", link, "{{ site.baseurl }}/assets/chart.png", "{{ page.title }}")
        write(root / "_posts" / f"{name}.md", head + text)


def hugo(root: Path, posts: list[Post]) -> None:
    write(root / "hugo.toml", 'baseURL = "https://bench.example/"\ntitle = "Bench"\nlanguageCode = "en"\n')
    (root / "static" / "images").mkdir(parents=True)
    (root / "static" / "images" / "chart.png").write_bytes(PNG)
    for p in posts:
        link = f'{{{{< ref "{posts[p.link_to].slug}.md" >}}}}' if p.link_to is not None else ""
        head = (
            f"+++\ntitle = {json.dumps(p.title)}\ndate = {p.date}T{p.hour}Z\ntags = {toml_list(p.tags)}\n"
            f"authors = [{json.dumps(p.author)}]\nsummary = {json.dumps(p.summary)}\n"
            f'aliases = ["/old/{p.slug}.html"]\n+++\n'
        )
        extra = "{{< youtube dQw4w9WgXcQ >}}" if p.i % 50 == 0 else ""
        write(
            root / "content" / "posts" / f"{p.slug}.md",
            head + body(p, "<!--more-->", link, "/images/chart.png", extra),
        )


def zola(root: Path, posts: list[Post]) -> None:
    write(root / "config.toml", 'base_url = "https://bench.example"\ntitle = "Bench"\ncompile_sass = false\n')
    write(
        root / "content" / "blog" / "_index.md",
        '+++\ntitle = "Blog"\nsort_by = "date"\npaginate_by = 10\n+++\n',
    )
    (root / "static" / "images").mkdir(parents=True)
    (root / "static" / "images" / "chart.png").write_bytes(PNG)
    for p in posts:
        link = f"@/blog/{posts[p.link_to].date}-{posts[p.link_to].slug}.md" if p.link_to is not None else ""
        head = (
            f"+++\ntitle = {json.dumps(p.title)}\ndescription = {json.dumps(p.summary)}\n"
            f"authors = [{json.dumps(p.author)}]\n\n[taxonomies]\ntags = {toml_list(p.tags)}\n+++\n"
        )
        extra = '{{ youtube(id="dQw4w9WgXcQ") }}' if p.i % 50 == 0 else ""
        text = body(p, "<!-- more -->", link, "/images/chart.png", extra)
        write(root / "content" / "blog" / f"{p.date}-{p.slug}.md", head + text)


def eleventy(root: Path, posts: list[Post]) -> None:
    write(root / "eleventy.config.js", 'export const config = { dir: { input: "src" } };\n')
    write(
        root / "src" / "blog" / "blog.11tydata.json",
        json.dumps({"tags": ["posts"], "layout": "post.njk", "permalink": "/blog/{{ page.fileSlug }}/"}),
    )
    (root / "src" / "img").mkdir(parents=True)
    (root / "src" / "img" / "chart.png").write_bytes(PNG)
    for p in posts:
        link = f"./{posts[p.link_to].date}-{posts[p.link_to].slug}.md" if p.link_to is not None else ""
        head = (
            f"---\ntitle: {json.dumps(p.title)}\ntags: {json.dumps(p.tags)}\nauthor: {p.author}\n"
            f"description: {json.dumps(p.summary)}\n---\n"
        )
        text = body(p, "<!-- excerpt -->", link, "/img/chart.png", "{{ site.name }}" if p.i % 50 == 0 else "")
        write(root / "src" / "blog" / f"{p.date}-{p.slug}.md", head + text)


def docusaurus(root: Path, posts: list[Post]) -> None:
    write(
        root / "docusaurus.config.js",
        "module.exports = {\n  title: 'Bench',\n  url: 'https://bench.example',\n  baseUrl: '/',\n"
        "  presets: [['classic', {blog: {path: 'blog', routeBasePath: 'blog'}}]],\n};\n",
    )
    authors = "".join(f"a{i}:\n  name: {name}\n" for i, name in enumerate(AUTHORS))
    write(root / "blog" / "authors.yml", authors)
    (root / "static" / "img").mkdir(parents=True)
    (root / "static" / "img" / "chart.png").write_bytes(PNG)
    for p in posts:
        link = f"./{posts[p.link_to].date}-{posts[p.link_to].slug}.md" if p.link_to is not None else ""
        head = (
            f"---\ntitle: {json.dumps(p.title)}\nauthors: [a{AUTHORS.index(p.author)}]\n"
            f"tags: {json.dumps(p.tags)}\ndescription: {json.dumps(p.summary)}\n---\n"
        )
        extra = ":::note\n\nA note.\n\n:::" if p.i % 20 == 0 else ""
        write(
            root / "blog" / f"{p.date}-{p.slug}.md",
            head + body(p, "<!-- truncate -->", link, "/img/chart.png", extra),
        )


LAYOUTS: dict[str, Callable[[Path, list[Post]], None]] = {
    "pelican": pelican,
    "jekyll": jekyll,
    "hugo": hugo,
    "zola": zola,
    "eleventy": eleventy,
    "docusaurus": docusaurus,
}

_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
result = {"code": run.returncode, "wall": wall, "peak_kb": peak, "out": run.stdout, "err": run.stderr}
print(json.dumps(result))
"""


def measure(*command: str | Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *map(str, command)], capture_output=True, text=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--generators", default="hugo,jekyll,zola,docusaurus,eleventy,pelican")
    parser.add_argument("--work", type=Path, default=Path("/tmp/digest-bench-migrate"))
    parser.add_argument("--out", type=Path, default=None, help="write a Markdown table here")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    digest = Path(sys.executable).parent / "digest"
    r = random.Random(args.seed)
    posts = [Post(r, i) for i in range(args.posts)]
    rows = []
    for name in args.generators.split(","):
        source, site = args.work / f"{name}-source", args.work / f"{name}-site"
        for folder in (source, site):
            shutil.rmtree(folder, ignore_errors=True)
        source.mkdir(parents=True)
        LAYOUTS[name](source, posts)
        files = sum(1 for _ in source.rglob("*") if _.is_file())
        mig = measure(digest, "migrate", source, "-s", site)
        summary = str(mig["err"]).splitlines()[0].split(": ", 1)[-1] if mig["err"] else ""  # no tmp path
        row = {"generator": name, "source_files": files, "migrate": mig, "summary": summary}
        print(
            f"{name}: migrate exit {mig['code']} in {mig['wall']:.2f} s, "
            f"{int(mig['peak_kb']) // 1024} MB; {summary}"
        )
        if mig["code"] in (0, 1) and (site / "content").is_dir():
            build = measure(digest, "build", "-s", site)
            row["build"] = build
            last = str(build["out"]).strip().splitlines()[-1:] or [""]
            print(
                f"{name}: build exit {build['code']} in {build['wall']:.2f} s, "
                f"{int(build['peak_kb']) // 1024} MB; {last[0]}"
            )
        rows.append(row)
    if args.out:
        args.out.write_text(table(rows, args.posts), encoding="utf-8")
    return 0


def table(rows: list[dict[str, object]], posts: int) -> str:
    out = [
        f"# `digest migrate`: {posts:,} generated posts per generator",
        "",
        f"`python bench/migrate.py --posts {posts}`; wall seconds and the peak RSS of the largest",
        "process (MB). The build is a cold `digest build` of the migrated site.",
        "",
        "| generator | source files | migrate s | migrate MB | migrate summary "
        "| build s | build MB | build |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for row in rows:
        mig = row["migrate"]
        assert isinstance(mig, dict)
        build = row.get("build")
        b = (
            (
                f"{build['wall']:.2f}",
                str(int(build["peak_kb"]) // 1024),
                (str(build["out"]).strip().splitlines() or [""])[-1].replace("|", "/"),
            )
            if isinstance(build, dict)
            else ("", "", "not run: " + str(mig["err"]).strip()[:80].replace("|", "/"))
        )
        out.append(
            f"| {row['generator']} | {row['source_files']:,} | {mig['wall']:.2f} "
            f"| {int(mig['peak_kb']) // 1024} | {str(row['summary']).replace('|', '/')} "
            f"| {b[0]} | {b[1]} | {b[2]} |"
        )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
