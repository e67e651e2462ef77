"""ingest/html.py's clean-up of trafilatura's Markdown: a hard-wrapped paragraph judged as one
line, tables and code blocks kept whole, lines with no letter and the repeated headline dropped,
and the clutter lines trafilatura keeps on real tabloid pages dropped by the clutter filter."""

from __future__ import annotations

from generator.ingest.clutter import vocabulary
from generator.ingest.html import clean

VOCAB = vocabulary()


def test_the_markdown_trafilatura_gives_is_cleaned() -> None:
    markdown = "\n".join([
        "## Ferry strike halts crossings", "",
        "08.04.2015 12:46", "",
        "The operator and the union met again on Tuesday",
        "        without an agreement, and the crossings stayed", "        suspended.", "",
        "SEE MORE", "", "**DON'T MISS**", "", "Most read in world news", "",
        "Read more: [Ferry fares to rise](https://example.com/fares)", "",
        "Sign up for our daily newsletter", "",
        "| Route | Crossings |", "|---|---|", "| North | 0 |", "",
        "```", "timetable  suspended", "", "  until further notice", "```", "",
        "- first point,", "  wrapped", "- second point", "",
        "> A quote from the harbour master.", "",
        "The last paragraph.",
    ])
    assert clean(markdown, VOCAB, "Ferry strike halts crossings") == "\n".join([
        "The operator and the union met again on Tuesday without an agreement, and the crossings "
        "stayed suspended.", "",
        "| Route | Crossings |", "|---|---|", "| North | 0 |", "",
        "```", "timetable  suspended", "", "  until further notice", "```", "",
        "- first point, wrapped", "- second point", "",
        "> A quote from the harbour master.", "",
        "The last paragraph.",
    ])


def test_a_wrapped_paragraph_is_not_cut_at_a_word_the_filter_knows() -> None:
    # the source's line break puts "Subscribe" alone at a line's start; the paragraph stays
    markdown = ("Readers who wanted to\nsubscribe to the paper's print edition found the office shut,\n"
                "the union said on Tuesday.")
    assert clean(markdown, VOCAB) == (
        "Readers who wanted to subscribe to the paper's print edition found the office shut, "
        "the union said on Tuesday.")
