"""Language tags checked without Babel where that gives the same answer as with it."""

from __future__ import annotations

from generator.core import langtags


def test_the_languages_checked_without_babel_are_all_in_babels_locale_data() -> None:
    # COMMON answers `language: en` without importing Babel; it must never accept what Babel's
    # own list would not
    assert langtags._languages_with_locales() >= langtags.COMMON


def test_common_and_rare_languages_normalise_alike() -> None:
    assert langtags.normalize_lang("en_us") == "en-US"
    assert langtags.normalize_lang("ZH_hans_cn") == "zh-Hans-CN"
    assert langtags.normalize_lang("haw") == "haw"  # not in COMMON: Babel's list
    assert langtags.normalize_lang("qq") is None
