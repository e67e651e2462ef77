"""`digest migrate` of a blog in several languages makes a multilingual digest site: `languages:`
in the new digest.yaml, each language's posts under `content/<lang>/`, a post's translations at
the same path there so that the build links them (hreflang), on real content
(tests/fixtures/migrate/real/opentelemetry.io-languages, CC-BY-4.0) and on small Hugo sites."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXTURES, run_digest
from e2e.test_migrate import LATER, front, tree_hash

OTEL = FIXTURES / "migrate" / "real" / "opentelemetry.io-languages"


def _hreflangs(page: Path) -> dict[str, str]:
    html = page.read_text(encoding="utf-8")
    links = re.findall(r"<link\b[^>]*\brel=\"alternate\"[^>]*>", html)
    out = {}
    for link in links:
        lang = re.search(r'hreflang="([^"]+)"', link)
        href = re.search(r'href="([^"]+)"', link)
        if lang and href:
            out[lang.group(1)] = href.group(1)
    return out


def test_opentelemetry_blog_in_six_languages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    before = tree_hash(OTEL)
    run = run_digest("migrate", OTEL, "-s", site)
    assert run.code == 0, run.err
    assert tree_hash(OTEL) == before
    assert "10 posts found; migrated 10, skipped 0, warnings 0" in run.err
    assert "languages: en (3), es (1), ja (2), pt (2), uk (1), zh (1)" in run.err
    config = (site / "digest.yaml").read_text(encoding="utf-8")
    assert "language: en\nlanguages:\n  en: {description: The OpenTelemetry Project Site}\n" in config
    assert "  ja: {description: OpenTelemetryプロジェクト公式サイト}\n" in config
    assert "{lang}" not in config
    files = sorted(p.relative_to(site / "content").as_posix() for p in (site / "content").rglob("*.md"))
    assert files == [
        "en/2023/humans-of-otel.md",
        "en/2024/docs-localized.md",
        "en/2026/otel-graduates.md",
        "es/2026/otel-graduates.md",
        "ja/2024/docs-localized.md",  # dated a day later than the English post: the same path
        "ja/2026/otel-graduates.md",
        "pt/2024/docs-localized.md",
        "pt/2026/otel-graduates.md",
        "uk/2024/docs-localized.md",
        "zh/2024/docs-localized.md",
    ]
    ja = front(site / "content/ja/2024/docs-localized.md")
    assert "lang" not in ja and "translation_key" not in ja  # the folder and the path say them
    assert ja["aliases"] == ["/ja/blog/2024/docs-localized/"]
    assert ja["extra"]["migrated_from"] == "content/ja/blog/2024/docs-localized.md"

    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    assert "0 errors, 0 warnings" in build.out and build.err == ""
    out = site / "site"
    english = out / "2024/08/20/docs-localized/index.html"
    japanese = out / "ja/2024/08/21/docs-localized/index.html"
    assert english.is_file() and japanese.is_file()
    assert (out / "zh/2024/08/20/docs-localized/index.html").is_file()
    assert (out / "uk/index.html").is_file() and (out / "es/index.html").is_file()
    # the five versions of the announcement link to each other
    expected = {
        "en": "https://opentelemetry.io/2024/08/20/docs-localized/",
        "ja": "https://opentelemetry.io/ja/2024/08/21/docs-localized/",
        "pt": "https://opentelemetry.io/pt/2024/08/20/docs-localized/",
        "uk": "https://opentelemetry.io/uk/2024/08/20/docs-localized/",
        "zh": "https://opentelemetry.io/zh/2024/08/20/docs-localized/",
        "x-default": "https://opentelemetry.io/2024/08/20/docs-localized/",
    }
    assert _hreflangs(english) == expected
    assert _hreflangs(japanese) == expected
    # the untranslated post links no translation
    assert _hreflangs(next((out / "2023").rglob("humans-of-otel/index.html"))) == {}
    # the old Hugo URL of the Japanese post redirects to its new page
    assert "url=https://opentelemetry.io/ja/2024/08/21/docs-localized/" in (
        out / "ja/blog/2024/docs-localized/index.html"
    ).read_text(encoding="utf-8")

    again = run_digest("migrate", OTEL, "-s", site)  # a second run finds every post migrated
    assert again.code == 0 and again.out == ""
    assert "skipped 10: migrated before" in again.err


def _hugo(root: Path, config: str, posts: dict[str, str]) -> Path:
    (root).mkdir(parents=True)
    (root / "hugo.toml").write_text(config, encoding="utf-8")
    for rel, text in posts.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


HUGO_TWO = """baseURL = "https://blog.example.com/"
title = "Two tongues"
defaultContentLanguage = "de"
defaultContentLanguageInSubdir = true
[languages.de]
  title = "Zwei Zungen"
