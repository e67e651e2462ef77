"""A build handed a WarmState (what `digest serve` keeps between its builds: engine/warm.py)
takes the parse cache, the record, the related articles' memory and the templates'
dependencies from it instead of the cache folder, and its output is still what a clean build
makes, byte for byte. These builds run in the test's own process, as serve's do in its."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from conftest import EPOCH, FIXTURES, REPO, copy_site, files_under, run_digest
from engine.test_incremental import _article, _card_edit, _edit, _set_field
from generator.build import BuildOptions, BuildResult, WarmState, build
from generator.engine.process import STATE

# edits of articles only: the settings and the theme stay, so nothing kept is out of date
CONTENT_ONLY = {"add", "delete", "rename", "body", "tags", "date", "draft", "source", "story", "via"}
CONTENT_ONLY |= {"mixed", "alias"}


@pytest.fixture(autouse=True)
def _like_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment run_digest gives the CLI: a fixed clock, page keys verified."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")


def _build(site: Path, out: Path, warm: WarmState | None) -> tuple[BuildResult, dict[str, int]]:
    """One build in this process, and the files of the cache folder it read, by kind."""
    before = dict(STATE.hook_counts)
    result = build(BuildOptions(site_dir=site, output_dir=out, jobs=2), warm=warm)
    loads = {
        point.removeprefix("load:"): n - before.get(point, 0)
        for point, n in STATE.hook_counts.items()
        if point.startswith("load:") and n != before.get(point, 0)
    }
    return result, loads


def _same_as_clean(site: Path, out: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    done = run_digest("build", "-s", site, "-o", clean, "--clean")
    assert done.code == 0, done.err
    assert files_under(out) == files_under(clean)
    shutil.rmtree(clean)


def test_a_warm_build_reads_nothing_the_last_build_saved(tmp_path: Path) -> None:
    site = copy_site(REPO, tmp_path / "site")
    out = tmp_path / "out"
    warm = WarmState()
    first, loads = _build(site, out, warm)
    assert first.ok, first.diagnostics.items
    assert loads  # the first build of the process finds what earlier processes saved, if anything
    article = sorted((site / "content").rglob("*.md"))[1]
    article.write_text(article.read_text(encoding="utf-8") + "\nA warm edit.\n", encoding="utf-8")
    kept = STATE.hook_counts.get("plan:kept", 0)
    second, loads = _build(site, out, warm)
    assert second.ok and second.parsed == 1 and second.rendered["page"] >= 1
    assert loads == {} and second.loaded == 0
    assert STATE.hook_counts.get("plan:kept", 0) == kept + 1  # only a body changed: not planned again
    _same_as_clean(site, out, tmp_path)
    # the same edit built as `digest build` builds it (no state handed in) reads the cache
    # folder: what the count above would have caught
    article.write_text(article.read_text(encoding="utf-8") + "\nA cold edit.\n", encoding="utf-8")
    cold, loads = _build(site, out, None)
    assert cold.ok and cold.parsed == 1
    assert {"articles", "record", "related"} <= loads.keys() and cold.loaded >= 3
    _same_as_clean(site, out, tmp_path)


def test_a_build_that_stops_midway_leaves_no_state_behind(tmp_path: Path) -> None:
    site = copy_site(REPO, tmp_path / "site")
    out = tmp_path / "out"
    warm = WarmState()
    assert _build(site, out, warm)[0].ok
    article = sorted((site / "content").rglob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nStopped.\n", encoding="utf-8")

    class Stop(Exception):
        pass

    def stop(stage: str, done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        build(BuildOptions(site_dir=site, output_dir=out, jobs=1), progress=stop, warm=warm)
    assert warm == WarmState()  # everything dropped: the next build loads from disk
    again, loads = _build(site, out, warm)
    assert again.ok and {"articles", "record"} <= loads.keys()
    _same_as_clean(site, out, tmp_path)


def test_random_edits_with_one_warm_state_always_match_a_clean_build(tmp_path: Path) -> None:
    """The random walk of test_incremental.py, every build in this process with the same state,
    settings and theme edits included (each kept part is keyed by what it was made from)."""
    rng = random.Random(20261203)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        "title: Warm\nbase_url: https://example.org/w/\ntimezone: Europe/Moscow\nper_page: 3\n"
        "links:\n  root: https://example.org/\n",
        encoding="utf-8",
    )
    counter = [0]
    for _ in range(12):
        counter[0] += 1
        (site / "content" / f"a{counter[0]}.md").write_text(_article(rng, counter[0]), encoding="utf-8")
    out = tmp_path / "warm"
    warm = WarmState()
    first, _ = _build(site, out, warm)
    assert first.ok, first.diagnostics.items
    warm_builds = 0
    kept_plans = STATE.hook_counts.get("plan:kept", 0)
    for step in range(30):
        action = _edit(rng, site, counter)
        result, loads = _build(site, out, warm)
        assert result.ok, f"step {step} ({action}): {[d.format() for d in result.diagnostics.items]}"
        if action in CONTENT_ONLY and result.rendered:
            # rendered: the build went past the no-op check, where the first loads happen
            assert not {"articles", "journal", "record"} & loads.keys(), f"step {step} ({action}): {loads}"
            warm_builds += 1
        clean_out = tmp_path / f"clean{step}"
        clean = run_digest("build", "-s", site, "-o", clean_out, "--clean")
        assert clean.code == 0, clean.err
        assert files_under(out) == files_under(clean_out), f"step {step}: after '{action}' the output differs"
        shutil.rmtree(clean_out)
    assert warm_builds >= 10  # the walk did exercise the warm path
    assert STATE.hook_counts.get("plan:kept", 0) - kept_plans >= 2  # and body-only edits


def test_a_kept_plan_rerenders_lists_whose_template_shows_bodies(tmp_path: Path) -> None:
    """A body edit keeps the last plan (warm.py); a list page whose template reads bodies holds
    the kept article, which took the new body, and is rendered again."""
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    custom = site / "themes" / "default" / "templates"
    custom.mkdir(parents=True)
    source = (REPO / "themes" / "default" / "templates" / "tag.html").read_text(encoding="utf-8")
    assert "{{ card_list(articles) }}" in source
    (custom / "tag.html").write_text(
        source.replace("{{ card_list(articles) }}", "{% for a in articles %}{{ a.content }}{% endfor %}"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    warm = WarmState()
    assert _build(site, out, warm)[0].ok
    path = site / "content" / "world" / "cyrillic.md"
    for n in range(3):
        path.write_text(path.read_text(encoding="utf-8") + f"\nНовый абзац {n} в теле.\n", encoding="utf-8")
        kept = STATE.hook_counts.get("plan:kept", 0)
        result, _ = _build(site, out, warm)
        assert result.ok and STATE.hook_counts.get("plan:kept", 0) == kept + 1
        tag_pages = [p for p in files_under(out) if p.startswith("tags/") and p.endswith("index.html")]
        shown = [p for p in tag_pages if f"Новый абзац {n} в теле" in (out / p).read_text(encoding="utf-8")]
        assert shown, "the custom tag template prints bodies"
        assert result.rendered["page"] == 1 + len(shown)
        _same_as_clean(site, out, tmp_path)


def test_list_pages_rendered_again_reuse_the_cards_of_unchanged_articles(tmp_path: Path) -> None:
    """A tag edit renders the lists again; each card (partials/card.html) of an article that
    did not change is the one the last build made, not rendered anew, and a changed
    article's card is new. The output is a clean build's."""
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    out = tmp_path / "out"
    warm = WarmState()
    path = site / "content" / "world" / "guardsmen.md"
    assert _build(site, out, warm)[0].ok
    cards: dict[str, object] = {}
    for n in range(3):
        _set_tags(path, f"[russia, military, tag{n}]")
        result, _ = _build(site, out, warm)
        assert result.ok, result.diagnostics.items
        _, now = warm.cards[""]
        changed = {a.fp for a in warm.articles if a.path == "world/guardsmen.md"}
        if n:
            reused = {fp for fp in cards if fp in now and fp not in changed}
            assert reused and all(now[fp] is cards[fp] for fp in reused)
            assert changed <= now.keys() and not changed & cards.keys()
        cards = dict(now)
        _same_as_clean(site, out, tmp_path)


def _set_tags(path: Path, tags: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, body = text.split("---\n", 2)[1:]
    lines = [ln for ln in head.splitlines() if not ln.startswith("tags:")] + [f"tags: {tags}"]
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def _counts() -> tuple[int, int]:
    return STATE.hook_counts.get("select:kept", 0), STATE.hook_counts.get("plan:kept-cards", 0)


def test_card_edits_that_move_nothing_keep_the_selection_and_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A summary, authors, an image or a title (the slug set) change what pages show of an
    article, not where it is listed: the kept selection and plan stand (bodyedits.same_shape),
    the kept article takes the new card in place, and every page showing it is rendered again.
    Only the pages that hold the article are keyed again (engine/readers.py; the walk below
    verifies that every other page's key is unchanged). A title that names a story or a
    redirect page, or a summary with a new link, is planned (or selected) again. Every output
    is a clean build's."""
    monkeypatch.delenv("DIGEST_VERIFY_SCOPES")  # which works out every key, to compare
    site = tmp_path / "site"
    content = site / "content"
    content.mkdir(parents=True)
    (site / "digest.yaml").write_text(
        "title: Cards\nbase_url: https://example.org/c/\nper_page: 2\n", encoding="utf-8"
    )
    for n in range(30):
        extra = {0: "story: refuseniks\n", 1: "aliases: [/old/one/]\n"}.get(n, "")
        (content / f"a{n}.md").write_text(
            f"---\ntitle: Article {n}\nslug: s{n}\ndate: 2022-05-{n + 1:02d}\n"
            f"source: {('Mirror', 'Meduza', 'Reuters')[n % 3]}\ntags: [t{n % 5}]\n{extra}---\nBody {n}.\n",
            encoding="utf-8",
        )
    out = tmp_path / "out"
    warm = WarmState()
    assert _build(site, out, warm)[0].ok
    target = content / "a29.md"
    for name, value, shown in [
        ("summary", "A summary of the last.", "A summary of the last."),
        ("author", "[Ann Lee]", "Ann Lee"),
        ("image", "https://example.org/29.jpg", "https://example.org/29.jpg"),
        ("title", "Renamed the last", "Renamed the last"),
        ("summary", None, "Renamed the last"),
    ]:
        selected, kept = _counts()
        _set_field(target, name, value)
        result, _ = _build(site, out, warm)
        assert result.ok, result.diagnostics.items
        assert _counts() == (selected + 1, kept + 1), name
        # only the pages that hold the article are keyed (engine/readers.py), not the site's
        pages = [f for f in files_under(out) if f.endswith(".html")]
        assert 0 < result.fingerprinted < len(pages) / 3, (result.fingerprinted, len(pages))
        assert shown in (out / "2022" / "05" / "30" / "s29" / "index.html").read_text(encoding="utf-8")
        if name in ("summary", "title") and value:
            assert shown in (out / "index.html").read_text(encoding="utf-8")  # its card on the home page
        _same_as_clean(site, out, tmp_path)
    for path, name, value in [
        (content / "a0.md", "title", "The story's first"),  # names the story's page
        (content / "a1.md", "title", "Moved once"),  # names its redirect page
    ]:
        _, kept = _counts()
        _set_field(path, name, value)
        result, _ = _build(site, out, warm)
        assert result.ok and _counts()[1] == kept, name
        _same_as_clean(site, out, tmp_path)
    assert "The story&#39;s first" in (out / "stories" / "refuseniks" / "index.html").read_text(encoding="utf-8")
    selected, kept = _counts()
    _set_field(target, "summary", "See [the first](a0.md).")  # a new link: resolved by select again
    result, _ = _build(site, out, warm)
    assert result.ok and _counts() == (selected, kept + 1)
    assert 'href="/c/2022/05/01/s0/"' in (out / "index.html").read_text(encoding="utf-8")  # its card
    _same_as_clean(site, out, tmp_path)


