"""Text copied from a news page (no HTML structure, and no library reads it): the clutter
filter, then the page's head read line by line: the masthead, the headline, the standfirst and
a `By NAME | OUTLET |` byline. What is left is the body, one paragraph per block.

The head is what comes before the first paragraph of prose. A masthead is a short line above
the headline: one matching a registered outlet's name or alias, or the first of two title-like
lines. Dates are never taken from this text (a plea's "Since July 1, 2024" is not a date)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.readingtime import measure
from ..core.scripts import CJK_RUN
from .clutter import Vocabulary, filter_lines, is_opener, words
from .model import Extracted, Found

HEAD_BLOCKS = 8  # the head is looked for in the first blocks only
TITLE_WORDS = 25  # a headline is longer only on the worst sites
MASTHEAD_WORDS = 8
# "By Gabriella Clare | Mirror |", "By Jane Doe and John Roe, Reuters" is not split (a comma
# also separates names): only `|`, `•` or `·` separate an outlet or a time from the name
_BYLINE = re.compile(r"(?:by|von|par|por|di|door|автор:?)\s+(?P<rest>.+)", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*[|•·]\s*")
_DIGITS_OR_TIME = re.compile(r"\d")
# a sentence ends at a stop before a space or the end, or at a Chinese or Japanese full stop,
# which the next sentence follows with no space
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]?(?:\s|$)|[。！？]")
PROSE_WORDS = 15
# "A Message from The Moscow Times:": the box that opens it names the site that published it
_MESSAGE_FROM = re.compile(r"a message from\s+(?P<site>.+?)\s*:?\s*$", re.IGNORECASE)


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _one_line(block: list[str]) -> str | None:
    return " ".join(block[0].split()) if len(block) == 1 else None


_LETTERS = re.compile(r"[^\W\d_]+")
_DATE_WORDS = frozenset(("am", "pm", "gmt", "utc", "bst", "est", "edt", "cet", "cest", "msk", "updated",
                        "published", "posted", "at", "on", "ago", "hours", "hour", "minutes", "minute",
                        "min", "mins", "days", "day", "last", "modified"))
# "dec", "dec.", "december", "tues": a prefix of at least three letters of a month's or day's name
_CALENDAR = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
             "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
             "saturday", "sunday")


def _date_line(line: str) -> bool:
    """"3 Dec 2026", "Updated 10:42 GMT, Tuesday 3 December": a dateline of the head. It is
    dropped, and never read as the article's date (text is not a reliable place for one)."""
    if words(line) > 10 or not _DIGITS_OR_TIME.search(line):
        return False
    return all(w in _DATE_WORDS or (len(w) >= 3 and any(name.startswith(w) for name in _CALENDAR))
               for w in _LETTERS.findall(line.lower()))


_NOT_TITLE_END = (".", ":", ";", ",", "。", "：", "；", "，")  # with the full-width forms
_QUESTION_OR_EXCLAMATION = ("?", "!", "?”", "!”", "？", "！")


def _title_like(block: list[str]) -> bool:
    line = _one_line(block)
    if line is None or _byline(line) is not None or _date_line(line):
        return False
    count = words(line)
    return (2 <= count <= TITLE_WORDS and not line.endswith(_NOT_TITLE_END)) or (
        1 <= count <= TITLE_WORDS and line.endswith(_QUESTION_OR_EXCLAMATION))


def _byline(line: str) -> tuple[str, str | None] | None:
    """(author, outlet or None) from "By NAME", "By NAME | OUTLET |", "By NAME | OUTLET | 10:00"."""
    match = _BYLINE.fullmatch(line.strip())
    if not match or words(line) > 16:
        return None
    parts = [p.strip() for p in _SEPARATOR.split(match.group("rest")) if p.strip()]
    if not parts or len(parts[0].split()) > 6 or parts[0].endswith("."):
        return None
    outlets = [p for p in parts[1:] if not _DIGITS_OR_TIME.search(p)]
    return parts[0], (outlets[0] if outlets else None)


def extract_text(text: str, vocab: Vocabulary, outlet_names: Sequence[str] = ()) -> Extracted:
    """The body and head fields of pasted text. `outlet_names` are the site's registered outlet
    names and aliases: a line above the headline that is one of them is the masthead."""
    raw_lines = text.split("\n")
    fields: dict[str, Found] = {}
    for line in raw_lines:
        if is_opener(line, vocab):
            match = _MESSAGE_FROM.fullmatch(line.strip())
            if match:
                fields["site_name"] = Found(match.group("site"), f"message box \"{line.strip()}\"")
            break
    blocks = _blocks(filter_lines(raw_lines, vocab))
    # a whole page copied ("select all") brings its navigation above the head: start at the head
    # of the first run of prose
    blocks = blocks[_head_start(blocks, _first_prose(blocks)):]
    known = {n.casefold() for n in outlet_names}
    head, start = _head(blocks, known, fields)
    body_blocks = [b for i, b in enumerate(blocks) if i >= start and i not in head]
    body = "\n\n".join("\n".join(b) for b in body_blocks)
    return Extracted(body=body, fields=fields)


