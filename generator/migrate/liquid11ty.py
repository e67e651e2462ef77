"""Nunjucks and Liquid in an Eleventy post's Markdown (Eleventy runs Markdown through a template
engine first): `{% raw %}` markers dropped (their content is what the reader saw), the common
`{% image "src", "alt" %}` shortcode made a Markdown image, the excerpt separator made
`<!--more-->`; every other tag and `{{ … }}` output is left visible and reported with its line
(digest shows template syntax in bodies as plain text)."""

from __future__ import annotations

import re
from pathlib import Path

from .model import Note
from .sourcetext import prose_lines

_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_IMAGE = re.compile(r"""\{%-?\s*image\s+["']([^"']+)["']\s*,\s*["']([^"']*)["'][^%]*-?%\}""")
_TAG = re.compile(r"\{%-?.*?-?%\}|\{\{-?.*?-?\}\}")
_EXCERPT = re.compile(r"<!--\s*(?:excerpt|more)\s*-->")


def convert_templates(body: str, source: Path, first: int, separator: str | None) -> tuple[str, list[Note]]:
    lines = body.split("\n")
    notes: list[Note] = []
    in_raw = False
    for i, line in prose_lines(body):
        parts = _RAW.split(line)
        markers = _RAW.findall(line)
        out = []
        for k, part in enumerate(parts):
            if not in_raw:
                part = _IMAGE.sub(lambda m: f"![{m[2]}]({m[1]})", part)
                part = _EXCERPT.sub("<!--more-->", part)
                if separator and part.strip() == separator:
                    part = "<!--more-->"
                for tag in _TAG.findall(part):
                    notes.append(
                        Note(
                            source,
                            first + i,
                            f"Nunjucks/Liquid left as text: {tag[:60]} (digest runs no templates in bodies)",
                        )
                    )
            out.append(part)
            if k < len(markers):
                in_raw = "end" not in markers[k]
        lines[i] = "".join(out)
    return "\n".join(lines), notes
