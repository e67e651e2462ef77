"""Aliases (front matter `aliases:`): a redirect page at each old path of an article, and the
checks that keep one from taking another output's place. The page is listed nowhere else: no
sitemap, feed, search index or list reads these plans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from ..core.diagnostics import Diagnostic, Diagnostics, Level
from ..core.model import Article
from ..core.urls import output_file
from .context import PageInfo
from .inputs import PagePlan

TEMPLATE = "alias.html"  # the built-in theme's; a site's theme may have its own
_URL = attrgetter("url")


@dataclass(frozen=True)
class Redirect:
    """What a redirect page is made of (its only input: a change elsewhere in the article does
    not make it again)."""

    url: str  # the alias, under the base path
    target: str  # the article's absolute URL
    title: str  # the article's
    lang: str  # the article's


def alias_pages(articles: Iterable[Article]) -> list[PagePlan]:
    return [redirect_page(Redirect(url, a.abs_url, a.title, a.lang)) for a in articles for url in a.aliases]


def redirect_page(redirect: Redirect) -> PagePlan:
    """A redirect page (also the root of a multilingual site whose every language has its prefix)."""
    return PagePlan.of(redirect.url, TEMPLATE, _alias, redirect)


def _alias(redirect: Redirect) -> dict[str, Any]:
    page = PageInfo(kind="alias", title=redirect.title, url=redirect.url, canonical=redirect.target)
    return {"page": page, "redirect": redirect}


def check_reserved(plans: list[PagePlan], articles: list[Article], diags: Diagnostics) -> None:
    """An article at the URL of one of the site's own pages is an error (an alias there is the
    alias's problem: alias_problems). Each article's page is planned once: only a URL planned
    more often is looked at."""
    planned = Counter(map(_URL, plans))
    if max(map(planned.__getitem__, map(_URL, articles)), default=0) <= 1:
        return
    by_url = {a.url: a for a in articles}
    for plan in plans:
        if plan.template not in ("article.html", TEMPLATE) and plan.url in by_url:
            article = by_url[plan.url]
            diags.error(
                f"content/{article.path}",
                1,
                f"URL {plan.url} is also the site's {plan.template.removesuffix('.html')} page; "
                "give the article a different 'slug' or change permalinks.article",
            )


def alias_problems(
    articles: Iterable[Article],
    lines: dict[str, tuple[int, ...]],
    pages: Iterable[PagePlan],
    files: dict[str, str],
    base_path: str,
) -> list[Diagnostic]:
    """An alias whose file is another page's (an article's, a list's), another article's
    alias, or a file of `files` (output file -> what it is: static files, the email edition)
    is an error at the alias's line: one of the two would be lost."""
    taken: dict[str, str] = dict(files)
    for plan in pages:
        if plan.template == TEMPLATE:
            continue
        article = plan.article
        what = (
            f"the URL of content/{article.path}"
            if isinstance(article, Article)
            else (f"the URL of the site's {plan.template.removesuffix('.html')} page")
        )
        taken.setdefault(output_file(plan.url, base_path), what)
    problems: list[Diagnostic] = []
    for article in sorted(articles, key=lambda a: a.path):
        where = f"content/{article.path}"
        found = lines.get(article.path, ())
        for i, url in enumerate(article.aliases):
            line = found[i] if i < len(found) else 1
            rel = output_file(url, base_path)
            shown = "/" + url.removeprefix(base_path)  # as written: site-relative
            if url == article.url:
                message = f"alias {shown} is this article's own URL; remove it"
            elif rel in taken:
                message = f"alias {shown} is also {taken[rel]}; remove the alias or move the other"
            else:
                taken[rel] = f"an alias in {where}:{line}"
                continue
            problems.append(Diagnostic(where, line, Level.ERROR, message, kind=f"alias:{url}"))
    return problems
