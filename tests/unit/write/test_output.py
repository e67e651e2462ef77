"""Staging a build's files: bytes as given, folders made as needed, unchanged files left."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.write.output import stage_file


def test_files_are_staged_in_folders_made_on_the_way(tmp_path: Path) -> None:
    staging, out = tmp_path / ".site.staging", tmp_path / "site"
    staging.mkdir()
    data = bytes(range(256)) * 1000  # not text: written as given, no newline translation
    assert stage_file(staging, out, "a/b/c/index.html", data, compare=False)
    assert stage_file(staging, out, "a/b/feed.xml", b"<feed/>", compare=False)
    assert stage_file(staging, out, "a/b/c/index.html", b"shorter", compare=False)  # replaced whole
    assert (staging / "a/b/c/index.html").read_bytes() == b"shorter"
    assert (staging / "a/b/feed.xml").read_bytes() == b"<feed/>"


def test_a_file_with_the_same_bytes_in_the_output_is_not_staged(tmp_path: Path) -> None:
    staging, out = tmp_path / ".site.staging", tmp_path / "site"
    staging.mkdir()
    (out / "x").mkdir(parents=True)
    (out / "x/index.html").write_bytes(b"same")
    assert not stage_file(staging, out, "x/index.html", b"same", compare=True)
    assert not (staging / "x").exists()
    assert stage_file(staging, out, "x/index.html", b"other", compare=True)
    assert (staging / "x/index.html").read_bytes() == b"other"


def test_a_staging_folder_made_again_by_the_next_build_gets_its_folders_again(tmp_path: Path) -> None:
    """serve runs many builds in one process, each with a new staging folder at the same path."""
    staging, out = tmp_path / ".site.staging", tmp_path / "site"
    for build in range(2):
        staging.mkdir()
        assert stage_file(staging, out, "tags/t/index.html", b"%d" % build, compare=False)
        assert (staging / "tags/t/index.html").read_bytes() == b"%d" % build
        shutil.rmtree(staging)
