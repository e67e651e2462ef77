"""The build engine's shortcuts through whole builds, each checked against the long way round:
the parse cache's journal and its worn body packs against a fresh parse, and the scopes that
let a page keep its fingerprint against DIGEST_VERIFY_SCOPES. The pure shortcuts are unit-tested:
related articles in tests/unit/index/test_related.py, body reads in
tests/unit/engine/test_themedeps.py, XML escaping in tests/unit/core/test_xmltext.py and the
pager in tests/unit/plan/test_pages.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conftest import EPOCH, FIXTURES, copy_site, files_under, run_digest
from generator.plan.inputs import PagePlan


def test_a_journal_edit_keeps_the_cache_exact(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    assert run_digest("build", "-s", site, "-o", tmp_path / "a").code == 0
    path = site / "content" / "notes" / "accented.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert run_digest("build", "-s", site, "-o", tmp_path / "a").code == 0
    (journal,) = (site / ".digest-cache").glob("articles-*.journal")  # the edit went to the journal
    again = run_digest("build", "-s", site, "-o", tmp_path / "a")
    assert again.report["parsed"] == 0 and again.report["written"] == 0, again.report
    fresh = run_digest("build", "-s", site, "-o", tmp_path / "b", "--clean")
    assert fresh.code == 0
    assert files_under(tmp_path / "a") == files_under(tmp_path / "b")
    journal.write_bytes(b"damaged")
    damaged = run_digest("build", "-s", site, "-o", tmp_path / "a")
    assert damaged.code == 0
    assert "warning: cache discarded and rebuilt" in damaged.err
    assert damaged.report["parsed"] == 6, damaged.report


def test_packs_of_replaced_bodies_are_emptied_and_removed(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    packs = site / ".digest-cache" / "html"
    (first,) = packs.glob("*.pack")  # one pack for the six articles parsed
    edited = [p for p in sorted((site / "content").rglob("*.md")) if p.name != "draft.md"]
    for path in edited:
        path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    assert run_digest("build", "-s", site, "-o", out).code == 0
    assert first.exists() and len(list(packs.glob("*.pack"))) == 2
    # one short body of its six is still in use: the next build parses that article again,
    # into a new pack, and removes the worn one; the output does not change
    again = run_digest("build", "-s", site, "-o", out)
    assert again.code == 0
    assert again.report["parsed"] == 1 and again.report["written"] == 0, again.report
    assert not first.exists() and len(list(packs.glob("*.pack"))) == 2
    clean = run_digest("build", "-s", site, "-o", tmp_path / "clean", "--clean")
    assert clean.code == 0
    assert files_under(out) == files_under(tmp_path / "clean")


def _plans_with(monkeypatch: pytest.MonkeyPatch, change: Callable[[PagePlan, Any], PagePlan]) -> None:
    """Article pages planned by `change(plan, site)` instead."""
    import generator.plan.languages as build_module

    planned = build_module.plan_pages

    def changed(site: Any, config: Any, kept: Any = None) -> list[PagePlan]:
        made = planned(site, config, kept)
        return [change(p, site) if p.template == "article.html" else p for p in made]

    monkeypatch.setattr(build_module, "plan_pages", changed)


def test_verifying_catches_a_plan_that_misses_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's key is made of its plan's inputs, and PagePlan.of makes its context of the
    same inputs, so no input can be missing from it. A plan made by hand can hold a context
    made of more than it declares (here: article pages that declare only their own article,
    not the neighbours whose titles they show): that would keep stale pages, and
    DIGEST_VERIFY_SCOPES, set in every test build, makes it an internal error."""
    from generator.build import BuildOptions, build

    def fewer(plan: PagePlan, _: Any) -> PagePlan:
        context = plan.context  # made of all its inputs, but only two declared
        return PagePlan(plan.url, plan.template, plan.inputs[:2], lambda *_: context)

    _plans_with(monkeypatch, fewer)
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    options = BuildOptions(site_dir=site, output_dir=tmp_path / "out", jobs=1)
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")
    assert not build(options).diagnostics.errors
    path = site / "content" / "world" / "guardsmen.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: ", "title: Retitled ", 1), encoding="utf-8"
    )
    with pytest.raises(RuntimeError, match="changed, but its key was kept: an input is missing"):
        build(options)
    monkeypatch.delenv("DIGEST_VERIFY_SCOPES")
    assert not build(options).diagnostics.errors  # unverified: stale pages, as a clean build shows
    assert not build(replace(options, output_dir=tmp_path / "clean")).diagnostics.errors
    assert files_under(tmp_path / "out") != files_under(tmp_path / "clean")


