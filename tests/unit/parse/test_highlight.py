"""Code blocks highlighted by Pygments into classes (no script, no inline styles), line
numbers from CSS, an author's markup in a code block kept as text, and palettes that meet WCAG
AA in the light and the dark scheme."""

from __future__ import annotations

import re
from html import unescape

import pytest

from generator.parse.highlight import DARK_STYLE, LIGHT_STYLE, code_block, stylesheet
from generator.parse.markdown import render
from support.bodies import ARGS, html


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
