"""The shipped message catalogs against the code: every message the default theme's templates
and digest's Python write (found by Babel's own extractors, as a translator's tool would) is in
every catalog and translated in every plural form, no catalog keeps a message nothing uses, and
each catalog's Plural-Forms is CLDR's rule for its language (what Words counts with)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from generator.read.locales import _check_syntax, catalog_files, fallback_chain
from generator.read.words import Words

ROOT = Path(__file__).resolve().parents[3]
LOCALES = ROOT / "themes" / "default" / "locales"
SHIPPED = ("en", "ru", "uk", "de", "fr", "es", "pt", "zh-CN", "ja", "ar")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _used() -> dict[str, str | tuple[str, str]]:
    """msgid -> the message as the code writes it (a pair for a plural message)."""
    found: dict[str, str | tuple[str, str]] = {}
    jinja = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
    sources = [
        (ROOT / "themes/default/templates", [("**.html", "jinja2.ext.babel_extract")], {"**.html": jinja}),
        (ROOT / "generator", [("**.py", "python")], {}),
    ]
    for folder, methods, options in sources:
        for _, _, message, _, _ in extract_from_dir(str(folder), methods, options_map=options):
            key = message[0] if isinstance(message, tuple) else message
            found[key] = (message[0], message[1]) if isinstance(message, tuple) else message
    return found


USED = _used()


def test_the_extractors_find_the_messages() -> None:
    # a sample from templates, partials, the email edition and the Python stages
    for msgid in ("Skip to content", "%(num)s min read", "Pagination", "All editions", "Also in this edition",
                  "Tag: %(name)s", "%(title)s (page %(number)s)", "%(title)s: editions"):
        assert msgid in USED
    assert len(USED) > 100


def test_the_ten_languages_ship() -> None:
    assert sorted(p.stem for p in LOCALES.glob("*.po")) == sorted(SHIPPED)


@pytest.mark.parametrize("code", SHIPPED)
def test_a_catalog_translates_every_message_the_code_uses_and_no_other(code: str) -> None:
    text = (LOCALES / f"{code}.po").read_text(encoding="utf-8")
    _check_syntax(text)
    catalog = read_po(text.splitlines(keepends=True), abort_invalid=True)
    nplurals = get_plural(catalog.locale).num_plurals
    assert f"nplurals={nplurals};" in catalog.plural_forms  # the header says CLDR's rule
    entries = {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalog if m.id}
    missing = sorted(USED.keys() - entries.keys())
    unused = sorted(entries.keys() - USED.keys())
    assert not missing, f"{code}.po lacks {missing}"
    assert not unused, f"{code}.po has messages no template or module uses: {unused}"
    for msgid, message in entries.items():
        plural = isinstance(USED[msgid], tuple)
        assert isinstance(message.id, tuple) == plural, f"{code}.po: {msgid!r} plural or not as the code"
        strings = message.string if plural else (message.string,)
        assert not message.fuzzy
        assert plural is False or len(strings) == nplurals, f"{code}.po: {msgid!r} needs {nplurals} forms"
        allowed = set(PLACEHOLDER.findall(msgid if not plural else " ".join(message.id))) | {"num"}
        for string in strings:
            assert string, f"{code}.po: {msgid!r} is not translated"
            assert set(PLACEHOLDER.findall(string)) <= allowed, f"{code}.po: {msgid!r} -> {string!r}"


@pytest.mark.parametrize(
    ("code", "counts"),
    [
        ("ru", {1: "1 статья", 3: "3 статьи", 5: "5 статей", 21: "21 статья", 11: "11 статей"}),
        ("uk", {1: "1 стаття", 2: "2 статті", 7: "7 статей"}),
        ("ar", {0: "لا مقالات", 1: "مقال واحد", 2: "مقالان", 3: "3 مقالات", 11: "11 مقالًا", 100: "100 مقال"}),
        ("ja", {1: "1 件の記事", 5: "5 件の記事"}),
        ("de", {1: "1 Artikel", 1234: "1.234 Artikel"}),
        ("en", {1: "1 article", 1234: "1234 articles"}),  # English numbers as digest always wrote them
    ],
)
def test_plurals_follow_the_language(code: str, counts: dict[int, str]) -> None:
    words = _words(code)
    for n, expected in counts.items():
        assert words.ngettext("%(num)s article", "%(num)s articles", n) == expected


def _words(code: str) -> Words:
    from generator.read.locales import _messages

    merged: dict[str, str | tuple[str, ...]] = {}
    for path in catalog_files((LOCALES,), code):
        merged.update(_messages(path.read_bytes(), code))
    return Words(code, merged, "test")


def test_fallback_chains() -> None:
    assert fallback_chain("pt-BR") == ("pt", "pt-br")
    assert fallback_chain("zh-CN") == ("zh", "zh-hans", "zh-cn")
    assert fallback_chain("zh") == ("zh", "zh-hans", "zh-cn")
    assert fallback_chain("zh-TW") == ("zh", "zh-hant", "zh-tw")
    assert fallback_chain("sr-Latn-RS") == ("sr", "sr-latn", "sr-latn-rs")
    assert [p.name for p in catalog_files((LOCALES,), "zh-SG")] == ["zh-CN.po"]
    assert [p.name for p in catalog_files((LOCALES,), "zh-TW")] == []  # Traditional: not Simplified
    assert [p.name for p in catalog_files((LOCALES,), "pt-BR")] == ["pt.po"]


def test_english_dates_are_digests_own_and_others_are_cldrs() -> None:
    from datetime import date

    day = date(2026, 12, 2)
    english = _words("en")
    assert english.format_date(day, "full") == "Wednesday, 2 December 2026"
    assert english.format_date(day, "medium") == "2 Dec 2026"
    assert english.span(date(2022, 5, 30), date(2022, 6, 5)) == "30 May – 5 June 2022"
    russian = _words("ru")
    assert russian.format_date(day, "long") == "2 декабря 2026\u202fг."
    assert russian.month_name(12) == "Декабрь"  # standing alone: nominative, capitalised
    assert _words("ja").format_date(day, "month_year") == "2026年12月"
    with pytest.raises(ValueError, match="unknown date style 'short'"):
        english.format_date(day, "short")


def test_english_plural_rule_is_cldrs() -> None:
    """English's rule is written out (read/words.py), not read from Babel's tables: the same."""
    import gettext

    from generator.read.words import _plural_rule, babel_locale

    for code in ("en", "en-GB", "en-US"):
        cldr = gettext.c2py(get_plural(babel_locale(code)).plural_expr)
        assert [_plural_rule(code)(n) for n in range(300)] == [cldr(n) for n in range(300)]
