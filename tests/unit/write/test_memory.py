"""check's output folder in memory: the Writer's calls, nothing on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.write.memory import MemoryWriter
from generator.write.output import OutputProblem


def test_outputs_are_kept_by_the_url_that_serves_them(tmp_path: Path) -> None:
    sink = MemoryWriter(tmp_path / "site", "/news/")
    sink.put("index.html", b"home")
    sink.put("a/b/index.html", b"page")
    sink.put("feed.xml", b"feed")
    sink.put("404.html", b"missing")
    assert sink.by_url() == {
        "/news/": b"home",
        "/news/a/b/": b"page",
        "/news/feed.xml": b"feed",
        "/news/404.html": b"missing",
    }
    assert sink.read("a/b/index.html") == b"page" and sink.written == 4
    assert not (tmp_path / "site").exists()


def test_two_outputs_for_one_file_are_refused(tmp_path: Path) -> None:
    sink = MemoryWriter(tmp_path, "/")
    sink.put("x/index.html", b"1")
    with pytest.raises(OutputProblem, match=r"two outputs would be written to x/index\.html"):
        sink.put("x/index.html", b"2")
