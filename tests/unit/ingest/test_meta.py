"""ingest/meta.py: an HTML page's metadata in the issue's order (JSON-LD → Open Graph and
article:* → meta author, parse.ly, Dublin Core → the page → a date in the URL → htmldate), each
field with where it came from; never a date from the text; nothing raises on a broken page."""

from __future__ import annotations

import pytest

from generator.ingest.meta import page_metadata, parse_document


def meta(html: str, url: str | None = None) -> dict[str, tuple[str, str]]:
    return {k: (f.value, f.origin) for k, f in page_metadata(parse_document(html), url).items()}


JSONLD = """<script type="application/ld+json">%s</script>"""
OG = """<meta property="og:title" content="OG title"><meta property="og:site_name" content="The Site">
<meta property="article:published_time" content="2024-03-02T08:00:00Z"><meta name="author" content="Meta Author">"""
PAGE = """<h1>H1 title</h1><p class="byline">By Page Author</p><time datetime="2024-03-03">3 March</time>
<p>Since July 1, 2024, we have disabled all ads.</p>"""


def test_json_ld_comes_first_then_open_graph_then_meta_then_the_page() -> None:
    ld = JSONLD % """{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "LD title",
        "datePublished": "2024-03-01T10:00:00+01:00", "author": {"@type": "Person", "name": "LD Author"},
        "publisher": {"@type": "Organization", "name": "LD Publisher"}}"""
    assert meta(f"<html><head>{ld}{OG}</head><body>{PAGE}</body></html>") | {} == {
        "title": ("LD title", "JSON-LD headline"),
        "date": ("2024-03-01T10:00:00+01:00", "JSON-LD datePublished"),
        "author": ("LD Author", "JSON-LD author"),
        "site_name": ("LD Publisher", "JSON-LD publisher"),
    }
    assert meta(f"<html><head>{OG}</head><body>{PAGE}</body></html>") == {
        "title": ("OG title", "og:title"), "date": ("2024-03-02T08:00:00+00:00", "article:published_time"),
        "site_name": ("The Site", "og:site_name"), "author": ("Meta Author", "meta author")}
    assert meta(f"<html><body>{PAGE}</body></html>") == {
        "title": ("H1 title", "h1"), "author": ("Page Author", "byline"),
        "date": ("2024-03-03", "<time datetime>")}


@pytest.mark.parametrize("block", [
    # inside an @graph, the type a list, a subtype, trailing commas and a raw newline in a string
    """{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "S"},
       {"@type": ["ReportageNews"], "headline": "The
        headline", "datePublished": "2024-05-06", "author": [{"@id": "#jd"}],},
       {"@id": "#jd", "@type": "Person", "name": "Jane Doe"}]}""",
    # a list of objects, wrapped in an HTML comment, the article in a WebPage's mainEntity
    """<!-- [{"@type": "BreadcrumbList"}, {"@type": "WebPage", "mainEntity": {"@type": "Article",
       "headline": "The headline", "datePublished": "2024-05-06", "author": "Jane Doe"}}] -->""",
])
def test_json_ld_in_the_shapes_sites_write_it(block: str) -> None:
    found = meta(f"<html><head>{JSONLD % block}</head><body><p>x</p></body></html>")
    assert found["title"] == ("The headline", "JSON-LD headline")
    assert found["date"] == ("2024-05-06", "JSON-LD datePublished")
    assert found["author"] == ("Jane Doe", "JSON-LD author")


def test_parsely_and_dublin_core() -> None:
    page = """<meta name="parsely-page" content='{"title": "P title", "pub_date": "2024-04-20T04:20:00Z",
    "author": "P Author"}'><meta name="DC.creator" content="DC Author"><meta name="dc.date" content="2020-01-01">"""
    assert meta(page) == {"title": ("P title", "parse.ly title"), "author": ("P Author", "parse.ly author"),
                          "date": ("2024-04-20T04:20:00+00:00", "parse.ly pub-date")}
    assert meta("""<meta name="DC.creator" content="DC Author"><meta name="dc.date.issued" content="2020-01-02">
    <title>T</title>""") == {"author": ("DC Author", "dc.creator"), "date": ("2020-01-02", "dc.date.issued"),
                             "title": ("T", "<title>")}


