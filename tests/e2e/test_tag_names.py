"""Tags that are different words with one URL (index/tagclash.py): a transliterated slug can
join them (Persian writes few vowels: بت and بات are both /tags/bt/; Chinese 市场 and 是常 are
both /tags/shi-chang/; C and C++ are both /tags/c/). They are shown as one tag, so the build
says so, at the article of each other spelling, on its tags line; spellings of one word
(case, accents, hyphens, another script) are one tag, as before, and said nothing about."""

from __future__ import annotations

from pathlib import Path

from conftest import run_digest
from e2e.test_news import article, make_site

ARTICLES = {
    "a.md": article("Bet", "2023-01-01", extra="tags: [بات, 市场, C]\n"),
    "b.md": article("Bat", "2023-01-02", extra="tags: [بات, C]\n"),
    "c.md": article("Shi", "2023-01-03", extra="tags:\n  - بت\n  - 是常\n  - C++\n"),
    # one word, written several ways: one tag, no warning
    "d.md": article("Kyiv", "2023-01-04", extra="tags: [Ukraine, ukraine, Ukraïne, new-york, New York]\n"),
    "e.md": article("Moscow", "2023-01-05", extra="tags: [Москва, Moskva]\n"),
}


def test_different_tags_with_one_url_are_said_where_they_are_written(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", ARTICLES)
    run = run_digest("build", "-s", site)
    assert run.code == 0, run.err
    warned = sorted(line for line in run.err.splitlines() if "have one URL" in line)
    assert warned == [
        "content/c.md:6: warning: tag 'بت' and tag 'بات' (content/a.md) have one URL, /news/tags/bt/, "
        "and are shown as one tag, 'بات'; if they are different tags, rename one of them",
        "content/c.md:7: warning: tag '是常' and tag '市场' (content/a.md) have one URL, "
        "/news/tags/shi-chang/, and are shown as one tag, '市场'; if they are different tags, rename one "
        "of them",
        "content/c.md:8: warning: tag 'C++' and tag 'C' (content/a.md) have one URL, /news/tags/c/, and "
        "are shown as one tag, 'C'; if they are different tags, rename one of them",
    ]
    assert "Ukraine" not in run.err and "Moskva" not in run.err and "Москва" not in run.err
    # the warning stays with the site: a build after an edit elsewhere says it again
    (site / "content" / "e.md").write_text(ARTICLES["e.md"].replace("Moscow", "Moskva"), encoding="utf-8")
    again = run_digest("build", "-s", site)
    assert again.code == 0, again.err
    assert sorted(line for line in again.err.splitlines() if "have one URL" in line) == warned
    strict = run_digest("build", "-s", site, "--strict")
    assert strict.code == 1 and "error: tag 'بت' and tag 'بات'" in strict.err
