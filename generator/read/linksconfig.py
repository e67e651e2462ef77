"""digest.yaml's `links:` section: `root`, the origin that root-relative links in articles go to
when they name nothing of this site (a blog that lived under a bigger site links /doc/...)."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.diagnostics import Diagnostics
from ..core.urls import parse_url


def normalize_root(text: str) -> str | None:
    """links.root: an http(s) origin (a path of '/' at most), without its trailing '/'."""
    if re.search(r"[\s\x00-\x1f\x7f\"<>\\`]", text.strip()):
        return None
    parts = parse_url(text.strip())  # None for text urlsplit cannot take ('http://[::1')
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if parts.query or parts.fragment:
        return None
    if parts.path not in ("", "/") or "@" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def check_root(text: str, path: Path, line: int, diags: Diagnostics) -> bool:
    if normalize_root(text) is None:
        diags.error(
            path,
            line,
            f"'links.root' must be an http(s) origin such as https://example.org (no path), not '{text}'",
        )
        return False
    return True
