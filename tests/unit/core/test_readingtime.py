"""Reading time: words between spaces, and Chinese and Japanese characters one by one."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from generator.core.readingtime import TextLength, measure
from generator.core.scripts import CJK_CHARACTER, CJK_MARKS, may_hold_cjk, may_hold_marks

# the test's own list of the characters counted one by one (the module's ranges, written again)
HAN_AND_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@given(st.text())
def test_text_without_chinese_or_japanese_counts_by_spaces_as_before(text: str) -> None:
    text = HAN_AND_KANA.sub("", text)
    assert measure(text) == TextLength(len(text.split()), 0)


def test_chinese_and_japanese_characters_count_one_by_one() -> None:
    # the words between them are words; their punctuation is neither
    assert measure("使用OpenTelemetry进行追踪。") == TextLength(1, 6)
    assert measure("ひらがなとカタカナ、漢字") == TextLength(0, 11)
    # Markdown marks between spaces are words, as they were before: "-", "**", "1", "**"
    assert measure("- **（1）第一个十年**。你搞清楚自己想干什么") == TextLength(4, 15)
    # Korean is written with spaces between words: counted as words
    assert measure("한국어 문장은 띄어쓰기를 합니다") == TextLength(4, 0)
    # with a word pattern (digest import's \w+ runs) a run of Han is characters, not one word
    assert measure("宇航员在太空中喝酒, really", re.compile(r"\w+")) == TextLength(1, 9)


def test_minutes_and_what_a_length_is_called() -> None:
    assert TextLength(2300, 0).minutes == 10
    assert TextLength(0, 5000).minutes == 10
    assert TextLength(1150, 2500).minutes == 10
    assert TextLength(10, 0).minutes == 1  # never under a minute
    assert TextLength(0, 1000).word_equivalent == 460
    assert TextLength(103, 1012).describe() == "1012 characters"
    assert TextLength(103, 12).describe() == "103 words"


def test_a_chinese_translation_reads_about_as_long_as_its_original() -> None:
    """Real text by others: the OpenTelemetry blog's post on its localised docs, in English,
    Ukrainian and Chinese (tests/fixtures/real/otel). Counted by spaces alone, the Chinese
    version was a tenth of the others."""
    from conftest import FIXTURES

    def seconds(rel: str) -> float:
        body = (FIXTURES / "real" / "otel" / "content" / rel).read_text(encoding="utf-8").split("---", 2)[2]
        size = measure(body)
        return 60 * (size.words / 230 + size.characters / 500)

    english = seconds("en/blog/2024/docs-localized.md")
    for rel in ("uk/blog/2024/docs-localized.md", "zh/blog/2024/docs-localized.md"):
        assert 0.7 < seconds(rel) / english < 1.3, rel


@given(st.text(alphabet=st.one_of(
    st.characters(), st.characters(min_codepoint=0x3000, max_codepoint=0xA000),
    st.characters(min_codepoint=0xF900, max_codepoint=0xFFFF), st.sampled_from("\ud800\U00020000\U0003134f"),
)))
@example("\uf900")
@example("\U00020000")
@example("一")
@example("ぁ")
@example("\u31f0")
@example("\u3000")
@example("\u303f")
@example("\uff00")
@example("\uffef")
def test_the_fast_test_for_chinese_or_japanese_never_misses_one(text: str) -> None:
    assert may_hold_cjk(text) or not CJK_CHARACTER.search(text)
    assert not may_hold_cjk(HAN_AND_KANA.sub("", text).encode("ascii", "ignore").decode())
    assert may_hold_marks(text) or not CJK_MARKS.search(text)
