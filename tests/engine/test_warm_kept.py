"""What `digest serve` keeps of the last full selection and index (engine/finished.py, the
index's KeptIndex: index/site.py) is taken only when everything it was made from is the same:
an edit it is not keyed on would leave a page as it was. Each build runs in this process with
one WarmState, as serve's do, and must write what a clean build writes."""

from __future__ import annotations

import gc
import re
import weakref
from pathlib import Path

from conftest import REPO, copy_site
from engine.test_warm import _build, _like_the_cli, _same_as_clean
from generator.build import WarmState

__all__ = ["_like_the_cli"]  # the CLI's environment (a fixed clock, keys verified): autouse


def _built_warm(tmp_path: Path) -> tuple[Path, Path, WarmState]:
    """The example site, built once with a WarmState: the site, its output, the state."""
    site = copy_site(REPO, tmp_path / "site")
    out = tmp_path / "out"
    warm = WarmState()
    assert _build(site, out, warm)[0].ok
    return site, out, warm


def _add_article(site: Path, slug: str, title: str) -> Path:
    """A new article of 2022-05-28, the example's newest day: the home page lists it."""
    added = site / "content" / "2022" / f"{slug}.md"
    added.write_text(
        f"---\ntitle: {title}\ndate: 2022-05-28\nsource: The Moscow Times\n"
        f"source_url: https://example.org/{slug}\ntags: [russia]\n---\nA new article.\n",
        encoding="utf-8",
    )
    return added


