"""Eleventy: the input folder from `eleventy.config.*` / `.eleventy.js` (`dir: {input: "src"}`,
read as text, never executed; else `.`), Markdown posts with YAML front matter and the data of
their directory data files (`blog/blog.json`, `blog/blog.11tydata.json`, `blog/blog.11tydata.js`
read for literal `tags`, `layout`, `permalink`), merged down the folders as Eleventy does.

A post is a Markdown file in a collection named like posts (`posts`, `post`, `blog`, `articles`,
`news`) or under a `blog/`, `posts/` or `post/` folder; `eleventyExcludeFromCollections`, a
`permalink: false`, and a folder's own listing page (`blog/index.md`, `blog/blog.md`) are
skipped with their reason. The old URL is the permalink (the simple template forms evaluated:
`page.fileSlug`, `page.filePathStem`, `title | slugify`), else Eleventy's default: the file's
path under the input folder. Eleventy reads a date without offset as UTC."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from slugify import slugify

from .bodylinks import copy_beside, copy_site_static, is_relative, link_posts, relative_post
from .liquid11ty import convert_templates
from .model import Note, Post, Skipped, SourceSite
from .sourcetext import (
    SourceError,
    file_date,
    js_config_value,
    json_file,
    locate_notes,
    parse_front_matter,
    plain,
    read_text,
    split_front_matter,
    str_list,
    text_or_none,
    to_date,
    truthy,
)

CONFIGS = (
    "eleventy.config.js",
    "eleventy.config.mjs",
    "eleventy.config.cjs",
    "eleventy.config.ts",
    ".eleventy.js",
)
COLLECTIONS = {"posts", "post", "blog", "articles", "news"}
_POST_DIRS = {"blog", "posts", "post"}
_SKIP_DIRS = {"node_modules", "_site", "_includes", "_data", "_layouts"}
_KEYS = {
    "title",
    "date",
    "tags",
    "description",
    "summary",
    "excerpt",
    "author",
    "authors",
    "draft",
    "permalink",
    "slug",
    "lang",
    "image",
    "updated",
    "layout",
    "eleventyExcludeFromCollections",
    "override:tags",
}
_ZONE = re.compile(
    r"""["']((?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z_]+)["']"""
)


def _config(root: Path, site: SourceSite) -> tuple[Path, str | None]:
    config = next((root / c for c in CONFIGS if (root / c).is_file()), None)
    if config is None:
        return root, None
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        site.notes.append(Note(Path(config.name), 0, f"not read ({e}); the input folder is taken to be ."))
        return root, None
    if "addDateParsing" in text and (zone := _ZONE.search(text)):
        site.timezone = zone[1]
        site.notes.append(Note(Path(config.name), 0, f"dates are parsed in {zone[1]} (addDateParsing)"))
    inp = js_config_value(text, "input")
    folder = (root / inp).resolve() if inp else root
    if not folder.is_dir() or not folder.is_relative_to(root.resolve()):
        site.notes.append(Note(Path(config.name), 0, f"input folder {inp!r} not found; . used"))
        folder = root
    return folder, js_config_value(text, "excerpt_separator")


