"""Layout tables: a page laid out with a `<table>` whose cell holds the article.

Older news pages (and some still served) put the whole page in a table: the masthead, the
section links, the article, the "related articles" and the footer are cells of one grid.
trafilatura then returns that grid as Markdown table rows, the article as one long cell of a
row and the navigation around it as other cells and rows, and digest's line rules cannot see
them (each row is one line to them, and the row that holds the article is never dropped).

A data table never has a cell of eighty words (`LAYOUT_CELL`): when a row has such a cell, the
table rows are the page's layout. Of a layout table, only the cells of a long paragraph's
length (`SHORT_CELL` words) are kept, each as a paragraph of its own: a navigation bar, a date
line, a list of headlines, a side column of links, a footer are shorter. The line rules after
this one then judge the article's lines rather than one row.

The thresholds were chosen on the development sets of bench/results-import.md (L3S-GN1's news
pages of 2008, where most of the leaked text was such rows).
"""

from __future__ import annotations

import re

from .clutter import words

# a cell of this many words is an article's text: no data table has one
LAYOUT_CELL = 80
# a layout table's cell shorter than this holds no article text (a short paragraph of the
# article in a cell of its own goes with them: rare on the development sets, measured)
SHORT_CELL = 40

# where a paragraph or a line of the page ended, inside a table cell (ingest/html.py main_text):
# two reversed pilcrows, which no page writes (trafilatura keeps printable characters only)
CELL_BREAK = "\u204b\u204b"
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _cells(row: str) -> list[str]:
    """A Markdown table row's cells (an escaped `\\|` stays inside its cell)."""
    return [cell.strip() for cell in _CELL_SPLIT.split(row.strip().strip("|"))]


def _words(text: str) -> int:
    return words(_LINK_TARGET.sub("]", text))


def is_layout(lines: list[str]) -> bool:
    """Whether the lines' table rows are a page's layout: a cell of LAYOUT_CELL words."""
    return any(_words(cell) >= LAYOUT_CELL for line in lines if line.startswith("|") for cell in _cells(line))


def unfold_layout_tables(lines: list[str]) -> list[str]:
    """The lines with a layout table's rows replaced by their long cells, each paragraph of
    the page in them a paragraph (CELL_BREAK); the lines as they are when no table row has a
    cell of LAYOUT_CELL words."""
    if not is_layout(lines):
        return [line.replace(CELL_BREAK, " ") for line in lines]  # a data table's cell: one line
    rows = {i: _cells(line) for i, line in enumerate(lines) if line.startswith("|")}
    kept: list[str] = []
    for i, line in enumerate(lines):
        if i not in rows:
            kept.append(line)
            continue
        for cell in rows[i]:
            if _words(cell) >= SHORT_CELL:  # its paragraphs, as the page had them
                for part in cell.replace("\\|", "|").split(CELL_BREAK):
                    if part.strip():
                        kept.extend([" ".join(part.split()), ""])
    return kept
