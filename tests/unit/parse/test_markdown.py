"""The Markdown renderer, checked against the specs and against the reference.

- Every example of the CommonMark 0.31.2 spec, rendered by comrak (what builds use) and by
  markdown-it-py (the reference that stands in when comrak fails).
- The GFM spec's table and strikethrough examples (the extensions digest turns on).
- A differential fuzzer: Markdown made of what curators write (links, code spans, emphasis,
  lists, quotes, tables, raw HTML, code blocks, headings), comrak against markdown-it-py.
  The differences found and accepted are listed in the README ("Markdown") and kept out of the
  strategy here, each with the example that shows it in `test_known_differences_stay_known`.
- The site's own rules (sanitising, heading shift, `.md` links, base path, tracking parameters)
  hold whichever engine rendered the file.
- Whatever comrak raises, a Rust panic included (a BaseException), the file is rendered by
  markdown-it-py and the caller is told how comrak failed.
- The sanitiser, and digest's dialect one rule at a time: GitHub's extensions (autolinks,
  alerts, tables, strikethrough), each on by default and each able to be turned off, and what
  real content needed (control characters, video and audio, more link schemes, summaries).
  The body rules are in test_bodyhtml.py, highlighting in test_highlight.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from generator.parse import markdown
from generator.parse.commonmark import MAX_NESTING, MarkdownProblem, check_nesting, engine
from generator.parse.markdown import MarkdownOptions, render
from support.bodies import ARGS, html

SPEC = FIXTURES / "spec"
BOUNDED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((SPEC / name).read_text(encoding="utf-8"))
    return data


def normalize(html: str) -> str:
    """Equal HTML up to the whitespace between tags, `<del>`/`<s>` (GFM's and markdown-it's
    names for struck text) and the two ways to say a cell's alignment."""
    html = html.replace("<del>", "<s>").replace("</del>", "</s>")
    html = re.sub(r' align="(left|center|right)"', r' style="text-align:\1"', html)
    html = re.sub(r"<input ([^>]*?) ?/?>", lambda m: "<input " + " ".join(sorted(m.group(1).split())) + ">", html)
    html = re.sub(r"\s+(</)", r"\1", html)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html.strip()))


COMMONMARK = _load("commonmark-0.31.2.json")
GFM = _load("gfm-0.29-extensions.json")
# `markdown:` with every extension off: CommonMark alone
PLAIN = MarkdownOptions(
    tables=False, strikethrough=False, autolinks=False, tasklists=False, footnotes=False, alerts=False
)


@pytest.mark.parametrize("example", COMMONMARK, ids=lambda e: f"{e['example']}-{e['section'][:20]}")
def test_commonmark_spec_with_comrak(example: dict[str, Any]) -> None:
    assert normalize(engine(PLAIN).render(example["markdown"])[0]) == normalize(example["html"])


def test_commonmark_spec_with_the_reference() -> None:
    failed = [
        e["example"]
        for e in COMMONMARK
        if normalize(engine().render_reference(e["markdown"])[0]) != normalize(e["html"])
    ]
    assert failed == []


@pytest.mark.parametrize("example", GFM, ids=lambda e: f"gfm-{e['example']}-{e['section'].split()[0]}")
def test_gfm_extensions(example: dict[str, Any]) -> None:
    """Tables, strikethrough, task lists and autolink literals as GitHub's spec has them (the
    task-list boxes are made accessible later, by bodyhtml)."""
    assert normalize(engine().render(example["markdown"])[0]) == normalize(example["html"])


def test_cells_keep_their_alignment_as_the_sanitiser_allows_it() -> None:
    out = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n", **_ARGS)
    assert '<th style="text-align:left">a</th>' in out.content
    assert '<td style="text-align:center">2</td>' in out.content
    assert '<td style="text-align:right">3</td>' in out.content
    assert "align=" not in out.content


# --- the differential fuzzer -------------------------------------------------------------------

WORDS = ["news", "Moscow", "über", "日本語", "Ленин", "a_b", "x*y", "2+2", "it's", '"q"', "<T>", "&", "C#", "100%"]
URLS = ["https://example.org/a?b=1&c=2", "/x/", "../y.md", "#frag", "<a b>", 'u "title"']


