"""What every reader needs: reading a source file safely (size, encoding, symlinks), YAML front
matter, dates and lists as generators write them, and the body rewrites they share (excerpt
markers, fenced code, notes with the line of the source file)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from ..read.content import MAX_BYTES  # digest's article limit: a larger post could not be built
from .model import Note

MORE = "<!--more-->"


class Unreadable(ValueError):
    """A post that cannot be read at all: the reader skips it with this located reason."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def walk(root: Path, sub: str = "") -> Iterator[Path]:
    """Files under root/sub, sorted, relative to root; linked folders are not followed (a link
    loop cannot hang a migration) and dot-folders (.git) are passed over."""
    start = root / sub if sub else root
    if not start.is_dir():
        return
    for folder, dirs, files in os.walk(start, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            yield (Path(folder) / name).relative_to(root)


def read_text(root: Path, rel: Path) -> str:
    """A source file's text with CRLF and BOM normalised; Unreadable when it cannot be a post."""
    path = root / rel
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            raise Unreadable(0, "a symbolic link to a file outside the source folder: not followed")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise Unreadable(1, f"file is {size / 1e6:.1f} MB; digest articles are limited to 2 MB")
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable(0, f"cannot read it: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192]:
        raise Unreadable(1, "a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Unreadable(line, f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front(text: str, fence: str = "---") -> tuple[str, str, int] | None:
    """(front matter, body, the body's first line) when text opens with a `fence` line."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != fence:
        return None
    closers = (fence, "...") if fence == "---" else (fence,)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in closers:
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    raise Unreadable(1, f"front matter opened with '{fence}' is never closed")


# libyaml's loader when PyYAML has it: a tenth of the time on thousands of posts
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TextDates(_LOADER):  # type: ignore[misc]
    """Safe YAML with timestamps left as text, read by the readers' own date rules (offsets,
    naive times, impossible dates that are a note rather than a crash)."""


TextDates.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, line0: int = 2, loader: Any = _LOADER) -> dict[str, Any]:
    """A front-matter mapping; Unreadable with the file's line when YAML cannot read it.
    `line0` is the file's line of the text's first line; `loader` a safe loader class."""
    try:
        # aliases refused before anything is built: a few lines of them can expand to gigabytes
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise Unreadable(
                    line0 + (mark.line if mark else 0),
                    "front matter uses a YAML alias (*name); write the value out",
                )
        try:
            data = yaml.load(text, Loader=loader)  # a safe loader (CSafeLoader or SafeLoader)
        except ValueError:  # "date: 2024-13-45" read as a timestamp: read again, dates as text
            data = yaml.load(text, Loader=TextDates)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = line0 + (mark.line if mark else 0)
        raise Unreadable(line, f"front matter is not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise Unreadable(line0, f"front matter is not valid YAML: {exc}") from None
    except RecursionError:
        raise Unreadable(line0, "front matter nested too deeply") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Unreadable(line0, "front matter must be a mapping of keys to values")
    return {str(k): v for k, v in data.items()}


def load_toml(text: str, line0: int = 1, what: str = "not valid TOML") -> dict[str, Any]:
    """A TOML document (a config file, `+++` front matter); Unreadable at the file's line.
    Deep nesting is an error, not a crash: tomllib recurses once per bracket."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise Unreadable(line0 - 1 + (int(found.group(1)) if found else 1), f"{what}: {exc}") from None
    except RecursionError:
        raise Unreadable(line0, f"{what}: nested too deeply") from None


def load_json(text: str, what: str = "not valid JSON") -> Any:
    """JSON (a config file, `{` front matter); Unreadable at the file's line, deep nesting too."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(exc.lineno, f"{what}: {exc.msg}") from None
    except RecursionError:
        raise Unreadable(1, f"{what}: nested too deeply") from None


def zone(name: str | None) -> dt.tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%m-%d-%Y",  # Pelican's MM-DD-YYYY
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%B %d, %Y",
    "%a, %d %b %Y %H:%M:%S %z",
)


def to_datetime(value: Any, tz: dt.tzinfo | None) -> dt.datetime | dt.date | None:
    """A date or datetime from what front matter holds (YAML's own dates, or text in the formats
    Pelican, Jekyll and Hugo accept); naive values are put in `tz` when it is known."""
    if isinstance(value, dt.datetime):
        out = value
    elif isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0), tzinfo=tz) if tz else value
    elif isinstance(value, str) and value.strip():
        out_or_none = _parse_text(value.strip())
        if out_or_none is None:
            return None
        out = out_or_none
    else:
        return None
    if out.tzinfo is None and tz is not None:
        out = out.replace(tzinfo=tz)
    return out


def _parse_text(text: str) -> dt.datetime | None:
    text = re.sub(r"\s+", " ", text)
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return dt.datetime.fromisoformat(candidate)
    except ValueError:
        pass
    # "2013-11-22 5:00:00 +0000" and "2020-1-9": pad the parts
    padded = re.sub(
        r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})", lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text
    )
    padded = re.sub(r"([ T])(\d):", r"\g<1>0\2:", padded)
    for candidate in (padded, text):
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(candidate, fmt)
            except ValueError:
                continue
    return None


def as_list(value: Any) -> list[str]:
    """Tags, categories, authors: a list, or one comma-separated string."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def as_words(value: Any) -> list[str]:
    """Jekyll's `tags: a b c`: a space-separated string is several tags."""
    if isinstance(value, str):
        return [part for part in value.split() if part]
    return as_list(value)


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "yes", "on", "1")


def line_of(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


def fenced(lang: str, code: str) -> str:
    """A fenced code block whose fence is longer than any backtick run inside."""
    longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * max(3, longest + 1)
    # only the newline before the closing tag goes: every other line stays where it was, so
    # the report's lines after the block are still the source file's
    code = code.removesuffix("\n")
    return f"{fence}{lang}\n{code}\n{fence}"


class Body:
    """A body being converted, with the notes it raises located in the source file."""

    def __init__(self, rel: Path, text: str, first_line: int) -> None:
        self.rel = rel
        self.text = text
        self.first_line = first_line
        self.notes: list[Note] = []

    def note(self, offset: int, message: str) -> None:
        self.notes.append(Note(self.rel, line_of(self.text, offset, self.first_line), message))

    def sub(self, pattern: re.Pattern[str], replace: Any) -> None:
        """re.sub where `replace(match)` may call self.note with the match's own offset (line
        numbers are read from the text before this substitution)."""
        self.text = pattern.sub(replace, self.text)

    def excerpt(self, marker: str) -> None:
        """The generator's excerpt separator becomes digest's <!--more--> (first one only)."""
        if marker and marker != MORE and marker in self.text:
            self.text = self.text.replace(marker, MORE, 1)


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where code is (fenced blocks, inline spans): syntax inside is shown, not converted."""
    spans = []
    for m in re.finditer(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?^ {0,3}\2[`~]*[ \t]*$", text, re.M | re.S):
        spans.append((m.start(), m.end()))
    for m in re.finditer(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", text):  # inline code, on one line
        if not inside(spans, m.start()):
            spans.append((m.start(), m.end()))
    return spans


def inside(spans: list[tuple[int, int]], offset: int) -> bool:
    return any(a <= offset < b for a, b in spans)


_ROOT_LINK = re.compile(
    r"\]\(\s*<?(/[^/)\s>][^)\s>]*|/)>?|\b(?:href|src)\s*=\s*[\"'](/(?!/)[^\"']*)[\"']"
    r"|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?(/(?!/)[^\s>]*)",
    re.M,
)  # inline links, href/src, reference definitions


def root_links(body: str, first_line: int) -> list[tuple[int, str]]:
    """Root-relative links in a converted body, with their line: candidates for links.root."""
    out = []
    spans = code_spans(body)
    for m in _ROOT_LINK.finditer(body):
        if inside(spans, m.start()):
            continue
        url = m.group(1) or m.group(2) or m.group(3)
        out.append((line_of(body, m.start(m.lastindex or 0), first_line), url))
    return out


POST_REF = "migrate-post:"  # a link to another post, by its source path; the writer puts its new URL


def post_ref(rel: Path, fragment: str = "") -> str:
    return POST_REF + rel.as_posix() + fragment


_PAGE_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".mdx", ".rst")


def root_files(text: str, root: Path, static_dirs: tuple[str, ...]) -> list[tuple[Path, str]]:
    """Files a body links root-relative (`/assets/x.png`) that the old site served from one of
    its static folders: (file under root, the same path on the new site)."""
    out: list[tuple[Path, str]] = []
    for _, url in root_links(text, 1):
        path = unquote(url.split("#")[0].split("?")[0]).lstrip("/")
        if not path or path.endswith("/") or path.lower().endswith(_PAGE_SUFFIXES) or ".." in path.split("/"):
            continue
        for folder in static_dirs:
            rel = Path(folder) / path if folder else Path(path)
            candidate = root / rel
            if candidate.is_file() and not candidate.is_symlink():
                out.append((rel, path))
                break
    return out
