"""Liquid in post bodies (Jekyll, and Eleventy's Liquid templates): the tags with a digest
equivalent converted, everything else left as visible text and reported with file and line.

Liquid runs before Markdown, so tags inside code blocks are converted too; only
`{% raw %}…{% endraw %}` is taken literally (its content kept, the tags dropped)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .convert import Body, fenced
from .model import Note

_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+([A-Za-z0-9_+#.-]+)[^%]*?-?%\}\n?(.*?)\{%-?\s*endhighlight\s*-?%\}", re.S
)
_LINK = re.compile(r"\{%-?\s*(link|post_url)\s+([^%\s]+)\s*-?%\}")
_SITE_URL = re.compile(r"\{\{-?\s*site\.(baseurl|url)\s*-?\}\}")
_SITE_VAR = re.compile(r"\{\{-?\s*site\.([A-Za-z0-9_.]+)\s*-?\}\}")
_TAG = re.compile(r"\{%-?\s*([a-z_]+)[^%]*?-?%\}|\{\{-?[^}]*?-?\}\}", re.S)
_PLACEHOLDER = "\x00raw{}\x00"

# (kind, path) -> the link text to write, or None when it cannot be resolved
Resolver = Callable[[str, str], str | None]


def convert(body: Body, resolve: Resolver, site: dict[str, Any] | None = None) -> None:
    """`site` is the config: `{{ site.repository }}` becomes its value when that is text."""
    text = body.text
    raws: list[str] = []

    def keep_raw(m: re.Match[str]) -> str:
        raws.append(m.group(1))
        return _PLACEHOLDER.format(len(raws) - 1) + "\n" * m.group(0).count("\n")

    text = _RAW.sub(keep_raw, text)

    def highlight(m: re.Match[str]) -> str:
        code = m.group(2)
        return fenced(m.group(1), code)

    def link(m: re.Match[str]) -> str:
        target = resolve(m.group(1), m.group(2))
        if target is None:
            message = f"Liquid {{% {m.group(1)} %}} target not found: {m.group(2)}"
            body.notes.append(_note(body, text, m.start(), message))
            return m.group(0)
        return target

    def other(m: re.Match[str]) -> None:
        shown = " ".join(m.group(0).split())
        body.notes.append(_note(body, text, m.start(), f"Liquid left as text: {shown[:120]}"))

    # every pass keeps the number of lines, so a note's line is right whichever pass makes it
    text = _LINK.sub(link, text)
    text = _SITE_URL.sub("", text)
    text = _SITE_VAR.sub(lambda m: _site_value(site or {}, m.group(1)) or m.group(0), text)
    text = _HIGHLIGHT.sub(highlight, text)
    for m in _TAG.finditer(text):
        other(m)
    for i, raw in enumerate(raws):
        text = text.replace(_PLACEHOLDER.format(i) + "\n" * raw.count("\n"), raw, 1)
    body.text = text


def _site_value(site: dict[str, Any], path: str) -> str | None:
    value: Any = site
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


def _note(body: Body, text: str, offset: int, message: str) -> Note:
    return Note(body.rel, body.first_line + text.count("\n", 0, offset), message)
