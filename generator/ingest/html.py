"""An HTML page → the article's text as Markdown and its metadata (ingest/meta.py).

The main text is found by trafilatura (the optional `import` extra, imported here only, so
start-up and the other commands never load it), asked for Markdown with links, headings, lists
and quotes. Digest's own clutter filter (ingest/clutter.py) then runs on its output line by
line: trafilatura keeps short widget lines that sit inside the article's container on real
pages ("SEE MORE", "DON'T MISS", "Most read in world news", a newsletter sign-up, "Read more: …").
trafilatura reads the page twice, with digest's settings and with `favor_recall`, and
ingest/choice.py says which reading is the article, whether it missed the article that the
page's own JSON-LD `articleBody` holds, and which trailing lines that articleBody does not claim.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .blocks import (
    drop_dangling,
    drop_link_lists,
    drop_link_sections,
    drop_link_tail,
    drop_slides,
    drop_teasers,
    teaser_text,
)
from .choice import article_body, drop_unclaimed_tail, is_html, paragraphs, prefer_second, short_of_body
from .clutter import Vocabulary, filter_lines, normalise
from .meta import page_metadata, parse_document
from .model import Extracted, MissingExtra
from .streams import drop_comments, drop_story_streams
from .tables import CELL_BREAK, is_layout, unfold_layout_tables

INSTALL = "pip install 'digest-ssg[import]'"
# The settings digest asks trafilatura for (bench/import_quality.py measures them against
# trafilatura's defaults): Markdown with links, no comments, no images (a draft quotes text).
SETTINGS: dict[str, Any] = {
    "output_format": "markdown",
    "include_links": True,
    "include_formatting": True,
    "include_comments": False,
    "include_images": False,
    "include_tables": True,
    "deduplicate": False,
    "favor_precision": False,
    "favor_recall": False,
}
_BLANK_RUNS = re.compile(r"\n{3,}")
# a line that starts a Markdown block of its own: heading, list item, quote, table row, rule
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|\||```|---|\*\*\*)")
# a line after which the next one starts anew: a heading, a table row, a code fence
_BLOCK_END = re.compile(r"^\s{0,3}(?:#{1,6}\s|\||```)")
# no letter at all: a timestamp ("08.04.2015 12:46"), a counter, a stray symbol
_NO_LETTERS = re.compile(r"^[\W\d_]*$")
_CODE = "digestcodeblock"
# where a paragraph or a line of the page starts or ends (`<p>` often goes unclosed on old
# pages, and `<br>` parts paragraphs on many): marked before trafilatura reads it, see main_text
_PARAGRAPH_END = re.compile(r"(?=</?(?:p|div|h[1-6]|li|blockquote)\b|<br\b)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _trafilatura() -> Any:
    try:
        import trafilatura
        from trafilatura.settings import use_config
    except ImportError:
        raise MissingExtra(f"reading an HTML page needs the import extra: {INSTALL}") from None
    config = use_config()
    # trafilatura's time limit works through SIGALRM, which only the main thread may set; the
    # command's own size limit already bounds the work
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return trafilatura, config


def main_text(html: str, page_url: str | None, **settings: Any) -> str:
    """trafilatura's main text of the page as Markdown ("" when it finds none), with the
    settings given (digest's by default). A table cell's paragraphs and line breaks are marked
    with CELL_BREAK in its row (trafilatura runs them together: a page laid out in a table
    would become one paragraph; ingest/tables.py parts them again); other lines hold none."""
    trafilatura, config = _trafilatura()
    options = {**SETTINGS, **settings}
    try:
        text: str = trafilatura.extract(html, url=page_url, config=config, **options) or ""
        if not is_layout(text.split("\n")):
            return text
        # a page laid out in a table: read again, its paragraph ends marked (only such a page:
        # the marks would change what trafilatura makes of others)
        again = _PARAGRAPH_END.sub(CELL_BREAK, html)
        marked: str = trafilatura.extract(again, url=page_url, config=config, **options) or ""
    except (ValueError, TypeError, RecursionError):  # a page lxml cannot make a tree of
        return ""
    if not marked:
        return text
    lines = marked.split("\n")
    return "\n".join(line if line.startswith("|") else line.replace(CELL_BREAK, "") for line in lines)


def _logical_lines(markdown: str) -> list[str]:
    """One line per paragraph: trafilatura keeps a page's hard-wrapped source lines inside a
    paragraph, and the clutter filter judges whole lines, so a wrapped paragraph's last words
    must not be judged alone. List items, headings, quotes and table rows stay lines of their
    own; a code block stays as it is."""
    lines: list[str] = []
    fenced = False
    for raw in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("```"):
            fenced = not fenced
            lines.append(line)
        elif fenced or line.startswith("|"):
            lines.append(raw.rstrip() if fenced else line)
        elif line and lines and lines[-1] and not _BLOCK_START.match(raw) and not _BLOCK_END.match(lines[-1]):
            lines[-1] = f"{lines[-1]} {' '.join(line.split())}"
        else:
            lines.append(" ".join(line.split()))
    return lines


_TITLE_WORD = re.compile(r"\w+")


def _without_title(line: str, title: str) -> str:
    """The line without the headline at its start: a layout table's cell, or a paragraph that
    the page's markup ran together with the headline ("Council delays the harbour vote The city
    council put off…"), when what follows is a sentence of its own."""
    wanted = _TITLE_WORD.findall(normalise(title))
    if len(wanted) < 3:
        return line
    found = list(_TITLE_WORD.finditer(line))
    if len(found) <= len(wanted) + 5 or [m.group().lower() for m in found[: len(wanted)]] != wanted:
        return line
    # a sentence that merely opens with the headline's words goes on in lower case; a headline
    # that is a link's text is cut nowhere (the link would be broken)
    cut = found[len(wanted)]
    opens = cut.group()[0].isupper() or cut.group()[0].isdigit()
    if not opens or any(c in line[: cut.start()] for c in "[]()"):
        return line
    return line[cut.start():]


def clean(markdown: str, vocab: Vocabulary, title: str = "", teasers: str = "") -> str:
    """The Markdown with digest's clutter filter applied, without lines that have no letter
    (a timestamp), without the lines of the page's teaser blocks (`teasers`, from
    ingest/blocks.py) and the other block rules there, and without a first line that repeats
    the headline (the draft's title), or the headline at the start of the first line.
    A standfirst stays: the draft has no place for it but the body."""
    lines = [line for line in unfold_layout_tables(_logical_lines(markdown))
             if not line or line.startswith(("|", "```")) or not _NO_LETTERS.match(line)]
    # a code block goes past the filters whole: it stands in as one placeholder line
    blocks: list[str] = []
    folded: list[str] = []
    for line in lines:
        if blocks and blocks[-1].endswith("\n") and not line.startswith("```"):
            blocks[-1] += line + "\n"
        elif line.startswith("```") and blocks and blocks[-1].endswith("\n"):
            blocks[-1] += line
        elif line.startswith("```"):
            blocks.append(line + "\n")
            folded.append(f"{_CODE}{len(blocks) - 1}")
        else:
            folded.append(line)
    folded = drop_dangling(drop_link_lists(drop_link_sections(drop_slides(drop_teasers(folded, teasers)))))
    folded = drop_comments(drop_story_streams(folded))
    while folded and (not folded[0].strip() or (title and normalise(folded[0]) == normalise(title))):
        folded.pop(0)
    if title and folded:
        folded[0] = _without_title(folded[0], title)
    kept = [blocks[int(line[len(_CODE):])].rstrip("\n") if line.startswith(_CODE) else line
            for line in filter_lines(folded, vocab)]
    return drop_link_tail(_BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip())


def extract_html(html: str, page_url: str | None, vocab: Vocabulary) -> Extracted:
    """The page's cleaned article text as Markdown and the fields its markup gives, each with
    where it came from. An empty body means no article text was found; the command says so."""
    first, second = main_text(html, page_url), main_text(html, page_url, favor_recall=True)
    chosen = second if prefer_second(_logical_lines(first), _logical_lines(second)) else first
    document = parse_document(html)
    body = article_body(document)
    if short_of_body(chosen, body):
        wrapped = f"<html><body><article>{body}</article></body></html>"
        chosen = (main_text(wrapped, None) or chosen) if is_html(body) else paragraphs(body)
    lines = _logical_lines(chosen)
    kept = drop_unclaimed_tail(lines, body)
    text = chosen if kept == lines else "\n".join(kept)
    fields = page_metadata(document, page_url)
    title = fields["title"].value if "title" in fields else ""
    return Extracted(body=clean(text, vocab, title, teaser_text(document)), fields=fields)
