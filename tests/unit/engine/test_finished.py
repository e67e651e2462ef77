"""engine/finished.py: an article that did not change is the last build's finished object, but
only while that object is, field for field, the copy it would make (a kept plan's article takes
new bodies and cards in place: bodyedits.keep_last_plan)."""

from __future__ import annotations

from generator.core.model import evolve
from generator.engine.bodyedits import card_fingerprint, whole_fingerprint
from generator.engine.finished import finish
from generator.engine.warm import Kept
from unit.plan.test_inputs import _articles


def test_an_unchanged_article_is_the_kept_object() -> None:
    article = _articles(1)[0]
    kept: Kept = {}
    first = finish(article, "file-key", ["/news/x/"], None, kept)
    card = card_fingerprint(article.card_fp, article.tags, ["/news/x/"])
    assert first.card_fp == card and first.fp == whole_fingerprint("file-key", card)
    again: Kept = {}
    assert finish(article, "file-key", ["/news/x/"], kept, again) is first
    # an equal article (parsed again) too
    assert finish(evolve(article), "file-key", ["/news/x/"], kept, {}) is first


def test_what_it_was_finished_from_changed_is_a_new_object() -> None:
    article = _articles(1)[0]
    kept: Kept = {}
    first = finish(article, "file-key", [], None, kept)
    for other in (
        finish(article, "another-key", [], kept, {}),
        finish(article, "file-key", ["/news/y/"], kept, {}),
        finish(evolve(article, title="Retitled"), "file-key", [], kept, {}),
    ):
        assert other is not first
    assert finish(evolve(article, title="Retitled"), "file-key", [], kept, {}).title == "Retitled"


def test_a_kept_object_changed_in_place_is_not_taken() -> None:
    article = _articles(1)[0]
    kept: Kept = {}
    first = finish(article, "file-key", [], None, kept)
    first.__dict__.update(body_html="<p>Edited under a kept plan</p>", body_key="other-pack:0:9")
    again = finish(article, "file-key", [], kept, {})
    assert again is not first
    assert again.body_html == article.body_html and again.body_key == article.body_key
    assert again.__dict__ == dict(article.__dict__, fp=first.fp, card_fp=first.card_fp)


def test_an_object_not_touched_since_is_taken_without_comparing_it() -> None:
    """`touched` names the kept objects a kept plan changed in place (bodyedits.keep_last_plan
    marks them); the others are taken as they are, unread: the field by field comparison of
    2,000 articles was a tenth of a tag edit's time to the open page."""
    article = _articles(1)[0]
    kept: Kept = {}
    first = finish(article, "file-key", [], None, kept, set())
    first.__dict__.update(body_html="<p>changed, and not marked</p>")
    assert finish(article, "file-key", [], kept, {}, set()) is first  # trusted: not compared
    again = finish(article, "file-key", [], kept, {}, {article.path})  # marked: compared
    assert again is not first and again.body_html == article.body_html
    # an equal article (parsed again) is always compared: it was not finished from this object
    assert finish(evolve(article), "file-key", [], kept, {}, set()) is not first
