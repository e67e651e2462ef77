"""A multilingual site through the real CLI: each language's pages under its prefix, articles'
languages from their folder or `lang:`, translations linked by path or `translation_key:`,
hreflang both ways and in the sitemap, names per language, and the mistakes refused with
their file and line."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import files_under, run_digest

CONFIG = """title: Refusenik Watch
base_url: https://example.org/news/
language: en
languages:
  en: {}
  ru: {title: Дело отказников}
  ar: {}
"""


def _article(site: Path, rel: str, title: str, extra: str = "", day: int = 2) -> None:
    path = site / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {title}\ndate: 2023-05-0{day}\nsource: Mediazona\ntags: [army]\n{extra}---\n"
        f"{title}: the body of the article.\n",
        encoding="utf-8",
    )


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "s"
    site.mkdir()
    (site / "digest.yaml").write_text(CONFIG, encoding="utf-8")
    (site / "tags.yaml").write_text("army: {ru: Армия, ar: الجيش}\n", encoding="utf-8")
    (site / "sources.yaml").write_text("Mediazona:\n  names: {ru: Медиазона}\n", encoding="utf-8")
    _article(site, "en/2024/jailed.md", "Soldier jailed")
    _article(site, "ru/2024/jailed.md", "Солдата осудили")
    _article(site, "2024/refused.md", "Refused to deploy", day=3)  # the default language, at the root
    _article(site, "ar/2024/refused.md", "رفض", day=3)  # its translation, by the same path
    _article(site, "ru/2024/other.md", "Отказ", "translation_key: refusal-story\n", day=4)
    _article(site, "2024/alone.md", "Only in English", "translation_key: refusal-story\n", day=4)
    return site


def _hreflang(page: Path) -> dict[str, str]:
    return dict(
        re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page.read_text(encoding="utf-8")
        )
    )


def test_each_language_has_its_pages_and_translations_link_both_ways(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    run = run_digest("build", "-s", site, "-o", out)
    assert run.code == 0, run.err
    en = out / "2023/05/02/soldier-jailed/index.html"
    ru = out / "ru/2023/05/02/soldata-osudili/index.html"
    assert '<html lang="en"' in en.read_text(encoding="utf-8") and '<html lang="ru"' in ru.read_text(
        encoding="utf-8"
    )
    base = "https://example.org/news/"
    assert (
        _hreflang(en)
        == _hreflang(ru)
        == {
            "en": base + "2023/05/02/soldier-jailed/",
            "ru": base + "ru/2023/05/02/soldata-osudili/",
            "x-default": base + "2023/05/02/soldier-jailed/",
        }
    )
    # a root article and one under ar/ with the same path; one linked by translation_key
    assert set(_hreflang(out / "2023/05/03/refused-to-deploy/index.html")) == {"en", "ar", "x-default"}
    assert set(_hreflang(out / "ru/2023/05/04/otkaz/index.html")) == {"en", "ru", "x-default"}
    # the switcher: the translation where there is one, else that language's home
    switcher = (
        (out / "ru/2023/05/04/otkaz/index.html")
        .read_text(encoding="utf-8")
        .split('class="site-nav language-nav"')[1]  # its aria-label is in Russian
    )
    assert 'href="/news/2023/05/04/only-in-english/" hreflang="en"' in switcher
    assert 'href="/news/ar/" hreflang="ar" lang="ar" dir="rtl"' in switcher
    # each language's lists hold its own articles, with tags and outlets by their names in it
    home_ru = (out / "ru/index.html").read_text(encoding="utf-8")
    assert "Солдата осудили" in home_ru and "Soldier jailed" not in home_ru
    assert "Армия" in (out / "ru/tags/army/index.html").read_text(encoding="utf-8")
    assert "Медиазона" in (out / "ru/sources/mediazona/index.html").read_text(encoding="utf-8")
    assert "Армия" not in (out / "tags/army/index.html").read_text(encoding="utf-8")
    assert "الجيش" in (out / "ar/tags/army/index.html").read_text(encoding="utf-8")
    # feeds per language, in that language
    assert 'xml:lang="ru"' in (out / "ru/feed.xml").read_text(encoding="utf-8")
    assert "<title>Дело отказников</title>" in (out / "ru/feed.xml").read_text(encoding="utf-8")
    assert '"language":"ar"' in (out / "ar/tags/army/feed.json").read_text(encoding="utf-8")
    # one sitemap with every language's pages and their alternates; one Google News sitemap
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{base}ru/2023/05/02/soldata-osudili/</loc>" in sitemap
    assert f'<xhtml:link rel="alternate" hreflang="ru" href="{base}ru/tags/army/"/>' in sitemap
    assert not (out / "ru/sitemap.xml").exists() and not (out / "ru/news-sitemap.xml").exists()
    # static files once, at the root, for every language
    assert 'href="/news/static/' in home_ru and not (out / "ru/static").exists()
    again = run_digest("build", "-s", site, "-o", tmp_path / "again", "--clean")
    assert again.code == 0 and files_under(out) == files_under(tmp_path / "again")


def test_a_new_translation_re_renders_the_pages_it_links(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    _article(site, "ar/2024/jailed.md", "سجن جندي")
    run = run_digest("build", "-s", site, "-o", out)
    assert run.code == 0, run.err
    assert "ar" in _hreflang(out / "2023/05/02/soldier-jailed/index.html")
    assert "ar" in _hreflang(out / "ru/2023/05/02/soldata-osudili/index.html")
    fresh = tmp_path / "fresh"
    assert run_digest("build", "-s", site, "-o", fresh, "--clean").code == 0
    assert files_under(out) == files_under(fresh)


def test_languages_that_are_not_configured_and_two_translations_in_one_language(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _article(site, "en/2024/italian.md", "Italiano", "lang: it\n")
    _article(site, "it/2024/x.md", "Italiano 2")
    _article(site, "ru/2024/jailed-again.md", "Снова", "translation_key: 2024/jailed\n")
    run = run_digest("build", "-s", site, "-o", tmp_path / "out")
    assert run.code == 1
    assert (
        "content/en/2024/italian.md:6: error: 'lang: it' is not one of the site's languages (en, ru, ar)"
        in run.err
    )
    assert "content/it/2024/x.md:1: error: this article is in the folder content/it/" in run.err
    assert "(en, ru, ar); add it under 'languages' in digest.yaml" in run.err
    assert (
        "content/ru/2024/jailed.md:1: error: content/ru/2024/jailed-again.md is already the 'ru' "
        "translation of '2024/jailed'; give one of them another 'translation_key' (or 'lang')" in run.err
    )
    assert "Traceback" not in run.err and not (tmp_path / "out").exists()


def test_new_puts_an_article_under_its_language(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run = run_digest("new", "Новость дня", "--source", "Mediazona", "--lang", "RU", "-s", site)
    assert run.code == 0, run.err
    created = Path(run.out.split("created ", 1)[1].strip())
    assert created.parent.parent == site / "content" / "ru" and created.name == "novost-dnia.md"
    assert (site / "content").joinpath("2023").exists() is False
    refused = run_digest("new", "X", "--source", "Mediazona", "--lang", "it", "-s", site)
    assert refused.code == 2
    assert "--lang must be one of the site's languages (en, ru, ar), not 'it'" in refused.err
    one = tmp_path / "one"
    one.mkdir()
    (one / "digest.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    run = run_digest("new", "Hallo", "--source", "X", "--lang", "de", "-s", one)
    assert run.code == 0, run.err
    written = Path(run.out.split("created ", 1)[1].strip()).read_text(encoding="utf-8")
    assert "\nlang: de\n" in written


def test_import_puts_a_draft_under_the_language_of_its_page(tmp_path: Path) -> None:
    """heise.de's page says it is German (og:locale de_DE or <html lang>): in a site with a
    German section the draft goes there; Le Monde's French page has no section, and says so."""
    pages = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "pages"
    site = tmp_path / "s"
    site.mkdir()
    (site / "digest.yaml").write_text(
        "title: T\nbase_url: https://example.org/\nlanguages: {en: {}, de: {}}\n", encoding="utf-8"
    )
    run = run_digest("import", pages / "heise.html", pages / "lemonde-1.html", "-s", site, "--source", "X")
    assert run.code == 0, run.err
    written = [Path(line) for line in run.out.split()]
    assert [p.relative_to(site / "content").parts[0] for p in written] == ["de", "2015"]
    assert "\nlang:" not in written[0].read_text(encoding="utf-8")  # its folder says it
    assert "the page is in 'fr-FR' (og:locale), not one of the site's languages (en, de)" in run.err
    assert run_digest("build", "-s", site, "--drafts").code == 0


def test_with_every_language_prefixed_the_root_sends_readers_home(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "digest.yaml").write_text(CONFIG + "prefix_default_language: true\n", encoding="utf-8")
    out = tmp_path / "out"
    run = run_digest("build", "-s", site, "-o", out)
    assert run.code == 0, run.err
    assert (out / "en/2023/05/02/soldier-jailed/index.html").exists()
    root = (out / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=https://example.org/news/en/"' in root and "noindex" in root
    assert "https://example.org/news/en/" in _hreflang(out / "ru/index.html").values()
    assert run_digest("check", "-s", site).code == 0


def test_editing_the_languages_parses_again(tmp_path: Path) -> None:
    """The parse cache holds each article's URLs, which depend on the languages' prefixes."""
    site = _site(tmp_path)
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    (site / "digest.yaml").write_text(CONFIG + "prefix_default_language: true\n", encoding="utf-8")
    run = run_digest("build", "-s", site, "-o", out)
    assert run.code == 0, run.err
    assert run.report["parsed"] == run.report["articles"]
    fresh = tmp_path / "fresh"
    assert run_digest("build", "-s", site, "-o", fresh, "--clean").code == 0
    assert files_under(out) == files_under(fresh)
