"""Finding and reading article files: the I/O end of parsing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .diagnostics import Diagnostic, Level

MAX_BYTES = 20 * 1024 * 1024


def find_articles(content_dir: Path) -> list[str]:
    """Every *.md under content/, relative and sorted; hidden files and folders are skipped and
    linked folders are not followed (so a symlink loop cannot trap the walk)."""
    found: list[str] = []
    if not content_dir.is_dir():
        return found
    root = str(content_dir)
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        found.extend(prefix + name for name in names if name.endswith(".md") and not name.startswith("."))
    return sorted(found)


def read_article(content_dir: Path, rel: str) -> tuple[str | None, Diagnostic | None]:
    path = content_dir / rel
    shown = f"content/{rel}"
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, Diagnostic(shown, 0, Level.ERROR, f"cannot read it: {exc.strerror or exc}")
    return decode(shown, data)


def decode(shown: str, data: bytes) -> tuple[str | None, Diagnostic | None]:
    if len(data) > MAX_BYTES:
        return None, Diagnostic(
            shown,
            1,
            Level.ERROR,
            f"file is {len(data) // (1024 * 1024)} MB; articles are limited to "
            f"{MAX_BYTES // (1024 * 1024)} MB",
        )
    if b"\x00" in data:
        return None, Diagnostic(
            shown, 1, Level.ERROR, "binary file, not Markdown text; move it out of content/ or rename it"
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Diagnostic(
            shown, line, Level.ERROR, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        )


def iter_texts(content_dir: Path, rels: list[str]) -> Iterator[tuple[str, str | None, Diagnostic | None]]:
    for rel in rels:
        text, problem = read_article(content_dir, rel)
        yield rel, text, problem
