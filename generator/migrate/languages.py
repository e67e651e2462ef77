"""Posts in several languages become a multilingual digest site: `languages:` in a new
digest.yaml (the old site's default language first), and each post under its language's folder,
`content/<lang>/YYYY/SLUG.md`, where translations of one post get the same path, so that digest
links them by path (the way Hugo does). The path of a group of translations is its
default-language post's (else its first's); a reader that knows which posts are translations
says so with `Post.translation_key` (Hugo: the path in the language's content folder, or
`translationKey`), else posts with the same year and slug are translations (Jekyll, Pelican
and Zola name translations alike)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.langtags import normalize_lang
from ..parse import frontmatter
from ..read.config import SiteConfig
from ..read.languages import url_segment
from .model import Note, Post, SourceSite


@dataclass(frozen=True)
class Layout:
    default: str  # BCP 47
    codes: tuple[str, ...]  # the site's languages, the default first
    prefix_default: bool = False

    def code_of(self, post: Post) -> str | None:
        """The post's language among the site's, None when it has another one."""
        if not post.lang:
            return self.default
        code = normalize_lang(post.lang)
        return code if code in self.codes else None

    def folder(self, code: str) -> str:
        return url_segment(code)

    def url_prefix(self, code: str) -> str:
        """Before an article's permalink: '' for the default language at the root, else '/ru'."""
        return "" if code == self.default and not self.prefix_default else "/" + url_segment(code)


def layout_for(source: SourceSite, config: SiteConfig | None) -> tuple[Layout | None, list[Note]]:
    """The site's languages: an existing digest.yaml's (`config`) `languages:`, else, for a new
    one, the posts' languages when there are two or more (None: a one-language site, as before)."""
    if config is not None:
        if not config.multilingual:
            return None, []
        layout = Layout(config.language, tuple(lang.code for lang in config.languages), _prefix(config))
        notes = [
            Note(
                post.source, 0, f"language '{post.lang}' is not one of digest.yaml's languages: add it there"
            )
            for post in source.posts
            if layout.code_of(post) is None
        ]
        return layout, notes
    # a post without a language is in the old site's
    written = [p.lang or source.language or "en" for p in source.posts]
    codes = {w: normalize_lang(w) for w in written}
    bad = sorted(w for w, code in codes.items() if code is None)
    if bad:
        notes = [
            Note(Path("."), 0, f"'{w}' is not a language tag: posts keep `lang:`, no `languages:`")
            for w in bad
        ]
        return None, notes
    counts = Counter(codes[w] for w in written)
    found = sorted(c for c in counts if c)
    if len(found) < 2:
        return None, []
    default = _default(source.language, found, counts)
    return Layout(default, (default, *[c for c in found if c != default]), source.prefix_default_language), []


def _prefix(config: SiteConfig) -> bool:
    first = config.languages[0]
    return bool(first.prefix)


def _default(written: str | None, found: list[str], counts: Counter[str | None]) -> str:
    """The old site's language when the posts have it (en-US for posts in en: en), else the
    language with the most posts."""
    code = normalize_lang(written or "") or ""
    if code in found:
        return code
    primary = code.split("-")[0]
    same = [c for c in found if c.split("-")[0] == primary]
    return same[0] if same else max(found, key=lambda c: (counts[c], [-ord(ch) for ch in c]))


def config_lines(layout: Layout, source: SourceSite) -> str:
    """The `languages:` block of a new digest.yaml (each language's title and description from
    the old site's config when it has them)."""
    lines = ["languages:"]
    settings = {normalize_lang(k) or k: v for k, v in source.language_settings.items()}
    for code in layout.codes:
        own = settings.get(code, {})
        values = ", ".join(
            f"{k}: {frontmatter.yaml_value(own[k])}" for k in ("title", "description") if own.get(k)
        )
        lines.append(f"  {code}: {{{values}}}")
    if layout.prefix_default:
        lines.append("prefix_default_language: true")
    return "\n".join(lines) + "\n"


def paths(
    layout: Layout,
    posts: Iterable[Post],
    when: Callable[[Post], dt.datetime],
    slug: Callable[[Post], str],
    is_free: Callable[[Path], bool],
) -> dict[Path, Path]:
    """post.source -> its file under the site folder (content/<lang>/YYYY/SLUG.md): one path
    under every language's folder for each group of translations; `is_free` says whether a file
    may be written (no other post of this run or of the site has it)."""
    groups: dict[str, list[Post]] = {}
    for post in posts:
        code = layout.code_of(post)
        if code is None:
            continue
        key = post.translation_key or f"{when(post).year:04d}/{slug(post)}"
        groups.setdefault(key, []).append(post)
    out: dict[Path, Path] = {}
    assigned: set[Path] = set()
    for _, group in sorted(groups.items()):
        # one post per language in a group: a second one in a language is a group of its own
        rounds: list[list[Post]] = []
        for post in sorted(group, key=lambda p: (layout.code_of(p) != layout.default, p.source.as_posix())):
            target = next(
                (r for r in rounds if all(layout.code_of(o) != layout.code_of(post) for o in r)), None
            )
            if target is None:
                rounds.append([post])
            else:
                target.append(post)
        for members in rounds:
            first = members[0]
            folder, stem = f"{when(first).year:04d}", slug(first)
            n = 1
            while True:
                name = f"{stem}.md" if n == 1 else f"{stem}-{n}.md"
                found = {p.source: _under(layout, p, folder, name) for p in members}
                if all(path not in assigned and is_free(path) for path in found.values()):
                    break
                n += 1
            out.update(found)
            assigned.update(found.values())
    return out


def _under(layout: Layout, post: Post, folder: str, name: str) -> Path:
    code = layout.code_of(post)
    assert code is not None
    return Path("content") / layout.folder(code) / folder / name
