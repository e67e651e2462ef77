"""Test-support tool, not part of digest: turn other people's Markdown posts into digest articles.

It reads a public repository's snapshot (a bare git directory: `git ls-tree`, `git cat-file`;
nothing in it is run) and writes a digest site: `digest.yaml` and one article per post under
`content/`, at the post's original path (`.markdown` becomes `.md`, `_posts/` `posts/`), so that relative `.md`
links between posts still resolve. The front matter is rewritten to digest's keys (title, date,
source, source_url, author, tags, lang, summary); the BODY IS KEPT BYTE FOR BYTE, since the point
is to build Markdown written by other people. Pages that are not posts (Hugo `_index.md`,
Go's redirect stubs, Pelican `pages/`) are left out.

    python tests/support/realcontent.py KIND GIT_DIR SITE_DIR [--rev REV] [--only PATH ...] [--normalise]

KIND is one of:
  twir    rust-lang/this-week-in-rust    content/*.md|markdown, Pelican `Key: value` headers
  ruby    ruby/www.ruby-lang.org         */news/_posts/*.md, Jekyll (date from the file name)
  goblog  golang/website                 _content/blog/*.md, YAML (title, date, by, tags, summary)
  otel    open-telemetry/opentelemetry.io  content/LANG/blog/**.md, Hugo YAML

`--only` converts just the named original paths (for the fixtures in tests/fixtures/real/).
SITE_DIR must not exist or be empty of content/ (the tool refuses to mix corpora).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass
class Post:
    path: str  # the original path in the repository
    front: dict[str, Any]  # digest front matter
    body: bytes  # verbatim


@dataclass
class Kind:
    name: str
    site_title: str
    source: str
    base_url: str
    multilingual: bool
    select: Callable[[str], bool]
    convert: Callable[[str, bytes], Post | None]
    skipped: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- reading the snapshot


def ls_tree(git_dir: Path, rev: str) -> list[str]:
    out = subprocess.run(
        ["git", "--git-dir", str(git_dir), "ls-tree", "-r", "--name-only", "-z", rev],
        check=True,
        capture_output=True,
    ).stdout
    return [p.decode("utf-8") for p in out.split(b"\0") if p]


def cat_files(git_dir: Path, rev: str, paths: list[str]) -> Iterator[tuple[str, bytes]]:
    """Each path's blob at REV, through one `git cat-file --batch`."""
    proc = subprocess.Popen(
        ["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    for path in paths:
        proc.stdin.write(f"{rev}:{path}\n".encode())
        proc.stdin.flush()
        header = proc.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            continue
        data = proc.stdout.read(int(header[2]))
        proc.stdout.read(1)  # the newline after each object
        yield path, data
    proc.stdin.close()
    proc.wait()


# ---------------------------------------------------------------- front matter helpers

_YAML_FM = re.compile(rb"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_yaml(data: bytes) -> tuple[dict[str, Any], bytes] | None:
    """(front matter with every scalar as the text written, body bytes) or None."""
    m = _YAML_FM.match(data)
    if not m:
        return None
    # BaseLoader: dates, numbers and booleans stay the text the author wrote
    front = yaml.load((m.group(1) or b"").decode("utf-8"), Loader=yaml.BaseLoader) or {}
    if not isinstance(front, dict):
        return None
    return front, data[m.end() :]


def as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def pelican_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^\w\s-]", "", text).strip()
    return re.sub(r"[-\s]+", "-", text)


def ymd(date_text: str) -> tuple[str, str, str] | None:
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", date_text.strip())
    return (m.group(1), m.group(2).zfill(2), m.group(3).zfill(2)) if m else None


def article(kind: Kind, path: str, body: bytes, **fields: Any) -> Post:
    front: dict[str, Any] = {"title": fields.pop("title"), "date": fields.pop("date"), "source": kind.source}
    for key in ("source_url", "author", "tags", "lang", "summary"):
        value = fields.get(key)
        if value:
            front[key] = value
    return Post(path, front, body)


# ---------------------------------------------------------------- the four corpora


def _twir_convert(path: str, data: bytes) -> Post | None:
    # Pelican's Markdown reader: `Key: value` lines up to the first blank line, then the body
    header, sep, body = data.partition(b"\n\n")
    if not sep:
        return None
    meta: dict[str, str] = {}
    for line in header.decode("utf-8").splitlines():
        key, colon, value = line.partition(":")
        if not colon or not re.fullmatch(r"[A-Za-z_]+", key.strip()):
            return None
        meta[key.strip().lower()] = value.strip()
    if "title" not in meta or "date" not in meta:
        return None
    tags = as_list(meta.get("tags")) + as_list(meta.get("category"))
    day = ymd(meta["date"])
    slug = meta.get("slug") or pelican_slug(meta["title"])
    url = f"https://this-week-in-rust.org/blog/{day[0]}/{day[1]}/{day[2]}/{slug}/" if day else None
    return article(
        TWIR, path, body, title=meta["title"], date=meta["date"], source_url=url,
        author=meta.get("author"), tags=list(dict.fromkeys(tags)), summary=meta.get("summary"),
    )  # fmt: skip


def _ruby_convert(path: str, data: bytes) -> Post | None:
    split = split_yaml(data)
    if split is None:
        return None
    front, body = split
    lang_dir = path.split("/", 1)[0]
    name = path.rsplit("/", 1)[-1]
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})-(.+)\.(?:md|markdown)$", name)
    if not m or not front.get("title"):
        return None
    # Jekyll: the date in front matter wins, else the one in the file name
    date = front.get("date") or f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    url = f"https://www.ruby-lang.org/{lang_dir}/news/{m.group(1)}/{m.group(2)}/{m.group(3)}/{m.group(4)}/"
    return article(
        RUBY, path, body, title=front["title"], date=date, source_url=url,
        author=front.get("author"), tags=as_list(front.get("tags")), lang=front.get("lang") or lang_dir,
    )  # fmt: skip


