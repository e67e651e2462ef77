"""`digest check`'s link checker on rendered pages (generator.write.links.broken_links), over
in-memory outputs: which links are internal, which targets exist, where a broken one is."""

from __future__ import annotations

from generator.write.links import broken_links

FIX = "no page is built there; correct the link in the template that makes it"
OUTPUTS = {
    "/news/": (
        b'<a href="/news/a/">a</a> <a href="/news/a">no slash</a> <a href="/news/a/index.html">file</a>\n'
        b'<p><a href="/news/gone/">gone</a> <a href="https://example.org/gone/">elsewhere</a></p>\n'
    ),
    "/news/a/": (
        b"<a href='../'>up</a> <a href=\"b/\">missing</a> <a href=\"#top\">top</a>"
        b' <a href="mailto:x@example.org">mail</a> <link href="/news/style.css"> <img src="/news/x%20y.png">'
    ),
    "/news/style.css": b"a { color: red }",
    "/news/x y.png": b"",
    "/news/feed.xml": b'<link href="/news/nowhere/"/>',  # not a page: its links are not checked
}


def test_broken_internal_links_are_located_on_their_page_and_line() -> None:
    problems = broken_links(OUTPUTS, "/news/")
    assert [(d.path, d.line, d.message) for d in problems] == [
        ("site/index.html", 2, f"broken internal link to /news/gone/: {FIX}"),
        ("site/a/index.html", 1, f"broken internal link to /news/a/b/: {FIX}"),
    ]
    assert {d.kind for d in problems} == {"broken-theme-link:/news/gone/", "broken-theme-link:/news/a/b/"}


def test_links_written_in_articles_are_left_to_the_article_check() -> None:
    problems = broken_links(OUTPUTS, "/news/", out_name="public", skip={"/news/gone/"})
    assert [(d.path, d.line) for d in problems] == [("public/a/index.html", 1)]


def test_only_attributes_of_tags_are_links() -> None:
    """Text that reads like an attribute is no link: a Jekyll include left as text in a Persian
    post (`{% include post-image.html src="assets/pimg/x.png" %}`) and JavaScript in highlighted
    code (`"&lt;a href='" + replyLink + "'&gt;"`) were reported as broken links (mehdix.ir)."""
    outputs = {
        "/": (
            b'<p>{% include post-image.html src="assets/pimg/x.png" alt="x" %}</p>\n'
            b"<pre><code><span class=\"s2\">\"&lt;a href='\"</span> <span class=\"o\">+</span> "
            b"<span class=\"nx\">replyLink</span> <span class=\"s2\">\"'&gt;\"</span></code></pre>\n"
            b'<a title="a > b" data-x=\'>\' href="/missing/">one</a>\n'
            b"<img\n  alt=\"&quot;\" src='/gone.png'>\n"
        ),
    }
    problems = broken_links(outputs, "/")
    assert [(d.line, d.message.split(":")[0]) for d in problems] == [
        (3, "broken internal link to /missing/"),
        (4, "broken internal link to /gone.png"),
    ]
