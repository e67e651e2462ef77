"""Markdown to safe HTML: markdown-it-py (CommonMark + tables + strikethrough), then nh3."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MORE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.MULTILINE)
REF_PREFIX = "__digest_ref__/"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

# nh3's defaults minus what the HTML standard made obsolete (vnu rejects those)
_OBSOLETE_TAGS = {"acronym", "center", "strike", "tt"}
_OBSOLETE_ATTRS = {"align", "char", "charoff", "summary", "size", "width", "height"}


@dataclass(frozen=True)
class Rendered:
    content: str
    summary: str
    refs: tuple[tuple[str, int], ...]  # (content-relative .md target, line) to resolve later
    words: int


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


@lru_cache(maxsize=1)
def _cleaner_args() -> dict[str, object]:
    import nh3

    tags = (set(nh3.ALLOWED_TAGS) - _OBSOLETE_TAGS) | {"section"}
    attributes = {tag: set(attrs) - _OBSOLETE_ATTRS for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes.setdefault("img", set()).update({"width", "height", "loading"})
    attributes["a"] = {"href", "hreflang", "title"}
    attributes["th"] = attributes.get("th", set()) | {"style"}
    attributes["td"] = attributes.get("td", set()) | {"style"}
    return {
        "tags": tags,
        "attributes": attributes,
        "url_schemes": {"http", "https", "mailto"},
        "link_rel": "noopener noreferrer",
        "clean_content_tags": {"script", "style"},
        "filter_style_properties": {"text-align"},
    }


def sanitize(html: str) -> str:
    import nh3

    cleaned = str(nh3.clean(html, **_cleaner_args()))  # type: ignore[arg-type]
    # a link whose unsafe href was removed keeps nh3's rel, which HTML forbids without href
    return cleaned.replace('<a rel="noopener noreferrer">', "<a>")


def _rewrite_links(
    tokens: list[Token], article_dir: str, base_path: str, line0: int, refs: list[tuple[str, int]]
) -> None:
    """Move headings so the body's top level is h2 (the page title is the h1), resolve links to
    other articles' .md files, and put root-relative links under the base path."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = max(0, 2 - min(levels)) if levels else 0
    for token in tokens:
        if shift and token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
        if token.children:
            line = line0 + (token.map[0] if token.map else 0)
            for child in token.children:
                attr = "href" if child.type == "link_open" else "src" if child.type == "image" else ""
                if not attr:
                    continue
                value = str(child.attrGet(attr) or "")
                child.attrSet(attr, _rewrite(value, article_dir, base_path, line, refs))


def _rewrite(url: str, article_dir: str, base_path: str, line: int, refs: list[tuple[str, int]]) -> str:
    if not url or url.startswith(("#", "//")) or _SCHEME.match(url):
        return url
    if url.startswith("/"):
        return url if url.startswith(base_path) else base_path + url.lstrip("/")
    path, _, fragment = url.partition("#")
    if path.endswith(".md"):
        target = posixpath.normpath(posixpath.join(article_dir, path))
        refs.append((target, line))
        return REF_PREFIX + target + (f"#{fragment}" if fragment else "")
    return url


def render(
    body: str, *, article_path: str, base_path: str, body_line: int, summary_text: str, sanitize_html: bool
) -> Rendered:
    md = _parser()
    refs: list[tuple[str, int]] = []
    article_dir = posixpath.dirname(article_path)
    env: dict[str, object] = {}
    tokens = md.parse(body, env)
    _rewrite_links(tokens, article_dir, base_path, body_line, refs)
    content = md.renderer.render(tokens, md.options, env)
    if summary_text:
        inline = md.parse(summary_text, {})
        _rewrite_links(inline, article_dir, base_path, body_line, refs)
        summary = md.renderer.render(inline, md.options, {})
    else:
        more = MORE.search(body)
        if more:
            head = md.parse(body[: more.start()], {})
            _rewrite_links(head, article_dir, base_path, body_line, [])
            summary = md.renderer.render(head, md.options, {})
        else:
            summary = _first_paragraph(tokens, md)
    if sanitize_html:
        content, summary = sanitize(content), sanitize(summary)
    words = len(body.split())
    return Rendered(content, summary, tuple(refs), words)


def _first_paragraph(tokens: list[Token], md: MarkdownIt) -> str:
    start = next((i for i, t in enumerate(tokens) if t.type == "paragraph_open" and t.level == 0), -1)
    if start < 0:
        return ""
    end = next(i for i in range(start, len(tokens)) if tokens[i].type == "paragraph_close")
    return str(md.renderer.render(tokens[start : end + 1], md.options, {}))


def resolve_refs(html: str, urls: dict[str, str], article_path: str) -> str:
    """Put the real URL of each linked article in place of its `.md` reference; an unresolved
    one goes back to the relative link as written (and is reported by the caller)."""
    if REF_PREFIX not in html:
        return html

    def swap(match: re.Match[str]) -> str:
        target, _, fragment = match.group(1).partition("#")
        url = urls.get(target)
        if url is None:
            url = posixpath.relpath(target, posixpath.dirname(article_path) or ".")
        return url + (f"#{fragment}" if fragment else "")

    return re.sub(re.escape(REF_PREFIX) + r"([^\"'\s>]+)", swap, html)
