"""digest.yaml: every key validated, every problem reported at once with its line. Sections
with rules of their own are checked beside it: markdown: and highlight: in dialect.py,
front_matter: in frontmatterkeys.py, publish: in publishtargets.py,
import: in importconfig.py, links: in linksconfig.py, languages: in languages.py, feeds: in feedsconfig.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from yaml.nodes import MappingNode, Node

from ..core import yamlnodes as yn
from ..core.diagnostics import ConfigError, Diagnostics
from ..core.langtags import nearest_lang, normalize_lang
from .dialect import DARK_STYLE, LIGHT_STYLE, MarkdownOptions, check_highlight, check_markdown
from .feedsconfig import FeedSettings, check_feeds
from .frontmatterkeys import check_front_matter
from .importconfig import check_import
from .languages import LanguageSettings, check_languages, language_settings
from .linksconfig import check_root, normalize_root
from .pagefind import missing_pagefind, pagefind_installed
from .publishtargets import check_publish
from .urlsettings import PERMALINK_TOKENS as PERMALINK_TOKENS
from .urlsettings import check_permalink as check_permalink
from .urlsettings import normalize_base_url as normalize_base_url

CONFIG_NAME = "digest.yaml"
EDITION_KINDS = ("daily", "weekly", "none")
_THEME = re.compile(r"[A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class SiteConfig:
    """The site's settings, from digest.yaml and the command line."""

    root: Path
    title: str
    base_url: str
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    theme: str = "default"
    per_page: int = 20
    feed_items: int = 20
    author: str = ""
    article_permalink: str = "/{year}/{month}/{day}/{slug}/"
    default_source: str = ""
    sanitize_html: bool = True
    nofollow_links: bool = False  # rel="nofollow ugc" on outbound links in article bodies
    editions: str = "daily"  # daily | weekly | none
    editions_start: date | None = None  # the first edition's day: numbers count from it
    search: bool = False  # a /search/ page and a Pagefind index
    feeds: FeedSettings = field(default_factory=FeedSettings)  # feeds: {lists, formats}
    strip_tracking: bool = True  # remove utm_* and friends from outbound links
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)  # markdown: and highlight:
    highlight_style: str = LIGHT_STYLE  # Pygments styles for code: light, and dark schemes
    highlight_dark_style: str = DARK_STYLE
    # front-matter keys the site knowingly keeps (Jekyll's layout, Hugo's categories): no
    # unknown-key warning; they still reach templates as article.extra
    front_matter_ignore: tuple[str, ...] = ()
    publish: dict[str, dict[str, Any]] = field(default_factory=dict)
    # import: {drop_lines: [...]}: lines `digest import` drops as page clutter, beside its own
    import_drop_lines: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    # links.root: the origin root-relative links in articles that are not this site's go to
    # ("https://example.org", no trailing '/'); "" leaves them under the base path
    links_root: str = ""
    # languages: (a multilingual site) the default language first; () for a one-language site
    languages: tuple[LanguageSettings, ...] = ()
    # the base URL of the whole site, when this is one language's config (for_language)
    site_base_url: str = ""

    @property
    def multilingual(self) -> bool:
        return bool(self.languages)

    def language_of(self, code: str) -> LanguageSettings | None:
        return next((lang for lang in self.languages if lang.code == code), None)

    def for_language(self, code: str) -> SiteConfig:
        """What one language's pages are made with: its title, description and base URL."""
        lang = self.language_of(code)
        if lang is None:
            return self
        root = self.site_base_url or self.base_url
        return replace(
            self,
            language=code,
            title=lang.title or self.title,
            description=lang.description or self.description,
            base_url=root + lang.prefix,
            site_base_url=root,
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    @property
    def root_url(self) -> str:  # the whole site's base URL, whichever language this config is of
        return self.site_base_url or self.base_url

    @property
    def root_path(self) -> str:  # what static files, aliases and links in bodies are under
        return urlsplit(self.root_url).path or "/"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=base_url)


