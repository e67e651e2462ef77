"""Relative links of a migrated post, resolved against its URL on the old site."""

from __future__ import annotations

import pytest

from generator.migrate.relative import rewrite


@pytest.mark.parametrize(
    ("old_url", "written", "resolved"),
    [
        # Jekyll's `permalink: :title:output_ext` puts posts at the root (a Persian blog,
        # mehdisadeghi/mehdix.ir: `![](assets/pimg/qcat3.png)` became `//assets/...`, a link to
        # a host named "assets")
        ("/quantum-cat.html", "assets/pimg/qcat3.png", "/assets/pimg/qcat3.png"),
        ("/", "assets/x.png", "/assets/x.png"),
        ("/2020/10/25/quantum-cat.html", "img/x.png", "/2020/10/25/img/x.png"),
        ("/2020/10/25/quantum-cat/", "img/x.png", "/2020/10/25/quantum-cat/img/x.png"),
        ("/blog/post/", "../other/", "/blog/other/"),
        ("/post.html", "./a//b.png", "/a/b.png"),
    ],
)
def test_a_relative_link_resolves_to_one_path_on_the_site(old_url: str, written: str, resolved: str) -> None:
    body = f"Text ![a picture]({written}) and <img src=\"{written}\">.\n"
    out = rewrite(body, old_url, lambda path: None)
    assert out == f"Text ![a picture]({resolved}) and <img src=\"{resolved}\">.\n"


def test_footnotes_are_not_reference_definitions() -> None:
    """`[^1]: text` is a footnote (kramdown's, GFM's), not a link: the Persian blog's notes
    became `[^1]: /منجمله ...` and `[^5]: /[Liquid](https:/github.com/...)`."""
    body = (
        "A claim.[^1] Another.[^5]\n\n[^1]: منجمله [آزادنویس](http://azadnevis.wordpress.com/)\n"
        "[^5]: [Liquid](https://github.com/Shopify/liquid/wiki)\n[ref]: img/x.png\n"
    )
    out = rewrite(body, "/post.html", lambda path: None)
    assert out == body.replace("[ref]: img/x.png", "[ref]: /img/x.png")
