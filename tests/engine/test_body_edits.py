"""A warm build after an edit to an article's body only (engine/bodyedits.py, readers.py,
wholesite.py) takes the last build's selection, looks only at the pages and feeds that read
the edited body, makes no Jinja environment and no sitemap again; with `digest serve`'s
watcher paths (WarmState.hint) it stats no other file. Its output is a clean build's, and
DIGEST_VERIFY_SCOPES=1 checks every page it left out."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, copy_site, files_under, run_digest
from engine.test_warm import _build, _same_as_clean
from generator.build import WarmState
from generator.engine import outputs, wholesite
from generator.engine.process import STATE
from generator.plan import inputs


@pytest.fixture(autouse=True)
def _like_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls = [0]
    real: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _counts(*points: str) -> list[int]:
    return [STATE.hook_counts.get(point, 0) for point in points]


def _built(tmp_path: Path) -> tuple[Path, Path, WarmState]:
    """The golden fixture site, built once with a new warm state."""
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    out = tmp_path / "out"
    warm = WarmState()
    first, _ = _build(site, out, warm)
    assert first.ok, first.diagnostics.items
    return site, out, warm


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_body_edit_looks_only_at_what_reads_the_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, out, warm = _built(tmp_path)
    environments = _counting(monkeypatch, outputs, "make_environment")
    sitemaps = _counting(monkeypatch, wholesite, "sitemap_files")
    path = site / "content" / "world" / "guardsmen.md"
    pages = sum(1 for _ in out.rglob("index.html"))
    assert pages > 20
    for n in range(3):
        _append(path, f"\nA paragraph added while previewing, number {n}.\n")
        warm.hint = frozenset({path})
        before = _counts("select:kept", "parse:hinted", "plan:kept", "parse:kept")
        result, loads = _build(site, out, warm)
        assert result.ok and result.parsed == 1 and not loads, result.diagnostics.items
        after = _counts("select:kept", "parse:hinted", "plan:kept", "parse:kept")
        if n:  # the first warm build sets up the state each later one takes
            assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, 1, 1]
            # the article's page and its feeds, not every page's key (5 at most)
            assert result.fingerprinted <= 5
        assert any(f"number {n}." in p.read_text(encoding="utf-8") for p in out.rglob("index.html"))
        _same_as_clean(site, out, tmp_path)
    # the environment and the sitemaps were made once, by the first build after the counting
    # began; the later two took them
    assert environments[0] <= 1 and sitemaps[0] <= 1


def test_a_save_keeps_the_other_files_parse_results_and_what_they_said(tmp_path: Path) -> None:
    """A save that adds or removes no file takes the last build's parse results for every
    other file (engine/parsing.py), what they said included; a file that fails to parse, and
    then parses again, is reported and then taken back in its place."""
    site, out, warm = _built(tmp_path)
    noisy = site / "content" / "world" / "guardsmen.md"
    other = sorted(p for p in (site / "content").rglob("*.md") if p != noisy)[0]
    noisy.write_text(noisy.read_text(encoding="utf-8").replace("title: ", "mood: grim\ntitle: ", 1), encoding="utf-8")
    warm.hint = frozenset({noisy})
    said = _build(site, out, warm)[0]
    assert said.ok and any("mood" in d.message for d in said.diagnostics.items)
    original = other.read_bytes()
    broken = b"---\ntitle: [unclosed\n---\nBroken.\n"  # parsed: an error in what it says
    edits = [original + b"\nAn edit.\n", broken, b"\xff\xfe\x00bad", original]  # then unreadable
    for n, data in enumerate(edits):
        other.write_bytes(data)
        warm.hint = frozenset({other})
        kept = _counts("parse:kept")
        result, _ = _build(site, out, warm)
        # the warning about the file not saved stays; the broken file is an error, located
        assert any("mood" in d.message for d in result.diagnostics.items), n
        assert result.ok == (n in (0, 3)), [d.format() for d in result.diagnostics.items]
        if not result.ok:
            assert any(d.path.endswith(other.name) for d in result.diagnostics.errors), n
        # after a build that could not read a file, every file is looked at again
        assert _counts("parse:kept") == [kept[0] + (n != 3)], n
        if result.ok:
            _same_as_clean(site, out, tmp_path)


def test_an_edit_to_the_card_or_the_links_is_built_the_long_way(tmp_path: Path) -> None:
    site, out, warm = _built(tmp_path)
    path = site / "content" / "world" / "guardsmen.md"
    _append(path, "\nWarming up.\n")
    assert _build(site, out, warm)[0].ok
    edits = [
        lambda text: text.replace("title: ", "title: Edited ", 1),  # the card
        lambda text: text + "\nSee [the other](soldier-jailed.md).\n",  # a link to an article
    ]
    for edit in edits:
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        warm.hint = frozenset({path})
        kept = _counts("select:kept")
        result, _ = _build(site, out, warm)
        assert result.ok, [d.format() for d in result.diagnostics.errors]
        assert _counts("select:kept") == kept
        _same_as_clean(site, out, tmp_path)


def test_the_watchers_paths_add_and_remove_articles_and_a_folder_walks_content(tmp_path: Path) -> None:
    site, out, warm = _built(tmp_path)
    source = site / "content" / "world" / "guardsmen.md"
    new = site / "content" / "world" / "copy.md"
    text = source.read_text(encoding="utf-8").replace("title: ", "title: A copy of ", 1)
    new.write_text(text.replace("source_url:", "old_url:", 1), encoding="utf-8")
    warm.hint = frozenset({new})
    hinted = _counts("parse:hinted")
    result, _ = _build(site, out, warm)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    assert _counts("parse:hinted") == [hinted[0] + 1] and result.parsed == 1
    assert any("A copy of" in p.read_text(encoding="utf-8") for p in out.rglob("index.html"))
    _same_as_clean(site, out, tmp_path)
    new.unlink()
    warm.hint = frozenset({new})
    assert _build(site, out, warm)[0].ok
    assert not any("A copy of" in p.read_text(encoding="utf-8") for p in out.rglob("index.html"))
    _same_as_clean(site, out, tmp_path)
    # a folder moved in: its files are found by walking content/, not by the paths given
    moved = site / "content" / "moved"
    moved.mkdir()
    (moved / "copy.md").write_text(text.replace("source_url:", "old_url:", 1), encoding="utf-8")
    warm.hint = frozenset({moved})
    hinted = _counts("parse:hinted")
    assert _build(site, out, warm)[0].ok
    assert _counts("parse:hinted") == hinted
    assert any("A copy of" in p.read_text(encoding="utf-8") for p in out.rglob("index.html"))
    _same_as_clean(site, out, tmp_path)


def test_a_future_article_comes_due_between_two_body_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept selection holds only until the first future article left out comes due (or
    the clock goes back): then the body edit selects again, and the article is in the site."""
    site, out, warm = _built(tmp_path)
    path = site / "content" / "world" / "guardsmen.md"
    future = site / "content" / "notes" / "future.md"
    title = next(ln for ln in future.read_text(encoding="utf-8").splitlines() if ln.startswith("title:"))
    shown = title.removeprefix("title:").strip().strip("\"'")
    for n, epoch in enumerate(["1700000000", "1700000100", "4102444800", "1700000000"]):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        _append(path, f"\nEdit {n}.\n")
        warm.hint = frozenset({path})
        result, _ = _build(site, out, warm)
        assert result.ok, [d.format() for d in result.diagnostics.errors]
        home = (out / "index.html").read_text(encoding="utf-8")
        assert (shown in home) == (epoch == "4102444800"), (epoch, shown)
        clean = tmp_path / f"clean{n}"
        done = run_digest("build", "-s", site, "-o", clean, "--clean", env={"SOURCE_DATE_EPOCH": epoch})
        assert done.code == 0, done.err
        assert files_under(out) == files_under(clean)


