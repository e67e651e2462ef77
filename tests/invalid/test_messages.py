"""Messages at scale, on real sites run through the real CLI: repeated diagnostics grouped into
one line (and listed one by one with -v), front_matter.ignore, language tags as people write
them, a no-op publish, and broken links in article bodies reported once, at their Markdown."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import run_digest


def _site(root: Path, articles: dict[str, str], config: str = "", sources: str | None = None) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "digest.yaml").write_text(
        "title: Desk\nbase_url: https://example.org/news/\ntimezone: UTC\n" + config, encoding="utf-8"
    )
    for name, text in articles.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if sources is not None:
        (root / "sources.yaml").write_text(sources, encoding="utf-8")
    return root


def _article(n: int, extra: str = "", body: str = "Body.", source: str = "Wire") -> str:
    return f"---\ntitle: Article {n}\ndate: 2022-01-{n:02d}\nsource: {source}\n{extra}---\n{body}\n"


def _lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": warning: " in line or ": error: " in line]


def _hugo_site(root: Path, count: int, config: str = "") -> Path:
    """`count` articles that each carry Hugo's `categories:` on line 5."""
    articles = {f"a{n:02d}.md": _article(n, extra="categories: [news]\n") for n in range(1, count + 1)}
    return _site(root, articles, config)


# ---- grouping -------------------------------------------------------------------------------


def test_one_unknown_key_in_many_files_is_one_line_with_count_locations_and_fix(tmp_path: Path) -> None:
    site = _hugo_site(tmp_path / "s", 6)
    result = run_digest("build", "-s", site)
    assert result.code == 0, result.err
    assert _lines(result.err) == [
        "content/a01.md:5: warning: unknown key 'categories' in 6 files (content/a01.md:5, "
        "content/a02.md:5, content/a03.md:5, …); use tags:, or list it under front_matter.ignore in digest.yaml"
    ]
    assert "note: 6 messages in 1 line, similar ones grouped; -v lists every one" in result.err
    assert "0 errors, 6 warnings" in result.out  # the summary counts every one


def test_verbose_lists_every_message(tmp_path: Path) -> None:
    site = _hugo_site(tmp_path / "s", 6)
    result = run_digest("build", "-v", "-s", site)
    assert result.code == 0, result.err
    lines = _lines(result.err)
    assert len(lines) == 6
    assert lines[0] == (
        "content/a01.md:5: warning: unknown key 'categories' (did you mean 'tags'?); it reaches templates "
        "as article.extra (list it under front_matter.ignore in digest.yaml to keep it quietly)"
    )
    assert [line.split(":", 1)[0] for line in lines] == [f"content/a{n:02d}.md" for n in range(1, 7)]
    assert "note:" not in result.err


def test_three_of_a_kind_stay_separate_lines(tmp_path: Path) -> None:
    site = _hugo_site(tmp_path / "s", 3)
    lines = _lines(run_digest("build", "-s", site).err)
    assert [line.split(": ", 1)[0] for line in lines] == [
        "content/a01.md:5",
        "content/a02.md:5",
        "content/a03.md:5",
    ]


def test_strict_groups_the_errors_and_fails(tmp_path: Path) -> None:
    site = _hugo_site(tmp_path / "s", 5)
    result = run_digest("check", "--strict", "-s", site)
    assert result.code == 1
    lines = _lines(result.err)
    assert len(lines) == 1 and lines[0].startswith(
        "content/a01.md:5: error: unknown key 'categories' in 5 files"
    )
    assert "5 errors, 0 warnings" in result.err


def test_groups_are_per_key_and_sorted_among_other_messages(tmp_path: Path) -> None:
    articles = {f"a{n}.md": _article(n, extra="layout: post\n", source="Wyre") for n in range(1, 6)}
    articles["a0.md"] = "---\ntitle: Broken\ndate: 2022-13-45\nsource: Wire\n---\nx\n"
    site = _site(tmp_path / "s", articles, sources="Wire:\n  url: https://wire.example\n")
    result = run_digest("build", "-s", site)
    assert result.code == 1
    assert _lines(result.err) == [
        "content/a0.md:3: error: 'date': '2022-13-45' is not a valid date (month must be in 1..12); "
        "write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM",
        "content/a1.md:4: warning: source 'Wyre' is not in sources.yaml in 5 files (content/a1.md:4, "
        "content/a2.md:4, content/a3.md:4, …); did you mean 'Wire'? Else add it to sources.yaml",
        "content/a1.md:5: warning: unknown key 'layout' in 5 files (content/a1.md:5, content/a2.md:5, "
        "content/a3.md:5, …); list it under front_matter.ignore in digest.yaml to keep it",
    ]
    assert "1 error, 10 warnings" in result.err


