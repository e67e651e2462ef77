"""What a warm build's page keys keep from the build before (core/fingerprint.py carry,
engine/pagekeys.py LASTING): the fingerprints of the index's groups, editions and periods that
a warm build hands on unchanged. Those objects must be immutable all through, and an article
that changes in place (bodyedits.keep_last_plan) must drop what was kept, or a page that shows
it would keep its last output. Page keys are verified against the whole context's fingerprint,
worked out afresh every build (DIGEST_VERIFY_SCOPES), and every output against a clean build."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from markupsafe import Markup

from conftest import EPOCH, REPO, copy_site, files_under
from engine.test_incremental import THREE_LANGUAGES, _article, _set_field
from engine.test_warm import _same_as_clean
from generator.build import BuildOptions, WarmState, build
from generator.core.model import Article
from generator.engine.pagekeys import LASTING
from generator.plan.context import Pages

# what a kept object may hold, besides other kept objects
_LEAVES = (str, int, float, bool, date, datetime, Markup, type(None))


@pytest.fixture(autouse=True)
def _like_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")


def _site(tmp_path: Path, n: int = 30) -> Path:
    site = copy_site(REPO, tmp_path / "site")
    rng = random.Random(7)
    for i in range(n):
        text = _article(rng, i).replace("draft: true\n", "")
        if i % 4 == 0:  # a story, so that story groups and edition sections hold articles
            text = text.replace("---\n", "---\nstory: russian-refuseniks\n", 1)
        (site / "content" / f"a{i}.md").write_text(text, encoding="utf-8")
    return site


def _build(site: Path, out: Path, warm: WarmState) -> None:
    result = build(BuildOptions(site_dir=site, output_dir=out, jobs=1), warm=warm)
    assert result.ok, result.diagnostics.items


def _add_tag(path: Path, tag: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tags: [", f"tags: [{tag}, ", 1), encoding="utf-8")


def _parts(value: object) -> tuple[object, ...]:
    if isinstance(value, tuple):
        return value
    if isinstance(value, Pages):
        return tuple(getattr(value, name) for name in Pages.__slots__)
    assert dataclasses.is_dataclass(value) and type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]
    return tuple(getattr(value, f.name) for f in dataclasses.fields(value))


def test_what_is_kept_from_build_to_build_is_immutable_all_through(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    warm = WarmState()
    _build(site, out, warm)
    _add_tag(site / "content" / "a3.md", "kept-objects")  # a warm build that keys every page
    _build(site, out, warm)
    kinds: Counter[str] = Counter()
    seen: set[int] = set()
    todo: list[object] = [obj for fingerprinter in warm.fingerprinters for obj in fingerprinter._keep.values()]
    while todo:
        value = todo.pop()
        if id(value) in seen or isinstance(value, _LEAVES) or type(value) is Article:
            continue  # an article changes only in place, which drops everything kept
        seen.add(id(value))
        assert type(value) in LASTING or type(value) is tuple, f"{type(value).__name__} in a kept object"
        kinds[type(value).__name__] += 1
        todo += _parts(value)
    # what the example site's pages show: the walk saw each kind it must answer for
    assert {"Edition", "EditionLink", "EditionSection", "Period", "Pages", "StoryGroup"} <= kinds.keys(), kinds
    _same_as_clean(site, out, tmp_path)


def test_an_article_changed_in_place_drops_what_was_kept(tmp_path: Path) -> None:
    """A new title is a card edit that keeps the plan: the kept article object takes it in
    place. Its edition's and day's pages hold that object through kept editions and groups,
    whose fingerprints the last build worked out with the old title."""
    site = _site(tmp_path)
    out = tmp_path / "out"
    warm = WarmState()
    _build(site, out, warm)
    _add_tag(site / "content" / "a5.md", "first")
    _build(site, out, warm)
    assert any(len(f) for f in warm.fingerprinters)  # the next build starts from kept work
    target = site / "content" / "a9.md"  # in no story: a new title is bodyedits.same_shape
    _set_field(target, "slug", target.stem)  # and its URL stays
    _build(site, out, warm)
    _set_field(target, "title", "A title changed in place")
    _build(site, out, warm)
    shown = [rel for rel, data in files_under(out).items() if b"A title changed in place" in data]
    assert any(rel.startswith("editions/") for rel in shown), shown
    _same_as_clean(site, out, tmp_path)
    assert warm.touched  # it was changed in place
    _add_tag(site / "content" / "a10.md", "after")  # and the next build keys from what it made
    _build(site, out, warm)
    _same_as_clean(site, out, tmp_path)


def test_a_multilingual_site_under_warm_builds_matches_clean_builds(tmp_path: Path) -> None:
    """Pages in three languages, each with its versions in the others (PagePlan.alternates),
    under the same edits: a page keeps its key only with the same template, versions and
    inputs."""
    rng = random.Random(20261204)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(THREE_LANGUAGES, encoding="utf-8")
    for i in range(12):
        path = site / "content" / f"a{i}.md"
        path.write_text(_article(rng, i).replace("draft: true\n", ""), encoding="utf-8")
        _set_field(path, "lang", ["en", "ru", "ar"][i % 3])
        _set_field(path, "translation_key", f"k{i // 3}")  # one of each language per key
    out = tmp_path / "out"
    warm = WarmState()
    _build(site, out, warm)
    for step in range(8):
        files = sorted((site / "content").glob("*.md"))
        kind = ["tags", "add", "add", "tags", "delete", "lang", "tags", "add"][step]
        if kind == "tags":
            _add_tag(rng.choice(files), f"walk-{step}")
        elif kind == "add":
            path = site / "content" / f"added{step}.md"
            path.write_text(_article(rng, 100 + step).replace("draft: true\n", ""), encoding="utf-8")
            _set_field(path, "lang", rng.choice(["en", "ru", "ar"]))
        elif kind == "delete":
            rng.choice([f for f in files if f.stem.startswith("added")]).unlink()
        else:  # an article without translations moves to another language
            path = next(f for f in files if f.stem.startswith("added"))
            _set_field(path, "lang", "ru" if "lang: ru" not in path.read_text(encoding="utf-8") else "ar")
        _build(site, out, warm)
        _same_as_clean(site, out, tmp_path)
    assert any(len(f) for f in warm.fingerprinters) and warm.inputs  # the shortcuts were there to take
