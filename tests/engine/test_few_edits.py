"""A warm build after a few articles changed in what the lists read (engine/fewedits.py) takes
the last build's selected articles and selects, resolves and fingerprints again only the
changed ones and those whose links lead to them: its output, its warnings about links and its
articles are what a full selection makes, edit after edit."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from conftest import EPOCH, files_under, run_digest
from engine.test_incremental import _article, _edit, _set_field
from engine.test_warm import _build
from generator.build import BuildOptions, BuildResult, WarmState, build
from generator.engine.process import STATE


@pytest.fixture(autouse=True)
def _like_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")


def _few() -> int:
    return STATE.hook_counts.get("select:few", 0)


def _link_warnings(result: BuildResult) -> set[str]:
    return {d.format() for d in result.diagnostics.items if "does not resolve" in d.message}


def _site(tmp_path: Path, rng: random.Random, articles: int) -> tuple[Path, list[int]]:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text("title: Few\nbase_url: https://example.org/f/\nper_page: 4\n", encoding="utf-8")
    counter = [0]
    for _ in range(articles):
        counter[0] += 1
        (site / "content" / f"a{counter[0]}.md").write_text(_article(rng, counter[0]), encoding="utf-8")
    return site, counter


def _same_as_full(site: Path, out: Path, warm_result: BuildResult, tmp_path: Path, step: str) -> None:
    """The output of a clean `digest build`, and the link warnings of a build without state."""
    clean_out = tmp_path / "clean"
    clean = run_digest("build", "-s", site, "-o", clean_out, "--clean")
    assert clean.code == 0, clean.err
    assert files_under(out) == files_under(clean_out), f"{step}: the output differs"
    shutil.rmtree(clean_out)
    cold = build(BuildOptions(site_dir=site, output_dir=tmp_path / "cold", clean=True, jobs=1))
    assert _link_warnings(warm_result) == _link_warnings(cold), step
    shutil.rmtree(tmp_path / "cold")


def _small_site(tmp_path: Path, articles: list[tuple[str, str, int, str, str]]) -> Path:
    """A site of these articles: (file name, title, day of May 2022, tags, body)."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text("title: Small\nbase_url: https://example.org/s/\n", encoding="utf-8")
    for name, title, day, tags, body in articles:
        (site / "content" / f"{name}.md").write_text(
            f"---\ntitle: {title}\ndate: 2022-05-0{day}\nsource: Mirror\ntags: [{tags}]\n---\n{body}\n",
            encoding="utf-8",
        )
    return site


def _link_to(target: Path, other: str) -> None:
    """A link to another article's file (which may not exist) at the end of the body."""
    target.write_text(target.read_text(encoding="utf-8") + f"\nSee [this]({other}).\n", encoding="utf-8")


def test_a_walk_of_tag_date_draft_link_additions_and_deletions_matches_a_full_selection(tmp_path: Path) -> None:
    rng = random.Random(20261204)
    site, counter = _site(tmp_path, rng, 30)
    out = tmp_path / "warm"
    warm = WarmState()
    assert _build(site, out, warm)[0].ok
    before = _few()
    for n in range(36):
        files = sorted((site / "content").glob("*.md"))
        kind = rng.choice(["edit", "edit", "link", "future", "spelling"])
        target = rng.choice(files)
        if kind == "edit":
            kind = _edit(rng, site, counter)
            if kind in ("template", "config"):
                continue
        elif kind == "link":  # to an article that is there, or that was deleted or never was
            _link_to(target, f"a{rng.randint(1, counter[0] + 2)}.md")
        elif kind == "future":
            _set_field(target, "date", rng.choice(["2031-01-01", "2022-03-03"]))
        else:  # one tag's spelling: the most used one names it on every article
            _set_field(target, "tags", rng.choice(["[Energy, russia]", "[energy]", "[ENERGY, Russia]"]))
        result, _ = _build(site, out, warm)
        assert result.ok, f"step {n} ({kind}): {[d.format() for d in result.diagnostics.items]}"
        _same_as_full(site, out, result, tmp_path, f"step {n} ({kind})")
    assert _few() - before >= 12  # the walk took the shortcut, not only full selections


