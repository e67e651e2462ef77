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


CHINESE = "长期过著从家门到校门的机械生活，一下子置身于翠绿欲滴的森林，看不完的奇山异峰。" * 3


@pytest.mark.parametrize(
    ("label", "codec", "text"),
    [
        # "过著", "镕" are in GBK, not in GB2312: real pages that say gb2312 are GBK (of 69 real
        # Chinese pages, immortal-autumn/Chinese-Web-Content-Extraction-Dataset, 6 were refused)
        ("gb2312", "gbk", CHINESE + "朱镕基"),
        ("GB_2312-80", "gbk", CHINESE),
        ("big5", "big5hkscs", "香港特別行政區政府今日公布。" * 4 + "𥚃"),
        ("Shift_JIS", "cp932", "東京都は①の件について発表した。" * 4),
        ("euc-kr", "cp949", "서울시는 오늘 발표했다. 똠방각하 " * 4),
        ("iso-8859-1", "cp1252", "Le Monde — “l’été” … " * 8),
    ],
)
def test_a_declared_charset_is_read_as_browsers_read_it(label: str, codec: str, text: str) -> None:
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={label}"></head>'
    loaded = load("-", _stdin(page.encode("ascii") + f"<body><p>{text}</p></body></html>".encode(codec)))
    assert text in loaded.text and not loaded.warnings


def test_a_few_bytes_the_declared_charset_cannot_read_are_shown_as_browsers_show_them() -> None:
    """A real page cut off in the middle of a character (b70f455d… of the same set): one stray
    byte refused the whole page. It is read, the byte shown as U+FFFD, and the draft warned."""
    page = b'<html><head><meta charset="gb2312"></head><body><p>' + (CHINESE * 20).encode("gbk")
    loaded = load("-", _stdin(page + b"\xb0 &quot;" + CHINESE.encode("gbk") + b"</p></body></html>"))
    assert CHINESE in loaded.text and loaded.text.count("\ufffd") == 1
    assert loaded.warnings == (
        "a byte that the page's charset (gb18030) cannot read is shown as \ufffd, as a browser shows "
        "them: check the draft there",
    )
    # mostly bytes it cannot read: not that charset at all (detection, or a refusal, instead)
    many = b'<html><head><meta charset="gb2312"></head><body><p>' + bytes([0xB0, 0x20]) * 400
    try:
        guessed = load("-", _stdin(many + b"</p></body></html>"))
    except ImportProblem:
        return
    assert "\ufffd" not in guessed.text and not guessed.warnings
