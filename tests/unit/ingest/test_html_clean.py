"""ingest/html.py's clean-up of trafilatura's Markdown: a hard-wrapped paragraph judged as one
line, tables and code blocks kept whole, lines with no letter and the repeated headline dropped,
and the clutter lines trafilatura keeps on real tabloid pages dropped by the clutter filter."""

from __future__ import annotations

from generator.ingest.clutter import vocabulary
from generator.ingest.html import clean

VOCAB = vocabulary()


def test_the_markdown_trafilatura_gives_is_cleaned() -> None:
    markdown = "\n".join([
        "## Ferry strike halts crossings", "",
        "08.04.2015 12:46", "",
        "The operator and the union met again on Tuesday",
        "        without an agreement, and the crossings stayed", "        suspended.", "",
        "SEE MORE", "", "**DON'T MISS**", "", "Most read in world news", "",
        "Read more: [Ferry fares to rise](https://example.com/fares)", "",
        "Sign up for our daily newsletter", "",
        "| Route | Crossings |", "|---|---|", "| North | 0 |", "",
        "```", "timetable  suspended", "", "  until further notice", "```", "",
        "- first point,", "  wrapped", "- second point", "",
        "> A quote from the harbour master.", "",
        "The last paragraph.",
    ])
    assert clean(markdown, VOCAB, "Ferry strike halts crossings") == "\n".join([
        "The operator and the union met again on Tuesday without an agreement, and the crossings "
        "stayed suspended.", "",
        "| Route | Crossings |", "|---|---|", "| North | 0 |", "",
        "```", "timetable  suspended", "", "  until further notice", "```", "",
        "- first point, wrapped", "- second point", "",
        "> A quote from the harbour master.", "",
        "The last paragraph.",
    ])


def test_a_wrapped_paragraph_is_not_cut_at_a_word_the_filter_knows() -> None:
    # the source's line break puts "Subscribe" alone at a line's start; the paragraph stays
    markdown = ("Readers who wanted to\nsubscribe to the paper's print edition found the office shut,\n"
                "the union said on Tuesday.")
    assert clean(markdown, VOCAB) == (
        "Readers who wanted to subscribe to the paper's print edition found the office shut, "
        "the union said on Tuesday.")


ARTICLE = [
    "The operator and the union met again on Tuesday without an agreement, and the crossings "
    "stayed suspended until further notice.", "",
]


def test_links_to_other_stories_under_a_label_or_left_dangling_are_dropped() -> None:
    # the shapes ingest/blocks.py knows from trafilatura's text, each after a real article
    markdown = "\n".join([
        *ARTICLE,
        "Lesen Sie auch: [Fähren fahren wieder nach Plan](https://example.com/a)", "",
        "- **6 décembre 2019 :** [Article Le Parisien – la grève des ferries](https://example.com/b)", "",
        "- 17/50 Argentina hit by strikes Daily life ground to a halt in Buenos Aires.",
        "- 18/50 Duty rises blamed for beer woes Beer sales are still fragile.",
        "- 19/50 New Look in push for men New Look is planning a menswear push.", "",
        "```", "3/4 of the crossings", "```", "",
        "The harbour master spoke last.", "",
        "**Mehr Themen:**", "",
        "## Other stories", "",
        "[Ferry fares to rise next year](https://example.com/c)", "",
        "[Union threatens a second strike](https://example.com/d)",
    ])
    assert clean(markdown, VOCAB) == "\n".join([
        *ARTICLE,
        "- **6 décembre 2019 :** [Article Le Parisien – la grève des ferries](https://example.com/b)", "",
        "```", "3/4 of the crossings", "```", "",
        "The harbour master spoke last.",
    ])


