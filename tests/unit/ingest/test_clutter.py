"""The clutter filter on real pasted pages (../shared/seeds: a Moscow Times article and a Zimbabwe
News republication of a Mirror article, copied from the browser) and on lines made to probe it."""

from __future__ import annotations

import pytest

from generator.ingest.clutter import (
    filter_lines,
    is_clutter,
    language_of,
    language_warning,
    normalise,
    vocabulary,
)
from generator.ingest.model import Extracted, Found, ImportProblem, MissingExtra
from support.seeds import MOSCOW_TIMES, ZIMBABWE_NEWS, seed

VOCAB = vocabulary()


@pytest.mark.parametrize("line", [
    "×", "Once", "Monthly", "Annual", "Continue", "Read more", "**Read more »**", "Related Articles",
    "1 of 35", "SEE MORE", "DON'T MISS", "Don’t miss", "Most read in world news", "Remind me later.",
    "Not ready to support today?", "Support us", "Enjoying ad-free content?",
    "Since July 1, 2024, we have disabled all ads to improve your reading experience.",
    "This commitment costs us $10,000 a month. Your support can help us fill the gap.",
    "Our journalism is banned in Russia. We need your help to keep providing you with the truth.",
    "David Peinado / pexels", "Photo: Reuters", "Photograph by Jane Doe", "© AFP 2024",
    "Soldiers near Bakhmut. Alexander Ermochenko / Reuters", "Subscribe to our newsletter",
    "We use cookies to improve your experience", "- [Share on Facebook](https://facebook.com/x)",
    "## Advertisement", "Читайте также:", "Lesen Sie auch:", "Lire aussi :",
    "Faire un don", "Donate", "Spenden Sie jetzt", "Police at the scene (AFP)",
])
def test_clutter_lines_are_dropped(line: str) -> None:
    assert is_clutter(line, VOCAB), line


@pytest.mark.parametrize("line", [
    "A Russian court has jailed a Chechen soldier for refusing deployment.",
    "The charity said more than 2,000 people had subscribed to its appeal and donated food and clothes "
    "to families displaced by the floods in the region last spring.",
    "Insubordinate soldiers have been threatened with formal dismissals.",
    "## Court hearing", "> “We will not go,” one soldier said.", "| Year | Refusals |", "",
    "Moscow / Kyiv talks stalled again on Monday, officials said.",
    # a weak word of another language than the line's; an agency's letters in a long sentence
    "1 jar Don Victor® Honey, warmed",
    "Ab 2025 bekommen alle gesetzlich Versicherten automatisch die elektronische Patientenakte (ePA)",
])
def test_article_lines_are_kept(line: str) -> None:
    assert not is_clutter(line, VOCAB), line


def test_everything_from_a_message_box_on_is_dropped() -> None:
    lines = ["Headline", "", "First paragraph.", "", "A Message from The Moscow Times:", "",
             "We are facing unprecedented challenges.", "Second paragraph after the box."]
    assert filter_lines(lines, VOCAB) == ["Headline", "", "First paragraph."]
    assert filter_lines(["Text.", "Dear readers,", "More."], VOCAB) == ["Text."]


def test_blank_lines_are_single_separators() -> None:
    assert filter_lines(["", "", "One.", "", "Read more", "", "", "Two.", "", ""], VOCAB) == ["One.", "", "Two."]


def test_a_long_paragraph_quoting_a_plea_is_kept() -> None:
    long = ("The minister said " + "the ministry needed your support to continue the reforms, " * 6).strip()
    assert not is_clutter(long, VOCAB)


def test_site_drop_lines_extend_the_vocabulary_with_wildcards() -> None:
    vocab = vocabulary(["Listen to The Daily Brief", "Sponsored by *"])
    assert is_clutter("Listen to the daily brief!", vocab)
    assert is_clutter("Sponsored by Acme Corp", vocab)
    assert not is_clutter("Listen to The Daily Brief", VOCAB)
    assert vocab.drop_lines == ("Listen to The Daily Brief", "Sponsored by *")


def test_normalise_strips_markdown_case_and_end_punctuation() -> None:
    assert normalise("### **Read  More** »") == "read more"
    assert normalise("[Related Articles](/related)") == "related articles"
    assert normalise("Don’t miss:") == "don't miss"


