"""Feed entries are written once per process: an article is in the site's feed, its tags' and
its source's, and each of its entries is the same in all of them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generator.core.model import InMemoryBodies
from generator.render import feeds
from generator.render.feeds import FeedCache, FeedSpec, feed_files
from support.articles import CONFIG, dated, source


def test_an_articles_entries_are_made_once_for_all_the_feeds_it_is_in(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[str, str]] = []
    for name in ("_atom_entry", "_rss_item", "_json_item"):
        real = getattr(feeds, name)

        def counting(a, base_url, cache, full, real=real, name=name):  # type: ignore[no-untyped-def]
            made.append((name, a.path))
            return real(a, base_url, cache, full)

        monkeypatch.setattr(feeds, name, counting)
    outlet = source("Meduza")
    articles = [
        replace(dated(f"2022/a{i}.md", i, tags=("x", "y"), outlet=outlet), summary="<p>s</p>") for i in range(700)
    ]
    config = replace(CONFIG, feed_items=700)
    cache = FeedCache(InMemoryBodies())
    # more entries than the 600 the cache once kept, in three feeds each (two tags, one source)
    outputs = [
        feed_files(FeedSpec(name, "", f"/{name}/", articles, full=False), config, cache)
        for name in ("tags/x", "tags/y", "sources/meduza")
    ]
    assert len(made) == 3 * 700  # each article's Atom, RSS and JSON entries, once
    assert len(set(made)) == len(made)
    assert outputs[0]["/tags/x/feed.xml"].count(b"<entry>") == 700
    assert outputs[0]["/tags/x/feed.xml"].replace(b"tags/x", b"") == outputs[1]["/tags/y/feed.xml"].replace(
        b"tags/y", b""
    )