def load_config(root: Path, base_url_override: str | None = None) -> SiteConfig:
    path = root / CONFIG_NAME
    diags = Diagnostics(root=root)
    if not path.is_file():
        diags.error(path, 0, f"no {CONFIG_NAME} here; run 'digest init' or pass -s/--site DIR")
        raise ConfigError(diags.items)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        diags.error(path, 0, f"cannot read it: {exc}")
        raise ConfigError(diags.items) from None
    try:
        node = yn.compose(text)
        if node is not None:
            yn.count_nodes(node)
    except yn.YamlProblem as exc:
        diags.error(path, exc.line, exc.message)
        raise ConfigError(diags.items) from None
    config = _validate(root, path, node, diags)
    if base_url_override is not None:
        normalized = normalize_base_url(base_url_override)
        if normalized is None:
            diags.error("--base-url", 0, f"'{base_url_override}' is not an absolute http(s) URL")
        elif config is not None:
            config = config.with_base_url(normalized)
    if diags.errors or config is None:
        raise ConfigError(diags.sorted())
    return config


_KEYS = (
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "theme",
    "per_page",
    "feed_items",
    "author",
    "permalinks",
    "defaults",
    "sanitize_html",
    "nofollow_links",
    "editions",
    "editions_start",
    "search",
    "strip_tracking",
    "markdown",
    "highlight",
    "front_matter",
    "publish",
    "import",
    "extra",
    "links",
    "languages",
    "prefix_default_language",
    "feeds",
)


def _validate(root: Path, path: Path, node: Node | None, diags: Diagnostics) -> SiteConfig | None:
    if not isinstance(node, MappingNode):
        line = yn.line_of(node) if node is not None else 1
        diags.error(path, line, "must be a mapping of keys (title: ..., base_url: ...)")
        return None
    for key, key_node in yn.duplicate_keys(node):
        diags.error(path, yn.line_of(key_node), f"'{key}' is given twice")
    values: dict[str, Any] = {}
    seen: dict[str, Node] = {}
    for key, key_node, value in yn.mapping_items(node):
        seen[key] = value
        line = yn.line_of(value)
        if key not in _KEYS:
            diags.error(path, yn.line_of(key_node), f"unknown key '{key}'{yn.suggest(key, _KEYS)}")
            continue
        checked = _check_key(key, value, path, line, diags)
        if checked is not None:
            values[key] = checked
    for required in ("title", "base_url"):
        if required not in seen:
            diags.error(path, 1, f"'{required}' is required")
    if "title" not in values or "base_url" not in values:
        return None
    front_matter = values.pop("front_matter", {})
    if front_matter:
        values["front_matter_ignore"] = front_matter.get("ignore", ())
    if "import" in values:
        values["import_drop_lines"] = values.pop("import")
    permalinks = values.pop("permalinks", {})
    defaults = values.pop("defaults", {})
    if permalinks:
        values["article_permalink"] = permalinks["article"]
    if defaults:
        values["default_source"] = defaults.get("source", "")
    dialect = values.pop("markdown", {})
    highlight = values.pop("highlight", {})
    if "highlight" in highlight:
        dialect["highlight"] = highlight["highlight"]
    if "line_numbers" in highlight:
        dialect["line_numbers"] = highlight["line_numbers"]
    values["markdown"] = MarkdownOptions(**dialect)
    if "style" in highlight:
        values["highlight_style"] = highlight["style"]
    if "dark_style" in highlight:
        values["highlight_dark_style"] = highlight["dark_style"]
    links = values.pop("links", {})
    if links.get("root"):
        values["links_root"] = links["root"]
    prefix_default = values.pop("prefix_default_language", False)
    languages = values.pop("languages", None)
    if languages:
        default = values.get("language") or next(iter(languages))
        if default not in languages:
            listed = ", ".join(languages)
            line = yn.line_of(seen["language"]) if "language" in seen else 1
            diags.error(path, line, f"'language: {default}' must be one of 'languages' ({listed})")
            return None
        values["language"] = default
        values["languages"] = language_settings(languages, default, prefix_default)
    return SiteConfig(root=root, **values)


def _str(value: Node, path: Path, line: int, key: str, diags: Diagnostics) -> str | None:
    text = yn.scalar_text(value)
    if text is None:
        diags.error(path, line, f"'{key}' must be a string")
    return text


