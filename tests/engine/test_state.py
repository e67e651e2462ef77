"""Everything under the cache folder goes through engine/state.py: one name for the folder, one
header and format version, one load that never raises, one atomic write. Whatever is found
there (damaged, truncated, another version's, a foreign pickle) only ever costs a full
rebuild, with the same output and no traceback; and nothing piles up."""

from __future__ import annotations

import gc
import os
import pickle
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_site, files_under, run_digest
from generator import __version__
from generator.engine import state
from generator.index.related import Memory

GENERATOR = Path(__file__).resolve().parents[2] / "generator"


# in process: load, save, outdated, tidy


def _header(kind: str, fmt: int = state.FORMAT, version: str = __version__) -> bytes:
    return pickle.dumps(("digest", fmt, version, kind), protocol=pickle.HIGHEST_PROTOCOL)


DAMAGES: dict[str, Callable[[bytes, str], bytes]] = {
    "damaged": lambda good, kind: b"\x80\x05not a pickle at all",
    "truncated": lambda good, kind: good[: len(good) // 2],
    "empty": lambda good, kind: b"",
    "older format": lambda good, kind: _header(kind, fmt=state.FORMAT - 1) + good[len(_header(kind)) :],
    "other version": lambda good, kind: _header(kind, version="0.0.1") + good[len(_header(kind)) :],
    "other kind": lambda good, kind: _header("something else") + good[len(_header(kind)) :],
    "foreign": lambda good, kind: pickle.dumps(["someone", "else's", {"pickle": 1}]),
    # classes of an older layout (the flat generator/ package) that no longer exist
    "older layout, headed": lambda good, kind: _header(kind) + b"cgenerator.parsecache\nEntry\n)\x81.",
    "older layout": lambda good, kind: b"cgenerator.parsecache\nEntry\n)\x81.",
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_anything_but_what_was_saved_is_nothing_stored(tmp_path: Path, damage: str) -> None:
    path = tmp_path / state.FOLDER / "thing.pickle"
    state.save(path, "thing", {"answer": 42})
    assert state.load(path, "thing") == state.Stored({"answer": 42})
    path.write_bytes(DAMAGES[damage](path.read_bytes(), "thing"))
    stored = state.load(path, "thing")
    assert stored.value is None
    assert stored.problem, "a file that is there but unusable says why"


class _CollectorProbe:
    """Unpickled as whether the cyclic garbage collector runs at that moment."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (gc.isenabled, ())


def test_loading_pauses_the_garbage_collector_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "probe.pickle"
    state.save(path, "record", {"collector": _CollectorProbe()})
    assert gc.isenabled()
    assert state.load(path, "record").value == {"collector": False}
    assert gc.isenabled()
    gc.disable()
    try:
        assert state.load(path, "record").value == {"collector": False}
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_is_current_reads_the_header(tmp_path: Path) -> None:
    path = tmp_path / "thing.pickle"
    state.save(path, "thing", 1)
    assert state.is_current(path, "thing") and not state.is_current(path, "other")
    for damage in ("damaged", "empty", "older format", "other version", "foreign", "older layout"):
        path.write_bytes(DAMAGES[damage](_header("thing") + pickle.dumps(1), "thing"))
        assert not state.is_current(path, "thing"), damage


def test_a_missing_file_is_nothing_stored_without_a_problem(tmp_path: Path) -> None:
    assert state.load(tmp_path / "nothing.pickle", "thing") == state.Stored(None, "")
    assert state.load(tmp_path, "thing").value is None  # a folder where a file should be


def test_saving_leaves_no_temporary_file_and_a_gitignore(tmp_path: Path) -> None:
    path = state.record_file(tmp_path, tmp_path / "out")
    state.save(path, "record", {"a": 1})
    state.write_bytes(state.generated_dir(tmp_path) / "x.css", b"x")
    assert sorted(p.name for p in state.folder(tmp_path).iterdir()) == sorted(
        [".gitignore", path.name, "theme-generated"]
    )
    assert (state.folder(tmp_path) / ".gitignore").read_text() == "*\n"
    assert [p.name for p in state.generated_dir(tmp_path).iterdir()] == ["x.css"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = state.related_file(tmp_path)
    state.save(path, "related", "old")
    before = path.read_bytes()
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        state.save(path, "related", lambda: "cannot be pickled")
    assert path.read_bytes() == before

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        state.save(path, "related", "new")
    with pytest.raises(OSError):
        state.write_bytes(path, b"new")
    assert path.read_bytes() == before
    assert state.load(path, "related").value == "old"
    assert sorted(p.name for p in path.parent.iterdir()) == [".gitignore", path.name]


def test_outdated_keeps_the_newest_of_this_version(tmp_path: Path) -> None:
    paths = [tmp_path / f"pages-{i}.pickle" for i in range(6)]
    for i, path in enumerate(paths):
        state.save(path, "record", i)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    paths[5].write_bytes(b"damaged")  # the newest, but unusable
    paths[4].write_bytes(_header("record", version="0.0.1") + pickle.dumps(4))
    # unusable ones take no place among the three kept
    assert sorted(state.outdated(paths, "record", 3)) == [paths[0], paths[4], paths[5]]


def test_tidy_removes_leftovers_and_keeps_what_builds_use(tmp_path: Path) -> None:
    base = state.folder(tmp_path)
    records = [state.record_file(tmp_path, tmp_path / f"out{i}") for i in range(state.RECORDS + 2)]
    for i, path in enumerate(records):
        state.save(path, "record", i)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    kept_files = ["related.pickle", "articles-0123456789abcdef.bodies", "pages-1234.pickle.tmp4242"]
    kept_dirs = [".preview.staging", "preview", "html", "jinja", "search/search-running"]
    old_files = ["pages-1234.tmp", "related.pickle.tmp17", "articles-0123456789abcdef.bodies-tmp9"]
    old_files += ["theme-generated/highlight.css.tmp99"]
    old_dirs = ["search-abc", "search/search-killed"]
    for name in kept_dirs + old_dirs:
        (base / name).mkdir(parents=True)
    for name in kept_files + old_files + ["articles.pickle"]:  # the parse cache before variants
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_bytes(b"x")
    old = time.time() - state.STALE_SECONDS - 60
    for name in old_files + old_dirs:
        os.utime(base / name, (old, old))
    state.tidy(tmp_path)
    left = {p.relative_to(base).as_posix() for p in base.rglob("*")}
    assert left == {
        *kept_files,
        *kept_dirs,
        *(p.name for p in records[2:]),
        ".gitignore",
        "search",
        "theme-generated",
    }


def test_related_memory_is_kept_and_any_damage_is_an_empty_memory(tmp_path: Path) -> None:
    assert state.load_memory(tmp_path) == Memory()
    memory = Memory(inputs={"a.md": (1.0, frozenset({"x"}), "")}, results={"a.md": ()})
    state.save_memory(tmp_path, memory)
    loaded = state.load_memory(tmp_path)
    assert loaded.inputs == memory.inputs and not loaded.changed
    state.related_file(tmp_path).write_bytes(b"garbage")
    assert state.load_memory(tmp_path) == Memory()


def test_only_state_names_the_cache_folder() -> None:
    naming = [
        p.relative_to(GENERATOR).as_posix()
        for p in sorted(GENERATOR.rglob("*.py"))
        if ".digest-cache" in p.read_text(encoding="utf-8")
    ]
    assert naming == ["engine/state.py"]


def test_only_state_pickles() -> None:
    pickling = [
        p.relative_to(GENERATOR).as_posix()
        for p in sorted(GENERATOR.rglob("*.py"))
        if re.search(r"pickle\.(dump|load)\(", p.read_text(encoding="utf-8"))
    ]
    assert pickling == ["engine/state.py"]


# real builds


def _site(tmp_path: Path) -> Path:
    return copy_site(FIXTURES / "golden", tmp_path / "s")


def _cache_files(site: Path) -> list[str]:
    base = state.folder(site)
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file())


def _kinds(site: Path) -> dict[str, tuple[Path, str]]:
    """Every pickle a build of the golden site leaves (and a journal: one edit made it), in an
    order that damages the journal while it is there (any damage rewrites the whole cache)."""
    base = state.folder(site)
    (articles,) = base.glob("articles-*.pickle")
    (record,) = base.glob("pages-*.pickle")
    return {
        "journal": (articles.with_suffix(".journal"), "journal"),
        "parse cache": (articles, "articles"),
        "record": (record, "record"),
        "related": (base / "related.pickle", "related"),
        "templates": (base / "templates.pickle", "templates"),
    }


@pytest.mark.parametrize("damage", ["damaged", "truncated", "older format", "foreign", "older layout, headed"])
def test_a_damaged_file_of_any_kind_is_a_full_rebuild(tmp_path: Path, damage: str) -> None:
    site = _site(tmp_path)
    out, clean = tmp_path / "out", tmp_path / "clean"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    note = site / "content" / "notes" / "accented.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert run_digest("build", "-s", site, "-o", out).code == 0
    assert run_digest("build", "-s", copy_site(site, tmp_path / "fresh"), "-o", clean).code == 0
    for name, (path, kind) in _kinds(site).items():
        path.write_bytes(DAMAGES[damage](path.read_bytes(), kind))
        # the record is per output folder; the rest is read only by a build that renders
        target = out if kind == "record" else tmp_path / f"out-{kind}"
        result = run_digest("build", "-s", site, "-o", target, "-v")
        assert result.code == 0 and "Traceback" not in result.err, (name, result.err)
        assert files_under(target) == files_under(clean), name
        if kind in ("articles", "journal"):  # today's warning, and every file parsed again
            assert "warning: cache discarded and rebuilt" in result.err, name
            assert "parsed 6 article files" in result.err, name
        else:
            assert "cache discarded" not in result.err and "parsed 0 article files" in result.err, name
        if kind == "record":
            assert "0 files written" in result.out, "compared with what is there, nothing rewritten"
        if kind == "journal":
            assert not path.exists(), "the whole cache was written again"
        else:
            assert state.load(path, kind).value is not None, f"{name} is written again"
    assert not [f for f in _cache_files(site) if "tmp" in f]


def test_a_damaged_body_list_or_stylesheet_key_is_harmless(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    expected = files_under(out)
    assert run_digest("build", "-s", site, "-o", out, "--base-url", "https://elsewhere.example/").code == 0
    for bodies in state.folder(site).glob("articles-*.bodies"):
        bodies.write_bytes(b"\xff\xfe not ascii")
    (state.generated_dir(site) / ".highlight.key").write_bytes(b"damaged")
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0 and "Traceback" not in result.err, result.err
    assert files_under(out) == expected


def test_at_most_a_few_records_and_no_leftovers(tmp_path: Path) -> None:
    site = _site(tmp_path)
    base = state.folder(site)
    base.mkdir()
    # what earlier versions left: the parse cache before variants, a variant of the last
    # format with its body list and journal, a record of the last format
    for name in ["articles.pickle", "articles-00000000000000aa.pickle", "pages-0123.pickle"]:
        (base / name).write_bytes(pickle.dumps({"format": 6, "version": "0.1"}))
    (base / "articles-00000000000000aa.bodies").write_text("abc:0:10")
    (base / "articles-00000000000000aa.journal").write_bytes(b"x")
    for i in range(5):
        result = run_digest("build", "-s", site, "-o", tmp_path / f"out{i}")
        assert result.code == 0, result.err
    records = sorted(base.glob("pages-*.pickle"))
    assert len(records) == state.RECORDS
    assert state.record_file(site, (tmp_path / "out4").resolve()) in records
    assert state.record_file(site, (tmp_path / "out0").resolve()) not in records
    again = run_digest("build", "-s", site, "-o", tmp_path / "out4")
    assert "0 files written" in again.out
    listing = _cache_files(site)
    assert not [f for f in listing if f.startswith("articles-00") or f == "articles.pickle" or "tmp" in f]
    top = sorted({f.split("/")[0] for f in listing})
    (variant,) = [f for f in top if f.startswith("articles-") and f.endswith(".pickle")]
    assert top == sorted(
        [
            ".gitignore",
            variant,
            variant.replace(".pickle", ".bodies"),
            "html",
            "jinja",
            *(p.name for p in records),
            "related.pickle",
            "selection.pickle",
            "catalogs.pickle",
            "templates.pickle",
            "theme-generated",
        ]
    )
