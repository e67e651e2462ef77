"""A warm build after edits to articles' bodies, summaries, titles... (what a curator does most
under `digest serve`): the selected articles are the last build's, the edited ones with their
new bodies and cards, without resolving links, naming tags and fingerprinting the whole site
again.

It holds when, since the last build in this process with the same settings, the same articles
were selected in the same order, every other file parsed to the very same object (the parse
cache's), and each edited file parsed to the same card (parse/article.py card_fp: every field
but the body) or one changed only in what no check, index or plan reads (`same_shape`), with
the same links to other articles (with their lines), aliases' and source_url's lines.
Then what select_articles and check_site derive from the cards and those lines (links
resolved, tags' site-wide spellings, card fingerprints, link and collision problems) is what
they derived last time, and only each edited article's whole fingerprint is new. The
selection itself is not made again while the clock has not gone back and no future article
left out has come due; the Google News window is found in the kept articles sorted by date.
Any doubt, and the stages run as they always do."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime

from markupsafe import Markup

from ..core.fingerprint import digest, hash_text
from ..core.model import Article, Tag, evolve
from ..core.urls import resolve_refs
from ..parse.parsed import Parsed
from .context import BuildContext
from .process import count


def settings(ctx: BuildContext) -> tuple[object, ...]:
    options = ctx.options
    return (ctx.config, options.drafts, options.future, options.write, ctx.tag_names, repr(ctx.stories))


def same_selection(ctx: BuildContext) -> bool:
    """Whether select() would choose what it chose last time, if no card changed: the clock
    has not gone back and no left-out future article has come due since."""
    last = ctx.warm.selected if ctx.warm is not None else None
    if last is None or last.now is None:
        return False
    return last.now <= ctx.now and (last.due is None or ctx.now < last.due)


def news_candidates(ctx: BuildContext, articles: list[Article], cutoff: datetime) -> list[Article]:
    """The articles dated from `cutoff` to now, out of the kept selection sorted by date (made
    once per selection), for render/sitemap.news_window."""
    last = ctx.warm.selected if ctx.warm is not None else None
    if last is None or last.by_date is None or last.by_date[0] is not articles:
        ordered = sorted(articles, key=lambda a: a.date)
        dates = [a.date for a in ordered]
        if last is not None:
            last.by_date = (articles, dates, ordered)
    else:
        _, dates, ordered = last.by_date
    return ordered[bisect_left(dates, cutoff) : bisect_right(dates, ctx.now)]


def body_edits(ctx: BuildContext, selected: list[str] | None) -> list[tuple[int, Article]] | None:
    """The articles edited since the last build, each with its place among the last build's
    selected articles, as select_articles would make it (ctx.articles are those with the
    edited ones in their places), when only bodies changed (see above); else None."""
    warm = ctx.warm
    last = warm.selected if warm is not None else None
    if last is None or ctx.config.links_root or last.settings != settings(ctx):
        return None
    if selected is not None and selected != last.paths:  # None: the same (same_selection)
        return None
    parsed, old = ctx.parsed, last.parsed
    if parsed.keys() != old.keys():
        return None
    changed = [path for path, item in parsed.items() if item is not old[path]]
    if not all(_same_card(parsed[path], old[path]) for path in changed):
        return None
    if changed and not last.index:
        last.index = {path: i for i, path in enumerate(last.paths)}
    edited = []
    urls: dict[str, str] | None = None
    for path in changed:
        i = last.index.get(path)
        new = parsed[path].article
        if i is None or new is None:
            continue  # a draft or a future article: not in the site
        was = last.articles[i]
        before = old[path].article
        assert before is not None  # (_same_card)
        changes: dict[str, object] = {}
        card = was.card_fp
        if new.card_fp != before.card_fp:  # a card changed in what no plan reads: as select would
            if urls is None:
                urls = {a.path: a.url for a in last.articles}
            changes = {name: getattr(new, name) for name in _CARD_ONLY}
            refs = parsed[path].refs
            if refs:  # index/select.py resolve_links
                changes["summary"] = Markup(resolve_refs(new.summary, urls, path))
            linked = [urls.get(target, "") for target, _ in refs]
            # its tags' site-wide names are the kept ones: the same tags (same_shape)
            card = card_fingerprint(new.card_fp, was.tags, linked)
        whole = whole_fingerprint(ctx.file_keys[path], card)
        body = {"body_html": new.body_html, "body_key": new.body_key}
        edited.append((i, evolve(was, **changes, **body, fp=whole, card_fp=card)))
    return edited


def card_fingerprint(parsed_card: str, tags: tuple[Tag, ...], linked: list[str]) -> str:
    """An article's finished card fingerprint: its parsed card's, its tags' site-wide names and
    the URLs its links resolved to (select_articles makes it: stages._fingerprinted)."""
    return digest(parsed_card, *[t.name for t in tags], "|", *linked)


def whole_fingerprint(file_key: str, card: str) -> str:
    """An article's whole fingerprint: its file's key and its finished card's."""
    return hash_text(f"{file_key}|{card}")


