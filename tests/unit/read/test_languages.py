"""digest.yaml's `languages:`: each language's settings and URL prefix, and what is refused
with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core.diagnostics import ConfigError, Diagnostics
from generator.read.config import load_config
from generator.read.languages import endonym, text_direction
from generator.read.names import load_tag_names


def _config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "digest.yaml").write_text("title: T\nbase_url: https://example.org/news/\n" + text)
    return tmp_path


def _errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(_config(tmp_path, text))
    return [d.format() for d in caught.value.diagnostics]


def test_languages_have_titles_prefixes_and_the_default_first(tmp_path: Path) -> None:
    text = (
        "language: ru\nlanguages:\n  en: {title: Watch}\n  zh_cn:\n  ru: {title: Дело, description: О деле}\n"
    )
    config = load_config(_config(tmp_path, text))
    assert [(lang.code, lang.prefix) for lang in config.languages] == [
        ("ru", ""),
        ("en", "en/"),
        ("zh-CN", "zh-cn/"),
    ]
    ru, en, zh = (config.for_language(code) for code in ("ru", "en", "zh-CN"))
    assert (ru.title, ru.description, ru.base_url) == ("Дело", "О деле", "https://example.org/news/")
    assert (en.title, en.base_url, en.language) == ("Watch", "https://example.org/news/en/", "en")
    assert (zh.title, zh.base_url, zh.root_path) == ("T", "https://example.org/news/zh-cn/", "/news/")
    assert zh.base_path == "/news/zh-cn/" and zh.for_language("en").base_url == en.base_url


def test_every_language_can_have_its_prefix(tmp_path: Path) -> None:
    config = load_config(_config(tmp_path, "languages: {en: {}, ru: {}}\nprefix_default_language: true\n"))
    assert config.language == "en"  # the first, when `language:` is not given
    assert [lang.prefix for lang in config.languages] == ["en/", "ru/"]


def test_a_one_language_site_has_no_languages(tmp_path: Path) -> None:
    config = load_config(_config(tmp_path, "language: de\n"))
    assert not config.multilingual and config.for_language("de") is config


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "language: de\nlanguages: {en: {}, ru: {}}\n",
            "digest.yaml:3: error: 'language: de' must be one of 'languages' (en, ru)",
        ),
        (
            "languages: {en: {}, english: {}}\n",
            "digest.yaml:3: error: 'languages.english' is not a language tag",
        ),
        ("languages: {zh-CN: {}, zh_cn: {}}\n", "'languages.zh_cn' is the language 'zh-CN' again"),
        ("languages: {en: {titel: X}}\n", "unknown key 'languages.en.titel' (did you mean 'title'?)"),
        ("languages: [en, ru]\n", "'languages' must be a mapping of language codes"),
        ("languages: {}\n", "'languages' lists no language"),
        ("languages: {en: yes}\n", "'languages.en' must be a mapping"),
    ],
)
def test_bad_languages_are_located(tmp_path: Path, text: str, expected: str) -> None:
    assert any(expected in message for message in _errors(tmp_path, text)), _errors(tmp_path, text)


def test_direction_and_names() -> None:
    assert [text_direction(c) for c in ("ar", "he", "fa", "ur", "en", "zh-CN", "az-Arab", "ku-Latn")] == [
        "rtl",
        "rtl",
        "rtl",
        "rtl",
        "ltr",
        "ltr",
        "rtl",
        "ltr",
    ]
    assert (endonym("ru"), endonym("uk"), endonym("ja"), endonym("ar")) == (
        "Русский",
        "Українська",
        "日本語",
        "العربية",
    )


def test_tag_names_per_language(tmp_path: Path) -> None:
    (tmp_path / "tags.yaml").write_text("Army: {ru: Армия, uk: Армія}\ncourts: {klingon: X, ru: ''}\n")
    diags = Diagnostics(root=tmp_path)
    names = load_tag_names(tmp_path, diags)
    assert names["army"] == (("ru", "Армия"), ("uk", "Армія"))
    shown = [d.format() for d in diags.items]
    assert any("tags.yaml:2" in m and "'klingon' in 'courts' is not a language tag" in m for m in shown), (
        shown
    )
    assert any("tags.yaml:2" in m and "'ru' must be a name" in m for m in shown), shown