# ---- front_matter.ignore --------------------------------------------------------------------


def test_ignored_keys_raise_no_warning_and_still_reach_templates(tmp_path: Path) -> None:
    site = _hugo_site(tmp_path / "s", 5, config="front_matter:\n  ignore: [categories, layout]\n")
    theme = site / "themes" / "t" / "templates"
    theme.mkdir(parents=True)
    (theme / "article.html").write_text(
        '{% extends "default/article.html" %}{% block head %}{{ super() }}'
        '<meta name="categories" content="{{ article.extra.categories | join(",") }}">{% endblock %}',
        encoding="utf-8",
    )
    (site / "digest.yaml").write_text((site / "digest.yaml").read_text() + "theme: t\n", encoding="utf-8")
    result = run_digest("build", "--strict", "-s", site)
    assert result.code == 0, result.err
    assert _lines(result.err) == [] and "0 warnings" in result.out
    page = (site / "site/2022/01/01/article-1/index.html").read_text(encoding="utf-8")
    assert '<meta name="categories" content="news">' in page


def test_editing_the_ignore_list_takes_effect_on_the_next_build(tmp_path: Path) -> None:
    site = _hugo_site(tmp_path / "s", 5)
    assert "unknown key 'categories' in 5 files" in run_digest("build", "-s", site).err
    config = site / "digest.yaml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + "front_matter:\n  ignore: [categories]\n", encoding="utf-8")
    quiet = run_digest("build", "-s", site)  # the parse cache is warm: nothing is parsed again
    assert quiet.code == 0 and _lines(quiet.err) == [] and "0 warnings" in quiet.out
    config.write_text(base, encoding="utf-8")
    loud = run_digest("build", "-s", site)
    assert "unknown key 'categories' in 5 files" in loud.err and "5 warnings" in loud.out


def test_front_matter_settings_are_validated_with_their_lines(tmp_path: Path) -> None:
    site = _site(
        tmp_path / "s",
        {"a.md": _article(1)},
        config="front_matter:\n  ignor: [x]\n  ignore: layout\nfront_mater: {}\n",
    )
    result = run_digest("build", "-s", site)
    assert result.code == 2
    assert _lines(result.err) == [
        "digest.yaml:5: error: unknown key 'front_matter.ignor' (did you mean 'ignore'?)",
        "digest.yaml:6: error: 'front_matter.ignore' must be a list of front-matter keys such as "
        "[categories, layout]",
        "digest.yaml:7: error: unknown key 'front_mater' (did you mean 'front_matter'?)",
    ]
    (site / "digest.yaml").write_text(
        "title: Desk\nbase_url: https://example.org/\nfront_matter:\n  ignore: [layout, tags, {a: b}]\n",
        encoding="utf-8",
    )
    result = run_digest("build", "-s", site)
    assert result.code == 2 and "Traceback" not in result.err
    assert _lines(result.err) == [
        "digest.yaml:4: error: 'front_matter.ignore' lists 'tags', which digest reads itself; remove it",
        "digest.yaml:4: error: each entry of 'front_matter.ignore' must be a key name",
    ]
    (site / "digest.yaml").write_text("title: Desk\nbase_url: https://example.org/\nfront_matter: [x]\n")
    result = run_digest("build", "-s", site)
    assert result.code == 2
    assert _lines(result.err) == [
        "digest.yaml:3: error: 'front_matter' must be a mapping such as {ignore: [categories, layout]}"
    ]


def test_serve_shows_grouped_errors_in_its_banner(tmp_path: Path) -> None:
    from e2e.test_serve import serve

    articles = {f"a{n}.md": "---\ntitle: Same\ndate: 2022-01-02\nsource: Wire\n---\nx\n" for n in range(1, 6)}
    site = _site(tmp_path / "s", articles)
    with serve(site, "--no-reload") as running:
        running.wait_for_stderr("digest: build failed")
        _, _, body = running.get(running.base_path)
    text = body.decode("utf-8")
    assert 'role="alert"' in text
    assert (
        "content/a2.md:1: error: same URL /news/2022/01/02/same/ as content/a1.md in 4 files "
        "(content/a2.md:1, content/a3.md:1, content/a4.md:1, …); give them different slugs"
    ) in text
    assert "content/a5.md:1" not in text


