"""Shared fixtures: the real `digest` CLI, run as a subprocess on real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN_SITE = FIXTURES / "golden"
# a fixed clock so that "future" and `new` are reproducible
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


@pytest.fixture(scope="session", autouse=True)
def _no_stale_caches() -> None:
    """Tests that build a fixture site (or the example site) in place leave its cache folder
    beside it. One written by another version of digest makes the next run's first build of
    that site warn ("cache discarded and rebuilt"), which tests that expect no warnings take
    for a failure: each session starts without them, as a fresh clone does."""
    for cache in [REPO / ".digest-cache", *FIXTURES.glob("*/.digest-cache")]:
        shutil.rmtree(cache, ignore_errors=True)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    # what each build the command ran reported through DIGEST_TEST_REPORT (generator/engine/testhooks.py):
    # {"command", "ok", "articles", "parsed", "rendered": {"page", "feed"}, "written",
    # "unchanged", "removed", "fingerprinted", "drafts_left_out"}
    reports: tuple[dict[str, Any], ...] = ()

    @property
    def report(self) -> dict[str, Any]:
        """The last build's counts (tests read these, not the wording of `-v`)."""
        assert self.reports, f"the command ran no build that reported; stderr: {self.err}"
        return self.reports[-1]


def digest_command() -> list[str]:
    exe = Path(sys.executable).parent / "digest"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "generator"]


def run_digest(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    # DIGEST_VERIFY_SCOPES: every page's key (made of its plan's inputs) is checked against the
    # fingerprint of its whole context, and a different decision fails the build
    # (tests/engine/test_engine.py)
    with tempfile.TemporaryDirectory(prefix="digest-report-") as tmp:
        report = Path(tmp) / "report.jsonl"
        full_env = {
            **os.environ,
            "SOURCE_DATE_EPOCH": EPOCH,
            "CI": "true",
            "DIGEST_VERIFY_SCOPES": "1",
            "DIGEST_TEST_REPORT": str(report),
            **(env or {}),
        }
        proc = subprocess.run(
            [*digest_command(), *map(str, args)],
            cwd=cwd,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        lines = report.read_text(encoding="utf-8").splitlines() if report.exists() else []
    return Run(proc.returncode, proc.stdout, proc.stderr, tuple(json.loads(line) for line in lines))


@pytest.fixture
def digest() -> Callable[..., Run]:
    return run_digest


def copy_site(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("site", ".digest-cache", ".venv"))
    return dst


@pytest.fixture(scope="session")
def golden_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden fixture site, built once per session (read-only for tests)."""
    out = tmp_path_factory.mktemp("golden") / "site"
    result = run_digest("build", "-s", GOLDEN_SITE, "-o", out)
    assert result.code == 0, result.err
    return out


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