def _go_convert(path: str, data: bytes) -> Post | None:
    split = split_yaml(data)
    if split is None:
        return None
    front, body = split
    if not front.get("title") or not front.get("date") or front.get("redirect"):
        return None
    name = path.rsplit("/", 1)[-1].removesuffix(".md")
    authors = as_list(front.get("by")) if isinstance(front.get("by"), list) else front.get("by")
    return article(
        GOBLOG, path, body, title=front["title"], date=front["date"],
        source_url=f"https://go.dev/blog/{name}", author=authors,
        tags=as_list(front.get("tags")), summary=front.get("summary"),
    )  # fmt: skip


def _otel_convert(path: str, data: bytes) -> Post | None:
    split = split_yaml(data)
    if split is None or path.endswith("/_index.md"):
        return None
    front, body = split
    if not front.get("title") or not front.get("date"):
        return None
    parts = path.split("/")  # content/LANG/blog/YEAR/slug.md or content/LANG/blog/YEAR/slug/index.md
    lang = parts[1]
    rest = parts[3:]
    if rest[-1] == "index.md":
        rest = rest[:-1]
    else:
        rest[-1] = rest[-1].removesuffix(".md")
    prefix = "" if lang == "en" else f"{lang}/"
    url = f"https://opentelemetry.io/{prefix}blog/{'/'.join(rest)}/"
    return article(
        OTEL, path, body, title=front["title"], date=front["date"], source_url=url,
        author=front.get("author"), tags=as_list(front.get("tags")), lang=lang,
        summary=front.get("description"),
    )  # fmt: skip


TWIR = Kind(
    "twir", "This Week in Rust (real content)", "This Week in Rust", "https://example.org/twir/", False,
    lambda p: bool(re.fullmatch(r"content/[^/]+\.(md|markdown)", p)), _twir_convert,
)  # fmt: skip
RUBY = Kind(
    "ruby", "Ruby News (real content)", "ruby-lang.org", "https://example.org/ruby/", True,
    lambda p: bool(re.fullmatch(r"[^/_.][^/]*/news/_posts/[^/]+\.(md|markdown)", p)), _ruby_convert,
)  # fmt: skip
GOBLOG = Kind(
    "goblog", "The Go Blog (real content)", "The Go Blog", "https://example.org/go/", False,
    lambda p: bool(re.fullmatch(r"_content/blog/[^/]+\.md", p)) and not p.endswith("/README.md"), _go_convert,
)  # fmt: skip
OTEL = Kind(
    "otel", "OpenTelemetry Blog (real content)", "OpenTelemetry Blog", "https://example.org/otel/", True,
    lambda p: bool(re.fullmatch(r"content/[^/]+/blog/.+\.md", p)), _otel_convert,
)  # fmt: skip
KINDS = {k.name: k for k in (TWIR, RUBY, GOBLOG, OTEL)}