def test_random_card_edits_with_one_warm_state_always_match_a_clean_build(tmp_path: Path) -> None:
    """The random walk above without links.root (which selects every article again), so that
    edits to cards take the kept selection."""
    rng = random.Random(20261204)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        "title: Walk\nbase_url: https://example.org/w/\nper_page: 3\n", encoding="utf-8"
    )
    counter = [0]
    for _ in range(10):
        counter[0] += 1
        path = site / "content" / f"a{counter[0]}.md"
        path.write_text(_article(rng, counter[0]), encoding="utf-8")
        _set_field(path, "slug", path.stem)  # a new title keeps the URL
    out = tmp_path / "warm"
    warm = WarmState()
    assert _build(site, out, warm)[0].ok
    before = _counts()
    for step in range(24):
        files = sorted((site / "content").glob("*.md"))
        shown = [f for f in files if "draft: true" not in f.read_text(encoding="utf-8")]
        if rng.random() < 0.7 and shown:
            action = "card"
            _card_edit(rng, rng.choice(shown), counter[0])
        else:
            action = _edit(rng, site, counter)
        result, _ = _build(site, out, warm)
        assert result.ok, f"step {step} ({action}): {[d.format() for d in result.diagnostics.items]}"
        clean_out = tmp_path / f"clean{step}"
        clean = run_digest("build", "-s", site, "-o", clean_out, "--clean")
        assert clean.code == 0, clean.err
        assert files_under(out) == files_under(clean_out), f"step {step}: after '{action}' the output differs"
        shutil.rmtree(clean_out)
    after = _counts()
    assert after[0] - before[0] >= 4 and after[1] - before[1] >= 4  # the walk took both shortcuts


