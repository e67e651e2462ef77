"""A build of 1,000 generated articles (realistic bodies, ~40 sources, ~300 tags, three
years) completes cleanly, and a second one does nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_digest


def test_thousand_generated_articles_build(tmp_path: Path) -> None:
    site = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), "1000", str(site)], check=True,
                   capture_output=True)
    first = run_digest("build", "-s", site)
    assert first.code == 0, first.err[-2000:]
    assert first.report["articles"] == 1000 and "0 errors, 0 warnings" in first.out
    pages = list((site / "site").rglob("index.html"))
    assert len(pages) > 2000
    second = run_digest("build", "-s", site)
    assert second.report["parsed"] == 0 and second.report["articles"] == 1000, second.report
    assert second.report["written"] == 0, second.report
