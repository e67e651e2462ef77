"""A save's rebuild starts after QUICK_SECONDS of quiet once every changed file is whole (its
writer closed it, or it was renamed into place: inotify says so, watch.py), else after
QUIET_SECONDS; and a build that fails while a newer change is waiting reports nothing (the next
build reports). The watcher here is the real one, on inotify, over real files."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, copy_site
from generator.build import BuildOptions
from generator.preview.rebuildloop import QUICK_SECONDS, QUIET_SECONDS, RebuildLoop
from generator.preview.serve import PreviewBuilder
from generator.preview.watch import Watcher


def _loop() -> RebuildLoop:
    return RebuildLoop(lambda changed, search: None, lambda: None)


def test_a_change_is_quiet_for_the_long_period_until_each_file_is_whole(tmp_path: Path) -> None:
    loop = _loop()
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    loop.changed(a)
    assert loop.quiet_seconds() == QUIET_SECONDS  # written, not yet closed
    loop.written(a)
    assert loop.quiet_seconds() == QUICK_SECONDS
    loop.changed(b)  # another file of the burst, still being written
    assert loop.quiet_seconds() == QUIET_SECONDS
    loop.written(b)
    assert loop.quiet_seconds() == QUICK_SECONDS
    loop.changed(a)  # and the first again
    assert loop.quiet_seconds() == QUIET_SECONDS


def test_a_file_closed_without_a_change_starts_no_build(tmp_path: Path) -> None:
    loop = _loop()
    loop.written(tmp_path / "a.md")  # opened for writing and closed: no change event before it
    assert loop.quiet_seconds() == QUIET_SECONDS and not loop._pending


def test_the_watcher_tells_when_a_file_written_renamed_into_place_or_deleted_is_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    content = site / "content"
    content.mkdir(parents=True)
    events: list[tuple[str, Path]] = []
    lock = threading.Lock()

    def note(kind: str) -> Callable[[Path], None]:
        def add(path: Path) -> None:
            with lock:
                events.append((kind, path))

        return add

    watcher = Watcher(site, [], note("changed"), poll=False, on_written=note("written"))
    watcher.start()
    try:
        article = content / "a.md"
        article.write_text("---\ntitle: A\n---\n", encoding="utf-8")
        scratch = content / "b.md.tmp"  # an editor's temporary, renamed over the article
        scratch.write_text("---\ntitle: B\n---\n", encoding="utf-8")
        os.replace(scratch, content / "b.md")
        gone = content / "c.md"
        gone.write_text("---\ntitle: C\n---\n", encoding="utf-8")
        gone.unlink()
        deadline = time.monotonic() + 10
        # c.md's creation is a change too: wait for its deletion's events, not only for a change
        wanted = {("written", article), ("written", content / "b.md"), ("changed", gone), ("written", gone)}
        while time.monotonic() < deadline and not wanted <= set(events):
            time.sleep(0.01)
    finally:
        watcher.stop()
    seen = set(events)
    assert wanted <= seen, events
    assert ("changed", article) in seen and ("changed", content / "b.md") in seen
    # the write came before the close that made it whole; a deletion is whole once made
    assert events.index(("changed", article)) < events.index(("written", article))
    last_change = max(i for i, event in enumerate(events) if event == ("changed", gone))
    assert ("written", gone) in events[last_change:]
    assert not any(path == scratch for _, path in events)  # a scratch file is no change


@pytest.mark.parametrize("superseded", [True, False])
def test_a_failed_build_that_a_newer_change_outdated_reports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], superseded: bool
) -> None:
    site = copy_site(REPO, tmp_path / "site")
    broken = site / "content" / "2022" / "broken.md"
    broken.write_text("", encoding="utf-8")  # as read just after the next save truncated it
    options = BuildOptions(site_dir=site, output_dir=tmp_path / "preview", write=True)
    builder = PreviewBuilder(
        site, "/", options, False, threading.Event(), superseded=lambda within: superseded
    )
    outcome = builder(frozenset())
    err = capsys.readouterr().err
    assert not outcome.ok
    if superseded:
        assert outcome.cancelled and "broken.md" not in err and "failed" not in err
    else:
        assert not outcome.cancelled and "broken.md" in err and outcome.errors
