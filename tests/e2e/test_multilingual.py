"""The multilingual fixture site (tests/fixtures/multilingual: en, the default, at the root; ru,
uk, zh-CN and ar under /ru/, /uk/, /zh-cn/, /ar/) built by the real CLI: each language's own
home, tag, source, date, story and edition pages and feeds, listing only its articles; the
sitemap's alternates; hreflang reciprocal with x-default on every page; `<html lang dir>`;
the language switcher; valid HTML and no accessibility violations in every language;
byte-identical rebuilds. Bad input and incremental builds: test_multilingual_errors.py."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import feedparser
import jsonschema
import pytest

from conftest import FIXTURES, copy_site, files_under, run_digest
from support.browser import axe_violations, chromium_available, chromium_browser, new_page, serve_directory
from support.htmlcheck import vnu_available, vnu_errors

SITE = FIXTURES / "multilingual"
BASE = "https://example.org/news/"
# language -> its folder under the base path ("" for the default language, at the root)
PREFIX = {"en": "", "ru": "ru/", "uk": "uk/", "zh-CN": "zh-cn/", "ar": "ar/"}
LANGS = tuple(PREFIX)
# the build's clock: after the fixture's last article (11 April 2024), which is not future then
CLOCK = {"SOURCE_DATE_EPOCH": "1713052800"}  # 2024-04-14T00:00:00Z
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ARTICLE = re.compile(r"^(?:(ru|uk|zh-cn|ar)/)?2024/\d\d/\d\d/[^/]+/$")
HREF = re.compile(r'\bhref="([^"#?]*)[^"]*"')
TAG = re.compile(r"<(?:a|link)\b[^>]*>")
# the articles of each language, by file (the fixture's content/)
ARTICLES = {
    "en": 5,  # eclipse, higgs (at content/2024/, the root), taiwan-earthquake, tsmc, echr
    "ru": 4,  # eclipse, higgs, orsk-dam, orenburg-flood
    "uk": 3,  # eclipse, echr, trypillia
    "zh-CN": 4,  # eclipse, xigesi (translation_key: 2024/higgs), taiwan-earthquake, hualien-rescue
    "ar": 4,  # eclipse, taiwan-earthquake, echr, eid-al-fitr
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("multilingual") / "site"
    run = run_digest("build", "-s", SITE, "-o", out, env=CLOCK)
    assert run.code == 0, run.err
    # translations share their original's source_url: that is not the same item twice
    assert "0 errors, 0 warnings" in run.out and run.err == "", run.err
    assert run.report["articles"] == sum(ARTICLES.values())
    return out


def lang_of(rel: str) -> str:
    """The language of an output path (relative to the output folder) by its folder."""
    first = rel.split("/", 1)[0]
    return next((lang for lang, p in PREFIX.items() if p and p == first + "/"), "en")


def pages(out: Path) -> Iterator[tuple[str, str]]:
    """(URL path under the base, HTML) of every themed page: not alias redirects."""
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html or rel.endswith("email.html"):
            continue
        yield rel.removesuffix("index.html"), html


def articles(out: Path, lang: str) -> set[str]:
    found = set()
    for path in out.rglob("index.html"):
        rel = path.parent.relative_to(out).as_posix() + "/"
        if ARTICLE.match(rel) and lang_of(rel) == lang:
            found.add(rel)
    return found


def article_links(html: str) -> set[str]:
    """Articles a page links in its body: not the hreflang alternates or the language switcher
    (which go to other languages on purpose)."""
    body = html.split("<body", 1)[-1]
    found = set()
    for tag in TAG.findall(body):
        if "hreflang=" in tag:
            continue
        for url in HREF.findall(tag):
            rel = url.removeprefix("https://example.org").removeprefix("/news/")
            if ARTICLE.match(rel):
                found.add(rel)
    return found


def alternates(html: str) -> dict[str, str]:
    """hreflang -> href of the page's `<link rel="alternate" hreflang>`."""
    out = {}
    for tag in re.findall(r"<link\b[^>]*>", html.split("</head>", 1)[0]):
        lang = re.search(r'\bhreflang="([^"]+)"', tag)
        href = re.search(r'\bhref="([^"]+)"', tag)
        if lang and href and 'rel="alternate"' in tag:
            out[lang.group(1)] = href.group(1)
    return out