def test_the_seeds_keep_only_article_text() -> None:
    text = seed(MOSCOW_TIMES).read_text(encoding="utf-8")
    kept = [line.strip() for line in filter_lines(text.splitlines(), VOCAB) if line.strip()]
    assert kept[0] == "Russia Jails Soldier for Refusing ‘Special Mission’ Deployment"
    assert kept[1].startswith("A Russian court has jailed a Chechen soldier")
    assert kept[-1] == "Insubordinate soldiers have been threatened with formal dismissals."
    assert len(kept) == 10
    text = seed(ZIMBABWE_NEWS).read_text(encoding="utf-8")
    kept = [line.strip() for line in filter_lines(text.splitlines(), VOCAB) if line.strip()]
    assert "Related Articles" not in kept and "1 of 35" not in kept
    assert kept[-1].startswith("According to a report, they blame Putin")


def test_language_of_covered_and_uncovered_texts() -> None:
    english = "The court said that the soldier was sentenced to ten days in prison for his refusal. " * 5
    russian = "Суд заявил, что солдат был приговорён к десяти суткам ареста за отказ, и это уже не первый случай. " * 5
    ukrainian = "Суд повідомив, що військового засудили до десяти діб арешту за відмову, і це вже не перший випадок. " * 5
    polish = "Sąd poinformował, że żołnierz został skazany na dziesięć dni aresztu za odmowę wyjazdu. " * 5
    assert language_of(english, VOCAB) == "en"
    assert language_of(russian, VOCAB) == "ru"
    assert language_of(ukrainian, VOCAB) is None
    assert language_of(polish, VOCAB) is None
    assert language_warning(english, VOCAB) is None
    warning = language_warning(polish, VOCAB, "pl")
    assert warning is not None and "'pl'" in warning and "drop_lines" in warning
    assert language_warning("Krótki tekst.", VOCAB) is None  # too short to tell


CHINESE = ("“使用4周后，肌肤年轻12年，细纹减少47%，这是个明显存在误导成分的虚假宣传。”昨日，江西省南昌市工商局"
           "公平交易局办案人员肖冰言之确凿地告诉记者，SK-II紧肤抗皱精华乳广告违反了《反不正当竞争法》。")


@pytest.mark.parametrize("line", [
    "相关新闻", "**相关阅读：**", "【打印本页】【关闭窗口】", "【打印】 【关闭】", "责任编辑：魏喆",
    "（ 责任编辑：魏喆 ）", "编辑:李楠", "上一篇：工商部门初定SKII广告", "图片来源：新华社", "分享到：",
    "相關新聞", "責任編輯：王小明", "版权所有 搜狐公司",
])
def test_chinese_page_chrome_is_dropped(line: str) -> None:
    assert is_clutter(line, VOCAB), line


def test_chinese_text_is_covered_and_japanese_is_not() -> None:
    """Chinese has no spaces between words, so it is told by its characters (function words
    between spaces tell the other languages): Chinese pages no longer warn that their clutter
    may be left in; Japanese (kana among the characters), which has no list, still does."""
    japanese = "東京都は二日、新しい計画を発表した。都の担当者によると、来年から実施される予定だという。" * 3
    assert not is_clutter(CHINESE, VOCAB) and not is_clutter("完善的相关新闻报道制度", VOCAB)
    assert language_of(CHINESE * 3, VOCAB) == "zh"
    assert language_warning(CHINESE * 3, VOCAB, "zh-cn") is None
    assert language_of(japanese, VOCAB) is None
    assert language_warning(japanese, VOCAB, "ja") is not None


def test_the_model_carries_values_with_their_origin() -> None:
    found = Found("Mirror", "byline")
    extracted = Extracted("Body.", {"outlet": found})
    assert extracted.fields["outlet"].origin == "byline" and extracted.warnings == []
    assert issubclass(MissingExtra, ImportProblem)


def test_built_in_wildcards_take_only_short_lines() -> None:
    assert is_clutter("Most read in world news", VOCAB)
    assert not is_clutter("Most read in the region are the local weeklies, which the ministry now "
                          "wants to close before the elections", VOCAB)
    # the site's own wildcards apply as written, to lines of any length
    vocab = vocabulary(["Sponsored by *"])
    assert is_clutter("Sponsored by " + "a very long sponsor name " * 5, vocab)
