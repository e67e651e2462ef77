"""What an extractor hands to the import command: the cleaned body and the fields it found,
each with where it came from, so the curator sees on standard error why a value was chosen.

Shared by the plain-text path (ingest/plaintext.py) and the HTML path (ingest/html.py); the
command (ingest/command.py) decides the outlet, the date and the draft from these alone."""

from __future__ import annotations

from dataclasses import dataclass, field

# The keys an extractor may set in Extracted.fields, in the order the command shows them.
# "date" is an ISO 8601 date or a datetime with its offset, and only from a reliable place
# (JSON-LD, a meta tag, <time>, the URL path), never from body text; "url" is the canonical
# URL with tracking parameters removed; "page_url" is where the page was found; "site_name"
# is the page's own site (og:site_name, the JSON-LD publisher); "outlet" is the outlet that
# wrote the story when the page says so ("By X | Mirror |", a JSON-LD isBasedOn or author
# organisation, "This article originally appeared in …"); "masthead" is the site-name line
# above the headline in pasted text.
FIELD_KEYS = ("title", "standfirst", "author", "date", "url", "page_url", "site_name", "outlet",
              "masthead", "lang")


@dataclass(frozen=True)
class Found:
    value: str
    origin: str  # shown on stderr as "title: JSON-LD headline", "date: URL path", "author: byline"


@dataclass
class Extracted:
    body: str  # Markdown: paragraphs, headings, lists, quotes, links
    fields: dict[str, Found] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class ImportProblem(Exception):
    """A one-line error for the user, naming the source; the command prints it and exits 1.
    Nothing is written for that source."""


class MissingExtra(ImportProblem):
    """An optional dependency the source needs is not installed (trafilatura for HTML); exit 2
    with the install command in the message."""