def test_every_language_has_its_pages(built: Path) -> None:
    for lang, p in PREFIX.items():
        for rel in ("", "tags/", "tags/science/", "sources/", "sources/nasa/", "2024/04/08/", "archive/"):
            assert (built / p / rel / "index.html").is_file(), f"{lang}: /{p}{rel} missing"
        assert (built / p / "editions/2024-04-08/index.html").is_file(), lang
        assert len(articles(built, lang)) == ARTICLES[lang], lang
    # stories: a language has the stories its articles are in, the Russian-only one only in ru
    for lang in ("en", "zh-CN", "ar"):
        assert (built / PREFIX[lang] / "stories/hualien-earthquake/index.html").is_file(), lang
    assert (built / "ru/stories/orenburg-floods/index.html").is_file()
    for lang in ("en", "uk", "zh-CN", "ar"):
        assert not (built / PREFIX[lang] / "stories/orenburg-floods").exists(), lang
    assert not (built / "uk/stories/hualien-earthquake").exists()
    # editions: a day with articles in one language only has that language's edition only
    assert (built / "uk/editions/2024-04-11/index.html").is_file()
    assert not (built / "ar/editions/2024-04-11").exists()
    # tags keep one key across languages; a tag no Arabic article has is not an Arabic page
    assert (built / "zh-cn/tags/taiwan/index.html").is_file() and (built / "ar/tags/taiwan/index.html").is_file()
    assert not (built / "ar/tags/floods").exists() and (built / "ru/tags/floods/index.html").is_file()


def test_lists_show_only_their_language(built: Path) -> None:
    for rel, html in pages(built):
        if ARTICLE.match(rel):
            continue
        lang = lang_of(rel)
        wrong = {a for a in article_links(html) if lang_of(a) != lang}
        assert not wrong, f"/{rel} ({lang}) lists {sorted(wrong)}"
    for lang, p in PREFIX.items():
        home = article_links((built / p / "index.html").read_text(encoding="utf-8"))
        more = built / p / "page/2/index.html"
        if more.is_file():
            home |= article_links(more.read_text(encoding="utf-8"))
        assert home == articles(built, lang), lang
    zh_taiwan = article_links((built / "zh-cn/tags/taiwan/index.html").read_text(encoding="utf-8"))
    assert len(zh_taiwan) == 2 and all(a.startswith("zh-cn/2024/04/0") for a in zh_taiwan)


def test_article_pages_link_only_their_language_outside_the_switcher(built: Path) -> None:
    for rel, html in pages(built):
        if ARTICLE.match(rel):
            wrong = {a for a in article_links(html) if lang_of(a) != lang_of(rel)}
            assert not wrong, f"/{rel} links {sorted(wrong)} (related, story coverage)"


def test_html_lang_and_dir(built: Path) -> None:
    for rel, html in pages(built):
        lang = lang_of(rel)
        tag = re.search(r"<html\b[^>]*>", html)
        assert tag is not None, rel
        assert f'lang="{lang}"' in tag.group(0), f"/{rel}: {tag.group(0)}"
        # right to left said; left to right is HTML's default, said or not
        if lang == "ar":
            assert 'dir="rtl"' in tag.group(0), f"/{rel}: {tag.group(0)}"
        else:
            assert 'dir="rtl"' not in tag.group(0), f"/{rel}: {tag.group(0)}"