# ---------------------------------------------------------------- writing the site


def target_path(path: str) -> str:
    """Where a post goes under the site's content/: its path less a leading content/ folder,
    with `.markdown` as `.md` and the leading `_` taken off folder names (digest skips `_posts/`,
    `_content/`, as Jekyll does)."""
    parts = [part.lstrip("_") or part for part in path.split("/")]
    if parts[0] == "content" and len(parts) > 1:  # Pelican's and Hugo's content/, Go's _content/
        parts = parts[1:]
    return re.sub(r"\.markdown$", ".md", "/".join(parts))


_LOOSE_DATE = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"\s*(Z|UTC|[+-]\d{2}:?\d{2})?)?\s*"
)


def normalise(front: dict[str, Any]) -> dict[str, Any]:
    """`--normalise`: what a careful curator would retype, to get past the problems found in
    these corpora and see the rest of the build: dates zero-padded in ISO 8601 (`2013-11-22
    5:00:00 +0000` -> `2013-11-22T05:00:00+00:00`, `2024-4-09` -> `2024-04-09`) and language
    tags with `-` (`zh_cn` -> `zh-cn`). The body is never touched."""
    out = dict(front)
    m = _LOOSE_DATE.fullmatch(str(front["date"]))
    if m:
        y, mo, d, h, mi, sec, tz = m.groups()
        date = f"{y}-{int(mo):02d}-{int(d):02d}"
        if h is not None:
            date += f"T{int(h):02d}:{mi}:{sec or '00'}"
            if tz in ("Z", "UTC"):
                date += "+00:00"
            elif tz:
                date += tz if ":" in tz else f"{tz[:3]}:{tz[3:]}"
        out["date"] = date
    if "lang" in out:
        out["lang"] = str(out["lang"]).replace("_", "-")
    return out


def dump_front(front: dict[str, Any]) -> bytes:
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return b"---\n" + text.encode("utf-8") + b"---\n"


def write_site(kind: Kind, posts: list[Post], site: Path, normalised: bool = False) -> None:
    (site / "content").mkdir(parents=True, exist_ok=True)
    config = {
        "title": kind.site_title,
        "base_url": kind.base_url,
        "language": "en",
        "timezone": "UTC",
    }
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    if kind.multilingual:
        # translations share titles and days: one URL space per language
        text += "permalinks:\n  article: /{lang}/{year}/{month}/{day}/{slug}/\n"
    (site / "digest.yaml").write_text(text, encoding="utf-8")
    for post in posts:
        out = site / "content" / target_path(post.path)
        out.parent.mkdir(parents=True, exist_ok=True)
        front = normalise(post.front) if normalised else post.front
        out.write_bytes(dump_front(front) + post.body)


def convert(
    kind: Kind,
    git_dir: Path,
    site: Path,
    rev: str = "HEAD",
    only: list[str] | None = None,
    normalised: bool = False,
) -> list[Post]:
    paths = [p for p in ls_tree(git_dir, rev) if kind.select(p)]
    if only:
        missing = sorted(set(only) - set(paths))
        if missing:
            raise SystemExit(f"not posts of {kind.name} at {rev}: {', '.join(missing)}")
        paths = [p for p in paths if p in set(only)]
    posts: list[Post] = []
    for path, data in cat_files(git_dir, rev, paths):
        post = kind.convert(path, data)
        if post is None:
            kind.skipped.append(path)
        else:
            posts.append(post)
    if (site / "content").exists() and any((site / "content").iterdir()):
        raise SystemExit(f"{site}/content is not empty; remove it first")
    write_site(kind, posts, site, normalised)
    return posts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("git_dir", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--only", nargs="+")
    parser.add_argument(
        "--normalise", action="store_true", help="ISO dates and '-' in lang (see normalise())"
    )
    args = parser.parse_args(argv)
    kind = KINDS[args.kind]
    commit = subprocess.run(
        ["git", "--git-dir", str(args.git_dir), "rev-parse", args.rev],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    posts = convert(kind, args.git_dir, args.site, commit, args.only, args.normalise)
    print(f"{kind.name}: {len(posts)} articles from {args.git_dir} at {commit} into {args.site}")
    if kind.skipped:
        print(f"{kind.name}: {len(kind.skipped)} files left out (not posts): {', '.join(kind.skipped[:8])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