def test_links_to_other_stories_under_a_label_inside_the_text_are_dropped() -> None:
    # a label and the headline links under it, with the article going on after them
    # (ingest/blocks.py drop_link_lists); above the first paragraph the same shape is the post's
    # own "Highlights" and stays, and links with no label above them stay too
    markdown = "\n".join([
        "### Highlights", "",
        "- [Here is our year in review for the ferries](https://example.com/review)", "",
        *ARTICLE,
        "## NOTAS RELACIONADAS", "",
        "[Hackers ask the government for a ransom](https://example.com/a)", "",
        "[Ministry says its servers were attacked](https://example.com/b)", "",
        "The harbour master said the talks would resume on Friday.", "",
        "*Diese Artikel könnten dich ebenfalls interessieren:*", "",
        "- [Richtig frühstücken: die besten Tipps](https://example.com/c)", "",
        "The union said its members would vote on the offer next week.", "",
        "[Read the full timetable of the crossings](https://example.com/d)", "",
        "The last paragraph.",
    ])
    assert clean(markdown, VOCAB) == "\n".join([
        "### Highlights", "",
        "- [Here is our year in review for the ferries](https://example.com/review)", "",
        *ARTICLE,
        "The harbour master said the talks would resume on Friday.", "",
        "The union said its members would vote on the offer next week.", "",
        "[Read the full timetable of the crossings](https://example.com/d)", "",
        "The last paragraph.",
    ])


def test_the_lines_of_a_teaser_block_found_in_the_page_are_dropped() -> None:
    # the page's teaser block (ingest/blocks.py teaser_text) holds these headlines, a kicker
    # and an author; the heading above them is left with nothing and goes too
    from lxml.html import document_fromstring

    from generator.ingest.blocks import teaser_text

    page = document_fromstring("<html><body><article><p>The article.</p></article><div>" + "".join(
        f'<div class="story-block id{n}"><h4><strong>{kicker}</strong> <a href="/news/{n}">{title}</a></h4>'
        f'<p><em>{author}</em> {teaser}</p></div>'
        for n, (kicker, title, author, teaser) in enumerate([
            ("Editorial", "Fraser's lasting legacy", "", "An effective prime minister, a reformer."),
            ("Wave of stupidity", "Doctor knows best, not Starbeam", "JOE HILDEBRAND", "Ideas that are absurd."),
            ("Own backyard", "Let's make local issues a priority", "TOM ELLIOTT", "Forget global posturing."),
        ])) + "</div></body></html>")
    article = [*ARTICLE, *ARTICLE, *ARTICLE]  # longer than the teasers, or they would be the page
    markdown = "\n".join([
        *article, "## Other Opinion Columns", "",
        "#### **Editorial**", "[Fraser’s lasting legacy](/news/0)", "", "An effective prime minister, a reformer.", "",
        "#### **Wave of stupidity**", "[Doctor knows best, not Starbeam](/news/1)", "", "*JOE HILDEBRAND*", "",
        "#### **Own backyard**", "[Let’s make local issues a priority](/news/2)", "", "*TOM ELLIOTT*",
    ])
    assert clean(markdown, VOCAB, teasers=teaser_text(page)) == "\n".join(article).strip()
    # without the page's teaser blocks, nothing in these lines says they are not the article
    assert "Other Opinion Columns" in clean(markdown, VOCAB)


def test_a_block_of_cards_with_chinese_headlines_is_a_teaser_block() -> None:
    """A Chinese headline link is one run between spaces: it was taken for a widget ("More"),
    so a block of other stories' cards in Chinese was never found."""
    from lxml.html import document_fromstring

    from generator.ingest.blocks import teaser_blocks

    def page(links: list[str]) -> str:
        cards = "".join(f'<div class="card"><h4><a href="/news/{n}">{t}</a></h4></div>' for n, t in enumerate(links))
        return f'<html><body><article><p>文章。</p></article><div class="more">{cards}</div></body></html>'

    titles = ["港口管理局任命新的首席执行官", "渔民警告捕鱼季可能落空", "疏浚公司赢得港口合同"]
    assert [block.get("class") for block in teaser_blocks(document_fromstring(page(titles)))] == ["more"]
    assert teaser_blocks(document_fromstring(page(["更多", "更多", "更多"]))) == []  # "more": widgets


STORY = ("The city council put off its vote on the harbour plan on Monday night after three hours of "
         "debate, saying it needed more time to study the cost of dredging the old channel and the effect "
         "on the fishing fleet that still works out of the north quay, and the mayor agreed to bring a "
         "final version back in two weeks, with the engineers' figures on the dredging and the cost of "
         "moving the fleet attached to it for every councillor to read before the meeting.")
STORY_END = ("The harbour board, which has waited four years for a decision, said it was disappointed but "
             "would use the time to answer the questions councillors had raised about the dredging contract "
             "and to meet the fishermen who work out of the north quay.")