# ---- language tags ----------------------------------------------------------------------------

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_language_tags_as_people_write_them_are_normalised_everywhere(tmp_path: Path) -> None:
    def piece(n: int, lang: str) -> str:  # dated the day of the tests' clock: in the news sitemap
        return f"---\ntitle: Piece {n}\ndate: 2023-11-14T0{n}:00:00Z\nsource: Wire\nlang: {lang}\n---\nText {n}.\n"

    site = _site(
        tmp_path / "s",
        {
            "a.md": piece(1, "zh_TW"),
            "b.md": piece(2, "pt_BR"),
            "c.md": piece(3, "en-us"),
            "d.md": piece(4, "sr_Latn_RS"),
        },
        config="language: zh_cn\npermalinks:\n  article: /{lang}/{slug}/\n",
    )
    result = run_digest("build", "-s", site)
    assert result.code == 0, result.err
    out = site / "site"
    assert '<html lang="zh-CN">' in (out / "index.html").read_text(encoding="utf-8")
    # {lang} in permalinks is lowercase; the page marks the article's own words with its tag
    paths = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("*/piece-*/index.html"))
    assert paths == ["en-us/piece-3", "pt-br/piece-2", "sr-latn-rs/piece-4", "zh-tw/piece-1"]
    page = (out / "pt-br/piece-2/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and 'lang="pt-BR"' in page
    ld = json.loads(LD.search(page).group(1))  # type: ignore[union-attr]
    assert ld["inLanguage"] == "pt-BR"
    atom = ET.fromstring((out / "feed.xml").read_bytes())
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
    assert ET.fromstring((out / "rss.xml").read_bytes()).findtext("channel/language") == "zh-CN"
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert feed["language"] == "zh-CN"
    assert {item["title"]: item["language"] for item in feed["items"]} == {
        "Piece 1": "zh-TW",
        "Piece 2": "pt-BR",
        "Piece 3": "en-US",
        "Piece 4": "sr-Latn-RS",
    }
    news = ET.fromstring((out / "news-sitemap.xml").read_bytes())
    ns = "{http://www.google.com/schemas/sitemap-news/0.9}"
    languages = {
        u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"): u.findtext(
            f"{ns}news/{ns}publication/{ns}language"
        )
        for u in news
    }
    # Google News wants ISO 639, with zh-cn and zh-tw as its only regional forms
    assert languages == {
        "https://example.org/news/zh-tw/piece-1/": "zh-tw",
        "https://example.org/news/pt-br/piece-2/": "pt",
        "https://example.org/news/en-us/piece-3/": "en",
        "https://example.org/news/sr-latn-rs/piece-4/": "sr",
    }


def test_a_word_that_is_not_a_language_tag_is_a_located_error_with_the_nearest_tag(tmp_path: Path) -> None:
    site = _site(
        tmp_path / "s",
        {
            "a.md": _article(1, extra="lang: english\n"),
            "b.md": _article(2, extra="lang: zz_ZZ\n"),
            "c.md": _article(3, extra="lang: xx_yy_zz\n"),
            "d.md": _article(4, extra="lang: e\n"),
            "e.md": _article(5, extra="lang: en_US.UTF-8\n"),
        },
    )
    result = run_digest("build", "-s", site)
    assert result.code == 1
    assert _lines(result.err) == [
        "content/a.md:5: error: 'lang' must be a language tag such as en, ru or zh-CN, not 'english' (did you mean 'en'?)",
        "content/b.md:5: error: 'lang' must be a language tag such as en, ru or zh-CN, not 'zz_ZZ'",
        "content/c.md:5: error: 'lang' must be a language tag such as en, ru or zh-CN, not 'xx_yy_zz'",
        "content/d.md:5: error: 'lang' must be a language tag such as en, ru or zh-CN, not 'e'",
        "content/e.md:5: error: 'lang' must be a language tag such as en, ru or zh-CN, not 'en_US.UTF-8' (did you mean 'en-US'?)",
    ]
    (site / "digest.yaml").write_text("title: Desk\nbase_url: https://example.org/\nlanguage: Russian\n")
    config = run_digest("build", "-s", site)
    assert config.code == 2
    assert _lines(config.err) == [
        "digest.yaml:3: error: 'language' must be a language tag such as en, pt-BR or zh-CN, not 'Russian' (did you mean 'ru'?)"
    ]


# ---- a no-op publish --------------------------------------------------------------------------


