"""`digest migrate` on real blogs by other people (tests/fixtures/migrate/real/, README there
names each source, commit and licence): the Rust blog on Zola, 11ty.dev's blog on Eleventy,
pnpm's blog on Docusaurus. Each migrates with every post, builds, keeps its old URLs as
redirects, and its folder is byte-identical afterwards."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, run_digest
from e2e.test_migrate import LATER, front, tree_hash

REAL = FIXTURES / "migrate" / "real"


def migrate_and_build(name: str, site: Path) -> tuple[str, str]:
    before = tree_hash(REAL / name)
    run = run_digest("migrate", REAL / name, "-s", site)
    assert run.code == 0, run.err
    assert tree_hash(REAL / name) == before
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    return run.err, build.out + build.err


def test_rust_blog_on_zola(tmp_path: Path) -> None:
    site = tmp_path / "site"
    report, built = migrate_and_build("zola-rust-blog", site)
    assert "4 posts found; migrated 4, skipped 4" in report
    assert "no date key for 4 pages: dated from their `path` (YYYY/MM/DD)" in report
    assert "content/releases/latest.md" in report  # an empty page its template fills: not a post
    release = front(site / "content/2026/1-94-1-release.md")
    assert release["title"] == "Announcing Rust 1.94.1" and str(release["date"]) == "2026-03-26"
    assert release["author"] == "The Rust Release Team"
    assert release["aliases"] == ["/2026/03/26/1.94.1-release/", "/releases/1.94.1/"]
    assert release["extra"]["release"] is True
    inside = front(site / "content/2020/1-45-1-prerelease.md")
    assert inside["aliases"][0] == "/inside-rust/2020/07/27/1.45.1-prerelease/"
    assert inside["extra"]["team"] == "The Release Team"
    assert (site / "static/2024/05/06/check-cfg/cargo-check.svg").is_file()  # the page folder's image
    assert "4 articles" in built and "0 warnings" in built
    page = site / "site/2026/03/26/1.94.1-release/index.html"
    assert "url=https://blog.rust-lang.org/2026/03/26/1-94-1-release/" in page.read_text()
    assert (site / "site/releases/1.94.1/index.html").is_file()


def test_11ty_blog_on_eleventy(tmp_path: Path) -> None:
    site = tmp_path / "site"
    report, built = migrate_and_build("eleventy-11ty", site)
    assert "3 posts found; migrated 3, skipped 2" in report
    assert "timezone: America/Chicago" in (site / "digest.yaml").read_text()  # addDateParsing's zone
    espbn = front(site / "content/2021/join-the-eleventy-super-professional-business-network.md")
    assert espbn["title"] == "Join the Eleventy Super Professional Business Network"  # from newstitle
    assert espbn["aliases"] == ["/blog/espbn/"]  # blog.json's permalink, /blog/{{ page.fileSlug }}/
    assert (site / "static/blog/espbn.png").is_file()  # <img src="/blog/espbn.png">
    assert (
        "src/blog/2019-12-05-moving-house.md:24: Nunjucks/Liquid left as text: {% communityavatar" in report
    )
    # the one build warning is the link the report named (the docs are not part of the blog)
    assert (
        "src/blog/2021-10-06-eleventy-v1-beta.md:78: relative link to a Markdown file, not a migrated post: "
        "../docs/community.md" in report
    )
    assert "3 articles" in built and "1 warning" in built and "docs/community.md" in built
    assert (site / "site/blog/espbn/index.html").is_file()


def test_pnpm_blog_on_docusaurus(tmp_path: Path) -> None:
    site = tmp_path / "site"
    report, built = migrate_and_build("docusaurus-pnpm", site)
    assert "3 posts found; migrated 3, skipped 0, warnings 5" in report
    # the build warns about images without alt text: the report names them first
    assert (
        "blog/2021-12-29-yearly-update.md:17: image without alt text: /img/blog/pnpm-vs-bower-stats.png"
        in report
    )
    assert "links: {root: https://pnpm.io}" in report
    assert "blog/releases/11.0.md:12: /migration" in report
    release = front(site / "content/2026/11-0.md")
    assert release["author"] == "Zoltan Kochan"  # the key zkochan in authors.yml
    assert release["aliases"] == ["/blog/releases/11.0/"]  # no date in the file name: its path
    yearly = front(site / "content/2021/yearly-update.md")
    assert yearly["aliases"] == ["/blog/2021/12/29/yearly-update/"] and yearly["tags"] == ["recap"]
    body = (site / "content/2021/yearly-update.md").read_text()
    assert "<!--more-->" in body and "truncate" not in body
    assert (site / "static/img/blog/pnpm-vs-bower-stats.png").is_file()
    assert "3 articles" in built
    assert (site / "site/blog/2021/12/29/yearly-update/index.html").is_file()