def test_a_layout_tables_long_cells_become_paragraphs_and_the_rest_of_it_goes() -> None:
    # a page laid out as one table (ingest/tables.py): the article is a cell of 80 words or
    # more, so every row is layout; only its cells of 40 words or more are text
    markdown = "\n".join([
        "| [Home](/) \\| [News](/news) | Tuesday, January 15, 2008 |  |",
        f"| [Weather](/weather) [Jobs](/jobs) | {STORY} | **Related articles** [Harbour board names new chief](/a1) |",
        f"|  | {STORY_END} |  |",
        "| People who read this also read: | [Fishing fleet warns of lost season](/a2) |",
        "| Copyright 2008 The Harbour Times. All rights reserved. [Privacy policy](/privacy) |  |  |",
    ])
    assert clean(markdown, VOCAB) == f"{STORY}\n\n{STORY_END}"


def test_a_data_table_stays_whole_next_to_a_long_paragraph() -> None:
    # no cell of 80 words: the table is data, whatever the text around it
    markdown = "\n".join([STORY, "", "| Quay | Boats | Notes |", "|---|---|---|",
                          "| North | 12 | [dredged 2006](/d) |", "| South |  | closed |", "", STORY_END])
    assert clean(markdown, VOCAB) == markdown


def test_a_page_laid_out_as_a_table_gives_the_article_alone() -> None:
    # a hand-written page in the shape of L3S-GN1's news pages of 2008: trafilatura returns the
    # whole grid as table rows, the navigation, the related links and the footer with the story
    from pathlib import Path

    from generator.ingest.html import extract_html

    page = Path(__file__).resolve().parents[2] / "fixtures" / "import" / "layout-table.html"
    body = extract_html(page.read_text(encoding="utf-8"), None, VOCAB).body
    # the headline, run together with the story in the cell, is the draft's title
    assert body.startswith("The city council put off its vote")
    assert body.endswith("the dredging contract and the quay.")
    for clutter in ("Home", "Weather", "Tuesday, January 15", "Related articles", "Fishing fleet", "Copyright", "|"):
        assert clutter not in body


def test_a_layout_table_cell_keeps_the_paragraphs_of_the_page() -> None:
    """trafilatura runs a table cell's paragraphs together: 33 of 69 real Chinese pages of
    2004-2010 (immortal-autumn/Chinese-Web-Content-Extraction-Dataset, most laid out in tables)
    came out as one to four paragraphs where the page had dozens. The page's paragraph ends
    and line breaks are marked before trafilatura reads it, and a kept cell is parted there;
    a data table's cell stays one line."""
    from generator.ingest.html import extract_html

    paragraphs = [STORY, STORY_END, "The mayor said the council would vote on the first of May.",
                  "The harbour board welcomed the date.", "Fishermen said they would attend."]
    # closed paragraphs, a line ended by <br>, and the unclosed <p> of many old pages
    cell = "".join(f"<p>{p}</p>" for p in paragraphs[:2]) + f"{paragraphs[2]}<br><p>{paragraphs[3]}<p>{paragraphs[4]}"
    page = (
        "<html><head><title>Harbour vote delayed</title></head><body><table><tr>"
        '<td><a href="/">Home</a> | <a href="/news">News</a></td>'
        f"<td>{cell}</td></tr>"
        "<tr><td>Quay</td><td>North<br>South</td></tr></table></body></html>"
    )
    body = extract_html(page, None, VOCAB).body
    assert body.split("\n\n") == paragraphs
    data = f"<html><body><p>{STORY}</p><table><tr><td>Quay</td><td>North<br>South</td></tr></table></body></html>"
    assert "\u204b" not in extract_html(data, None, VOCAB).body


def test_a_stream_of_other_stories_with_their_teasers_after_the_article_goes() -> None:
    # ingest/streams.py: headline links each followed by the story's first sentence, no label
    stream = [
        "[Harbour board names new chief executive](https://example.com/a1)", "",
        "The board chose a former port manager from Rotterdam after a six-month search.", "",
        "[Fishing fleet warns of a lost season](https://example.com/a2)", "",
        "Skippers say the delay could keep boats in the north quay until the autumn.", "",
        "[Dredging firm wins the port contract](https://example.com/a3)", "",
        "The contract runs for five years and covers both channels.",
    ]
    assert clean("\n".join([STORY, "", STORY_END, "", *stream]), VOCAB) == f"{STORY}\n\n{STORY_END}"
    # before a paragraph, the last teaser may be the article going on: it stays
    assert clean("\n".join([STORY, "", *stream, "", STORY_END]), VOCAB) == "\n\n".join(
        [STORY, "The contract runs for five years and covers both channels.", STORY_END])
    # headline links alone may be the article's own "read more" list: they stay
    bare = "\n".join([STORY, "", *(line for line in stream if line.startswith("[") or not line), "", STORY_END])
    assert "Fishing fleet warns" in clean(bare, VOCAB)