@st.composite
def inline(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 8 if depth < 2 else 2))
    word = draw(st.sampled_from(WORDS))
    if kind <= 2:
        return word
    if kind == 3:
        return f"`{word}`"
    if kind == 4:
        return f"*{draw(inline(depth + 1))}*"
    if kind == 5:
        return f"**{draw(inline(depth + 1))}**"
    if kind == 6:
        return f"[{draw(inline(depth + 1))}]({draw(st.sampled_from(URLS))})"
    if kind == 7:
        return draw(st.sampled_from(["<span>s</span>", "<br>", "<em>e</em>", '<a href="/z/">l</a>']))
    return word + "\\" + draw(st.sampled_from("*_`["))


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(inline(), min_size=1, max_size=8)))


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 7 if depth < 2 else 1))
    if kind <= 1:
        return draw(paragraph())
    if kind == 2:
        marker = draw(st.sampled_from(["- ", "* ", "1. "]))
        return "\n".join(marker + item for item in draw(st.lists(paragraph(), min_size=1, max_size=4)))
    if kind == 3:
        return "\n".join("> " + line for line in draw(block(depth + 1)).split("\n"))
    if kind == 4:
        cols = draw(st.integers(1, 3))
        cells = [draw(paragraph()).replace("|", "") for _ in range(cols)]
        align = [draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(cols)]
        row = [draw(inline()).replace("|", "") for _ in range(cols)]
        return f"| {' | '.join(cells)} |\n|{'|'.join(align)}|\n| {' | '.join(row)} |"
    if kind == 5:
        return f"```{draw(st.sampled_from(['', 'py', 'rust']))}\n{draw(paragraph())}\n```"
    if kind == 6:
        return f'<div class="x">\n{draw(paragraph())}\n</div>'
    return "#" * draw(st.integers(1, 6)) + " " + draw(paragraph())


documents = st.lists(block(), min_size=1, max_size=4).map(lambda blocks: "\n\n".join(blocks) + "\n")


# what markdown-it-py is set up with: CommonMark, tables, strikethrough
AS_REFERENCE = MarkdownOptions(autolinks=False, tasklists=False, footnotes=False, alerts=False)


@BOUNDED
@given(documents)
def test_comrak_renders_what_curators_write_as_the_reference_does(text: str) -> None:
    comrak = engine(AS_REFERENCE)
    assert normalize(comrak.render(text)[0]) == normalize(comrak.render_reference(text)[0])


KNOWN_DIFFERENCES = [
    # GFM strikethrough pairs runs of exactly one or two tildes; markdown-it pairs any run
    ("x ~~~~a~~~~", "<p>x ~~~~a~~~~</p>", "<p>x <s><s>a</s></s></p>"),
    # after an unmatched run of several backticks, cmark (and comrak, which follows it) leaves
    # later code spans of the paragraph as text; the spec, markdown-it and pulldown-cmark do not
    ("``` `a` `b`", "<p>``` <code>a</code> `b`</p>", "<p>``` <code>a</code> <code>b</code></p>"),
]


@pytest.mark.parametrize(("text", "comrak_html", "reference_html"), KNOWN_DIFFERENCES)
def test_known_differences_stay_known(text: str, comrak_html: str, reference_html: str) -> None:
    """When an engine changes its mind, the README's list of differences must change too."""
    assert normalize(engine().render(text)[0]) == normalize(comrak_html)
    assert normalize(engine().render_reference(text)[0]) == normalize(reference_html)


# --- the site's rules, whichever engine renders -------------------------------------------------

_ARGS: dict[str, Any] = {
    "article_path": "2022/a.md",
    "base_path": "/news/",
    "body_line": 5,
    "summary_text": "",
    "sanitize_html": True,
}


class Panic(BaseException):
    """What pyo3 raises for a Rust panic: not an Exception."""


