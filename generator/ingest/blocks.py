"""What trafilatura keeps of a page's links to other stories, found by shape and dropped.

The rules, each chosen on the development sets of bench/results-import.md:

- teaser blocks, found in the page's tree (`teaser_text`), their lines dropped (`drop_teasers`);
- a trailing section of headline links under a short label (`drop_link_sections`), and such
  a label with its links anywhere after the article's first paragraph (`drop_link_lists`);
- a heading or label left last with nothing under it, and a line that is a short label and
  one headline link, "Lesen Sie auch: [headline](url)" (`drop_dangling`);
- an embedded slide show's numbered captions, "17/50 …" (`drop_slides`);
- links and labels after the article's last paragraph, with no prose among them
  (`drop_link_tail`, run on the cleaned body).

A related-stories list, a deals list, a blog's other posts: trafilatura drops the ones whose
class names say so ("related", "more-stories") and keeps the others, and once they are text
they are ordinary sentences the line filter cannot tell from the article's. In the tree they
have a shape an article does not: a run of three or more sibling "cards" of one kind (same tag,
same class), each a short block led by a link to another page: a headline. An article's
paragraphs are <p> with prose around their links; a card is a <li>, <div>, <article>… whose
text is mostly its link, or whose link is its heading.

The blocks are not removed from the tree before trafilatura reads it: that changes which
container trafilatura picks as the article, and on the development sets it then lost article
text on some pages. Their lines are dropped from trafilatura's output instead.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..core.readingtime import measure
from .clutter import words  # a Chinese or Japanese character counts as the words it takes to read

# a card's whole text, in characters: a headline with a line or two of teaser
CARD_TEXT = 400
# how many sibling cards make a teaser block (two are often a "previous / next post" pair)
MIN_CARDS = 3
# the share of the container's children (and of its text) the cards must be
SHARE = 0.7
# a line shorter than this (in words) is not matched: "Photo", "Read more" are everywhere
MIN_WORDS = 3
# the lines above the article's first paragraph of this many words that is not a teaser stay,
# at most LEAD_LINES of them: a page's "latest stories" often lists the article itself, with
# its headline and standfirst
LEAD_WORDS = 12
LEAD_LINES = 2
# when the teaser lines are more than this share of the text, the page is a list of links (a
# link roll, an index) and they are its content: nothing is dropped
MAX_SHARE = 0.5
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CONTAINERS = ("div", "section", "aside", "ul", "ol", "nav", "footer")
# a word, and a Markdown link or image (its text the first group): the ingest modules' own
WORD = re.compile(r"\w+")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s")


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _tokens(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def _is_card(element: Any) -> bool:
    """A short block whose text is mostly links to another page, or whose heading is a link."""
    if element.tag == "p" or element.tag in _HEADINGS:
        return False
    text = _text(element)
    if not text or len(text) > CARD_TEXT:
        return False
    # a link to a place in a page ("#section-2", "/this-story#section-2") is a table of
    # contents: its entries are the article's own headings
    links = [a for a in element.iter("a") if "#" not in (a.get("href") or "#")]
    link_text = " ".join(_text(a) for a in links)
    # no link, or "More", "更多", an icon: a widget, not a headline
    if measure(link_text).word_equivalent < 2:
        return False
    headed = any(ancestor.tag in _HEADINGS for a in links for ancestor in a.iterancestors()
                 if ancestor is not element)
    return headed or len(link_text) >= 0.5 * len(text)


def _signature(element: Any) -> tuple[str, str]:
    """The kind of a card: its tag and its class names but those with a digit, which number the
    cards ("sbpos-1 id1227272078989")."""
    names = (name for name in (element.get("class") or "").split() if not any(c.isdigit() for c in name))
    return element.tag, " ".join(sorted(names))


def teaser_blocks(tree: Any) -> list[Any]:
    """The containers in the tree that are a run of teaser cards, none inside another."""
    found: list[Any] = []
    for container in tree.iter(*_CONTAINERS):
        if found and any(ancestor in found for ancestor in container.iterancestors()):
            continue
        children = [c for c in container if isinstance(c.tag, str) and c.tag not in ("script", "style")]
        if len(children) < MIN_CARDS:
            continue
        kind, count = Counter(_signature(c) for c in children).most_common(1)[0]
        if count < MIN_CARDS or count < SHARE * len(children):
            continue
        cards = [c for c in children if _signature(c) == kind and _is_card(c)]
        if len(cards) < MIN_CARDS or len(cards) < SHARE * count:
            continue
        total = len(_text(container))
        if total and sum(len(_text(c)) for c in cards) >= SHARE * total:
            found.append(container)
    return found


def teaser_text(tree: Any) -> str:
    """The words of the page's teaser blocks, one block a line, for `drop_teasers`."""
    if tree is None:
        return ""
    # the pieces of text joined with a space: in minified HTML a headline's last word and the
    # next element's first word touch ("…StarbeamJOE HILDEBRAND")
    return "\n".join(f" {_tokens(' '.join(block.itertext()))} " for block in teaser_blocks(tree))


