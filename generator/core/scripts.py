"""Chinese and Japanese: written without spaces between words, so that counting words and
comparing texts must take them character by character (core/readingtime.py; index/suggest.py
and ingest/coverage.py compare texts by their characters' pairs and runs). Korean puts spaces
between words; Thai, Lao, Khmer and Burmese, written without them too, are not told apart here."""

from __future__ import annotations

import re

# Han (the unified ideographs, extension A, the compatibility ideographs and the supplementary
# planes' extensions), hiragana and katakana (with the katakana phonetic extensions)
CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_CHARACTER = re.compile(f"[{CJK}]")
CJK_RUN = re.compile(f"[{CJK}]+")
# their punctuation and the full-width forms, which stand between the characters: not words
CJK_MARKS = re.compile("[\u3000-\u303f\uff00-\uffef]")
