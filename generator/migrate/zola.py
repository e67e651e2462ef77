"""Zola: `config.toml`, the `content/` tree of sections (`_index.md`) and pages (`x.md`,
`x/index.md` with its assets beside it, `x.fr.md` translations), `+++` TOML front matter.

URLs follow Zola's rules: a page is at its section's path plus its slug (the file or folder name
without a leading `YYYY-MM-DD-`/`YYYY-MM-DD_` date, slugified as `[slugify] paths` says), `slug`
replaces the slug, `path` the whole path, a translation is under `/LANG/`; `aliases` are old URLs
too. Zola has no time-zone setting: a date keeps its offset or is naive (the site's zone)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from slugify import slugify

from .bodylinks import copy_beside, copy_site_static, line_notes, link_posts, relative_post
from .convert import Unreadable, load_toml, post_ref
from .model import Note, Post, Skipped, SourceSite
from .sourcetext import (
    SourceError,
    file_date,
    locate_notes,
    map_prose,
    parse_front_matter,
    plain,
    read_text,
    split_front_matter,
    str_list,
    text_or_none,
    to_date,
    truthy,
)

_PAGE_KEYS = {
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "path",
    "aliases",
    "authors",
    "taxonomies",
    "extra",
    "lang",
}
_MORE = re.compile(r"<!--\s*more\s*-->")
_SHORTCODE = re.compile(r"\{\{\s*[A-Za-z_]\w*\(.*?\)\s*\}\}|\{%\s*[A-Za-z_]\w*\(.*?\)\s*%\}")
_PATH_DATED = "no date key"
_PATH_DATE = re.compile(r"(?:^|/)(\d{4})[/-](\d{2})[/-](\d{2})(?:/|-|$)")


class _Config:
    def __init__(self, root: Path, site: SourceSite) -> None:
        data: dict[str, Any] = {}
        try:
            data = load_toml(read_text(root / "config.toml"))
        except (SourceError, Unreadable) as e:
            site.notes.append(Note(Path("config.toml"), getattr(e, "line", 0),
                                   f"not read ({e}); Zola's defaults assumed"))
        self.default_lang = str(data.get("default_language") or "en")
        langs = data.get("languages") or {}
        self.languages = set(langs) if isinstance(langs, dict) else set()
        if isinstance(langs, dict):  # a language's title and description, for digest.yaml
            site.language_settings = {
                str(code): {k: str(v[k]) for k in ("title", "description") if isinstance(v.get(k), str)}
                for code, v in langs.items()
                if isinstance(v, dict)
            }
        slug_conf = data.get("slugify") if isinstance(data.get("slugify"), dict) else {}
        self.slug_paths = str((slug_conf or {}).get("paths", "on"))
        site.base_url = text_or_none(data.get("base_url"))
        site.title = text_or_none(data.get("title"))
        site.language = self.default_lang

    def slug(self, text: str) -> str:
        if self.slug_paths == "on":
            return str(slugify(text))
        if self.slug_paths == "safe":
            return re.sub(r"[<>:\"/\\|?*#\s]+", "-", text.strip()).strip("-")
        return text


def read_zola(root: Path) -> SourceSite:
    root = root.resolve()
    site = SourceSite(generator="zola", root=root)
    conf = _Config(root, site)
    content = root / "content"
    if not content.is_dir():
        site.notes.append(Note(Path("content"), 0, "no content/ folder: nothing to migrate"))
        return site
    for file in sorted(content.rglob("*.md")):
        rel = file.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if file.name.startswith("_index."):
            site.skipped.append(Skipped(rel, _section_reason(file)))
            continue
        try:
            post = _read_page(root, file, conf, site)
        except SourceError as e:
            site.skipped.append(Skipped(rel, str(e), True, e.line))
            continue
        if post is None:
            site.skipped.append(
                Skipped(rel, "an empty page without title or date (a template's page): not a post")
            )
            continue
        site.posts.append(post)
    dated = [p for p in site.posts if any(n.message.startswith(_PATH_DATED) for n in p.notes)]
    for post in dated:
        post.notes = [n for n in post.notes if not n.message.startswith(_PATH_DATED)]
    if dated:
        site.notes.append(
            Note(
                Path("content"),
                0,
                f"{_PATH_DATED} for {len(dated)} pages: dated from their `path` (YYYY/MM/DD)",
            )
        )
    sources = {p.source for p in site.posts}

    def resolve(post: Post, target: str, line: int) -> str | None:
        if target.startswith("@/"):
            path, _, anchor = target[2:].partition("#")
            if path.rsplit("/", 1)[-1].startswith("_index."):  # a section: its old listing page
                parts = [conf.slug(p) for p in Path(path).parent.parts]
                return "/" + "".join(p + "/" for p in parts) + (f"#{anchor}" if anchor else "")
            if Path("content") / path not in sources:
                post.notes.append(Note(post.source, line, f"link to no migrated post: {target} left as is"))
                return None
            return post_ref(Path("content") / path, f"#{anchor}" if anchor else "")
        return relative_post(post, target, sources)

    link_posts(site, resolve)
    return site


def _section_reason(file: Path) -> str:
    facts = []
    try:
        kind, raw, _, _ = split_front_matter(read_text(file))
        data = parse_front_matter(kind, raw)
    except SourceError as e:
        return f"a Zola section index, not a post ({e})"
    for key in ("sort_by", "paginate_by", "page_template", "transparent"):
        if key in data:
            facts.append(f"{key}={data[key]}")
    said = f" ({', '.join(facts)})" if facts else ""
    return f"a Zola section index, not a post{said}: its pages are migrated, digest makes its own listings"


def _lang_of(name: str, conf: _Config) -> tuple[str, str | None]:
    """(stem, language) of `x.md` / `x.fr.md`."""
    stem = name.rsplit(".", 1)[0]
    if "." in stem:
        base, _, code = stem.rpartition(".")
        if code in conf.languages:  # Zola reads `x.fr.md` as French only when `fr` is configured
            return base, code
    return stem, None


def _read_page(root: Path, file: Path, conf: _Config, site: SourceSite) -> Post | None:
    rel = file.relative_to(root)
    kind, raw, body, first = split_front_matter(read_text(file))
    if kind == "yaml":
        site.notes.append(Note(rel, 1, "YAML front matter: Zola reads TOML (+++), read anyway"))
    data = parse_front_matter(kind, raw)
    stem, lang = _lang_of(file.name, conf)
    bundle = stem == "index"
    name = file.parent.name if bundle else stem
    section = file.parent.parent if bundle else file.parent
    name_date, name_slug = file_date(name)
    notes: list[Note] = []
    slug = text_or_none(data.get("slug"))
    slug = conf.slug(slug) if slug else conf.slug(name_slug or name)
    parts = [conf.slug(p) for p in section.relative_to(root / "content").parts]
    prefix = f"/{lang}" if lang and lang != conf.default_lang else ""
    path = text_or_none(data.get("path"))
    url = f"{prefix}/{path.strip('/')}/" if path else f"{prefix}/{'/'.join([*parts, slug])}/"
    url = url.replace("//", "/")
    date = to_date(data.get("date"))
    if data.get("date") is not None and date is None:
        notes.append(Note(rel, 0, f"date not understood: {data['date']!r}"))
    if date is None and name_date is not None:
        date = name_date
    if date is None and (m := _PATH_DATE.search(path or "")):
        date = to_date(f"{m[1]}-{m[2]}-{m[3]}")
        notes.append(Note(rel, 0, _PATH_DATED))
    title = text_or_none(data.get("title"))
    if title is None and date is None and not body.strip():
        return None
    if title is None:
        title = name_slug or name
        notes.append(Note(rel, 0, f"no title: the file name {title!r} used"))
    tax = data.get("taxonomies") if isinstance(data.get("taxonomies"), dict) else {}
    extra: dict[str, Any] = {k: plain(v) for k, v in data.items() if k not in _PAGE_KEYS}
    if isinstance(data.get("extra"), dict):
        extra.update({k: plain(v) for k, v in data["extra"].items()})
    extra.update(
        {
            f"taxonomy_{k}": str_list(v)
            for k, v in (tax or {}).items()
            if k not in ("tags", "categories", "authors")
        }
    )
    post = Post(
        source=rel,
        title=title,
        date=date,
        body=body,
        body_line=first,
        slug=slug,
        tags=str_list((tax or {}).get("tags")),
        categories=str_list((tax or {}).get("categories")),
        summary=text_or_none(data.get("description")),
        authors=str_list(data.get("authors")) or str_list((tax or {}).get("authors")),
        lang=lang or text_or_none(data.get("lang")),
        draft=truthy(data.get("draft", False)),
        updated=to_date(data.get("updated")),
        old_urls=[url, *[_alias(a) for a in str_list(data.get("aliases"))]],
        extra=extra,
        notes=notes,
        # Zola's translations: x.md and x.fr.md (a bundle's index.md and index.fr.md)
        translation_key=(section / name).relative_to(root).as_posix(),
    )
    _convert_body(post, first)
    post.notes = locate_notes(post.notes, raw)
    if bundle:
        copy_beside(root, post, file.parent, url.strip("/"))
    copy_site_static(root, post, "static")
    return post


def _alias(alias: str) -> str:
    alias = "/" + alias.strip().lstrip("/")
    return alias if alias.endswith(("/", ".html", ".htm")) else alias + "/"


def _convert_body(post: Post, first: int) -> None:
    if "more" in post.body:
        post.body = map_prose(post.body, lambda _i, line: _MORE.sub("<!--more-->", line))
    if "{{" not in post.body and "{%" not in post.body:
        return
    for i, call in line_notes(post.body, _SHORTCODE):
        post.notes.append(
            Note(
                post.source,
                first + i,
                f"Zola shortcode left as text: {call} (digest has no equivalent; rewrite it by hand)",
            )
        )


read = read_zola  # the name detect.read_site calls
