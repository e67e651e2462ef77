"""Front matter, key by key: each key digest knows checked and turned into the value an Article
holds (dates in the site's zone, Source and Tag objects, URLs made absolute, aliases made paths
under the base path), unknown keys kept for templates as `extra` with a warning that says what
was probably meant, and the `extra:` mapping kept for templates without one."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core import yamlnodes as yn
from ..core.dates import DateProblem, parse_datetime
from ..core.diagnostics import Diagnostic, Level
from ..core.langtags import nearest_lang, normalize_lang
from ..core.model import Source, Tag
from ..core.urls import AliasProblem, absolute, alias_path, slugify, under
from ..read.config import SiteConfig
from ..read.frontmatterkeys import KNOWN_KEYS
from ..read.sources import Registry

# invisible characters that break XML feeds; they only get in through YAML's "\x07" escapes
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# a slug that reads as a file path: refused, never silently turned into some other URL
_PATH_LIKE = re.compile(r"\.\.|^\s*[/~]|\\|%[0-9A-Fa-f]{2}|[\x00-\x1f\x7f]")
# what other generators call our keys, for the "did you mean" hint
SYNONYMS = {
    "categories": "tags",
    "keywords": "tags",
    "description": "summary",
    "excerpt": "summary",
    "authors": "author",
    "link": "source_url",
    "url": "source_url",
    "original": "source_url",
    "outlet": "source",
    "publication": "source",
    "published": "date",
    "pubdate": "date",
    "lastmod": "updated",
    "modified": "updated",
    "language": "lang",
    "cover": "image",
    "thumbnail": "image",
    "featured_image": "image",
}


class Problems:
    """One file's diagnostics; `at` turns a node's line in the front matter into the file's."""

    def __init__(self, path: str, line0: int) -> None:
        self.path = path
        self.line0 = line0
        self.items: list[Diagnostic] = []

    def error(self, line: int, message: str) -> None:
        self.items.append(Diagnostic(self.path, line, Level.ERROR, message))

    def warning(self, line: int, message: str, kind: str = "", group: str = "", fix: str = "") -> None:
        self.items.append(Diagnostic(self.path, line, Level.WARNING, message, kind, group, fix))

    def at(self, node: Node) -> int:
        return self.line0 + yn.line_of(node) - 1


def list_feed(url: str, config: SiteConfig) -> str:
    """A tag's or source's feed (the first format written): "" when tags and sources have none."""
    return url + config.feeds.first if config.feeds.term_feeds else ""


def tag_for(name: str, config: SiteConfig) -> Tag:
    slug = slugify(name)
    url = under(config.base_path, f"tags/{slug}/")
    return Tag(name=name, slug=slug, url=url, feed_url=list_feed(url, config))


def source_for(name: str, registry: Registry, config: SiteConfig) -> Source:
    outlet = registry.lookup(name)
    canonical = outlet.name if outlet else name
    slug = slugify(canonical)
    url = under(config.base_path, f"sources/{slug}/")
    if outlet is None:
        return Source(name=canonical, slug=slug, url=url, feed_url=list_feed(url, config))
    return Source(
        # its name in the article's language (sources.yaml `names:`), under the one key
        name=dict(outlet.names).get(config.language, canonical),
        slug=slug,
        url=url,
        feed_url=list_feed(url, config),
        homepage=outlet.url,
        description=outlet.description,
        country=outlet.country,
        aliases=outlet.aliases,
        domains=outlet.domains,
        registered=True,
    )


def _text(node: Node, key: str, p: Problems) -> str | None:
    if isinstance(node, ScalarNode):
        if yn.is_null(node):
            p.error(p.at(node), f"'{key}' is empty; give it a value or remove the line")
            return None
        value = str(node.value)
        return (value if key == "slug" else _CONTROL.sub("", value)).strip()
    want = {"date": "a date or datetime", "updated": "a date or datetime"}.get(key, "a string")
    p.error(p.at(node), f"'{key}' must be {want}, not {_kind(node)}")
    return None


def _strings(node: Node, key: str, p: Problems) -> tuple[str, ...] | None:
    if isinstance(node, ScalarNode):
        text = yn.scalar_text(node)
        text = _CONTROL.sub("", text) if text else text
        return (text.strip(),) if text and text.strip() else ()
    if isinstance(node, SequenceNode):
        out: list[str] = []
        for item in node.value:
            text = yn.scalar_text(item) if isinstance(item, ScalarNode) else None
            if text is None:
                p.error(p.at(item), f"each entry of '{key}' must be a string")
                return None
            text = _CONTROL.sub("", text)
            if text.strip() and text.strip() not in out:
                out.append(text.strip())
        return tuple(out)
    p.error(p.at(node), f"'{key}' must be a list of strings")
    return None


