"""Untrusted text stays text: a site built from an article whose body and front matter are
full of markup, script and control characters, checked page by page with an HTML parser, feed
by feed with a strict XML parser, and JSON-LD by parsing it back."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import run_digest

TITLE = """</script><script>alert("t")</script> "quoted" & <b>bold</b> 'single'"""
VIA = "</title><script>alert('via')</script>"
AUTHOR = """" onmouseover="alert('author')" x=\""""
SOURCE = "<img src=x onerror=alert('source')>"
TAG = """"><svg onload=alert('tag')>"""
SOURCE_URL = """https://example.net/story?q="><script>alert('url')</script>&a=1"""

FRONT = f"""---
title: {json.dumps(TITLE)}
date: 2022-01-02
source: {json.dumps(SOURCE)}
source_url: {json.dumps(SOURCE_URL)}
via: {json.dumps(VIA)}
author: {json.dumps(AUTHOR)}
tags: [{json.dumps(TAG)}, "a&b", "bell\\x07ringer"]
summary: "Summary with <script>alert('summary')</script> and [a link](javascript:alert('s'))"
story: "<script>alert('story')</script>"
image: "/images/x.jpg?a=\\"><script>alert('image')</script>"
---
"""

BODY = """Plain text with {{ site.title }} and {% if true %}template syntax{% endif %}.

<script>alert('body')</script>
<iframe src="https://evil.example/"></iframe>
<img src="x.png" onerror="alert('img')">
<p style="color:red" onclick="alert('p')">styled</p>
<a href="javascript:alert('js')">js</a> <a href="JaVaScRiPt:alert('case')">case</a>
<a href="java&#x09;script:alert('tab')">tab</a> <a href=" javascript:alert('space')">space</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>
<a href="vbscript:msgbox(1)">vb</a>
<svg onload="alert('svg')"><circle r="1"/></svg>
<math><mi xlink:href="javascript:alert('math')">m</mi></math>
<object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example/"><input name="q"><button formaction="javascript:alert(1)">go</button></form>
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<base href="https://evil.example/">
<link rel="stylesheet" href="https://evil.example/x.css">
<style>body { display: none }</style>
<noscript><p title="</noscript><img src=x onerror=alert('noscript')>">n</p></noscript>
<template><script>alert('template')</script></template>

[markdown js](javascript:alert('md')) ![markdown data](data:image/png;base64,AAAA)

[outbound](https://outbound.example/a?b=1) [own host](https://example.org/elsewhere/) [root](/tags/)

Control characters: \x0b vertical tab, \x01 start of heading, \x1f unit separator.
"""

URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN = {"iframe", "object", "embed", "form", "input", "button", "base", "svg", "math", "style", "noscript", "template"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []
        self.rels: dict[str, str] = {}  # href -> rel of links in the page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script":
            self._script, self._text = named, []
        if tag in FORBIDDEN:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in named:
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name == "style" and "red" in (value or ""):  # the body's; the theme's own may style
                self.problems.append(f"<{tag} style={value}>")
            if name in URL_ATTRS and value and value.strip().lower().replace("\t", "").startswith(BAD_SCHEMES):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "a" and named.get("href"):
            self.rels[str(named["href"])] = named.get("rel") or ""

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def _collect(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector


def _build(tmp_path: Path, config_extra: str = "") -> Path:
    site = tmp_path / "site-src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        f"title: Untrusted\nbase_url: https://example.org/\n{config_extra}", encoding="utf-8"
    )
    (site / "content" / "hostile.md").write_text(FRONT + BODY, encoding="utf-8")
    out = tmp_path / "out"
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("untrusted"))


def _article_page(out: Path) -> Path:
    pages = [p for p in (out / "2022/01/02").glob("*/index.html")]
    assert len(pages) == 1, pages
    return pages[0]


