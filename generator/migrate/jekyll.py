"""Jekyll (https://jekyllrb.com/docs/posts/): posts are the files in every `_posts/` folder of
the site (`en/news/_posts/` too: the folders above `_posts` are the post's categories), named
`YYYY-MM-DD-slug.ext`; `_config.yml` gives url, baseurl, permalink, timezone, lang,
excerpt_separator and front-matter `defaults`. Liquid in bodies goes through liquid.py."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath
from typing import Any

from . import convert as cv
from . import liquid
from .model import Note, Post, Skipped, SourceSite

_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)\.([A-Za-z0-9]+)$")
MARKDOWN = {"md", "markdown", "mkdown", "mkdn", "mkd"}
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
SKIP_DIRS = {"_site", "node_modules", "vendor", ".git", ".jekyll-cache", ".bundle"}
KNOWN = {
    "title", "date", "categories", "category", "tags", "tag", "author", "authors", "excerpt",
    "description", "lang", "published", "slug", "permalink", "image", "last_modified_at",
    "redirect_from", "layout", "excerpt_separator",
}  # fmt: skip
_IAL = re.compile(r"^[ \t]*\{:[^}\n]*\}[ \t]*$|\{:\s*[.#][^}\n]*\}", re.M)  # removed, its line kept


def read(root: Path) -> SourceSite:
    notes: list[Note] = []
    config = _config(root, notes)
    tz_name = config.get("timezone") if isinstance(config.get("timezone"), str) else None
    url = str(config.get("url") or "").rstrip("/")
    baseurl = str(config.get("baseurl") or "").strip("/")
    site = SourceSite(
        "jekyll",
        root,
        notes=notes,
        base_url=(url + "/" + baseurl).rstrip("/") + "/" if url else None,
        timezone=tz_name if cv.zone(tz_name) else None,
        title=str(config.get("title") or config.get("name") or "") or None,
        language=str(config["lang"]) if config.get("lang") else None,
    )
    source_dir = str(config.get("source") or ".").strip("/") or "."
    site.static_dirs = ("" if source_dir == "." else source_dir,)
    excluded = {str(e).strip("/") for e in config.get("exclude") or [] if isinstance(e, str)}
    posts, drafts = [], []
    for rel in cv.walk(root, "" if source_dir == "." else source_dir):
        parts = rel.parts
        if any(p in SKIP_DIRS for p in parts) or any(
            rel.as_posix().startswith(e + "/") for e in excluded if e
        ):
            continue
        if "_posts" in parts[:-1]:
            posts.append(rel)
        elif parts[:1] == ("_drafts",) or (source_dir != "." and parts[1:2] == ("_drafts",)):
            drafts.append(rel)
    ctx = _Ctx(root, config, cv.zone(site.timezone), posts)
    post_set, draft_set = set(posts), set(drafts)
    for rel in posts + drafts:
        m = _NAME.match(rel.name)
        ext = (m.group(5) if m else rel.suffix.lstrip(".")).lower()
        if rel in post_set and not m:
            site.skipped.append(Skipped(rel, "not a post: Jekyll reads only YYYY-MM-DD-title.ext in _posts"))
            continue
        if ext not in MARKDOWN:
            reason = (
                f".{ext} post: digest reads Markdown only"
                if ext in ("html", "textile")
                else "not a post file"
            )
            site.skipped.append(Skipped(rel, reason))
            continue
        try:
            post = ctx.post(rel, m, draft=rel in draft_set)
        except cv.Unreadable as exc:
            site.skipped.append(Skipped(rel, exc.message, True, exc.line))
            continue
        if post.date is None:
            site.skipped.append(Skipped(rel, "a draft without a date", False))
            continue
        if post.extra.pop("_unpublished", False):
            post.draft = True
        site.posts.append(post)
    return site


def _config(root: Path, notes: list[Note]) -> dict[str, Any]:
    for name in ("_config.yml", "_config.yaml"):
        if (root / name).is_file():
            try:
                return cv.load_yaml(cv.read_text(root, Path(name)), 1)
            except cv.Unreadable as exc:
                notes.append(Note(Path(name), exc.line, f"{exc.message}; Jekyll's defaults used"))
    return {}


def title_from_slug(slug: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in re.split(r"[-_\s]+", slug) if w)


def jekyll_slug(text: str) -> str:
    """Jekyll's 'default' slugify: runs of non-alphanumerics become '-', lowercased."""
    return re.sub(r"[^\w]+|_+", "-", text, flags=re.A).strip("-").lower()


