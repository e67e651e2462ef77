"""Finding and reading article files: the I/O end of parsing."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.diagnostics import Diagnostic, Level

# A news item with the curator's summary and quotes is a few kilobytes; a long feature with its
# full text is under 300 KB. Each article is copied into its page and into every feed it is in
# (site, tags, source: three formats each), so one 10 MB file would add some 160 MB of output.
MAX_BYTES = 2 * 1024 * 1024


SUFFIXES = (".md", ".markdown")  # Jekyll's and Pelican's older posts use the long one


def find_articles(content_dir: Path) -> list[str]:
    """Every *.md and *.markdown under content/, relative and sorted; hidden files and folders are skipped and
    linked folders are not followed (so a symlink loop cannot trap the walk)."""
    found: list[str] = []
    if not content_dir.is_dir():
        return found
    root = str(content_dir)
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        found.extend(prefix + name for name in names if name.endswith(SUFFIXES) and not name.startswith("."))
    return sorted(found)


def article_rel(path: Path, content_dir: Path) -> str | None:
    """`path` as find_articles would list it, or None when it would not list it (a folder,
    a hidden file, a file outside content/ or in a hidden or _ folder)."""
    if not path.is_relative_to(content_dir):
        return None
    parts = path.relative_to(content_dir).parts
    if not parts or not parts[-1].endswith(SUFFIXES) or parts[-1].startswith("."):
        return None
    if any(part.startswith((".", "_")) for part in parts[:-1]):
        return None
    return "/".join(parts)


def too_large(shown: str, size: int) -> Diagnostic:
    return Diagnostic(
        shown,
        1,
        Level.ERROR,
        f"file is {size / (1024 * 1024):.1f} MB; articles are limited to {MAX_BYTES // (1024 * 1024)} MB "
        "(keep the summary and quotes, link to the original for the rest)",
    )


def decode(shown: str, data: bytes) -> tuple[str | None, Diagnostic | None]:
    if len(data) > MAX_BYTES:
        return None, too_large(shown, len(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Diagnostic(shown, 1, Level.ERROR, "UTF-16 text, not UTF-8; save the file as UTF-8")
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