def _check_key(key: str, value: Node, path: Path, line: int, diags: Diagnostics) -> Any:
    if key in ("title", "description", "author"):
        text = _str(value, path, line, key, diags)
        if key == "title" and text is not None and not text.strip():
            diags.error(path, line, "'title' must not be empty")
            return None
        return text
    if key == "base_url":
        text = _str(value, path, line, key, diags)
        if text is None:
            return None
        normalized = normalize_base_url(text)
        if normalized is None:
            diags.error(
                path,
                line,
                f"'base_url' must be an absolute http(s) URL such as https://example.org/news/, not '{text}'",
            )
        return normalized
    if key == "language":
        text = _str(value, path, line, key, diags)
        if text is None:
            return None
        tag = normalize_lang(text)
        if tag is None:
            near = nearest_lang(text)
            hint = f" (did you mean '{near}'?)" if near else ""
            example = "such as en, pt-BR or zh-CN"
            diags.error(path, line, f"'language' must be a language tag {example}, not '{text}'{hint}")
        return tag
    if key == "timezone":
        text = _str(value, path, line, key, diags)
        if text is None:
            return None
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            diags.error(path, line, f"'timezone' must be an IANA name such as Europe/Moscow, not '{text}'")
            return None
        return text
    if key == "theme":
        text = _str(value, path, line, key, diags)
        if text is not None and not _THEME.fullmatch(text):
            diags.error(path, line, f"'theme' must be a folder name under themes/, not '{text}'")
            return None
        return text
    if key in ("per_page", "feed_items"):
        number = yn.as_int(value)
        if number is None or number < 1 or number > 10_000:
            diags.error(path, line, f"'{key}' must be a whole number from 1 to 10000")
            return None
        return number
    if key == "languages":
        return check_languages(value, path, line, diags)
    if key in ("sanitize_html", "strip_tracking", "prefix_default_language", "nofollow_links"):
        flag = yn.as_bool(value)
        if flag is None:
            diags.error(path, line, f"'{key}' must be true or false")
        return flag
    if key == "search":
        flag = yn.as_bool(value)
        if flag is None:
            diags.error(path, line, "'search' must be true or false")
            return None
        if flag and not pagefind_installed():
            diags.error(path, line, missing_pagefind())
            return None
        return flag
    if key == "editions":
        text = _str(value, path, line, key, diags)
        if text is not None and text not in EDITION_KINDS:
            diags.error(path, line, f"'editions' must be daily, weekly or none, not '{text}'")
            return None
        return text
    if key == "editions_start":
        text = _str(value, path, line, key, diags)
        if text is None:
            return None
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            diags.error(path, line, f"'editions_start' must be a date (YYYY-MM-DD), not '{text}'")
            return None
    if key == "feeds":
        return check_feeds(value, path, line, diags)
    if key == "permalinks":
        return _check_submapping(value, path, line, key, {"article"}, diags, _check_pattern)
    if key == "links":
        checked = _check_submapping(value, path, line, key, {"root"}, diags, check_root)
        if checked and "root" in checked:
            checked["root"] = normalize_root(checked["root"]) or ""
        return checked
    if key == "defaults":
        return _check_submapping(value, path, line, key, {"source"}, diags, None)
    if key == "markdown":
        return check_markdown(value, path, line, diags)
    if key == "highlight":
        return check_highlight(value, path, line, diags)
    if key == "publish":
        return check_publish(value, path, line, diags)
    if key == "front_matter":
        return check_front_matter(value, path, line, diags)
    if key == "import":
        return check_import(value, path, line, diags)
    if key == "extra":
        if not isinstance(value, MappingNode):
            diags.error(path, line, "'extra' must be a mapping")
            return None
        return yn.to_python(value)
    return None  # pragma: no cover - _KEYS and this function list the same keys


def _check_pattern(pattern: str, path: Path, line: int, diags: Diagnostics) -> bool:
    problem = check_permalink(pattern)
    if problem:
        shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in pattern)
        diags.error(path, line, f"permalink '{shown}' {problem}")
        return False
    return True


def _check_submapping(
    value: Node, path: Path, line: int, key: str, allowed: set[str], diags: Diagnostics, check: Any
) -> dict[str, str] | None:
    if not isinstance(value, MappingNode):
        diags.error(path, line, f"'{key}' must be a mapping")
        return None
    out: dict[str, str] = {}
    for sub, sub_key, sub_value in yn.mapping_items(value):
        sub_line = yn.line_of(sub_value)
        if sub not in allowed:
            hint = yn.suggest(sub, sorted(allowed))
            diags.error(path, yn.line_of(sub_key), f"unknown key '{key}.{sub}'{hint}")
            continue
        text = yn.scalar_text(sub_value)
        if text is None:
            diags.error(path, sub_line, f"'{key}.{sub}' must be a string")
            continue
        if check is not None and not check(text, path, sub_line, diags):
            continue
        out[sub] = text
    return out