def test_a_publish_with_nothing_to_do_leaves_the_manifest_untouched(tmp_path: Path) -> None:
    site = _site(
        tmp_path / "s",
        {"a.md": _article(1), "b.md": _article(2)},
        config="publish:\n  www: {type: dir, path: ../www}\n",
    )
    manifest = tmp_path / "www" / ".digest-published.json"
    first = run_digest("publish", "-s", site)
    assert first.code == 0, first.err
    before = (manifest.read_bytes(), manifest.stat().st_mtime_ns, manifest.stat().st_ino)
    again = run_digest("publish", "-s", site)
    assert again.code == 0, again.err
    assert " 0 uploaded, 0 deleted, " in again.out
    assert (manifest.read_bytes(), manifest.stat().st_mtime_ns, manifest.stat().st_ino) == before
    assert not list(manifest.parent.glob(".*.digest-tmp"))


# ---- broken links written in articles ----------------------------------------------------------


def test_a_broken_link_in_a_body_is_reported_once_at_its_markdown_line(tmp_path: Path) -> None:
    body = "First paragraph links [nowhere](/nowhere/).\n\nSecond paragraph, [gone](../gone/)."
    articles = {
        # the summary (first paragraph) with its broken link is on the home page, the tag page,
        # the source page and the year, month and day archives: six list pages and a feed
        "x.md": _article(3, extra="tags: [t]\n", body=body),
        "y.md": _article(4, extra="summary: See [the missing page](/missing/).\n", body="Fine."),
    }
    site = _site(tmp_path / "s", articles)
    theme = site / "themes" / "t" / "templates"
    theme.mkdir(parents=True)
    (theme / "index.html").write_text(
        '{% extends "default/index.html" %}{% block main %}{{ super() }}\n'
        '<p><a href="{{ url("about/") }}">About</a></p>{% endblock %}',
        encoding="utf-8",
    )
    (site / "digest.yaml").write_text((site / "digest.yaml").read_text() + "theme: t\n", encoding="utf-8")
    result = run_digest("check", "-s", site)
    assert result.code == 1
    lines = _lines(result.err)
    theme_lines = [line for line in lines if line.startswith("site/")]
    fix = "no page is built there; correct or remove the link"
    assert [line for line in lines if not line.startswith("site/")] == [
        f"content/x.md:7: error: broken internal link to /news/nowhere/: {fix}",
        f"content/x.md:9: error: broken internal link to /news/2022/01/03/gone/: {fix}",
        f"content/y.md:5: error: broken internal link to /news/missing/: {fix}",
    ]
    # the link the theme makes is still reported where it is, on the page
    assert theme_lines and all("broken internal link to /news/about/" in line for line in theme_lines)
    assert theme_lines[0].startswith("site/index.html:")
    assert f"{len(lines)} errors" in result.err


def test_many_broken_links_to_one_target_are_one_line(tmp_path: Path) -> None:
    articles = {f"a{n}.md": _article(n, body=f"Text {n}, see [it](/old-page/).") for n in range(1, 7)}
    site = _site(tmp_path / "s", articles)
    result = run_digest("check", "-s", site)
    assert result.code == 1
    assert _lines(result.err) == [
        "content/a1.md:6: error: broken internal link to /news/old-page/ in 6 files (content/a1.md:6, "
        "content/a2.md:6, content/a3.md:6, …); no page is built there; correct or remove the link"
    ]
    assert "6 errors, 0 warnings" in result.err


def test_a_broken_link_that_is_another_site_s_address_says_how_to_write_it(tmp_path: Path) -> None:
    """Two shapes found in a real Chinese weekly (ruanyf/weekly, issues 157 and 82): an address
    with no scheme, and one after a full-width colon. Both are relative links to this site."""
    body = "See [the tool](pptrconsole.com).\n\nAnd [the workshop](：https://example.org/go/workshop.html)."
    site = _site(tmp_path / "s", {"x.md": _article(3, body=body)})
    result = run_digest("check", "-s", site)
    assert result.code == 1
    assert _lines(result.err) == [
        "content/x.md:6: error: broken internal link to /news/2022/01/03/article-3/pptrconsole.com: no page is built "
        "there; another site's address? write it with its scheme: https://pptrconsole.com",
        "content/x.md:8: error: broken internal link to /news/2022/01/03/article-3/：https:/example.org/go/workshop.html: "
        "no page is built there; another site's address? it starts at https://example.org/go/workshop.html: "
        "remove what comes before it",
    ]
