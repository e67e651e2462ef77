"""Golden output of the fixture site.

Regenerate after an intended change with `python tests/golden/regenerate.py` and review the diff
(`git diff tests/fixtures/golden-expected`): the diff is the review.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for conftest

from conftest import FIXTURES, GOLDEN_SITE, files_under, run_digest

EXPECTED = FIXTURES / "golden-expected"
# the theme's static files change with every design tweak; pages reference them by hash anyway
SKIP_PREFIXES = ("static/", ".digest-output")


def comparable(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in files_under(root).items() if not k.startswith(SKIP_PREFIXES)}


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        result = run_digest("build", "-s", GOLDEN_SITE, "-o", out)
        if result.code != 0:
            raise SystemExit(result.err)
        if EXPECTED.exists():
            shutil.rmtree(EXPECTED)
        for rel, data in comparable(out).items():
            target = EXPECTED / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    print(f"wrote {EXPECTED}")


if __name__ == "__main__":
    regenerate()
