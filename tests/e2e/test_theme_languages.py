"""The default theme in the site's language: its words from the shipped message catalogs, dates
and numbers in CLDR's formats, `<html dir="rtl">` for right-to-left languages; a site's own
catalog over the built-in one; English where no catalog has a message. The golden fixture site
(tests/fixtures/golden), built with another `language:`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOLDEN_SITE, copy_site, run_digest
from support.browser import axe_violations, chromium_available, chromium_browser, new_page, serve_directory
from support.htmlcheck import vnu_available, vnu_errors

ARTICLE = "2022/05/27/russia-jails-soldier-for-refusing-special-mission-deployment/index.html"
DAY = "2022/05/27/index.html"
NNBSP = "\u202f"  # CLDR's narrow no-break space (Russian "2022 г.", French "n° 3")


def _site(tmp_path: Path, language: str) -> Path:
    site = copy_site(GOLDEN_SITE, tmp_path / "site")
    config = site / "digest.yaml"
    config.write_text(config.read_text().replace("language: en", f"language: {language}"))
    return site


def _build(site: Path) -> Path:
    result = run_digest("build", "-s", site)
    assert result.code == 0, result.err
    return site / "site"


def _text(path: Path) -> str:
    """The page's visible words, one space between them."""
    body = path.read_text(encoding="utf-8").split("<body", 1)[1]
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", body))  # not \s: keeps CLDR's spaces


def _long_article(site: Path, words: int) -> None:
    body = " ".join(["слово"] * words)
    (site / "content" / "world" / "long.md").write_text(
        f"---\ntitle: Длинная статья\ndate: 2022-05-20\nsource: Meduza\n---\n{body}\n", encoding="utf-8"
    )


def test_a_russian_site_reads_in_russian(tmp_path: Path) -> None:
    site = _site(tmp_path, "ru")
    _long_article(site, 5 * 230)  # five minutes at digest's reading speed
    out = _build(site)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in home  # left-to-right: no dir attribute at all
    text = _text(out / "index.html")
    for words in ("Перейти к содержанию", "Главная", "Сюжеты", "Архив", "Главные темы", "Подписаться:"):
        assert words in text
    assert "Skip to content" not in text and "Top tags" not in text
    assert "пятница, 27 мая 2022" + NNBSP + "г." in text  # CLDR's full date, a day's heading
    # Russian plurals: 3 "издания", 5 "статей" (the sources page counts both)
    assert "3 издания, 5 статей" in _text(out / "sources" / "index.html")
    assert "Meduza 2 статьи" in text and "national guard 1 статья" in text  # 2-4 "статьи", 1 "статья"
    article = _text(out / ARTICLE)
    assert "1 минута чтения" in article
    assert "5 минут чтения" in _text(out / "2022/05/20/dlinnaia-statia/index.html")
    assert "Читать оригинал на сайте The Moscow Times" in article
    # titles made in Python: the day page's, the month's, an edition's
    day = (out / DAY).read_text(encoding="utf-8")
    assert "<title>пятница, 27 мая 2022" + NNBSP + "г. · Fixture Digest</title>" in day
    assert "Май 2022" + NNBSP + "г." in _text(out / "2022/05/index.html")
    edition = (out / "editions/2022-05-27/index.html").read_text(encoding="utf-8")
    assert "<title>№ 27: пятница, 27 мая 2022" + NNBSP + "г. · Fixture Digest</title>" in edition
    assert 'title="Fixture Digest: выпуски (Atom)"' in edition
    assert "<title>Страница не найдена · Fixture Digest</title>" in (out / "404.html").read_text()
    feed = (out / "editions/feed.xml").read_text(encoding="utf-8")
    assert "<subtitle>Ежедневные выпуски</subtitle>" in feed


@pytest.mark.parametrize(
    ("language", "words", "date"),
    [
        ("ar", ("انتقل إلى المحتوى", "الرئيسية", "الأرشيف"), "الجمعة، 27 مايو 2022"),
        ("ja", ("本文へ移動", "ホーム", "アーカイブ"), "2022年5月27日金曜日"),
        ("de", ("Zum Inhalt springen", "Startseite", "Archiv"), "Freitag, 27. Mai 2022"),
    ],
)
def test_words_and_dates_in_other_languages(
    tmp_path: Path, language: str, words: tuple[str, ...], date: str
) -> None:
    out = _build(_site(tmp_path, language))
    home = (out / "index.html").read_text(encoding="utf-8")
    rtl = ' dir="rtl"' if language == "ar" else ""
    assert f'<html lang="{language}"{rtl}>' in home
    text = _text(out / "index.html")
    for word in words:
        assert word in text
    assert date in _text(out / DAY)
    assert "Skip to content" not in text


