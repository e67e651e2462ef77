"""The pure parts of `aliases:` (an entry made the path of its redirect page) and of
links.root (a root-relative link made the URL it means)."""

from __future__ import annotations

import pytest

from generator.core.urls import AliasProblem, alias_path, resolve_refs, root_link


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("/2019/05/old-post/", "/2019/05/old-post/"),
        ("/2019/05/old-post", "/2019/05/old-post/"),  # no extension: a folder, as in Hugo
        ("/old.html", "/old.html"),
        ("/OLD.HTM", "/OLD.HTM"),
        ("/feed.php", "/feed.php/"),  # only .html and .htm are files
        ("  /a//b/./c  ", "/a/b/c/"),
        ("/caf%C3%A9", "/café/"),  # decoded, as a static server decodes a request
        ("/новости/1", "/новости/1/"),
    ],
)
def test_alias_paths_are_normalised_like_hugo(written: str, path: str) -> None:
    assert alias_path(written) == path


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("", "empty"),
        ("https://old.example.org/x/", "absolute URL"),
        ("//old.example.org/x/", "absolute URL"),
        ("mailto:x@example.org", "absolute URL"),
        ("/search?q=1", "query or a fragment"),
        ("/post#top", "query or a fragment"),
        ("old/post", "must start with '/'"),
        ("/a/../b", "'..'"),
        ("/a/%2e%2e/b", "'..'"),
        ("/a\\b", "backslash"),
        ("/a%00b", "control character"),
        ("/a%252e", "double escape"),
        ("/", "home page"),
        ("/./", "home page"),
    ],
)
def test_alias_paths_that_could_leave_the_site_or_mean_two_things_are_refused(written: str, why: str) -> None:
    with pytest.raises(AliasProblem, match=why):
        alias_path(written)


def test_root_links_stay_on_the_site_only_where_it_has_the_page() -> None:
    pages = {"/blog/2024/01/03/two/", "/blog/img/a.png"}

    def is_page(path: str) -> bool:
        return path in pages or path + "/" in pages

    root = "https://example.org"
    assert root_link("/doc/install", "/blog/", root, is_page) == "https://example.org/doc/install"
    assert root_link("/2024/01/03/two", "/blog/", root, is_page) == "/blog/2024/01/03/two"
    assert root_link("/img/a.png", "/blog/", root, is_page) == "/blog/img/a.png"
    # written with the base path: the site's page, else the origin's path as written
    assert root_link("/blog/img/a.png", "/blog/", root, is_page) == "/blog/img/a.png"
    assert root_link("/blog/x/", "/blog/", root, is_page) == "https://example.org/blog/x/"
    # a query (attribute text, escaped) goes along; the page is looked up without it
    assert root_link("/pkg/x?a=1&amp;b=2", "/blog/", root, is_page) == "https://example.org/pkg/x?a=1&amp;b=2"
    assert root_link("/img/a.png?v=1", "/blog/", root, is_page) == "/blog/img/a.png?v=1"


def test_held_root_links_wait_for_their_resolution() -> None:
    html = '<a href="__digest_ref__//doc/install#top">x</a> <a href="__digest_ref__/b.md">b</a>'
    unresolved = resolve_refs(html, {"b.md": "/b/"}, "a.md")
    assert unresolved == '<a href="__digest_ref__//doc/install#top">x</a> <a href="/b/">b</a>'
    done = resolve_refs(unresolved, {"/doc/install": "https://example.org/doc/install"}, "a.md")
    assert done == '<a href="https://example.org/doc/install#top">x</a> <a href="/b/">b</a>'