def _url(node: Node, key: str, p: Problems) -> str | None:
    text = _text(node, key, p)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        p.error(p.at(node), f"'{key}' must be an absolute http(s) URL, not '{text}'")
        return None
    return text


def read_fields(node: MappingNode, p: Problems, config: SiteConfig, registry: Registry) -> dict[str, Any]:
    for key, key_node in yn.duplicate_keys(node):
        p.error(p.at(key_node), f"'{key}' is given twice")
    out: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    seen: set[str] = set()
    under_extra: set[str] = set()  # the keys the `extra:` mapping gave
    for key, key_node, value in yn.mapping_items(node):
        seen.add(key)
        if key == "extra":
            _extra(value, p, extra, under_extra)
            continue
        if key not in KNOWN_KEYS:
            _unknown_key(key, p.at(key_node), p)
            try:
                if key in under_extra:
                    p.error(p.at(key_node), f"'{key}' is given both here and under 'extra'; keep one")
                extra[key] = yn.to_python(value)
            except yn.YamlProblem as exc:
                p.error(p.at(value), exc.message)
            continue
        _read_known(key, value, p, config, registry, out)
    line = p.at(node)
    if "title" not in seen:
        p.error(line, "'title' is required")
    if "date" not in seen:
        p.error(line, "'date' is required (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)")
    if "source" not in seen:
        if config.default_source:
            out["source"] = source_for(config.default_source, registry, config)
        else:
            p.error(line, "'source' is required (or set defaults.source in digest.yaml)")
    if "source" in out and registry.exists and not out["source"].registered:
        name = out["source"].name
        where = out.pop("_source_line", line)
        near = yn.closest(name, registry.names())
        hint = f" (did you mean '{near}'?)" if near else ""
        fix = f"did you mean '{near}'? Else add it to sources.yaml" if near else "add it to sources.yaml"
        p.warning(
            where,
            f"source '{name}' is not in sources.yaml{hint}",
            kind=f"unknown-source:{name}",
            group=f"source '{name}' is not in sources.yaml",
            fix=fix,
        )
    out.pop("_source_line", None)
    out["extra"] = extra
    return out


def _extra(node: Node, p: Problems, extra: dict[str, Any], own: set[str]) -> None:
    """`extra:` a mapping of anything YAML, for templates (`article.extra`); no warning, since
    keeping keys digest does not read is what it is for. Merged with the unknown keys."""
    if yn.is_null(node):
        return
    if not isinstance(node, MappingNode):
        p.error(p.at(node), f"'extra' must be a mapping such as {{series: go, weight: 3}}, not {_kind(node)}")
        return
    for key, key_node in yn.duplicate_keys(node):
        p.error(p.at(key_node), f"'extra.{key}' is given twice")
    if own:
        return  # `extra` given twice: reported as such
    for key, key_node, value in yn.mapping_items(node):
        if key in own:
            continue  # given twice in `extra` itself: reported above
        own.add(key)
        if key in extra:
            p.error(p.at(key_node), f"'{key}' is given both under 'extra' and as a key of its own; keep one")
        try:
            extra[key] = yn.to_python(value)
        except yn.YamlProblem as exc:
            p.error(p.at(value), exc.message)


def _aliases(node: Node, p: Problems, config: SiteConfig, out: dict[str, Any]) -> None:
    """`aliases:` old paths of the article, each served by a redirect page to it: site-relative
    (under the base path, as Hugo's are under baseURL), normalised by core.urls.alias_path."""
    items = [node] if isinstance(node, ScalarNode) and not yn.is_null(node) else None
    if isinstance(node, SequenceNode):
        items = list(node.value)
    if items is None:
        p.error(p.at(node), "'aliases' must be a list of paths such as [/2019/05/old-post/, /old.html]")
        return
    urls: dict[str, int] = {}
    for item in items:
        text = yn.scalar_text(item) if isinstance(item, ScalarNode) else None
        if text is None:
            p.error(p.at(item), "each entry of 'aliases' must be a path such as /2019/05/old-post/")
            continue
        try:
            url = under(config.root_path, alias_path(text))
        except AliasProblem as exc:
            p.error(p.at(item), str(exc))
            continue
        urls.setdefault(url, p.at(item))
    out["aliases"] = tuple(urls)
    out["_alias_lines"] = tuple(urls.values())


