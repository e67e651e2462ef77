"""Invalid sites: each folder under fixtures/invalid holds a site and its exact expected
messages (expected.txt: `exit: N`, then the diagnostics in order)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, copy_site, run_digest

CASES = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


def _expected(case: Path) -> tuple[int, list[str]]:
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    code = int(lines[0].removeprefix("exit: "))
    return code, [line for line in lines[1:] if line]


def _diagnostic_lines(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line and not line.startswith(("digest: build failed", "digest: check", "note: "))
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_site_reports_exact_messages(case: Path, tmp_path: Path) -> None:
    site = copy_site(case, tmp_path / "site-src")
    args = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else []
    out = tmp_path / "out"
    result = run_digest("build", "-s", site, "-o", out, *args)
    code, expected = _expected(case)
    assert _diagnostic_lines(result.err) == expected
    assert result.code == code
    assert "Traceback" not in result.err
    assert not out.exists(), "a failed build must write nothing"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_reports_the_same_problems(case: Path, tmp_path: Path) -> None:
    site = copy_site(case, tmp_path / "site-src")
    args = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else []
    result = run_digest("check", "-s", site, *args)
    code, expected = _expected(case)
    assert _diagnostic_lines(result.err) == expected
    assert result.code == code
    assert not (site / "site").exists()


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "site-src")
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    (site / "content" / "world" / "guardsmen.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 1
    assert "content/world/guardsmen.md:2: error: invalid YAML" in result.err
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".out.*")), "staging folders must be cleaned up"