@pytest.fixture(params=["comrak", "markdown-it-py"])
def which(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "markdown-it-py":
        monkeypatch.setattr(engine(), "render", _panic)
    yield str(request.param)


def _panic(text: str) -> tuple[str, None]:
    raise Panic("called `Option::unwrap()` on a `None` value")


HOSTILE = (
    "# Title\n\n### Deep\n\nText with [a link](/x/), [another](other.md#part), "
    "[out](https://example.org/p?utm_source=x&id=1) and <script>alert(1)</script>"
    '<a href="javascript:alert(1)" onclick="x()">js</a> <img src="/i.png" onerror="x()" alt="i">\n'
)


@given(documents)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_site_rules_hold_whichever_engine_renders(which: str, text: str) -> None:
    out = render(text + "\n" + HOSTILE, **_ARGS)
    assert bool(out.fallback) == (which == "markdown-it-py")
    html = out.content
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html and "onerror" not in html
    assert "<h1" not in html  # the page title is the h1: the body's top heading is h2
    assert 'href="/news/x/"' in html and 'src="/news/i.png"' in html  # root-relative links under the base path
    assert markdown.REF_PREFIX + "2022/other.md#part" in html  # .md links resolved later, to the article's URL
    assert "utm_source" not in html and "id=1" in html  # tracking parameters stripped, the rest kept
    assert "2022/other.md" in [target for target, _ in out.refs]
    assert ("https://example.org/p?utm_source=x&id=1", 5 + text.count("\n") + 5, ("utm_source",)) in out.tracked


def test_a_panic_is_caught_and_the_reference_renders_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Intro with [`Cell<T>`](https://example.org/x).\n\n| a |\n|---|\n| b |\n"
    expected = render(text, **_ARGS)
    monkeypatch.setattr(engine(), "render", _panic)
    out = render(text, **_ARGS)
    assert out.fallback.startswith("Panic: called `Option::unwrap()`")
    assert out.content == expected.content and out.summary == expected.summary
    assert expected.fallback == ""


def test_keyboard_interrupt_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(text: str) -> tuple[str, None]:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine(), "render", interrupted)
    with pytest.raises(KeyboardInterrupt):
        render("text", **_ARGS)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (">" * 50_000 + " deep\n", 1),
        ("- " * 50_000 + "x\n", 1),
        ("intro\n\n" + "1. " * (MAX_NESTING + 1) + "x\n", 3),
        ("a\n\nb\n\n" + "> " * (MAX_NESTING + 1) + "x\n", 5),
    ],
    ids=["50k-quotes", "50k-list-markers", "101-numbered", "101-quotes"],
)
def test_nesting_past_the_limit_is_refused_before_any_engine_runs(
    text: str, line: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine(), "render", _panic)  # never reached
    with pytest.raises(MarkdownProblem) as caught:
        render(text, **_ARGS)
    assert caught.value.line == line
    assert f"nested more than {MAX_NESTING} levels" in caught.value.message


_LINE_START_NESTING = re.compile(
    rf"^[ \t]*(?:(?:>|[-+*](?=[ \t])|\d{{1,9}}[.)](?=[ \t]))[ \t]*){{{MAX_NESTING + 1},}}", re.M
)


@BOUNDED
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", " ", "\t", "   ", "x", "\r"]),
            st.sampled_from(["> ", ">", "- ", "* ", "+\t", "1. ", "22) ", "-", "3.", "a "]),
            st.sampled_from([0, 2, MAX_NESTING, MAX_NESTING + 1, MAX_NESTING + 3]),
            st.sampled_from(["x", "", " y", "-"]),
        ),
        max_size=6,
    ),
    st.sampled_from(["\n", "\r\n", "\n\n"]),
)
def test_the_nesting_check_finds_what_a_line_start_search_finds(
    lines: list[tuple[str, str, int, str]], newline: str
) -> None:
    """check_nesting searches for a newline, not for `^` in multi-line mode (several times
    faster on a long body): it refuses exactly the texts that search finds, on the same line."""
    text = newline.join(lead + marker * n + tail for lead, marker, n, tail in lines) + "\n" + "." * 100
    found = _LINE_START_NESTING.search(text)
    try:
        check_nesting(text)
    except MarkdownProblem as exc:
        assert found is not None
        assert exc.line == text.count("\n", 0, found.start()) + 1
    else:
        assert found is None


