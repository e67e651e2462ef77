"""The page plan (generator.pages): what pages a site has, at which URLs, with which templates
and contexts; the pager; JSON-LD that stays inside its script element."""

from __future__ import annotations

import json

from generator.pages import safe_json


def test_json_ld_cannot_close_its_script_element() -> None:
    text = safe_json({"headline": "</script><script>alert(1)</script> & <!--"})
    assert "</script" not in text and "<!--" not in text
    assert json.loads(text)["headline"] == "</script><script>alert(1)</script> & <!--"


def test_a_pager_shows_a_few_links_however_many_pages() -> None:
    from generator.pages import Pagination

    urls = tuple(f"/page/{n}/" for n in range(1, 1001))
    middle = Pagination(500, 1000, 20, 20_000, urls).links
    assert [(link.number, link.gap) for link in middle] == [
        (1, False), (497, True), (498, False), (499, False), (500, False), (501, False), (502, False),
        (503, True), (1000, False),
    ]  # fmt: skip
    assert middle[0].url == "/page/1/" and middle[-1].url == "/page/1000/"
    assert [link.number for link in Pagination(2, 1000, 20, 20_000, urls).links] == [1, 2, 3, 4, 5, 1000]
    assert [link.number for link in Pagination(1, 1, 20, 3, urls[:1]).links] == [1]
