"""Real Markdown written by other people: three small sites in tests/fixtures/real/ (samples of
This Week in Rust, the Go blog and the OpenTelemetry blog in six languages; their README names
each repository, commit, original path and licence). Their bodies are kept byte for byte, so the
renderer meets what curators will paste: tab-indented lists, HTML comments, raw HTML, tables,
fenced and indented code, unbalanced backticks in link text, footnotes, CJK and Cyrillic.

Each site is built once with the real CLI; the checks are that it builds cleanly, that every
article gets its page, and that the content survived the renderer (code in <pre>, tables as
<table>, non-Latin titles in <title>, text that an earlier version lost)."""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import FIXTURES, Run, copy_site, run_digest
from support.browser import axe_violations, chromium_available, chromium_browser, new_page, serve_directory
from support.htmlcheck import vnu_available, vnu_errors

REAL = FIXTURES / "real"
SITES = ("twir", "goblog", "otel")


@dataclass(frozen=True)
class Built:
    name: str
    run: Run
    out: Path

    def feed_items(self) -> list[dict[str, object]]:
        items = json.loads((self.out / "feed.json").read_text(encoding="utf-8"))["items"]
        assert isinstance(items, list)
        return items

    def page_for(self, rel: str) -> str:
        """The built page of the fixture article content/REL (found through its source_url, which
        the JSON Feed carries as external_url)."""
        source_url = front_matter(REAL / self.name / "content" / rel)["source_url"]
        urls = [item["url"] for item in self.feed_items() if item.get("external_url") == source_url]
        assert len(urls) == 1, f"{rel}: {len(urls)} feed items for {source_url}"
        return page_file(self.out, str(urls[0])).read_text(encoding="utf-8")


def front_matter(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert isinstance(front, dict)
    return front


def articles(name: str) -> list[Path]:
    return sorted((REAL / name / "content").rglob("*.md"))


def page_file(out: Path, url: str) -> Path:
    base_path = urlsplit(
        yaml.safe_load((out.parent / "site-src" / "digest.yaml").read_text())["base_url"]
    ).path
    path = urlsplit(url).path
    assert path.startswith(base_path), url
    return out / path[len(base_path) :] / "index.html"


def title_of(page: str) -> str:
    m = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert m, "page has no <title>"
    return html.unescape(m.group(1))


def pre_blocks(page: str) -> list[str]:
    """The text of each code block, highlighting markup removed."""
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Built]:
    cache: dict[str, Built] = {}

    def build(name: str) -> Built:
        if name not in cache:
            root = tmp_path_factory.mktemp(name)
            site = copy_site(REAL / name, root / "site-src")
            out = root / "out"
            # --future: run_digest's clock is 2023-11-14 and these posts run to 2026;
            # -j 1: small sites, and a worker that dies must not leave the build waiting
            run = run_digest("build", "-s", site, "-o", out, "-j", "1", "--future")
            cache[name] = Built(name, run, out)
        return cache[name]

    return build


def test_fixtures_are_small_and_complete() -> None:
    total = sum(p.stat().st_size for p in REAL.rglob("*") if p.is_file())
    assert total < 1_000_000
    for name in SITES:
        assert (REAL / name / "digest.yaml").is_file()
        assert 8 <= len(articles(name)) <= 15, name
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for name in SITES:
        for path in articles(name):
            # every sample is named in the README with its original path
            assert f"| {path.relative_to(REAL / name / 'content').as_posix()} |" in readme, path


@pytest.mark.parametrize("name", SITES)
def test_site_builds_cleanly(built: Callable[[str], Built], name: str) -> None:
    result = built(name).run
    assert "Traceback" not in result.err, result.err[-3000:]
    assert "panicked" not in result.err, result.err[-3000:]
    assert "error:" not in result.err, result.err[-3000:]
    assert result.code == 0, result.err[-3000:]


@pytest.mark.parametrize("name", SITES)
def test_one_page_per_article(built: Callable[[str], Built], name: str) -> None:
    b = built(name)
    assert b.run.code == 0, b.run.err[-3000:]
    items = b.feed_items()
    sources = [front_matter(p)["source_url"] for p in articles(name)]
    assert len(items) == len(sources) == len(set(sources))
    assert sorted(str(item["external_url"]) for item in items) == sorted(sources)
    pages = {page_file(b.out, str(item["url"])) for item in items}
    assert len(pages) == len(items)
    for path in articles(name):
        page = b.page_for(path.relative_to(REAL / name / "content").as_posix())
        # the title, whatever its script, is the page's <title>
        assert title_of(page).startswith(front_matter(path)["title"] + " · "), path


# ---------------------------------------------------------------- This Week in Rust


