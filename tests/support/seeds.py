"""The two raw pages the product is specified on (../shared/seeds beside the repository: text
copied from The Moscow Times and from a Zimbabwe News republication of a Mirror article).

They are news articles without a licence, so they are read where they lie and never committed;
DIGEST_SEEDS names another folder. A test that needs them is skipped, saying why, when they are
absent (a clone outside this workspace)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = Path(os.environ.get("DIGEST_SEEDS", REPO.parent / "shared" / "seeds"))
MOSCOW_TIMES = "000_0586ca1fbfea834e.txt"
ZIMBABWE_NEWS = "002_07269a03743ac385.txt"


def seed(name: str) -> Path:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"the seed {name} is not in {SEEDS} (set DIGEST_SEEDS to its folder)")
    return path


def example_site(tmp_path: Path) -> Path:
    """A copy of the example site (the repository root's digest.yaml, sources.yaml, stories.yaml
    and content/), to import into."""
    from conftest import copy_site

    site = tmp_path / "example"
    copy_site(REPO / "content", site / "content")
    for name in ("digest.yaml", "sources.yaml", "stories.yaml"):
        shutil.copy(REPO / name, site / name)
    return site
