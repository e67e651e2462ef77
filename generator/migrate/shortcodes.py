"""Hugo shortcodes in bodies (https://gohugo.io/content-management/shortcodes/): figure,
ref/relref, youtube, highlight and param converted; comment dropped; others left as visible
text and reported with file and line. `{{</* x */>}}` (Hugo's way to show a shortcode) becomes
the literal `{{< x >}}`."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import Any

from .convert import Body, code_spans, fenced, inside

_ESCAPED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.S)
_PAIRED = re.compile(
    r"\{\{([<%])-?\s*(highlight|comment)\b([^}]*?)-?\s*[>%]\}\}\n?(.*?)\{\{[<%]-?\s*/\2\s*-?[>%]\}\}", re.S
)
_SINGLE = re.compile(r"\{\{([<%])-?\s*([A-Za-z0-9_/.-]+)((?:[^}]|\}(?!\}))*?)-?\s*[>%]\}\}")
_PLACEHOLDER = "\x00esc{}\x00"

# (kind, target) -> the link to write, or None when the page is not found
Resolver = Callable[[str, str], str | None]


def args_of(text: str) -> tuple[list[str], dict[str, str]]:
    """Positional and named arguments, as Hugo splits them (quoted or bare)."""
    try:
        words = shlex.split(text.replace("`", '"'), posix=True)
    except ValueError:
        words = text.split()
    positional, named = [], {}
    for w in words:
        key, eq, value = w.partition("=")
        if eq and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key):
            named[key] = value
        else:
            positional.append(w)
    return positional, named


def convert(body: Body, resolve: Resolver, params: dict[str, Any]) -> None:
    text = body.text
    escaped: list[str] = []

    def keep(m: re.Match[str]) -> str:
        escaped.append("{{" + m.group(1) + m.group(2) + m.group(3) + "}}")
        return _PLACEHOLDER.format(len(escaped) - 1)

    text = _ESCAPED.sub(keep, text)
    spans = code_spans(text)

    def paired(m: re.Match[str]) -> str:
        if inside(spans, m.start()):
            return m.group(0)
        if m.group(2) == "comment":
            return "\n" * m.group(0).count("\n")  # dropped, its lines kept for later notes
        positional, _ = args_of(m.group(3))
        return fenced(positional[0] if positional else "", m.group(4))

    def single(m: re.Match[str]) -> str:
        if inside(spans, m.start()):
            return m.group(0)
        name = m.group(2)
        positional, named = args_of(m.group(3))
        out = _single(name, positional, named, resolve, params)
        if out is None:
            shown = " ".join(m.group(0).split())[:120]
            what = "target not found" if name in ("ref", "relref") else "left as text"
            body.notes.append(_note(body, text, m.start(), f"Hugo shortcode {what}: {shown}"))
            return m.group(0)
        return out

    text = _PAIRED.sub(paired, text)
    spans = code_spans(text)
    text = _SINGLE.sub(single, text)
    for i, literal in enumerate(escaped):
        text = text.replace(_PLACEHOLDER.format(i), literal, 1)
    body.text = text


def _single(
    name: str, pos: list[str], named: dict[str, str], resolve: Resolver, params: dict[str, Any]
) -> str | None:
    if name in ("ref", "relref") and (pos or named.get("path")):
        return resolve(name, pos[0] if pos else named["path"])
    if name == "figure":
        src = named.get("src") or (pos[0] if pos else "")
        if not src:
            return None
        alt = named.get("alt") or named.get("title") or named.get("caption") or ""
        image = f"![{_md(alt)}]({src})"
        if named.get("link"):
            image = f"[{image}]({named['link']})"
        caption = named.get("caption") or (named.get("title") if named.get("alt") else "")
        return image + (f" *{_md(caption)}*" if caption and caption != alt else "")  # on its line
    if name == "youtube":
        video = named.get("id") or (pos[0] if pos else "")
        if not re.fullmatch(r"[A-Za-z0-9_-]{6,20}", video):
            return None
        title = named.get("title") or f"YouTube video {video}"
        return f"[{_md(title)}](https://www.youtube.com/watch?v={video})"
    if name == "param" and pos:
        value: Any = params
        for part in pos[0].split("."):  # Hugo's keys are case-insensitive
            value = (
                {str(k).lower(): v for k, v in value.items()}.get(part.lower())
                if isinstance(value, dict)
                else None
            )
        return str(value) if isinstance(value, (str, int, float)) else None
    return None


def _md(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def _note(body: Body, text: str, offset: int, message: str) -> Any:
    from .model import Note

    return Note(body.rel, body.first_line + text.count("\n", 0, offset), message)