def test_hreflang_is_reciprocal_with_x_default(built: Path) -> None:
    by_url = {BASE + rel: alternates(html) for rel, html in pages(built)}
    problems = []
    for url, alts in by_url.items():
        rel = url.removeprefix(BASE)
        if rel.endswith("404.html"):
            continue
        if not alts:  # a page with no other version carries none
            continue
        if "x-default" not in alts:
            problems.append(f"/{rel}: no x-default")
        own = lang_of(rel)
        if alts.get(own) != url:
            problems.append(f"/{rel}: its own hreflang={own} is {alts.get(own)}")
        for lang, other in alts.items():
            if lang == "x-default" or other == url:
                continue
            assert lang_of(other.removeprefix(BASE)) == lang, f"/{rel}: hreflang={lang} -> {other}"
            back = by_url.get(other)
            if back is None:
                problems.append(f"/{rel}: hreflang={lang} -> {other}, not a page of the site")
            elif back.get(own) != url:
                problems.append(f"/{rel} -> {other} ({lang}), which does not link back")
    assert not problems, "\n".join(problems[:20])
    # one x-default for all the versions of a page: the default language's, else the first
    # version in the site's order (/ru/tags/infrastructure/ and /uk/…: no English version)
    for url, alts in by_url.items():
        for other in alts.values():
            assert by_url[other].get("x-default") == alts["x-default"], (url, other)
    infra = alternates((built / "uk/tags/infrastructure/index.html").read_text(encoding="utf-8"))
    assert infra == {
        "ru": BASE + "ru/tags/infrastructure/",
        "uk": BASE + "uk/tags/infrastructure/",
        "x-default": BASE + "ru/tags/infrastructure/",
    }


def _article_url(built: Path, lang: str, slug_part: str) -> str:
    found = [a for a in articles(built, lang) if slug_part in a]
    assert len(found) == 1, (lang, slug_part, found)
    return BASE + found[0]


def test_translations_by_path_and_by_translation_key(built: Path) -> None:
    # content/en/2024/eclipse.md and content/<lang>/2024/eclipse.md: five versions
    eclipse = {lang: _article_url(built, lang, "/2024/04/08/") for lang in ("ru", "uk")}
    en_eclipse = BASE + "2024/04/08/total-solar-eclipse-crosses-mexico-the-united-states-and-canada/"
    html = (built / en_eclipse.removeprefix(BASE) / "index.html").read_text(encoding="utf-8")
    alts = alternates(html)
    assert set(alts) == {*LANGS, "x-default"}
    assert alts["x-default"] == en_eclipse and alts["en"] == en_eclipse
    assert alts["ru"] == eclipse["ru"] and alts["uk"] == eclipse["uk"]
    # content/2024/higgs.md (the default language at the root) ↔ content/ru/2024/higgs.md by path,
    # and content/zh-cn/2024/xigesi.md by translation_key: 2024/higgs
    higgs = [a for a in articles(built, "en") if "higgs" in a]
    assert len(higgs) == 1
    alts = alternates((built / higgs[0] / "index.html").read_text(encoding="utf-8"))
    assert set(alts) == {"en", "ru", "zh-CN", "x-default"}
    assert alts["zh-CN"].startswith(BASE + "zh-cn/2024/04/09/")
    # untranslated: no alternates at all
    tsmc = [a for a in articles(built, "en") if "tsmc" in a]
    assert alternates((built / tsmc[0] / "index.html").read_text(encoding="utf-8")) == {}
    # every language's home links the four others
    for p in PREFIX.values():
        assert set(alternates((built / p / "index.html").read_text(encoding="utf-8"))) == {*LANGS, "x-default"}


def _switcher(html: str) -> dict[str, str]:
    """The language switcher's links: `<a … hreflang="ru" …>` in the page's body."""
    out = {}
    for tag in re.findall(r"<a\b[^>]*>", html.split("<body", 1)[-1]):
        lang = re.search(r'\bhreflang="([^"]+)"', tag)
        href = re.search(r'\bhref="([^"]+)"', tag)
        if lang and href:
            out[lang.group(1)] = href.group(1)
    return out


