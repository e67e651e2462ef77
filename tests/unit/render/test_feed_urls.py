"""Feeds make a body's root-relative URLs absolute (feed readers have no page to resolve
against): those of tags only, as the link checker reads them (write/links.py)."""

from __future__ import annotations

from generator.render.feeds import absolutize


def test_root_relative_urls_of_tags_become_absolute_and_text_stays_as_written() -> None:
    html = (
        '<p>{% include post-image.html src="/assets/a.png" %}</p>\n'
        '<p><a title="x > y" href="/b/">b</a> <img alt="" src="/c.png"> <a href="//cdn.example/x">h</a>'
        " <a href='/single/'>s</a> <a href=\"https://other.example/\">o</a></p>"
    )
    assert absolutize(html, "https://s.example/news/") == (
        '<p>{% include post-image.html src="/assets/a.png" %}</p>\n'
        '<p><a title="x > y" href="https://s.example/b/">b</a> <img alt="" src="https://s.example/c.png">'
        ' <a href="//cdn.example/x">h</a> <a href=\'/single/\'>s</a> <a href="https://other.example/">o</a></p>'
    )
