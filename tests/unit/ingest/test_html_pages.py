"""The HTML path (ingest/html.py) on real saved news pages by others (tests/fixtures/import/pages,
from Mozilla Readability's test pages, Apache-2.0; see the README there): the fields each page's
markup gives, with where they came from, the body's first and last paragraphs, and the page's
navigation, related stories and footer left out."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from generator.ingest.clutter import vocabulary
from generator.ingest.html import extract_html

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "import" / "pages"
# where Readability's test harness says the pages were read from
PAGE_URL = "http://fakehost/test/page.html"


class Page(NamedTuple):
    fields: dict[str, tuple[str, str]]  # key: (value, origin)
    first: str  # the start of the body's first paragraph
    last: str  # the end of its last paragraph
    clutter: tuple[str, ...]  # the page's navigation, teasers, footer: never in the body


CASES = {
    # an opinion column followed by "Other Opinion Columns": five teaser cards (a kicker, a
    # headline link, an author, a standfirst) that trafilatura keeps as text (ingest/blocks.py)
    "herald-sun-1": Page(
        {"title": ("Angry media won’t buckle over new surveillance laws", "og:title"),
         "author": ("Laurie Oakes", "article:author"),
         "url": ("http://www.heraldsun.com.au/news/opinion/angry-media-wont-buckle-over-new-surveillance-laws/"
                 "story-fni0fha6-1227261886014", "link rel=canonical")},
        "**A HIGH-powered federal government team has been doing the rounds",
        "**LAURIE OAKES IS THE NINE NETWORK POLITICAL EDITOR**",
        ("Other Opinion Columns", "Fraser’s lasting legacy", "Starbeam Fantapants", "Wave of stupidity",
         "JOE HILDEBRAND", "HOW is it that ideas and philosophies")),
    # a republisher: MSN's copy of a Business Insider story, whose canonical URL is the original's
    "msn": Page(
        {"title": ("Nintendo's first iPhone game will launch in December for $10", "og:title"),
         "author": ("Alex Perry", "byline"), "site_name": ("MSN", "og:site_name"),
         "date": ("2016-11-15T07:00:00+00:00", "<time datetime>"),
         "url": ("http://www.businessinsider.com/super-mario-run-december-15-2016-11", "link rel=canonical")},
        "Nintendo and Apple shocked the world earlier this year by announcing",
        'To see "Super Mario Run" in action, check out the footage below:',
        ("Election 2016", "Health & Fitness", "News Sections")),
    # a republisher that says so: "This article originally appeared on The Atlantic"
    "citylab-1": Page(
        {"title": ("The Modern Ambitions Behind Neon", "og:title"), "author": ("Sarah Archer", "meta author"),
         "site_name": ("CityLab", "og:site_name"), "outlet": ("The Atlantic", "'originally appeared' line"),
         "date": ("2019-04-30T13:39:00-04:00", "itemprop datePublished"),
         "url": ("https://www.citylab.com/design/2019/04/neon-signage-20th-century-history/588400/",
                 "link rel=canonical")},
        "## The once-ubiquitous form of lighting was novel",
        "being-and-neonness-neon-lights-symbol-20th-century/588184/).*",
        ("Remembering Pittsburgh's Most Mesmerizing Sign", "Navigator: Ode To The Dead Mall")),
    # JSON-LD with a schema.org context object, two authors
    "schema-org-context-object": Page(
        {"title": ("South Korean president’s impeachment fails after ruling party lawmakers walk out",
                   "JSON-LD headline"),
         "author": ("Stella Kim, Jennifer Jett", "JSON-LD author"),
         "date": ("2024-12-06T22:00:40+00:00", "JSON-LD datePublished"),
         "site_name": ("NBC News", "JSON-LD publisher"),
         "url": ("https://www.nbcnews.com/news/world/south-korea-martial-law-president-yoon-suk-yeol-"
                 "impeachment-vote-rcna183138", "link rel=canonical")},
        "SEOUL, South Korea — A plan to impeach South Korean President",
        "*Stella Kim reported from Seoul, and Jennifer Jett from Hong Kong.*",
        ("Dallas-Fort Worth", "Editors' picks", "Culture & Trends")),
    # French, Open Graph and a byline element, the date from microdata
    "lemonde-1": Page(
        {"title": ("Le projet de loi sur le renseignement massivement approuvé à l'Assemblée", "og:title"),
         "author": ("Martin Untersinger (avec Damien Leloup et Morgane Tual)", "byline"),
         "date": ("2015-05-04T13:36:31+02:00", "itemprop datePublished"), "site_name": ("Le Monde.fr", "og:site_name"),
         "url": ("http://www.lemonde.fr/pixels/article/2015/05/04/que-contient-la-loi-sur-le-renseignement_"
                 "4627068_4408996.html", "link rel=canonical")},
        "Les députés ont, sans surprise, adopté à une large majorité",
        "ne pourra viser l’agent qui aurait dénoncé des actes potentiellement illégaux.",
        ("Édition Abonnés", "Le monde abonnements", "Cultures Web")),
    # German, Dublin Core author, og:url, no date in the markup but htmldate's
    "heise": Page(
        {"title": ("1Password für Mac generiert Einmal-Passwörter", "og:title"), "author": ("Mac & i", "dc.creator"),
         "date": ("2015-04-08", "htmldate"),
         "url": ("http://www.heise.de/mac-and-i/meldung/1Password-fuer-Mac-generiert-Einmal-Passwoerter-"
                 "2596987.html", "og:url")},
        "**Das in der iOS-Version bereits enthaltene TOTP-Feature",
        "mindestens OS X 10.10 voraus. ([bsc](mailto:bsc@heise.de))",
        ("Menü auf-/zuklappen", "heise Developer", "heise Security", "08.04.2015 12:46")),
    # Spanish
    "cnet-svg-classes": Page(
        {"title": ("Twitter Lite se estrena en México, Venezuela y otros nueve países", "og:title"),
         "author": ("César Salza", "byline"), "site_name": ("CNET en Español", "og:site_name"),
         "date": ("2017-12-01T03:00:00-08:00", "itemprop datePublished"),
         "url": ("https://www.cnet.com/es/noticias/twitter-lite-america-latina/", "link rel=canonical")},
        "Twitter ha dado a conocer que Twitter Lite llegará a un total de 24 nuevos países",
        "[verificación de cuentas.](http://fakehost/es/noticias/twitter-elimina-verificacion-a-cuentas-ofensivas/)",
        ("Hogar inteligente", "Sistemas Operativos", "Cultura tecnológica")),
    # Chinese, meta tags only (no Open Graph, no JSON-LD): the headline from <h1>
    "gmw": Page(
        {"title": ("宇航员在太空中喝酒会怎么样？后果很严重", "h1"), "author": ("肖春芳", "meta author"),
         "date": ("2017-03-10", "htmldate"), "url": (PAGE_URL, "the page's address")},
        "翱翔于距地球数千公里的太空中",
        "**出品︱网易科学人栏目组 胖胖**",
        ("转载须经版权人书面授权并注明来源", "光明网版权所有")),
    # Japanese, a short syndicated teaser (CNET Japan on Yahoo!ニュース); the site's name is
    # taken off the headline
    "yahoo-4": Page(
        {"title": ("トレンドマイクロ、公衆無線LANを安全に使うためのアプリ「フリーWi-Fiプロテクション」（CNET Japan）",
                   "og:title"),
         "site_name": ("Yahoo!ニュース", "og:site_name"),
         "url": ("http://headlines.yahoo.co.jp/hl?a=20170309-35097838-cnetj-sci", "og:url")},
        "トレンドマイクロは3月9日、Wi-Fi利用時の通信を暗号化し保護する",
        "不正サイトへアクセスすることをブロックできるという。",
        ("【関連記事】", "アクセスランキング（IT総合）", "Yahoo!ニュースの裏側をご紹介")),
    # Czech, JSON-LD
    "aktualne": Page(
        {"title": ("West Ham hrozí gigantům, okouzlil i Linekera. Součka je snadné přehlédnout", "JSON-LD headline"),
         "author": ("Aleš Vávra", "JSON-LD author"), "date": ("2021-11-01T10:52:50+01:00", "JSON-LD datePublished"),
         "site_name": ("Aktuálně.cz", "JSON-LD publisher"),
         "url": ("https://sport.aktualne.cz/fotbal/zahranici/west-ham-hrozi-gigantum-okouzlil-i-linekera-"
                 "souckovu-praci-j/r~8fa032ba3add11ec8a900cc47ab5f122/", "link rel=canonical")},
        "Pět vítězných soutěžních duelů v řadě",
        'Nesmíme polevit, pokud chceme být velkým týmem," zdůrazňuje Rice.',
        ("Nejnovější zprávy do e-mailu", "Odhlásit se můžete kdykoliv.")),
    # a very short tabloid story, the date only in the URL, hard-wrapped source lines
    "tmz-1": Page(
        {"title": ("Lupita Nyong'o's $150K Pearl Oscar Dress -- STOLEN!!!", "og:title"),
         "date": ("2015-02-26", "canonical URL path"),
         "url": ("http://www.tmz.com/2015/02/26/lupita-nyongo-pearl-dress-stolen-oscars/", "link rel=canonical")},
        "**Lupita Nyong**'**o**'s now-famous Oscar dress -- adorned in pearls -- was stolen right out",
        "looked at security footage to determine if they can ID the culprit.",
        ("Miley Cyrus -- Burglary Victim ... AGAIN", "VIEW ALL VIDEOS »", "CELEBRITY JUSTICE ™")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_saved_news_page(name: str) -> None:
    case = CASES[name]
    extracted = extract_html((PAGES / f"{name}.html").read_text(encoding="utf-8"), PAGE_URL, vocabulary())
    found = {key: (f.value, f.origin) for key, f in extracted.fields.items()}
    for key, expected in case.fields.items():
        assert found.get(key) == expected, key
    # a field the case does not name was not found (no guessed date or author)
    for key in ("date", "author", "outlet"):
        if key not in case.fields:
            assert key not in found, (key, found.get(key))
    paragraphs = [p for p in extracted.body.split("\n\n") if p.strip()]
    assert paragraphs[0].startswith(case.first)
    assert paragraphs[-1].endswith(case.last)
    for clutter in case.clutter:
        assert clutter not in extracted.body
    # one line a paragraph, never the headline again
    assert "\n\n\n" not in extracted.body
    assert not paragraphs[0].lstrip("# ").startswith(found["title"][0])