def test_the_canonical_url_without_tracking_and_a_date_in_its_path() -> None:
    page = """<link rel="canonical" href="/world/2024/03/18/story.html?utm_source=x&id=4&fbclid=y">
    <meta property="og:url" content="https://other.example/og"><h1>T</h1><p>Text 2023-01-01.</p>"""
    found = meta(page, "https://news.example/share?utm_medium=social")
    assert found["url"] == ("https://news.example/world/2024/03/18/story.html?id=4", "link rel=canonical")
    assert found["date"] == ("2024-03-18", "canonical URL path")
    assert found["page_url"] == ("https://news.example/share?utm_medium=social", "where the page was read")
    # no canonical link: og:url, then the page's own address
    assert meta('<meta property="og:url" content="https://a.example/x?gclid=1">')["url"] == (
        "https://a.example/x", "og:url")
    assert meta("<p>x</p>", "https://a.example/2024/02/30/x")["url"] == (
        "https://a.example/2024/02/30/x", "the page's address")


def test_never_a_date_from_the_text() -> None:
    # the date only in body text (a plea's "Since July 1, 2024", a dateline) is not the article's
    page = """<html><body><h1>Headline</h1><p>MOSCOW, March 4, 2024 — Text.</p>
    <p>Since July 1, 2024, we have disabled all ads.</p><p>Published 2024-03-04.</p></body></html>"""
    assert "date" not in meta(page, "https://news.example/story/123")
    # nor an impossible one from the URL (30 February) or a meta tag (year 1200)
    assert "date" not in meta('<meta property="article:published_time" content="1200-01-01">',
                              "https://a.example/2024/02/30/x")


def test_who_wrote_it_when_the_page_is_a_republisher() -> None:
    ld = JSONLD % """{"@type": "NewsArticle", "headline": "H", "publisher": {"name": "Zimbabwe News"},
        "isBasedOn": {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Mirror"}}}"""
    assert meta(ld)["outlet"] == ("Mirror", "JSON-LD isBasedOn")
    org = JSONLD % """{"@type": "Article", "headline": "H", "publisher": {"name": "Yahoo News"},
        "author": {"@type": "Organization", "name": "Reuters"}}"""
    assert meta(org)["outlet"] == ("Reuters", "JSON-LD author organisation")
    assert "author" not in meta(org)  # an organisation is not a person's byline
    byline = "<h1>H</h1><p>By Gabriella Clare | Mirror | 12 March</p><p>Text.</p>"
    assert meta(byline)["author"] == ("Gabriella Clare", "byline")
    assert meta(byline)["outlet"] == ("Mirror", "byline")
    note = "<p>Text.</p><p><em>This article originally appeared in The Guardian.</em></p>"
    assert meta(note)["outlet"] == ("The Guardian", "'originally appeared' line")


@pytest.mark.parametrize("html", [
    "", "   ", "\x00\x01\x02", "<", "<html>", "<?xml version='1.0' encoding='iso-8859-1'?><html><p>é</p></html>",
    JSONLD % "{not json at all", JSONLD % "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    JSONLD % '{"@type": "NewsArticle", "headline": {"x": [1, 2]}, "author": 5, "datePublished": ["x"]}',
    '<meta property="article:published_time" content="yesterday"><time datetime="soon">',
    '<meta name="parsely-page" content="{broken"><link rel="canonical" href="javascript:void(0)">',
    "<p>" + "<div>" * 5000 + "deep" + "</div>" * 5000,
])
def test_nothing_raises_on_a_broken_page(html: str) -> None:
    found = meta(html, "https://a.example/x")
    assert found["page_url"] == ("https://a.example/x", "where the page was read")
    assert "date" not in found


def test_a_huge_page_is_read() -> None:
    page = "<html><head><title>Big</title></head><body>" + "<p>word word word</p>" * 200_000 + "</body></html>"
    assert meta(page)["title"] == ("Big", "<title>")