def test_no_page_carries_script_handlers_or_dangerous_urls(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        collector = _collect(page)
        assert collector.problems == [], (page, collector.problems)
        for attrs, _ in collector.scripts:  # the theme has no JavaScript: only JSON-LD
            assert attrs.get("type") == "application/ld+json", (page, attrs)


def test_front_matter_is_escaped_in_text_attributes_and_json_ld(built: Path) -> None:
    page = _article_page(built)
    collector = _collect(page)
    json_ld = [json.loads(text) for attrs, text in collector.scripts if attrs.get("type") == "application/ld+json"]
    assert json_ld, "the article page has JSON-LD"
    assert json_ld[0]["headline"] == TITLE  # the title did not end the script element
    html = page.read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(" in html  # the title as text in <title> and <h1>
    assert SOURCE not in html and VIA not in html and AUTHOR not in html and TAG not in html
    assert '"><script>' not in html
    assert "{{ site.title }}" in html and "{% if true %}" in html  # template syntax stays text
    assert "bellringer" in html and "\x07" not in html


def test_outbound_links_get_noopener_noreferrer(built: Path) -> None:
    rels = _collect(_article_page(built)).rels
    assert rels["https://outbound.example/a?b=1"] == "noopener noreferrer"
    assert "nofollow" not in rels["https://example.org/elsewhere/"]


def test_nofollow_links_adds_nofollow_ugc_to_outbound_links_only(tmp_path: Path) -> None:
    out = _build(tmp_path, "nofollow_links: true\n")
    rels = _collect(_article_page(out)).rels
    assert rels["https://outbound.example/a?b=1"] == "noopener noreferrer nofollow ugc"
    assert rels["https://example.org/elsewhere/"] == "noopener noreferrer"  # the site's own host
    assert rels["/tags/"] == "noopener noreferrer"
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "nofollow ugc" in feed


def test_feeds_are_well_formed_and_carry_the_text_exactly(built: Path) -> None:
    atom_ns = "{http://www.w3.org/2005/Atom}"
    xml_files = sorted(p for p in built.rglob("*") if p.suffix in (".xml", ".opml"))
    assert len(xml_files) >= 7
    for path in xml_files:
        ET.fromstring(path.read_bytes())  # strict: one control character would fail it
    tag_feeds = sorted((built / "tags").glob("*/feed.xml"))
    article_feeds = [built / "feed.xml", built / "rss.xml", *tag_feeds, *(built / "sources").glob("*/rss.xml")]
    assert len(tag_feeds) == 3
    for path in article_feeds:
        root = ET.fromstring(path.read_bytes())
        titles = [e.text for e in root.iter() if e.tag in (f"{atom_ns}title", "title")]
        assert TITLE in titles, path
    for path in [built / "feed.json", *(built / "tags").glob("*/feed.json")]:
        feed = json.loads(path.read_bytes())
        assert feed["items"][0]["title"] == TITLE
    raw = (built / "feed.xml").read_text(encoding="utf-8")
    for char in ("\x01", "\x0b", "\x1f", "\x07"):
        assert char not in raw
    content = ET.fromstring((built / "feed.xml").read_bytes()).find(f"{atom_ns}entry/{atom_ns}content")
    assert content is not None and content.text is not None
    collector = _Collector()  # the entry's HTML, as a feed reader would display it
    collector.feed(content.text)
    assert collector.problems == [] and collector.scripts == []


def test_sitemap_is_well_formed(built: Path) -> None:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.fromstring((built / "sitemap.xml").read_bytes())
    locs = [e.text or "" for e in root.iter(f"{ns}loc")]
    assert locs and all(loc.startswith("https://example.org/") for loc in locs)
    assert all("<" not in loc and '"' not in loc and " " not in loc for loc in locs)


def test_sanitising_can_be_turned_off_knowingly(tmp_path: Path) -> None:
    out = _build(tmp_path, "sanitize_html: false\n")
    html = _article_page(out).read_text(encoding="utf-8")
    assert "<script>alert('body')</script>" in html  # the site asked for raw HTML
    assert "<iframe>" in _collect(_article_page(out)).problems  # (and the checker above sees it)
    # front matter is still escaped: only the Markdown body is taken as written
    assert TITLE not in html and "&lt;/script&gt;&lt;script&gt;alert(" in html
