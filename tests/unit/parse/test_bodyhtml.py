"""GitHub-flavoured Markdown as digest renders it, one rule at a time: each extension, the
highlighting, and the rules that make any author's HTML valid and accessible (bodyhtml).
Through `markdown.render`, the one function the parse stage calls."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from conftest import run_digest
from generator import bodyhtml
from generator.highlight import DARK_STYLE, LIGHT_STYLE, code_block, stylesheet
from generator.markdown import MarkdownOptions, render

ARGS: dict[str, Any] = {
    "article_path": "2022/a.md",
    "base_path": "/",
    "body_line": 10,
    "summary_text": "",
    "sanitize_html": True,
}


def html(text: str, **options: bool) -> str:
    return render(text, **ARGS, options=MarkdownOptions(**options)).content


# --- extensions, each on by default and each able to be turned off ------------------------------


def test_autolink_literals() -> None:
    out = html("Get it at https://example.org/dl?v=2 or www.example.com.\n")
    assert '<a href="https://example.org/dl?v=2" rel="noopener noreferrer">https://example.org/dl?v=2</a>' in out
    assert '<a href="http://www.example.com" rel="noopener noreferrer">www.example.com</a>.' in out
    assert "<a" not in html("Get it at https://example.org/dl\n", autolinks=False)


def test_task_lists_are_disabled_named_checkboxes() -> None:
    out = html("- [x] shipped\n- [ ] reviewed\n")
    assert '<li><input type="checkbox" disabled checked aria-label="done"> shipped</li>' in out
    assert '<li><input type="checkbox" disabled aria-label="to do"> reviewed</li>' in out
    assert "<input" not in html("- [x] shipped\n", tasklists=False)


def test_an_authors_own_input_is_still_dropped() -> None:
    out = html('<form><input type="text" name="q" onfocus="x()"></form>\n\n- [ ] task\n')
    assert out.count("<input") == 1 and 'type="text"' not in out and "onfocus" not in out


def test_footnotes_have_back_links_and_ids_keyed_to_the_article() -> None:
    text = "A claim.[^src]\n\n[^src]: The source, with [a link](https://example.org/).\n"
    first = render(text, **ARGS)
    other = render(text, **{**ARGS, "article_path": "2022/b.md"})
    ids = re.findall(r'id="([^"]+)"', first.content)
    assert len(ids) == 2 and all(i.startswith(("fn-", "fnref-")) for i in ids)
    assert set(ids).isdisjoint(re.findall(r'id="([^"]+)"', other.content))  # two articles, one page
    assert 'class="footnote-backref"' in first.content and 'aria-label="Back to reference 1"' in first.content
    for target in re.findall(r'href="#([^"]+)"', first.content):
        assert target in ids
    assert "footnote" not in first.summary and first.summary.strip() == "<p>A claim.</p>"
    assert "[^src]" in html(text, footnotes=False)


@pytest.mark.parametrize("kind", ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"])
def test_alerts(kind: str) -> None:
    out = html(f"> [!{kind}]\n> Read *this*.\n")
    assert f'<div class="markdown-alert markdown-alert-{kind.lower()}">' in out
    assert f'<p class="markdown-alert-title">{kind.title()}</p>' in out
    assert "<em>this</em>" in out
    assert "<blockquote>" in html(f"> [!{kind}]\n> Read.\n", alerts=False)


def test_an_author_cannot_borrow_the_alert_classes_for_other_markup() -> None:
    out = html('<div class="markdown-alert evil" onclick="x()">hi</div>\n\n<span class="markdown-alert">s</span>\n')
    assert "evil" not in out and "onclick" not in out
    assert '<span class="markdown-alert">' not in out


def test_tables_and_strikethrough_can_be_turned_off() -> None:
    assert "<table>" in html("| a |\n|---|\n| b |\n")
    assert "<table>" not in html("| a |\n|---|\n| b |\n", tables=False)
    assert "<del>gone</del>" in html("~~gone~~\n") and "<del>" not in html("~~gone~~\n", strikethrough=False)


# --- headings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "levels"),
    [
        ([1, 3], [2, 3]),
        ([2, 4, 5, 3], [2, 3, 4, 3]),
        ([3, 3, 6], [2, 2, 3]),
        ([1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 6]),
        ([4, 2, 3], [2, 2, 3]),
    ],
)
def test_heading_levels_start_at_h2_and_skip_none(written: list[int], levels: list[int]) -> None:
    assert bodyhtml.heading_levels(written) == levels
    out = html("\n\n".join("#" * n + f" H{i}" for i, n in enumerate(written)) + "\n")
    assert [int(n) for n in re.findall(r"<h(\d)", out)] == levels


def test_heading_ids_are_slugs_unique_within_the_body() -> None:
    out = html("## Background\n\n## Background\n\n## Суд в Грозном\n\n## !!!\n")
    assert re.findall(r'id="([^"]+)"', out)[:3] == ["background", "background-2", "sud-v-groznom"]
    assert len(set(re.findall(r'id="([^"]+)"', out))) == 4
    assert " id=" not in html("## Background\n", heading_ids=False)


# --- images ---------------------------------------------------------------------------------


def test_images_are_lazy_and_the_ones_without_alt_are_reported_with_their_line() -> None:
    text = "Intro.\n\n![A court](/img/court.jpg)\n\n![](/img/nothing.png)\n\n<img src=\"/img/raw.png\">\n"
    out = render(text, **ARGS)
    assert out.content.count('loading="lazy" decoding="async"') == 3
    assert '<img src="/img/raw.png" alt="" loading="lazy" decoding="async">' in out.content
    assert out.no_alt == (("/img/nothing.png", 14), ("/img/raw.png", 16))


# --- highlighting ---------------------------------------------------------------------------


def test_code_is_highlighted_with_classes_and_no_script() -> None:
    out = html("```python\ndef f(x):\n    return x < '1'  # note\n```\n")
    assert out.startswith('<pre class="highlight" tabindex="0"><code class="language-python"><span class="k">def</span>')
    assert '<span class="c1"># note</span>' in out and "&lt;" in out and "<script" not in out
    assert "<span" not in html("```python\nx = 1\n```\n", highlight=False)


def test_an_unknown_language_is_plain_text() -> None:
    out = html("```klingon\nqaStaH nuq?\n```\n")
    assert out == '<pre class="highlight" tabindex="0"><code class="language-klingon">qaStaH nuq?\n</code></pre>\n'


def test_line_numbers_come_from_css_not_from_the_text() -> None:
    out = html("```python\na = 1\nb = '''x\ny'''\n```\n", line_numbers=True)
    assert out.count('<span class="line">') == 3
    assert unescape(re.sub(r"<[^>]+>", "", out)).strip() == "a = 1\nb = '''x\ny'''"  # no numbers in the text
    # a token over two lines (the string) is closed and reopened, so every line is well nested
    assert '<span class="s1">\'\'\'x</span></span>\n<span class="line"><span class="s1">y\'\'\'</span>' in out


def test_markup_an_author_puts_in_a_raw_code_block_comes_out_as_text() -> None:
    out = html('<pre><code class="language-x&quot; onclick=&quot;"><script>alert(1)</script></code></pre>\n')
    assert "<script" not in out and "&lt;script&gt;" in out and "onclick" not in out
    assert code_block('<pre><code class="language-js"><b>x</b></code></pre>', True).count("<b>") == 0


def test_highlighting_happens_once_per_body_not_per_page() -> None:
    """The parse stage stores the highlighted body; pages and feeds copy it. So the cost is
    one per article body (a page showing ten articles highlights nothing)."""
    out = render("```python\nx = 1\n```\n", **ARGS)
    assert '<span class="n">x</span>' in out.content


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("name", [LIGHT_STYLE, DARK_STYLE])
def test_the_default_palettes_meet_wcag_aa(name: str) -> None:
    from pygments.styles import get_style_by_name

    style = get_style_by_name(name)
    background = style.background_color
    worst = min(
        (max(_luminance(c), _luminance(background)) + 0.05) / (min(_luminance(c), _luminance(background)) + 0.05)
        for c in ("#" + s["color"] for _, s in style if s["color"])
    )
    assert worst >= 4.5, (name, worst)


def test_the_stylesheet_has_a_light_and_a_dark_palette() -> None:
    css = stylesheet()
    light, _, dark = css.partition("@media (prefers-color-scheme: dark)")
    assert "pre.highlight" in light and "pre.highlight" in dark
    assert re.search(r"pre\.highlight \{ background: #ffffff", light)


# --- through the CLI ------------------------------------------------------------------------


def test_images_without_alt_are_located_warnings_grouped_when_many(tmp_path: Path) -> None:
    site = tmp_path / "src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    for n in range(5):
        (site / "content" / f"a{n}.md").write_text(
            f"---\ntitle: A {n}\ndate: 2022-01-0{n + 1}\nsource: X\n---\nText.\n\n![](/img/{n}.png)\n",
            encoding="utf-8",
        )
    result = run_digest("build", "-s", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if ": warning: " in line]
    assert warnings == [
        "content/a0.md:8: warning: image without alt text in 5 files (content/a0.md:8, content/a1.md:8, "
        "content/a2.md:8, …); say what each shows in its brackets: ![what it shows](image.jpg)"
    ]
    verbose = run_digest("build", "-s", site, "-o", tmp_path / "out2", "-v")
    assert "content/a3.md:8: warning: image without alt text (/img/3.png)" in verbose.err
    page = (tmp_path / "out" / "2022/01/01/a-0/index.html").read_text(encoding="utf-8")
    assert '<img src="/img/0.png" alt="" loading="lazy" decoding="async">' in page


def test_a_site_can_turn_the_extensions_off(tmp_path: Path) -> None:
    site = tmp_path / "src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        "title: T\nbase_url: https://example.org/\nmarkdown: {autolinks: false, footnotes: false}\n"
        "highlight: false\n",
        encoding="utf-8",
    )
    (site / "content" / "a.md").write_text(
        "---\ntitle: A\ndate: 2022-01-01\nsource: X\n---\nSee https://example.org/x and a claim.[^1]\n\n"
        "```python\nx = 1\n```\n\n[^1]: note\n",
        encoding="utf-8",
    )
    result = run_digest("build", "-s", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    page = (tmp_path / "out" / "2022/01/01/a/index.html").read_text(encoding="utf-8")
    # no autolink; without footnotes, `[^1]: note` is a link reference definition
    assert '<p>See https://example.org/x and a claim.<a href="note"' in page and '<span class="n">' not in page
    (site / "digest.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    again = run_digest("build", "-s", site, "-o", tmp_path / "out")
    page = (tmp_path / "out" / "2022/01/01/a/index.html").read_text(encoding="utf-8")
    assert again.code == 0 and '<a href="https://example.org/x"' in page and '<span class="n">x</span>' in page


# --- what real content by other people needed (tests/fixtures/real/README.md) -------------------


def test_a_written_heading_id_is_kept_and_not_shown() -> None:
    out = html("## Usage {#usage}\n\n## Usage\n\n## Install {#get-it}\n")
    assert re.findall(r"<h2 id=\"([^\"]+)\">([^<]*)</h2>", out) == [
        ("usage", "Usage"),
        ("usage-2", "Usage"),
        ("get-it", "Install"),
    ]


def test_control_characters_are_dropped_from_bodies() -> None:
    out = html("Copied\x08 from a\x00 terminal\x1b[0m.\n")
    assert re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out) is None and "Copied from a terminal[0m." in out


def test_video_audio_and_more_link_schemes_survive_the_sanitiser() -> None:
    out = html(
        '<video controls poster="/p.jpg" onplay="x()"><source src="/clip.mp4" type="video/mp4"></video>\n\n'
        "[mirror](rsync://mirror.example.org/ruby/) [ftp](ftp://ftp.example.org/pub/)\n"
    )
    assert '<video controls="" poster="/p.jpg"><source src="/clip.mp4" type="video/mp4"></video>' in out
    assert "onplay" not in out
    assert 'href="rsync://mirror.example.org/ruby/"' in out and 'href="ftp://ftp.example.org/pub/"' in out


def test_an_image_alone_is_not_a_summary() -> None:
    out = render("![Banner](/b.png)\n\nThe real first paragraph.\n", **ARGS)
    assert out.summary.strip() == "<p>The real first paragraph.</p>"


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2020-12-9", "2020-12-09T00:00:00+03:00"),
        ("2024-4-09", "2024-04-09T00:00:00+03:00"),
        ("2013-11-22 5:00:00 +0000", "2013-11-22T05:00:00+00:00"),
        ("2013-11-22 5:00:00 +00:00", "2013-11-22T05:00:00+00:00"),
    ],
)
def test_dates_as_jekyll_and_hugo_sites_write_them(written: str, iso: str) -> None:
    from zoneinfo import ZoneInfo

    from generator.dates import parse_datetime

    assert parse_datetime(written, ZoneInfo("Europe/Moscow")).isoformat() == iso


def test_markdown_files_with_the_long_suffix_are_articles(tmp_path: Path) -> None:
    site = tmp_path / "src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    (site / "content" / "2013-06-22-old.markdown").write_text(
        "---\ntitle: Old\ndate: 2013-6-22\nsource: X\n---\nSee [the new one](new.md).\n", encoding="utf-8"
    )
    (site / "content" / "new.md").write_text(
        "---\ntitle: New\ndate: 2013-06-23\nsource: X\n---\nSee [the old one](2013-06-22-old.markdown).\n",
        encoding="utf-8",
    )
    result = run_digest("build", "-s", site, "-o", tmp_path / "out")
    assert result.code == 0 and "warning" not in result.err, result.err
    new = (tmp_path / "out" / "2013/06/23/new/index.html").read_text(encoding="utf-8")
    assert 'href="/2013/06/22/old/"' in new


def test_unbalanced_raw_html_leaves_no_empty_link() -> None:
    """The Go blog's `<div><center><a href=…>{{image …}}</center></div>`: the HTML parser
    splits the open link in two, and the empty halves would be links without a name."""
    out = html('<div>\n<center>\n<a href="big.jpg">\n{{image "small.jpg" 150}}\n</center>\n</div>\n')
    assert re.search(r"<a [^>]*>\s*</a>", out) is None and '{{image "small.jpg" 150}}' in out


def test_raw_html_that_is_not_valid_html_is_mended() -> None:
    out = html('<img src="/a.png" alt="A" width="100%" height="40">\n\n<details>\nMore text.\n</details>\n')
    assert 'width="100%"' not in out and 'height="40"' in out
    assert "<details><summary>Details</summary>" in out.replace("\n", "")
    assert out.count("<summary>") == 1
    kept = html("<details><summary>Why</summary>Because.</details>\n")
    assert kept.count("<summary>") == 1 and "<summary>Why</summary>" in kept


def test_a_link_around_an_image_without_alt_is_named_by_where_it_goes() -> None:
    out = html("[![](http://farm2.example.com/1.jpg)](http://www.flickr.com/photos/someone/996092833/)\n")
    assert 'aria-label="www.flickr.com/photos/someone/996092833"' in out
    named = html("[![A ruby](/r.png)](https://example.org/)\n")
    assert "aria-label" not in named
