"""The rules that make any author's HTML valid and accessible (generator.parse.bodyhtml): task-list
boxes, footnote ids, heading levels and ids, lazy images and the ones without alt text, and the
mending of raw HTML that real content needed. Through `markdown.render`, the one function the
parse stage calls, as the parse stage calls it."""

from __future__ import annotations

import re

import pytest

from generator.parse import bodyhtml
from generator.parse.markdown import render
from support.bodies import ARGS, html

# --- task lists and footnotes ------------------------------------------------------------------


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


def test_images_without_alt_are_reported_as_written_when_root_links_wait_for_links_root() -> None:
    """With `links: {root: ...}`, root-relative URLs are held behind a marker until the site's
    pages are known; a warning names the image as the author wrote it, on its line (the
    Node.js blog's `![](/static/images/...)` was named `__digest_ref__//static/...`, line 1)."""
    text = "Intro.\n\n![A court](/img/court.jpg)\n\n![](/img/nothing.png)\n\n<img src=\"/img/raw.png\">\n"
    out = render(text, **{**ARGS, "root_links": True})
    assert out.roots == ("/img/court.jpg", "/img/nothing.png", "/img/raw.png")
    assert out.no_alt == (("/img/nothing.png", 14), ("/img/raw.png", 16))


# --- what real content by other people needed (tests/fixtures/real/README.md) -------------------


def test_a_written_heading_id_is_kept_and_not_shown() -> None:
    out = html("## Usage {#usage}\n\n## Usage\n\n## Install {#get-it}\n")
    assert re.findall(r"<h2 id=\"([^\"]+)\">([^<]*)</h2>", out) == [
        ("usage", "Usage"),
        ("usage-2", "Usage"),
        ("get-it", "Install"),
    ]


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
