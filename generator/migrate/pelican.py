"""Pelican (https://docs.getpelican.com): settings from pelicanconf.py (and publishconf.py for
SITEURL) read without running them; articles are the `.md`/`.markdown` files under PATH
(default `content`) outside PAGE_PATHS; metadata is the `Key: value` header up to the first
blank line (or YAML between `---` lines); `{static}`, `{filename}`, `{attach}` (and the old
`|filename|`) links become digest links, the files they name copied."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Any

from . import convert as cv
from .model import Note, Post, Skipped, SourceSite
from .pyconfig import read_settings

_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$")
_LINK = re.compile(r"(?:\{|\|)(static|filename|attach)(?:\}|\|)([^)\s\"'>]*)")
MD = (".md", ".markdown", ".mkd", ".mdown")
KNOWN = {
    "title",
    "date",
    "modified",
    "tags",
    "category",
    "slug",
    "summary",
    "author",
    "authors",
    "lang",
    "status",
}


def pelican_slug(text: str) -> str:
    """Pelican's slugify with its default SLUG_REGEX_SUBSTITUTIONS: the slug of its old URLs."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip()
    return re.sub(r"[-\s]+", "-", value).lower()


def header(text: str) -> tuple[dict[str, str], str, int]:
    """Python-Markdown's meta extension: `Key: value` lines, indented continuations, then a
    blank line; keys lowercased. Returns (meta, body, the body's first line)."""
    lines = text.split("\n")
    meta: dict[str, str] = {}
    last = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            break
        m = _HEADER.match(line)
        if m:
            last = m.group(1).lower()
            meta[last] = m.group(2).strip()
        elif last and line.startswith(("    ", "\t")):
            meta[last] = (meta[last] + " " + line.strip()).strip()
        else:
            break  # no header (or its end): the rest is body
        i += 1
    if not meta:
        return {}, text, 1
    return meta, "\n".join(lines[i:]), i + 1


def _settings(root: Path, notes: list[Note]) -> dict[str, Any]:
    settings, problem = read_settings(root / "pelicanconf.py")
    if problem:
        notes.append(Note(Path("pelicanconf.py"), 0, problem))
    if not settings.get("SITEURL") and (root / "publishconf.py").is_file():
        publish, _ = read_settings(root / "publishconf.py")
        if isinstance(publish.get("SITEURL"), str):
            settings["SITEURL"] = publish["SITEURL"]
    return settings


def read(root: Path) -> SourceSite:
    notes: list[Note] = []
    s = _settings(root, notes)
    tz_name = s.get("TIMEZONE") if isinstance(s.get("TIMEZONE"), str) else None
    site = SourceSite(
        "pelican",
        root,
        notes=notes,
        base_url=s.get("SITEURL") or None,
        timezone=tz_name if cv.zone(tz_name) else None,
        title=s.get("SITENAME") if isinstance(s.get("SITENAME"), str) else None,
        language=s.get("DEFAULT_LANG") if isinstance(s.get("DEFAULT_LANG"), str) else None,
    )
    if tz_name and not cv.zone(tz_name):
        notes.append(
            Note(Path("pelicanconf.py"), 0, f"TIMEZONE '{tz_name}' is not an IANA zone: dates read as UTC")
        )
    content = PurePosixPath(str(s.get("PATH") or "content")).as_posix().strip("/") or "."
    pages = [p.strip("/") for p in s.get("PAGE_PATHS", ["pages"]) if isinstance(p, str)]
    files = list(cv.walk(root, content))
    articles = {f for f in files if f.suffix.lower() in MD and not _under_any(f, content, pages)}
    for f in files:
        rel_c = f.relative_to(content) if content != "." else f
        if f.suffix.lower() in (".rst", ".rest"):
            site.skipped.append(
                Skipped(f, "reStructuredText: digest reads Markdown only; convert it by hand (e.g. pandoc)")
            )
        elif f.suffix.lower() in MD and f not in articles:
            site.skipped.append(Skipped(f, "a page (PAGE_PATHS), not an article"))
        elif f.suffix.lower() in (".html", ".htm") and not str(rel_c).startswith(
            tuple(s.get("STATIC_PATHS", ["images"]))
        ):
            site.skipped.append(Skipped(f, "an HTML article: digest reads Markdown only"))
    ctx = _Ctx(root, content, s, articles, cv.zone(site.timezone))
    for f in sorted(articles):
        try:
            post = ctx.post(f)
        except cv.Unreadable as exc:
            site.skipped.append(Skipped(f, exc.message, True, exc.line))
            continue
        if post is not None:
            site.posts.append(post)
        else:
            site.skipped.append(Skipped(f, "no Title: metadata", True, 1))
    return site


def _under_any(f: Path, content: str, folders: list[str]) -> bool:
    rel = f.relative_to(content).as_posix() if content != "." else f.as_posix()
    return any(rel == p or rel.startswith(p + "/") for p in folders if p)


