"""Which parsed articles make the site (drafts and future-dated ones left out unless asked),
their links to each other resolved, and the checks that need every article at once: two
articles at one URL, one original used twice, stories.yaml entries no article uses. Pure."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

from markupsafe import Markup

from ..core.diagnostics import Diagnostics
from ..core.model import Article
from ..core.urls import resolve_refs
from ..core.yamlnodes import suggest
from ..parse.parsed import Parsed
from ..read.config import SiteConfig
from ..read.stories import STORIES_NAME, StoryRegistry


def select(
    parsed: dict[str, Parsed], drafts: bool, future: bool, now: datetime
) -> tuple[list[Article], int, list[Article]]:
    """The articles in the site, how many drafts were left out, and the future-dated ones left
    out (oldest first)."""
    chosen: list[Article] = []
    later: list[Article] = []
    drafts_left_out = 0
    for item in parsed.values():
        article = item.article
        if article is None:
            continue
        if article.draft and not drafts:
            drafts_left_out += 1
        elif article.date > now and not future:
            later.append(article)
        else:
            chosen.append(article)
    return chosen, drafts_left_out, sorted(later, key=lambda a: (a.date, a.path))


def resolve_links(
    articles: list[Article],
    parsed: dict[str, Parsed],
    diags: Diagnostics,
    config: SiteConfig,
    strict_links: bool,
    urls: dict[str, str] | None = None,
) -> list[Article]:
    """Swap `.md` links for article URLs. A dangling one is a warning for build (a link to a
    draft is normal while writing) and an error for check. `urls`: every selected article's
    (by path), when `articles` are only some of them (engine/fewedits.py)."""
    report = diags.error if strict_links else diags.warning
    if urls is None:
        urls = {a.path: a.url for a in articles}
    out = []
    for article in articles:
        refs = parsed[article.path].refs
        if not refs:
            out.append(article)
            continue
        for target, line in refs:
            if target not in urls:
                why = "a draft or future-dated article" if target in parsed else "no such file under content/"
                report(
                    config.content_dir / article.path,
                    line,
                    f"link to '{target}' does not resolve: {why}",
                    kind=f"unresolved-link:{target}",
                    group=f"link to '{target}' does not resolve",
                    fix=why,
                )
        out.append(
            replace(
                article,
                ref_urls=tuple((t, urls[t]) for t, _ in refs if t in urls),
                summary=Markup(resolve_refs(article.summary, urls, article.path)),
            )
        )
    return out


_K = TypeVar("_K", str, tuple[str, str])  # what two articles must not share
_URL, _SOURCE_URL = attrgetter("url"), attrgetter("source_url")
_TRANSLATION_KEY = attrgetter("translation_key")


def _clashes(
    articles: list[Article], key: Callable[[Article], _K | None], rough: Callable[[Article], str]
) -> Iterator[tuple[_K, Article, Article]]:
    """(key, the first article by path, another) for each article whose key (None: none) an
    earlier one already has, in the order of the keys. `rough`: a part of the key that two
    articles with the same key share ("" where the key is None): only the articles that share
    it with another are looked at again (on most sites, none)."""
    values = list(map(rough, articles))
    counts = Counter(values)
    counts.pop("", None)
    if len(counts) == len(values) - values.count(""):
        return
    shared = {value for value, count in counts.items() if count > 1}
    groups: dict[_K, list[Article]] = defaultdict(list)
    for article in (a for a, value in zip(articles, values, strict=True) if value in shared):
        value = key(article)
        if value is not None:
            groups[value].append(article)
    # only the keys shared are sorted: a site's thousands of unique URLs need no order
    for value, group in sorted([(v, g) for v, g in groups.items() if len(g) > 1]):
        first, *others = sorted(group, key=lambda a: a.path)
        for other in others:
            yield value, first, other


def check_collisions(articles: list[Article], diags: Diagnostics) -> None:
    for url, first, other in _clashes(articles, _URL, _URL):
        diags.error(
            f"content/{other.path}",
            1,
            f"same URL {url} as content/{first.path}; give one of them a different 'slug'",
            kind=f"same-url:{url}",
            group=f"same URL {url} as content/{first.path}",
            fix="give them different slugs",
        )


def check_translations(articles: list[Article], diags: Diagnostics) -> None:
    """A multilingual site: two articles of one language with one translation key."""
    keyed = _clashes(
        articles, lambda a: (a.lang, a.translation_key) if a.translation_key else None, _TRANSLATION_KEY
    )
    for (lang, key), first, other in keyed:
        diags.error(
            f"content/{other.path}",
            1,
            f"content/{first.path} is already the '{lang}' translation of '{key}'; give one of "
            "them another 'translation_key' (or 'lang')",
            kind=f"same-translation:{lang}:{key}",
        )


def check_source_urls(articles: list[Article], parsed: dict[str, Parsed], diags: Diagnostics) -> None:
    """The same original used by two articles is usually a copy made by mistake (translations
    of one article may share it: those are in other languages)."""

    def original(a: Article) -> tuple[str, str] | None:
        return (a.source_url, a.lang if a.translation_key else "") if a.source_url else None

    for (url, _), first, other in _clashes(articles, original, _SOURCE_URL):
        diags.warning(
            f"content/{other.path}",
            parsed[other.path].source_url_line,
            f"same source_url as content/{first.path} ({url})",
            kind=f"same-source-url:{url}",
        )


def check_stories(stories: StoryRegistry, parsed: dict[str, Parsed], diags: Diagnostics, root: Path) -> None:
    """A stories.yaml entry that no article (drafts included) uses is most likely misspelt."""
    if not stories.exists:
        return
    used = {p.article.story for p in parsed.values() if p.article is not None and p.article.story}
    for info in stories.stories:
        if info.key not in used:
            hint = suggest(info.key, sorted(used))
            diags.warning(root / STORIES_NAME, info.line, f"no article has story '{info.key}'{hint}")


def site_wide_name(spellings: dict[str, int]) -> str:
    """A tag's name across the site, of its spellings with their counts: the most used, ties to
    the first in sort order."""
    return min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def canonical_tag_names(articles: list[Article]) -> list[Article]:
    """One spelling per tag across the site: the most used, ties to the first in sort order."""
    spellings: dict[str, dict[str, int]] = {}
    for article in articles:
        for tag in article.tags:
            counts = spellings.get(tag.slug)
            if counts is None:
                spellings[tag.slug] = {tag.name: 1}
            else:
                counts[tag.name] = counts.get(tag.name, 0) + 1
    # a tag with one spelling is written as it is: only the others are looked at again
    names = {slug: site_wide_name(c) for slug, c in spellings.items() if len(c) > 1}
    if not names:
        return list(articles)
    out = []
    for article in articles:
        for t in article.tags:
            if names.get(t.slug, t.name) != t.name:
                break
        else:
            out.append(article)
            continue
        tags = tuple(replace(t, name=names.get(t.slug, t.name)) for t in article.tags)
        out.append(replace(article, tags=tags))
    return out


def translated_tag_names(
    articles: list[Article], names: dict[str, tuple[tuple[str, str], ...]]
) -> list[Article]:
    """Each tag by its name in its article's language, where tags.yaml gives one."""
    if not names:
        return articles
    by_lang = {slug: dict(pairs) for slug, pairs in names.items()}
    out = []
    for article in articles:
        tags = tuple(
            replace(t, name=by_lang[t.slug][article.lang])
            if t.slug in by_lang and article.lang in by_lang[t.slug]
            else t
            for t in article.tags
        )
        out.append(article if tags == article.tags else replace(article, tags=tags))
    return out
