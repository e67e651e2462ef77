"""select_articles' last step (stages.py): each article finished with its card and whole
fingerprints (bodyedits.card_fingerprint, whole_fingerprint).

Under `digest serve` (a WarmState) the articles finished by the last full selection are kept,
by path, with what they were finished from. An article whose parsed article (the same object
from the parse cache, or an equal one), file key and resolved links are the same as last time
is the very object finished last time, not a new copy, when that object still equals, field
for field, the copy it would be (the kept plan's articles take new bodies and cards in place:
bodyedits.keep_last_plan; then it is a new copy). So the index of a warm build after a tag
edit, an added or a deleted article holds the same objects for the articles that did not
change, and what is made of them (index/site.py's editions) can be kept by their identity."""

from __future__ import annotations

from ..core.model import Article, evolve
from .bodyedits import card_fingerprint, whole_fingerprint
from .warm import Kept


def finish(
    article: Article,
    file_key: str,
    linked: list[str],
    kept: Kept | None,
    made: Kept | None,
    touched: set[str] | None = None,
) -> Article:
    """The article finished; `kept`: the last build's, `made`: this build's (None: none kept).
    `touched`: the paths whose kept object may have been changed in place since `kept` was made
    (WarmState.touched; None: any may have been). A kept object finished from this very article
    and not touched is taken without comparing it field by field."""
    links = tuple(linked)
    last = kept.get(article.path) if kept is not None else None
    same = last is not None and last[1] == file_key and last[2] == links
    if last is not None and same and (last[0] is article or last[0] == article):
        card, whole, was = last[3], last[4], last[5]
        unchanged = last[0] is article and touched is not None and article.path not in touched
        if not unchanged and was.__dict__ != dict(article.__dict__, fp=whole, card_fp=card):
            was = evolve(article, fp=whole, card_fp=card)
    else:
        card = card_fingerprint(article.card_fp, article.tags, linked)
        whole = whole_fingerprint(file_key, card)
        was = evolve(article, fp=whole, card_fp=card)
    if made is not None:
        made[article.path] = (article, file_key, links, card, whole, was)
    return was
