"""nh3 with digest's allow-list: its defaults minus what HTML made obsolete, plus what bodies
need (heading anchors, footnotes, GitHub's alerts, video and audio), no script or style."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nh3

# nh3's defaults minus what the HTML standard made obsolete (vnu rejects those)
_OBSOLETE_TAGS = {"acronym", "center", "strike", "tt"}
_OBSOLETE_ATTRS = {"align", "char", "charoff", "summary", "size", "width", "height"}
# GitHub's alerts (> [!NOTE]): comrak writes them as divs whose classes must survive nh3
ALERT_KINDS = ("note", "tip", "important", "warning", "caution")


@lru_cache(maxsize=1)
def _cleaner_args() -> dict[str, object]:
    import nh3

    tags = (set(nh3.ALLOWED_TAGS) - _OBSOLETE_TAGS) | {"section"}
    attributes = {tag: set(attrs) - _OBSOLETE_ATTRS for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes.setdefault("img", set()).update({"width", "height", "loading", "decoding"})
    attributes["a"] = {"href", "hreflang", "title", "id", "aria-label"}
    attributes["th"] = attributes.get("th", set()) | {"style"}
    attributes["td"] = attributes.get("td", set()) | {"style"}
    for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li"):
        attributes.setdefault(tag, set()).add("id")  # heading anchors, footnotes
    # video and audio that release notes and blogs embed: no script can ride on them
    tags |= {"video", "audio", "source", "track"}
    media = {"src", "controls", "preload", "loop", "muted"}
    attributes["video"] = media | {"poster", "width", "height", "playsinline"}
    attributes["audio"] = media
    attributes["source"] = {"src", "type", "media"}
    attributes["track"] = {"src", "kind", "srclang", "label", "default"}
    return {
        "tags": tags,
        "attributes": attributes,
        "allowed_classes": {
            "div": {"markdown-alert", *(f"markdown-alert-{kind}" for kind in ALERT_KINDS)},
            "p": {"markdown-alert-title"},
            "section": {"footnotes"},
            "sup": {"footnote-ref"},
            "a": {"footnote-backref"},
        },
        "url_schemes": {"http", "https", "mailto", "ftp", "sftp", "rsync", "tel"},
        "link_rel": "noopener noreferrer",
        "clean_content_tags": {"script", "style"},
        "filter_style_properties": {"text-align"},
    }


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """One nh3 Cleaner per process: `nh3.clean(html, **args)` builds its allow-list again on
    every call, which costs as much as cleaning a summary."""
    import nh3

    return nh3.Cleaner(**_cleaner_args())  # type: ignore[arg-type]


def sanitize(html: str) -> str:
    cleaned = str(_cleaner().clean(html))
    # a link whose unsafe href was removed keeps nh3's rel, which HTML forbids without href
    return cleaned.replace('<a rel="noopener noreferrer">', "<a>")
