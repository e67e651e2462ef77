"""Chinese and Japanese: written without spaces between words, so that counting words and
comparing texts must take them character by character (core/readingtime.py; index/suggest.py
and ingest/coverage.py compare texts by their characters' pairs and runs). Korean puts spaces
between words; Thai, Lao, Khmer and Burmese, written without them too, are not told apart here."""

from __future__ import annotations

import re

# hiragana and katakana (with the katakana phonetic extensions): what tells Japanese from Chinese
KANA = "\u3040-\u30ff\u31f0-\u31ff"
# and Han (the unified ideographs, extension A, the compatibility ideographs and the
# supplementary planes' extensions)
CJK = KANA + "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_CHARACTER = re.compile(f"[{CJK}]")
CJK_RUN = re.compile(f"[{CJK}]+")
# their punctuation and the full-width forms, which stand between the characters: not words
CJK_MARKS = re.compile("[\u3000-\u303f\uff00-\uffef]")

# the first byte of the UTF-8 encoding of every character above: U+3040–U+9FFF start with
# E3–E9, U+F900–U+FAFF with EF, the supplementary planes' ideographs with F0
_LEAD_BYTES = (b"\xe3", b"\xe4", b"\xe5", b"\xe6", b"\xe7", b"\xe8", b"\xe9", b"\xef", b"\xf0")
# the UTF-8 of CJK_MARKS: U+3000–U+303F start with E3 80, U+FF00–U+FFEF with EF BC to EF BF
_MARK_PREFIXES = (b"\xe3\x80", b"\xef\xbc", b"\xef\xbd", b"\xef\xbe", b"\xef\xbf")


def may_hold_marks(text: str) -> bool:
    """False when `text` certainly holds no character of CJK_MARKS (an English text that
    names a Chinese or Japanese person holds none: the regex need not run over it)."""
    return _holds_any(text, _MARK_PREFIXES)


def may_hold_cjk(text: str) -> bool:
    """False when `text` certainly holds no Chinese or Japanese character: a few byte searches
    over its UTF-8 encoding, several times faster than CJK_CHARACTER on a long English body
    (every article's reading time is measured). True may still be none (、 or a full-width letter)."""
    return _holds_any(text, _LEAD_BYTES)


def _holds_any(text: str, pieces: tuple[bytes, ...]) -> bool:
    """Whether the UTF-8 encoding of `text` holds any of `pieces` (never, for ASCII text)."""
    if text.isascii():
        return False
    data = text.encode("utf-8", "surrogatepass")
    return any(piece in data for piece in pieces)