def test_a_table_of_contents_is_not_a_stream_of_stories() -> None:
    toc = ["- [Why the harbour needs dredging](#why)", "- The channel silts up every winter.",
           "- [What the plan costs](#cost)", "- Four million over five years.",
           "- [Who pays for it](#who)", "- The port and the city, half each."]
    markdown = "\n".join([STORY, "", *toc, "", STORY_END])
    assert clean(markdown, VOCAB) == markdown


def test_readers_comments_signed_after_the_article_go() -> None:
    # ingest/streams.py drop_comments: each comment a line and its signature
    comments = [
        "Kylie Minogue a dive? Please spare me!", "",
        "Posted by:**The Old Salt of Brisbane** 9:49pm January 08, 2008", "",
        "I wish someone would tell that guy what humbled actually means.", "",
        "Posted by:**Shaun of New Zealand** 5:22pm January 08, 2008",
    ]
    assert clean("\n".join([STORY, "", STORY_END, "", *comments]), VOCAB) == f"{STORY}\n\n{STORY_END}"
    # one signature is a post's own byline ("Posted by NAME at 6:47am"): nothing goes
    one = "\n".join([STORY, "", "Posted by Jennifer Agiesta at 4:38 PM", "", STORY_END])
    assert clean(one, VOCAB) == one


def test_the_headline_run_together_with_the_first_paragraph_goes() -> None:
    title = "Council delays the harbour vote"
    assert clean(f"{title} {STORY}", VOCAB, title) == STORY
    assert clean(f"**{title}** {STORY}", VOCAB, title) == STORY
    # a sentence that opens with the headline's words, and a headline that is a link, stay
    for line in (f"{title.lower()} again on Monday, {STORY.lower()}",
                 f"[{title}](https://example.com/vote) {STORY}"):
        assert clean(line, VOCAB, title) == line


def test_a_stream_of_stories_with_two_word_headlines_goes_too() -> None:
    stream = ["[Homefinder TV](https://example.com/tv1)", "Helen Carson visits a converted coaching house.",
              "[Harbour pictures](https://example.com/p)", "The best of the year on the quay, in pictures.",
              "[Festival guide](https://example.com/f)", "Where to go and what to see this summer."]
    assert clean("\n\n".join([STORY, STORY_END, *stream]), VOCAB) == f"{STORY}\n\n{STORY_END}"


def test_a_stream_of_other_stories_in_chinese_goes_too() -> None:
    """The bounds (a headline of two words, a teaser of 60, a lead of 12) count a Chinese or
    Japanese character as the words it takes as long to read: counted as `\\w+` runs, each of
    these headlines was one word, and the stream stayed."""
    story = ("当地时间周三上午，台湾东部花莲近海发生7.4级地震，为台湾25年来最强地震，花莲市区有楼房严重倾斜。"
             "山区道路因落石中断，首日已造成至少9人死亡，数百人受伤。日本一度对冲绳南部岛屿发布海啸警报，随后降级。")
    story_end = ("救援人员全天展开搜救，设法营救被困在太鲁阁国家公园附近隧道和采石场的人员。"
                 "台湾有关部门表示，余震仍在持续，提醒民众远离山区，并在学校和体育馆设立临时安置点。")
    stream = ["[港口管理局任命新的首席执行官](https://example.com/a1)", "董事会在为期六个月的遴选后选择了一位前港口经理。",
              "[渔民警告捕鱼季可能落空](https://example.com/a2)", "船长们说，延误可能让渔船一直停在北码头到秋天。",
              "[疏浚公司赢得港口合同](https://example.com/a3)", "合同为期五年，涵盖两条航道。"]
    assert clean("\n\n".join([story, story_end, *stream]), VOCAB) == f"{story}\n\n{story_end}"
