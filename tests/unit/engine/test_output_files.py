"""engine/outputs.py _output_files: under serve, each URL's output file as the last plan had it,
for the same base path only (the file of a URL is its path under the base path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.engine.outputs import _output_files
from generator.engine.warm import WarmState
from generator.plan.inputs import PagePlan
from generator.read.config import SiteConfig


def _page(url: str) -> dict[str, Any]:
    return {"url": url}


def _config(base_url: str) -> SiteConfig:
    return SiteConfig(root=Path("/nonexistent"), title="T", base_url=base_url)


def test_output_files_are_kept_per_base_path() -> None:
    plans = [PagePlan.of(url, "page.html", _page, url) for url in ("/x/a/", "/x/b/page/2/")]
    warm = WarmState()
    under_x, _, _ = _output_files(plans, [], _config("https://example.org/x/"), warm)
    assert [pairs[0][1] for pairs in under_x.values()] == ["a/index.html", "b/page/2/index.html"]
    again, _, _ = _output_files(plans, [], _config("https://example.org/x/"), warm)
    assert again == under_x
    at_root, files, count = _output_files(plans, [], _config("https://example.org/"), warm)
    assert [pairs[0][1] for pairs in at_root.values()] == ["x/a/index.html", "x/b/page/2/index.html"]
    assert files == frozenset({"x/a/index.html", "x/b/page/2/index.html"}) and count == 2
    assert _output_files(plans, [], _config("https://example.org/x/"), None)[0] == under_x
