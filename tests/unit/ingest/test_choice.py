"""ingest/choice.py's choice between trafilatura's two readings of a page, on hand-written
readings (the real-page cases are in tests/e2e/test_import_html.py)."""

from __future__ import annotations

from generator.ingest.choice import prefer_second

TAGLINE = ["Your most important touchpoint for the digital industry.", "",
           "Your most important touchpoint for the digital industry.", ""]
STORY = [
    "A researcher found a new feature in the beta version of the app and shared a screenshot of it "
    "with his followers on Friday morning.", "",
    "Users can record a video of up to fifteen seconds with their phone and then upload it to their "
    "stories, and longer videos are cut into parts of fifteen seconds each.", "",
    "The company has not said when the feature will reach everyone, and it did not answer a request "
    "for comment about the test before this article was published.", "",
]


def test_a_much_longer_second_reading_of_prose_is_the_article_even_if_it_does_not_hold_the_first() -> None:
    # the default reading took the site's tagline (twice), favor_recall the story: they share
    # nothing, and the story is many times as long and prose
    assert prefer_second(TAGLINE, STORY)


def test_a_much_longer_second_reading_of_links_is_not_taken() -> None:
    links = [f"- [Another story about the app, number {n}, in the newsroom](https://example.com/{n})"
             for n in range(8)]
    assert not prefer_second(TAGLINE, links)
    # ...nor a second reading that is longer, but not three times as long
    assert not prefer_second([*STORY[:2], "A line of the page that the second reading does not hold at all."],
                             STORY)
