"""Fuzzing the two new front doors: pasted text and HTML pages for `digest import`, and post
files of every generator for `digest migrate`. Whatever the input, the extractors return a
result and the readers turn each file into a post or a located skip: no exception escapes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.ingest.clutter import vocabulary
from generator.ingest.html import extract_html
from generator.ingest.model import ImportProblem
from generator.ingest.plaintext import extract_text
from generator.migrate.detect import read_site

BOUNDED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VOCAB = vocabulary(["Sponsored *"])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=2000)
# lines that look like the pieces real pages and posts are made of, shuffled and repeated
PIECES = st.sampled_from([
    "---", "+++", "...", "title: x", 'title = "x"', "date: 2024-13-45", "date = 1979-05-27T07:32:00Z",
    "tags: [a, b", "aliases: &a [x]", "x: *a", "[extra]", "[taxonomies]", "tags = [\"a\",", "Title: T",
    "Date: 03-04-2024", "{% raw %}", "{% endraw %}", "{{< figure src=x >}}", "{{% x %}}", "<!--more-->",
    "<!-- truncate -->", "import X from 'y';", "<Tabs>", ":::note", ":::", "{/* truncate */}",
    "[link]({static}/x.png)", "![](/img/x.png)", "[a](../other/)", "By Jane | Mirror |", "×", "Once",
    "A Message from The Moscow Times:", "<html><head><script type=\"application/ld+json\">{\"@type\":",
    "<meta property=\"og:url\" content=\"http://[::1", "<h1>", "</p>", "<time datetime=\"2024-02-30\">",
    "\u202e", "\x00", "\ufeff", "",
])
DOC = st.lists(st.one_of(PIECES, TEXT), max_size=30).map("\n".join)


@BOUNDED
@given(DOC)
@example("")
@example("\n\n\n")
def test_pasted_text_always_gives_a_result(text: str) -> None:
    extracted = extract_text(text, VOCAB, ["Mirror", "The Moscow Times"])
    assert isinstance(extracted.body, str)
    assert all(found.value.strip() for found in extracted.fields.values())


@BOUNDED
@given(DOC)
@example("<html>")
@example('<script type="application/ld+json">[[[[[[[[[[</script>')
@example('<meta property="og:url" content="http://[::1\n<time datetime="2024-02-30">')  # urlsplit raised
def test_html_pages_always_give_a_result_or_a_located_problem(html: str) -> None:
    try:
        extracted = extract_html(html, "https://example.org/2024/01/02/x", VOCAB)
    except ImportProblem:
        return
    assert isinstance(extracted.body, str)


LAYOUTS = {
    "pelican": ("pelicanconf.py", "SITENAME = 'x'\n", "content/post.md"),
    "jekyll": ("_config.yml", "title: x\n", "_posts/2024-01-02-post.md"),
    "hugo": ("hugo.toml", 'baseURL = "https://x.org/"\n', "content/posts/post.md"),
    "zola": ("config.toml", 'base_url = "https://x.org"\n', "content/blog/post.md"),
    "eleventy": ("eleventy.config.js", "export default function () {}\n", "blog/post.md"),
    "docusaurus": ("docusaurus.config.js", "module.exports = {};\n", "blog/2024-01-02-post.md"),
}


@BOUNDED
@given(st.sampled_from(sorted(LAYOUTS)), DOC)
@example("hugo", "---\ndate: 2024-13-45\n---")  # libyaml's timestamp raised ValueError
@example("jekyll", "---\ntitle: x\ndate: 2024-02-30\n---\nbody")
def test_every_reader_turns_any_post_into_a_post_or_a_located_skip(generator: str, text: str) -> None:
    config, config_text, post = LAYOUTS[generator]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / config).write_text(config_text, encoding="utf-8")
        (root / post).parent.mkdir(parents=True)
        (root / post).write_text(text, encoding="utf-8")
        site = read_site(generator, root)
    for skipped in site.skipped:
        assert skipped.reason.strip()
    for note in [*site.notes, *(n for p in site.posts for n in p.notes)]:
        assert note.message.strip() and note.line >= 0
