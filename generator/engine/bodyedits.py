"""A warm build after edits to articles' bodies only (what a curator does most under `digest
serve`): the selected articles are the last build's, the edited ones with their new bodies,
without resolving links, naming tags and fingerprinting the whole site again.

It holds when, since the last build in this process with the same settings, the same articles
were selected in the same order, every other file parsed to the very same object (the parse
cache's), and each edited file parsed to the same card (parse/article.py card_fp: every field
but the body), links to other articles (with their lines), aliases' and source_url's lines.
Then what select_articles and check_site derive from the cards and those lines (links
resolved, tags' site-wide spellings, card fingerprints, link and collision problems) is what
they derived last time, and only each edited article's whole fingerprint is new. Any doubt,
and the stages run as they always do."""

from __future__ import annotations

from ..core.fingerprint import hash_text
from ..core.model import Article, evolve
from ..parse.article import Parsed
from .context import BuildContext


def settings(ctx: BuildContext) -> tuple[object, ...]:
    options = ctx.options
    return (ctx.config, options.drafts, options.future, options.write, ctx.tag_names, repr(ctx.stories))


def body_edits(ctx: BuildContext, selected: list[Article]) -> list[Article] | None:
    """The articles as select_articles would make them, when only bodies changed since the
    last build (see above); else None."""
    warm = ctx.warm
    last = warm.selected if warm is not None else None
    if last is None or ctx.config.links_root or last.settings != settings(ctx):
        return None
    if len(selected) != len(last.paths) or any(
        a.path != p for a, p in zip(selected, last.paths, strict=True)
    ):
        return None
    parsed, old = ctx.parsed, last.parsed
    if parsed.keys() != old.keys():
        return None
    edited = [path for path, item in parsed.items() if item is not old[path]]
    if not all(_same_card(parsed[path], old[path]) for path in edited):
        return None
    articles = list(last.articles)
    at = {a.path: i for i, a in enumerate(articles)} if edited else {}
    for path in edited:
        i = at.get(path)
        new = parsed[path].article
        if i is None or new is None:
            continue  # a draft or a future article: not in the site
        was = articles[i]
        whole = hash_text(f"{ctx.file_keys[path]}|{was.card_fp}")  # as stages._fingerprinted
        articles[i] = evolve(was, fp=whole, body_html=new.body_html, body_key=new.body_key)
    return articles


def _same_card(new: Parsed, old: Parsed) -> bool:
    a, b = new.article, old.article
    if a is None or b is None:
        return a is b
    return (
        a.card_fp == b.card_fp
        and new.refs == old.refs
        and new.roots == old.roots
        and new.alias_lines == old.alias_lines
        and new.source_url_line == old.source_url_line
    )
