"""`digest build` keeps what select_articles and check_site made (engine/lastselection.py), and
a build whose inputs are all the same finds that nothing changed without loading the parse
cache, selecting or fingerprinting. It must be exactly as correct as the build without it: each
case below is built twice from the same saved state of the site, its cache and its output, once
with the kept selection and once without it, and both builds must report and write the same.
The builds run in the test's own process, as `digest build` runs them (no warm state)."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EPOCH, FIXTURES, copy_site, files_under
from generator.build import BuildOptions, BuildResult, build
from generator.engine import state
from generator.engine.process import STATE

Change = Callable[[Path], dict[str, Any]]  # edits the site; returns BuildOptions' changes


@pytest.fixture(autouse=True)
def _like_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")


def _aged(site: Path) -> None:
    """Article files written an hour ago: mtimes the parse cache (and so the kept selection)
    trusts at once, as a site's files are, but for the one just saved."""
    old = time.time() - 3600
    for path in (site / "content").rglob("*.md"):
        os.utime(path, (old, old))


def _build(site: Path, **changes: Any) -> tuple[BuildResult, dict[str, int]]:
    before = dict(STATE.hook_counts)
    result = build(BuildOptions(**{"site_dir": site, "jobs": 1, **changes}))
    counts = {k: n - before.get(k, 0) for k, n in STATE.hook_counts.items() if n != before.get(k, 0)}
    return result, counts


def _seen(result: BuildResult, out: Path) -> tuple[object, ...]:
    """What a build reported and left in its output folder."""
    return (
        result.ok,
        result.articles,
        result.drafts_left_out,
        [(a.path, a.date) for a in result.future_left_out],
        (result.written, result.unchanged, result.removed),
        sorted(d.format() for d in result.diagnostics.items),
        files_under(out) if out.is_dir() else None,
    )


def _restore(saved: Path, site: Path) -> None:
    shutil.rmtree(site)
    shutil.copytree(saved, site, symlinks=True)  # copy2: mtimes as they were


def _both_ways(tmp_path: Path, change: Change) -> tuple[tuple[object, ...], dict[str, int]]:
    """The build after `change`, with the kept selection and without it: the same report and
    output, or the test fails. Returns the first's, and its counts (select:last: the kept
    selection was enough)."""
    site = copy_site(FIXTURES / "golden", tmp_path / "site")
    _aged(site)
    first, _ = _build(site)
    assert first.ok, first.diagnostics.items
    assert state.selection_file(site).is_file()
    saved = tmp_path / "saved"
    shutil.copytree(site, saved, symlinks=True)
    seen = []
    counts = {}
    for keep in (True, False):
        _restore(saved, site)
        if not keep:
            state.selection_file(site).unlink()
        options = change(site)
        result, counts_now = _build(site, **options)
        seen.append(_seen(result, options.get("output_dir") or site / "site"))
        if keep:
            counts = counts_now
        else:
            assert "select:last" not in counts_now
    with_kept, without = seen
    assert with_kept == without
    return with_kept, counts


def _nothing(site: Path) -> dict[str, Any]:
    return {}


def test_a_build_with_nothing_changed_takes_the_kept_selection(tmp_path: Path) -> None:
    seen, counts = _both_ways(tmp_path, _nothing)
    assert counts.get("select:last") == 1
    # nor was the parse cache loaded: the kept selection and the record were enough
    assert {k for k in counts if k.startswith("load:")} == {"load:selection", "load:record"}
    ok, articles, drafts, future, (written, unchanged, removed), notes, _ = seen
    assert ok and articles == 4 and drafts == 1 and future == [("notes/future.md", future[0][1])]  # type: ignore[index]
    assert notes  # the fixture's warnings, said again as the build without it says them
    assert written == 0 and unchanged > 0 and removed == 0


def _edit(name: str, old: str, new: str) -> Change:
    def change(site: Path) -> dict[str, Any]:
        path = site / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, text)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return {}

    return change


def _options(**changes: Any) -> Change:
    return lambda site: changes


def _clock(epoch: str) -> Change:
    def change(site: Path) -> dict[str, Any]:
        os.environ["SOURCE_DATE_EPOCH"] = epoch  # restored by the fixture's monkeypatch
        return {}

    return change


def _delete_output(rel: str) -> Change:
    def change(site: Path) -> dict[str, Any]:
        (site / "site" / rel).unlink()
        return {}

    return change


def _theme(site: Path) -> dict[str, Any]:
    partials = site / "themes" / "default" / "templates" / "partials"
    partials.mkdir(parents=True)
    (partials / "card.html").write_text(
        '{% macro card(article) %}<p class="mine">{{ article.title }}</p>{% endmacro %}\n', encoding="utf-8"
    )
    return {}


def _touched(site: Path) -> dict[str, Any]:
    path = site / "content" / "world" / "cyrillic.md"
    old = time.time() - 1800
    os.utime(path, (old, old))  # the same bytes, another mtime: read again, nothing changes
    return {}


def _body(site: Path) -> dict[str, Any]:
    path = site / "content" / "world" / "cyrillic.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nЕщё абзац.\n", encoding="utf-8")
    return {}


def _same_size_same_mtime(site: Path) -> dict[str, Any]:
    """A file rewritten with other bytes of the same length and its mtime put back: the parse
    cache trusts it as it was (its mtime is old), and so must the kept selection."""
    path = site / "content" / "world" / "cyrillic.md"
    stat = path.stat()
    data = path.read_bytes()
    assert b"10 " in data
    path.write_bytes(data.replace(b"10 ", b"11 ", 1))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return {}