def test_nesting_at_the_limit_renders() -> None:
    out = render("> " * MAX_NESTING + "x\n", **_ARGS)
    assert out.content.count("<blockquote>") == MAX_NESTING


def test_the_summary_is_the_first_top_level_paragraph() -> None:
    text = "# Heading\n\n> quoted para\n\n- item para\n\nThe *first* real\nparagraph.\n\nSecond.\n"
    assert render(text, **_ARGS).summary.strip() == "<p>The <em>first</em> real\nparagraph.</p>"
    assert render("```\ncode\n```\n", **_ARGS).summary == ""


# --- sanitising -----------------------------------------------------------------------------


def test_sanitize_removes_script_handlers_and_javascript_urls() -> None:
    dirty = (
        '<p onclick="x()">hi<script>alert(1)</script><iframe src="https://e.org"></iframe>'
        '<a href="javascript:alert(1)">j</a><a href="data:text/html,x">d</a>'
        '<img src="x.png" onerror="y()" style="color:red"><a href="https://ok.org">ok</a></p>'
    )
    clean = markdown.sanitize(dirty)
    for bad in ("onclick", "<script", "alert(1)", "<iframe", "javascript:", "data:", "onerror", "style="):
        assert bad not in clean
    assert '<a href="https://ok.org" rel="noopener noreferrer">ok</a>' in clean


# --- digest's dialect: GitHub's extensions, each on by default and each able to be turned off


def test_autolink_literals() -> None:
    out = html("Get it at https://example.org/dl?v=2 or www.example.com.\n")
    assert '<a href="https://example.org/dl?v=2" rel="noopener noreferrer">https://example.org/dl?v=2</a>' in out
    assert '<a href="http://www.example.com" rel="noopener noreferrer">www.example.com</a>.' in out
    assert "<a" not in html("Get it at https://example.org/dl\n", autolinks=False)


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


def test_control_characters_are_dropped_from_bodies() -> None:
    out = html("Copied\x08 from a\x00 terminal\x1b[0m.\n")
    assert re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out) is None and "Copied from a terminal[0m." in out


@BOUNDED
@given(st.text(alphabet=st.characters(codec="utf-8", max_codepoint=0x2FFFF) | st.sampled_from("\x00\x1f\x7f\x80\x9f")))
def test_the_control_check_over_bytes_finds_what_the_pattern_finds(text: str) -> None:
    """has_control deletes the control bytes of the UTF-8 encoding instead of searching the
    text: a byte below 0x80 is never part of another character's encoding."""
    assert markdown.has_control(text) == (markdown._CONTROL.search(text) is not None)


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


def test_the_kept_cleaner_applies_the_whole_allow_list() -> None:
    """One nh3.Cleaner per process does what nh3.clean with digest's arguments does, on
    markup that touches every part of the allow-list."""
    import nh3

    from generator.parse.sanitizer import _cleaner_args

    dirty = (
        '<div class="markdown-alert markdown-alert-note evil"><p class="markdown-alert-title x">N</p></div>'
        '<center>c</center><tt>t</tt><p align="left" onclick="x()">p</p><script>bad()</script>'
        '<style>p{}</style><table><tr><td style="text-align:right;color:red" width="9">1</td></tr></table>'
        '<a href="tel:+1">t</a><a href="javascript:x()">j</a><a href="https://e.org" target="_blank">e</a>'
        '<video src="v.mp4" controls onplay="x()"></video><section class="footnotes other"><ol>'
        '<li id="fn-1"><a class="footnote-backref" href="#r">↩</a></li></ol></section>'
        '<img src="i.png" width="5" loading="lazy" onerror="x()"><h2 id="h">h</h2>'
    )
    expected = str(nh3.clean(dirty, **_cleaner_args()))  # type: ignore[arg-type]
    assert markdown.sanitize(dirty) == expected.replace('<a rel="noopener noreferrer">', "<a>")
    assert "onclick" not in expected and "markdown-alert-note" in expected and "evil" not in expected