def _words(line: str) -> str:
    return " " + _tokens(LINK.sub(r"\1", line)) + " "


def drop_teasers(lines: list[str], teasers: str) -> list[str]:
    """The lines without those whose words are all in one teaser block, and without a heading
    whose section that leaves empty ("Other Opinion Columns"). Nothing is dropped when the
    teaser lines would be most of the text."""
    if not teasers:
        return lines
    counts = [words(line) for line in lines]
    drop = [n >= MIN_WORDS and _words(line) in teasers for n, line in zip(counts, lines, strict=True)]
    # a short line of a teaser block (a kicker, an author's name) goes with the teaser lines
    # beside it; alone it could be any line
    filled = [i for i, line in enumerate(lines) if line.strip()]
    changed = True
    while changed:
        changed = False
        for k, i in enumerate(filled):
            if drop[i] or counts[i] >= MIN_WORDS or _words(lines[i]) not in teasers:
                continue
            if (k and drop[filled[k - 1]]) or (k + 1 < len(filled) and drop[filled[k + 1]]):
                drop[i] = changed = True
    lead = next((i for i, n in enumerate(counts) if n >= LEAD_WORDS and not drop[i]), len(lines))
    for i in [i for i in range(lead) if lines[i].strip()][:LEAD_LINES]:
        drop[i] = False
    dropped = sum(n for n, d in zip(counts, drop, strict=True) if d)
    if not dropped or dropped > MAX_SHARE * sum(counts):
        return lines
    # a heading goes too when teaser lines follow it and nothing but another heading or the end
    for i, line in enumerate(lines):
        if drop[i] or not _HEADING_LINE.match(line):
            continue
        after = [j for j in range(i + 1, len(lines)) if lines[j].strip()]
        rest = [j for j in after if not drop[j]]
        if after and drop[after[0]] and (not rest or _HEADING_LINE.match(lines[rest[0]])):
            drop[i] = True
    kept = [line for line, d in zip(lines, drop, strict=True) if not d]
    return [line for i, line in enumerate(kept) if line.strip() or (i and kept[i - 1].strip())]


# a line that is one link (a list item, emphasis around it)
_LINK_ONLY = re.compile(r"^\s{0,3}(?:[-*+]\s+|\d{1,9}[.)]\s+)?(?:\*\*|\*|_)?"
                        r"\[([^\]]+)\]\([^)]*\)(?:\*\*|\*|_)?\s*$")
# a heading, or a line all bold: a section's label
_LABEL = re.compile(r"^\s{0,3}(?:#{1,6}\s+.*|\*\*[^*]+\*\*\s*[:?]?)$")
LABEL_WORDS = 6


def _headline_link(line: str) -> bool:
    """A line that is one link whose text is a headline (three words or more)."""
    match = _LINK_ONLY.match(line)
    return match is not None and words(match.group(1)) >= MIN_WORDS