def test_language_switcher_goes_to_the_translation_else_the_home(built: Path) -> None:
    def absolute(href: str) -> str:
        return "https://example.org" + href if href.startswith("/") else href

    tsmc = next(a for a in articles(built, "en") if "tsmc" in a)
    links = {k: absolute(v) for k, v in _switcher((built / tsmc / "index.html").read_text("utf-8")).items()}
    assert set(links) >= {"ru", "uk", "zh-CN", "ar"}
    assert links["ru"] == BASE + "ru/" and links["ar"] == BASE + "ar/"  # no translation: the home
    quake = _article_url(built, "en", "2024/04/03/").removeprefix(BASE)
    links = {k: absolute(v) for k, v in _switcher((built / quake / "index.html").read_text("utf-8")).items()}
    assert links["zh-CN"] == _article_url(built, "zh-CN", "2024/04/03/")
    assert links["ar"] == _article_url(built, "ar", "2024/04/03/")
    assert links["ru"] == BASE + "ru/" and links["uk"] == BASE + "uk/"
    # a tag page's switcher: the same tag in a language that has it, else that language's home
    links = {k: absolute(v) for k, v in _switcher((built / "tags/taiwan/index.html").read_text("utf-8")).items()}
    assert links["zh-CN"] == BASE + "zh-cn/tags/taiwan/"
    assert links["ru"] == BASE + "ru/"


def test_feeds_per_language(built: Path) -> None:
    schema = json.loads((FIXTURES / "jsonfeed-1.1.schema.json").read_text())
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    seen = dict.fromkeys(LANGS, 0)
    for path in sorted(built.rglob("*")):
        if path.name not in ("feed.xml", "rss.xml", "feed.json") or "editions" in path.parts:
            continue
        rel = path.relative_to(built).as_posix()
        lang = lang_of(rel)
        seen[lang] += 1
        folder = BASE + rel.rsplit("/", 1)[0] + "/" if "/" in rel else BASE
        data = path.read_bytes()
        if path.suffix == ".json":
            feed = json.loads(data)
            assert not [e.message for e in checker.iter_errors(feed)], rel
            assert feed["language"] == lang, rel
            assert feed["feed_url"] == folder + "feed.json"
            ids = [item["id"] for item in feed["items"]]
        else:
            parsed = feedparser.parse(data)
            assert not parsed.bozo, f"{rel}: {parsed.get('bozo_exception')}"
            root = ET.fromstring(data)
            if path.name == "feed.xml":
                assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang, rel
                ids = [e.findtext(f"{ATOM}id") or "" for e in root.iter(f"{ATOM}entry")]
            else:
                assert (root.findtext("channel/language") or "").lower() == lang.lower(), rel
                ids = [i.findtext("guid") or "" for i in root.iter("item")]
        assert ids, f"{rel} has no entries"
        wrong = [i for i in ids if lang_of(i.removeprefix(BASE)) != lang]
        assert not wrong, f"{rel} ({lang}) carries {wrong}"
    for lang in LANGS:
        assert seen[lang] >= 9, f"{lang}: {seen[lang]} feeds (site, tags, sources: Atom, RSS, JSON)"
    ru = json.loads((built / "ru/feed.json").read_text(encoding="utf-8"))
    assert ru["title"] == "Мировая лента" and ru["home_page_url"] == BASE + "ru/"
    assert len(ru["items"]) == ARTICLES["ru"]


def test_sitemap_lists_every_language_with_alternates(built: Path) -> None:
    root = ET.parse(built / "sitemap.xml").getroot()
    entries = {}
    for url in root.iter(f"{SITEMAP}url"):
        loc = url.findtext(f"{SITEMAP}loc") or ""
        entries[loc] = {
            link.get("hreflang"): link.get("href")
            for link in url.findall(f"{XHTML}link")
            if link.get("rel") == "alternate"
        }
    for lang in LANGS:
        assert BASE + PREFIX[lang] in entries, f"{lang} home not in the sitemap"
        for rel in articles(built, lang):
            assert BASE + rel in entries, f"/{rel} not in the sitemap"
    en_eclipse = BASE + "2024/04/08/total-solar-eclipse-crosses-mexico-the-united-states-and-canada/"
    alts = entries[en_eclipse]
    assert {k for k in alts if k != "x-default"} == set(LANGS)
    for lang, href in alts.items():  # every version lists the same alternates
        assert entries[href] == alts, (lang, href)
    # the same alternates as the page's own hreflang links
    html = (built / en_eclipse.removeprefix(BASE) / "index.html").read_text(encoding="utf-8")
    assert alternates(html) == alts


