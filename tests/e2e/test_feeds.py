"""Every feed of the fixture site parses cleanly and follows the rules feedparser does not check,
whatever digest.yaml's `feeds:` says (summary or full tag and source feeds, none, one format)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import jsonschema
import pytest

from conftest import FIXTURES, GOLDEN_SITE, copy_site, run_digest

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$")
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
BASE = "https://example.org/news/"


# feeds: settings -> the formats' files they write (the golden site itself has no feeds:)
SETTINGS = {
    "default": ("", ("feed.xml", "rss.xml", "feed.json")),
    "full": ("feeds: {lists: full}\n", ("feed.xml", "rss.xml", "feed.json")),
    "none": ("feeds: {lists: none}\n", ("feed.xml", "rss.xml", "feed.json")),
    "rss": ("feeds:\n  formats: [rss]\n", ("rss.xml",)),
    "json": ("feeds: {formats: [json], lists: full}\n", ("feed.json",)),
}


@pytest.fixture(scope="module", params=list(SETTINGS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, golden_build: Path) -> Path:
    """The golden site built with each feeds: setting (the default is the golden build)."""
    extra, _ = SETTINGS[request.param]
    if not extra:
        return golden_build
    site = copy_site(GOLDEN_SITE, tmp_path_factory.mktemp(f"feeds-{request.param}") / "s")
    config = site / "digest.yaml"
    config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")
    out = site / "out"
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    return out


def _feeds(root: Path, name: str) -> list[Path]:
    """The feeds of one format in a build: the site's, its tags' and sources' (unless
    feeds.lists is none), the editions' when it is the first format; none when not written."""
    found = sorted(root.rglob(name))
    config = (root.parent / "digest.yaml").read_text() if root.name == "out" else ""
    written = next((files for extra, files in SETTINGS.values() if extra and extra in config), SETTINGS["default"][1])
    if name not in written:
        assert not found, f"{name} written, though feeds.formats leaves it out"
    elif "lists: none" in config:
        assert found and all(p.parent.name in ("out", "editions") for p in found), found
    else:
        assert len(found) >= 3, f"expected site, tag and source {name} files"
    return found


def _url_of(root: Path, path: Path) -> str:
    rel = path.parent.relative_to(root).as_posix()
    return BASE + (rel + "/" if rel != "." else "")


def test_every_feed_parses_without_bozo(built: Path) -> None:
    # feedparser 6.0 reads Atom and RSS; JSON Feed is checked against its schema below
    for name in ("feed.xml", "rss.xml"):
        for path in _feeds(built, name):
            parsed = feedparser.parse(path.read_bytes())
            assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
            assert parsed.entries, f"{path} has no entries"


def test_site_feeds_exist_for_every_tag_and_source(golden_build: Path) -> None:
    for index in ("tags", "sources"):
        for folder in (golden_build / index).iterdir():
            if folder.is_dir():
                for name in ("feed.xml", "rss.xml", "feed.json"):
                    assert (folder / name).is_file(), f"{folder}/{name} missing"


def test_atom_rules(built: Path) -> None:
    for path in _feeds(built, "feed.xml"):
        root = ET.fromstring(path.read_bytes())
        page = _url_of(built, path)
        assert root.findtext(f"{ATOM}id") == page + "feed.xml"
        assert RFC3339.match(root.findtext(f"{ATOM}updated") or "")
        assert root.find(f"{ATOM}author/{ATOM}name") is not None
        self_links = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert [link.get("href") for link in self_links] == [page + "feed.xml"]
        for entry in root.findall(f"{ATOM}entry"):
            entry_id = entry.findtext(f"{ATOM}id") or ""
            assert entry_id.startswith(BASE) and entry_id.endswith("/")
            assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
            assert RFC3339.match(entry.findtext(f"{ATOM}published") or "")
            assert entry.find(f"{ATOM}author/{ATOM}name") is not None
            _assert_absolute_urls(entry.findtext(f"{ATOM}content") or "", path)


def test_rss_rules(built: Path) -> None:
    for path in _feeds(built, "rss.xml"):
        root = ET.fromstring(path.read_bytes())
        channel = root.find("channel")
        assert channel is not None
        self_link = channel.find(f"{ATOM}link")
        assert self_link is not None and self_link.get("rel") == "self"
        assert self_link.get("href") == _url_of(built, path) + "rss.xml"
        for item in channel.findall("item"):
            pub = item.findtext("pubDate") or ""
            assert RFC822.match(pub), pub
            assert parsedate_to_datetime(pub).tzinfo is not None
            guid = item.find("guid")
            assert guid is not None and guid.get("isPermaLink") == "true"
            assert guid.text == item.findtext("link")
            _assert_absolute_urls(item.findtext("description") or "", path)


def test_json_feed_matches_schema(built: Path) -> None:
    schema = json.loads((FIXTURES / "jsonfeed-1.1.schema.json").read_text())
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in _feeds(built, "feed.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        errors = [e.message for e in checker.iter_errors(data)]
        assert not errors, f"{path}: {errors}"
        assert data["feed_url"] == _url_of(built, path) + "feed.json"
        for item in data["items"]:
            _assert_absolute_urls(item["content_html"], path)


def test_item_ids_are_stable_across_feeds(golden_build: Path) -> None:
    atom_ids = {
        e.findtext(f"{ATOM}id") for e in ET.parse(golden_build / "feed.xml").getroot().iter(f"{ATOM}entry")
    }
    rss_ids = {i.findtext("guid") for i in ET.parse(golden_build / "rss.xml").getroot().iter("item")}
    json_ids = {i["id"] for i in json.loads((golden_build / "feed.json").read_text())["items"]}
    assert atom_ids == rss_ids == json_ids
    assert len(atom_ids) == 4


def test_feed_content_links_point_at_the_other_article(golden_build: Path) -> None:
    data = json.loads((golden_build / "feed.json").read_text())
    item = next(i for i in data["items"] if "soldier" in i["title"])
    assert (
        f'href="{BASE}2022/05/26/putin-faces-dissent-as-national-guardsmen-challenge-order-to-fight/#lawsuit"'
        in item["content_html"]
    )
    assert f'href="{BASE}tags/dissent/"' in item["content_html"]


def _assert_absolute_urls(html: str, where: Path) -> None:
    for url in re.findall(r'(?:href|src)="([^"]*)"', html):
        if url.startswith("#"):
            continue
        assert re.match(r"^(https?:|mailto:)", url), f"{where}: relative URL {url!r} in feed content"


@pytest.mark.parametrize("name", ["feed.xml", "rss.xml"])
def test_control_characters_never_reach_xml(tmp_path: Path, name: str) -> None:
    from conftest import run_digest

    site = tmp_path / "s"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    (site / "content" / "a.md").write_text(
        '---\ntitle: "Bell\\a and </title> & <b>"\ndate: 2022-01-01\nsource: X\n---\nText\x0b here.\n',
        encoding="utf-8",
    )
    assert run_digest("build", "-s", site).code == 0
    data = (site / "site" / name).read_bytes()
    ET.fromstring(data)  # raises on invalid XML
    assert not feedparser.parse(data).bozo
    assert b"\x07" not in data and b"\x0b" not in data
