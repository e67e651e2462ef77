"""The article a page describes in its JSON-LD (schema.org), read leniently.

News sites write JSON-LD in every shape: one object, a list, an `@graph`, the article nested
in a WebPage's `mainEntity`, `@type` as a list, authors as strings, objects or lists, and often
broken JSON (trailing commas, raw newlines in strings, HTML comments around it). This module
finds the first article-like object and reads the fields the import needs from it; anything it
cannot read is skipped, never raised."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

# schema.org types of a written article (NewsArticle's subtypes and their cousins)
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenews", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "satiricalarticle",
    "scholarlyarticle", "techarticle", "blogposting", "liveblogposting", "report", "socialmediaposting",
})
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_COMMENT = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")
_CONTROL = re.compile(r"[\x00-\x1f]")


def parse_blocks(texts: list[str]) -> list[Any]:
    """Every JSON value the script blocks hold, the broken ones repaired where that is cheap."""
    values = []
    for text in texts:
        value = _loads(text)
        if value is not None:
            values.append(value)
    return values


def _loads(text: str) -> Any:
    text = _COMMENT.sub("", text.strip()).strip().rstrip(";")
    if not text:
        return None
    repaired = _TRAILING_COMMA.sub(r"\1", text)
    for attempt in (text, repaired, _CONTROL.sub(" ", repaired)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", ())
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def _walk(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object in the value, outer ones first (so the page's own article comes before an
    article it merely mentions)."""
    if depth > 12:
        return
    if isinstance(value, list):
        for item in value[:200]:
            yield from _walk(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement", "item"):
            if key in value:
                yield from _walk(value[key], depth + 1)


def find_article(values: list[Any]) -> dict[str, Any] | None:
    """The first object typed as an article (with a headline or a name)."""
    for value in values:
        for node in _walk(value):
            if _types(node) & ARTICLE_TYPES and (node.get("headline") or node.get("name")):
                return node
    return None


def by_id(values: list[Any]) -> dict[str, dict[str, Any]]:
    """The objects with an `@id`, so a reference such as `"author": {"@id": "#jane"}` resolves."""
    found: dict[str, dict[str, Any]] = {}
    for value in values:
        for node in _walk(value):
            ident = node.get("@id")
            if isinstance(ident, str) and len(node) > 1:
                found.setdefault(ident, node)
    return found


def text(value: Any) -> str:
    """A plain string from a value that may be a string, a list, or an object with a name."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return next((t for t in (text(v) for v in value) if t), "")
    if isinstance(value, dict):
        return text(value.get("name") or value.get("@value") or "")
    return ""


def url_of(value: Any) -> str:
    """An http(s) address from a string, an object's `@id`/`url`, or the first of a list."""
    if isinstance(value, list):
        return next((u for u in (url_of(v) for v in value) if u), "")
    if isinstance(value, dict):
        return url_of(value.get("@id") or value.get("url") or "")
    if isinstance(value, str) and value.strip().startswith(("http://", "https://")):
        return value.strip()
    return ""


def people(value: Any, ids: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The persons' and the organisations' names in an `author` value."""
    persons: list[str] = []
    organisations: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and set(item) <= {"@id", "@type"} and item.get("@id") in ids:
            item = ids[item["@id"]]
        name = text(item)
        if not name or name.startswith(("http://", "https://")):
            continue
        kinds = _types(item) if isinstance(item, dict) else set()
        target = organisations if kinds & {"organization", "newsmediaorganization"} else persons
        if name not in target:
            target.append(name)
    return persons, organisations