def test_saves_without_changes_between_body_edits(tmp_path: Path) -> None:
    """A save that changes nothing ends the build early (nothing to do); the body edits
    before and after it still give a clean build's output."""
    site, out, warm = _built(tmp_path)
    one = site / "content" / "world" / "guardsmen.md"
    other = site / "content" / "world" / "cyrillic.md"
    for n, (path, change) in enumerate([(one, True), (other, False), (one, False), (other, True), (one, True)]):
        text = path.read_text(encoding="utf-8")
        path.write_text(text + f"\nSave {n}.\n" if change else text, encoding="utf-8")
        warm.hint = frozenset({path})
        result, _ = _build(site, out, warm)
        assert result.ok, [d.format() for d in result.diagnostics.errors]
        assert bool(result.written) == change
        _same_as_clean(site, out, tmp_path)


def test_a_body_pack_pruned_by_another_build_fails_one_build_located_then_the_next_recovers(
    tmp_path: Path,
) -> None:
    """Another `digest build` of the site may prune a pack of stored bodies that serve's kept
    articles point into. The build that finds it gone fails with a located error and leaves the
    output as it was; it drops the kept state, so that the next build parses those articles
    again and matches a clean build (it used to fail the same way until serve restarted)."""
    site, out, warm = _built(tmp_path)
    before = files_under(out)
    for pack in (site / ".digest-cache" / "html").glob("*.pack"):
        pack.unlink()
    path = site / "content" / "world" / "guardsmen.md"
    _append(path, "\nA paragraph added after the prune.\n")
    warm.hint = frozenset({path})
    failed, _ = _build(site, out, warm)
    assert not failed.ok and files_under(out) == before
    [error] = failed.diagnostics.errors
    assert error.path.startswith(".digest-cache/html/") and error.path.endswith(".pack")
    assert "is gone" in error.message and "save again" in error.message
    _append(path, "\nAnd another.\n")
    warm.hint = frozenset({path})
    result, _ = _build(site, out, warm)
    assert result.ok, result.diagnostics.items
    _same_as_clean(site, out, tmp_path)


