"""digest.yaml's URL settings: `base_url` and `permalinks.article`."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

PERMALINK_TOKENS = ("year", "month", "day", "slug", "source", "lang")


def normalize_base_url(text: str) -> str | None:
    """An absolute http(s) URL ending in '/', or None if it is not one."""
    if re.search(r"[\s\x00-\x1f\x7f\"<>\\`]", text.strip()):
        return None  # nothing a URL may not hold raw: it goes into every page and feed
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return None
    path = parts.path or "/"
    if not path.endswith("/"):
        path += "/"
    if "/../" in path or "/./" in path:
        return None
    return f"{parts.scheme}://{parts.netloc}{path}"


def check_permalink(pattern: str) -> str | None:
    """An error message, or None when the pattern is usable."""
    if not pattern.startswith("/") or not pattern.endswith("/"):
        return "must start and end with '/'"
    if any(ord(c) < 32 or ord(c) == 127 for c in pattern):
        return "must not contain control characters"
    tokens = re.findall(r"\{([^{}]*)\}", pattern)
    unknown = [t for t in tokens if t not in PERMALINK_TOKENS]
    if unknown:
        allowed = " ".join("{" + t + "}" for t in PERMALINK_TOKENS)
        return f"unknown token {{{unknown[0]}}}; use {allowed}"
    if "slug" not in tokens:
        return "must contain {slug}, so that two articles cannot share a URL by construction"
    rest = re.sub(r"\{[^{}]*\}", "x", pattern)
    if "{" in rest or "}" in rest:
        return "has an unbalanced '{' or '}'"
    if re.search(r"[\s?#\"<>|^`]", rest):
        return 'must not contain spaces or any of ? # " < > | ^ `'
    if any(part in (".", "..") for part in rest.split("/")) or "\\" in rest or "%" in rest:
        return "must not contain '.', '..', '%' or '\\' segments"
    return None
