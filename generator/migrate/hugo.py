"""Hugo (https://gohugo.io/content-management/): the site config (hugo.* / config.*, also under
config/_default/), regular pages under content/ with YAML `---`, TOML `+++` or JSON front
matter, page bundles with their files, languages (content/<lang>/ folders, `index.fr.md`
names), `[permalinks]`, `url`/`slug`/`aliases`, draft/expiryDate/publishDate; shortcodes go
through shortcodes.py. The blog is the section named blog/posts/post/news/articles, else
params.mainSections, else the section with the most dated pages; other pages are reported."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

from . import convert as cv
from . import shortcodes
from .model import Note, Post, Skipped, SourceSite

MD = (".md", ".markdown", ".mdown")
BLOG_NAMES = ("blog", "posts", "post", "news", "articles")
KNOWN = {
    "title", "date", "publishdate", "pubdate", "published", "lastmod", "modified", "expirydate",
    "unpublishdate", "draft", "tags", "categories", "summary", "description", "author", "authors",
    "slug", "url", "aliases", "images", "image", "featured_image", "lang", "keywords", "translationkey",
}  # fmt: skip
_LANG_SUFFIX = re.compile(r"^(.+)\.([a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)$")


def _load(path: Path) -> dict[str, Any]:
    text = cv.read_text(path.parent, Path(path.name))
    if path.suffix == ".toml":
        return cv.load_toml(text)
    if path.suffix == ".json":
        data = cv.load_json(text)
        return data if isinstance(data, dict) else {}
    return cv.load_yaml(text, 1)


def config(root: Path, notes: list[Note]) -> dict[str, Any]:
    """Hugo's keys are case-insensitive: the top level is lowercased."""
    out: dict[str, Any] = {}
    for folder in ("", "config/_default/"):
        for stem in ("hugo", "config"):
            for ext in ("toml", "yaml", "yml", "json"):
                path = root / f"{folder}{stem}.{ext}"
                if path.is_file():
                    try:
                        data = _load(path)
                    except cv.Unreadable as exc:
                        notes.append(
                            Note(
                                Path(f"{folder}{stem}.{ext}"),
                                exc.line,
                                f"{exc.message}; Hugo's defaults used",
                            )
                        )
                        continue
                    for key, value in data.items():
                        out.setdefault(str(key).lower(), value)
    return out


def front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    if text.startswith("+++"):
        split = cv.split_front(text, "+++")
        assert split is not None
        return cv.load_toml(split[0], 2, "front matter is not valid TOML"), split[1], split[2]
    if text.startswith("{"):
        end = re.search(r"^\}[ \t]*$", text, re.M)
        if end is None:
            raise cv.Unreadable(1, "JSON front matter is never closed with a '}' line")
        data = cv.load_json(text[: end.end()], "front matter is not valid JSON")
        if not isinstance(data, dict):
            raise cv.Unreadable(1, "JSON front matter must be an object")
        return data, text[end.end() + 1 :], text.count("\n", 0, end.end()) + 2
    split = cv.split_front(text)
    if split is None:
        return {}, text, 1
    return cv.load_yaml(split[0]), split[1], split[2]


def urlize(text: str) -> str:
    """Hugo's urlize: spaces to '-', characters not allowed in a path removed, lowercased."""
    text = re.sub(r"\s+", "-", text.strip())
    return re.sub(r"[^\w\-./~]", "", text).lower()


