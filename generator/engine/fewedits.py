"""A warm build after a few articles changed in what the site's lists read of them (a tag
edit, a new title or date, an article added or deleted, one made a draft): select_articles
takes the last build's selected articles and does its work again only for the changed ones
and for the articles whose links lead to one of them, instead of selecting, resolving links,
naming tags and fingerprinting all of the site's articles again.

It holds when, since the last build in this process with the same settings
(bodyedits.settings), the clock has not gone back and no future article left out has come due
(`same_selection`), links to the site's root are not resolved (they need the whole plan), and
few files parsed to another object than last time (the parse cache's objects are kept). Every
other article's finished object is then the last build's: its parsed article, file key and
tags' site-wide names are the same, and so are the URLs its links lead to unless one leads to
a changed article (those are done again). A change to a tag's site-wide spelling (the most
used one) would rename the tag on other articles: then, as with any doubt, the stages run as
they always do. Tests compare every step of a walk of edits with a clean build."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from operator import attrgetter

from ..core.diagnostics import Diagnostic, Diagnostics
from ..core.model import Article
from ..parse.parsed import Parsed
from .bodyedits import same_selection, settings
from .context import BuildContext
from .finished import finish
from .process import count
from .warm import Kept, Selected

# more changed files than this (and than a hundredth of the site): a full selection
FEW = 16

_DATE = attrgetter("date")
Spellings = dict[str, dict[str, int]]  # tag slug -> each spelling's count among the selected


def few_edits(ctx: BuildContext) -> bool:
    """select_articles' work for a few changed files (see above), done into ctx; False (and
    nothing done) when it does not hold."""
    warm = ctx.warm
    last = warm.selected if warm is not None else None
    if warm is None or last is None or ctx.config.links_root or not same_selection(ctx):
        return False
    if last.settings != settings(ctx):
        return False
    parsed, old = ctx.parsed, last.parsed
    changed = [path for path, item in parsed.items() if old.get(path) is not item]
    came = any(path not in old for path in changed)
    gone = sorted(old.keys() - parsed.keys()) if came or len(parsed) != len(old) else []
    if (not changed and not gone) or len(changed) + len(gone) > max(FEW, len(old) // 100):
        return False
    if not last.index:
        last.index = {path: i for i, path in enumerate(last.paths)}
    spellings = _spellings(last)
    slugs = _slugs(old, [*changed, *gone]) | _slugs(parsed, changed)
    before = {slug: _canonical(spellings.get(slug)) for slug in slugs}
    chosen, drafts, later = _select(ctx, last, changed, gone, spellings)
    # a tag that comes or goes with the changed articles is on no other: renames nothing
    if any(name not in (None, _canonical(spellings.get(slug), name)) for slug, name in before.items()):
        last.spellings = None  # counted again from the next full selection
        return False
    touched = {*changed, *gone}
    paths = [p for p in parsed if p in chosen or (p in last.index and p not in touched)]
    redo = set(chosen)
    for path in paths:  # those whose links lead to a changed article: resolved again
        refs = parsed[path].refs
        if refs and any(target in touched for target, _ in refs):
            redo.add(path)
    problems = Diagnostics(root=ctx.root)
    made = _finished(ctx, warm.finished, paths, last, redo, spellings, problems)
    for path in touched.difference(paths):
        warm.finished.pop(path, None)
    articles = [made[p] if p in made else last.articles[last.index[p]] for p in paths]
    links = _link_problems(last.link_problems, problems.items, redo | touched, problems, ctx)
    ctx.link_problems = Diagnostics(root=ctx.root, items=links)
    ctx.diags.items.extend(links)
    ctx.articles = articles
    result = ctx.result
    result.articles, result.drafts_left_out, result.future_left_out = len(articles), drafts, later
    selected = warm.selected = Selected(settings(ctx), dict(parsed), paths, articles, list(links))
    selected.now, selected.left_out = ctx.now, (drafts, later)
    selected.due = min(a.date for a in later) if later else None
    selected.spellings = spellings
    out = [last.articles[last.index[p]] for p in redo | touched if p in last.index]
    selected.by_date = _by_date(last, articles, out, list(made.values()))
    ctx.few_edited = True
    count("select:few")  # tests: how often this shortcut was taken
    return True


def _by_date(
    last: Selected, articles: list[Article], out: list[Article], new: list[Article]
) -> tuple[list[Article], list[datetime], list[Article]]:
    """`articles` sorted by date, for bodyedits.news_candidates: the last selection's (sorted
    once per full selection) with `out` (its objects not in this one) taken out and `new` (this
    one's objects not in it) put in."""
    if last.by_date is None or last.by_date[0] is not last.articles:
        ordered = sorted(last.articles, key=_DATE)
        last.by_date = (last.articles, list(map(_DATE, ordered)), ordered)
    _, dates, ordered = last.by_date
    dates, ordered = list(dates), list(ordered)
    for article in out:
        at = bisect_left(dates, article.date)
        while ordered[at] is not article:
            at += 1
        del dates[at], ordered[at]
    for article in new:
        at = bisect_right(dates, article.date)
        dates.insert(at, article.date)
        ordered.insert(at, article)
    return articles, dates, ordered


def _spellings(last: Selected) -> Spellings:
    """Each tag's spellings among the last selection's articles as parsed (before their
    site-wide names), counted once and kept up to date after."""
    if last.spellings is None:
        counts: Spellings = {}
        for path in last.paths:
            article = last.parsed[path].article
            assert article is not None
            _count(counts, article, 1)
        last.spellings = counts
    return last.spellings


def _count(counts: Spellings, article: Article, step: int) -> None:
    for tag in article.tags:
        names = counts.setdefault(tag.slug, {})
        left = names[tag.name] = names.get(tag.name, 0) + step
        if not left:
            del names[tag.name]
            if not names:
                del counts[tag.slug]


def _canonical(names: dict[str, int] | None, none: str | None = None) -> str | None:
    """A tag's site-wide name: its most used spelling, ties to the first in sort order (as
    index/select.py canonical_tag_names); `none` when no article has it."""
    from ..index.select import site_wide_name

    return site_wide_name(names) if names else none


def _slugs(parsed: dict[str, Parsed], paths: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        item = parsed.get(path)
        if item is not None and item.article is not None:
            found.update(t.slug for t in item.article.tags)
    return found


def _select(
    ctx: BuildContext, last: Selected, changed: list[str], gone: list[str], spellings: Spellings
) -> tuple[dict[str, Article], int, list[Article]]:
    """The changed files' articles that are in the site now, with the drafts and future
    articles left out (as index/select.py select); `spellings` counted again."""
    drafts, later = last.left_out
    later = [a for a in later if a.path not in changed and a.path not in gone]
    chosen: dict[str, Article] = {}
    options = ctx.options
    for path in [*changed, *gone]:
        before = last.parsed.get(path)
        was = before.article if before is not None else None
        if was is not None and path in last.index:
            _count(spellings, was, -1)
        elif was is not None and was.draft and not options.drafts:
            drafts -= 1
        item = ctx.parsed.get(path)
        article = item.article if item is not None else None
        if article is None:
            continue
        if article.draft and not options.drafts:
            drafts += 1
        elif article.date > ctx.now and not options.future:
            later.append(article)
        else:
            chosen[path] = article
            _count(spellings, article, 1)
    return chosen, drafts, sorted(later, key=lambda a: (a.date, a.path))


def _finished(
    ctx: BuildContext,
    kept: Kept,
    paths: list[str],
    last: Selected,
    redo: set[str],
    spellings: Spellings,
    problems: Diagnostics,
) -> dict[str, Article]:
    """The articles to do again, each selected, its links resolved, its tags named and
    fingerprinted as select_articles does (index/select.py, stages._fingerprinted)."""
    from ..index.select import resolve_links, translated_tag_names

    if not redo:
        return {}
    parsed = ctx.parsed
    todo = []
    for path in paths:
        if path in redo:
            article = parsed[path].article
            assert article is not None
            todo.append(article)
    urls: dict[str, str] = {}
    if any(parsed[a.path].refs for a in todo):  # every selected article's URL
        urls = {p: last.articles[last.index[p]].url for p in paths if p not in redo}
        urls.update((a.path, a.url) for a in todo)
        todo = resolve_links(todo, parsed, problems, ctx.config, strict_links=False, urls=urls)
    named = translated_tag_names([_named(a, spellings) for a in todo], ctx.tag_names)
    made = {}
    for article in named:
        refs = parsed[article.path].refs
        linked = [urls.get(target, "") for target, _ in refs] if refs else []
        made[article.path] = finish(article, ctx.file_keys[article.path], linked, kept, kept, None)
    return made


def _named(article: Article, spellings: Spellings) -> Article:
    """The article with its tags' site-wide names (index/select.py canonical_tag_names)."""
    names = [_canonical(spellings.get(t.slug)) or t.name for t in article.tags]
    if all(name == t.name for name, t in zip(names, article.tags, strict=True)):
        return article
    tags = tuple(replace(t, name=name) for t, name in zip(article.tags, names, strict=True))
    return replace(article, tags=tags)


def _link_problems(
    old: list[Diagnostic], new: list[Diagnostic], again: set[str], problems: Diagnostics, ctx: BuildContext
) -> list[Diagnostic]:
    """The last selection's problems with links but those about the articles done again or
    changed (`again`), then the new ones (printed sorted, as every diagnostic is)."""
    content = ctx.config.content_dir
    about = {problems.where(content / path) for path in again}
    return [d for d in old if d.path not in about] + new
