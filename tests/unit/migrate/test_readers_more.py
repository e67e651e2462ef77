"""The Zola, Eleventy and Docusaurus readers on fixture sites written to each generator's
documented format (tests/fixtures/migrate/): posts in digest's terms, old URLs, body syntax
converted or reported with file and line, and the source folder only read."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from conftest import FIXTURES
from generator.migrate.convert import root_links
from generator.migrate.docusaurus import read_docusaurus
from generator.migrate.eleventy import read_eleventy
from generator.migrate.model import Post, SourceSite
from generator.migrate.zola import read_zola

SITES = FIXTURES / "migrate"


def by_source(site: SourceSite) -> dict[str, Post]:
    return {p.source.as_posix(): p for p in site.posts}


def notes(post: Post) -> list[tuple[int, str]]:
    return [(n.line, n.message) for n in post.notes]


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- Zola -------------------------------------------------------------------------------------


def test_zola_pages_are_posts_and_sections_are_not() -> None:
    site = read_zola(SITES / "zola")
    assert site.generator == "zola" and site.base_url == "https://zola.example.org"
    assert sorted(by_source(site)) == [
        "content/blog/2024-01-02-first-post.md",
        "content/blog/2024-03-04_third.md",
        "content/blog/second/index.fr.md",
        "content/blog/second/index.md",
    ]
    skipped = {s.path.as_posix(): s.reason for s in site.skipped}
    assert set(skipped) == {"content/_index.md", "content/blog/_index.md"}
    assert "paginate_by=5" in skipped["content/blog/_index.md"]
    assert "page_template=blog-page.html" in skipped["content/blog/_index.md"]


def test_zola_front_matter_in_digest_terms() -> None:
    posts = by_source(read_zola(SITES / "zola"))
    first = posts["content/blog/2024-01-02-first-post.md"]
    assert first.title == "First post from the field"
    assert first.date == dt.date(2024, 1, 2)  # from the file name: no date key
    assert first.tags == ["rivers", "survey"] and first.categories == ["Reports"]
    assert first.summary == "Where we went and what we saw."
    assert first.authors == ["Ana Lima"]
    assert first.extra == {"cover_credit": "Ana Lima"}  # [extra]
    assert first.old_urls == ["/blog/first-post/"]  # the date left out of the slug, as Zola does

    second = posts["content/blog/second/index.md"]
    assert second.date == dt.datetime(2024, 2, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert second.updated == dt.date(2024, 2, 11)
    assert second.slug == "results-are-in"
    assert second.old_urls == ["/blog/results-are-in/", "/old/results.html", "/blog/results-old/"]

    third = posts["content/blog/2024-03-04_third.md"]
    assert third.draft and third.date == dt.date(2024, 3, 4)  # `_` separates the date too
    assert third.old_urls == ["/news/third-story/"]  # `path` replaces the section path and slug
    assert third.extra == {"weight": 3}

    french = posts["content/blog/second/index.fr.md"]
    assert french.lang == "fr" and french.old_urls == ["/fr/blog/second/"]


def test_zola_body_syntax() -> None:
    site = read_zola(SITES / "zola")
    first = by_source(site)["content/blog/2024-01-02-first-post.md"]
    assert "<!--more-->" in first.body and "<!-- more -->" not in first.body
    # @/ links become references to the post, which the writer makes the new article's URL
    assert "[second post](migrate-post:content/blog/second/index.md#results)" in first.body
    assert "[French one](migrate-post:content/blog/second/index.fr.md)" in first.body
    assert notes(first) == [
        (
            18,
            'Zola shortcode left as text: {{ youtube(id="dQw4w9WgXcQ") }} (digest has no equivalent; '
            "rewrite it by hand)",
        ),
        (
            23,
            'Zola shortcode left as text: {% note(kind="info") %} (digest has no equivalent; '
            "rewrite it by hand)",
        ),
    ]
    assert "A [section link](/blog/) is not a post." in first.body  # a section: its old listing URL
    assert "{{ this_is_an_example() }}" in first.body  # in a code block: an example, not reported
    # Zola's static/ is served at the root: the file is copied to the same path
    assert first.files == [(Path("static/img/logo.png"), "img/logo.png")]
    assert root_links(first.body, first.body_line) == [
        (21, "/blog/"),
        (31, "/img/logo.png"),
        (32, "/docs/rivers/"),
    ]


def test_zola_colocated_assets_follow_the_page() -> None:
    second = by_source(read_zola(SITES / "zola"))["content/blog/second/index.md"]
    assert second.files == [(Path("content/blog/second/chart.png"), "blog/results-are-in/chart.png")]
    assert "![A chart of the levels](/blog/results-are-in/chart.png)" in second.body
    assert notes(second) == [
        (16, "image without alt text: /blog/results-are-in/chart.png")  # <img> without alt
    ]


def test_zola_bad_front_matter_is_skipped_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('base_url = "https://x.example"\n')
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "broken.md").write_text('+++\ntitle = "unclosed\n+++\nbody\n')
    (tmp_path / "content" / "open.md").write_text('+++\ntitle = "x"\n')
    (tmp_path / "content" / "2024-02-30-bad-date.md").write_text('+++\ntitle = "Bad"\n+++\nx\n')
    site = read_zola(tmp_path)
    reasons = {s.path.as_posix(): s.reason for s in site.skipped}
    assert reasons["content/broken.md"].startswith("TOML front matter does not parse")
    assert reasons["content/open.md"] == "front matter opened with +++ on line 1 is never closed"
    bad = by_source(site)["content/2024-02-30-bad-date.md"]
    assert bad.date is None and bad.old_urls == ["/2024-02-30-bad-date/"]  # not a date: part of the slug


# --- Eleventy ---------------------------------------------------------------------------------


def test_eleventy_posts_by_collection_and_folder() -> None:
    site = read_eleventy(SITES / "eleventy")
    assert sorted(by_source(site)) == [
        "src/blog/2024-01-02-first-light.md",
        "src/blog/computed.md",
        "src/blog/second-night.md",
        "src/notes/2023-12-24-eve.md",  # `tags: post` in its own front matter
    ]
    assert {s.path.as_posix(): s.reason for s in site.skipped} == {
        "src/blog/hidden.md": "eleventyExcludeFromCollections: a page, not a post",
        "src/blog/index.md": "eleventyExcludeFromCollections: a page, not a post",
    }
    assert site.timezone == "UTC"  # Eleventy reads a date without offset as UTC


def test_eleventy_directory_data_and_permalinks() -> None:
    posts = by_source(read_eleventy(SITES / "eleventy"))
    first = posts["src/blog/2024-01-02-first-light.md"]
    assert first.date == dt.date(2024, 1, 2)
    assert first.tags == ["astronomy"]  # the collection tag `posts` from blog.11tydata.json left out
    assert first.authors == ["Ana Lima"] and first.summary == "The telescope's first night."
    assert first.old_urls == ["/blog/first-light/"]  # "/blog/{{ page.fileSlug }}/"
    second = posts["src/blog/second-night.md"]
    assert second.date == dt.datetime(2024, 2, 3, 22, 15)
    assert second.old_urls == ["/nights/second-night-clouds/"]  # "{{ title | slugify }}"
    assert second.extra == {"mood": "gloomy"}  # `layout` is a template choice: digest has its own
    computed = posts["src/blog/computed.md"]
    assert computed.old_urls == []
    assert notes(computed) == [
        (
            4,
            "permalink computed by templates: \"/{{ page.date | date: '%Y' }}/computed/\"; "
            "digest cannot run them, so no alias keeps its old URL",
        )
    ]
    assert posts["src/notes/2023-12-24-eve.md"].old_urls == ["/notes/2023-12-24-eve/"]  # Eleventy's default


def test_eleventy_templates_in_markdown() -> None:
    site = read_eleventy(SITES / "eleventy")
    first = by_source(site)["src/blog/2024-01-02-first-light.md"]
    assert "![The observatory cat](/blog/first-light/cat.png)" in first.body  # {% image %}
    assert "Write {{ name }} in a template." in first.body  # {% raw %} markers dropped, text kept
    assert "<!--more-->" in first.body
    assert "[the second post](migrate-post:src/blog/second-night.md)" in first.body
    assert "[about us](/about/#team)" in first.body  # a page, not a post: its old URL
    assert notes(first) == [
        (14, "Nunjucks/Liquid left as text: {{ site.url }} (digest runs no templates in bodies)")
    ]
    assert first.files == [
        (Path("src/blog/cat.png"), "blog/first-light/cat.png"),
        (Path("src/img/possum.png"), "img/possum.png"),
    ]
    second = by_source(site)["src/blog/second-night.md"]
    assert "[Video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in second.body
    assert '```js\nlet clouds = "{{ not a tag in code }}";\n```' in second.body  # {% highlight %}
    assert notes(second) == []
    assert root_links(second.body, second.body_line) == [(10, "/docs/telescope/")]


def test_eleventy_config_time_zone_and_dates(tmp_path: Path) -> None:
    (tmp_path / ".eleventy.js").write_text(
        'module.exports = function(c) {\n  c.addDateParsing(function (d) { return zone(d, "Europe/Berlin"); });\n'
        '  return { dir: { input: "site" } };\n};\n'
    )
    posts = tmp_path / "site" / "posts"
    posts.mkdir(parents=True)
    (posts / "a.md").write_text("---\ntitle: A\ndate: 05-17-2023\n---\nx\n")
    (posts / "b.md").write_text("---\ntitle: B\ndate: 2023-02-31\n---\nx\n")
    site = read_eleventy(tmp_path)
    assert site.timezone == "Europe/Berlin"
    got = by_source(site)
    assert got["site/posts/a.md"].date == dt.date(2023, 5, 17)  # MM-DD-YYYY
    assert got["site/posts/a.md"].old_urls == ["/posts/a/"]
    assert notes(got["site/posts/b.md"])[0] == (3, "date not understood: '2023-02-31'")


# --- Docusaurus -------------------------------------------------------------------------------


def test_docusaurus_every_blog_instance() -> None:
    site = read_docusaurus(SITES / "docusaurus")
    assert site.base_url == "https://docs.example.org"
    assert sorted(by_source(site)) == [
        "blog/2021/05/28/nested-date.md",
        "blog/2024-01-02-hello-world.md",
        "blog/2024-02-03-bundle/index.mdx",
        "changelog/2024-03-01-v1.md",
    ]
    assert [(s.path.as_posix(), s.reason) for s in site.skipped] == [
        ("blog/_partial.md", "starts with _: Docusaurus leaves it out")
    ]


def test_docusaurus_front_matter_and_urls() -> None:
    posts = by_source(read_docusaurus(SITES / "docusaurus"))
    hello = posts["blog/2024-01-02-hello-world.md"]
    assert hello.date == dt.date(2024, 1, 2)
    assert hello.authors == ["Ana Lima", "Bo Chen"]  # keys into authors.yml
    assert hello.tags == ["Release", "community"]  # `release` is a key into tags.yml
    assert hello.summary == "The first post of the new blog."
    assert hello.extra == {"hide_table_of_contents": True}
    assert hello.old_urls == ["/news/2024/01/02/hello-world/"]  # routeBasePath: news
    bundle = posts["blog/2024-02-03-bundle/index.mdx"]
    assert bundle.title == "Version 2.0 is out"  # the first # heading, as Docusaurus does
    assert bundle.authors == ["Guest Writer"]  # an inline author
    assert bundle.old_urls == ["/news/releases/two-point-oh/"]  # slug with /
    assert bundle.image == "/news/releases/two-point-oh/diagram.png"
    nested = posts["blog/2021/05/28/nested-date.md"]
    assert nested.date == dt.date(2021, 5, 28) and nested.old_urls == ["/news/2021/05/28/nested-date/"]
    assert nested.extra == {"unlisted": True}
    v1 = posts["changelog/2024-03-01-v1.md"]
    assert v1.draft and v1.tags == ["Changelog"]
    assert v1.date == dt.datetime(2024, 3, 1, 18, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert v1.old_urls == ["/changelog/2024/03/01/v1/"]


def test_docusaurus_mdx_body() -> None:
    site = read_docusaurus(SITES / "docusaurus")
    posts = by_source(site)
    bundle = posts["blog/2024-02-03-bundle/index.mdx"]
    assert "import Tabs from '@theme/Tabs';\n<Tabs />" in bundle.body  # kept inside the code block
    assert not bundle.body.lstrip().startswith("import")  # MDX imports removed
    assert "<!--more-->" in bundle.body and "{/* truncate */}" not in bundle.body
    assert "![Architecture](/news/releases/two-point-oh/diagram.png)" in bundle.body
    assert notes(bundle) == [
        (21, "JSX component left as text: <Tabs> (digest renders Markdown, not MDX; rewrite it as Markdown)"),
        (
            22,
            "JSX component left as text: <TabItem> (digest renders Markdown, not MDX; rewrite it as Markdown)",
        ),
    ]
    nested = posts["blog/2021/05/28/nested-date.md"]
    assert notes(nested) == [(3, "unlisted post: digest lists every article; kept under extra, check it")]
    hello = posts["blog/2024-01-02-hello-world.md"]
    assert "> [!NOTE]\n> **Before you upgrade**\\\n> Read" in hello.body
    assert "> [!CAUTION]\n> Back up your data." in hello.body
    assert "[bundle post](migrate-post:blog/2024-02-03-bundle/index.mdx)" in hello.body  # relative link
    assert hello.files == [(Path("static/img/banner.png"), "img/banner.png")]
    # conversions keep every line where it was: the report's line numbers are the source file's
    assert root_links(hello.body, hello.body_line) == [(23, "/img/banner.png"), (25, "/docs/install")]


def test_docusaurus_config_forms(tmp_path: Path) -> None:
    (tmp_path / "docusaurus.config.ts").write_text(
        "export default {\n  url: 'https://x.example',\n  baseUrl: '/site/',\n"
        "  presets: [['classic', {blog: false}]],\n"
        "  plugins: [[\"@docusaurus/plugin-content-blog\", {id: 'n', path: 'news', routeBasePath: '/'}]],\n};\n"
    )
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / "2024-01-01-ignored.md").write_text("---\ntitle: no\n---\n")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "2024-01-01-hi.md").write_text("---\ntitle: Hi\n---\nimport X from 'y';\n\nHello\n")
    site = read_docusaurus(tmp_path)
    [post] = site.posts
    assert post.source == Path("news/2024-01-01-hi.md")
    assert post.old_urls == ["/site/2024/01/01/hi/"]  # baseUrl + routeBasePath "/"
    assert "import" not in post.body  # Docusaurus runs imports in .md files too


def test_docusaurus_translations(tmp_path: Path) -> None:
    (tmp_path / "docusaurus.config.js").write_text(
        "module.exports = {url: 'https://x.example', baseUrl: '/',\n"
        "  i18n: {defaultLocale: 'en', locales: ['en', 'fr']},\n"
        "  plugins: [['@docusaurus/plugin-content-blog', {id: 'news', path: 'news', routeBasePath: 'news'}]],\n"
        "};\n"
    )
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "authors.yml").write_text("ana:\n  name: Ana Lima\n")
    (tmp_path / "news" / "2024-01-02-hello.md").write_text("---\ntitle: Hello\nauthors: ana\n---\nHi\n")
    fr = tmp_path / "i18n" / "fr" / "docusaurus-plugin-content-blog-news"
    fr.mkdir(parents=True)
    (fr / "2024-01-02-hello.md").write_text("---\ntitle: Bonjour\nauthors: ana\n---\nSalut\n")
    site = read_docusaurus(tmp_path)
    assert site.language == "en"
    posts = by_source(site)
    assert posts["news/2024-01-02-hello.md"].old_urls == ["/news/2024/01/02/hello/"]
    french = posts["i18n/fr/docusaurus-plugin-content-blog-news/2024-01-02-hello.md"]
    assert french.lang == "fr" and french.title == "Bonjour" and french.authors == ["Ana Lima"]
    assert french.old_urls == ["/fr/news/2024/01/02/hello/"]


@pytest.mark.parametrize(
    ("reader", "name"), [(read_zola, "zola"), (read_eleventy, "eleventy"), (read_docusaurus, "docusaurus")]
)
def test_readers_only_read(reader: object, name: str) -> None:
    before = tree_digest(SITES / name)
    site = reader(SITES / name)  # type: ignore[operator]
    assert site.posts
    assert tree_digest(SITES / name) == before
