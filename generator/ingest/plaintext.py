"""Text copied from a news page (no HTML structure, and no library reads it): the clutter
filter, then the page's head read line by line: the masthead, the headline, the standfirst and
a `By NAME | OUTLET |` byline. What is left is the body, one paragraph per block.

The head is what comes before the first paragraph of prose. A masthead is a short line above
the headline: one matching a registered outlet's name or alias, or the first of two title-like
lines. Dates are never taken from this text (a plea's "Since July 1, 2024" is not a date)."""

from __future__ import annotations

import re
from collections.abc import Sequence

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


def _title_like(block: list[str]) -> bool:
    line = _one_line(block)
    if line is None or _byline(line) is not None:
        return False
    count = words(line)
    return (2 <= count <= TITLE_WORDS and not line.endswith((".", ":", ";", ","))) or (
        1 <= count <= TITLE_WORDS and line.endswith(("?", "!", "?”", "!”")))


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
    known = {n.casefold() for n in outlet_names}
    head, start = _head(blocks, known, fields)
    body_blocks = [b for i, b in enumerate(blocks) if i >= start and i not in head]
    body = "\n\n".join("\n".join(b) for b in body_blocks)
    return Extracted(body=body, fields=fields)


def _head(blocks: list[list[str]], known: set[str], fields: dict[str, Found]) -> tuple[set[int], int]:
    """Reads the masthead, headline, standfirst and byline into `fields`; returns the indexes of
    the head's blocks that are not body text, and where the body starts."""
    consumed: set[int] = set()
    limit = min(len(blocks), HEAD_BLOCKS)
    # bylines anywhere in the head
    for i in range(limit):
        line = _one_line(blocks[i])
        found = _byline(line) if line else None
        if found and "author" not in fields:
            author, outlet = found
            fields["author"] = Found(author, "byline")
            if outlet:
                fields["outlet"] = Found(outlet, "byline")
            consumed.add(i)
    title_at = None
    for i in range(limit):
        if i in consumed:
            continue
        line = _one_line(blocks[i])
        if line is None or not _title_like(blocks[i]):
            break  # prose: the body has started, and there was no headline above it
        nxt = next((j for j in range(i + 1, limit) if j not in consumed), None)
        registered = line.casefold() in known
        short = words(line) <= MASTHEAD_WORDS
        above_title = short and nxt is not None and _title_like(blocks[nxt])
        if registered or (above_title and "masthead" not in fields):
            fields["masthead"] = Found(line, "the line above the headline")
            consumed.add(i)
            continue
        title_at = i
        break
    if title_at is None:
        first = min((i for i in range(len(blocks)) if i not in consumed), default=len(blocks))
        return consumed, first
    fields["title"] = Found(_one_line(blocks[title_at]) or "", "headline (the first title-like line)")
    consumed.add(title_at)
    # a standfirst: the block under the headline when a byline follows it, or when it is a
    # sentence without a full stop (a deck); it stays in the body as its first paragraph
    after = [j for j in range(title_at + 1, len(blocks)) if j not in consumed]
    if after:
        deck = blocks[after[0]]
        line = _one_line(deck)
        byline_next = "author" in fields and any(j in consumed and j > after[0] for j in range(limit))
        if line and (byline_next or (words(line) >= 8 and not line.endswith((".", "!", "?", "”", '"')))):
            fields["standfirst"] = Found(line, "the paragraph under the headline")
    return consumed, title_at + 1
