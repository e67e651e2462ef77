"""Fingerprints: a card's key changes with what a card shows, not with the body."""

from __future__ import annotations

import random

from generator.core.fingerprint import card_key
from generator.core.model import evolve
from support.articles import random_article


def test_card_key_ignores_the_body_and_nothing_else() -> None:
    article = random_article(1, random.Random(1))
    assert card_key(evolve(article, body_html="<p>other</p>", body_key="k", fp="x")) == card_key(article)
    assert card_key(evolve(article, title="Another title")) != card_key(article)
    assert card_key(evolve(article, reading_minutes=9)) != card_key(article)
