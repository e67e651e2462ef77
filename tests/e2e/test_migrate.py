"""`digest migrate` through the real CLI: the command's contract (detection, dry run, re-runs,
exit codes, the source folder never written) and the Pelican reader on a fixture written to
Pelican's documented format (tests/fixtures/migrate/pelican)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import yaml

from conftest import FIXTURES, run_digest

PELICAN = FIXTURES / "migrate" / "pelican"
LATER = {"SOURCE_DATE_EPOCH": "1800000000"}  # 2027: the fixtures' posts are not in the future


def tree_hash(root: Path) -> str:
    """Every file's path and bytes, and every link: what 'byte-identical afterwards' means."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        h.update(path.relative_to(root).as_posix().encode())
        if path.is_symlink():
            h.update(b"->" + str(path.readlink()).encode())
        elif path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def test_pelican_fixture_migrates_and_builds(tmp_path: Path) -> None:
    before = tree_hash(PELICAN)
    site = tmp_path / "site"
    run = run_digest("migrate", PELICAN, "-s", site)
    assert run.code == 0, run.err
    assert tree_hash(PELICAN) == before
    written = {Path(line).relative_to(site).as_posix() for line in run.out.splitlines()}
    assert written == {
        "digest.yaml",
        "content/2024/weekly-1.md",
        "content/2024/pelican-weekly-2-yaml-metadata.md",
        "content/2024/a-tech-note-in-a-category-folder.md",
        "content/2024/not-ready-yet.md",
        "static/images/logo.png",
    }
    config = yaml.safe_load((site / "digest.yaml").read_text())
    assert config["title"] == "Pelican Weekly"
    assert (
        config["base_url"] == "https://weekly.example.org/"
    )  # SITEURL's conditional, read without running it
    assert config["timezone"] == "Europe/Paris"
    first = front(site / "content/2024/weekly-1.md")
    assert first["date"] == "2024-01-05T10:20:00+01:00" or str(first["date"]).startswith(
        "2024-01-05 10:20:00+01"
    )
    assert first["author"] == ["Ada Example", "Bob Sample"]
    assert first["tags"] == ["rust", "release notes", "News"]
    assert first["summary"] == "The first issue, with a logo and links to the next issues."
    assert first["aliases"] == ["/posts/2024/01/weekly-1.html"]
    assert first["extra"] == {
        "categories": ["News"],
        "migrated_from": "content/2024-01-05-first-issue.md",
        "number": "1",
    }
    body = (site / "content/2024/weekly-1.md").read_text()
    assert "![The logo](/images/logo.png)" in body
    assert "[the second issue](/2024/01/12/pelican-weekly-2-yaml-metadata/)" in body
    assert "[the tech note](/2024/03/15/a-tech-note-in-a-category-folder/#details)" in body
    assert "<!--more-->" in body and "PELICAN_END_SUMMARY" not in body
    assert (site / "static/images/logo.png").read_bytes() == (
        PELICAN / "content/images/logo.png"
    ).read_bytes()
    note = front(site / "content/2024/a-tech-note-in-a-category-folder.md")
    assert str(note["date"]).startswith("2024-03-15")  # Date: 03-15-2024, MM-DD-YYYY
    assert note["tags"] == ["notes", "tech"]  # the folder is the category
    assert (
        '"{static} in code is shown as written"'
        in (site / "content/2024/a-tech-note-in-a-category-folder.md").read_text()
    )
    assert front(site / "content/2024/not-ready-yet.md")["draft"] is True
    # the report: skipped files with reasons, a located warning, the links.root proposal
    assert "skipped 1: reStructuredText" in run.err and "content/legacy.rst" in run.err
    assert "skipped 1: a page (PAGE_PATHS), not an article" in run.err and "content/pages/about.md" in run.err
    assert (
        "content/2024-01-05-first-issue.md:21: Pelican {static} link to a file that is not there" in run.err
    )
    assert "kept under extra (no digest key): number (1)" in run.err
    assert "links: {root: https://weekly.example.org}" in run.err
    assert "content/2024-01-05-first-issue.md:17: /pages/about/" in run.err
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    assert build.report["articles"] == 3  # the draft is left out
    assert "0 errors, 0 warnings" in build.out and build.err == ""
    redirect = (site / "site/posts/2024/01/weekly-1.html").read_text()  # Pelican's ARTICLE_URL
    assert 'url=https://weekly.example.org/2024/01/05/weekly-1/"' in redirect