[languages.en]
  title = "Two tongues"
"""


def test_translation_key_links_posts_of_other_names_and_the_default_keeps_its_prefix(
    tmp_path: Path,
) -> None:
    src = _hugo(
        tmp_path / "src",
        HUGO_TWO,
        {
            "de/posts/hallo.md": "---\ntitle: Hallo Welt\ndate: 2024-05-01\ntranslationKey: greeting\n---\nHallo.\n",
            "en/posts/hello.md": "---\ntitle: Hello world\ndate: 2024-05-02\ntranslationKey: greeting\n---\nHello.\n",
            "en/posts/only.md": "---\ntitle: Only in English\ndate: 2024-05-03\n---\nOne.\n",
        },
    )
    site = tmp_path / "site"
    dry = run_digest("migrate", src, "-s", site, "--dry-run")
    assert dry.code == 0, dry.err
    assert f"write {site}/content/de/2024/hallo.md <- content/de/posts/hallo.md" in dry.out
    # the English translation goes where the default language's post is, under en/
    assert f"write {site}/content/en/2024/hallo.md <- content/en/posts/hello.md" in dry.out
    assert not site.exists()
    run = run_digest("migrate", src, "-s", site)
    assert run.code == 0, run.err
    config = (site / "digest.yaml").read_text(encoding="utf-8")
    assert "language: de\nlanguages:\n  de: {title: Zwei Zungen}\n  en: {title: Two tongues}\n" in config
    assert "prefix_default_language: true\n" in config  # Hugo's defaultContentLanguageInSubdir
    hello = front(site / "content/en/2024/hallo.md")
    assert hello["title"] == "Hello world" and hello["slug"] == "hello"
    assert "translationkey" not in hello.get("extra", {})
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    german = site / "site/de/2024/05/01/hallo/index.html"
    assert _hreflangs(german)["en"] == "https://blog.example.com/en/2024/05/02/hello/"
    assert _hreflangs(site / "site/en/2024/05/02/hello/index.html")["de"] == (
        "https://blog.example.com/de/2024/05/01/hallo/"
    )


def test_an_existing_multilingual_site_takes_its_languages_and_names_the_others(tmp_path: Path) -> None:
    src = _hugo(
        tmp_path / "src",
        'baseURL = "https://b.example/"\ntitle = "B"\n[languages.en]\n[languages.fr]\n[languages.it]\n',
        {
            "en/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nA.\n",
            "fr/posts/a.md": "---\ntitle: A en français\ndate: 2024-01-01\n---\nA.\n",
            "it/posts/a.md": "---\ntitle: A in italiano\ndate: 2024-01-01\n---\nA.\n",
        },
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "digest.yaml").write_text(
        "title: Mine\nbase_url: https://b.example/\nlanguage: en\nlanguages:\n  en: {}\n  fr: {}\n",
        encoding="utf-8",
    )
    run = run_digest("migrate", src, "-s", site)
    assert run.code == 0, run.err
    assert (site / "content/en/2024/a.md").is_file() and (site / "content/fr/2024/a.md").is_file()
    # Italian is not one of the site's languages: said, and kept with its lang: (the build then
    # says what to do, with the list of the site's languages)
    assert "content/it/posts/a.md:0: language 'it' is not one of digest.yaml's languages: add it there" in run.err
    italian = front(site / "content/2024/a.md")
    assert italian["lang"] == "it"
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 1
    assert "content/2024/a.md:" in build.err and "(en, fr)" in build.err


def test_one_language_blogs_are_migrated_as_before(tmp_path: Path) -> None:
    src = _hugo(
        tmp_path / "src",
        'baseURL = "https://c.example/"\ntitle = "C"\nlanguageCode = "de-DE"\n',
        {"posts/a.md": "---\ntitle: Eins\ndate: 2024-01-01\n---\nA.\n"},
    )
    site = tmp_path / "site"
    assert run_digest("migrate", src, "-s", site).code == 0
    assert (site / "content/2024/a.md").is_file()
    config = (site / "digest.yaml").read_text(encoding="utf-8")
    assert "languages:" not in config and "language: de-DE" in config


def test_jekyll_translations_share_date_and_slug_and_the_default_is_the_most_written(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    posts = {
        "de/news/_posts/2024-02-01-release.md": "---\ntitle: Version 2 erschienen\nlang: de\n---\nJa.\n",
        "de/news/_posts/2024-02-05-treffen.md": "---\ntitle: Treffen in Berlin\nlang: de\n---\nJa.\n",
        "fr/news/_posts/2024-02-01-release.md": "---\ntitle: La version 2 est sortie\nlang: fr\n---\nOui.\n",
    }
    for rel, text in posts.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    (src / "_config.yml").write_text("title: Neuigkeiten\nurl: https://n.example\n", encoding="utf-8")
    site = tmp_path / "site"
    run = run_digest("migrate", src, "-s", site)
    assert run.code == 0, run.err
    config = (site / "digest.yaml").read_text(encoding="utf-8")
    # no `lang` in _config.yml: the language with the most posts is the default
    assert "language: de\nlanguages:\n  de: {}\n  fr: {}\n" in config
    assert (site / "content/de/2024/release.md").is_file() and (site / "content/fr/2024/release.md").is_file()
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    german = _hreflangs(site / "site/2024/02/01/release/index.html")
    assert german["fr"] == "https://n.example/fr/2024/02/01/release/"
    assert german["x-default"] == "https://n.example/2024/02/01/release/"


def test_languages_that_are_not_tags_keep_a_one_language_site(tmp_path: Path) -> None:
    src = tmp_path / "src"
    posts = {
        "_posts/2024-02-01-one.md": "---\ntitle: One\nlang: english\n---\nOne.\n",
        "_posts/2024-02-01-un.md": "---\ntitle: Un\nlang: fr\n---\nUn.\n",
    }
    for rel, text in posts.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    (src / "_config.yml").write_text("title: Mixed\n", encoding="utf-8")
    site = tmp_path / "site"
    run = run_digest("migrate", src, "-s", site)
    assert run.code == 0, run.err
    assert "'english' is not a language tag: posts keep `lang:`, no `languages:`" in run.err
    config = (site / "digest.yaml").read_text(encoding="utf-8")
    assert "languages:" not in config and "  article: /{lang}/{year}/{month}/{day}/{slug}/" in config
    assert front(site / "content/2024/one.md")["lang"] == "english"


def test_a_three_letter_language_keeps_lang_and_says_its_translation_key(tmp_path: Path) -> None:
    src = _hugo(
        tmp_path / "src",
        'baseURL = "https://d.example/"\ntitle = "D"\n[languages.en]\n[languages.fil]\n',
        {
            "en/posts/news.md": "---\ntitle: News\ndate: 2024-01-01\n---\nNews.\n",
            "fil/posts/news.md": "---\ntitle: Balita\ndate: 2024-01-01\n---\nBalita.\n",
        },
    )
    site = tmp_path / "site"
    assert run_digest("migrate", src, "-s", site).code == 0
    # the build reads only two-letter folders as languages (content/fil/ is a plain folder)
    filipino = front(site / "content/fil/2024/news.md")
    assert filipino["lang"] == "fil" and filipino["translation_key"] == "2024/news"
    assert "lang" not in front(site / "content/en/2024/news.md")
    build = run_digest("build", "-s", site, env=LATER)
    assert build.code == 0, build.err
    assert _hreflangs(site / "site/2024/01/01/news/index.html")["fil"] == "https://d.example/fil/2024/01/01/news/"
