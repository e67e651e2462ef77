"""links.root in digest.yaml: an http(s) origin, or a located error, never a crash."""

from __future__ import annotations

import pytest

from generator.read.linksconfig import normalize_root


@pytest.mark.parametrize(("text", "root"), [
    ("https://go.dev", "https://go.dev"),
    ("https://go.dev/", "https://go.dev"),
    ("https://go.dev/doc/", None),
    ("http://[::1", None),  # urlsplit raises on it
    ("https://example.org:99999", None),  # .port raises on it
    ("ftp://example.org", None),
    ("https://user@example.org", None),
])
def test_normalize_root(text: str, root: str | None) -> None:
    assert normalize_root(text) == root
