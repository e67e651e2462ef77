"""digest.yaml's `feeds:` section: what the tag and source feeds carry (`lists`) and which feed
formats are written and linked (`formats`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, SequenceNode

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics

# format -> (its file beside the page it mirrors, media type, name shown to readers); the
# order is the order they are written and linked in, whatever order digest.yaml lists them in
FORMATS: dict[str, tuple[str, str, str]] = {
    "atom": ("feed.xml", "application/atom+xml", "Atom"),
    "rss": ("rss.xml", "application/rss+xml", "RSS"),
    "json": ("feed.json", "application/feed+json", "JSON Feed"),
}
LISTS = ("summary", "full", "none")


@dataclass(frozen=True)
class FeedSettings:
    """The `feeds:` settings."""

    # what each tag's and source's feed carries: each item's summary, its full text, or no
    # such feeds at all (the site's feed and the editions feed always carry the full text)
    lists: str = "summary"
    formats: tuple[str, ...] = tuple(FORMATS)

    @property
    def files(self) -> tuple[str, ...]:
        """The feed files written beside a page: feed.xml, rss.xml, feed.json."""
        return tuple(FORMATS[f][0] for f in self.formats)

    @property
    def types(self) -> tuple[tuple[str, str, str], ...]:
        """(file, media type, name) of each format written."""
        return tuple(FORMATS[f] for f in self.formats)

    @property
    def term_feeds(self) -> bool:
        return self.lists != "none"

    @property
    def first(self) -> str:
        """The file a single feed link points at (a tag's "Subscribe", the editions feed):
        Atom when it is written, else the first format written."""
        return self.files[0]

    @property
    def opml_file(self) -> str:
        """What sources.opml points outlines at: RSS, which every reader takes, when written."""
        return "rss.xml" if "rss" in self.formats else self.first


def check_feeds(value: Node, path: Path, line: int, diags: Diagnostics) -> FeedSettings | None:
    """feeds: {lists: summary|full|none, formats: [atom, rss, json]}"""
    if not isinstance(value, MappingNode):
        example = "{lists: summary, formats: [atom, rss, json]}"
        diags.error(path, line, f"'feeds' must be a mapping such as {example}")
        return None
    lists, formats, ok = "summary", tuple(FORMATS), True
    for sub, sub_key, sub_value in yn.mapping_items(value):
        sub_line = yn.line_of(sub_value)
        if sub == "lists":
            text = yn.scalar_text(sub_value)
            if text not in LISTS:
                shown = f", not '{text}'" if text is not None else ""
                diags.error(path, sub_line, f"'feeds.lists' must be summary, full or none{shown}")
                ok = False
                continue
            lists = text
        elif sub == "formats":
            checked = _check_formats(sub_value, path, sub_line, diags)
            if checked is None:
                ok = False
                continue
            formats = checked
        else:
            hint = yn.suggest(sub, ["lists", "formats"])
            diags.error(path, yn.line_of(sub_key), f"unknown key 'feeds.{sub}'{hint}")
            ok = False
    return FeedSettings(lists, formats) if ok else None


def _check_formats(value: Node, path: Path, line: int, diags: Diagnostics) -> tuple[str, ...] | None:
    names = ", ".join(FORMATS)
    if not isinstance(value, SequenceNode):
        diags.error(path, line, f"'feeds.formats' must be a list of feed formats, such as [{names}]")
        return None
    if not value.value:
        diags.error(path, line, f"'feeds.formats' must name at least one feed format ({names})")
        return None
    chosen: set[str] = set()
    ok = True
    for item in value.value:
        text = yn.scalar_text(item)
        if text not in FORMATS:
            hint = yn.suggest(text, list(FORMATS)) if text else ""
            shown = f"'{text}'" if text is not None else "this"
            diags.error(path, yn.line_of(item), f"{shown} is not a feed format: one of {names}{hint}")
            ok = False
        elif text in chosen:
            diags.error(path, yn.line_of(item), f"feed format '{text}' is listed twice")
            ok = False
        else:
            chosen.add(text)
    return tuple(f for f in FORMATS if f in chosen) if ok else None
