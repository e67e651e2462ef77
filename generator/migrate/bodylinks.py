"""Links in a migrated body, shared by the Zola, Eleventy and Docusaurus readers.

Files a post keeps beside it (a Zola page folder, a Docusaurus post folder, an Eleventy post's
images) are copied to `static/` under the folder of the post's old URL, so the image's old URL
keeps working too, and the body's link becomes that root-relative path. Links from one post to
another's source file become `migrate-post:SOURCE` (convert.POST_REF), which the writer replaces
by the new article's URL. Root-relative links left are found by the report (from each post's
`body_line`, so conversions keep the body's lines where they are)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from .convert import post_ref
from .model import Note, Post, SourceSite
from .sourcetext import map_prose, prose_lines

# ](target) / ](<target> "title") in Markdown; src="…" / href="…" in raw HTML or JSX
_MD_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)(>?(?:\s+[\"'(][^)]*)?\s*\))")
_HTML_LINK = re.compile(r"""(\b(?:src|href)\s*=\s*["'])([^"']+)(["'])""")
_REF_DEF = re.compile(r"^( {0,3}\[[^\]]+\]:\s*<?)(\S+?)(>?(?:\s+.*)?)$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

Rewrite = Callable[[int, str], str | None]


def rewrite_targets(body: str, rewrite: Rewrite) -> str:
    """Every link target outside code fences through `rewrite(line index, target)`; None keeps it."""

    def one(i: int, line: str) -> str:
        if "](" not in line and "]:" not in line and "src" not in line and "href" not in line:  # no link
            return line

        def sub(m: re.Match[str]) -> str:
            new = rewrite(i, m[2])
            return m[0] if new is None else m[1] + new + m[3]

        line = _MD_LINK.sub(sub, line)
        line = _HTML_LINK.sub(sub, line)
        return _REF_DEF.sub(sub, line)

    if "](" not in body and "]:" not in body and "src" not in body and "href" not in body:
        return body
    return map_prose(body, one)


def is_relative(target: str) -> bool:
    return not (target.startswith(("/", "#", "@/", "?")) or _SCHEME.match(target) or "{{" in target)


def copy_beside(root: Path, post: Post, folder: Path, static_dir: str, *, recurse: bool = True) -> None:
    """Relative links to files in `folder` (the post's own folder) become `/static_dir/…` and the
    files are listed in `post.files`; links to Markdown files are left for `link_posts`. The
    readers resolve SOURCE_DIR first, so `folder` is resolved already; a file that resolves
    elsewhere (a link out of the folder) is not copied."""
    base = folder

    def rewrite(_i: int, target: str) -> str | None:
        if not is_relative(target):
            return None
        path, _, anchor = target.partition("#")
        path = unquote(path.split("?", 1)[0])
        if not path or path.endswith((".md", ".mdx", ".markdown")):
            return None
        file = (folder / path).resolve()
        if not file.is_file() or not file.is_relative_to(base):
            return None
        rel = file.relative_to(base).as_posix()
        if not recurse and "/" in rel:
            return None
        dest = posixpath.join(static_dir.strip("/"), rel) if static_dir.strip("/") else rel
        if (file.relative_to(root), dest) not in post.files:
            post.files.append((file.relative_to(root), dest))
        return "/" + dest + (f"#{anchor}" if anchor else "")

    post.body = rewrite_targets(post.body, rewrite)


# <img src="x.png"> with no alt attribute (the report finds Markdown's ![](x.png) for every generator)
_NO_ALT = re.compile(r"<img\b(?![^>]*\balt\s*=)[^>]*?\bsrc\s*=\s*[\"']([^\"']+)", re.I)


def link_posts(site: SourceSite, resolve: Callable[[Post, str, int], str | None]) -> None:
    """Links between posts through `resolve(post, target, line) -> new target or None`; images
    without alt text are reported too (the build warns about each: the report says it first)."""
    for post in site.posts:
        if "<img" in post.body or "<IMG" in post.body:
            for i, line in prose_lines(post.body):
                for m in _NO_ALT.finditer(line):
                    post.notes.append(
                        Note(
                            post.source,
                            post.body_line + i,
                            f"image without alt text: {m[1]}",
                        )
                    )

        def rewrite(i: int, target: str, post: Post = post) -> str | None:
            return resolve(post, target, post.body_line + i)  # the report names .md links left

        post.body = rewrite_targets(post.body, rewrite)


def relative_post(post: Post, target: str, sources: set[Path]) -> str | None:
    """A relative link to another post's Markdown file (`../2020/x.md#part`) as a post reference."""
    if not is_relative(target):
        return None
    path, _, anchor = target.partition("#")
    if not path.endswith((".md", ".mdx", ".markdown")):
        return None
    joined = posixpath.normpath(posixpath.join(PurePosixPath(post.source).parent.as_posix(), unquote(path)))
    return post_ref(Path(joined), f"#{anchor}" if anchor else "") if Path(joined) in sources else None


def line_notes(body: str, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """(line index, match) of a pattern on the body's lines outside code fences."""
    return [(i, m[0]) for i, line in prose_lines(body) for m in pattern.finditer(line)]


def copy_site_static(root: Path, post: Post, static_folder: str) -> None:
    """Root-relative links to files of the generator's own static folder (Zola's and
    Docusaurus's `static/` are served at the site root): the files are listed in `post.files`
    at the same path, so the links keep working unchanged."""
    if "](/" not in post.body and '="/' not in post.body and "='/" not in post.body:
        return
    base = (root / static_folder).resolve()
    if not base.is_dir():
        return

    def seen(_i: int, target: str) -> str | None:
        if target.startswith("/") and not target.startswith("//"):
            rel = unquote(target.split("#", 1)[0].split("?", 1)[0]).lstrip("/")
            file = (base / rel).resolve()
            if rel and file.is_file() and file.is_relative_to(base):
                entry = (file.relative_to(root.resolve()), file.relative_to(base).as_posix())
                if entry not in post.files:
                    post.files.append(entry)
        return None

    rewrite_targets(post.body, seen)


def beside_file(root: Path, post: Post, folder: Path, value: str, static_dir: str) -> str:
    """A front matter path relative to the post (`image: ./cover.png`) as the copied file's URL."""
    if not is_relative(value):
        return value
    file = (folder / unquote(value)).resolve()
    if not file.is_file() or not file.is_relative_to(folder.resolve()):
        return value
    dest = posixpath.join(static_dir.strip("/"), file.relative_to(folder.resolve()).as_posix()).lstrip("/")
    if (file.relative_to(root), dest) not in post.files:
        post.files.append((file.relative_to(root), dest))
    return "/" + dest