def _prose(block: list[str]) -> bool:
    """A paragraph of running text: some length, a sentence end, mostly lower-case words (a
    navigation bar joined into one line is a row of capitalised names)."""
    text = " ".join(block)
    if measure(text).word_equivalent < PROSE_WORDS or not _SENTENCE_END.search(text):
        return False
    tokens = CJK_RUN.sub(" ", text).split()  # Chinese and Japanese have no capitals
    capitalised = sum(1 for t in tokens if t[:1].isupper())
    return capitalised < 0.5 * len(tokens) or not tokens


def _first_prose(blocks: list[list[str]]) -> int:
    """Where the article's running text starts: the first prose block followed by another, or
    long enough to stand alone; with none (a teaser, a list), the start: nothing is cut."""
    for i, block in enumerate(blocks):
        if _prose(block) and (i + 1 == len(blocks) or _prose(blocks[i + 1]) or words(" ".join(block)) >= 40):
            return i
    return 0


def _head_start(blocks: list[list[str]], prose: int) -> int:
    """The first block of the head above `prose`: going up over bylines, short date lines, one
    standfirst and title-like lines, at most HEAD_BLOCKS of them."""
    start = prose
    deck = False
    while start > 0 and prose - start < HEAD_BLOCKS:
        block = blocks[start - 1]
        line = _one_line(block)
        if line is None:
            break
        if _byline(line) or _title_like(block) or _date_line(line):
            start -= 1
        elif not deck and 8 <= words(line) <= 60:
            deck = True
            start -= 1
        else:
            break
    return start


def _head(blocks: list[list[str]], known: set[str], fields: dict[str, Found]) -> tuple[set[int], int]:
    """Reads the masthead, headline, standfirst and byline into `fields`; returns the indexes of
    the head's blocks that are not body text, and where the body starts."""
    consumed: set[int] = set()
    limit = min(len(blocks), HEAD_BLOCKS)
    # bylines and datelines anywhere in the head
    for i in range(limit):
        line = _one_line(blocks[i])
        if line and _date_line(line):
            consumed.add(i)
            continue
        found = _byline(line) if line else None
        if found and "author" not in fields:
            author, outlet = found
            fields["author"] = Found(author, "byline")
            if outlet:
                fields["outlet"] = Found(outlet, "byline")
            consumed.add(i)
    # the run of title-like lines at the top: the headline is its last (above it: a masthead,
    # a section name, what is left of the page's navigation); a registered outlet's name is a
    # masthead wherever it is in the run
    run = []
    for i in range(limit):
        if i in consumed:
            continue
        if not _title_like(blocks[i]):
            break  # prose, or a standfirst: the head is over
        run.append(i)
    consumed.update(run)
    registered = [i for i in run if (_one_line(blocks[i]) or "").casefold() in known]
    candidates = [i for i in run if i not in registered]
    if not candidates:
        if registered:
            name = _one_line(blocks[registered[0]]) or ""
            fields["masthead"] = Found(name, "a registered outlet's name above the text")
        first = min((i for i in range(len(blocks)) if i not in consumed), default=len(blocks))
        return consumed, first
    title_at = candidates[-1]
    above = registered or [i for i in candidates[:-1] if words(_one_line(blocks[i]) or "") <= MASTHEAD_WORDS]
    if above:
        fields["masthead"] = Found(_one_line(blocks[above[-1]]) or "", "the line above the headline")
    title = _one_line(blocks[title_at]) or ""
    fields["title"] = Found(title, "headline (the last title-like line above the text)")
    # the page may repeat its headline (a teaser, a share box): not body text
    consumed.update(j for j in range(title_at + 1, len(blocks)) if _one_line(blocks[j]) == title)
    # a standfirst: the block under the headline when a byline follows it, or when it is a
    # sentence without a full stop (a deck); it stays in the body as its first paragraph
    after = [j for j in range(title_at + 1, len(blocks)) if j not in consumed]
    if after:
        deck = blocks[after[0]]
        line = _one_line(deck)
        byline_next = "author" in fields and any(j in consumed and j > after[0] for j in range(limit))
        long_deck = words(line or "") > TITLE_WORDS and not (line or "").endswith((".", "!", "?", "”", '"'))
        if line and (byline_next or long_deck):
            fields["standfirst"] = Found(line, "the paragraph under the headline")
    return consumed, title_at + 1