def test_rerun_skips_migrated_posts_unless_force(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run_digest("migrate", PELICAN, "-s", site).code == 0
    article = site / "content/2024/weekly-1.md"
    article.write_text(article.read_text().replace("Welcome", "Hello"))  # a curator's edit
    again = run_digest("migrate", PELICAN, "-s", site)
    assert again.code == 0, again.err
    assert again.out == ""
    assert "skipped 4: migrated before (use --force to write again)" in again.err
    assert "Hello" in article.read_text()
    forced = run_digest("migrate", PELICAN, "-s", site, "--force")
    assert forced.code == 0, forced.err
    assert forced.out.splitlines() == [str(article)]  # only the changed one is rewritten
    assert "Welcome" in article.read_text()
    assert sorted(p.name for p in (site / "content/2024").iterdir()) == [
        "a-tech-note-in-a-category-folder.md",
        "not-ready-yet.md",
        "pelican-weekly-2-yaml-metadata.md",
        "weekly-1.md",
    ]


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content/2024").mkdir(parents=True)
    mine = "---\ntitle: Mine\ndate: 2024-01-01\nsource: Me\n---\nMy own article.\n"
    (site / "content/2024/weekly-1.md").write_text(mine)
    run = run_digest("migrate", PELICAN, "-s", site)
    assert run.code == 0, run.err
    assert (site / "content/2024/weekly-1.md").read_text() == mine
    assert front(site / "content/2024/weekly-1-2.md")["title"] == "Pelican Weekly 1: the first issue"


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    run = run_digest("migrate", PELICAN, "-s", site, "--dry-run")
    assert run.code == 0, run.err
    assert not site.exists()
    assert f"create {site / 'digest.yaml'}" in run.out
    assert f"write {site / 'content/2024/weekly-1.md'} <- content/2024-01-05-first-issue.md" in run.out
    assert f"copy {site / 'static/images/logo.png'}" in run.out
    assert "would migrate 4" in run.err


def test_undetectable_folder_and_bad_usage_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = run_digest("migrate", tmp_path / "empty", "-s", tmp_path / "site")
    assert run.code == 2
    assert "looked for pelicanconf.py (pelican)" in run.err and "_config.yml" in run.err
    assert "Traceback" not in run.err
    assert run_digest("migrate", tmp_path / "nowhere", "-s", tmp_path / "site").code == 2
    assert run_digest("migrate", PELICAN, "--from", "wordpress").code == 2
    inside = run_digest("migrate", PELICAN, "-s", PELICAN / "out")
    assert inside.code == 2 and "overlap" in inside.err
    assert not (PELICAN / "out").exists()
    holder = tmp_path / "holder"  # the source inside the site's content/: written to, so refused
    shutil.copytree(PELICAN, holder / "content/old")
    assert run_digest("migrate", holder / "content/old", "-s", holder).code == 2


def test_broken_posts_are_located_and_skipped_with_exit_1(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(PELICAN, src)
    content = src / "content"
    (content / "2024-03-01-latin1.md").write_bytes(b"Title: Caf\xe9\nDate: 2024-03-01\n\nCaf\xe9 au lait.\n")
    (content / "2024-03-02-yaml.md").write_text("---\ntitle: [unclosed\ndate: 2024-03-02\n---\nBody\n")
    (content / "2024-03-03-alias.md").write_text("---\na: &x [1]\ntitle: *x\n---\nBody\n")
    (content / "2024-03-04-huge.md").write_text("Title: Huge\nDate: 2024-03-04\n\n" + "x" * 2_200_000)
    (content / "loop").symlink_to(content, target_is_directory=True)
    (content / "2024-03-05-notitle.md").write_text("Date: 2024-03-05\n\nNo title.\n")
    (content / "2024-03-06-noalt.md").write_text("Title: No alt\nDate: 2024-03-06\n\nText.\n\n![](/x.png)\n")
    before = tree_hash(src)
    site = tmp_path / "site"
    run = run_digest("migrate", src, "-s", site)
    assert run.code == 1, run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert "content/2024-03-01-latin1.md:1" in run.err and "not UTF-8" in run.err
    assert "content/2024-03-02-yaml.md:3" in run.err and "not valid YAML" in run.err
    assert "content/2024-03-03-alias.md:3" in run.err and "YAML alias" in run.err
    assert "content/2024-03-04-huge.md:1" in run.err and "limited to 2 MB" in run.err
    assert "content/2024-03-05-notitle.md:1" in run.err and "no Title" in run.err
    assert "content/2024-03-06-noalt.md:6: image without alt text: /x.png" in run.err  # as build will say
    assert "migrated 5" in run.err
    assert tree_hash(src) == before
    assert run_digest("build", "-s", site, env=LATER).code == 0


def test_detection_by_the_generators_files(tmp_path: Path) -> None:
    """Hugo's config.toml (baseURL) and Zola's (base_url) are told apart; --from overrides."""
    hugo = tmp_path / "hugo"
    (hugo / "content/posts").mkdir(parents=True)
    (hugo / "config.toml").write_text('baseURL = "https://h.example/"\ntitle = "H"\n')
    (hugo / "content/posts/a.md").write_text("---\ntitle: A\ndate: 2024-01-01\n---\nA.\n")
    run = run_digest("migrate", hugo, "-s", tmp_path / "s1", "--dry-run")
    assert run.code == 0 and run.err.startswith("hugo site"), run.err
    jekyll = tmp_path / "jekyll"
    (jekyll / "_posts").mkdir(parents=True)
    (jekyll / "_config.yml").write_text("title: J\n")
    (jekyll / "_posts/2024-01-01-a.md").write_text("---\ntitle: A\n---\nA.\n")
    assert run_digest("migrate", jekyll, "-s", tmp_path / "s2", "--dry-run").err.startswith("jekyll site")
    forced = run_digest("migrate", jekyll, "-s", tmp_path / "s3", "--dry-run", "--from", "pelican")
    assert forced.err.startswith("pelican site") and "0 posts found" in forced.err


def test_an_existing_site_keeps_its_config(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    config = (
        "title: My Digest\nbase_url: https://digest.example/\ntimezone: Asia/Tokyo\n"
        "defaults:\n  source: Weekly\npermalinks:\n  article: /news/{slug}/\n"
    )
    (site / "digest.yaml").write_text(config)
    run = run_digest("migrate", PELICAN, "-s", site)
    assert run.code == 0, run.err
    assert (site / "digest.yaml").read_text() == config
    first = front(site / "content/2024/weekly-1.md")
    assert "source" not in first  # defaults.source says it
    assert str(first["date"]).startswith("2024-01-05")
    body = (site / "content/2024/weekly-1.md").read_text()
    assert "[the second issue](/news/pelican-weekly-2-yaml-metadata/)" in body  # the site's permalink
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    assert (site / "site/posts/2024/01/weekly-1.html").is_file()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "digest.yaml").write_text("title: X\nbase_url: not a url\n")
    wrong = run_digest("migrate", PELICAN, "-s", bad)
    assert wrong.code == 2 and "digest.yaml" in wrong.err and not (bad / "content").exists()
