"""Which of trafilatura's two readings of a page is the article, and the trailing lines the
publisher's own `articleBody` does not claim.

trafilatura reads a page twice here: with digest's settings, and with `favor_recall`. They
differ in which container wins: with its default focus trafilatura compares its own result with
a second algorithm's (readability) and takes the longer; with `favor_recall` it keeps its own
once it has enough text. Both ways go wrong on real pages, each in a shape that can be seen:

- the first reading holds the second one whole, and the second is much shorter but still a
  substantial text: the first took a stream of other stories (or a blog's other posts) around
  the article, and the second is the article (`prefer_second`);
- the second holds the first whole and adds paragraphs of prose (long lines ending as
  sentences end, few links): the first stopped short of the article's end;
- the second is three times as long and what it adds is prose, whether it holds the first or
  not: the first is a fragment of another container (a site's tagline twice, on a page whose
  article the default reading missed).

A page's JSON-LD `articleBody` is the publisher's own statement of the article's text. When it
holds most of the text read (so it is the whole article, not a teaser), lines at the end that it
does not hold are something after the article (`drop_unclaimed_tail`); when the text read holds
only a small part of it, the reading missed the article and the articleBody is the body
(`short_of_body`).

Every threshold was chosen on the development sets of bench/results-import.md.
"""

from __future__ import annotations

import html
import re
from typing import Any

from . import jsonld
from .blocks import LINK, WORD

# the shorter reading: at least this share of its 4-word runs inside the longer one, and at
# least this share of its words (less is a fragment: a caption, a teaser)
WITHIN = 0.9
SHORTER_FLOOR = 0.3
SHORTER = 0.9  # ...and less than this share of the longer one's words
# the longer reading: more than this many times the words, the shorter one inside it this much
LONGER = 1.1
HOLDS = 0.95
# ...or this many times the words, holding the first or not: the first is a fragment from
# another container (a site's tagline, a caption), the second the article
APART = 3
# its added lines: prose, i.e. lines of PROSE_WORDS words or more carry this share of the added
# words and as many of them end as a sentence ends; link text under LINK_SHARE of the words
PROSE_WORDS = 12
PROSE_SHARE = 0.6
LINK_SHARE = 0.3
# an articleBody is trusted as the whole article when it has this many words and holds this
# share of the words read
BODY_WORDS = 100
CLAIMED = 0.8

_SENTENCE_END = re.compile(r"[.!?…:;\"”»«)]\**$")
_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"<(?:p|br|div|h[1-6]|ul|ol|li|blockquote)\b", re.IGNORECASE)


def _tokens(text: str) -> list[str]:
    return WORD.findall(LINK.sub(r"\1", text).lower())


def _runs(tokens: list[str], n: int = 4) -> set[tuple[str, ...]]:
    if len(tokens) < n:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def _held(line: str, runs: set[tuple[str, ...]]) -> bool:
    """Whether most of the line's 4-word runs are in `runs` (a line with no word is)."""
    own = _runs(_tokens(line))
    return not own or len(own & runs) >= 0.5 * len(own)


def _prose(lines: list[str]) -> bool:
    counts = [len(_tokens(line)) for line in lines]
    total = sum(counts)
    if not total:
        return False
    links = sum(len(WORD.findall(m.group(1))) for line in lines for m in LINK.finditer(line))
    long_lines = [line for line, n in zip(lines, counts, strict=True) if n >= PROSE_WORDS]
    long_words = sum(n for n in counts if n >= PROSE_WORDS)
    ended = sum(1 for line in long_lines if _SENTENCE_END.search(line.strip()))
    return (links < LINK_SHARE * total and long_words >= PROSE_SHARE * total
            and ended >= PROSE_SHARE * len(long_lines))


def prefer_second(first: list[str], second: list[str]) -> bool:
    """Whether the second reading's lines (`favor_recall`) are the article rather than the
    first's: the first holds a much shorter second (it took other stories around the article),
    the second holds the first and adds prose (the first stopped short), or the second is
    three times as long and adds prose (the first is a fragment from elsewhere)."""
    first_tokens, second_tokens = _tokens("\n".join(first)), _tokens("\n".join(second))
    if not first_tokens or not second_tokens:
        return False
    first_runs, second_runs = _runs(first_tokens), _runs(second_tokens)
    shared = len(first_runs & second_runs)
    if len(second_tokens) < SHORTER * len(first_tokens):
        return len(second_tokens) >= SHORTER_FLOOR * len(first_tokens) and shared >= WITHIN * len(second_runs)
    # three times as long: whether or not it holds the first
    if len(second_tokens) < APART * len(first_tokens) and (
            len(second_tokens) <= LONGER * len(first_tokens) or shared < HOLDS * len(first_runs)):
        return False
    return _prose([line for line in second if line.strip() and not _held(line, first_runs)])


def article_body(document: Any) -> str:
    """The page's JSON-LD article's `articleBody` ("" when it has none): plain text, or HTML
    (some sites write it so, often escaped: it is unescaped once here)."""
    if document is None:
        return ""
    blocks = [s.text_content() for s in document.iter("script") if "ld+json" in (s.get("type") or "").lower()]
    article = jsonld.find_article(jsonld.parse_blocks(blocks))
    if article is None:
        return ""
    body = article.get("articleBody")
    if isinstance(body, list):
        body = " ".join(part for part in body if isinstance(part, str))
    return html.unescape(body) if isinstance(body, str) else ""


def _plain(body: str) -> str:
    return html.unescape(_TAG.sub(" ", body))


def is_html(body: str) -> bool:
    return _BLOCK_TAG.search(body) is not None


def short_of_body(text: str, body: str) -> bool:
    """Whether the text read holds less than a third of the page's `articleBody` (of
    BODY_WORDS words or more) and is less than half as long: the article is in the page's data
    but not in its markup (a page that writes its text with a script), or the reading missed
    it; the articleBody is then the draft's body."""
    body_tokens = _tokens(_plain(body))
    if len(body_tokens) < BODY_WORDS:
        return False
    text_tokens = _tokens(text)
    body_runs = _runs(body_tokens)
    return (len(body_tokens) >= 2 * len(text_tokens)
            and len(body_runs & _runs(text_tokens)) < len(body_runs) / 3)


def paragraphs(body: str) -> str:
    """A plain-text articleBody as Markdown paragraphs, one a line of its own."""
    return "\n\n".join(" ".join(line.split()) for line in body.split("\n") if line.strip())


def drop_unclaimed_tail(lines: list[str], body: str) -> list[str]:
    """The lines without those at the end that the page's `articleBody` does not hold, when it
    holds most of the rest (an articleBody that is a teaser or a summary decides nothing)."""
    body_tokens = _tokens(_plain(body))
    if len(body_tokens) < BODY_WORDS:
        return lines
    claimed_runs = _runs(body_tokens)
    claimed = [_held(line, claimed_runs) for line in lines]
    counts = [len(_tokens(line)) for line in lines]
    if sum(n for n, c in zip(counts, claimed, strict=True) if c) < CLAIMED * sum(counts):
        return lines
    drop = set()
    for i in reversed(range(len(lines))):
        if claimed[i] and counts[i]:
            break
        if not claimed[i]:
            drop.add(i)
    return [line for i, line in enumerate(lines) if i not in drop]
