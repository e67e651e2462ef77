"""`digest import` of real saved news pages (tests/fixtures/import/pages, from Mozilla
Readability's test pages, Apache-2.0) through the real CLI: from files, two in one command, and
over a local HTTP server on 127.0.0.1 in another charset; the outlet found through the
canonical URL and an "originally appeared" line, matched against the site's sources.yaml."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from conftest import run_digest
from generator.parse.frontmatter import split
from support.seeds import example_site

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "pages"
# the outlets the pages name, added to a copy of the example site's sources.yaml
OUTLETS = """
Business Insider:
  url: https://www.businessinsider.com
  domains: [businessinsider.com]
The Atlantic:
  url: https://www.theatlantic.com
  domains: [theatlantic.com]
CityLab:
  url: https://www.citylab.com
  domains: [citylab.com]
Le Monde:
  url: https://www.lemonde.fr
  aliases: [Le Monde.fr]
  domains: [lemonde.fr]
"""
MSN_DRAFT = "content/2016/nintendo-s-first-iphone-game-will-launch-in-december-for-10.md"
CITYLAB_DRAFT = "content/2019/the-modern-ambitions-behind-neon.md"
LEMONDE_DRAFT = "content/2015/le-projet-de-loi-sur-le-renseignement-massivement-approuve-a-l-assemblee.md"


def site_with_outlets(tmp_path: Path) -> Path:
    site = example_site(tmp_path)
    sources = site / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + OUTLETS, encoding="utf-8")
    return site


def draft(path: Path) -> tuple[dict[str, object], list[str]]:
    parts = split(path.read_text(encoding="utf-8"))
    return yaml.safe_load(parts.yaml_text), [p.strip() for p in parts.body.split("\n\n") if p.strip()]


def test_two_saved_pages_of_republishers_in_one_command(tmp_path: Path) -> None:
    site = site_with_outlets(tmp_path)
    result = run_digest("import", PAGES / "msn.html", PAGES / "citylab-1.html", "-s", site)
    assert result.code == 0, result.err
    assert result.out == f"{site / MSN_DRAFT}\n{site / CITYLAB_DRAFT}\n"
    # MSN's copy: the canonical URL is Business Insider's, so Business Insider is the source, and
    # the page's own address (og:url on msn.com) makes MSN, its og:site_name, the via
    fields, body = draft(site / MSN_DRAFT)
    assert fields == {"title": "Nintendo's first iPhone game will launch in December for $10",
                      "date": fields["date"], "source": "Business Insider", "via": "MSN",
                      "source_url": "http://www.businessinsider.com/super-mario-run-december-15-2016-11",
                      "author": "Alex Perry", "draft": True, "summary": ""}
    assert str(fields["date"]).startswith("2016-11-15 10:00:00+03:00")  # 07:00 UTC in Moscow time
    assert body[0].startswith("Nintendo and Apple shocked the world earlier this year")
    assert body[-1] == 'To see "Super Mario Run" in action, check out the footage below:'
    assert "  source: Business Insider  [canonical URL www.businessinsider.com" in result.err
    assert "  date: 2016-11-15T10:00:00+03:00  [<time datetime>]" in result.err
    assert "  via: MSN  [og:site_name (not in sources.yaml)]" in result.err
    # CityLab says the story first appeared in The Atlantic: that is the source, CityLab the via
    fields, body = draft(site / CITYLAB_DRAFT)
    assert (fields["source"], fields["via"], fields["author"]) == ("The Atlantic", "CityLab", "Sarah Archer")
    assert "  source: The Atlantic  ['originally appeared' line" in result.err
    assert body[-1].startswith("*This article originally appeared on [The Atlantic]")
    assert "Remembering Pittsburgh's Most Mesmerizing Sign" not in (site / CITYLAB_DRAFT).read_text()
    # the drafts are articles digest reads
    checked = run_digest("check", "--drafts", "-s", site)
    assert checked.code == 0, checked.err


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if not self.path.startswith("/pixels/"):
            self.send_response(404)
            self.end_headers()
            return
        # Le Monde's page (no charset of its own) sent in windows-1252, as the server says
        data = (PAGES / "lemonde-1.html").read_text(encoding="utf-8").encode("cp1252", "replace")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=windows-1252")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_news_page_by_url_in_the_charset_the_server_declares(tmp_path: Path, server: str) -> None:
    site = site_with_outlets(tmp_path)
    result = run_digest("import", f"{server}/pixels/loi.html?utm_source=twitter", "-s", site)
    assert result.code == 0, result.err
    assert result.out == f"{site / LEMONDE_DRAFT}\n"
    fields, body = draft(site / LEMONDE_DRAFT)
    assert fields["title"] == "Le projet de loi sur le renseignement massivement approuvé à l'Assemblée"
    assert fields["source"] == "Le Monde"  # the canonical URL's host, lemonde.fr
    assert fields["source_url"] == ("http://www.lemonde.fr/pixels/article/2015/05/04/que-contient-la-loi-"
                                    "sur-le-renseignement_4627068_4408996.html")
    assert fields["author"] == "Martin Untersinger (avec Damien Leloup et Morgane Tual)"
    assert fields["lang"] == "fr-FR"
    assert body[0].startswith("Les députés ont, sans surprise, adopté à une large majorité")
    assert "Édition Abonnés" not in "\n".join(body)


def test_a_saved_page_s_teasers_for_other_stories_stay_out_of_the_draft(tmp_path: Path) -> None:
    # Herald Sun's column ends with "Other Opinion Columns": five cards, each a kicker, a
    # headline linking to another column, its author and standfirst; none of it is the article
    site = example_site(tmp_path)
    result = run_digest("import", PAGES / "herald-sun-1.html", "-s", site, "--dry-run")
    assert result.code == 0, result.err
    body = result.out.split("\n---\n", 1)[1]
    assert body.rstrip().endswith("**LAURIE OAKES IS THE NINE NETWORK POLITICAL EDITOR**")
    assert "Memories of the grief Conroy brought down on his head" in body
    for teaser in ("Other Opinion Columns", "Editorial", "Doctor knows best, not Starbeam Fantapants",
                   "JOE HILDEBRAND", "It seems we’re being swamped by a wave of stupidity",
                   "Let’s make local issues a priority"):
        assert teaser not in body, teaser


def test_an_article_inside_a_stream_of_other_stories_comes_out_alone(tmp_path: Path) -> None:
    # Yahoo News (Readability's yahoo-2): an AP story inside a stream of other stories'
    # openings. trafilatura's default reading takes the whole stream, its favor_recall reading
    # the story alone; the first holds the second whole, so the second is the article
    # (ingest/choice.py)
    site = example_site(tmp_path)
    # (the page names no outlet; the example's sources.yaml has no Yahoo)
    result = run_digest("import", PAGES / "yahoo-2.html", "-s", site, "--source", "Mirror", "--dry-run")
    assert result.code == 0, result.err
    body = result.out.split("\n---\n", 1)[1]
    assert "The unmanned Russian cargo space ship Progress MS-04 broke up in the atmosphere" in body
    assert body.rstrip().endswith("Vladimir Isachenkov in Moscow contributed to this report.")
    for other in ("Tom Ford", "Steven Mnuchin", "Betsy DeVos", "#RealFoodSunday", "life support"):
        assert other not in body, other


def test_a_paragraph_after_the_article_that_its_articlebody_does_not_hold_is_left_out(tmp_path: Path) -> None:
    # a page whose JSON-LD articleBody is the article's four paragraphs, followed by a paragraph
    # about something else that trafilatura keeps (written for this test)
    site = example_site(tmp_path)
    result = run_digest("import", PAGES.parent / "articlebody-tail.html", "-s", site, "--source", "Mirror",
                        "--dry-run")
    assert result.code == 0, result.err
    body = result.out.split("\n---\n", 1)[1]
    assert body.rstrip().endswith("several thanked the crew as they stepped off at the town quay.")
    assert "The old harbour ferry carried its first passengers" in body
    assert "lighthouse keepers" not in body


def test_links_and_labels_after_the_article_s_last_paragraph_are_left_out(tmp_path: Path) -> None:
    # "Continue reading the main story" and a line of tag links after the last paragraph
    # (written for this test); a closing sentence with a link in it stays (the CityLab page's
    # "This article originally appeared on The Atlantic", tests/unit/ingest/test_html_pages.py)
    site = example_site(tmp_path)
    result = run_digest("import", PAGES.parent / "link-tail.html", "-s", site, "--source", "Mirror", "--dry-run")
    assert result.code == 0, result.err
    body = result.out.split("\n---\n", 1)[1]
    assert body.rstrip().endswith("for the first time in a decade, should stay dry.")
    assert "Continue reading" not in body
    assert "Village life" not in body


def test_links_to_other_stories_under_a_label_inside_the_article_are_left_out(tmp_path: Path) -> None:
    # "More from the Valley Post:" and two headline links between the article's paragraphs
    # (written for this test), which trafilatura keeps
    site = example_site(tmp_path)
    result = run_digest("import", PAGES.parent / "link-list.html", "-s", site, "--source", "Mirror", "--dry-run")
    assert result.code == 0, result.err
    body = [p.strip() for p in result.out.split("\n---\n", 1)[1].split("\n\n") if p.strip()]
    assert len(body) == 4
    assert body[2].startswith("The company said that the summer timetable would return at Easter")
    assert body[-1].endswith("before the end of the year.")


def test_an_article_only_in_the_page_s_articlebody_becomes_the_draft_s_body(tmp_path: Path) -> None:
    # a page whose markup holds only the headline, a standfirst and a caption (its script writes
    # the story), the story itself in the JSON-LD articleBody (written for this test)
    site = example_site(tmp_path)
    result = run_digest("import", PAGES.parent / "articlebody-only.html", "-s", site, "--source", "Mirror",
                        "--dry-run")
    assert result.code == 0, result.err
    body = [p.strip() for p in result.out.split("\n---\n", 1)[1].split("\n\n") if p.strip()]
    assert len(body) == 5
    assert body[0].startswith("The old harbour ferry carried its first passengers of the year")
    assert body[-1].endswith("several thanked the crew as they stepped off at the town quay.")


def test_a_japanese_story_is_not_taken_for_a_stub_and_a_chinese_stub_is(tmp_path: Path) -> None:
    """yahoo-4.html, a CNET Japan story on Yahoo!ニュース: about 1,000 characters of Japanese,
    which `\\w+` runs counted as 103 words, a "paywall stub" warning on every such page. Each
    Chinese or Japanese character now counts apart, at its own reading speed."""
    site = example_site(tmp_path)
    result = run_digest("import", PAGES / "yahoo-4.html", "-s", site, "--source", "Mirror", "--dry-run")
    assert result.code == 0, result.err
    assert "warning" in result.err and "paywall stub" not in result.err
    stub = tmp_path / "stub.txt"
    stub.write_text("轮渡罢工结束\n\n周五，轮渡罢工结束。\n\n订阅以阅读更多内容。\n", encoding="utf-8")
    result = run_digest("import", stub, "-s", site, "--source", "Mirror", "--dry-run")
    assert result.code == 0, result.err
    assert re.search(r"the body has only \d\d? characters: a paywall stub or a teaser\?", result.err), result.err


def test_chinese_pages_that_say_gb2312_and_are_written_in_gbk(tmp_path: Path) -> None:
    """Two real pages of 2005 whose <meta> says gb2312 and which, like most pages that say so,
    hold characters only GBK has: Sohu Business's was refused ("not UTF-8 text") and Yahoo!
    China's came out in Cyrillic letters (charset_normalizer's guess, "гщРжШІЪмКкЩчЛсПижЦЃП").
    Browsers read such a page as GBK, and so does digest import now."""
    site = site_with_outlets(tmp_path)
    pages = (PAGES / "sohu-gbk.html", PAGES / "yahoo-cn-gbk.html")
    result = run_digest("import", *pages, "-s", site, "--source", "Mirror", "--dry-run")
    assert result.code == 0, result.err
    assert "title: 工商部门初定SKII广告属于虚假宣传  [h1]" in result.err
    assert "“我们感到不可理解。”对这个初步认定，宝洁集团公关总监裴逸群显得颇为惊讶" in result.out
    # the page is laid out in a table, its paragraphs in one cell: they stay paragraphs
    assert "\n\n**宝洁自曝“实验秘密”**\n\n3月8日，南昌工商局“暂扣”了" in result.out
    assert "title: 娱乐圈受黑社会控制？ 明星挨打事件回顾(图)  [<title>]" in result.err
    assert re.search(r"date: 2005-04-27T00:00:00[+-]\d\d:\d\d  \[htmldate\]", result.err)
    assert "2005年4月18日吴宗宪进棚录像，凌晨收班后" in result.out
    assert "not UTF-8" not in result.err and "\ufffd" not in result.out
