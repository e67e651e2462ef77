"""Docusaurus's Markdown/MDX body in digest's Markdown: the truncate marker to `<!--more-->`,
MDX `import`/`export` statements removed, admonitions (`:::note Title` … `:::`) to GitHub alerts
(`> [!NOTE]`, which digest renders as a styled note), JSX components left visible and reported."""

from __future__ import annotations

import re
from pathlib import Path

from .model import Note
from .sourcetext import prose_lines

_TRUNCATE = re.compile(r"<!--\s*truncate\s*-->|\{/\*\s*truncate\s*\*/\}")
_IMPORT = re.compile(r"^(import\s|export\s)")
_JSX = re.compile(r"<([A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)*)[\s/>]")
_JSX_EXPR = re.compile(r"^\s*\{(?!/\*).*\}\s*$")
_ADMONITION = re.compile(r"^(\s*)(:{3,})\s*([a-z]+)?\s*(?:\[(.*)\]|(.*))$")
_MODULE = re.compile(r"""^import\s.*\bfrom\s+["']|^import\s+["']|^export\s+(const|default|function)\b""")
_KINDS = {
    "note": "NOTE",
    "info": "NOTE",
    "tip": "TIP",
    "important": "IMPORTANT",
    "warning": "WARNING",
    "caution": "WARNING",
    "danger": "CAUTION",
}


def convert_mdx(body: str, source: Path, first: int, *, mdx: bool) -> tuple[str, list[Note]]:
    """(body, notes); `first` is the file line of the body's first line."""
    lines = body.split("\n")
    notes: list[Note] = []
    drop: set[int] = set()
    prose = dict(prose_lines(body))
    i = 0
    while i < len(lines):
        if i in prose and _IMPORT.match(lines[i]) and (mdx or _looks_like_module(lines[i])):
            end = _statement_end(lines, i)
            drop.update(range(i, end + 1))
            i = end + 1
            continue
        i += 1
    # every source line gives one output line (a dropped one is blank), so that the report's line
    # numbers (counted from the body's first line) stay those of the source file
    out: list[str] = []
    depth: list[str] = []  # the colon fences of the admonitions open around this line
    title_line = ""  # an admonition's title, written on the blank line after its opening if any
    for i, line in enumerate(lines):
        if title_line:
            if not line.strip():  # the title takes the blank line, a hard break after it
                out.append(title_line + "\\")
                title_line = ""
                continue
            out.append(title_line)
            title_line = ""
        if i in drop:
            out.append("")
            continue
        if i not in prose:
            out.append("> " * len(depth) + line if depth else line)
            continue
        line = _TRUNCATE.sub("<!--more-->", line)
        m = _ADMONITION.match(line)
        if m and m[3] and not m[1]:
            depth.append(m[2])
            kind = _KINDS.get(m[3])
            title = (m[4] or m[5] or "").strip()
            quote = "> " * (len(depth) - 1)
            if kind is None:
                notes.append(
                    Note(source, first + i, f"admonition of no Docusaurus kind: :::{m[3]} made a NOTE")
                )
                kind = "NOTE"
            out.append(f"{quote}> [!{kind}]")
            title_line = f"{quote}> **{title}**" if title else ""
            continue
        if m and not m[3] and not (m[4] or m[5] or "").strip() and depth and not m[1]:
            depth.pop()
            out.append(("> " * len(depth)).rstrip())  # ends this quote, not the one around it
            continue
        for tag in _JSX.findall(line):
            notes.append(
                Note(
                    source,
                    first + i,
                    f"JSX component left as text: <{tag}> (digest renders Markdown, not MDX; "
                    "rewrite it as Markdown)",
                )
            )
        if mdx and _JSX_EXPR.match(line) and "<!--more-->" not in line:
            notes.append(Note(source, first + i, f"MDX expression left as text: {line.strip()[:60]}"))
        out.append("> " * len(depth) + line if depth else line)
    return "\n".join(out), notes


def _looks_like_module(line: str) -> bool:
    """In a `.md` file Docusaurus (MDX format by default) still runs `import x from 'y'`."""
    return bool(_MODULE.match(line))


def _statement_end(lines: list[str], start: int) -> int:
    """The last line of an import/export that spans lines (`import {\\n a,\\n} from 'x';`)."""
    depth = 0
    for j in range(start, min(len(lines), start + 200)):
        depth += lines[j].count("{") + lines[j].count("(") + lines[j].count("[")
        depth -= lines[j].count("}") + lines[j].count(")") + lines[j].count("]")
        if depth <= 0 and (j > start or not lines[j].rstrip().endswith(("=", "{", "(", ","))):
            return j
    return start