def _metadata(inp: Path, site: SourceSite) -> None:
    """The site's title, language and URL from `_data/metadata.json` (or `.js`), where Eleventy's
    starter blog keeps them."""
    data = json_file(inp / "_data" / "metadata.json")
    if data is None:
        for name in ("metadata.js", "metadata.mjs", "metadata.cjs"):
            try:
                text = (inp / "_data" / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            data = {k: js_config_value(text, k) for k in ("title", "language", "url")}
            break
    if data:
        site.title = text_or_none(data.get("title"))
        site.language = text_or_none(data.get("language"))
        site.base_url = text_or_none(data.get("url"))


def _dir_data(folder: Path) -> dict[str, Any]:
    """A folder's directory data file: JSON read whole, JS read for literal keys."""
    for name in (f"{folder.name}.11tydata.json", f"{folder.name}.json"):
        if (found := json_file(folder / name)) is not None:
            return found
    for name in (f"{folder.name}.11tydata.js", f"{folder.name}.11tydata.mjs", f"{folder.name}.11tydata.cjs"):
        try:
            text = (folder / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        data: dict[str, Any] = {}
        for key in ("layout", "permalink"):
            if (value := js_config_value(text, key)) is not None:
                data[key] = value
        if m := re.search(r"""\btags["']?\s*:\s*(\[[^\]]*\]|["'][^"']*["'])""", text):
            data["tags"] = re.findall(r"""["']([^"']+)["']""", m[1])
        return data
    return {}


def read_eleventy(root: Path) -> SourceSite:
    root = root.resolve()
    site = SourceSite(generator="eleventy", root=root, timezone="UTC")
    inp, excerpt = _config(root, site)
    _metadata(inp, site)
    ignored = _ignored(root)
    cascade: dict[Path, dict[str, Any]] = {}
    for file in sorted(inp.rglob("*.md")):
        rel_in = file.relative_to(inp)
        rel = file.relative_to(root)
        if any(p in _SKIP_DIRS or p.startswith(".") for p in rel_in.parts[:-1]) or file.name == "README.md":
            continue
        if any(rel.as_posix().startswith(i) for i in ignored):
            continue
        data = _cascade(inp, file.parent, cascade)
        try:
            kind, raw, body, first = split_front_matter(read_text(file))
            front = parse_front_matter(kind, raw)
        except SourceError as e:
            site.skipped.append(Skipped(rel, str(e), True, e.line))
            continue
        tags = str_list(front["override:tags"]) if "override:tags" in front else _merged_tags(data, front)
        merged = {**data, **front}
        in_collection = bool(COLLECTIONS & set(tags)) or bool(_POST_DIRS & set(rel_in.parts[:-1]))
        if not in_collection:
            continue
        reason = _not_a_post(file, merged)
        if reason:
            site.skipped.append(Skipped(rel, reason))
            continue
        post = _post(root, inp, file, merged, tags, body, first)
        post.notes = locate_notes(post.notes, raw)
        post.body, notes = convert_templates(post.body, rel, first, excerpt)
        post.notes.extend(notes)
        copy_beside(
            root, post, file.parent, (post.old_urls[0] if post.old_urls else "").strip("/"), recurse=False
        )
        copy_site_static(root, post, inp.relative_to(root).as_posix())  # passthrough copies of the input
        site.posts.append(post)
    sources = {p.source for p in site.posts}

    def resolve(post: Post, target: str, _line: int) -> str | None:
        return relative_post(post, target, sources) or _page_link(root, inp, post, target)

    link_posts(site, resolve)
    return site


def _page_link(root: Path, inp: Path, post: Post, target: str) -> str | None:
    """A relative link to a Markdown page of the old site that is not a post (`../docs/x.md`):
    that page's URL by Eleventy's default, root-relative (`links: {root: …}` makes it outbound)."""
    path, _, anchor = target.partition("#")
    if not is_relative(target) or not path.endswith(".md"):
        return None
    file = ((root / post.source).parent / unquote(path)).resolve()
    if not file.is_file() or not file.is_relative_to(inp.resolve()):
        return None
    stem = file.relative_to(inp.resolve()).with_suffix("").as_posix()
    url = "/" + (stem.removesuffix("index").rstrip("/") + "/" if stem != "index" else "")
    return url.replace("//", "/") + (f"#{anchor}" if anchor else "")


def _ignored(root: Path) -> list[str]:
    try:
        lines = (root / ".eleventyignore").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    paths = (ln.strip().removeprefix("./").rstrip("*").rstrip("/") for ln in lines if not ln.startswith("#"))
    return [p for p in paths if p]


def _cascade(inp: Path, folder: Path, memo: dict[Path, dict[str, Any]]) -> dict[str, Any]:
    if folder in memo:
        return memo[folder]
    parent = {} if folder == inp or not folder.is_relative_to(inp) else _cascade(inp, folder.parent, memo)
    own = _dir_data(folder)
    merged = {**parent, **own}
    merged["tags"] = [
        *str_list(parent.get("tags")),
        *[t for t in str_list(own.get("tags")) if t not in str_list(parent.get("tags"))],
    ]
    memo[folder] = merged
    return merged


def _merged_tags(data: dict[str, Any], front: dict[str, Any]) -> list[str]:
    tags = str_list(data.get("tags"))
    return [*tags, *[t for t in str_list(front.get("tags")) if t not in tags]]


def _not_a_post(file: Path, data: dict[str, Any]) -> str | None:
    if truthy(data.get("eleventyExcludeFromCollections", False)):
        return "eleventyExcludeFromCollections: a page, not a post"
    if data.get("permalink") is False or str(data.get("permalink")).strip().lower() == "false":
        return "permalink: false: Eleventy does not publish it"
    if file.stem == "index" or file.stem == file.parent.name:
        return "the folder's own page (a listing), not a post"
    return None


def _post(
    root: Path, inp: Path, file: Path, data: dict[str, Any], tags: list[str], body: str, first: int
) -> Post:
    rel = file.relative_to(root)
    notes: list[Note] = []
    name_date, file_slug = file_date(file.stem)
    file_slug = file_slug or file.stem
    title, how = _title(data, body, file_slug)
    if how:
        notes.append(Note(rel, 0, how))
    title_key = how.split("'")[1] if how.startswith("no title: '") else "title"
    date = _date(data.get("date"), name_date, file, rel, notes)
    url = _permalink(data, inp, file, (file_slug, title))
    if url is None:
        notes.append(
            Note(
                rel,
                0,
                f"permalink computed by templates: {data.get('permalink')!r}; digest cannot run "
                "them, so no alias keeps its old URL",
            )
        )
    extra = {
        k: plain(v)
        for k, v in data.items()
        if k not in _KEYS and k != title_key and not k.startswith("eleventy")
    }
    return Post(
        source=rel,
        title=title,
        date=date,
        body=body,
        body_line=first,
        slug=text_or_none(data.get("slug")),
        tags=[t for t in tags if t not in COLLECTIONS and t != "all"],
        summary=text_or_none(data.get("description") or data.get("summary") or data.get("excerpt")),
        authors=str_list(data.get("authors")) or str_list(data.get("author")),
        lang=text_or_none(data.get("lang")),
        draft=truthy(data.get("draft", False)),
        updated=to_date(data.get("updated")),
        image=text_or_none(data.get("image")),
        old_urls=[url] if url else [],
        extra=extra,
        notes=notes,
    )


def _title(data: dict[str, Any], body: str, file_slug: str) -> tuple[str, str]:
    if (title := text_or_none(data.get("title"))) is not None:
        return title, ""
    for key, value in data.items():
        if key.lower().endswith("title") and (text := text_or_none(value)):
            return text, f"no title: {key!r} used as the title"
    if m := re.search(r"^#\s+(.+?)\s*#*\s*$", body, re.M):
        return m[1], "no title: the first heading used as the title"
    return file_slug, "no title: the file name used as the title"


def _date(
    value: Any, name_date: dt.date | None, file: Path, rel: Path, notes: list[Note]
) -> dt.datetime | dt.date | None:
    words = str(value).strip().lower() if isinstance(value, str) else ""
    if value is not None and not words.endswith(("modified", "created")):
        if (date := to_date(value)) is not None:
            return date
        notes.append(Note(rel, 0, f"date not understood: {value!r}"))
    if name_date is not None:
        return name_date
    if words.endswith(("modified", "created")) or value is None:
        # "Last Modified", "git Created"...: the file's date here; git history is not read
        notes.append(Note(rel, 0, f"date from the file's modification time: {value or 'no date'}; check it"))
        return dt.datetime.fromtimestamp(file.stat().st_mtime, dt.UTC).date()
    return None


def _permalink(data: dict[str, Any], inp: Path, file: Path, names: tuple[str, str]) -> str | None:
    file_slug, title = names
    stem = file.relative_to(inp).with_suffix("").as_posix()
    raw = data.get("permalink")
    if raw is None or raw is True:
        url = "/" + (stem.removesuffix("index").rstrip("/") + "/" if stem != "index" else "")
        return url.replace("//", "/")
    values = {
        "page.fileSlug": file_slug,
        "page.filePathStem": "/" + stem,
        "title": title,
        "slug": str(data.get("slug") or ""),
    }

    def sub(m: re.Match[str]) -> str:
        expr, _, filt = (p.strip() for p in m[1].partition("|"))
        if expr not in values or (filt and filt not in ("slugify", "slug")):
            raise KeyError(expr)
        return str(slugify(values[expr])) if filt else values[expr]

    try:
        url = re.sub(r"\{\{\s*(.+?)\s*\}\}", sub, str(raw))
    except KeyError:
        return None
    if "{%" in url:
        return None
    url = "/" + url.strip().lstrip("/")
    return url if url.endswith("/") or re.search(r"\.\w+$", url) else url + "/"


read = read_eleventy  # the name detect.read_site calls