def test_twir_code_tables_and_raw_html(built: Callable[[str], Built]) -> None:
    b = built("twir")
    assert b.run.code == 0, b.run.err[-3000:]
    # a fenced block in a 2013 .markdown file
    page = b.page_for("2013-06-22-this-week-in-rust.md")
    assert any("for your_vec.iter().advance |element| {" in block for block in pre_blocks(page))
    # a fenced ```rust block inside a list item inside a block quote
    page = b.page_for("2019-01-15-this-week-in-rust.md")
    assert any("s += &*c.encode_utf8(&mut buffer);" in block for block in pre_blocks(page))
    # the performance triage table, with <br /> in its cells
    page = b.page_for("2026-08-19-this-week-in-rust.md")
    assert "<table>" in page
    assert re.search(r"<td[^>]*>\[0\.2%, 0\.5%\]</td>", page)
    # raw HTML the sanitiser must keep: an <img> with its alt text, <sup>
    page = b.page_for("2016-12-13-this-week-in-rust.md")
    assert 'src="https://this-week-in-rust.org/images/programming-people-rust.png"' in page
    page = b.page_for("2017-05-02-this-week-in-rust.md")
    assert "10<sup>10x</sup> programmers" in page


def test_twir_unbalanced_backtick_in_link_text(built: Callable[[str], Built]) -> None:
    # `* [`impl (Partial)Ord for Cell<T>+RefCell<T> where T: (Partial)Ord](https://…/33306)`:
    # the backtick has no partner, so it is literal text and the link stays a link
    b = built("twir")
    assert b.run.code == 0, b.run.err[-3000:]
    page = b.page_for("2016-05-16-this-week-in-rust.md")
    link = re.search(r'<a href="https://github.com/rust-lang/rust/pull/33306"[^>]*>(.*?)</a>', page)
    assert link, "the link was lost"
    assert "`impl (Partial)Ord for Cell" in html.unescape(link.group(1))
    page = b.page_for("2020-12-9-this-week-in-rust.md")
    assert 'href="https://github.com/rust-lang/cargo/pull/8937"' in page


# ---------------------------------------------------------------- the Go blog


def test_goblog_code_tables_and_links(built: Callable[[str], Built]) -> None:
    b = built("goblog")
    assert b.run.code == 0, b.run.err[-3000:]
    # a tab-indented code block
    page = b.page_for("blog/gob.md")
    assert any("type T struct{ X, Y, Z int }" in block for block in pre_blocks(page))
    # fenced ```go
    page = b.page_for("blog/inliner.md")
    assert any("package ioutil" in block for block in pre_blocks(page))
    # a table of endpoints, code in its cells
    page = b.page_for("blog/pkgsite-api.md")
    assert "<table>" in page
    assert re.search(r"<td[^>]*><code>/v1beta/package/\{path\}</code></td>", page)
    # a tab-indented list item opened by an HTML comment keeps its text
    page = b.page_for("blog/go1.23.md")
    assert "Range expressions in a &quot;for-range&quot; loop" in page or (
        'Range expressions in a "for-range" loop' in page
    )
    # [most recent Go survey results](survey2024-h1-results.md) leads to that article's page
    survey = next(
        str(item["url"])
        for item in b.feed_items()
        if item.get("external_url") == "https://go.dev/blog/survey2024-h1-results"
    )
    page = b.page_for("blog/gotelemetry.md")
    link = re.search(r'<a href="([^"]*)"[^>]*>most recent Go survey results</a>', page)
    assert link and survey.endswith(link.group(1)), link


def test_goblog_summary_from_front_matter(built: Callable[[str], Built]) -> None:
    b = built("goblog")
    assert b.run.code == 0, b.run.err[-3000:]
    item = next(i for i in b.feed_items() if i.get("external_url") == "https://go.dev/blog/gob")
    assert item["summary"] == "Introducing gob, a high-speed Go-to-Go wire encoding format."


# ---------------------------------------------------------------- the OpenTelemetry blog


def test_otel_non_latin_titles_and_languages(built: Callable[[str], Built]) -> None:
    b = built("otel")
    assert b.run.code == 0, b.run.err[-3000:]
    page = b.page_for("zh/blog/2024/docs-localized.md")
    assert title_of(page).startswith("OpenTelemetry 网站支持多语言！")
    assert 'lang="zh"' in page
    page = b.page_for("uk/blog/2024/docs-localized.md")
    assert title_of(page).startswith("Вебсайт OpenTelemetry стає багатомовним!")
    page = b.page_for("ja/blog/2022/apisix/index.md")
    assert title_of(page).startswith("Apache APISIX が OpenTelemetry と統合してトレーシングデータを収集")
    assert re.search(r"<h2[^>]*>背景情報", page)
    assert any("plugin_attr:" in block for block in pre_blocks(page))


def test_otel_japanese_reading_time_counts_its_characters(built: Callable[[str], Built]) -> None:
    """Japanese has no spaces between words: counted by spaces, this 2,668-character post (and
    its code) was a 3-minute read. At 500 characters a minute its Japanese alone takes over 5."""
    b = built("otel")
    assert b.run.code == 0, b.run.err[-3000:]
    body = (FIXTURES / "real" / "otel" / "content" / "ja/blog/2022/apisix/index.md").read_text(encoding="utf-8")
    characters = len(re.findall("[\u3040-\u30ff\u4e00-\u9fff]", body.split("---", 2)[2]))
    shown = re.search(r"(\d+) min read", b.page_for("ja/blog/2022/apisix/index.md"))
    assert shown and characters > 2500
    assert characters / 500 < int(shown.group(1)) <= characters / 500 + 4, shown.group(0)