def _add_tag(path: Path, tag: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^tags: \[", f"tags: [{tag}, ", text, count=1, flags=re.M), encoding="utf-8")


def test_an_article_edited_under_a_kept_plan_then_reverted_is_finished_again(tmp_path: Path) -> None:
    """A body edit keeps the plan and takes the new body into the kept article in place
    (bodyedits.keep_last_plan); the file written back as it was is the selection's article of
    two builds ago again, whose finished object now holds the edited body: not to be taken."""
    site, out, warm = _built_warm(tmp_path)
    first, second = sorted((site / "content").rglob("*.md"))[:2]
    original = first.read_text(encoding="utf-8")
    first.write_text(original + "\nA paragraph written and taken back.\n", encoding="utf-8")
    edited, _ = _build(site, out, warm)
    assert edited.ok and edited.rendered["page"] >= 1
    first.write_text(original, encoding="utf-8")
    _add_tag(second, "kept-or-not")  # a tag edit: the site is selected and indexed afresh
    reverted, _ = _build(site, out, warm)
    assert reverted.ok, reverted.diagnostics.items
    assert "A paragraph written and taken back." not in "".join(
        p.read_text(encoding="utf-8") for p in out.rglob("*.html")
    )
    _same_as_clean(site, out, tmp_path)


def test_a_story_retitled_in_stories_yaml_retitles_its_edition_sections(tmp_path: Path) -> None:
    """The articles are the same objects (nothing in them changed), the story group is not: the
    editions' sections that hold the story are made again."""
    site, out, warm = _built_warm(tmp_path)
    old = "Russian servicemen who refuse to fight in Ukraine"
    stories = site / "stories.yaml"
    stories.write_text(
        stories.read_text(encoding="utf-8").replace(old, "Refusing to fight"), encoding="utf-8"
    )
    again, _ = _build(site, out, warm)
    assert again.ok, again.diagnostics.items
    editions = [p.read_text(encoding="utf-8") for p in (out / "editions").rglob("index.html")]
    assert any("Refusing to fight" in page for page in editions)
    _same_as_clean(site, out, tmp_path)


def test_tag_edits_added_and_deleted_articles_keep_what_did_not_change(tmp_path: Path) -> None:
    """The shortcut is taken (most stories and sections are the kept objects) and the output is
    still a clean build's after each kind of edit."""
    site, out, warm = _built_warm(tmp_path)
    files = sorted((site / "content").rglob("*.md"))
    added = files[0].parent / "zz-added.md"
    edits = [
        lambda: _add_tag(files[-1], "warm-tag"),
        lambda: added.write_text(files[0].read_text(encoding="utf-8").replace("title: ", "title: New ", 1)),
        lambda: added.unlink(),
    ]
    for edit in edits:
        before = {path: entry[5] for path, entry in warm.finished.items()}
        sections = {start: entry[2] for start, entry in warm.index[""].sections.items()}
        edit()
        result, _ = _build(site, out, warm)
        assert result.ok, result.diagnostics.items
        same = sum(1 for path, entry in warm.finished.items() if before.get(path) is entry[5])
        assert same >= len(before) - 2 and same >= 1
        kept = warm.index[""].sections
        assert sum(1 for start, entry in kept.items() if sections.get(start) is entry[2]) >= len(kept) - 2
        _same_as_clean(site, out, tmp_path)


def test_what_a_warm_build_replaces_is_freed_after_the_open_page_not_before(tmp_path: Path) -> None:
    """An added article makes the site planned again (WarmState.forget_plan): the last plan's
    pages, tens of thousands of objects on a large site, are freed when the build is over
    (WarmState.held), so that freeing them does not delay the open page."""
    site, out, warm = _built_warm(tmp_path)
    old_plans = [weakref.ref(plan) for plan in warm.plans]
    assert old_plans
    alive_at_handover: list[int] = []
    warm.first = frozenset({"index.html"})
    warm.early = lambda pages: alive_at_handover.append(sum(ref() is not None for ref in old_plans))
    _add_article(site, "freed-later", "Freed later")
    result, _ = _build(site, out, warm)
    assert result.ok, result.diagnostics.items
    assert alive_at_handover == [len(old_plans)], "the last plan was freed before the open page"
    gc.collect()
    # but for the period pages' plans kept for the next build (plan/periods.py KeptPeriods)
    now = {id(plan) for plan in warm.plans}
    outlived = [plan for ref in old_plans if (plan := ref()) is not None and id(plan) not in now]
    assert not outlived, "the last plan outlived the build"
    assert sum(ref() is None for ref in old_plans) > len(old_plans) // 2
    _same_as_clean(site, out, tmp_path)


def test_a_save_under_serve_writes_the_parse_cache_after_the_open_page(tmp_path: Path) -> None:
    """A build that looked only at the watcher's paths saves the parse cache (for the next
    process) at its end, once the open page is handed over; saved it is, failed build or not."""
    from generator.core.diagnostics import Diagnostics
    from generator.engine.parsecache import ParseCache

    site, out, warm = _built_warm(tmp_path)
    cache = warm.parse_cache
    assert cache is not None

    def saved() -> dict[str, tuple[int, int]]:
        return {
            p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in cache.path.parent.glob("articles-*")
        }

    def on_disk(rel: str) -> bool:
        return rel in ParseCache.load(site, cache.fingerprint, Diagnostics(root=site)).entries

    at_handover: list[bool] = []
    warm.first = frozenset({"index.html"})
    warm.early = lambda pages: at_handover.append(on_disk("2022/saved-later.md"))
    added = _add_article(site, "saved-later", "Saved later")
    warm.hint = frozenset({added})
    before = saved()
    result, _ = _build(site, out, warm)
    assert result.ok and result.parsed == 1, result.diagnostics.items
    assert at_handover == [False], "the parse cache was saved before the open page was handed over"
    assert saved() != before and on_disk("2022/saved-later.md")
    assert warm.unsaved is None
    # a build that fails (here: a broken link) saves it all the same
    broken = site / "content" / "2022" / "broken-link.md"
    broken.write_text(
        added.read_text(encoding="utf-8").replace("saved-later", "broken-link")
        + "\n[a link](missing-article.md)\n",
        encoding="utf-8",
    )
    warm.hint = frozenset({broken})
    failed, _ = _build(site, out, warm)
    assert not failed.ok and on_disk("2022/broken-link.md")


def test_a_build_that_fails_before_indexing_keeps_the_related_articles_memory(tmp_path: Path) -> None:
    """Under serve, a file read just as the next save truncated it fails the build before the
    index is made: the related articles' memory was not touched, so the next build takes it
    as it is instead of loading it from the cache folder."""
    site, out, warm = _built_warm(tmp_path)
    memory = warm.memory
    assert memory is not None
    broken = site / "content" / "2022" / "truncated.md"
    broken.write_text("", encoding="utf-8")
    warm.hint = frozenset({broken})
    failed, _ = _build(site, out, warm)
    assert not failed.ok and warm.memory is memory
    broken.unlink()
    warm.hint = frozenset({broken})
    result, loads = _build(site, out, warm)
    assert result.ok and loads == {}, loads
    _same_as_clean(site, out, tmp_path)