class _Ctx:
    def __init__(
        self, root: Path, content: str, s: dict[str, Any], articles: set[Path], tz: dt.tzinfo | None
    ) -> None:
        self.root, self.content, self.s, self.articles, self.tz = root, content, s, articles, tz
        self.filename_re = re.compile(str(s.get("FILENAME_METADATA") or r"(?P<date>\d{4}-\d{2}-\d{2}).*"))

    def post(self, rel: Path) -> Post | None:
        text = cv.read_text(self.root, rel)
        front = cv.split_front(text)
        if front is not None:  # the YAML metadata plugin's format
            raw = cv.load_yaml(front[0])
            meta = {k.lower(): v for k, v in raw.items()}
            body, body_line = front[1], front[2]
        else:
            meta_s, body, body_line = header(text)
            meta = dict(meta_s)
        title = str(meta.get("title") or "").strip()
        if not title:
            return None
        s = self.s
        file_meta = self.filename_re.match(rel.stem)
        groups = file_meta.groupdict() if file_meta else {}
        date = cv.to_datetime(meta.get("date") or groups.get("date"), self.tz)
        notes: list[Note] = []
        if meta.get("date") and date is None:
            notes.append(Note(rel, 1, f"Date not understood, the file name's date used: '{meta['date']}'"))
            date = cv.to_datetime(groups.get("date"), self.tz)
        category = str(meta.get("category") or "").strip()
        parent = rel.parent.relative_to(self.content) if self.content != "." else rel.parent
        if not category and s.get("USE_FOLDER_AS_CATEGORY", True) and parent.as_posix() not in ("", "."):
            category = parent.parts[0]
        slug = str(meta.get("slug") or groups.get("slug") or pelican_slug(title))
        lang = str(meta.get("lang") or "") or None
        status = str(meta.get("status") or s.get("DEFAULT_STATUS") or "published").lower()
        authors = cv.as_list(meta.get("authors") or meta.get("author") or s.get("AUTHOR"))
        extra = {k: v for k, v in meta.items() if k not in KNOWN}
        if status == "hidden":
            notes.append(
                Note(rel, 1, "Status: hidden: migrated as a draft (digest has no unlisted articles)")
            )
        body_obj = cv.Body(rel, body, body_line)
        files: list[tuple[Path, str]] = []
        spans = cv.code_spans(body)
        body_obj.sub(
            _LINK,
            lambda m: m.group(0) if cv.inside(spans, m.start()) else self._link(m, rel, body_obj, files),
        )
        # the summary plugin's marker, and Pelican 4.9's SUMMARY_END_MARKER when set
        body_obj.excerpt("<!-- PELICAN_END_SUMMARY -->")
        if isinstance(s.get("SUMMARY_END_MARKER"), str):
            body_obj.excerpt(s["SUMMARY_END_MARKER"])
        post = Post(
            source=rel,
            title=title,
            date=date,
            body=body_obj.text,
            slug=slug,
            tags=cv.as_list(meta.get("tags")),
            categories=[category]
            if category
            else [],  # not DEFAULT_CATEGORY: a tag on every post says nothing
            summary=str(meta["summary"]) if meta.get("summary") else None,
            authors=authors,
            lang=lang,
            draft=status in ("draft", "hidden"),
            updated=cv.to_datetime(meta.get("modified"), self.tz),
            old_urls=self._old_urls(slug, date, category, lang, authors, status),
            extra=extra,
            files=files,
            notes=notes + body_obj.notes,
            body_line=body_line,
        )
        return post

    def _old_urls(
        self, slug: str, date: Any, category: str, lang: str | None, authors: list[str], status: str
    ) -> list[str]:
        if status == "draft" or date is None:
            return []
        s = self.s
        translated = lang and s.get("DEFAULT_LANG") and lang != s.get("DEFAULT_LANG")
        pattern = (
            s.get("ARTICLE_LANG_URL", "{slug}-{lang}.html")
            if translated
            else s.get("ARTICLE_URL", "{slug}.html")
        )
        if not isinstance(pattern, str):
            return []
        if isinstance(date, dt.date) and not isinstance(date, dt.datetime):
            date = dt.datetime.combine(date, dt.time(0))
        try:
            url = pattern.format(
                slug=slug,
                date=date,
                category=pelican_slug(category or str(s.get("DEFAULT_CATEGORY", "misc"))),
                lang=lang or s.get("DEFAULT_LANG", "en"),
                author=pelican_slug(authors[0]) if authors else "",
            )
        except (KeyError, IndexError, ValueError, AttributeError):
            return []
        return ["/" + url.lstrip("/")]

    def _link(self, m: re.Match[str], rel: Path, body: cv.Body, files: list[tuple[Path, str]]) -> str:
        kind, target = m.group(1), m.group(2)
        path_part, sep, frag = target.partition("#")
        path_part = path_part.split("?")[0]
        if not path_part:
            return m.group(0)
        base = (
            PurePosixPath(self.content) if path_part.startswith("/") else PurePosixPath(rel.parent.as_posix())
        )
        joined = _normpath(base / path_part.lstrip("/"))
        if joined is None:
            body.note(m.start(), f"Pelican link outside the source folder left as written: {m.group(0)}")
            return m.group(0)
        src = Path(joined)
        fragment = sep + frag
        if src in self.articles:
            return cv.post_ref(src, fragment)
        if (self.root / src).is_file() and src.suffix.lower() not in MD:
            static = src.relative_to(self.content).as_posix() if self.content != "." else src.as_posix()
            files.append((src, static))
            return "/" + static + fragment
        body.note(
            m.start(), f"Pelican {{{kind}}} link to a file that is not there or not an article: {target}"
        )
        return m.group(0)


def _normpath(p: PurePosixPath) -> str | None:
    parts: list[str] = []
    for part in p.parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts) if parts else None
