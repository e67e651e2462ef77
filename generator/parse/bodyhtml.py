"""Rules for a rendered, sanitised body, whoever wrote its Markdown: valid, accessible HTML.

- Headings: the top one is `h2` (the page title is the `h1`) and no level is skipped (`h1`,
  `h3` become `h2`, `h3`); each gets an `id` from its text, unique within the body.
- Images: `loading="lazy"` and `decoding="async"`; one without alt text gets `alt=""` and is
  reported to the caller, with its `src`, for a located warning; a link holding nothing but
  such an image is named by where it goes.
- Footnotes: their ids carry a key of the article, so that a page showing several articles
  never has two equal ids; a summary drops its footnote references (the notes are not there).
- Task-list checkboxes are disabled and named for assistive technology.
- Tables sit in a box that scrolls sideways on narrow screens.
- Links with nothing in them (left by unbalanced raw HTML) are dropped; so are sizes that
  are not whole numbers (`width="100%"`); a `<details>` without `<summary>` gets one.

Pure functions over HTML text made by comrak and nh3 (well-formed, attributes double-quoted)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_WRITTEN_ID = re.compile(r"\s*\{#([A-Za-z][\w:.-]*)\}\s*$")
_IMG = re.compile(r"<img\b([^>]*?)\s*/?>")
_ALT = re.compile(r'\salt="([^"]*)"')
_SRC = re.compile(r'\ssrc="([^"]*)"')
_FOOTNOTE_ID = re.compile(r'(id="|href="#)(fn(?:ref)?-)')
_FOOTNOTE_REF = re.compile(r'<sup class="footnote-ref">.*?</sup>', re.S)
_CHECKBOX = re.compile(r"<input\b([^>]*)/?>")


def heading_levels(levels: Iterable[int]) -> list[int]:
    """New levels: the first heading is h2, and a heading is at most one level below the one
    it follows (a stack of the levels as written, each with its new level)."""
    stack: list[tuple[int, int]] = []
    out = []
    for level in levels:
        while stack and stack[-1][0] >= level:
            stack.pop()
        new = min(stack[-1][1] + 1, 6) if stack else 2
        stack.append((level, new))
        out.append(new)
    return out


def _slug(text: str) -> str:
    from ..core.urls import slugify

    return slugify(text, fallback_seed=text) if text.strip() else "section"


def fix_headings(html: str, ids: bool = True) -> str:
    matches = list(_HEADING.finditer(html))
    if not matches:
        return html
    levels = heading_levels(int(m.group(1)) for m in matches)
    taken: dict[str, int] = {}
    parts = []
    last = 0
    for match, level in zip(matches, levels, strict=True):
        attrs, inner = match.group(2), match.group(3)
        written = _WRITTEN_ID.search(inner)  # `## Usage {#usage}`, as Hugo and kramdown take it
        if written is not None:
            inner = inner[: written.start()]
            if ids and " id=" not in attrs:
                attrs += f' id="{written.group(1)}"'
                taken[written.group(1)] = taken.get(written.group(1), 0) + 1
        if ids and " id=" not in attrs:
            base = _slug(_TAG.sub("", inner))
            count = taken.get(base, 0) + 1
            taken[base] = count
            attrs += f' id="{base if count == 1 else f"{base}-{count}"}"'
        parts += [html[last : match.start()], f"<h{level}{attrs}>{inner}</h{level}>"]
        last = match.end()
    parts.append(html[last:])
    return "".join(parts)


def fix_images(html: str) -> tuple[str, list[str]]:
    """The HTML with lazy, async images and an alt on each; the srcs that had no alt text."""
    if "<img" not in html:
        return html, []
    missing: list[str] = []

    def one(match: re.Match[str]) -> str:
        attrs = match.group(1)
        alt = _ALT.search(attrs)
        if alt is None or not alt.group(1).strip():
            src = _SRC.search(attrs)
            missing.append(src.group(1) if src else "")
            if alt is None:
                attrs += ' alt=""'
        if " loading=" not in attrs:
            attrs += ' loading="lazy"'
        if " decoding=" not in attrs:
            attrs += ' decoding="async"'
        return f"<img{attrs}>"

    return _IMG.sub(one, html), missing


def key_footnotes(html: str, key: str) -> str:
    """`fn-1` becomes `fn-KEY-1` (and `fnref-…` likewise) in ids and in links to them."""
    if "fn" not in html:
        return html
    return _FOOTNOTE_ID.sub(lambda m: f"{m.group(1)}{m.group(2)}{key}-", html)


def drop_footnote_refs(html: str) -> str:
    return _FOOTNOTE_REF.sub("", html) if "footnote-ref" in html else html


def fix_checkboxes(html: str) -> str:
    """Task-list boxes as readers see them: disabled, and named ("done" or "to do")."""
    if "<input" not in html:
        return html

    def one(match: re.Match[str]) -> str:
        checked = " checked" in match.group(1)
        label = "done" if checked else "to do"
        return f'<input type="checkbox" disabled{" checked" if checked else ""} aria-label="{label}">'

    return _CHECKBOX.sub(one, html)


_TABLE = re.compile(r"<table\b.*?</table>", re.S)


def wrap_tables(html: str) -> str:
    if "<table" not in html:
        return html
    return _TABLE.sub(lambda m: f'<div class="table-scroll" tabindex="0">{m.group(0)}</div>', html)


_EMPTY_LINK = re.compile(r"<a\s[^>]*\bhref=\"[^\"]*\"[^>]*>\s*</a>")


def drop_empty_links(html: str) -> str:
    """A link with nothing in it (unbalanced raw HTML leaves them: `<a>` open across
    `</center>` is split in two by the HTML parser) can be neither seen nor named."""
    return _EMPTY_LINK.sub("", html) if "</a>" in html else html


_SIZE = re.compile(r'\s(width|height)="([^"]*)"')
_DETAILS = re.compile(r"<details\b([^>]*)>(?!\s*<summary\b)")


def fix_sizes(html: str) -> str:
    """`width="100%"` is not HTML (a size is a whole number of pixels): such a size goes."""
    if "width=" not in html and "height=" not in html:
        return html
    return _SIZE.sub(lambda m: m.group(0) if m.group(2).strip().isdigit() else "", html)


def fix_details(html: str) -> str:
    """A `<details>` must open with its `<summary>`: one written without gets "Details"."""
    return _DETAILS.sub(r"<details\1><summary>Details</summary>", html) if "<details" in html else html


_IMAGE_LINK = re.compile(r'<a\s([^>]*\bhref="([^"]*)"[^>]*)>(\s*<img\b[^>]*\salt=""[^>]*>\s*)</a>')


def name_image_links(html: str) -> str:
    """A link whose only content is an image without alt text has no name: it is named by
    where it goes (the author was warned about the image), so it can still be told apart."""
    if "<img" not in html or 'alt=""' not in html:
        return html

    def one(match: re.Match[str]) -> str:
        attrs, href, inner = match.groups()
        if "aria-label=" in attrs:
            return match.group(0)
        where = href.split("://", 1)[-1].rstrip("/")
        label = where if len(where) <= 60 else where[:59] + "…"
        return f'<a {attrs} aria-label="{label}">{inner}</a>'

    return _IMAGE_LINK.sub(one, html)
