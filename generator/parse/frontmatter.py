"""Split a Markdown file into YAML front matter and body, and write one back.

Kept apart from validation so that importing raw articles can reuse both directions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

_FENCE = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(---|\.\.\.)[ \t]*")


@dataclass(frozen=True)
class Split:
    """An article file split into its YAML and its body."""

    yaml_text: str
    yaml_line: int  # line number of the first YAML line in the file
    body: str
    body_line: int


class SplitProblem(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def normalize_text(text: str) -> str:
    """Drop a BOM and turn CRLF/CR into LF: files from any editor read the same."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split(text: str) -> Split:
    text = normalize_text(text)
    if not text.strip():
        raise SplitProblem(1, "empty file: an article needs front matter (---, title, date, ---)")
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if not _FENCE.fullmatch(first):
        raise SplitProblem(1, "no front matter: the file must start with a '---' line, then YAML, then '---'")
    pos = first_end + 1 if first_end >= 0 else len(text)
    line_no = 2
    while pos < len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if _CLOSE.fullmatch(line):
            body_start = len(text) if end < 0 else end + 1
            return Split(text[first_end + 1 : pos], 2, text[body_start:], line_no + 1)
        pos = len(text) if end < 0 else end + 1
        line_no += 1
    raise SplitProblem(1, "front matter is not closed: add a '---' line after the YAML")


def yaml_value(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def write(
    fields: dict[str, Any],
    body: str,
    comments: dict[str, str] | None = None,
    keep_empty: tuple[str, ...] = (),
) -> str:
    """An article file: fields in the given order, each value quoted where YAML would misread it.

    A field whose value is None, "" or [] is left out, unless it is in `keep_empty` (an empty
    string is then written `""`, so that `summary: ""` waits for the curator). `comments` puts a
    `# key: text` line where that key is (after its value, or in its place when it has none):
    YAML ignores it, the curator reads it."""
    lines = ["---"]
    notes = comments or {}
    for key, value in fields.items():
        empty = value is None or value == "" or value == []
        if not empty:
            lines.append(f"{key}: {yaml_value(value)}")
        elif key in keep_empty:
            lines.append(f'{key}: ""' if value in (None, "") else f"{key}: []")
        if key in notes:
            lines.append(f"# {key}: {' '.join(notes[key].split())}")
    lines.append("---")
    text = "\n".join(lines) + "\n"
    if body:
        text += body if body.endswith("\n") else body + "\n"
    return text
