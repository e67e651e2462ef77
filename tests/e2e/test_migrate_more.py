"""`digest migrate` on the Zola, Eleventy and Docusaurus fixture sites (tests/fixtures/migrate/,
written to each generator's documented format), then a build of the result: every post an
article, every old URL a redirect page, the files posts use copied, the source byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, run_digest
from e2e.test_migrate import LATER, front, tree_hash

SITES = FIXTURES / "migrate"


def migrate(name: str, site: Path) -> str:
    before = tree_hash(SITES / name)
    run = run_digest("migrate", SITES / name, "-s", site)
    assert run.code == 0, run.err
    assert tree_hash(SITES / name) == before  # the source folder is only read
    return run.err


def redirects_to(page: Path, url: str) -> bool:
    text = page.read_text(encoding="utf-8")
    return f'rel="canonical" href="{url}"' in text and f"url={url}" in text


def test_zola_site_migrates_and_builds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    err = migrate("zola", site)
    content = site / "content" / "en" / "2024"
    assert sorted(p.name for p in content.iterdir()) == [
        "first-post.md",
        "results-are-in.md",
        "third.md",
    ]
    config = (site / "digest.yaml").read_text()
    assert "title: Field notes" in config and "base_url: https://zola.example.org/" in config
    # second/index.fr.md, the French translation of second/index.md: at the same path under fr/,
    # and the language's title from [languages.fr]
    assert "languages:\n  en: {}\n  fr: {title: Notes de terrain}\n" in config
    assert sorted(p.name for p in (site / "content/fr/2024").iterdir()) == ["results-are-in.md"]
    first = front(content / "first-post.md")
    assert first["tags"] == ["rivers", "survey", "Reports"]  # categories to tags, kept in extra
    assert first["extra"]["cover_credit"] == "Ana Lima"
    assert first["aliases"] == ["/blog/first-post/"]
    results = front(content / "results-are-in.md")
    assert results["aliases"] == ["/blog/results-are-in/", "/old/results.html", "/blog/results-old/"]
    assert (site / "static/blog/results-are-in/chart.png").is_file()
    assert (site / "static/img/logo.png").is_file()
    assert "lang" not in front(site / "content/fr/2024/results-are-in.md")  # the folder says it
    assert front(content / "third.md")["draft"] is True
    body = (content / "first-post.md").read_text()
    assert "[second post](/2024/02/10/results-are-in/#results)" in body  # @/ link: the new article
    assert "skipped 1: a Zola section index, not a post (sort_by=date, paginate_by=5" in err
    assert (
        "content/blog/2024-01-02-first-post.md:18: Zola shortcode left as text: "
        '{{ youtube(id="dQw4w9WgXcQ") }}'
    ) in err
    assert "links: {root: https://zola.example.org}" in err
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    assert build.report["articles"] == 3 and build.report["drafts_left_out"] == 1
    new = "https://zola.example.org/2024/02/10/results-are-in/"
    assert redirects_to(site / "site/blog/results-are-in/index.html", new)
    assert redirects_to(site / "site/old/results.html", new)
    assert (site / "site/blog/results-are-in/chart.png").is_file()  # the image's old URL works too
    # the one build warning is the image without alt text the report named first (the section
    # link is a root-relative link, named too)
    assert "content/blog/second/index.md:16: image without alt text: /blog/results-are-in/chart.png" in err
    assert "1 warning" in build.out and "image without alt text" in build.err


def test_eleventy_site_migrates_and_builds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    err = migrate("eleventy", site)
    assert sorted(p.relative_to(site / "content").as_posix() for p in (site / "content").rglob("*.md")) == [
        "2023/christmas-eve-observing.md",
        "2024/computed-address.md",
        "2024/first-light.md",
        "2024/second-night-clouds.md",
    ]
    first = front(site / "content/2024/first-light.md")
    assert first["aliases"] == ["/blog/first-light/"] and first["author"] == "Ana Lima"
    assert "aliases" not in front(site / "content/2024/computed-address.md")
    body = (site / "content/2024/first-light.md").read_text()
    assert "![The observatory cat](/blog/first-light/cat.png)" in body
    assert "[the second post](/2024/02/03/second-night-clouds/)" in body
    assert (site / "static/blog/first-light/cat.png").is_file() and (site / "static/img/possum.png").is_file()
    assert "skipped 2: eleventyExcludeFromCollections: a page, not a post" in err
    assert "src/blog/computed.md:4: permalink computed by templates" in err
    assert "src/blog/2024-01-02-first-light.md:14: Nunjucks/Liquid left as text: {{ site.url }}" in err
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    assert build.report["articles"] == 4
    assert "0 warnings" in build.out and "warning" not in build.err
    assert redirects_to(
        site / "site/nights/second-night-clouds/index.html",
        "https://example.org/2024/02/03/second-night-clouds/",  # no base_url known: digest's default
    )


def test_docusaurus_site_migrates_and_builds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    err = migrate("docusaurus", site)
    content = site / "content"
    assert sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md")) == [
        "2021/nested-date.md",
        "2024/hello-world.md",
        "2024/two-point-oh.md",
        "2024/v1.md",
    ]
    hello = front(content / "2024/hello-world.md")
    assert hello["author"] == ["Ana Lima", "Bo Chen"] and hello["tags"] == ["Release", "community"]
    assert hello["aliases"] == ["/news/2024/01/02/hello-world/"]
    bundle = front(content / "2024/two-point-oh.md")
    assert bundle["aliases"] == ["/news/releases/two-point-oh/"]
    assert bundle["image"] == "/news/releases/two-point-oh/diagram.png"
    assert (site / "static/news/releases/two-point-oh/diagram.png").is_file()
    body = (content / "2024/hello-world.md").read_text()
    assert "> [!NOTE]" in body and "[bundle post](/2024/02/03/two-point-oh/)" in body
    assert "blog/2024-02-03-bundle/index.mdx:21: JSX component left as text: <Tabs>" in err
    assert "skipped 1: starts with _: Docusaurus leaves it out" in err
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    assert build.report["articles"] == 3 and build.report["drafts_left_out"] == 1
    assert redirects_to(
        site / "site/news/2024/01/02/hello-world/index.html",
        "https://docs.example.org/2024/01/02/hello-world/",
    )
    page = (site / "site/2024/01/02/hello-world/index.html").read_text()
    assert '<div class="markdown-alert markdown-alert-note">' in page  # :::note, through > [!NOTE]
    assert '<div class="markdown-alert markdown-alert-caution">' in page  # :::danger
    assert "0 warnings" in build.out and "warning" not in build.err


@pytest.mark.parametrize("name", ["zola", "eleventy", "docusaurus"])
def test_a_second_run_skips_what_was_migrated(tmp_path: Path, name: str) -> None:
    site = tmp_path / "site"
    migrate(name, site)
    again = run_digest("migrate", SITES / name, "-s", site)
    assert again.code == 0, again.err
    assert "migrated 0" in again.err
