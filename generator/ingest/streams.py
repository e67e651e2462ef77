"""A stream of other stories after the article: headline links, each with its teaser; and
readers' comments after it, each signed "Posted by: NAME on DATE".

News pages follow the article with the section's other stories, each a headline link and the
story's first sentence ("[Liverpool manager Benitez may sue Hicks](…)" then "Liverpool boss
Rafael Benitez is considering…"), often with no label above them and no card shape in the
tree for ingest/blocks.py to find. As lines they have a shape an article does not: three or
more headline links in a row, each followed by at most one short line with no link, and two
of them by one. (Headline links alone, with no teaser, are left to the labelled-list rules of
ingest/blocks.py: the development sets' truth keeps an article's own "read more" lists.)

Readers' comments (`drop_comments`) that trafilatura keeps with its comments setting off (a
2008 page's comments are the article's container's own paragraphs) are prose too, but signed:
two or more signature lines after the article's first paragraph start a comment section, and
the first comment starts as many lines before the first signature as lie between the first
two.

Chosen on the development sets of bench/results-import.md (L3S-GN1's news pages, where such
streams were a large share of what leaked after the article).
"""

from __future__ import annotations

import re

from .blocks import LINK, line_words, link_words
from .clutter import words

# a run of this many headline links (each with its teaser) is a stream of other stories
MIN_STORIES = 3
# a teaser: one line of at most this many words, with no link, that is not a heading
TEASER_WORDS = 60
# a headline's link text has this many words or more ("More", "Video" are widgets; with a
# teaser after it, "[From farm to fork](…)", "[Homefinder TV](…)" is a story: 2 and 1 measured the
# same, 3 let such streams through)
HEADLINE_WORDS = 2
# the article's first paragraph (the stream is looked for after it): this many words, links
# under a third of them
LEAD_WORDS = 12
# when the stream would be more than this share of the text, the page is a list of stories
MAX_SHARE = 0.5
# ...of which this many have a teaser (a list of bare headline links may be the article's own
# "read more" list, which the development sets' truth keeps)
TEASERS = 2

_MARK = r"^\s{0,3}(?:[-*+]\s+|\d{1,9}[.)]\s+)?(?:\*\*|\*|_)?"
# a link to a place in a page ("#section-2") is a table of contents: the article's own headings
_HEADLINE_ONLY = re.compile(_MARK + r"\[([^\]]+)\]\([^)#]*\)(?:\*\*|\*|_)?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


def _lead(lines: list[str], filled: list[int]) -> int:
    """The place in `filled` of the article's first paragraph (len(filled): none)."""
    for k, i in enumerate(filled):
        words = line_words(lines[i])
        if words >= LEAD_WORDS and link_words(lines[i]) < words / 3:
            return k
    return len(filled)


def _headline(line: str, pattern: re.Pattern[str]) -> bool:
    match = pattern.match(line)
    return match is not None and words(match.group(1)) >= HEADLINE_WORDS


def _teaser(line: str) -> bool:
    return (not LINK.search(line) and not _HEADING.match(line) and not line.startswith(("|", "```"))
            and 0 < line_words(line) <= TEASER_WORDS)


def drop_story_streams(lines: list[str]) -> list[str]:
    """The lines without runs of MIN_STORIES or more headline links, each followed by at most
    one teaser line and TEASERS of them by one, after the article's first paragraph."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    first = _lead(lines, filled)
    drop: set[int] = set()
    k = first + 1
    while k < len(filled):
        run: list[int] = []
        stories = teasers = 0
        while k < len(filled):
            line = lines[filled[k]]
            if _headline(line, _HEADLINE_ONLY):
                run.append(filled[k])
                # a teaser is the line between two headlines, or the last line: a line after it
                # is the article going on, and so may the teaser be
                if k + 1 < len(filled) and _teaser(lines[filled[k + 1]]) and (
                        k + 2 == len(filled) or _headline(lines[filled[k + 2]], _HEADLINE_ONLY)):
                    run.append(filled[k + 1])
                    teasers += 1
                    k += 1
            else:
                break
            stories += 1
            k += 1
        if stories >= MIN_STORIES and teasers >= TEASERS:
            drop.update(run)
        k += 1
    total = sum(line_words(line) for line in lines)
    if not drop or sum(line_words(lines[i]) for i in drop) > MAX_SHARE * total:
        return lines
    return [line for i, line in enumerate(lines) if i not in drop]


# "Posted by: NAME on 5:19pm Tue 1 Jan 08", "Posted by:**NAME of Sydney** 9:49pm …": a reader's
# comment's signature line
_SIGNATURE = re.compile(r"^[\s*_>-]*(?:posted|submitted|comment(?:ed)?)\s+by\b", re.IGNORECASE)
# this many signatures make a comment section
SIGNATURES = 2
# the signatures are at most this many words: a line that goes on is a sentence about a post
SIGNATURE_WORDS = 20


def drop_comments(lines: list[str]) -> list[str]:
    """The lines without readers' comments after the article: from SIGNATURES signature lines
    on ("Posted by: NAME on DATE"), the text from the first comment's start (as many lines
    before the first signature as there are between the first two) to the end goes."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    first = _lead(lines, filled)
    signed = [k for k, i in enumerate(filled) if k > first and _SIGNATURE.match(lines[i])
              and line_words(lines[i]) <= SIGNATURE_WORDS]
    if len(signed) < SIGNATURES:
        return lines
    start = max(first + 1, signed[0] - (signed[1] - signed[0] - 1))
    total = sum(line_words(line) for line in lines)
    if sum(line_words(lines[i]) for i in filled[start:]) > MAX_SHARE * total:
        return lines
    return lines[: filled[start]]
