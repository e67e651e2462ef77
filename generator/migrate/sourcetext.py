"""Reading another generator's files as text, for the Zola, Eleventy and Docusaurus readers:
front matter (TOML `+++` or YAML `---`), the dates people write, dates in file names, and the
few literal values of a JavaScript config that matter (read as text, never executed)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import convert
from .model import Note

# `2024-01-02-slug.md`, `2024-01-02_slug.md` (Zola accepts both separators)
FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[-_](.*))?$")
_US_DATE = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$")  # MM-DD-YYYY, MM/DD/YYYY


class SourceError(Exception):
    """A file that cannot be read as a post: a located error (Skipped with error=True)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def read_text(path: Path) -> str:
    """The text, through the checks every reader shares (size, binary, UTF-8, line ends)."""
    try:
        return convert.read_text(path.parent, Path(path.name))
    except convert.Unreadable as e:
        raise SourceError(e.message, e.line) from None


def split_front_matter(text: str) -> tuple[str, str, str, int]:
    """(kind, front matter, body, line the body starts on); kind is "toml", "yaml" or "" (none)."""
    text = text.replace("\r\n", "\n")
    for fence, kind in (("+++", "toml"), ("---", "yaml")):
        if text.startswith(fence + "\n") or text.rstrip("\n") == fence:
            lines = text.split("\n")
            for i in range(1, len(lines)):
                if lines[i].rstrip() == fence:
                    body = "\n".join(lines[i + 1 :])
                    return kind, "\n".join(lines[1:i]), body, i + 2
            raise SourceError(f"front matter opened with {fence} on line 1 is never closed")
    return "", "", text, 1


def parse_front_matter(kind: str, raw: str) -> dict[str, Any]:
    """The front matter of a file whose fence is line 1, through the checks convert.py makes for
    every reader: YAML aliases refused (a few lines expand to gigabytes), deep nesting an error."""
    if not kind or not raw.strip():
        return {}
    try:
        if kind == "toml":
            return convert.load_toml(raw, 2, "TOML front matter does not parse")
        return convert.load_yaml(raw, 2, loader=convert.TextDates)
    except convert.Unreadable as e:
        raise SourceError(e.message, e.line) from None




def to_date(value: Any) -> dt.datetime | dt.date | None:
    """A date as generators write them: TOML/YAML dates and datetimes, ISO 8601 text with or
    without offset (`Z` too), `YYYY-MM-DD HH:MM`, `MM-DD-YYYY`. None when it is not a date."""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, dt.time) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    if m := _US_DATE.match(text):
        try:
            return dt.date(int(m[3]), int(m[1]), int(m[2]))
        except ValueError:
            return None
    text = re.sub(r"\s*([+-]\d{2}):?(\d{2})$", r"+\1\2", text) if " " in text else text
    for candidate in (text, text.replace(" ", "T", 1)):
        try:
            if len(candidate) == 10:
                return dt.date.fromisoformat(candidate)
            return dt.datetime.fromisoformat(candidate.replace("+-", "-"))
        except ValueError:
            continue
    return None


def file_date(stem: str) -> tuple[dt.date | None, str]:
    """The date at the start of a file or folder name, and the rest (the slug)."""
    m = FILE_DATE.match(stem)
    if not m:
        return None, stem
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])), m[4] or ""
    except ValueError:
        return None, stem


def str_list(value: Any) -> list[str]:
    """A key that is a list or a single value, as a list of non-empty strings."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


def text_or_none(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


def plain(value: Any) -> Any:
    """A front matter value as plain data for `extra` (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """(index, line) of the body's lines outside fenced code blocks: syntax of another generator
    is only looked for there (a code block that shows a shortcode is an example, not a call)."""
    fence = ""
    for i, line in enumerate(body.split("\n")):
        m = _FENCE.match(line)
        if fence:
            if m and m[1][0] == fence[0] and len(m[1]) >= len(fence) and not line.strip(fence[0]).strip():
                fence = ""
            continue
        if m:
            fence = m[1]
            continue
        yield i, line


def map_prose(body: str, convert: Any) -> str:
    """The body with `convert(index, line) -> line` applied to lines outside code fences."""
    lines = body.split("\n")
    for i, line in prose_lines(body):
        lines[i] = convert(i, line)
    return "\n".join(lines)


def js_config_value(source: str, key: str) -> str | None:
    """The first `key: "literal"` (quoted or not, `'`, `"` or backtick) in a JS/TS config read as
    text: enough for `dir: {input: "src"}`, `path: 'blog'`, `routeBasePath: '/'`."""
    pattern = r"""["']?\b""" + re.escape(key) + r"""\b["']?\s*:\s*(["'`])([^"'`\n]*)\1"""
    for m in re.finditer(pattern, source):
        if "${" not in m[2]:  # a template literal is computed: not a value to read
            return m[2]
    return None


def json_file(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


_KEY_OF = (("date", "date"), ("permalink", "permalink"), ("unlisted", "unlisted"))


def locate_notes(notes: list[Note], raw: str) -> list[Note]:
    """Notes about a front matter key, without a line yet, given the key's line in the file
    (front matter starts on line 2)."""
    out = []
    for n in notes:
        key = next((k for prefix, k in _KEY_OF if n.message.startswith(prefix)), None)
        if n.line == 0 and key is not None:
            m = re.search(r"^[\"']?" + re.escape(key) + r"[\"']?\s*[:=]", raw, re.M)
            if m is not None:
                n = Note(n.path, raw.count("\n", 0, m.start()) + 2, n.message)
        out.append(n)
    return out