class _Site:
    def __init__(self, root: Path, conf: dict[str, Any], now: dt.datetime) -> None:
        self.root, self.conf, self.now = root, conf, now
        self.default_lang = str(conf.get("defaultcontentlanguage") or "en").lower()
        languages = conf.get("languages")
        self.languages = (
            {str(k).lower(): v for k, v in languages.items()} if isinstance(languages, dict) else {}
        )
        self.in_subdir = bool(conf.get("defaultcontentlanguageinsubdir"))
        self.content = str(conf.get("contentdir") or "content").strip("/")
        # what Hugo publishes at the site's root as it is: static/, and the files of the
        # content folder that are not content (content/images/x.png is /images/x.png)
        self.served = ("static", self.content)
        self.permalinks = {str(k).lower(): v for k, v in (conf.get("permalinks") or {}).items()}
        if isinstance(self.permalinks.get("page"), dict):  # the newer form, permalinks: {page: {...}}
            self.permalinks = {str(k).lower(): v for k, v in self.permalinks["page"].items()}
        self.ugly = bool(conf.get("uglyurls"))
        self.tz = cv.zone(str(conf.get("timezone") or "")) or None

    def params(self, lang: str, meta: dict[str, Any]) -> dict[str, Any]:
        """What {{< param x >}} reads: the page's keys, then its language's params, then the site's."""
        out: dict[str, Any] = {}
        site = self.conf.get("params")
        if isinstance(site, dict):
            out.update(site)
        own = self.languages.get(lang)
        if isinstance(own, dict) and isinstance(own.get("params"), dict):
            out.update(own["params"])
        out.update(meta)
        return out

    def lang_dirs(self) -> dict[str, str]:
        """content folder -> language: languages' contentDir, else content/<lang>/ folders."""
        dirs: dict[str, str] = {}
        for lang, settings in self.languages.items():
            own = settings.get("contentdir") if isinstance(settings, dict) else None
            own = own or (settings.get("contentDir") if isinstance(settings, dict) else None)
            if isinstance(own, str):
                dirs[own.strip("/")] = lang
            elif (self.root / self.content / lang).is_dir():
                dirs[f"{self.content}/{lang}"] = lang
        return dirs or {self.content: self.default_lang}

    def url_prefix(self, lang: str) -> str:
        return "" if lang == self.default_lang and not self.in_subdir else "/" + lang


def read(root: Path) -> SourceSite:
    notes: list[Note] = []
    conf = config(root, notes)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch and epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    hs = _Site(root, conf, now)
    title = conf.get("title")
    site = SourceSite(
        "hugo",
        root,
        notes=notes,
        base_url=str(conf["baseurl"]) if conf.get("baseurl") else None,
        timezone=str(conf["timezone"]) if hs.tz else None,
        title=str(title) if title else None,
        language=str(conf.get("languagecode") or hs.default_lang),
        language_settings={lang: _language_texts(v) for lang, v in hs.languages.items()},
        prefix_default_language=hs.in_subdir,
        static_dirs=hs.served,
    )
    pages: list[tuple[Path, str, PurePosixPath]] = []  # (file, language, path in its content dir)
    for folder, lang in sorted(hs.lang_dirs().items()):
        others = [d for d in hs.lang_dirs() if d != folder and d.startswith(folder + "/")]
        for rel in cv.walk(root, folder):
            if rel.suffix.lower() not in MD or any(rel.as_posix().startswith(o + "/") for o in others):
                continue
            pages.append((rel, lang, PurePosixPath(rel.relative_to(folder).as_posix())))
    blog = _blog_sections(conf, [p for _, _, p in pages])
    reader = _Reader(hs, {rel for rel, _, _ in pages}, site)
    for rel, lang, inner in pages:
        section = inner.parts[0] if len(inner.parts) > 1 else ""
        if inner.name.startswith("_index."):
            site.skipped.append(Skipped(rel, "a section's list page (_index.md), not a post"))
        elif section not in blog:
            site.skipped.append(
                Skipped(rel, f"a page of the '{section or '(top level)'}' section, not the blog")
            )
        else:
            reader.add(rel, lang, inner)
    return site


def _language_texts(settings: Any) -> dict[str, str]:
    """A language's title and description from `languages.<code>` (`title`, else the site's;
    `description` or `params.description`)."""
    if not isinstance(settings, dict):
        return {}
    own = {str(k).lower(): v for k, v in settings.items()}
    params = own.get("params")
    params = {str(k).lower(): v for k, v in params.items()} if isinstance(params, dict) else {}
    out = {}
    for name in ("title", "description"):
        value = own.get(name) or params.get(name)
        if isinstance(value, str) and value.strip():
            out[name] = value.strip()
    return out


def _blog_sections(conf: dict[str, Any], inner: list[PurePosixPath]) -> set[str]:
    sections = {p.parts[0] for p in inner if len(p.parts) > 1}
    named = {s for s in sections if s.lower() in BLOG_NAMES}
    if named:
        return named
    params = conf.get("params")
    main = (
        {str(k).lower(): v for k, v in params.items()}.get("mainsections")
        if isinstance(params, dict)
        else None
    )
    if isinstance(main, list) and main:
        return {str(s) for s in main}
    counts: dict[str, int] = {}
    for p in inner:
        if len(p.parts) > 1 and not p.name.startswith("_index."):
            counts[p.parts[0]] = counts.get(p.parts[0], 0) + 1
    return {max(counts, key=lambda s: (counts[s], s))} if counts else set()


