"""The multilingual fixture site with bad input (a language that is not configured, in `lang:`
or as a folder; two translations of one article in one language): each a located error, exit
1, nothing written; and an incremental build after adding a translation re-renders the pages
whose alternates changed, and only those."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXTURES, copy_site, files_under, run_digest
from e2e.test_multilingual import CLOCK

SITE = FIXTURES / "multilingual"
LISTED = "(en, ru, uk, zh-CN, ar)"


def _site(tmp_path: Path) -> Path:
    return copy_site(SITE, tmp_path / "site")


def _built(site: Path) -> dict[str, bytes]:
    run = run_digest("build", "-s", site, env=CLOCK)
    assert run.code == 0, run.err
    return files_under(site / "site")


def test_lang_that_is_not_configured(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = _built(site)
    article = site / "content/en/2024/tsmc-recovery.md"
    article.write_text(article.read_text(encoding="utf-8").replace("tags:", "lang: it\ntags:"), encoding="utf-8")
    run = run_digest("build", "-s", site, env=CLOCK)
    assert run.code == 1
    line = article.read_text(encoding="utf-8").splitlines().index("lang: it") + 1
    assert f"content/en/2024/tsmc-recovery.md:{line}: error: 'lang: it' is not one of the site's languages {LISTED}" in run.err
    assert "Traceback" not in run.err
    assert files_under(site / "site") == before  # a failed build loses nothing


def test_folder_that_reads_as_an_unconfigured_language(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "content/it/2024").mkdir(parents=True)
    (site / "content/it/2024/eclipse.md").write_text(
        (site / "content/en/2024/eclipse.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (site / "content/news").mkdir()  # a folder that is not a language tag is a plain folder
    (site / "content/news/note.md").write_text(
        "---\ntitle: A note\ndate: 2024-04-10\nsource: Reuters\n---\nA note.\n", encoding="utf-8"
    )
    run = run_digest("build", "-s", site, env=CLOCK)
    assert run.code == 1
    assert "content/it/2024/eclipse.md:1: error: this article is in the folder content/it/" in run.err
    assert LISTED in run.err
    assert "content/news/note.md" not in run.err
    assert len([ln for ln in run.err.splitlines() if ": error: " in ln]) == 1


def test_two_translations_in_one_language_name_both_files(tmp_path: Path) -> None:
    site = _site(tmp_path)
    # a second Russian eclipse article that says it translates the same one
    (site / "content/ru/2024/zatmenie.md").write_text(
        "---\ntitle: Затмение ещё раз\ndate: 2024-04-08T21:00:00Z\nsource: NASA\n"
        "translation_key: 2024/eclipse\n---\nЕщё одна заметка.\n",
        encoding="utf-8",
    )
    run = run_digest("build", "-s", site, env=CLOCK)
    assert run.code == 1
    errors = [ln for ln in run.err.splitlines() if ": error: " in ln]
    assert len(errors) == 1, run.err
    assert "content/ru/2024/eclipse.md" in errors[0] and "content/ru/2024/zatmenie.md" in errors[0]


def test_adding_a_translation_rerenders_the_other_languages_pages(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = _built(site)
    out = site / "site"
    higgs = next(p for p in before if re.match(r"2024/04/09/[^/]*higgs[^/]*/index.html$", p))
    untouched = next(p for p in before if re.match(r"ar/2024/04/08/[^/]+/index.html$", p))
    untouched_mtime = (out / untouched).stat().st_mtime_ns
    assert '<link rel="alternate" hreflang="uk"' not in before[higgs].decode()
    (site / "content/uk/2024/higgs.md").write_text(
        "---\ntitle: Помер Пітер Гіггс, який передбачив бозон Гіггса\ndate: 2024-04-09T15:00:00Z\n"
        "source: University of Edinburgh\nsource_url: https://www.ed.ac.uk/news/\n"
        "tags: [science, physics, obituary]\n---\n"
        "Фізик-теоретик Пітер Гіггс помер 8 квітня в Единбурзі у віці 94 років.\n",
        encoding="utf-8",
    )
    run = run_digest("build", "-s", site, env=CLOCK)
    assert run.code == 0, run.err
    after = files_under(out)
    page = after[higgs].decode()
    uk = re.search(r'<link\b[^>]*hreflang="uk"[^>]*>', page)
    assert uk is not None, "the English page does not link its new Ukrainian translation"
    assert 'href="https://example.org/news/uk/2024/04/09/' in uk.group(0)
    # the Russian and Chinese versions link it too; an unrelated Arabic page is not rewritten
    for lang in ("ru", "zh-cn"):
        other = next(p for p in after if re.match(rf"{lang}/2024/04/09/[^/]+/index.html$", p))
        assert '<link rel="alternate" hreflang="uk"' in after[other].decode(), other
        assert after[other] != before[other]
    assert after[untouched] == before[untouched]
    assert (out / untouched).stat().st_mtime_ns == untouched_mtime
    assert run.report["rendered"]["page"] < len([p for p in after if p.endswith(".html")]) / 2
    # and equal to a clean build of the same content
    clean = tmp_path / "clean"
    assert run_digest("build", "-s", site, "-o", clean, "--clean", env=CLOCK).code == 0
    assert files_under(clean) == after