def drop_link_sections(lines: list[str]) -> list[str]:
    """The lines without a trailing section that is a short label ("Related", "Schon gelesen?")
    and nothing under it but lines that are each one link with a headline."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    end = len(filled)
    while end and _headline_link(lines[filled[end - 1]]):
        end -= 1
    if end == len(filled) or not end:
        return lines
    label = lines[filled[end - 1]]
    if not _LABEL.match(label) or words(label) > LABEL_WORDS:
        return lines
    return lines[: filled[end - 1]]


# "**Mehr Themen:**", "Lesen Sie auch:": a label that announces what follows
_COLON_LABEL = re.compile(r"^[\s*_#>]*[^\s*_#>][^:]{0,60}:[\s*_]*$")
# "Lesen Sie auch: [headline](url)", "Le puede interesar: [headline](url)": one link under a label
# (a label with a digit is a date or a number: "6 décembre 2019 : [press article](url)" is a list
# of sources, the article's own)
_LABELLED_LINK = re.compile(r"^[\s*_>]*(?:[^\s\[\]*_:\d][^\[\]:\d]{0,40}):"
                            r"[\s*_]*\[([^\]]+)\]\([^)]*\)[\s*_.]*$")


def drop_dangling(lines: list[str]) -> list[str]:
    """The lines without the headings and labels left at the end with nothing under them (what
    they announced was not article text and is gone), and without a line that is a short label
    and one headline link ("Lesen Sie auch: [headline](url)")."""
    kept = []
    for line in lines:
        match = _LABELLED_LINK.match(line)
        if not (match and words(match.group(1)) >= MIN_WORDS
                and words(line[: match.start(1)]) <= LABEL_WORDS):
            kept.append(line)
    # a heading or label of a few words: a pull quote set as a heading is a sentence
    while kept and (not kept[-1].strip() or (words(kept[-1]) <= LABEL_WORDS and (
            _HEADING_LINE.match(kept[-1]) or _COLON_LABEL.match(kept[-1])))):
        kept.pop()
    return kept


# "17/50 Argentina hit by strikes …", "3 of 12": a slide show's caption, numbered
_SLIDE = re.compile(r"^[\s*_#>\-+]*(\d{1,3})\s*(?:/|of)\s*(\d{1,3})\b")


def drop_slides(lines: list[str]) -> list[str]:
    """The lines without a slide show's numbered captions: three or more lines that start with
    "k/N" for one N (another gallery's pictures, embedded in the page, not the article)."""
    totals = Counter(m.group(2) for m in map(_SLIDE.match, lines)
                     if m and 0 < int(m.group(1)) <= int(m.group(2)))
    shows = {total for total, count in totals.items() if count >= MIN_CARDS}
    if not shows:
        return lines
    return [line for line in lines if not ((m := _SLIDE.match(line)) and m.group(2) in shows)]


# the article's last paragraph: this many words or more, links under a third of them, ending as
# a sentence ends
PARAGRAPH_WORDS = 20
_ENDS_SENTENCE = re.compile(r"[.!?…\"”»)][*_]*$")
# what follows it may be dropped only when it is less than this share of the text, has a link,
# and holds no prose: no line of PROSE_WORDS words with links under half of them, no sentence of
# SENTENCE_WORDS words or more with links under half of them, no table and no code
TAIL_SHARE = 0.3
PROSE_WORDS = 12
SENTENCE_WORDS = 4


def link_words(line: str) -> int:
    """The words of the line's link texts."""
    return sum(words(m.group(1)) for m in LINK.finditer(line))


def line_words(line: str) -> int:
    """The line's words, link texts counted, link targets not."""
    return words(LINK.sub(r"\1", line))


def drop_link_tail(body: str) -> str:
    """The body without what follows the article's last paragraph when that is links and
    labels, not prose: "Continue reading the main story", "**Mehr Themen:**" and a list of
    headline links, "Tags: [Uncategorized](…)", a subscription offer's link. A closing sentence
    that has a link in it ("This article originally appeared on [The Atlantic](…).") stays, and
    with it everything after the last paragraph."""
    lines = body.split("\n")
    counts = [line_words(line) for line in lines]
    last = max((i for i, line in enumerate(lines) if counts[i] >= PARAGRAPH_WORDS
                and link_words(line) < counts[i] / 3 and _ENDS_SENTENCE.search(line.strip())), default=None)
    if last is None:
        return body
    tail = [i for i in range(last + 1, len(lines)) if lines[i].strip()]
    if not tail or sum(counts[i] for i in tail) > TAIL_SHARE * sum(counts):
        return body
    for i in tail:
        line, links = lines[i].strip(), link_words(lines[i])
        if line.startswith(("|", "```")) or (counts[i] >= PROSE_WORDS and links < 0.5 * counts[i]) or (
                counts[i] >= SENTENCE_WORDS and links < 0.5 * counts[i] and _ENDS_SENTENCE.search(line)):
            return body
    if not any(link_words(lines[i]) for i in tail):
        return body
    return "\n".join(lines[: last + 1])


def _is_label(line: str) -> bool:
    """A section's label: a heading or a bold line of LABEL_WORDS words or fewer, or a short
    line ending in ":" ("*Diese Artikel könnten dich ebenfalls interessieren:*")."""
    if _COLON_LABEL.match(line):
        return True
    return _LABEL.match(line) is not None and words(line) <= LABEL_WORDS


def drop_link_lists(lines: list[str]) -> list[str]:
    """The lines without a short label and the lines under it that are each one headline link
    ("## NOTAS RELACIONADAS", "**Weitere Informationen:**" and a list of links), wherever it
    stands after the article's first paragraph (`drop_link_sections` takes one at the end
    only): a label announcing links only announces other pages. Above the first paragraph
    such a list stays: a post's "Highlights" opening with links to its own subjects."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    first = next((k for k, i in enumerate(filled) if line_words(lines[i]) >= LEAD_WORDS
                  and link_words(lines[i]) < line_words(lines[i]) / 3), len(filled))
    drop: set[int] = set()
    k = first + 2  # the label is the line after the first paragraph at the earliest
    while k < len(filled):
        end = k
        while end < len(filled) and _headline_link(lines[filled[end]]):
            end += 1
        if end > k and _is_label(lines[filled[k - 1]]):
            drop.update(filled[k - 1:end])
        k = end + 1
    return [line for i, line in enumerate(lines) if i not in drop] if drop else lines