def test_card_edits_in_a_multilingual_site_keep_the_plan_and_match_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each language's Site and the pages' versions (translations, hreflang) stand too."""
    later = "1790000000"  # 2026: the fixture's articles (2024) are not in the future
    monkeypatch.setenv("SOURCE_DATE_EPOCH", later)
    site = copy_site(FIXTURES / "multilingual", tmp_path / "site")
    out = tmp_path / "out"
    warm = WarmState()
    assert _build(site, out, warm)[0].ok
    rng = random.Random(5)
    files = sorted((site / "content").rglob("*.md"))
    for step in range(6):
        path = rng.choice(files)
        name = ("summary", "author", "image")[step % 3]
        value = {"summary": f"Summary {step}, ünïcode.", "author": f"[Writer {step}]"}.get(name)
        _set_field(path, name, value or f"https://example.org/{step}.jpg")
        selected, kept = _counts()
        result, _ = _build(site, out, warm)
        assert result.ok, [d.format() for d in result.diagnostics.items]
        assert _counts() == (selected + 1, kept + 1), (step, path)
        clean = tmp_path / "clean"
        done = run_digest("build", "-s", site, "-o", clean, "--clean", env={"SOURCE_DATE_EPOCH": later})
        assert done.code == 0, done.err
        assert files_under(out) == files_under(clean), (step, path)
        shutil.rmtree(clean)
