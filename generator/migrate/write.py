"""From a SourceSite to files in a digest site: one article per post under
`content/YYYY/SLUG.md` (`content/<lang>/YYYY/SLUG.md` in a multilingual site: languages.py),
the files posts use under `static/`, a minimal digest.yaml when the site has none. A plan is
made first (`--dry-run` prints it); nothing in SOURCE_DIR is ever written.

Each article records where it came from in `extra: {migrated_from: PATH}` (PATH relative to
SOURCE_DIR): a second run finds these and skips those posts unless `--force`."""

from __future__ import annotations

import datetime as dt
import filecmp
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.urls import expand_permalink, parse_url, slugify
from ..parse import frontmatter
from ..read.config import CONFIG_NAME, SiteConfig, load_config
from ..scaffold import CONFIG_TEMPLATE
from . import convert as cv
from . import languages, relative
from .convert import POST_REF, Unreadable, load_yaml
from .model import Note, Post, Skipped, SourceSite

MIGRATED_FROM = "migrated_from"


@dataclass
class Item:
    post: Post
    path: Path  # relative to the site folder
    text: str
    action: str  # "write", "replace" (--force), "skip" (migrated before), "same" (unchanged)
    url: str  # the article's URL on the digest site, under base_url's path
    aliases: list[str]
    slug: str = ""
    in_folder: bool = False  # under its language's folder: no `lang:` (the folder says it)
    key: str = ""  # a `translation_key:` where the folder cannot say it (a three-letter language)


@dataclass
class Plan:
    site_dir: Path
    config_text: str | None  # a new digest.yaml, when the site has none
    items: list[Item] = field(default_factory=list)
    copies: list[tuple[Path, Path]] = field(default_factory=list)  # (source file, site file)
    notes: list[Note] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    languages: tuple[str, ...] = ()  # a multilingual site's, the default first


def _settings(site_dir: Path, source: SourceSite) -> tuple[SiteConfig, str | None]:
    """The site's config (ConfigError when it is wrong), or a new one made from the old site's."""
    if (site_dir / CONFIG_NAME).is_file():
        return load_config(site_dir), None
    parts = parse_url(source.base_url or "")  # the old config's text: may be no URL at all
    host = parts.hostname if parts else None
    title = source.title or host or site_dir.resolve().name or "Migrated blog"
    text = CONFIG_TEMPLATE.format(title=frontmatter.yaml_value(title))
    base = (
        source.base_url if source.base_url and source.base_url.startswith(("http://", "https://")) else None
    )
    if base:
        text = text.replace(
            "base_url: https://example.org/", f"base_url: {frontmatter.yaml_value(base.rstrip('/') + '/')}"
        )
    lang = (source.language or "en").replace("_", "-")
    text = text.replace("language: en", f"language: {frontmatter.yaml_value(lang)}")
    text = text.replace("timezone: UTC", f"timezone: {frontmatter.yaml_value(source.timezone or 'UTC')}")
    text = text.replace("description: A curated digest of news from many outlets.\n", "")
    permalink = SiteConfig.article_permalink
    layout, _ = languages.layout_for(source, None)
    if layout is not None:  # posts in several languages: a multilingual site
        text = text.replace(f"language: {frontmatter.yaml_value(lang)}", f"language: {layout.default}")
        text = text.replace("timezone:", languages.config_lines(layout, source) + "timezone:", 1)
        lang = layout.default
    elif len({p.lang.lower() for p in source.posts if p.lang}) > 1:  # languages that are not tags
        permalink = "/{lang}" + permalink
        text = text.replace("  article: /{year}", "  article: /{lang}/{year}")
    config = SiteConfig(
        root=site_dir,
        title=title,
        base_url=(base.rstrip("/") + "/") if base else "https://example.org/",
        language=lang,
        timezone=source.timezone or "UTC",
        article_permalink=permalink,
    )
    return config, text