def test_verifying_catches_an_input_the_context_does_not_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other way round: an input that the context does not use re-renders pages for
    nothing (here: every article of the site, on each article page; then one article's author
    changes, which the other article pages do not show)."""
    from generator.build import BuildOptions, build

    def more(plan: PagePlan, site: Any) -> PagePlan:
        return PagePlan(plan.url, plan.template, (*plan.inputs, site.articles), lambda *_: plan.context)

    _plans_with(monkeypatch, more)
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    options = BuildOptions(site_dir=site, output_dir=tmp_path / "out", jobs=1)
    monkeypatch.setenv("DIGEST_VERIFY_SCOPES", "1")
    assert not build(options).diagnostics.errors
    path = site / "content" / "world" / "guardsmen.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Second Writer", "Other Writer", 1), encoding="utf-8"
    )
    with pytest.raises(RuntimeError, match="its key changed, but its context did not"):
        build(options)


# what a build that finds nothing changed must not import: the renderer (Jinja2), the Markdown
# stack (what parse_article uses), Babel (catalogs, and even `language:`'s check), the worker
# pool, the site's index and plan. Each is a few to tens of milliseconds of a no-op's start.
NOT_IN_A_NO_OP = (
    "jinja2",
    "babel",
    "comrak",
    "markdown_it",
    "mdit_py_plugins",
    "nh3",
    "slugify",
    "multiprocessing",
    "importlib.metadata",
    "generator.parse.article",
    "generator.parse.markdown",
    "generator.engine.workers",
    "generator.core.groups",
    "generator.index.site",
    "generator.plan.inputs",
    "generator.plan.pages",
    "generator.render.templates",
)


# and what one that finds its last selection standing (engine/lastselection.py) need not: the
# parse stage's driver (parsing, with the worker pool's serial half), selection and checks
NOT_IN_A_NO_OP_KEPT = (
    *NOT_IN_A_NO_OP,
    "generator.engine.parsing",
    "generator.engine.tasks",
    "generator.index.select",
)


@pytest.mark.parametrize("kept", [True, False], ids=["kept selection", "no kept selection"])
def test_a_build_that_finds_nothing_changed_imports_only_what_it_reads(tmp_path: Path, kept: bool) -> None:
    """Start-up is most of a no-op build's cost: one that stops at compare_with_last_build
    imports neither Jinja (rendering), nor the Markdown stack (the parse cache's entries are
    in parse/parsed.py, and the cache key names the engines without loading them), nor Babel
    (catalogs are read when the site is indexed, and are in the theme's fingerprint), nor
    the worker pool, the index or the planner; one that finds the last build's selection
    standing does not even load the parse cache or select. The real CLI, on its own process."""
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    old = time.time() - 3600  # files saved a while ago, as a site's are: not racy
    for path in (site / "content").rglob("*.md"):
        os.utime(path, (old, old))
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    if not kept:
        (site / ".digest-cache" / "selection.pickle").unlink()
    probe = (
        "import json, sys\n"
        "from generator.cli import main\n"
        "from generator.engine.process import STATE\n"
        f"code = main(['build', '-q', '-s', {str(site)!r}, '-o', {str(out)!r}])\n"
        "assert code == 0, code\n"
        "print(json.dumps([sorted(sys.modules), STATE.hook_counts]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,  # the installed digest, as run_digest's (its theme's paths are in the keys)
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "0 files written" in done.stdout, done.stdout
    loaded, counts = json.loads(done.stdout.strip().splitlines()[-1])
    if kept:
        assert counts.get("select:last") == 1 and "load:articles" not in counts, counts
    else:
        assert "select:last" not in counts and counts.get("load:articles") == 1, counts
    assert "generator.engine.parsecache" in loaded  # it did read the caches (or the key of one)
    unwanted = [
        m for m in loaded if any(m == n or m.startswith(n + ".") for n in NOT_IN_A_NO_OP_KEPT if kept or n in NOT_IN_A_NO_OP)
    ]
    assert not unwanted, unwanted