IGNORE_FIX = "list it under front_matter.ignore in digest.yaml"


def _unknown_key(key: str, line: int, p: Problems) -> None:
    """A warning of kind `unknown-key:KEY`: the build drops those of keys the site lists under
    front_matter.ignore, and prints the rest as one line when many files share the key."""
    if key in SYNONYMS:
        hint, fix = f" (did you mean '{SYNONYMS[key]}'?)", f"use {SYNONYMS[key]}:, or {IGNORE_FIX}"
    else:
        near = yn.closest(key, KNOWN_KEYS)
        hint = f" (did you mean '{near}'?)" if near else ""
        fix = f"did you mean '{near}'? Else {IGNORE_FIX}" if near else f"{IGNORE_FIX} to keep it"
    p.warning(
        line,
        f"unknown key '{key}'{hint}; it reaches templates as article.extra ({IGNORE_FIX} to keep it quietly)",
        kind=f"unknown-key:{key}",
        group=f"unknown key '{key}'",
        fix=fix,
    )


def _read_known(
    key: str, value: Node, p: Problems, config: SiteConfig, registry: Registry, out: dict[str, Any]
) -> None:
    line = p.at(value)
    if key in ("title", "via", "story", "summary", "translation_key"):
        text = _text(value, key, p)
        if text is None:
            return
        if key == "title" and not text:
            p.error(line, "'title' must not be empty")
            return
        if key == "story" and text:
            text = slugify(text)
        out["summary_text" if key == "summary" else key] = text
    elif key in ("date", "updated"):
        text = _text(value, key, p)
        if text is None:
            return
        try:
            out[key] = parse_datetime(text, config.zone).astimezone(config.zone)
        except DateProblem as exc:
            p.error(line, f"'{key}': {exc}")
    elif key == "source":
        text = _text(value, key, p)
        if text:
            out["source"] = source_for(text, registry, config)
            out["_source_line"] = line
        elif text == "":
            p.error(line, "'source' must not be empty")
    elif key == "source_url":
        url = _url(value, key, p)
        if url:
            out[key] = url
            out["_source_url_line"] = line
    elif key == "image":
        text = _text(value, key, p)
        if text:
            out[key] = _image_url(text, config, p, line)
    elif key in ("author", "tags"):
        items = _strings(value, key, p)
        if items is None:
            return
        if key == "author":
            out["authors"] = items
        else:
            tags: dict[str, Tag] = {}
            for name in items:
                tag = tag_for(name, config)
                tags.setdefault(tag.slug, tag)
            out["tags"] = tuple(tags.values())
    elif key == "aliases":
        _aliases(value, p, config, out)
    elif key == "slug":
        text = _text(value, key, p)
        if text is not None and _PATH_LIKE.search(text):
            p.error(
                line,
                f"'slug' '{_shown(text)}' looks like a file path; write one URL segment such as "
                "my-story (no '..', leading '/', '\\', %-escapes or control characters)",
            )
        elif text is not None:
            slug = slugify(text.replace("/", "-").replace(".", "-"))
            if slug.startswith("x-") or not text.strip():
                p.error(line, f"'slug' '{text}' has no letters or digits to make a URL from")
            else:
                out["slug"] = slug
    elif key == "draft":
        flag = yn.as_bool(value)
        if flag is None:
            written = yn.scalar_text(value)
            shown = f"'{written}'" if written is not None else _kind(value)
            p.error(line, f"'draft' must be true or false, not {shown}")
        else:
            out["draft"] = flag
    elif key == "lang":
        text = _text(value, key, p)
        lang = normalize_lang(text) if text else None
        if text and lang is None:
            near = nearest_lang(text)
            hint = f" (did you mean '{near}'?)" if near else ""
            shown = _shown(text)
            p.error(line, f"'lang' must be a language tag such as en, ru or zh-CN, not '{shown}'{hint}")
        elif lang:
            out["lang"] = lang


def _kind(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    return "empty" if yn.is_null(node) else f"'{node.value}'"


def _shown(text: str) -> str:
    """Text for a message: control characters as escapes, so the message stays one clean line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _image_url(text: str, config: SiteConfig, p: Problems, line: int) -> str:
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return text
    if parts.scheme or text.startswith("//"):
        p.error(line, f"'image' must be an http(s) URL or a path on this site, not '{text}'")
        return ""
    return absolute(config.root_url, under(config.root_path, text))