def test_digest_build_after_a_body_edit_keeps_the_sitemaps_and_the_news_outputs_it_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`digest build` (no warm state) after edits to bodies alone keeps the recorded build's
    sitemaps, and its news outputs (editions feed, Google News sitemap, sources.opml) unless an
    edited body is in the editions feed (wholesite._kept_as_recorded): nothing is made again.
    A tag edit makes both again. Each output is a clean build's."""
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    config = site / "digest.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("feed_items: 10", "feed_items: 1"), encoding="utf-8")
    out = tmp_path / "out"
    first, _ = _build(site, out, None)
    assert first.ok, first.diagnostics.items
    sitemaps = _counting(monkeypatch, wholesite, "sitemap_files")
    news = _counting(monkeypatch, wholesite, "news_outputs")
    older, newest = site / "content" / "world" / "guardsmen.md", site / "content" / "world" / "cyrillic.md"
    edits = [  # (the file, what is added, sitemaps and news outputs made by then)
        (older, "\nA paragraph added to the edition before the newest.\n", [0, 0]),
        (newest, "\nA paragraph added to the newest edition, which the editions feed shows.\n", [0, 1]),
    ]
    for path, text, made in edits:
        _append(path, text)
        result, _ = _build(site, out, None)
        assert result.ok and result.parsed == 1, result.diagnostics.items
        assert [sitemaps[0], news[0]] == made
        _same_as_clean(site, out, tmp_path)
    older.write_text(older.read_text(encoding="utf-8").replace("national guard", "guard"), encoding="utf-8")
    result, _ = _build(site, out, None)
    assert result.ok and [sitemaps[0], news[0]] == [1, 2]
    _same_as_clean(site, out, tmp_path)


def test_a_body_edit_makes_the_context_of_the_rendered_article_page_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether an article page reads the edited body is known from its plan's own article
    (PagePlan.article): `digest build` makes no other article page's context to find out."""
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "0")  # verifying makes every page's context
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    out = tmp_path / "out"
    assert _build(site, out, None)[0].ok
    made: list[str] = []
    real = inputs.PagePlan.__dict__["context"].func

    def counted(plan: inputs.PagePlan) -> Any:
        made.append(plan.url)
        return real(plan)

    prop = functools.cached_property(counted)
    prop.__set_name__(inputs.PagePlan, "context")
    monkeypatch.setattr(inputs.PagePlan, "context", prop)
    _append(site / "content" / "world" / "guardsmen.md", "\nOne more paragraph.\n")
    result, _ = _build(site, out, None)
    assert result.ok and result.rendered["page"] == 1, result.diagnostics.items
    # the edited article's page (and the email edition's, made apart): no other article page
    articles = [url for url in made if url.startswith("/news/2022/")]
    assert articles == ["/news/2022/05/26/putin-faces-dissent-as-national-guardsmen-challenge-order-to-fight/"], made