def test_a_site_catalog_overrides_one_message_and_english_fills_the_gaps(tmp_path: Path) -> None:
    site = _site(tmp_path, "ru")
    (site / "locales").mkdir()
    (site / "locales" / "ru.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Home"\nmsgstr "Новости"\n',
        encoding="utf-8",
    )
    text = _text(_build(site) / "index.html")
    assert "Новости" in text and "Главная" not in text  # the site's word
    assert "Перейти к содержанию" in text  # the built-in catalog for the rest


def test_a_language_without_a_catalog_has_english_words_and_its_own_dates(tmp_path: Path) -> None:
    """Italian ships no catalog: the site adds one message, the rest stays English; dates are
    Italian all the same (CLDR)."""
    site = _site(tmp_path, "it")
    (site / "locales").mkdir()
    (site / "locales" / "it.po").write_text(
        'msgid "Skip to content"\nmsgstr "Vai al contenuto"\n\nmsgid "Archive"\nmsgstr ""\n', encoding="utf-8"
    )
    out = _build(site)
    text = _text(out / "index.html")
    assert "Vai al contenuto" in text
    assert "Archive" in text and "Home" in text  # untranslated: the English msgid
    assert "venerdì 27 maggio 2022" in _text(out / DAY)


def test_a_regional_language_falls_back_to_its_language(tmp_path: Path) -> None:
    """pt-BR reads pt.po, then a pt-BR.po over it."""
    site = _site(tmp_path, "pt-BR")
    (site / "locales").mkdir()
    (site / "locales" / "pt_BR.po").write_text('msgid "Home"\nmsgstr "Página inicial"\n', encoding="utf-8")
    text = _text(_build(site) / "index.html")
    assert "Página inicial" in text  # the site's pt-BR
    assert "Pular para o conteúdo" in text  # the built-in pt


def test_a_broken_catalog_is_a_located_error(tmp_path: Path) -> None:
    site = _site(tmp_path, "ru")
    (site / "locales").mkdir()
    (site / "locales" / "ru.po").write_text(
        'msgid "Home"\nmsgstr "Новости"\n\nmsgid "Archive"\nmsgstr "Архив\n', encoding="utf-8"
    )
    result = run_digest("build", "-s", site)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert re.search(r"locales/ru\.po:\d+: error: not a valid message catalog", result.err), result.err
    assert not (site / "site").exists()  # nothing half-built


def test_a_translation_with_an_unknown_placeholder_is_a_located_error(tmp_path: Path) -> None:
    site = _site(tmp_path, "de")
    (site / "locales").mkdir()
    (site / "locales" / "de.po").write_text(
        '\nmsgid "Tag: %(name)s"\nmsgstr "Schlagwort: %(nom)s"\n', encoding="utf-8"
    )
    result = run_digest("build", "-s", site)
    assert result.code == 2 and "Traceback" not in result.err
    assert "locales/de.po:2: error: the translation uses %(nom)s" in result.err, result.err  # its msgid


def test_editing_a_site_catalog_renders_the_pages_again(tmp_path: Path) -> None:
    site = _site(tmp_path, "ru")
    (site / "locales").mkdir()
    catalog = site / "locales" / "ru.po"
    catalog.write_text('msgid "Home"\nmsgstr "Новости"\n', encoding="utf-8")
    out = _build(site)
    again = run_digest("build", "-s", site)
    assert again.code == 0 and again.report["rendered"]["page"] == 0  # nothing changed: nothing rendered
    catalog.write_text('msgid "Home"\nmsgstr "К новостям"\n', encoding="utf-8")
    edited = run_digest("build", "-s", site)
    assert edited.code == 0, edited.err
    assert edited.report["rendered"]["page"] > 0
    assert "К новостям" in _text(out / "index.html")
    assert "К новостям" in _text(out / ARTICLE)