def test_otel_tables_and_footnote_text(built: Callable[[str], Built]) -> None:
    b = built("otel")
    assert b.run.code == 0, b.run.err[-3000:]
    page = b.page_for("en/blog/2023/http-conventions-declared-stable.md")
    assert "<table>" in page
    assert re.search(r"<td[^>]*><code>http\.method</code> → <code>http\.request\.method</code></td>", page)
    # footnotes are not a CommonMark feature, but their text must not be lost
    page = b.page_for("en/blog/2023/spring-native/index.md")
    assert "do not support Log4j2 logging library" in page


# ---------------------------------------------------------------- the converter (tests/support)


def test_converter_normalise_and_paths() -> None:
    from support.realcontent import normalise, pelican_slug, target_path

    def date(text: str) -> str:
        return str(normalise({"title": "t", "date": text})["date"])

    assert date("2020-12-9") == "2020-12-09"
    assert date("2013-11-22 5:00:00 +0000") == "2013-11-22T05:00:00+00:00"
    assert date("2013-06-07 18:46") == "2013-06-07T18:46:00"
    assert date("2024-05-01T10:00:00Z") == "2024-05-01T10:00:00+00:00"
    assert normalise({"title": "t", "date": "2020-01-01", "lang": "zh_cn"})["lang"] == "zh-cn"
    assert target_path("content/2013-06-07-this-week-in-rust.markdown") == "2013-06-07-this-week-in-rust.md"
    assert target_path("_content/blog/gob.md") == "blog/gob.md"
    assert target_path("zh_cn/news/_posts/2026-07-16-x.md") == "zh_cn/news/posts/2026-07-16-x.md"
    assert pelican_slug("This Week in Rust 665") == "this-week-in-rust-665"


# --- valid and accessible whatever the author wrote (the Markdown issue) -----------------------


def article_pages(b: Built) -> list[Path]:
    return sorted(page_file(b.out, str(item["url"])) for item in b.feed_items())


@pytest.mark.skipif(not vnu_available(), reason="java or vnu.jar is not installed")
def test_every_real_article_page_is_valid_html(built: Callable[[str], Built]) -> None:
    pages = [page for name in SITES for page in article_pages(built(name))]
    assert len(pages) == sum(len(articles(name)) for name in SITES)
    assert vnu_errors(pages) == []


@pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_real_article_pages_have_no_accessibility_violations(
    built: Callable[[str], Built], scheme: str
) -> None:
    problems: dict[str, list[str]] = {}
    with chromium_browser() as browser, new_page(browser) as page:
        for name in SITES:
            b = built(name)
            mount = urlsplit(
                yaml.safe_load((b.out.parent / "site-src" / "digest.yaml").read_text())["base_url"]
            ).path
            with serve_directory(b.out, mount=mount) as base:
                for path in article_pages(b):
                    rel = path.parent.relative_to(b.out).as_posix() + "/"
                    found = axe_violations(page, base + rel, scheme)
                    if found:
                        problems[f"{name}/{rel}"] = found
    assert problems == {}


def test_real_pages_get_highlighting_ids_and_heading_levels(built: Callable[[str], Built]) -> None:
    b = built("goblog")
    page = b.page_for("blog/inliner.md")
    assert (
        '<pre class="highlight" tabindex="0"><code class="language-go"><span class="kn">package</span>'
        in page
    )
    levels = [int(n) for n in re.findall(r"<h([2-6])[^>]*\sid=", page.split('<div class="prose"')[1])]
    assert levels and levels[0] == 2 and all(b <= a + 1 for a, b in itertools.pairwise(levels))
    twir = built("twir").page_for("2026-08-19-this-week-in-rust.md")
    assert '<div class="table-scroll" tabindex="0"><table>' in twir
    # every image has an alt attribute (alt="" where the author wrote none, with a warning)
    images = [
        img
        for path in article_pages(b)
        for img in re.findall(r"<img\b[^>]*>", path.read_text(encoding="utf-8"))
    ]
    assert images and all(" alt=" in img for img in images)
    assert any('loading="lazy" decoding="async"' in img for img in images)
    assert "warning: image without alt text" in b.run.err
    otel = built("otel").page_for("en/blog/2023/spring-native/index.md")
    assert 'class="footnotes"' in otel and "[^" not in otel.split('<div class="prose"')[1]


def test_feeds_carry_the_code_readable_without_css(built: Callable[[str], Built]) -> None:
    b = built("goblog")
    item = next(i for i in b.feed_items() if "source-level-inliner" in str(i["url"]))
    body = str(item["content_html"])
    block = re.search(r"<pre[^>]*>(.*?)</pre>", body, re.S)
    assert block is not None and "<script" not in body and " style=" not in block.group(0)
    # the text is whole without the spans: newlines and indentation kept inside <pre>
    assert "package ioutil" in html.unescape(re.sub(r"<[^>]+>", "", block.group(1)))
