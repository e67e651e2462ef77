"""The page plan (generator.pages): what pages a site has, at which URLs, with which templates
and contexts; the pager; JSON-LD that stays inside its script element."""

from __future__ import annotations

import json

from generator.pages import safe_json


def test_json_ld_cannot_close_its_script_element() -> None:
    text = safe_json({"headline": "</script><script>alert(1)</script> & <!--"})
    assert "</script" not in text and "<!--" not in text
    assert json.loads(text)["headline"] == "</script><script>alert(1)</script> & <!--"
