"""`digest import` on the two seeds (../shared/seeds, see tests/support/seeds.py) through the
real CLI into a copy of the example site: the exact fields, the body paragraph by paragraph,
what goes to which stream, flags, --dry-run, never overwriting, the date rule, coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from conftest import FIXTURES, run_digest
from generator.parse.frontmatter import split
from support.seeds import MOSCOW_TIMES, ZIMBABWE_NEWS, example_site, seed

MT_TITLE = "Russia Jails Soldier for Refusing ‘Special Mission’ Deployment"
ZN_TITLE = "Vladimir Putin faces dissent as Russian servicemen challenge illegal war order"
# the seeds' lines (1-based) that are the article's paragraphs; everything else is clutter
MT_BODY_LINES = (12, 14, 16, 18, 20, 22, 24, 26, 28)
ZN_BODY_LINES = (5, 9, 11, 13, 15, 20, 22, 24, 26, 28, 30, 32, 34)
# SOURCE_DATE_EPOCH=1700000000 in the example site's Europe/Moscow
IMPORT_TIME = "2023-11-15T01:13:20+03:00"
MT_DRAFT = "content/2023/russia-jails-soldier-for-refusing-special-mission-deployment.md"
ZN_DRAFT = "content/2023/vladimir-putin-faces-dissent-as-russian-servicemen-challenge-illegal-war-order.md"


def lines_of(path: Path, numbers: tuple[int, ...]) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return [lines[n - 1].strip() for n in numbers]


def read_draft(path: Path) -> tuple[dict[str, Any], list[str], str]:
    text = path.read_text(encoding="utf-8")
    parts = split(text)
    return yaml.safe_load(parts.yaml_text), [p.strip() for p in parts.body.split("\n\n") if p.strip()], text


def test_seed_000_becomes_a_clean_draft_of_the_moscow_times(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    source = seed(MOSCOW_TIMES)
    result = run_digest("import", source, "-s", site)
    assert result.code == 0, result.err
    assert result.out == f"{site / MT_DRAFT}\n"  # the path alone on standard output
    fields, body, text = read_draft(site / MT_DRAFT)
    assert fields == {"title": MT_TITLE, "date": fields["date"], "source": "The Moscow Times",
                      "draft": True, "summary": ""}
    assert body == lines_of(source, MT_BODY_LINES)
    # no reliable date: the import time in the site's zone, a comment and a warning; the plea's
    # "Since July 1, 2024" is never taken
    assert f"date: {IMPORT_TIME}\n# date: not found in the source, set to the import time\n" in text
    assert "2024" not in text.split("---")[1]
    assert "warning" in result.err and "date not found in the source" in result.err
    # the same story as the example's Moscow Times article: named, and its key suggested
    assert "content/2022/chechen-soldier-jailed.md (story: russian-refuseniks)" in result.err
    assert "\n# story: russian-refuseniks\n" in text
    # the fields found, each with where it came from
    assert f"  title: {MT_TITLE}  [headline" in result.err
    assert "  source: The Moscow Times  [message box" in result.err
    # keys in the usual order, and digest reads the draft (comments and all)
    assert [line.split(":")[0] for line in text.split("---")[1].strip().splitlines()] == [
        "title", "date", "# date", "source", "# story", "draft", "summary"]
    checked = run_digest("check", "--drafts", "-s", site)
    assert checked.code == 0, checked.err
    assert "0 warnings" in checked.out


def test_seed_002_is_a_mirror_article_via_zimbabwe_news(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    source = seed(ZIMBABWE_NEWS)
    result = run_digest("import", source, "-s", site)
    assert result.code == 0, result.err
    fields, body, text = read_draft(site / ZN_DRAFT)
    assert {k: v for k, v in fields.items() if k != "date"} == {
        "title": ZN_TITLE, "source": "Mirror", "via": "Zimbabwe News", "author": "Gabriella Clare",
        "draft": True, "summary": ""}
    assert body == lines_of(source, ZN_BODY_LINES)
    assert "Related Articles" not in text and "1 of 35" not in text and "By Gabriella" not in text
    assert "  via: Zimbabwe News  [the line above the headline, sources.yaml alias" in result.err
    assert "  author: Gabriella Clare  [byline]" in result.err
    assert "content/2022/national-guard-refuseniks-sue.md (story: russian-refuseniks)" in result.err


def test_flags_override_what_was_found(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    result = run_digest(
        "import", seed(ZIMBABWE_NEWS), "-s", site, "--title", "Guardsmen sue", "--source", "The Moscow Times",
        "--via", "Mirror", "--author", "A. Editor", "--date", "2022-05-26",
        "--url", "https://www.mirror.co.uk/news/x-27063329?utm_source=tw&id=3", "--tags", "russia, courts",
        "--story", "Russian Refuseniks")
    assert result.code == 0, result.err
    fields, _, text = read_draft(site / "content/2022/guardsmen-sue.md")
    assert fields["title"] == "Guardsmen sue" and fields["source"] == "The Moscow Times"
    assert fields["via"] == "Mirror" and fields["author"] == "A. Editor"
    assert str(fields["date"]) == "2022-05-26 00:00:00+03:00"
    assert fields["source_url"] == "https://www.mirror.co.uk/news/x-27063329?id=3"
    assert fields["tags"] == ["russia", "courts"] and fields["story"] == "russian-refuseniks"
    assert "# date" not in text and "# story" not in text and "date not found" not in result.err
    assert "  title: Guardsmen sue  [--title]" in result.err


def test_dry_run_prints_the_draft_and_writes_nothing(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    result = run_digest("import", seed(MOSCOW_TIMES), "-s", site, "--dry-run")
    assert result.code == 0, result.err
    assert result.out.startswith(f"---\ntitle: {MT_TITLE}\n") and "draft: true" in result.out
    assert f"would write {site / MT_DRAFT}" in result.err
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    mine = site / MT_DRAFT
    mine.parent.mkdir(parents=True)
    mine.write_text("---\ntitle: Mine\ndate: 2023-01-01\nsource: Mirror\n---\nMy own words about a goat.\n")
    before = mine.read_bytes()
    result = run_digest("import", seed(MOSCOW_TIMES), "-s", site)
    assert result.code == 1 and result.out == ""
    assert f"{mine} already exists" in result.err
    assert mine.read_bytes() == before
    # --force gets past coverage checks, never over a file: the draft takes the next free name
    forced = run_digest("import", seed(MOSCOW_TIMES), "-s", site, "--force")
    assert forced.code == 0, forced.err
    assert forced.out == f"{site / MT_DRAFT.replace('.md', '-2.md')}\n"
    assert mine.read_bytes() == before


def test_the_same_page_or_text_twice_is_refused_unless_forced(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    # the example's Mirror article, by its URL written another way (tracking, case, slash)
    url = "HTTPS://WWW.Mirror.co.uk/news/world-news/vladimir-putin-faces-dissent-russian-27063329/?utm_medium=x"
    same_url = run_digest("import", seed(ZIMBABWE_NEWS), "-s", site, "--url", url)
    assert same_url.code == 1 and same_url.out == ""
    assert "content/2022/national-guard-refuseniks-sue.md (the same source_url)" in same_url.err
    assert not (site / "content/2023").exists()
    first = run_digest("import", seed(MOSCOW_TIMES), "-s", site)
    assert first.code == 0, first.err
    # pasted again with a different headline: nearly the same text as the draft just written
    again = tmp_path / "again.txt"
    again.write_text("Soldier jailed in Grozny\n\n" + seed(MOSCOW_TIMES).read_text(encoding="utf-8").split(
        "Deployment", 1)[1], encoding="utf-8")
    second = run_digest("import", again, "-s", site)
    assert second.code == 1 and second.out == ""
    assert f"nearly the same text is already in the digest as {MT_DRAFT}" in second.err
    forced = run_digest("import", again, "-s", site, "--force")
    assert forced.code == 0 and forced.out.strip().endswith("soldier-jailed-in-grozny.md")


def test_several_sources_one_bad_keeps_the_others(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    result = run_digest("import", seed(MOSCOW_TIMES), empty, seed(ZIMBABWE_NEWS), "-s", site)
    assert result.code == 1
    assert result.out.splitlines() == [str(site / MT_DRAFT), str(site / ZN_DRAFT)]
    assert f"digest: error: {empty}: empty" in result.err
    assert "Traceback" not in result.err


def test_a_broken_article_elsewhere_is_a_warning_not_the_end(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    (site / "content/2022/broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    (site / "content/2022/latin1.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    result = run_digest("import", seed(MOSCOW_TIMES), "-s", site)
    assert result.code == 0, result.err
    assert "warning: content/2022/broken.md: cannot read it" in result.err
    assert "warning: content/2022/latin1.md: cannot read it" in result.err
    assert "chechen-soldier-jailed.md" in result.err  # the rest of the site was still compared


def test_drop_lines_from_digest_yaml_and_their_errors(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    config = site / "digest.yaml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + "import:\n  drop_lines: [\"Insubordinate soldiers *\"]\n", encoding="utf-8")
    result = run_digest("import", seed(MOSCOW_TIMES), "-s", site)
    assert result.code == 0, result.err
    _, body, _ = read_draft(site / MT_DRAFT)
    assert body == lines_of(seed(MOSCOW_TIMES), MT_BODY_LINES[:-1])
    config.write_text(base + "import:\n  drop_line: [x]\n  drop_lines: [\"*\", 3]\n", encoding="utf-8")
    bad = run_digest("import", seed(MOSCOW_TIMES), "-s", site)
    assert bad.code == 2
    count = len(base.splitlines())
    assert f"digest.yaml:{count + 2}: error: unknown key 'import.drop_line' (did you mean 'drop_lines'?)" in bad.err
    assert f"digest.yaml:{count + 3}: error: each of 'import.drop_lines' must be a line of text" in bad.err


def test_chinese_text_on_a_story_the_digest_has_is_named_and_pasted_again_is_refused(tmp_path: Path) -> None:
    """Chinese has no spaces between words: the story measure reads pairs of characters and the
    same-text check runs of five, where whole runs between punctuation matched nothing. Text:
    the multilingual fixture's two articles on the Hualien earthquake (the project's own)."""
    fixture = FIXTURES / "multilingual"
    site = tmp_path / "zh"
    (site / "content" / "2024").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        "title: 摘要\nbase_url: https://zh.example.org/\nlanguage: zh-CN\ntimezone: Asia/Shanghai\n", encoding="utf-8"
    )
    for name in ("sources.yaml", "stories.yaml"):
        (site / name).write_text((fixture / name).read_text(encoding="utf-8"), encoding="utf-8")
    for name in ("taiwan-earthquake", "eclipse"):
        text = (fixture / "content/zh-cn/2024" / f"{name}.md").read_text(encoding="utf-8")
        (site / "content/2024" / f"{name}.md").write_text(text, encoding="utf-8")
    rescue = split((fixture / "content/zh-cn/2024/hualien-rescue.md").read_text(encoding="utf-8"))
    body = rescue.body.strip()
    pasted = tmp_path / "rescue.txt"
    pasted.write_text(f"花莲地震后搜救持续，数百人一度受困\n\n{body}\n", encoding="utf-8")
    flags = ("-s", site, "--source", "新华社", "--date", "2024-04-04")
    result = run_digest("import", pasted, *flags)
    assert result.code == 0, result.err
    assert "content/2024/taiwan-earthquake.md (story: hualien-earthquake)" in result.err
    draft = Path(result.out.strip())
    assert "\n# story: hualien-earthquake\n" in draft.read_text(encoding="utf-8")
    # the headline is the title and the paragraph the body: counted by spaces, the paragraph
    # (one "word") looked like a headline, the headline like a masthead, and nothing was left
    fields, paragraphs, _ = read_draft(draft)
    assert fields["title"] == "花莲地震后搜救持续，数百人一度受困" and paragraphs == [body]
    # the same text pasted again, its last sentence cut: nearly the same text, refused
    again = tmp_path / "again.txt"
    again.write_text(f"花莲地震后搜救持续\n\n{body.rsplit('。', 2)[0]}。\n", encoding="utf-8")
    result = run_digest("import", again, *flags)
    assert result.code == 1 and result.out == ""
    assert str(draft.relative_to(site)) in result.err and "nearly the same text" in result.err, result.err