def migrated_before(content: Path) -> dict[str, Path]:
    """source path -> article file, from `extra.migrated_from` of the site's articles."""
    found: dict[str, Path] = {}
    if not content.is_dir():
        return found
    for path in sorted(content.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if MIGRATED_FROM not in text:
            continue
        try:
            fields = load_yaml(frontmatter.split(text).yaml_text)
        except (frontmatter.SplitProblem, Unreadable):
            continue
        extra = fields.get("extra") if isinstance(fields, dict) else None
        if isinstance(extra, dict) and isinstance(extra.get(MIGRATED_FROM), str):
            found.setdefault(extra[MIGRATED_FROM], path)
    return found


def _in_zone(value: dt.datetime | dt.date, config: SiteConfig) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(config.zone) if value.tzinfo else value
    return dt.datetime.combine(value, dt.time(0))


def _url(config: SiteConfig, when: dt.datetime, slug: str, source: str, lang: str, prefix: str = "") -> str:
    tokens = {
        "year": f"{when.year:04d}",
        "month": f"{when.month:02d}",
        "day": f"{when.day:02d}",
        "slug": slug,
        "source": slugify(source) if source else "",
        "lang": lang.lower(),
    }
    # site-relative, as digest reads root-relative links and aliases: under base_url's path
    return prefix + "/" + expand_permalink(config.article_permalink, tokens).lstrip("/")


def fields_of(
    post: Post, source_name: str | None, slug: str, aliases: list[str], lang: bool = True, key: str = ""
) -> dict[str, Any]:
    """The article's front matter, in digest's key order."""
    tags = list(dict.fromkeys([*post.tags, *post.categories]))
    extra = {k: v for k, v in post.extra.items() if v is not None and v != "" and v != []}
    extra[MIGRATED_FROM] = post.source.as_posix()
    if post.categories:
        extra.setdefault("categories", list(post.categories))
    authors: Any = post.authors[0] if len(post.authors) == 1 else list(post.authors)
    return {
        "title": post.title,
        "date": post.date,
        "source": source_name,
        "author": authors,
        "tags": tags,
        "summary": post.summary,
        "slug": slug,
        "draft": True if post.draft else None,
        "updated": post.updated,
        "lang": post.lang if lang else None,
        "translation_key": key or None,
        "image": post.image,
        "aliases": aliases,
        "extra": extra,
    }


def plan(source: SourceSite, site_dir: Path, force: bool) -> Plan:
    config, config_text = _settings(site_dir, source)
    result = Plan(site_dir, config_text)
    before = migrated_before(site_dir / "content")
    # a site with defaults.source needs no source key; else the old site's own name
    source_name = None if config.default_source else (source.title or config.title)
    taken_paths: set[Path] = set(before.values())
    taken_urls: dict[str, Path] = {}
    copied: dict[Path, Path] = {}
    layout, notes = languages.layout_for(source, None if config_text is not None else config)
    result.notes.extend(notes)
    result.languages = layout.codes if layout else ()
    dated = [p for p in source.posts if p.date is not None and p.source.as_posix() not in before]
    placed = (
        languages.paths(
            layout,
            dated,
            lambda p: _in_zone(p.date, config),  # type: ignore[arg-type]
            lambda p: slugify(p.slug or p.title, p.source.stem),
            lambda rel: site_dir / rel not in taken_paths and not (site_dir / rel).exists(),
        )
        if layout
        else {}
    )
    for post in sorted(source.posts, key=lambda p: p.source.as_posix()):
        if post.date is None:
            result.skipped.append(Skipped(post.source, "no date in the front matter or the file name", True))
            continue
        when = _in_zone(post.date, config)
        base_slug = slugify(post.slug or post.title, post.source.stem)
        slug = base_slug
        code = layout.code_of(post) if layout else None
        lang = code or post.lang or config.language
        prefix = layout.url_prefix(code) if layout and code else ""
        url = _url(config, when, slug, source_name or "", lang, prefix)
        first_url, n = url, 1
        while url in taken_urls:
            n += 1
            slug = f"{base_slug}-{post.lang.lower()}" if n == 2 and post.lang else f"{base_slug}-{n}"
            url = _url(config, when, slug, source_name or "", lang, prefix)
        if slug != base_slug:
            other = taken_urls[first_url].as_posix()
            result.notes.append(
                Note(post.source, 0, f"URL already taken (by {other}): slug '{slug}' used instead")
            )
        key = post.source.as_posix()
        if key in before:
            rel = before[key].relative_to(site_dir)
            action = "replace" if force else "skip"
        elif post.source in placed:
            rel = placed[post.source]
            action = "write"
        else:
            rel = _free_path(site_dir, when, base_slug, taken_paths)
            action = "write"
        taken_paths.add(site_dir / rel)
        taken_urls[url] = post.source
        under = layout is not None and code is not None and rel.parts[1:2] == (layout.folder(code),)
        # the build reads a two-letter language's folder as its language (parse/language.py); a
        # three-letter one's (fil, yue) keeps its `lang:`, and says its path as translation_key
        two = code is not None and len(code.split("-")[0]) == 2
        key = Path(*rel.parts[2:]).with_suffix("").as_posix() if under and not two else ""
        result.items.append(Item(post, rel, "", action, url, [], slug, under and two, key))
        if action == "skip":
            continue
        _copy(result, source, post.files, copied)
    _aliases(result)
    _relative_links(result)
    if source.static_dirs:  # what relative links led to: `assets/x.png` in /post.html is /assets/x.png
        for item in result.items:
            if item.action != "skip":
                found = cv.root_files(item.post.body, source.root, source.static_dirs)
                new = [pair for pair in found if pair not in item.post.files]
                item.post.files += new
                _copy(result, source, new, copied)
    for item in result.items:
        item.text = frontmatter.write(
            fields_of(item.post, source_name, item.slug, item.aliases, not item.in_folder, item.key),
            item.post.body,
        )
    _resolve_refs(result)
    for item in result.items:  # --force rewrites only what would change
        if item.action == "replace" and (site_dir / item.path).read_text(encoding="utf-8") == item.text:
            item.action = "same"
    return result


def _copy(result: Plan, source: SourceSite, files: list[tuple[Path, str]], copied: dict[Path, Path]) -> None:
    """A post's files to static/, each once; one there with other content is left, said."""
    for src, static in files:
        dest = result.site_dir / "static" / static.lstrip("/")
        if dest in copied:
            continue
        copied[dest] = src
        if dest.exists() and not (dest.is_file() and filecmp.cmp(source.root / src, dest, shallow=False)):
            result.notes.append(
                Note(src, 0, f"static/{static.lstrip('/')} exists with other content: not overwritten")
            )
            continue
        if not dest.exists():
            result.copies.append((source.root / src, dest))


def _relative_links(result: Plan) -> None:
    """Links relative to a post's old URL, resolved there (see relative.py)."""
    by_old: dict[str, str] = {}
    for item in result.items:
        for old in item.post.old_urls:
            by_old.setdefault(relative.norm(old), item.url)
    for item in result.items:
        if item.post.old_urls and item.action != "skip":
            item.post.body = relative.rewrite(item.post.body, item.post.old_urls[0], by_old.get)


def _aliases(result: Plan) -> None:
    """Each post's old URLs, less its new one; an old URL digest cannot serve (a query, a
    fragment, `/`) or that another article has (as its URL or its alias) is left out, said."""
    urls = {_norm(item.url): item.post.source for item in result.items}
    claimed: dict[str, Path] = {}
    for item in result.items:
        for old in dict.fromkeys(item.post.old_urls):
            key = _norm(old)
            problem = None
            if not old.startswith("/") or "?" in old or "#" in old or key == "/" or ".." in old.split("/"):
                problem = "not a path digest can serve a redirect at"
            elif key == _norm(item.url):
                continue  # the same URL as before: nothing to redirect
            elif key in urls:
                problem = f"it is the URL of {urls[key].as_posix()}"
            elif key in claimed:
                problem = f"it is also an old URL of {claimed[key].as_posix()}"
            if problem:
                result.notes.append(
                    Note(item.post.source, 0, f"old URL not kept as an alias ({problem}): {old}")
                )
                continue
            claimed[key] = item.post.source
            item.aliases.append(old)


def _norm(url: str) -> str:
    for tail in ("index.html", "index.htm"):
        url = url.removesuffix(tail)
    return url.rstrip("/") or "/"


_REF = re.compile(re.escape(POST_REF) + r"([^)\s\"'>#]+)")


def _resolve_refs(result: Plan) -> None:
    """Links readers wrote as `migrate-post:SOURCE` become the new article's URL."""
    urls = {item.post.source.as_posix(): item.url for item in result.items}
    for item in result.items:
        if POST_REF not in item.text:
            continue

        def sub(m: re.Match[str], item: Item = item) -> str:
            url = urls.get(m.group(1))
            if url is None:
                result.notes.append(
                    Note(item.post.source, 0, f"link to a post that is not migrated: {m.group(1)}")
                )
                return m.group(1)
            return url

        item.text = _REF.sub(sub, item.text)


def _free_path(site_dir: Path, when: dt.datetime, slug: str, taken: set[Path]) -> Path:
    """content/YYYY/SLUG.md, or SLUG-2.md... when a file (of this run or not) is already there."""
    folder = site_dir / "content" / f"{when.year:04d}"
    candidate = folder / f"{slug}.md"
    n = 1
    while candidate in taken or candidate.exists():
        n += 1
        candidate = folder / f"{slug}-{n}.md"
    taken.add(candidate)
    return candidate.relative_to(site_dir)


def execute(result: Plan) -> list[Path]:
    """Write the plan; returns the files written (site-relative to the working folder)."""
    written: list[Path] = []
    site = result.site_dir
    if result.config_text is not None:
        site.mkdir(parents=True, exist_ok=True)
        (site / CONFIG_NAME).write_text(result.config_text, encoding="utf-8")
        written.append(site / CONFIG_NAME)
    for item in result.items:
        if item.action not in ("write", "replace"):
            continue
        path = site / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(item.text, encoding="utf-8")
        written.append(path)
    for src, dest in result.copies:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        written.append(dest)
    return written