class _Ctx:
    def __init__(self, root: Path, config: dict[str, Any], tz: dt.tzinfo | None, posts: list[Path]) -> None:
        self.root, self.config, self.tz = root, config, tz
        self.source_dir = (
            "" if str(config.get("source") or ".").strip("/") in ("", ".") else str(config["source"])
        )
        self.posts = set(posts)
        self.by_name: dict[str, Path] = {}
        for p in sorted(posts):  # the same name in two folders: the first, as sorted, is meant
            self.by_name.setdefault(p.stem, p)
        collections = config.get("collections")
        posts_conf = collections.get("posts") if isinstance(collections, dict) else None
        # the posts collection's own permalink wins over the site's
        own = posts_conf.get("permalink") if isinstance(posts_conf, dict) else None
        style = str(own or config.get("permalink") or "date")
        self.permalink = STYLES.get(style, style)
        self.defaults = [d for d in config.get("defaults") or [] if isinstance(d, dict)]

    def _defaults(self, rel: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for d in self.defaults:
            scope = d.get("scope")
            scope = scope if isinstance(scope, dict) else {}
            path = str(scope.get("path") or "").strip("/")
            kind = scope.get("type")
            if kind not in (None, "posts") or (
                path and not (rel.as_posix() + "/").startswith(path.rstrip("*"))
            ):
                continue
            if isinstance(d.get("values"), dict):
                out.update(d["values"])
        return out

    def post(self, rel: Path, m: re.Match[str] | None, draft: bool) -> Post:
        text = cv.read_text(self.root, rel)
        front = cv.split_front(text)
        meta: dict[str, Any] = self._defaults(rel)
        body, body_line = text, 1
        if front is not None:
            meta.update(cv.load_yaml(front[0]))
            body, body_line = front[1], front[2]
        name_slug = m.group(4) if m else rel.stem
        name_date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None
        date = cv.to_datetime(meta.get("date"), self.tz) or cv.to_datetime(name_date, self.tz)
        notes: list[Note] = []
        if meta.get("date") and cv.to_datetime(meta.get("date"), self.tz) is None:
            notes.append(
                Note(rel, body_line - 1, f"date not understood, the file name's date used: '{meta['date']}'")
            )
        # the folders above _posts inside the source folder (`source: src` is not a category)
        inside = rel.parts[len(Path(self.source_dir).parts) :] if self.source_dir else rel.parts
        folder_cats = list(inside[: inside.index("_posts")]) if "_posts" in inside else []
        categories = list(
            dict.fromkeys(folder_cats + cv.as_words(meta.get("categories") or meta.get("category")))
        )
        lang = str(meta["lang"]) if meta.get("lang") else None
        # a per-language folder (en/news/_posts) is the post's language, not a topic: no tag
        topics = [c for c in categories if not (lang and c.lower() == lang.lower().replace("-", "_"))]
        slug = str(meta.get("slug") or name_slug)
        title = str(meta.get("title") or title_from_slug(name_slug))
        b = cv.Body(rel, body, body_line)
        files: list[tuple[Path, str]] = []
        liquid.convert(b, lambda kind, target: self._resolve(kind, target, files), self.config)
        sep = meta.get("excerpt_separator") or self.config.get("excerpt_separator")
        if isinstance(sep, str) and sep.strip():
            b.excerpt(sep)
        if _IAL.search(b.text):
            b.note(_IAL.search(b.text).start(), "kramdown attribute list removed: {: …}")  # type: ignore[union-attr]
            b.text = _IAL.sub("", b.text)
        image = meta.get("image") if isinstance(meta.get("image"), str) else None
        # the body's root-relative files, and the front matter's image, copied
        files += cv.root_files(b.text + (f"\n]({image})" if image else ""), self.root, (self.source_dir,))
        old = []
        published = not (meta.get("published") is False or str(meta.get("published")).lower() == "false")
        if not draft and published and date is not None:
            old.append(self._url(meta, rel, date, slug, name_slug, categories))
        old += [u if u.startswith("/") else "/" + u for u in cv.as_list(meta.get("redirect_from"))]
        extra = {k: v for k, v in meta.items() if k not in KNOWN}
        if not published:
            extra["_unpublished"] = True
        summary = meta.get("excerpt") or meta.get("description")
        return Post(
            source=rel,
            title=title,
            date=date,
            body=b.text,
            slug=slug if meta.get("slug") else jekyll_slug(name_slug) or None,
            tags=cv.as_words(meta.get("tags") or meta.get("tag")),
            categories=topics,
            summary=str(summary) if summary else None,
            authors=cv.as_list(meta.get("authors") or meta.get("author")),
            lang=lang,
            draft=draft,
            updated=cv.to_datetime(meta.get("last_modified_at"), self.tz),
            image=image,
            old_urls=old,
            extra=extra,
            files=files,
            notes=notes + b.notes,
            body_line=body_line,
        )

    def _url(
        self, meta: dict[str, Any], rel: Path, date: Any, slug: str, name_slug: str, cats: list[str]
    ) -> str:
        pattern = str(meta.get("permalink") or self.permalink)
        when = date if isinstance(date, dt.datetime) else dt.datetime.combine(date, dt.time(0))
        values = {
            "categories": "/".join(c.lower() for c in cats),
            "year": f"{when.year:04d}",
            "month": f"{when.month:02d}",
            "i_month": str(when.month),
            "day": f"{when.day:02d}",
            "i_day": str(when.day),
            "short_year": f"{when.year % 100:02d}",
            "y_day": f"{when.timetuple().tm_yday:03d}",
            "hour": f"{when.hour:02d}",
            "minute": f"{when.minute:02d}",
            "second": f"{when.second:02d}",
            "week": f"{when.isocalendar()[1]:02d}",
            "short_day": when.strftime("%a"),
            "title": slug if meta.get("slug") else name_slug,
            "slug": jekyll_slug(slug),
            "output_ext": ".html",
            "name": name_slug,
        }
        url = re.sub(
            r":(" + "|".join(sorted(values, key=len, reverse=True)) + ")",
            lambda m: values[m.group(1)],
            pattern,
        )
        url = re.sub(r"/{2,}", "/", "/" + url)
        return url

    def _page_url(self, rel: Path) -> str:
        """A page or collection document of the bigger site: its Jekyll URL, left
        root-relative (see links.root). `_docs/x.md` follows the docs collection's permalink."""
        inner = rel.with_suffix("").as_posix()
        collections = self.config.get("collections")
        first = rel.parts[0]
        if first.startswith("_") and len(rel.parts) > 1:
            name = first[1:]
            conf = collections.get(name) if isinstance(collections, dict) else None
            pattern = str(conf.get("permalink") or "") if isinstance(conf, dict) else ""
            path = "/".join(rel.with_suffix("").parts[1:])
            url = (pattern or "/:collection/:path/").replace(":collection", name).replace(":path", path)
            url = url.replace(":name", rel.stem).replace(":output_ext", ".html")
            return re.sub(r"/{2,}", "/", "/" + url)
        page = "/" + inner
        return page[: -len("index")] if page.endswith("/index") else page + "/"

    def _resolve(self, kind: str, target: str, files: list[tuple[Path, str]]) -> str | None:
        target = target.strip("'\"")
        if kind == "post_url":
            found = self.by_name.get(PurePosixPath(target).name)
            return cv.post_ref(found) if found else None
        rel = Path(target.lstrip("/"))
        if rel in self.posts:
            return cv.post_ref(rel)
        path = self.root / rel
        if not path.is_file():
            return None
        if rel.suffix.lower() in (".md", ".markdown", ".html", ".htm"):
            return self._page_url(rel)
        files.append((rel, rel.as_posix()))
        return "/" + rel.as_posix()