def _new_article(site: Path) -> dict[str, Any]:
    source = site / "content" / "world" / "cyrillic.md"
    shutil.copy2(source, site / "content" / "world" / "copy.md")  # an old mtime, a new file
    text = (site / "content" / "world" / "copy.md").read_text(encoding="utf-8")
    (site / "content" / "world" / "copy.md").write_text(text.replace("title:", "slug: copy\ntitle:", 1))
    return {}


def _removed_article(site: Path) -> dict[str, Any]:
    (site / "content" / "world" / "guardsmen.md").unlink()
    return {}


def _no_parse_cache(site: Path) -> dict[str, Any]:
    for path in (site / state.FOLDER).glob("articles-*.pickle"):
        path.unlink()
    return {}


CASES: dict[str, Change] = {
    "parse cache deleted": _no_parse_cache,
    "drafts": _options(drafts=True),
    "future": _options(future=True),
    "base_url": _options(base_url="https://other.example/"),
    "output folder": lambda site: {"output_dir": site / "elsewhere"},
    "clean": _options(clean=True),
    "strict": _options(strict=True),
    "clock: the future article comes due": _clock("4102444800"),  # 2100-01-01
    "clock: gone back before the articles": _clock("1600000000"),  # 2020-09-13
    "clock: the news window": _clock("1653739200"),  # 2022-05-28 12:00 UTC
    "digest.yaml": _edit("digest.yaml", "A small site", "A smaller site"),
    "sources.yaml": _edit("sources.yaml", "British national tabloid.", "A British tabloid."),
    "stories.yaml": _edit("stories.yaml", "who refuse to fight", "who will not fight"),
    "theme": _theme,
    "output file deleted": _delete_output("index.html"),
    "output marker deleted": _delete_output(".digest-output"),
    "an article touched": _touched,
    "a body edited": _body,
    "an article added": _new_article,
    "an article removed": _removed_article,
    "same size and mtime": _same_size_same_mtime,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_input_is_seen_as_the_build_sees_it(tmp_path: Path, case: str) -> None:
    _, counts = _both_ways(tmp_path, CASES[case])
    # only these leave the kept selection standing and the output as it was
    stands = case in ("output file deleted", "same size and mtime")
    assert ("select:last" in counts) == stands, counts


def test_the_news_window_moves_with_the_clock(tmp_path: Path) -> None:
    """Two days after the articles, the Google News sitemap no longer lists them: the kept
    selection holds (the same articles are selected) but the site's keys are new."""
    site = copy_site(FIXTURES / "golden", tmp_path / "site")
    _aged(site)
    os.environ["SOURCE_DATE_EPOCH"] = "1653739200"  # 2022-05-28 12:00 UTC
    assert _build(site)[0].ok
    news = (site / "site" / "news-sitemap.xml").read_text(encoding="utf-8")
    assert "<url>" in news
    os.environ["SOURCE_DATE_EPOCH"] = str(1653739200 + 3 * 86400)
    result, counts = _build(site)
    assert result.ok and "select:last" not in counts and result.written >= 1
    assert "<url>" not in (site / "site" / "news-sitemap.xml").read_text(encoding="utf-8")


def test_a_kept_selection_of_another_format_or_version_is_no_selection(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "site")
    _aged(site)
    first, _ = _build(site)
    assert first.ok
    path = state.selection_file(site)
    with path.open("rb") as handle:
        header = pickle.load(handle)
        value = pickle.load(handle)
    for other in [("digest", state.FORMAT - 1, header[2], "selection"), ("digest", state.FORMAT, "0.0.1", "selection")]:
        with path.open("wb") as handle:
            pickle.dump(other, handle)
            pickle.dump(value, handle)
        result, counts = _build(site)
        assert result.ok and result.diagnostics.items == first.diagnostics.items  # no warning more
        assert "select:last" not in counts and "load:articles" in counts
        assert result.written == 0
    # rewritten by that build: the next one takes it
    assert _build(site)[1].get("select:last") == 1


def test_a_cache_folder_of_another_version_warns_as_usual(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "site")
    _aged(site)
    assert _build(site)[0].ok
    for path in (site / state.FOLDER).glob("*.pickle"):
        data = path.read_bytes()
        with path.open("rb") as handle:
            header = pickle.load(handle)
            rest = handle.read()
        assert data.endswith(rest)
        path.write_bytes(pickle.dumps(("digest", state.FORMAT - 1, header[2], header[3])) + rest)
    result, counts = _build(site)
    assert "select:last" not in counts
    warnings = [d.format() for d in result.diagnostics.items]
    assert any("cache discarded and rebuilt" in w for w in warnings), warnings


def test_a_kept_selection_of_an_older_layout_is_no_selection(tmp_path: Path) -> None:
    """The same header (digest's version and format) over a LastSelection saved with other
    fields, as a development build between two releases leaves it: no selection, under
    --strict too (which reads a field the older layout lacks)."""
    site = copy_site(FIXTURES / "golden", tmp_path / "site")
    _aged(site)
    assert _build(site)[0].ok
    path = state.selection_file(site)
    with path.open("rb") as handle:
        header = pickle.load(handle)
        value = pickle.load(handle)
    older = vars(value).copy()
    del older["warned"]
    older["files"] = {"notes/draft.md": (1, 2)}
    value.__dict__.clear()
    value.__dict__.update(older)
    for strict in (True, False):
        with path.open("wb") as handle:
            pickle.dump(header, handle)
            pickle.dump(value, handle)
        result, counts = _build(site, strict=strict)
        assert "select:last" not in counts and "load:articles" in counts
        assert result.ok == (not strict)  # the fixture's warnings are errors under --strict