def test_a_new_site_wide_spelling_of_a_tag_selects_everything_again(tmp_path: Path) -> None:
    """Tags are named site-wide by their most used spelling: an edit that changes which one
    renames the tag on articles that were not edited, so the selection is made in full."""
    spellings = ["Energy", "energy", "energy"]
    site = _small_site(tmp_path, [(f"e{n}", f"Energy story {n}", n + 1, s, f"Text {n}.") for n, s in enumerate(spellings)])
    out = tmp_path / "warm"
    warm = WarmState()
    assert _build(site, out, warm)[0].ok
    page = out / "2022" / "05" / "03" / "energy-story-2" / "index.html"
    assert ">energy<" in page.read_text(encoding="utf-8")
    _set_field(site / "content" / "e0.md", "title", "Energy story zero")  # a title: the shortcut
    before = _few()
    assert _build(site, out, warm)[0].ok
    assert _few() == before + 1
    _set_field(site / "content" / "e1.md", "tags", "[Energy]")  # now two of three spell it so
    result, _ = _build(site, out, warm)
    assert result.ok and _few() == before + 1
    assert ">Energy<" in page.read_text(encoding="utf-8")  # e2 was not edited: renamed all the same
    _same_as_full(site, out, result, tmp_path, "spelling")
    _set_field(site / "content" / "e2.md", "tags", "[Energy, courts]")  # the same spelling wins
    result, _ = _build(site, out, warm)
    assert result.ok and _few() == before + 2
    _same_as_full(site, out, result, tmp_path, "another tag")


def test_deleting_a_linked_article_warns_on_the_article_that_links_to_it(tmp_path: Path) -> None:
    stories = [("a", 1, "See [b](b.md)."), ("b", 2, "Plain."), ("c", 3, "Plain too.")]
    site = _small_site(tmp_path, [(name, f"Story {name}", day, "media", body) for name, day, body in stories])
    out = tmp_path / "warm"
    warm = WarmState()
    assert _build(site, out, warm)[0].ok
    before = _few()
    (site / "content" / "b.md").unlink()
    result, _ = _build(site, out, warm)
    assert result.ok and _few() == before + 1
    assert _link_warnings(result) == {"content/a.md:7: warning: link to 'b.md' does not resolve: no such file under content/"}
    _same_as_full(site, out, result, tmp_path, "deleted")
    (site / "content" / "b.md").write_text(
        "---\ntitle: Story b again\ndate: 2022-05-02\nsource: Mirror\ntags: [media]\n---\nBack.\n", encoding="utf-8"
    )
    result, _ = _build(site, out, warm)
    assert result.ok and _few() == before + 2 and not _link_warnings(result)
    _same_as_full(site, out, result, tmp_path, "back")


def test_articles_dated_into_and_out_of_the_news_window_list_as_a_full_selection(tmp_path: Path) -> None:
    """The news sitemap lists the articles of the two days before the build's clock (EPOCH,
    2023-11-14): a few-edits build finds them in the last selection's articles by date,
    patched for the changed ones, and lists what a clean build lists."""
    days = ["2023-11-14T10:00:00Z", "2023-11-13T09:00:00Z", "2023-11-12T08:00:00Z", "2023-10-01", "2022-05-02"]
    site = _small_site(tmp_path, [(f"n{n}", f"News {n}", n + 1, "media", f"Text {n}.") for n in range(8)])
    out = tmp_path / "warm"
    warm = WarmState()
    assert _build(site, out, warm)[0].ok
    rng = random.Random(5)
    before = _few()
    for step in range(14):
        files = sorted((site / "content").glob("*.md"))
        kind = rng.choice(["date", "date", "add", "delete"]) if len(files) > 3 else "add"
        if kind == "add":
            name = f"m{step}"
            (site / "content" / f"{name}.md").write_text(
                f"---\ntitle: Added {step}\ndate: {rng.choice(days)}\nsource: Mirror\ntags: [media]\n---\nNew.\n",
                encoding="utf-8",
            )
        elif kind == "delete":
            rng.choice(files).unlink()
        else:
            _set_field(rng.choice(files), "date", rng.choice(days))
        result, _ = _build(site, out, warm)
        assert result.ok, step
        _same_as_full(site, out, result, tmp_path, f"step {step} ({kind})")
    assert _few() - before == 14
    listed = (out / "news-sitemap.xml").read_text(encoding="utf-8")
    assert listed.count("<news:news>") >= 2  # the window was not empty at the end
