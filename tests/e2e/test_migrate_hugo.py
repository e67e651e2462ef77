"""`digest migrate` on a Hugo site (tests/fixtures/migrate/hugo, written to Hugo's documented
format): YAML, TOML and JSON front matter, a page bundle, languages, [permalinks], url and
aliases, expired and draft pages, shortcodes converted or reported; then a build."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, run_digest
from e2e.test_migrate import LATER, front, tree_hash

HUGO = FIXTURES / "migrate" / "hugo"


def test_hugo_fixture_migrates_and_builds(tmp_path: Path) -> None:
    before = tree_hash(HUGO)
    site = tmp_path / "site"
    run = run_digest("migrate", HUGO, "-s", site)
    assert run.code == 0, run.err
    assert tree_hash(HUGO) == before
    # two languages: each under its folder, the translation at the same path as its original
    content = site / "content/en/2024"
    assert sorted(p.name for p in content.iterdir()) == [
        "bundle.md",
        "first.md",
        "scheduled.md",
        "the-second.md",
        "unfinished.md",
    ]
    assert sorted(p.name for p in (site / "content/fr/2024").iterdir()) == ["the-second.md"]
    assert sorted(p.name for p in (site / "content").iterdir()) == ["en", "fr"]
    config = (site / "digest.yaml").read_text()
    assert "title: Hugo Blog" in config and "timezone: Europe/Berlin" in config
    assert "language: en\nlanguages:\n  en: {}\n  fr: {}\n" in config
    assert "  article: /{year}/{month}/{day}/{slug}/" in config  # the language prefix is digest's
    assert "languages: en (5), fr (1)" in run.err
    first = front(content / "first.md")
    assert "2024-03-01T10:00:00+01:00" in (content / "first.md").read_text()  # timeZone applied
    assert first["tags"] == ["hugo", "migration", "Updates"]
    # [permalinks] posts = /:year/:month/:slug/ (the slug falls back to the title), then the
    # page's own aliases, a relative one resolved against its language root
    assert first["aliases"] == ["/2024/03/first-post/", "/old/first/", "/first-old"]
    assert first["extra"]["series"] == "getting-started"
    body = (content / "first.md").read_text()
    assert "![A diagram](/images/diagram.png) *How it fits*" in body  # figure
    assert "[YouTube video dQw4w9WgXcQ](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in body
    assert "[the second post](/2024/03/08/the-second/)" in body  # ref (the default language: the root)
    assert "[the bundle](/2024/04/02/bundle/#photo)" in body  # relref to a bundle
    assert '```go\nfmt.Println("hello")\n```' in body  # highlight
    assert "Write to help@example.com." in body  # param, from the site's params
    assert '{{< tweet user="example" id="1" >}}' in body  # unknown: left visible
    assert 'Hugo writes {{< figure src="x.png" >}}.' in body  # {{</* */>}}: the literal shortcode
    assert "<!--more-->" in body
    # relative links resolved against the old URL /2024/03/first-post/: a post's becomes its new
    # URL, another the old site's path (named in the links.root proposal)
    assert "[the second post](/2024/03/08/the-second/)" in body
    assert "[about]: /about/" in body
    assert "content/posts/first.md:33: /about/" in run.err
    assert (site / "static/images/diagram.png").is_file()
    second = front(content / "the-second.md")  # TOML front matter
    assert second["aliases"] == ["/2024/03/the-second/"] and "lang" not in second  # the folder says it
    french = front(site / "content/fr/2024/the-second.md")  # second.fr.md: the fr translation
    assert "lang" not in french and french["slug"] == "le-deuxieme"
    assert french["aliases"] == ["/fr/2024/03/le-deuxieme/"]
    bundle = front(content / "bundle.md")  # JSON front matter, url, an image beside it
    assert bundle["aliases"] == ["/custom/bundle/"] and bundle["tags"] == ["json"]
    assert bundle["image"] == "/custom/bundle/photo.png"  # images[0], beside the bundle's index.md
    assert "![A photo](/custom/bundle/photo.png)" in (content / "bundle.md").read_text()
    assert (site / "static/custom/bundle/photo.png").read_bytes() == (
        HUGO / "content/posts/bundle/photo.png"
    ).read_bytes()
    assert str(front(content / "scheduled.md")["date"]).startswith("2024-06-01")  # publishDate
    assert front(content / "unfinished.md")["draft"] is True
    assert "expired (expiryDate 2020-01-01)" in run.err and "content/posts/expired.md" in run.err
    assert "a section's list page (_index.md), not a post" in run.err
    assert "content/about.md" in run.err
    assert (
        'content/posts/first.md:27: Hugo shortcode left as text: {{< tweet user="example" id="1" >}}'
        in run.err
    )
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    assert build.report["articles"] == 5 and build.report["drafts_left_out"] == 1
    french_page = (site / "site/fr/2024/03/08/le-deuxieme/index.html").read_text()
    # linked to its original by their shared path
    assert 'hreflang="en" href="https://blog.example.com/2024/03/08/the-second/"' in french_page
    assert (site / "site/custom/bundle/photo.png").is_file()
    assert "0 errors, 0 warnings" in build.out and build.err == ""
    for old in ("2024/03/first-post", "old/first", "first-old"):
        assert (
            'url=https://blog.example.com/2024/03/01/first/"'
            in (site / "site" / old / "index.html").read_text()
        )
    assert (site / "site/custom/bundle/index.html").is_file()


def test_broken_front_matter_is_located(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "content/posts").mkdir(parents=True)
    (src / "hugo.toml").write_text('baseURL = "https://x.example/"\ntitle = "X"\n')
    (src / "content/posts/ok.md").write_text("---\ntitle: Fine\ndate: 2024-01-01\n---\nBody.\n")
    (src / "content/posts/toml.md").write_text('+++\ntitle = "Broken\ndate = 2024-01-02\n+++\nBody.\n')
    (src / "content/posts/json.md").write_text('{\n  "title": "Broken",\n  "date": \n}\nBody.\n')
    run = run_digest("migrate", src, "-s", tmp_path / "site")
    assert run.code == 1, run.err
    assert "content/posts/toml.md:" in run.err and "not valid TOML" in run.err
    assert "content/posts/json.md:" in run.err and "not valid JSON" in run.err
    assert "Traceback" not in run.err and "migrated 1" in run.err


def test_files_of_the_content_folder_that_are_not_content_are_copied(tmp_path: Path) -> None:
    """Hugo publishes the content folder's other files at their path: a Russian blog
    (abulimov/abulimov.github.io) keeps its images in content/images/ and links them as
    /images/monit.png. They were left behind, and the links proposed for links.root."""
    src = tmp_path / "src"
    (src / "content/post").mkdir(parents=True)
    (src / "content/images").mkdir()
    (src / "content/images/monit.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 8)
    (src / "config.toml").write_text('baseURL = "https://x.example/"\ntitle = "X"\nlanguageCode = "ru"\n')
    (src / "content/post/2015-11-06-watchmen.md").write_text(
        "---\ntitle: Кто следит за сторожами\ndate: 2015-11-06\n---\n\n![Monit](/images/monit.png)\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    run = run_digest("migrate", src, "-s", site)
    assert run.code == 0, run.err
    assert (site / "static/images/monit.png").read_bytes().startswith(b"\x89PNG")
    assert "root-relative links point outside" not in run.err
    check = run_digest("check", "-s", site)
    assert check.code == 0, check.err
