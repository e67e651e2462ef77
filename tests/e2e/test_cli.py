"""The real CLI on real files: init, new, build options, check, exit codes, rebuilds."""

from __future__ import annotations

import os
import time
from pathlib import Path

from conftest import FIXTURES, REPO, copy_site, files_under, run_digest


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _site(tmp_path: Path, config: str = "", **articles: str) -> Path:
    site = tmp_path / "site-src"
    _write(
        site / "digest.yaml",
        "title: Test\nbase_url: https://example.org/\ntimezone: Europe/Moscow\n" + config,
    )
    for name, text in articles.items():
        _write(site / "content" / f"{name}.md", text)
    return site


def test_version_and_usage_errors() -> None:
    result = run_digest("--version")
    assert result.code == 0 and result.out.startswith("digest ")
    bad = run_digest("build", "--no-such-flag")
    assert bad.code == 2 and "digest: error:" in bad.err and "Traceback" not in bad.err
    assert run_digest().code == 2


def test_version_is_printed_as_the_parser_prints_it_without_importing_it() -> None:
    """`digest --version` is answered before argparse (and typing) are imported: the same
    line the parser's own --version action prints, in a fraction of the start-up time."""
    import contextlib
    import io
    import json
    import subprocess
    import sys

    from generator.cli import make_parser

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.suppress(SystemExit):
        make_parser().parse_args(["--version"])
    probe = (
        "import json, sys\n"
        "sys.argv = ['digest', '--version']\n"
        "from generator.cli import run\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as exc:\n"
        "    print(json.dumps([exc.code, sorted(sys.modules)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    version, last = done.stdout.splitlines()
    code, loaded = json.loads(last)
    assert code == 0 and version + "\n" == printed.getvalue() == run_digest("--version").out
    assert not [m for m in loaded if m.split(".")[0] in ("argparse", "typing", "pathlib", "yaml")]


def test_init_creates_a_site_that_builds(tmp_path: Path) -> None:
    result = run_digest("init", tmp_path / "mysite")
    assert result.code == 0, result.err
    built = run_digest("build", cwd=tmp_path / "mysite")
    assert built.code == 0, built.err
    assert "0 warnings" in built.out
    assert (tmp_path / "mysite" / "site" / "index.html").is_file()
    # search is on in new sites: Pagefind comes with digest
    assert "search: true" in (tmp_path / "mysite" / "digest.yaml").read_text(encoding="utf-8")
    assert (tmp_path / "mysite" / "site" / "search" / "index.html").is_file()
    assert (tmp_path / "mysite" / "site" / "pagefind" / "pagefind-ui.js").is_file()
    again = run_digest("init", tmp_path / "mysite")
    assert again.code == 2 and "already exists" in again.err


def test_new_creates_a_valid_article_with_the_site_offset(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run_digest(
        "new",
        "Soldiers sue over dismissal",
        "--source",
        "Mirror",
        "--url",
        "https://www.mirror.co.uk/x",
        "--tags",
        "russia, courts",
        "-s",
        site,
    )
    assert result.code == 0, result.err
    path = site / "content" / "2023" / "soldiers-sue-over-dismissal.md"
    text = path.read_text()
    # SOURCE_DATE_EPOCH=1700000000 is 2023-11-14T22:13:20Z, i.e. 2023-11-15T01:13:20+03:00 in Moscow
    assert "date: 2023-11-15T01:13:20+03:00" in text
    assert "tags: [russia, courts]" in text
    built = run_digest("build", "-s", site)
    assert built.code == 0, built.err
    assert (site / "site/2023/11/15/soldiers-sue-over-dismissal/index.html").is_file()
    assert run_digest("new", "Soldiers sue over dismissal", "--source", "Mirror", "-s", site).code == 1


def test_example_site_builds_with_both_seed_stories() -> None:
    # the repository is itself the example site; build it into a temporary folder
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        result = run_digest("build", "-s", REPO, "-o", Path(tmp) / "out")
        assert result.code == 0, result.err
        assert "2 articles" in result.out and "0 warnings" in result.out
        out = Path(tmp) / "out"
        assert (out / "2022/05/27").is_dir() and (out / "2022/05/26").is_dir()
        sources = (out / "sources/index.html").read_text()
        assert "The Moscow Times" in sources and "Mirror" in sources


def test_noop_rebuild_writes_nothing_and_removed_articles_are_pruned(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    time.sleep(0.05)
    again = run_digest("build", "-s", site, "-o", out)
    assert again.code == 0
    assert again.report["written"] == 0 and again.report["removed"] == 0, again.report
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    (site / "content/world/cyrillic.md").unlink()
    third = run_digest("build", "-s", site, "-o", out)
    assert third.code == 0
    assert not (out / "tags/rossiia").exists()
    assert third.report["removed"] > 0, third.report
    fresh = tmp_path / "fresh"
    assert run_digest("build", "-s", site, "-o", fresh).code == 0
    assert files_under(out) == files_under(fresh)


def test_verbose_and_summary_counts_keep_their_wording(tmp_path: Path) -> None:
    """The one test of how `-v` and the summary word the counts, since people read them; every
    other test reads the counts from the build report (DIGEST_TEST_REPORT, conftest.Run)."""
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    out = tmp_path / "out"
    first = run_digest("build", "-s", site, "-o", out, "-v")
    assert first.code == 0, first.err
    counts = first.report
    assert first.reports == (counts,) and counts["command"] == "build" and counts["ok"] is True
    assert (counts["articles"], counts["parsed"], counts["drafts_left_out"]) == (4, 6, 1)
    assert counts["written"] == len(files_under(out)) - 1  # all but the .digest-output marker
    assert counts["rendered"]["page"] > 10 and counts["rendered"]["feed"] > 3
    assert "  parsed 6 article files, 4 articles in the site\n" in first.err
    pages, feeds = counts["rendered"]["page"], counts["rendered"]["feed"]
    assert (
        f"  rendered {pages} pages and the feeds of {feeds} lists; fingerprinted {counts['fingerprinted']} pages\n"
    ) in first.err
    assert f"; {counts['written']} files written, 0 unchanged, 0 removed in " in first.out
    again = run_digest("build", "-s", site, "-o", out, "-v")
    assert again.report["parsed"] == 0 and again.report["written"] == 0
    assert again.report["unchanged"] == counts["written"], again.report
    assert "  parsed 0 article files, 4 articles in the site\n" in again.err
    assert f"; 0 files written, {again.report['unchanged']} unchanged, 0 removed in " in again.out
    checked = run_digest("check", "-s", site)
    assert checked.code == 0 and checked.report["command"] == "check" and checked.report["written"] == 0


def test_drafts_and_future_are_left_out_and_counted(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    result = run_digest("build", "-s", site)
    assert "4 articles (1 draft and 1 future left out)" in result.out
    assert (
        "note: 1 future-dated article left out; the first is due 2099-01-01T08:00+03:00 "
        "(content/notes/future.md)"
    ) in result.err
    both = run_digest("build", "-s", site, "--drafts", "--future", "-o", tmp_path / "all")
    assert "6 articles" in both.out
    assert (tmp_path / "all/2022/05/01/a-draft-that-stays-out/index.html").is_file()
    assert (tmp_path / "all/2099/01/01/scheduled-for-the-future/index.html").is_file()


def test_base_url_override_and_permalink_tokens(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        "permalinks:\n  article: /{lang}/{source}/{year}/{slug}/\n",
        a="---\ntitle: Привет, мир\ndate: 2022-01-02\nsource: The Moscow Times\nlang: ru\n---\nx\n",
    )
    result = run_digest("build", "-s", site, "--base-url", "https://cdn.example.net/digest")
    assert result.code == 0, result.err
    page = site / "site/ru/the-moscow-times/2022/privet-mir/index.html"
    assert page.is_file()
    assert 'href="https://cdn.example.net/digest/ru/the-moscow-times/2022/privet-mir/"' in page.read_text()
    bad = run_digest("build", "-s", site, "--base-url", "not a url")
    assert bad.code == 2 and "--base-url: error:" in bad.err


def test_slugs_with_slashes_and_dots_and_empty_titles_are_safe(tmp_path: Path) -> None:
    """A '/' or '.' inside a slug becomes '-' (a slug that reads as a path, `../../etc/passwd`,
    is an error: see tests/fixtures/invalid/hostile-slugs)."""
    site = _site(
        tmp_path,
        a="---\ntitle: Anything\ndate: 2022-01-02\nsource: X\nslug: etc/passwd\n---\nx\n",
        b="---\ntitle: '!!!'\ndate: 2022-01-02\nsource: X\n---\nx\n",
        c="---\ntitle: Ünïcödé 2024.05 release\ndate: 2022-01-02\nsource: X\nslug: a/b.c\n---\nx\n",
    )
    result = run_digest("build", "-s", site)
    assert result.code == 0, result.err
    out = site / "site"
    assert (out / "2022/01/02/etc-passwd/index.html").is_file()
    assert (out / "2022/01/02/b/index.html").is_file()  # empty title slug falls back to the file name
    assert (out / "2022/01/02/a-b-c/index.html").is_file()
    assert not (tmp_path / "etc").exists()


def test_naive_and_offset_dates_mix_in_the_site_timezone(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        a="---\ntitle: Naive\ndate: 2022-05-27 01:30\nsource: X\n---\nx\n",
        b="---\ntitle: Offset\ndate: 2022-05-26T23:30:00+00:00\nsource: X\n---\nx\n",
        c="---\ntitle: Date only\ndate: 2022-05-27\nsource: X\n---\nx\n",
    )
    assert run_digest("build", "-s", site).code == 0
    day = (site / "site/2022/05/27/index.html").read_text()
    # 23:30 UTC is 02:30 in Moscow, the next day: all three land on the 27th
    for title in ("Naive", "Offset", "Date only"):
        assert f">{title}<" in day
    assert 'datetime="2022-05-27T01:30:00+03:00"' in day


def test_check_reports_broken_links_and_writes_nothing(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        a="---\ntitle: A\ndate: 2022-01-02\nsource: X\n---\nSee [b](b.md) and [gone](missing.md) and [x](/nowhere/).\n",
        b="---\ntitle: B\ndate: 2022-01-03\nsource: X\n---\nBack to [a](a.md#top).\n",
    )
    result = run_digest("check", "-s", site)
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if ": error: " in line or ": warning: " in line]
    assert (
        "content/a.md:6: error: link to 'missing.md' does not resolve: no such file under content/" in lines
    )
    # a link written in an article is reported once, at its Markdown line, not on every page
    # that shows it; the unresolved .md link is not reported a second time as a broken link
    assert (
        "content/a.md:6: error: broken internal link to /nowhere/: no page is built there; "
        "correct or remove the link" in lines
    ), lines
    assert len(lines) == 2, lines
    assert not (site / "site").exists()
    built = run_digest("build", "-s", site)
    assert built.code == 0
    assert 'href="/2022/01/03/b/"' in (site / "site/2022/01/02/a/index.html").read_text()


def test_output_folder_not_made_by_digest_is_refused(tmp_path: Path) -> None:
    site = _site(tmp_path, a="---\ntitle: A\ndate: 2022-01-02\nsource: X\n---\nx\n")
    precious = tmp_path / "precious"
    _write(precious / "thesis.txt", "do not delete")
    result = run_digest("build", "-s", site, "-o", precious)
    assert result.code == 1 and "not made by digest" in result.err
    assert (precious / "thesis.txt").read_text() == "do not delete"


def test_no_traceback_on_unreadable_file(tmp_path: Path) -> None:
    site = _site(tmp_path, a="---\ntitle: A\ndate: 2022-01-02\nsource: X\n---\nx\n")
    target = site / "content" / "a.md"
    if os.geteuid() == 0:  # root reads everything: use a dangling symlink instead
        (site / "content" / "b.md").symlink_to(tmp_path / "nowhere.md")
    else:
        target.chmod(0)
    result = run_digest("build", "-s", site)
    assert result.code == 1 and "Traceback" not in result.err
    assert "cannot read it" in result.err
