"""How long a text takes to read. Words are counted between spaces and read at 230 a minute;
Chinese and Japanese are written without spaces between words, so their characters (Han,
hiragana, katakana) are counted one by one and read at 500 a minute, the figure Medium and
Hugo (`hasCJKLanguage`) use. Counting those by spaces alone gives a 4,000-character Chinese
article a few hundred "words" and a two-minute reading time. Korean puts spaces between words
and is counted as words; Thai, Lao, Khmer and Burmese, also written without spaces, are not
told apart here and count by spaces too.

A text with none of those characters counts exactly as `len(text.split())` did."""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from .scripts import CJK_CHARACTER, CJK_MARKS, may_hold_cjk, may_hold_marks

WORDS_PER_MINUTE = 230
CJK_PER_MINUTE = 500


class TextLength(NamedTuple):
    """A text's length for reading: its words, and its Chinese and Japanese characters."""

    words: int
    characters: int

    @property
    def word_equivalent(self) -> int:
        """The words an English reader would read in the same time (a character is at least one)."""
        return self.words + math.ceil(self.characters * WORDS_PER_MINUTE / CJK_PER_MINUTE)

    @property
    def minutes(self) -> int:
        """The reading time in whole minutes, at least one."""
        return max(1, round(self.words / WORDS_PER_MINUTE + self.characters / CJK_PER_MINUTE))

    def describe(self) -> str:
        """'103 words', or '1012 characters' for a text mostly in Chinese or Japanese."""
        if self.characters > self.words:
            return f"{self.characters} characters"
        return f"{self.words} words"


def measure(text: str, words: re.Pattern[str] | None = None) -> TextLength:
    """`text`'s words (runs between spaces, or matches of `words`) and CJK characters, each
    character apart from the words around it: "使用OpenTelemetry进行" is one word and four
    characters."""
    characters = 0
    if may_hold_cjk(text):
        text, characters = CJK_CHARACTER.subn(" ", text)
        if characters and may_hold_marks(text):
            text = CJK_MARKS.sub(" ", text)
    return TextLength(len(words.findall(text)) if words is not None else len(text.split()), characters)
