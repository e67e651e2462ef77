"""XML escaping, checked against the standard library's on any text."""

from __future__ import annotations

import xml.sax.saxutils

from hypothesis import given
from hypothesis import strategies as st

from generator.core.xmltext import escape, quoteattr


@given(st.text())
def test_xml_escaping_matches_the_standard_library(text: str) -> None:
    assert escape(text) == xml.sax.saxutils.escape(text)
    assert quoteattr(text) == xml.sax.saxutils.quoteattr(text)
