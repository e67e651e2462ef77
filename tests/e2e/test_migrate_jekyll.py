"""`digest migrate` on a Jekyll site (tests/fixtures/migrate/jekyll, written to Jekyll's
documented format): _posts in every folder, dates and slugs from file names, permalink styles,
front-matter defaults, Liquid converted or reported, then a build of the result."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, run_digest
from e2e.test_migrate import LATER, front, tree_hash

JEKYLL = FIXTURES / "migrate" / "jekyll"


def test_jekyll_fixture_migrates_and_builds(tmp_path: Path) -> None:
    before = tree_hash(JEKYLL)
    site = tmp_path / "site"
    run = run_digest("migrate", JEKYLL, "-s", site)
    assert run.code == 0, run.err
    assert tree_hash(JEKYLL) == before
    content = site / "content" / "en" / "2023"
    assert sorted(p.name for p in content.iterdir()) == [
        "hello-world.md",
        "second.md",
        "unpublished.md",
        "work-in-progress.md",
    ]
    # posts in two languages: a multilingual site, each language in its folder, the French
    # translation at the English post's path (same date and slug: Jekyll's translations)
    assert sorted(p.name for p in (site / "content" / "fr" / "2023").iterdir()) == ["second.md"]
    config = (site / "digest.yaml").read_text()
    assert "language: en\nlanguages:\n  en: {}\n  fr: {}\n" in config
    assert "  article: /{year}/{month}/{day}/{slug}/" in config
    assert "base_url: https://news.example.org/blog/" in (site / "digest.yaml").read_text()
    hello = front(content / "hello-world.md")
    assert (
        str(hello["date"]).startswith("2023-04-01") and "-04:00" in (content / "hello-world.md").read_text()
    )
    assert hello["tags"] == ["ruby", "jekyll", "Release", "community"]  # space-separated tags; categories
    assert hello["author"] == ["Ann Author", "Ben Writer"]
    assert hello["image"] == "/assets/logo.png"
    # the date permalink with its categories (lowercased, as Jekyll does), and jekyll-redirect-from's
    assert hello["aliases"] == ["/release/community/2023/04/01/hello-world.html", "/old/hello/"]
    body = (content / "hello-world.md").read_text()
    assert "![Logo](/assets/logo.png)" in body  # {{ site.baseurl }} dropped: digest adds its base path
    assert (site / "static/assets/logo.png").is_file()
    assert "<!--more-->" in body and "<!-- excerpt -->" not in body  # excerpt_separator
    assert "[the second post](/2023/05/02/second/)" in body  # {% link %}
    assert "[the same one](/2023/05/02/second/)" in body  # {% post_url %}
    assert '```ruby\nputs "{{ not a tag in code }}" if true\n```' in body  # {% highlight %}
    assert "In Liquid you write {{ page.title }} and {% if x %}." in body  # {% raw %}
    assert "{% raw %}" not in body
    assert '{% include note.html text="an include" %}' in body
    second = front(content / "second.md")
    assert second["title"] == "Second"  # from the file name, as Jekyll does
    assert str(second["date"]).startswith("2023-05-02")
    assert second["summary"] == "The date comes from the file name."
    assert second["author"] == "Default Author"  # _config.yml defaults
    assert second["tags"] == ["news"]  # en/ is the language, news/ a category
    assert second["aliases"] == ["/en/news/2023/05/02/second.html"]
    french = front(site / "content" / "fr" / "2023" / "second.md")
    assert french["aliases"] == ["/fr/deuxieme/"] and "lang" not in french  # its own permalink
    unpublished = front(content / "unpublished.md")
    assert unpublished["draft"] is True and "aliases" not in unpublished
    assert front(content / "work-in-progress.md")["draft"] is True
    assert "skipped 1: .html post: digest reads Markdown only" in run.err
    assert "skipped 1: not a post: Jekyll reads only YYYY-MM-DD-title.ext in _posts" in run.err
    assert "_posts/2023-04-01-hello-world.md:22: Liquid left as text: {% include note.html" in run.err
    assert "_posts/2023-04-01-hello-world.md:24: Liquid left as text: {{ release.sha256 }}" in run.err
    assert "links: {root: https://news.example.org}" in run.err
    assert "_posts/2023-04-01-hello-world.md:14: /about/" in run.err
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    assert build.report["articles"] == 3 and build.report["drafts_left_out"] == 2
    assert (site / "site/2023/05/02/second/index.html").is_file()
    assert (site / "site/fr/2023/05/02/second/index.html").is_file()
    assert "0 errors, 0 warnings" in build.out and build.err == ""
    for old in ("release/community/2023/04/01/hello-world.html", "old/hello/index.html"):
        assert (
            'url=https://news.example.org/blog/2023/04/01/hello-world/"'
            in (site / "site" / old).read_text()
        )
    assert (site / "site/en/news/2023/05/02/second.html").is_file()
    assert (site / "site/fr/deuxieme/index.html").is_file()
    page = (site / "site/2023/04/01/hello-world/index.html").read_text()
    assert 'href="/blog/2023/05/02/second/"' in page


def test_files_linked_relative_to_a_post_at_the_root_are_copied(tmp_path: Path) -> None:
    """A Persian blog (mehdisadeghi/mehdix.ir) keeps its site in `src/` (`source: src`) and
    its posts at the root (`permalink: :title:output_ext`), each image linked relative to the
    post: `![](assets/pimg/qcat3.png)` in /quantum-cat.html is /assets/pimg/qcat3.png. They
    became `//assets/...` (a link to a host named "assets"), no file was copied, and its
    footnotes (`[^1]: text`) were taken for links and got a slash in front of their text, and
    the source folder became a category (a tag `src` on every post)."""
    old = tmp_path / "old"
    (old / "src" / "_posts").mkdir(parents=True)
    (old / "src" / "assets" / "pimg").mkdir(parents=True)
    (old / "src" / "assets" / "pimg" / "qcat3.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    (old / "_config.yml").write_text(
        "source: src\npermalink: :title:output_ext\ntitle: مهدی صادقی\nlang: fa_IR\n"
        "url: https://blog.example.org\n",
        encoding="utf-8",
    )
    (old / "src" / "_posts" / "2020-10-25-quantum-cat.md").write_text(
        "---\ntitle: گربه کوانتومی\n---\n\nمتن.[^1]\n\n![گربه](assets/pimg/qcat3.png)\n\n"
        "[^1]: منجمله [آزادنویس](http://azadnevis.wordpress.com/)\n",
        encoding="utf-8",
    )
    before = tree_hash(old)
    site = tmp_path / "site"
    run = run_digest("migrate", old, "-s", site)
    assert run.code == 0, run.err
    assert tree_hash(old) == before
    body = (site / "content" / "2020" / "quantum-cat.md").read_text(encoding="utf-8")
    assert "![گربه](/assets/pimg/qcat3.png)" in body
    assert "\n[^1]: منجمله [آزادنویس](http://azadnevis.wordpress.com/)\n" in body
    assert "tags" not in front(site / "content" / "2020" / "quantum-cat.md")
    assert (site / "static" / "assets" / "pimg" / "qcat3.png").read_bytes().startswith(b"\x89PNG")
    check = run_digest("check", "-s", site)
    assert check.code == 0, check.err
