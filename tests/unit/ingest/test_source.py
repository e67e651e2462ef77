"""Decoding a source's bytes: the byte order mark, the declared charset (the server's header,
the page's <meta>), UTF-8, then detection; and what is refused."""

from __future__ import annotations

import codecs
import io

import pytest

from generator.ingest.model import ImportProblem
from generator.ingest.source import MAX_BYTES, load

RUSSIAN = "Суд приговорил солдата к десяти суткам ареста за отказ ехать на «специальное задание». " * 4


def _stdin(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def test_a_bom_decides_the_encoding() -> None:
    data = codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le")
    loaded = load("-", _stdin(data))
    assert loaded.text == RUSSIAN and not loaded.html and loaded.name == "standard input"


def test_the_meta_charset_of_an_html_page() -> None:
    page = f'<!DOCTYPE html><html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'
    loaded = load("-", _stdin(page.encode("cp1251")))
    assert loaded.html and RUSSIAN in loaded.text


def test_html_is_recognised_by_its_start_and_text_is_not() -> None:
    assert load("-", _stdin(b"  <!-- saved -->\n<html lang=en><body>x</body></html>")).html
    assert not load("-", _stdin(b"A headline\n\n<b>not a page</b> but text")).html


def test_text_in_another_encoding_is_detected_when_it_reads_as_a_language() -> None:
    loaded = load("-", _stdin(RUSSIAN.encode("cp1251")))
    assert loaded.text == RUSSIAN


@pytest.mark.parametrize(("data", "said"), [
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary data"),
    (bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50, r"not UTF-8 text \(byte 0x81\)"),
    (b"a" * (MAX_BYTES + 1), "more than the 10 MB"),
])
def test_refused(data: bytes, said: str) -> None:
    with pytest.raises(ImportProblem, match=said):
        load("-", _stdin(data))
