"""Which file changes the preview ignores (generator.preview.watch.is_scratch): editors' temporaries
and dotfiles, never a real article, template or setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.preview.watch import Watcher, is_scratch


@pytest.mark.parametrize(
    "name",
    [".a.md.swp", ".a.md.swx", "a.md~", "4913", ".#a.md", "#a.md#", "a.md___jb_tmp___", ".goutputstream-X1", ".DS_Store"],
)
def test_editor_temporaries_and_dotfiles_are_scratch(name: str) -> None:
    assert is_scratch(name)


@pytest.mark.parametrize("name", ["a.md", "digest.yaml", "base.html", "style.css", "2022-05-27-x.markdown", "4914"])
def test_real_files_are_not(name: str) -> None:
    assert not is_scratch(name)


@pytest.mark.parametrize(
    ("name", "watched"),
    [
        ("digest.yaml", True), ("sources.yaml", True), ("stories.yaml", True), ("tags.yaml", True),
        ("locales", True), ("content", True), ("themes", True),
        ("README.md", False), ("site", False), (".digest-cache", False), ("notes.txt", False),
    ],
)  # fmt: skip
def test_only_what_a_build_reads_in_the_site_folder_is_a_change(tmp_path: Path, name: str, watched: bool) -> None:
    changes: list[Path] = []
    watcher = Watcher(tmp_path, [], changes.append, poll=True)
    watcher.consider(tmp_path / name)
    assert changes == ([tmp_path / name] if watched else [])
