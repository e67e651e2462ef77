"""The test-only build report (testhooks.report): one JSON line of a build's counts per build
under DIGEST_TEST_REPORT, and nothing at all without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build import BuildResult
from generator.core.diagnostics import Diagnostic, Diagnostics, Level
from generator.engine.testhooks import REPORT_ENV, report


def result(**counts: object) -> BuildResult:
    return BuildResult(diagnostics=Diagnostics(), **counts)  # type: ignore[arg-type]


def test_each_build_appends_one_line_of_its_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.jsonl"
    monkeypatch.setenv(REPORT_ENV, str(path))
    first = result(
        articles=4, parsed=6, rendered={"page": 30}, written=41, unchanged=2, removed=1, fingerprinted=35,
        drafts_left_out=1,
    )  # fmt: skip
    report(first)
    failed = result()
    failed.diagnostics.items.append(Diagnostic("content/a.md", 3, Level.ERROR, "bad"))
    report(failed, "check")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {
            "command": "build", "ok": True, "articles": 4, "parsed": 6, "loaded": 0, "rendered": {"page": 30, "feed": 0},
            "written": 41, "unchanged": 2, "removed": 1, "fingerprinted": 35, "drafts_left_out": 1,
            "search_pending": False,
        },
        {
            "command": "check", "ok": False, "articles": 0, "parsed": 0, "loaded": 0, "rendered": {"page": 0, "feed": 0},
            "written": 0, "unchanged": 0, "removed": 0, "fingerprinted": 0, "drafts_left_out": 0,
            "search_pending": False,
        },
    ]  # fmt: skip


def test_without_the_variable_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REPORT_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    report(result(written=3))
    monkeypatch.setenv(REPORT_ENV, "")
    report(result(written=3))
    assert list(tmp_path.iterdir()) == []
