"""Docusaurus: the blog plugin's posts (the classic preset's `blog: {…}` and every
`@docusaurus/plugin-content-blog` instance, options `path` default `blog`, `routeBasePath` default
`blog`), read from `docusaurus.config.(js|ts|mjs|cjs)` as text, never executed.

Posts are `.md`/`.mdx` files under the plugin's path (files and folders starting with `_` are
left out, as Docusaurus does); the date comes from front matter, else from the path
(`2021-05-28-slug.md`, `2021-05-28-slug/index.md`, `2021/05/28/slug.md`). The old URL is
`/ROUTE/SLUG` with `slug:` front matter, else `/ROUTE/YYYY/MM/DD/NAME` for a dated file, else
`/ROUTE/PATH`; authors are keys into `authors.yml` or inline objects, tags strings or keys into
`tags.yml`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from . import convert
from .bodylinks import beside_file, copy_beside, copy_site_static, link_posts, relative_post
from .mdx import convert_mdx
from .model import Note, Post, Skipped, SourceSite
from .sourcetext import (
    SourceError,
    js_config_value,
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
    "docusaurus.config.ts",
    "docusaurus.config.js",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
    "docusaurus.config.mts",
    "docusaurus.config.cts",
)
_KEYS = {
    "title",
    "description",
    "date",
    "slug",
    "authors",
    "author",
    "author_title",
    "author_url",
    "author_image_url",
    "authorURL",
    "authorTitle",
    "authorImageURL",
    "tags",
    "draft",
    "image",
}
_DATE_PATH = re.compile(
    r"^(?P<folder>.*?)(?P<date>\d{4}[-/]\d{1,2}[-/]\d{1,2})[-/]?(?P<text>.*?)(?:/index)?$"
)
_BLOG_OPTION = re.compile(r"""["']?\bblog["']?\s*:\s*(\{|false\b)|plugin-content-blog["']\s*,\s*(\{)""")
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def _block(source: str, start: int) -> str:
    """The `{…}` object literal that opens at `start`, by counting braces outside strings."""
    depth, quote = 0, ""
    for j in range(start, len(source)):
        c = source[j]
        if quote:
            if c == quote and source[j - 1] != "\\":
                quote = ""
        elif c in "\"'`":
            quote = c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return source[start : j + 1]
    return source[start:]


def blog_instances(root: Path, site: SourceSite) -> tuple[list[tuple[str, str, str]], str]:
    """[(path, routeBasePath, id)] of the blog plugins the config sets up, and the site's baseUrl."""
    config = next((root / c for c in CONFIGS if (root / c).is_file()), None)
    text = ""
    if config is not None:
        try:
            text = config.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            site.notes.append(Note(Path(config.name), 0, f"not read ({e}); Docusaurus's defaults assumed"))
    site.base_url = js_config_value(text, "url")
    site.title = js_config_value(text, "title")
    site.language = js_config_value(text, "defaultLocale")
    base = (js_config_value(text, "baseUrl") or "/").strip("/")
    found: list[tuple[str, str, str]] = []
    disabled = False
    for m in _BLOG_OPTION.finditer(text):
        if m[1] == "false":
            disabled = True
            continue
        block = _block(text, m.start(1) if m[1] else m.start(2))
        if m[1] and ("sidebar" in block and "path" not in block and "routeBasePath" not in block):
            continue  # themeConfig.blog: display options, not a plugin
        path = (js_config_value(block, "path") or "blog").strip("/").removeprefix("./")
        route = (js_config_value(block, "routeBasePath") or "blog").strip("/")
        plugin_id = js_config_value(block, "id") or "default"
        if all((path, route) != f[:2] for f in found):
            found.append((path, route, plugin_id))
    if not found and not disabled and (root / "blog").is_dir():
        found.append(("blog", "blog", "default"))
    if not found:
        site.notes.append(
            Note(
                Path(config.name if config else "docusaurus.config.js"),
                0,
                "no blog plugin found (blog: false, or no blog/ folder): nothing to migrate",
            )
        )
    return found, base


def read_docusaurus(root: Path) -> SourceSite:
    root = root.resolve()
    site = SourceSite(generator="docusaurus", root=root)
    instances, base = blog_instances(root, site)
    for path, route, plugin_id in instances:
        folder = root / path
        if not folder.is_dir():
            site.notes.append(Note(Path(path), 0, "the blog plugin's folder does not exist"))
            continue
        authors = _registry(root, folder / "authors.yml", site)
        tags = _registry(root, folder / "tags.yml", site)
        _read_folder(site, folder, "/".join(p for p in (base, route) if p), (authors, tags), None)
        # translations: i18n/LOCALE/docusaurus-plugin-content-blog[-ID]/, the same layout
        name = "docusaurus-plugin-content-blog" + ("" if plugin_id == "default" else f"-{plugin_id}")
        for translated in sorted((root / "i18n").glob(f"*/{name}")):
            locale = translated.parent.name
            prefix = "/".join(p for p in (base, locale, route) if p)
            own = (_registry(root, translated / "authors.yml", site) or authors, tags)
            _read_folder(site, translated, prefix, own, locale)
    sources = {p.source for p in site.posts}
    link_posts(site, lambda post, target, _line: relative_post(post, target, sources))
    return site


def _read_folder(
    site: SourceSite,
    folder: Path,
    prefix: str,
    registries: tuple[dict[str, Any], dict[str, Any]],
    locale: str | None,
) -> None:
    root = site.root
    authors, tags = registries
    for file in sorted(folder.rglob("*")):
        rel_in = file.relative_to(folder)
        if file.suffix not in (".md", ".mdx") or not file.is_file():
            continue
        if any(p.startswith(("_", ".")) for p in rel_in.parts):
            site.skipped.append(Skipped(file.relative_to(root), "starts with _: Docusaurus leaves it out"))
            continue
        try:
            post = _read_post(root, file, rel_in, prefix, authors, tags)
        except SourceError as e:
            site.skipped.append(Skipped(file.relative_to(root), str(e), True, e.line))
            continue
        post.lang = locale
        site.posts.append(post)


def _registry(root: Path, file: Path, site: SourceSite) -> dict[str, Any]:
    if not file.is_file():
        return {}
    try:
        return convert.load_yaml(read_text(file), 1)
    except (SourceError, convert.Unreadable) as e:
        site.notes.append(Note(file.relative_to(root), getattr(e, "line", 0),
                               f"not read ({e}); its keys are kept as names"))
        return {}


def _read_post(
    root: Path, file: Path, rel_in: Path, prefix: str, authors: dict[str, Any], tags: dict[str, Any]
) -> Post:
    rel = file.relative_to(root)
    kind, raw, body, first = split_front_matter(read_text(file))
    data = parse_front_matter(kind, raw)
    notes: list[Note] = []
    stem = rel_in.with_suffix("").as_posix()
    m = _DATE_PATH.match(stem)
    path_date = to_date(_iso(m["date"])) if m else None
    date = to_date(data.get("date"))
    if data.get("date") is not None and date is None:
        notes.append(Note(rel, 0, f"date not understood: {data['date']!r}; the file name's date used"))
    if date is None:
        date = path_date
    if date is None:
        date = dt.datetime.fromtimestamp(file.stat().st_mtime, dt.UTC).date()
        notes.append(
            Note(
                rel,
                0,
                "no date in front matter or file name: the file's modification date is used, "
                "as Docusaurus does; check it",
            )
        )
    slug = text_or_none(data.get("slug"))
    if slug is not None:
        tail = slug.strip("/")
    elif m and path_date is not None:
        d = path_date
        tail = f"{d.year:04d}/{d.month:02d}/{d.day:02d}/{m['folder']}{m['text']}"
    else:
        tail = stem.removesuffix("/index").removesuffix("index")
    url = "/" + "/".join(p for p in (prefix, tail.strip("/")) if p) + "/"
    title = text_or_none(data.get("title"))
    if title is None:
        title, body = _title_from_body(body, rel, notes)
    body, body_notes = convert_mdx(body, rel, first, mdx=file.suffix == ".mdx")
    notes.extend(body_notes)
    extra = {k: plain(v) for k, v in data.items() if k not in _KEYS}
    if truthy(data.get("unlisted", False)):
        notes.append(Note(rel, 0, "unlisted post: digest lists every article; kept under extra, check it"))
    post = Post(
        source=rel,
        title=title,
        date=date,
        body=body,
        body_line=first,
        slug=tail.rstrip("/").rsplit("/", 1)[-1] or None,
        tags=[_tag(t, tags) for t in _as_list(data.get("tags"))],
        summary=text_or_none(data.get("description")),
        authors=_authors(data, authors),
        draft=truthy(data.get("draft", False)),
        image=text_or_none(data.get("image")),
        old_urls=[url],
        extra=extra,
        notes=notes,
    )
    copy_beside(root, post, file.parent, url.strip("/"), recurse=rel_in.stem == "index")
    copy_site_static(root, post, "static")
    post.notes = locate_notes(post.notes, raw)
    if post.image:
        post.image = beside_file(root, post, file.parent, post.image, url)
    return post


def _iso(text: str) -> str:
    y, mo, d = re.split(r"[-/]", text)
    return f"{y}-{int(mo):02d}-{int(d):02d}"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _tag(value: Any, registry: dict[str, Any]) -> str:
    if isinstance(value, dict):
        return str(value.get("label") or value.get("permalink") or "").strip()
    entry = registry.get(str(value))
    if isinstance(entry, dict) and entry.get("label"):
        return str(entry["label"])
    return str(value)


def _authors(data: dict[str, Any], registry: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for item in _as_list(data.get("authors")):
        if isinstance(item, dict):
            key = item.get("key")
            entry = registry.get(str(key)) if key is not None else None
            name = item.get("name") or (entry.get("name") if isinstance(entry, dict) else None) or key
        else:
            entry = registry.get(str(item))
            name = entry.get("name") if isinstance(entry, dict) and entry.get("name") else item
        if name and str(name).strip():
            names.append(str(name).strip())
    if not names:
        names = str_list(data.get("author"))
    return names


def _title_from_body(body: str, rel: Path, notes: list[Note]) -> tuple[str, str]:
    """Docusaurus titles a post without `title:` by its first `# heading` (and shows it once)."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith(("import ", "export ")):
            h = _H1.match(line)
            if h:
                return h[1], "\n".join([*lines[:i], "", *lines[i + 1 :]])  # lines keep their numbers
            break
    notes.append(Note(rel, 0, "no title: the file name is used"))
    return rel.stem if rel.stem != "index" else rel.parent.name, body


read = read_docusaurus  # the name detect.read_site calls
