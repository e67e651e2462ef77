"""The head of pasted text, the outlet and via decision, and the coverage measures, on lines
made to probe each rule (the seeds' whole path is tested through the CLI in tests/e2e)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from generator.index.suggest import Text, counts_of
from generator.ingest.clutter import vocabulary
from generator.ingest.coverage import Existing, SiteArticles, check, normalise_url, same_text, shingles
from generator.ingest.model import Found
from generator.ingest.outlet import decide
from generator.ingest.plaintext import extract_text
from generator.read.sources import Outlet, Registry

VOCAB = vocabulary()
REGISTRY = Registry(True, (
    Outlet("Mirror", aliases=("Daily Mirror",), domains=("mirror.co.uk",)),
    Outlet("Zimbabwe News", aliases=("Zimbabwe News and Internet Radio",), domains=("zimbabwenews.net",)),
))
PROSE = ("The ferry operator and the union met again on Tuesday without an agreement, and the crossings "
         "stayed suspended while hauliers queued at the port.")


DECK = ("Hauliers queued at the port for a second night as the operator and the union failed again to agree "
        "on pay, and the islands ran short of bread")


def test_headline_masthead_standfirst_and_byline() -> None:
    text = "\n\n".join(["Coastal Herald", "Ferry strike halts crossings for a second day", DECK,
                        "By Ann Example and Bo Roe | Daily Mirror | 10:42, 3 Dec 2026", PROSE])
    found = extract_text(text, VOCAB)
    fields = {k: v.value for k, v in found.fields.items()}
    assert fields == {"author": "Ann Example and Bo Roe", "outlet": "Daily Mirror", "masthead": "Coastal Herald",
                      "title": "Ferry strike halts crossings for a second day", "standfirst": DECK}
    assert found.body.split("\n\n") == [DECK, PROSE]
    assert "date" not in fields  # a time in the byline is never the date


def test_a_whole_page_copied_starts_at_the_head_of_the_prose() -> None:
    navigation = ["Home", "World news", "Politics Business Sport Culture Science Travel Weather",
                  "Most popular stories from around the world today, chosen by our readers and editors",
                  "Trending", "Latest"]
    text = "\n\n".join([*navigation, "Europe", "Ferry strike halts crossings for a second day",
                        "By Ann Example", "3 Dec 2026", PROSE, PROSE.replace("Tuesday", "Wednesday"),
                        "Ferry strike halts crossings for a second day"])
    found = extract_text(text, VOCAB)
    assert found.fields["title"].value == "Ferry strike halts crossings for a second day"
    assert found.fields["author"].value == "Ann Example"
    assert found.body.split("\n\n") == [PROSE, PROSE.replace("Tuesday", "Wednesday")]


def test_no_headline_above_prose_leaves_the_title_to_the_command() -> None:
    found = extract_text(PROSE + "\n\n" + PROSE, VOCAB)
    assert "title" not in found.fields and found.body == PROSE + "\n\n" + PROSE


def test_a_registered_masthead_is_one_even_alone() -> None:
    found = extract_text("Zimbabwe News and Internet Radio\n\nFerry strike ends\n\n" + PROSE, VOCAB,
                         REGISTRY.names())
    assert found.fields["masthead"].value == "Zimbabwe News and Internet Radio"
    assert found.fields["title"].value == "Ferry strike ends"


def test_the_writer_is_source_and_the_page_site_via() -> None:
    fields = {"masthead": Found("Zimbabwe News and Internet Radio", "masthead"), "outlet": Found("The Mirror", "byline")}
    # "The Mirror" is not registered: kept as written, said so
    chosen = decide(fields, REGISTRY)
    assert chosen.source == Found("The Mirror", "byline (not in sources.yaml)")
    assert chosen.via is not None and chosen.via.value == "Zimbabwe News"
    fields["outlet"] = Found("Daily Mirror", "byline")
    fields["url"] = Found("https://www.zimbabwenews.net/2022/05/x", "canonical")
    chosen = decide(fields, REGISTRY)
    assert chosen.source is not None and chosen.source.value == "Mirror"
    assert chosen.via is not None and chosen.via.origin.startswith("canonical URL www.zimbabwenews.net")
    # the writer's own site: no via
    same = decide({"url": Found("https://mirror.co.uk/x", "canonical"), "outlet": Found("Mirror", "byline")},
                  REGISTRY)
    assert same.source is not None and same.source.value == "Mirror" and same.via is None
    # an unregistered masthead is not trusted as the site (it may be a section name)
    assert decide({"masthead": Found("World news", "masthead")}, REGISTRY).source is None


def test_urls_are_normalised() -> None:
    a = normalise_url("HTTP://WWW.Mirror.co.uk:80/news/x/?utm_source=tw&id=3#comments")
    assert a == normalise_url("https://mirror.co.uk/news/x?id=3") == "https://mirror.co.uk/news/x?id=3"
    assert normalise_url("https://mirror.co.uk/news/x?id=4") != a


def test_nearly_the_same_text_and_not() -> None:
    words = " ".join(f"word{n}" for n in range(200))
    assert same_text(shingles(words), shingles("Another headline. " + words + " Read more."))
    assert not same_text(shingles(words), shingles(" ".join(f"word{n}" for n in range(150, 400))))
    assert not same_text(shingles("a b c d e f"), shingles("a b c d e f g"))  # tiny: only equal


def test_check_names_the_page_the_text_and_the_story() -> None:
    def existing(path: str, url: str, story: str, body: str) -> Existing:
        text = Text(path, "", body)
        return Existing(path, normalise_url(url) if url else "", story, counts_of(text), shingles(body))

    ferry = "ferry strike crossings islands union operator harbour hauliers port " * 5
    site = SiteArticles([existing("content/a.md", "https://x.org/a", "", "Unrelated words about a goat."),
                         existing("content/b.md", "", "ferry-strike", ferry)])
    new = Text("Ferry strike", "", "The ferry strike and the union: crossings to the islands halted.")
    report = check(site, "http://x.org/a/?fbclid=1", new)
    assert report.same_page == ["content/a.md"] and report.same_text == []
    assert [(p, s) for p, _, s in report.related] == [("content/b.md", "ferry-strike")]
    assert report.story == "ferry-strike"


PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "import" / "pages"


def _select_all(name: str) -> str:
    """A whole real page as "select all, copy" gives it: the text of its paragraphs, headings,
    list items and captions, navigation and footer included (the pages: tests/fixtures/import/pages)."""
    doc = lxml.html.fromstring((PAGES / f"{name}.html").read_bytes())
    for node in doc.xpath("//script|//style|//noscript"):
        node.drop_tree()
    blocks = [" ".join(el.text_content().split()) for el in doc.iter("p", "h1", "h2", "h3", "li", "figcaption")]
    return "\n\n".join(b for b in blocks if b)


@pytest.mark.parametrize(("name", "title", "first"), [
    ("schema-org-context-object", "South Korean president’s impeachment fails after ruling party lawmakers walk out",
     "SEOUL, South Korea — A plan to impeach South Korean President Yoon Suk Yeol"),
    ("msn", "Nintendo's first iPhone game will launch in December for $10",
     "Nintendo and Apple shocked the world"),  # after a photo credit run into the paragraph
    ("aktualne", "West Ham hrozí gigantům, okouzlil i Linekera. Součka je snadné přehlédnout",
     "Pět vítězných soutěžních duelů v řadě"),
])
def test_a_real_page_copied_whole(name: str, title: str, first: str) -> None:
    found = extract_text(_select_all(name), VOCAB)
    assert found.fields["title"].value == title
    assert first in found.body.split("\n\n")[0]  # the navigation above is gone


def test_a_page_whose_own_address_is_on_another_host_than_its_canonical_url_is_a_republication() -> None:
    from generator.ingest.model import Found
    from generator.ingest.outlet import decide
    from generator.read.sources import Registry

    fields = {
        "url": Found("https://www.businessinsider.com/story", "link rel=canonical"),
        "page_url": Found("https://www.msn.com/en-us/news/story", "og:url"),
        "site_name": Found("MSN", "og:site_name"),
    }
    outlets = decide(fields, Registry(exists=False))
    assert outlets.source == Found("businessinsider.com", "canonical URL host (not in sources.yaml)")
    assert outlets.via == Found("MSN", "og:site_name (not in sources.yaml)")
    # the same host (www. aside) is the page itself, not a republication
    fields["page_url"] = Found("https://businessinsider.com/story", "og:url")
    fields["site_name"] = Found("https://www.businessinsider.com", "og:site_name")
    assert decide(fields, Registry(exists=False)) == type(outlets)(
        Found("businessinsider.com", "og:site_name (not in sources.yaml)"), None
    )