class _Reader:
    def __init__(self, hs: _Site, all_pages: set[Path], site: SourceSite) -> None:
        self.hs, self.all_pages, self.site = hs, all_pages, site

    def add(self, rel: Path, lang: str, inner: PurePosixPath) -> None:
        try:
            meta, body, body_line = front_matter(cv.read_text(self.hs.root, rel))
        except cv.Unreadable as exc:
            self.site.skipped.append(Skipped(rel, exc.message, True, exc.line))
            return
        meta = {str(k).lower(): v for k, v in meta.items()}
        m = _LANG_SUFFIX.match(inner.stem)
        if m and (m.group(2).lower() in self.hs.languages or not self.hs.languages):
            lang, stem = m.group(2).lower(), m.group(1)
        else:
            stem = inner.stem
        tz = self.hs.tz
        date = (
            cv.to_datetime(meta.get("date"), tz)
            or cv.to_datetime(meta.get("publishdate") or meta.get("pubdate") or meta.get("published"), tz)
            or cv.to_datetime(meta.get("lastmod") or meta.get("modified"), tz)
        )
        expiry = cv.to_datetime(meta.get("expirydate") or meta.get("unpublishdate"), tz or dt.UTC)
        if isinstance(expiry, dt.date) and not isinstance(expiry, dt.datetime):
            expiry = dt.datetime.combine(expiry, dt.time(0), dt.UTC)
        if expiry is not None and _aware(expiry) <= self.hs.now:
            self.site.skipped.append(
                Skipped(rel, f"expired (expiryDate {expiry.date().isoformat()}): Hugo no longer publishes it")
            )
            return
        bundle = stem == "index"
        title = str(meta.get("title") or (inner.parent.name if bundle else stem).replace("-", " ").title())
        b = cv.Body(rel, body, body_line)
        files: list[tuple[Path, str]] = []
        old = self._old_url(meta, lang, inner, stem, title, date)
        shortcodes.convert(b, lambda kind, target: self._ref(rel, lang, target), self.hs.params(lang, meta))
        if bundle:
            self._bundle(rel, old or "/", b, files)
        image = meta.get("image") or meta.get("featured_image")
        images = meta.get("images")
        if not image and isinstance(images, list) and images and isinstance(images[0], str):
            image = images[0]
        image = str(image) if isinstance(image, str) else None
        if image and bundle and not image.startswith(("/", "http:", "https:")):
            # an image beside the bundle's index.md: copied with the bundle, under its old URL
            image = "/" + ((old or "/").strip("/") + "/" + image.removeprefix("./")).lstrip("/")
        files += cv.root_files(b.text + (f"\n]({image})" if image else ""), self.hs.root, self.hs.served)
        aliases = [self._alias(a, lang) for a in cv.as_list(meta.get("aliases"))]
        extra = {k: v for k, v in meta.items() if k not in KNOWN}
        summary = meta.get("summary") or meta.get("description")
        draft = cv.as_bool(meta.get("draft")) if meta.get("draft") is not None else False
        self.site.posts.append(
            Post(
                source=rel,
                title=title,
                date=date,
                body=b.text,
                slug=str(meta["slug"]) if meta.get("slug") else (inner.parent.name if bundle else stem),
                tags=cv.as_list(meta.get("tags")),
                categories=cv.as_list(meta.get("categories")),
                summary=str(summary) if summary else None,
                authors=cv.as_list(meta.get("authors") or meta.get("author")),
                lang=lang if (self.hs.languages or meta.get("lang")) else None,
                draft=draft,
                updated=cv.to_datetime(meta.get("lastmod") or meta.get("modified"), tz),
                image=image,
                old_urls=([old] if old and not draft else []) + aliases,
                extra=extra,
                files=files,
                notes=b.notes,
                body_line=body_line,
                translation_key=_translation_key(meta, inner, stem),
            )
        )

    def _alias(self, alias: str, lang: str) -> str:
        # a relative alias is relative to the page's language root, as Hugo reads it
        return alias if alias.startswith("/") else self.hs.url_prefix(lang) + "/" + alias

    def _old_url(
        self, meta: dict[str, Any], lang: str, inner: PurePosixPath, stem: str, title: str, date: Any
    ) -> str:
        prefix = self.hs.url_prefix(lang)
        if isinstance(meta.get("url"), str) and meta["url"].strip():
            url = str(meta["url"]).strip()
            return url if url.startswith("/") else "/" + url
        section = inner.parts[0]
        bundle = stem == "index"
        filename = inner.parent.name if bundle else stem
        slug = str(meta.get("slug") or "")
        pattern = self.hs.permalinks.get(section)
        if isinstance(pattern, str):
            when = (
                date
                if isinstance(date, dt.datetime)
                else dt.datetime.combine(date or dt.date(1, 1, 1), dt.time(0))
            )
            values = {
                "year": f"{when.year:04d}", "month": f"{when.month:02d}",
                "monthname": when.strftime("%B").lower(), "day": f"{when.day:02d}",
                "weekday": str(when.isoweekday() % 7), "weekdayname": when.strftime("%A").lower(),
                "yearday": str(when.timetuple().tm_yday), "section": section,
                "sections": "/".join(inner.parts[:-2] if bundle else inner.parts[:-1]),
                "title": urlize(title), "slug": urlize(slug or title), "filename": urlize(filename),
                "slugorfilename": urlize(slug or filename), "contentbasename": urlize(filename),
                "slugorcontentbasename": urlize(slug or filename),
            }  # fmt: skip
            names = "|".join(sorted(values, key=len, reverse=True))
            path = re.sub(r":(" + names + r")\b", lambda m: values[m.group(1)], pattern)
        else:
            parent = inner.parent.parent if bundle else inner.parent
            path = "/".join([*parent.parts, urlize(slug) if slug else filename])
        path = "/" + path.strip("/").lower()
        path = path + ".html" if self.hs.ugly else path + "/"
        return re.sub(r"/{2,}", "/", prefix + path)

    def _bundle(self, rel: Path, url: str, b: cv.Body, files: list[tuple[Path, str]]) -> None:
        """A leaf bundle's files go beside its old URL; links to them are rewritten."""
        folder = rel.parent
        names: dict[str, str] = {}
        for f in cv.walk(self.hs.root, folder.as_posix()):
            if f.suffix.lower() in MD or f == rel:
                continue
            inner = f.relative_to(folder).as_posix()
            static = url.strip("/") + "/" + inner
            names[inner] = "/" + static.lstrip("/")
            files.append((f, static.lstrip("/")))
        if not names:
            return

        def link(m: re.Match[str]) -> str:
            target = m.group(2).removeprefix("./")
            return m.group(1) + names[target] if target in names else m.group(0)

        b.text = re.sub(r"(\]\(\s*<?|\bsrc\s*=\s*[\"']?)([^)\s\"'>]+)", link, b.text)

    def _ref(self, rel: Path, lang: str, target: str) -> str | None:
        path, _, frag = target.partition("#")
        fragment = "#" + frag if frag else ""
        if not path:
            return fragment or None
        content_roots = [d for d, lg in self.hs.lang_dirs().items() if lg == lang] or [self.hs.content]
        candidates: list[PurePosixPath] = []
        base = (
            [PurePosixPath(r) for r in content_roots]
            if path.startswith("/")
            else [PurePosixPath(rel.parent.as_posix())]
        )
        for b in base:
            joined = b / path.lstrip("/")
            candidates += [joined, joined.with_suffix(".md"), joined / "index.md", joined / "_index.md"]
        for c in candidates:
            if Path(c.as_posix()) in self.all_pages:
                return cv.post_ref(Path(c.as_posix()), fragment)
        name = PurePosixPath(path).name
        matches = [p for p in self.all_pages if p.stem == name.removesuffix(".md") or p.parent.name == name]
        if len(matches) == 1:
            return cv.post_ref(matches[0], fragment)
        return None


def _translation_key(meta: dict[str, Any], inner: PurePosixPath, stem: str) -> str:
    """Hugo's rule: `translationKey`, else the path in the language's content folder without
    the language suffix (posts/x.md and posts/x.fr.md; a bundle's folder)."""
    own = meta.get("translationkey")
    if isinstance(own, str | int) and str(own).strip():
        return "key:" + str(own).strip()
    path = inner.parent if stem == "index" else inner.parent / stem
    return "path:" + path.as_posix()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
