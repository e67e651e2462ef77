"""Tags that are different words with one URL. A tag's URL is its name transliterated into
Latin letters (core/urls.slugify), and two spellings of one slug are one tag, shown by the
most used (index/select.py canonical_tag_names): "Ukraine", "ukraine" and "Ukraïne" are one.
But a transliteration can also join different words: Persian writes few vowels, so بت and بات
are both /tags/bt/; Chinese 市场 and 是常 are both /tags/shi-chang/; "C", "C#" and "C++" are all
/tags/c/. The articles of both are then listed under one name, and an article shows a tag its
curator did not write: said, at an article of each other spelling."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..core.diagnostics import Diagnostics
from ..parse.parsed import Parsed
from .select import site_wide_name


def _word(name: str) -> str:
    """The name as a word: case, accents and other marks, spaces, hyphens and invisible
    characters left out; letters, digits, symbols and `#` kept."""
    text = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNS" or ch == "#")


def _scripts(name: str) -> frozenset[str]:
    """The scripts of its letters, as the first word of their Unicode names (LATIN, ARABIC,
    CJK, CYRILLIC...): Москва and Moskva are one word written twice, not two words."""
    return frozenset(unicodedata.name(ch, "?").split()[0] for ch in name if ch.isalpha())


def check_tag_names(parsed: dict[str, Parsed], paths: list[str], content: Path, diags: Diagnostics) -> None:
    """`paths`: the articles of the site (drafts and future articles left out)."""
    uses: dict[str, dict[str, list[str]]] = {}  # slug -> spelling -> the articles that write it
    urls: dict[str, str] = {}
    for path in paths:
        article = parsed[path].article
        if article is None:
            continue
        for tag in article.tags:
            uses.setdefault(tag.slug, {}).setdefault(tag.name, []).append(path)
            urls.setdefault(tag.slug, tag.url)
    for slug, spellings in uses.items():
        if len(spellings) < 2:
            continue
        shown = site_wide_name({name: len(found) for name, found in spellings.items()})
        word, scripts = _word(shown), _scripts(shown)
        for name in sorted(spellings):
            if _word(name) == word or _scripts(name) != scripts:
                continue
            where = sorted(spellings[name])[0]
            other = sorted(spellings[shown])[0]
            diags.warning(
                f"content/{where}",
                _line_of(content / where, name),
                f"tag '{name}' and tag '{shown}' (content/{other}) have one URL, {urls[slug]}, and "
                f"are shown as one tag, '{shown}'; if they are different tags, rename one of them",
                kind=f"tag-clash:{slug}:{name}",
                group="different tags with one URL, shown as one",
                fix="rename one of each pair (or write both alike if they are one tag)",
            )


def _line_of(path: Path, name: str) -> int:
    """The first line of the file that holds the name (its tags), else 1."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    return next((i for i, line in enumerate(lines, start=1) if name in line), 1)
