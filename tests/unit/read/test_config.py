"""digest.yaml's values checked on their own: permalink patterns and the base URL."""

from __future__ import annotations

from generator.read.config import check_permalink, normalize_base_url


def test_permalink_validation() -> None:
    assert check_permalink("/{year}/{month}/{day}/{slug}/") is None
    assert check_permalink("/{lang}/{source}/{slug}/") is None
    assert "unknown token {week}" in (check_permalink("/{week}/{slug}/") or "")
    assert "must contain {slug}" in (check_permalink("/{year}/") or "")
    assert "'..'" in (check_permalink("/../{slug}/") or "")


def test_base_url_normalisation() -> None:
    assert normalize_base_url("https://example.org/news") == "https://example.org/news/"
    assert normalize_base_url("example.org") is None
    assert normalize_base_url("ftp://example.org/") is None