def _same_card(new: Parsed, old: Parsed) -> bool:
    a, b = new.article, old.article
    if a is None or b is None:
        return a is b
    return (
        (a.card_fp == b.card_fp or same_shape(b, a))
        and new.refs == old.refs
        and new.roots == old.roots
        and new.alias_lines == old.alias_lines
        and new.source_url_line == old.source_url_line
    )


# an Article's fields that are not its card (core/fingerprint.py's card_key leaves them out)
_BODY_FIELDS = ("fp", "body_html", "body_key", "ref_urls")


def keep_last_plan(ctx: BuildContext) -> bool:
    """Whether the index and plans of the last build stand (see warm.py): the same articles in
    the same order, with the same cards, or with cards changed only in what no index or plan
    reads (`same_shape`: a summary, a title, authors...). Then the kept articles, which they
    hold, take the new bodies and cards in place."""
    warm, keys = ctx.warm, ctx.keys
    if warm is None or not ctx.options.write or keys is None:
        return False
    kept = warm.articles
    if not warm.cards_key or len(kept) != len(ctx.articles):
        warm.forget_plan()  # planned again below, and kept again after
        return False
    if ctx.bodies_edited:  # the articles are the kept ones but for those edited (bodyedits.py)
        pairs = [(kept[i], new) for i, new in ctx.edited]
    else:
        pairs = list(zip(kept, ctx.articles, strict=True))
    cards = warm.cards_key != keys.cards
    if cards and warm.shape != keys.parts:  # the settings, the theme, stories.yaml... changed
        warm.forget_plan()
        return False
    if any(
        old.path != new.path or (old.card_fp != new.card_fp and not (cards and same_shape(old, new)))
        for old, new in pairs
    ):
        warm.forget_plan()
        return False
    for old, new in pairs:
        if old is new:  # bodyedits.py: an article not edited is the kept one
            continue
        # what the pages' keys worked out for the groups that hold it is not true any more,
        # and a page with the same objects for inputs is not the same page
        warm.fingerprinters = []
        warm.inputs = {}
        if old.card_fp != new.card_fp:
            old.__dict__.update(new.__dict__)  # the card and the body
            warm.touched.add(old.path)
            for index in warm.index.values():  # not what it grouped any more (index/delta.py)
                index.changed_in_place()
            continue
        body = {name: getattr(new, name) for name in _BODY_FIELDS}
        if any(getattr(old, name) != value for name, value in body.items()):
            # another body, or the same one parsed again into another pack (store.py): in
            # place (Article is frozen for the stages, which never change one), since every
            # page and list of the kept plan holds this object
            old.__dict__.update(body)
            warm.touched.add(old.path)
    if cards:
        # a page's context is made of its inputs' cards when first read (plan/inputs.py): those
        # made by the last build may show a card that changed in place. Made again when read;
        # the pages' keys (of the new cards) say which to render
        for plan in warm.plans:
            plan.__dict__.pop("context", None)
        warm.cards_key = keys.cards
        warm.plan_cards.add(keys.cards)
        count("plan:kept-cards")  # tests: how often a card edit kept the plan
    if ctx.bodies_edited:
        kept_by_id = {id(new): old for old, new in pairs}
        ctx.news = tuple(kept_by_id.get(id(a), a) for a in ctx.news)
    else:
        by_path = {a.path: a for a in kept}
        ctx.news = tuple(by_path[a.path] for a in ctx.news)
    ctx.articles = kept
    ctx.sites = dict(warm.sites)
    ctx.site = ctx.sites[ctx.config.language if ctx.config.multilingual else ""]
    ctx.kept_plan = True
    count("plan:kept")  # tests: how often this shortcut was taken
    return True


# what indexing and planning read of an article (index/, plan/ outside the pages' context
# makers): an edit that changes none of them leaves every group, list and page plan as it was
SHAPE_FIELDS = (
    "path",
    "slug",
    "url",
    "abs_url",
    "date",
    "updated",  # sitemaps' lastmod
    "source",
    "lang",
    "via",
    "tags",
    "story",
    "draft",
    "aliases",
    "translation_key",
    "source_url",
)


# what a card edit that keeps the shape takes from the new card (the tags are the kept ones,
# with their site-wide names; the summary's links are resolved)
_CARD_ONLY = tuple(
    name
    for name in Article.__dataclass_fields__
    if name not in (*SHAPE_FIELDS, *_BODY_FIELDS, "card_fp")
)


def same_shape(old: Article, new: Article) -> bool:
    """Whether `new` differs from `old` only in what pages show of it, not in where it is
    listed: its summary, authors, image, reading time, extra keys, its title (unless the title
    names its story's page or its redirect pages: index/site.py, plan/aliases.py)."""
    if any(getattr(old, name) != getattr(new, name) for name in SHAPE_FIELDS):
        return False
    return old.title == new.title or not (old.story or old.aliases)