def test_babel_is_not_imported_to_print_the_version() -> None:
    """Start-up stays light: Babel and Jinja2 load when a build renders, not for --version."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "generator", "--version"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in proc.stderr.splitlines()}
    assert "generator" in imported
    assert "babel" not in imported and "jinja2" not in imported


QUALITY_LANGUAGES = ("ru", "ar", "ja")
QUALITY_PAGES = ("", ARTICLE.removesuffix("index.html"), DAY.removesuffix("index.html"), "editions/2022-05-27/",
                 "stories/russian-refuseniks/", "404.html")


@pytest.fixture(scope="module")
def translated_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {code: _build(_site(tmp_path_factory.mktemp(code), code)) for code in QUALITY_LANGUAGES}


@pytest.mark.skipif(not vnu_available(), reason="java is not installed")
def test_translated_pages_are_valid_html(translated_builds: dict[str, Path]) -> None:
    pages = [out / rel / "index.html" if not rel.endswith(".html") else out / rel
             for out in translated_builds.values() for rel in QUALITY_PAGES]
    pages += [out / "editions/latest/email.html" for out in translated_builds.values()]
    assert vnu_errors(pages) == []


@pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_translated_pages_are_accessible(translated_builds: dict[str, Path], scheme: str) -> None:
    problems: dict[str, list[str]] = {}
    for code, out in translated_builds.items():
        with serve_directory(out, mount="/news/") as base, chromium_browser() as browser, new_page(browser) as page:
            for rel in QUALITY_PAGES:
                found = axe_violations(page, base + rel, scheme)
                if found:
                    problems[f"{code}: /{rel}"] = found
    assert problems == {}


@pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")
def test_right_to_left_pages_are_laid_out_from_the_right(translated_builds: dict[str, Path]) -> None:
    """In Arabic the masthead's title and the article's accent rule sit on the right."""
    with serve_directory(translated_builds["ar"], mount="/news/") as base, chromium_browser() as browser, \
            new_page(browser) as page:
        page.goto(base + ARTICLE.removesuffix("index.html"))
        width = page.evaluate("document.documentElement.clientWidth")
        title = page.locator(".site-title").bounding_box()
        assert title is not None and title["x"] + title["width"] > width * 0.6
        rule = page.evaluate("getComputedStyle(document.querySelector('.original')).borderRightWidth")
        assert rule == "4px"


def test_each_language_of_a_multilingual_site_has_its_own_words(tmp_path: Path) -> None:
    """One build, three languages: each language's pages in its words, dates and direction;
    a site catalog for one language only touches that language's pages."""
    site = tmp_path / "s"
    (site / "content" / "ru").mkdir(parents=True)
    (site / "content" / "ar").mkdir()
    (site / "digest.yaml").write_text(
        "title: Refusenik Watch\nbase_url: https://example.org/\nlanguage: en\n"
        "languages:\n  en: {}\n  ru: {title: Дело отказников}\n  ar: {}\n",
        encoding="utf-8",
    )
    for rel, title in (("jailed.md", "Soldier jailed"), ("ru/jailed.md", "Солдата осудили"), ("ar/jailed.md", "سجن جندي")):
        (site / "content" / rel).write_text(
            f"---\ntitle: {title}\ndate: 2023-05-02\nsource: Mediazona\n---\n{title}.\n", encoding="utf-8"
        )
    (site / "locales").mkdir()
    (site / "locales" / "ru.po").write_text('msgid "Home"\nmsgstr "Новости"\n', encoding="utf-8")
    out = _build(site)
    english, russian, arabic = (_text(out / p / "index.html") for p in ("", "ru", "ar"))
    assert "Skip to content" in english and "Home" in english and "Tuesday, 2 May 2023" in english
    assert "Перейти к содержанию" in russian and "Новости" in russian and "вторник, 2 мая 2023" in russian
    assert "انتقل إلى المحتوى" in arabic and "الرئيسية" in arabic and "الثلاثاء، 2 مايو 2023" in arabic
    assert '<html lang="ar" dir="rtl">' in (out / "ar" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in (out / "index.html").read_text(encoding="utf-8")



def test_a_site_theme_brings_its_catalog_and_the_site_root_wins(tmp_path: Path) -> None:
    site = _site(tmp_path, "ru")
    config = site / "digest.yaml"
    config.write_text(config.read_text() + "theme: mine\n")
    (site / "themes" / "mine" / "locales").mkdir(parents=True)
    (site / "themes" / "mine" / "locales" / "ru.po").write_text(
        'msgid "Home"\nmsgstr "Лента"\n\nmsgid "Archive"\nmsgstr "Подшивка"\n', encoding="utf-8"
    )
    (site / "locales").mkdir()
    (site / "locales" / "ru.po").write_text('msgid "Archive"\nmsgstr "Все номера"\n', encoding="utf-8")
    text = _text(_build(site) / "index.html")
    assert "Лента" in text  # the theme's
    assert "Все номера" in text and "Подшивка" not in text  # the site's own over the theme's
    assert "Перейти к содержанию" in text  # the built-in catalog under both


def test_a_site_theme_translates_its_own_words_with_trans_blocks(tmp_path: Path) -> None:
    """{% trans %} with a count and a name in a theme's template; the site's catalog has no
    header, so Russian's three plural forms come from CLDR."""
    site = _site(tmp_path, "ru")
    config = site / "digest.yaml"
    config.write_text(config.read_text() + "theme: mine\n")
    (site / "themes" / "mine" / "templates").mkdir(parents=True)
    (site / "themes" / "mine" / "templates" / "404.html").write_text(
        '{% extends "default/404.html" %}\n{% block main %}<p>{% trans %}Page not found{% endtrans %}</p>'
        "<p>{% trans count=site.article_count %}{{ count }} article{% pluralize %}{{ count }} articles"
        "{% endtrans %}</p><p>{% trans name=site.title %}Hello {{ name }}{% endtrans %}</p>{% endblock %}\n",
        encoding="utf-8",
    )
    (site / "locales").mkdir()
    (site / "locales" / "ru.po").write_text(
        'msgid "Hello %(name)s"\nmsgstr "Привет, %(name)s"\n\n'
        'msgid "%(count)s article"\nmsgid_plural "%(count)s articles"\n'
        'msgstr[0] "%(count)s статья"\nmsgstr[1] "%(count)s статьи"\nmsgstr[2] "%(count)s статей"\n',
        encoding="utf-8",
    )
    page = (_build(site) / "404.html").read_text(encoding="utf-8")
    assert "<p>Страница не найдена</p><p>4 статьи</p><p>Привет, Fixture Digest</p>" in page


def test_catalogs_read_once_are_kept_and_a_changed_one_is_read_again(tmp_path: Path) -> None:
    """The catalogs a build read are kept in the cache folder, by their bytes: the next build's
    process does not import Babel's catalog reader, and a catalog edited since (or the kept file
    damaged) is read again, with its errors located as ever."""
    site = _site(tmp_path, "ru")
    (site / "locales").mkdir()
    catalog = site / "locales" / "ru.po"
    catalog.write_text('msgid "Home"\nmsgstr "Новости"\n', encoding="utf-8")
    out = _build(site)
    kept = site / ".digest-cache" / "catalogs.pickle"
    assert kept.is_file()
    article = next((site / "content").rglob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    probe = (
        "import sys\n"
        "from generator.cli import main\n"
        f"code = main(['build', '-q', '-s', {str(site)!r}])\n"
        "print(code, 'babel.messages.pofile' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.stdout.split()[-2:] == ["0", "False"], done.stdout + done.stderr
    # an English site does not import Babel's catalog package at all (its plural rule is digest's)
    english = copy_site(GOLDEN_SITE, tmp_path / "english")
    assert run_digest("build", "-s", english).code == 0
    first = next((english / "content").rglob("*.md"))
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    probe = probe.replace(str(site), str(english)).replace("babel.messages.pofile", "babel.messages")
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.stdout.split()[-2:] == ["0", "False"], done.stdout + done.stderr
    assert "Новости" in _text(out / "index.html")

    catalog.write_text('msgid "Home"\nmsgstr "Главное"\n', encoding="utf-8")
    assert "Главное" in _text(_build(site) / "index.html")  # the edited catalog, not the kept one
    catalog.write_text('msgid "Home"\nmsgstr "Новости\n', encoding="utf-8")
    result = run_digest("build", "-s", site)
    assert result.code == 2 and re.search(
        r"locales/ru\.po:\d+: error: not a valid message catalog", result.err
    )
    catalog.write_text('msgid "Home"\nmsgstr "Новости"\n', encoding="utf-8")
    kept.write_bytes(b"damaged")
    assert "Новости" in _text(_build(site) / "index.html")
    assert "Главное" not in _text(out / "index.html")