def test_rebuild_is_byte_identical(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    run = run_digest("build", "-s", SITE, "-o", again, env=CLOCK)
    assert run.code == 0, run.err
    assert files_under(again) == files_under(built)


def _home_and_article(built: Path) -> list[str]:
    out = []
    for lang, p in PREFIX.items():
        out.append(p)
        out.append(sorted(articles(built, lang))[0])
    return out


@pytest.mark.skipif(not vnu_available(), reason="java or vnu.jar is not installed")
def test_every_page_is_valid_html(built: Path) -> None:
    files = [built / rel / "index.html" for rel, _ in pages(built) if not rel.endswith(".html")]
    assert len(files) > 100
    assert vnu_errors(files) == []


@pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_and_article_pages_are_accessible_in_every_language(built: Path, scheme: str) -> None:
    problems: dict[str, list[str]] = {}
    with (
        serve_directory(built, mount="/news/") as base,
        chromium_browser() as browser,
        new_page(browser) as page,
    ):
        for rel in _home_and_article(built):
            found = axe_violations(page, base + rel, scheme)
            if found:
                problems[rel or "/"] = found
    assert problems == {}


# the theme's words and dates in the page's language (helper B's catalogs, Babel's CLDR dates)
WORDS = {
    "en": ("Home", "Monday, 8 April 2024"),
    # CLDR puts a narrow no-break space (U+202F) before the Russian and Ukrainian year abbreviation
    "ru": ("Главная", "понедельник, 8 апреля 2024\u202fг."),
    "uk": ("Головна", "понеділок, 8 квітня 2024\u202fр."),
    "zh-CN": ("首页", "2024年4月8日星期一"),
    "ar": ("الرئيسية", "الاثنين، 8 أبريل 2024"),
}


def test_theme_words_and_dates_in_the_page_language(built: Path) -> None:
    for lang, (home, day) in WORDS.items():
        html = (built / PREFIX[lang] / "index.html").read_text(encoding="utf-8")
        assert f'aria-current="page">{home}</a>' in html, lang
        assert f'<time datetime="2024-04-08">{day}</time>' in html, lang
        if lang != "en":
            assert ">Home</a>" not in html and "Monday" not in html, lang


def test_the_language_switcher_speaks_the_page_language(built: Path) -> None:
    labels = {"en": "Languages", "ru": "Языки", "ar": "اللغات"}
    for lang, label in labels.items():
        html = (built / PREFIX[lang] / "index.html").read_text(encoding="utf-8")
        assert f'<nav class="site-nav language-nav" aria-label="{label}">' in html, lang
    orsk = next(a for a in articles(built, "ru") if "orske" in a)  # untranslated
    switcher = (built / orsk / "index.html").read_text(encoding="utf-8").split("language-nav", 1)[1]
    assert ": home" not in switcher.split("</nav>", 1)[0]


def test_check_finds_every_internal_link_of_every_language(tmp_path: Path) -> None:
    site = copy_site(SITE, tmp_path / "site")
    run = run_digest("check", "-s", site, env=CLOCK)
    assert run.code == 0, run.err
    assert "check passed: 20 articles" in run.out and "0 errors, 0 warnings" in run.out


def test_tags_and_outlets_by_their_names_in_each_language(built: Path) -> None:
    def title(rel: str) -> str:
        html = (built / rel / "index.html").read_text(encoding="utf-8")
        found = re.search(r'<h1 class="page-title">([^<]*)', html)
        assert found is not None, rel
        return found.group(1).strip()

    # one key (the URL) in every language, the name from tags.yaml / sources.yaml's names:
    assert title("tags/science/") == "science"
    assert title("ru/tags/science/") == "Наука" and title("zh-cn/tags/science/") == "科学"
    assert title("ar/tags/science/") == "علوم"
    assert title("zh-cn/sources/nasa/") == "美国国家航空航天局" and title("sources/nasa/") == "NASA"
    # an article names its outlet by its name in its language (source: الجزيرة)
    assert title("ar/sources/al-jazeera/") == "الجزيرة"
    assert title("uk/sources/ukrainska-pravda/") == "Українська правда"
    # a language without a name for a tag shows its key
    assert title("ru/tags/russia/") == "russia"
