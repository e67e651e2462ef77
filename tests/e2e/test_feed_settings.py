"""digest.yaml's `feeds:` through the real CLI: what tag and source feeds carry (`lists`), which
formats are written and linked (`formats`), switching settings on a rebuild, and its errors."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import GOLDEN_SITE, copy_site, files_under, run_digest

ATOM = "{http://www.w3.org/2005/Atom}"
BODY = "A garrison court convicted the soldier"  # the dissent article's body, not its summary
SUMMARY = "ten days"  # in its summary


def _golden(tmp_path: Path, feeds: str) -> Path:
    site = copy_site(GOLDEN_SITE, tmp_path / "s")
    config = site / "digest.yaml"
    config.write_text(config.read_text(encoding="utf-8") + feeds, encoding="utf-8")
    return site


def _build(site: Path) -> Path:
    result = run_digest("build", "-s", site, "-o", site / "out")
    assert result.code == 0, result.err
    return site / "out"


def _term_feed_texts(out: Path) -> dict[str, str]:
    return {
        rel: data.decode("utf-8")
        for rel, data in files_under(out).items()
        if re.fullmatch(r"(tags|sources)/[^/]+/(feed\.xml|rss\.xml|feed\.json)", rel)
    }


def _alternates(html: str) -> list[str]:
    return re.findall(r'<link rel="alternate" type="[^"]+" title="[^"]*" href="([^"]+)">', html)


def test_tag_and_source_feeds_carry_summaries_by_default(golden_build: Path) -> None:
    feeds = _term_feed_texts(golden_build)
    dissent = {rel: text for rel, text in feeds.items() if rel.startswith("tags/dissent/")}
    assert sorted(dissent) == ["tags/dissent/feed.json", "tags/dissent/feed.xml", "tags/dissent/rss.xml"]
    for rel, text in feeds.items():
        assert BODY not in text, rel
    for text in dissent.values():
        assert SUMMARY in text
    atom = ET.fromstring(dissent["tags/dissent/feed.xml"])
    entries = atom.findall(f"{ATOM}entry")
    assert entries and all(e.find(f"{ATOM}content") is None for e in entries)
    assert all(e.find(f"{ATOM}summary") is not None and e.find(f"{ATOM}link") is not None for e in entries)
    items = json.loads(dissent["tags/dissent/feed.json"])["items"]
    assert all(SUMMARY in i["content_html"] for i in items if "soldier" in i["title"])
    # the site's own feed and the editions feed keep the full text
    for rel in ("feed.xml", "rss.xml", "feed.json", "editions/feed.xml"):
        assert BODY in (golden_build / rel).read_text(encoding="utf-8"), rel


def test_lists_full_carries_the_whole_text(tmp_path: Path) -> None:
    out = _build(_golden(tmp_path, "feeds: {lists: full}\n"))
    for name in ("feed.xml", "rss.xml", "feed.json"):
        assert BODY in (out / "tags/dissent" / name).read_text(encoding="utf-8"), name


def test_lists_none_writes_no_tag_or_source_feeds_and_links_none(tmp_path: Path) -> None:
    out = _build(_golden(tmp_path, "feeds:\n  lists: none\n"))
    assert _term_feed_texts(out) == {}
    assert not (out / "sources.opml").exists()
    for folder in ("tags/dissent", "sources/mirror"):
        html = (out / folder / "index.html").read_text(encoding="utf-8")
        assert _alternates(html) == [], folder
        assert "Subscribe to this" not in html and 'class="feeds"' not in html
    assert "OPML" not in (out / "sources/index.html").read_text(encoding="utf-8")
    # the rest of the site links the site's feeds as before
    home = (out / "index.html").read_text(encoding="utf-8")
    assert _alternates(home) == ["/news/feed.xml", "/news/rss.xml", "/news/feed.json"]
    assert (out / "feed.xml").is_file() and (out / "editions/feed.xml").is_file()
    # nothing on any page points at a feed that is not there
    written = {"/news/" + rel for rel in files_under(out)}
    for rel, data in files_under(out).items():
        if rel.endswith(".html"):
            for url in re.findall(r'href="(/news/[^"]*(?:feed\.xml|rss\.xml|feed\.json))"', data.decode()):
                assert url in written, f"{rel} links {url}"


def test_formats_rss_writes_and_links_only_rss(tmp_path: Path) -> None:
    out = _build(_golden(tmp_path, "feeds:\n  formats: [rss]\n"))
    files = files_under(out)
    assert not [rel for rel in files if rel.endswith(("feed.xml", "feed.json"))]
    assert {"rss.xml", "tags/dissent/rss.xml", "sources/mirror/rss.xml", "editions/rss.xml"} <= set(files)
    for rel, data in files.items():
        text = data.decode("utf-8", "replace")
        assert "feed.xml" not in text and "feed.json" not in text, rel
    tag = (out / "tags/dissent/index.html").read_text(encoding="utf-8")
    assert _alternates(tag) == ["/news/tags/dissent/rss.xml"]
    assert 'href="/news/tags/dissent/rss.xml">Subscribe to this tag' in tag
    editions = (out / "editions/index.html").read_text(encoding="utf-8")
    assert _alternates(editions) == ["/news/rss.xml", "/news/editions/rss.xml"]
    assert '<a href="/news/editions/rss.xml" type="application/rss+xml">editions feed</a>' in editions
    assert 'href="/news/editions/rss.xml">Editions (RSS)</a>' in editions  # the footer
    email = (out / "editions/latest/email.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/news/editions/rss.xml"' in email
    opml = ET.fromstring(files["sources.opml"])
    urls = [o.get("xmlUrl") for o in opml.iter("outline")]
    assert urls and all(u and u.endswith("/rss.xml") for u in urls)
    # the editions feed in RSS carries each edition's full text
    assert BODY in files["editions/rss.xml"].decode("utf-8")


def test_formats_json_points_opml_and_feed_urls_at_json_feeds(tmp_path: Path) -> None:
    out = _build(_golden(tmp_path, "feeds: {formats: [json, atom]}\n"))  # written in one order
    tag = (out / "tags/dissent/index.html").read_text(encoding="utf-8")
    assert _alternates(tag) == ["/news/tags/dissent/feed.xml", "/news/tags/dissent/feed.json"]
    assert not list(out.rglob("rss.xml"))
    opml = ET.fromstring((out / "sources.opml").read_bytes())
    assert all((o.get("xmlUrl") or "").endswith("/feed.xml") for o in opml.iter("outline"))
    data = json.loads((out / "sources/mirror/feed.json").read_text(encoding="utf-8"))
    assert data["feed_url"] == "https://example.org/news/sources/mirror/feed.json"


def test_changing_the_setting_removes_the_feeds_no_longer_written(tmp_path: Path) -> None:
    site = _golden(tmp_path, "")
    out = _build(site)
    assert (out / "tags/dissent/feed.json").is_file()
    config = site / "digest.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "feeds: {lists: none}\n", encoding="utf-8")
    _build(site)
    assert _term_feed_texts(out) == {} and not (out / "sources.opml").exists()
    assert _alternates((out / "tags/dissent/index.html").read_text(encoding="utf-8")) == []
    # and back: the same bytes as a clean build, and a no-op rebuild writes nothing
    config.write_text(config.read_text(encoding="utf-8").replace("feeds: {lists: none}\n", ""), encoding="utf-8")
    _build(site)
    clean = _build(copy_site(site, tmp_path / "clean"))
    assert files_under(out) == files_under(clean)
    again = run_digest("build", "-s", site, "-o", out)
    assert again.code == 0 and again.report is not None and again.report["written"] == 0


@pytest.mark.parametrize(
    ("feeds", "expected"),
    [
        (
            "feeds: {list: full}\n",
            ["digest.yaml:9: error: unknown key 'feeds.list' (did you mean 'lists'?)"],
        ),
        (
            "feeds:\n  lists: some\n",
            ["digest.yaml:10: error: 'feeds.lists' must be summary, full or none, not 'some'"],
        ),
        (
            "feeds:\n  formats:\n    - atom\n    - rdf\n    - atom\n",
            [
                "digest.yaml:12: error: 'rdf' is not a feed format: one of atom, rss, json",
                "digest.yaml:13: error: feed format 'atom' is listed twice",
            ],
        ),
        (
            "feeds: {formats: [jsonfeed]}\n",
            ["digest.yaml:9: error: 'jsonfeed' is not a feed format: one of atom, rss, json (did you mean 'json'?)"],
        ),
        (
            "feeds:\n  formats: []\n",
            ["digest.yaml:10: error: 'feeds.formats' must name at least one feed format (atom, rss, json)"],
        ),
        (
            "feeds:\n  formats: rss\n",
            ["digest.yaml:10: error: 'feeds.formats' must be a list of feed formats, such as [atom, rss, json]"],
        ),
        (
            "feeds: summary\n",
            [
                "digest.yaml:9: error: 'feeds' must be a mapping such as "
                "{lists: summary, formats: [atom, rss, json]}"
            ],
        ),
    ],
)
def test_feeds_errors_are_located(tmp_path: Path, feeds: str, expected: list[str]) -> None:
    site = _golden(tmp_path, feeds)  # the golden digest.yaml has 8 lines
    result = run_digest("build", "-s", site, "-o", site / "out")
    assert result.code == 2, result.err
    assert [line for line in result.err.splitlines() if ": error: " in line] == expected
    assert "Traceback" not in result.err
    assert not (site / "out").exists()


def test_a_body_edit_leaves_summary_feeds_untouched_on_disk(tmp_path: Path) -> None:
    site = _golden(tmp_path, "")
    out = _build(site)
    term = [out / "tags/dissent" / n for n in ("feed.xml", "rss.xml", "feed.json")]
    before = {p: p.stat().st_mtime_ns for p in [*term, out / "feed.xml"]}
    article = site / "content/world/soldier-jailed.md"
    article.write_text(article.read_text(encoding="utf-8").replace(BODY, BODY + " again"), encoding="utf-8")
    _build(site)
    # the tag's feeds carry the summary, which did not change: their bytes are not rewritten
    assert all(p.stat().st_mtime_ns == before[p] for p in term)
    assert "again" in (out / "feed.xml").read_text(encoding="utf-8")  # the site's feed: full text
    assert (out / "feed.xml").stat().st_mtime_ns != before[out / "feed.xml"]


MULTILINGUAL = GOLDEN_SITE.parent / "multilingual"
LANG_DIRS = ("", "ru/", "uk/", "zh-cn/", "ar/")  # the fixture's languages' folders
MULTILINGUAL_CLOCK = {"SOURCE_DATE_EPOCH": "1713052800"}  # after its last article


def _multilingual(tmp_path: Path, feeds: str) -> Path:
    site = copy_site(MULTILINGUAL, tmp_path / "m")
    config = site / "digest.yaml"
    config.write_text(config.read_text(encoding="utf-8") + feeds, encoding="utf-8")
    result = run_digest("build", "-s", site, "-o", site / "out", env=MULTILINGUAL_CLOCK)
    assert result.code == 0, result.err
    return site / "out"


def test_every_language_follows_the_feeds_settings(tmp_path: Path) -> None:
    """A multilingual site: each language's own feeds and pages follow `feeds:`."""
    out = _multilingual(tmp_path, "feeds: {lists: none, formats: [rss, json]}\n")
    files = files_under(out)
    assert not [rel for rel in files if re.search(r"(^|/)(tags|sources)/[^/]+/(feed\.xml|rss\.xml|feed\.json)$", rel)]
    assert not [rel for rel in files if rel.endswith(("feed.xml", "sources.opml"))]
    for lang in LANG_DIRS:
        assert lang + "rss.xml" in files and lang + "feed.json" in files, lang
        home = files[lang + "index.html"].decode("utf-8")
        assert f'href="/news/{lang}rss.xml"' in home and f"/news/{lang}feed.xml" not in home
        tags = [rel for rel in files if re.fullmatch(re.escape(lang) + r"tags/[^/]+/index\.html", rel)]
        assert tags, lang
        assert all(b'class="feed-link"' not in files[rel] for rel in tags), lang


def test_every_languages_tag_feeds_carry_summaries_or_full_text(tmp_path: Path) -> None:
    summary = _term_feed_sizes(_multilingual(tmp_path / "s", ""))
    full = _term_feed_sizes(_multilingual(tmp_path / "f", "feeds: {lists: full}\n"))
    assert summary.keys() == full.keys()
    for lang in LANG_DIRS:  # each language's term feeds: the full text is longer somewhere
        mine = [rel for rel in summary if rel.startswith(lang + "tags/")]
        assert mine, lang
        assert all(summary[rel] <= full[rel] for rel in mine), lang
        assert any(summary[rel] < full[rel] for rel in mine), lang


def _term_feed_sizes(out: Path) -> dict[str, int]:
    return {
        rel: len(data)
        for rel, data in files_under(out).items()
        if re.search(r"(^|/)(tags|sources)/[^/]+/feed\.xml$", rel)
    }
