"""The fixture site's whole output against the reviewed golden copy, and determinism."""

from __future__ import annotations

import difflib
from pathlib import Path

from conftest import GOLDEN_SITE, files_under, run_digest
from golden.regenerate import EXPECTED, comparable


def test_output_matches_golden(golden_build: Path) -> None:
    actual = comparable(golden_build)
    expected = comparable(EXPECTED)
    assert sorted(actual) == sorted(expected), "set of output files changed; run python tests/golden/regenerate.py"
    for rel in sorted(expected):
        if actual[rel] != expected[rel]:
            diff = "\n".join(
                difflib.unified_diff(
                    expected[rel].decode().splitlines(),
                    actual[rel].decode().splitlines(),
                    f"expected/{rel}",
                    f"actual/{rel}",
                    lineterm="",
                    n=2,
                )
            )
            raise AssertionError(f"{rel} differs (run python tests/golden/regenerate.py to accept):\n{diff[:4000]}")


def test_two_builds_are_byte_identical(golden_build: Path, tmp_path: Path) -> None:
    second = tmp_path / "again"
    result = run_digest("build", "-s", GOLDEN_SITE, "-o", second, "--clean")
    assert result.code == 0, result.err
    assert files_under(second) == files_under(golden_build)
