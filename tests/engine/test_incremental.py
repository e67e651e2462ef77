"""Incremental builds are the same build() with a warm cache, so they must be correct by
construction: after any sequence of edits, the output equals a clean build's, byte for byte."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from conftest import FIXTURES, REPO, copy_site, files_under, run_digest

TAGS = ["russia", "military", "courts", "economy", "ukraine", "europe", "energy", "media"]
SOURCES = ["The Moscow Times", "Mirror", "Meduza", "Reuters"]
STORIES = ["refuseniks", "grain-deal", "court-case"]
ACTIONS = ["add", "delete", "rename", "body", "tags", "date", "draft", "source", "template", "config"]
ACTIONS += ["story", "via", "mixed", "alias", "rootlink", "card"]


def _article(rng: random.Random, n: int) -> str:
    tags = rng.sample(TAGS, rng.randint(1, 3))
    day = rng.randint(1, 28)
    draft = "draft: true\n" if rng.random() < 0.1 else ""
    link = f"See [another](a{rng.randint(0, n + 3)}.md).\n\n" if rng.random() < 0.3 else ""
    return (
        f"---\ntitle: Story number {n} {rng.choice(['about', 'on', 'over'])} {rng.choice(TAGS)}\n"
        f"date: 2022-0{rng.randint(1, 6)}-{day:02d}\nsource: {rng.choice(SOURCES)}\ntags: [{', '.join(tags)}]\n"
        f"{draft}---\n{link}Body {rng.random():.6f} of story {n}.\n\nSecond paragraph.\n"
    )


def _set_field(path: Path, name: str, value: str | None) -> None:
    """Front matter field `name` set to `value` (None: removed)."""
    head, body = path.read_text(encoding="utf-8").split("---\n", 2)[1:]
    lines = [ln for ln in head.splitlines() if not ln.startswith(f"{name}:")]
    if value is not None:
        lines.append(f"{name}: {value}")
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def _card_edit(rng: random.Random, target: Path, articles: int) -> None:
    """A summary (with a link to another article or not), its authors, an image or a title (of an
    article whose slug is set, so that its URL stays): engine/bodyedits.py same_shape."""
    name = rng.choice(["summary", "summary", "author", "image", "title"])
    if name == "summary":
        link = f" See [another](a{rng.randint(0, articles + 2)}.md)." if rng.random() < 0.3 else ""
        value = rng.choice([f"Summary {rng.randint(0, 99)}.{link}", None])
    elif name == "author":
        value = rng.choice(["[Ann Lee]", "[Ann Lee, Bo Chen]", None])
    elif name == "image":
        value = rng.choice([f"https://example.org/{rng.randint(0, 9)}.jpg", None])
    else:
        _set_field(target, "slug", target.stem)
        value = f"Renamed {rng.randint(0, 99)}"
    _set_field(target, name, value)


def _edit(rng: random.Random, site: Path, counter: list[int]) -> str:
    content = site / "content"
    files = sorted(content.glob("*.md"))
    action = rng.choice(ACTIONS)
    if action == "add" or not files:
        counter[0] += 1
        (content / f"a{counter[0]}.md").write_text(_article(rng, counter[0]), encoding="utf-8")
        return "add"
    target = rng.choice(files)
    text = target.read_text(encoding="utf-8")
    if action == "delete":
        target.unlink()
    elif action == "rename":
        counter[0] += 1
        target.rename(content / f"a{counter[0]}.md")
    elif action == "body":
        target.write_text(text + f"\nAdded {rng.random():.6f}.\n", encoding="utf-8")
    elif action == "tags":
        head, body = text.split("---\n", 2)[1:]
        lines = [ln for ln in head.splitlines() if not ln.startswith("tags:")]
        lines.append(f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]")
        target.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    elif action == "date":
        head, body = text.split("---\n", 2)[1:]
        lines = [ln for ln in head.splitlines() if not ln.startswith("date:")]
        lines.append(f"date: 2022-0{rng.randint(1, 6)}-{rng.randint(1, 28):02d}")
        target.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    elif action == "draft":
        if "draft: true\n" in text:
            target.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
        else:
            target.write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    elif action == "source":
        head, body = text.split("---\n", 2)[1:]
        lines = [ln for ln in head.splitlines() if not ln.startswith("source:")]
        lines.append(f"source: {rng.choice(SOURCES)}")
        target.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    elif action == "template":
        custom = site / "themes" / "default" / "templates" / "partials"
        custom.mkdir(parents=True, exist_ok=True)
        (custom / "card.html").write_text(
            '{% macro card(article) %}<article><h3><a href="{{ article.url }}">{{ article.title }}</a></h3>'
            f"<p>variant {rng.randint(0, 9)}</p></article>{{% endmacro %}}\n",
            encoding="utf-8",
        )
    elif action == "config":
        config = (site / "digest.yaml").read_text(encoding="utf-8")
        keys = ("per_page:", "description:", "editions:")
        lines = [ln for ln in config.splitlines() if not ln.startswith(keys)]
        lines += [f"per_page: {rng.randint(2, 6)}", f"description: Variant {rng.randint(0, 99)}"]
        lines.append(f"editions: {rng.choice(['daily', 'weekly'])}")
        (site / "digest.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif action == "story":
        _set_field(target, "story", rng.choice([*STORIES, None]))
    elif action == "via":
        _set_field(target, "via", rng.choice([*SOURCES, None]))
    elif action == "alias":  # redirect pages come and go, and their article's title changes under them
        stem = target.stem
        choice = rng.choice([f"[/old/{stem}/, /old/{stem}.html]", f"/old/{stem}", None])
        _set_field(target, "aliases", choice)
        _set_field(target, "extra", rng.choice(["{series: walk}", f"{{n: {rng.randint(0, 3)}}}", None]))
        if rng.random() < 0.5:
            _set_field(target, "title", f"Retitled {rng.randint(0, 99)}")
    elif action == "rootlink":  # links.root: pages that come and go under a root-relative link
        where = rng.choice([f"/tags/{rng.choice(TAGS)}/", f"/2022/0{rng.randint(1, 6)}/", "/doc/install"])
        target.write_text(text + f"\nSee [this]({where}).\n", encoding="utf-8")
    elif action == "card":  # what pages show of an article, not where they list it
        _card_edit(rng, target, counter[0])
    elif action == "mixed":  # a body here, tags there, in one build
        target.write_text(text + f"\nMixed {rng.random():.6f}.\n", encoding="utf-8")
        other = rng.choice(files)
        if other.exists():
            _set_field(other, "tags", f"[{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]")
    return action


def test_random_edits_always_match_a_clean_build(tmp_path: Path) -> None:
    rng = random.Random(20221122)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        "title: Walk\nbase_url: https://example.org/w/\ntimezone: Europe/Moscow\nper_page: 3\n"
        "links:\n  root: https://example.org/\n",
        encoding="utf-8",
    )
    counter = [0]
    for _ in range(12):
        _edit(rng, site, counter) if counter[0] else None
        counter[0] += 1
        (site / "content" / f"a{counter[0]}.md").write_text(_article(rng, counter[0]), encoding="utf-8")
    out = tmp_path / "incremental"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    for step in range(40):
        action = _edit(rng, site, counter)
        incremental = run_digest("build", "-s", site, "-o", out)  # verifying (conftest)
        assert incremental.code == 0, f"step {step} ({action}): {incremental.err}"
        clean_out = tmp_path / f"clean{step}"
        clean = run_digest("build", "-s", site, "-o", clean_out, "--clean")
        assert clean.code == 0, clean.err
        assert files_under(out) == files_under(clean_out), f"step {step}: after '{action}' the output differs"
        shutil.rmtree(clean_out)


def test_second_build_parses_nothing_and_writes_nothing(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    first = run_digest("build", "-s", site)
    assert first.report["parsed"] == 6, first.report
    stamps = {p: p.stat().st_mtime_ns for p in (site / "site").rglob("*")}
    second = run_digest("build", "-s", site)
    assert second.code == 0
    assert second.report["parsed"] == 0, second.report
    assert second.report["written"] == 0 and second.report["removed"] == 0, second.report
    assert {p: p.stat().st_mtime_ns for p in (site / "site").rglob("*")} == stamps


def test_one_body_edit_parses_one_file_and_rewrites_only_what_shows_it(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    assert run_digest("build", "-s", site).code == 0
    path = site / "content" / "world" / "cyrillic.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nЕщё один абзац.\n", encoding="utf-8")
    result = run_digest("build", "-s", site)
    assert result.report["parsed"] == 1, result.report
    # the article page and the feeds that carry its content: not the whole site
    assert 1 <= result.report["written"] <= 12, result.report
    # list pages show its card, which did not change: only its own page is rendered again
    assert result.report["rendered"]["page"] == 1, result.report


def test_a_theme_that_shows_bodies_on_lists_gets_them_rerendered(tmp_path: Path) -> None:
    """Pages are fingerprinted by cards only where the templates provably read no body."""
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    custom = site / "themes" / "default" / "templates"
    custom.mkdir(parents=True)
    source = (REPO / "themes" / "default" / "templates" / "tag.html").read_text()
    assert "{{ card_list(articles) }}" in source
    (custom / "tag.html").write_text(
        source.replace("{{ card_list(articles) }}", "{% for a in articles %}{{ a.content }}{% endfor %}"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    path = site / "content" / "world" / "cyrillic.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nНовый абзац в теле.\n", encoding="utf-8")
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    clean = run_digest("build", "-s", site, "-o", tmp_path / "clean")
    assert files_under(out) == files_under(tmp_path / "clean")
    tag_pages = [p for p in files_under(out) if p.startswith("tags/") and p.endswith("index.html")]
    shown = [p for p in tag_pages if "Новый абзац в теле" in (out / p).read_text(encoding="utf-8")]
    assert shown, "the custom tag template prints bodies"
    assert clean.code == 0
    assert result.report["rendered"]["page"] == 1 + len(shown), result.report


def test_a_damaged_cache_is_discarded_with_a_warning(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    assert run_digest("build", "-s", site, "-o", tmp_path / "a").code == 0
    (cache_file,) = (site / ".digest-cache").glob("articles-*.pickle")
    cache_file.write_bytes(b"not a pickle at all")
    result = run_digest("build", "-s", site, "-o", tmp_path / "b")
    assert result.code == 0
    assert f".digest-cache/{cache_file.name}: warning: cache discarded and rebuilt" in result.err
    assert result.report["parsed"] == 6, result.report
    assert files_under(tmp_path / "a") == files_under(tmp_path / "b")


def test_a_discarded_cache_does_not_fail_a_strict_build(tmp_path: Path) -> None:
    site = tmp_path / "s"
    assert run_digest("init", site).code == 0
    assert run_digest("build", "-s", site, "-o", tmp_path / "a", "--strict").code == 0
    (cache_file,) = (site / ".digest-cache").glob("articles-*.pickle")
    cache_file.write_bytes(b"from another version")
    result = run_digest("build", "-s", site, "-o", tmp_path / "a", "--strict")
    assert "warning: cache discarded and rebuilt" in result.err
    assert result.code == 0, result.err


def test_alternating_base_urls_keep_their_own_caches(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    assert run_digest("build", "-s", site, "-o", tmp_path / "a").code == 0
    preview = run_digest(
        "build", "-s", site, "-o", tmp_path / "b", "--base-url", "http://127.0.0.1:8123/news/"
    )
    assert preview.report["parsed"] == 6, preview.report
    again = run_digest("build", "-s", site, "-o", tmp_path / "a")
    assert again.report["parsed"] == 0 and again.report["written"] == 0, again.report


# the walk's site in three languages (also tests/engine/test_lasting.py's)
THREE_LANGUAGES = (
    "title: Walk\nbase_url: https://example.org/w/\nper_page: 3\nlanguage: en\n"
    "languages:\n  en: {}\n  ru: {title: Прогулка}\n  ar: {}\n"
)


def test_random_edits_of_a_multilingual_site_always_match_a_clean_build(tmp_path: Path) -> None:
    """The same walk on a site in three languages, with edits that move an article to another
    language, link it to other translations, and rename tags per language: each page's hreflang
    links and switcher (its versions in the other languages) must follow."""
    rng = random.Random(20261203)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(THREE_LANGUAGES, encoding="utf-8")
    counter = [0]
    for _ in range(12):
        counter[0] += 1
        path = site / "content" / f"a{counter[0]}.md"
        path.write_text(_article(rng, counter[0]), encoding="utf-8")
        _set_field(path, "lang", rng.choice(["en", "ru", "ar"]))
        _set_field(path, "translation_key", rng.choice(["k1", "k2", "k3", None]))
    out = tmp_path / "incremental"
    first = run_digest("build", "-s", site, "-o", out)
    languages = ["en", "ru", "ar", None]
    for step in range(15):
        if first.code != 0:  # two translations of one key in one language: re-key and go on
            for path in sorted((site / "content").glob("*.md")):
                _set_field(path, "translation_key", f"own-{path.stem}")
        kind = rng.choice(["walk", "lang", "key", "tagnames"])
        files = sorted((site / "content").glob("*.md"))
        if kind == "walk" or not files:
            action = _edit(rng, site, counter)
        elif kind == "lang":
            action = "lang"
            _set_field(rng.choice(files), "lang", rng.choice(languages))
        elif kind == "key":
            action = "key"
            _set_field(rng.choice(files), "translation_key", f"k{rng.randint(1, 6)}-{rng.randint(0, 99)}")
        else:
            action = "tagnames"
            names = rng.sample(TAGS, 3)
            (site / "tags.yaml").write_text(
                "".join(f"{t}: {{ru: Т-{t}-{rng.randint(0, 9)}, ar: ع-{t}}}\n" for t in names),
                encoding="utf-8",
            )
        first = incremental = run_digest("build", "-s", site, "-o", out)  # verifying (conftest)
        if incremental.code == 1 and "translation of" in incremental.err:
            continue  # refused as it must be; nothing was written
        assert incremental.code == 0, f"step {step} ({action}): {incremental.err}"
        clean_out = tmp_path / f"clean{step}"
        clean = run_digest("build", "-s", site, "-o", clean_out, "--clean")
        assert clean.code == 0, clean.err
        assert files_under(out) == files_under(clean_out), f"step {step}: after '{action}' the output differs"
        shutil.rmtree(clean_out)


def test_an_article_on_a_new_day_rerenders_what_lists_it_not_every_page(tmp_path: Path) -> None:
    """The day's first article makes a new edition and changes the site's counts; pages that
    show neither (an older article, an unrelated tag) are not rendered again: the theme reads
    `site.has_editions`, not `site.latest_edition`, and prints no site-wide counts on every page."""
    site = copy_site(FIXTURES / "golden", tmp_path / "s")
    first = run_digest("build", "-s", site)
    assert first.code == 0, first.err
    out = site / "site"
    untouched = [
        "2022/05/01/notes-2022-04-ca-va/index.html",  # the oldest article: its neighbours stay
        "tags/dissent/index.html",
        "tags/economie/index.html",
        "sources/meduza/index.html",
        "2022/05/26/index.html",
    ]
    stamps = {rel: (out / rel).stat().st_mtime_ns for rel in untouched}
    (site / "content" / "world" / "grain.md").write_text(
        "---\ntitle: Zanzibar quilts lattice harbour\ndate: 2022-06-02 10:00\nsource: Reuters\n"
        "tags: [shipping]\n---\nQuilted lattice harbour of Zanzibar.\n",
        encoding="utf-8",
    )
    second = run_digest("build", "-s", site)
    assert second.code == 0, second.err
    assert "editions/2022-06-02/index.html" in files_under(out)
    assert {rel: (out / rel).stat().st_mtime_ns for rel in untouched} == stamps
    clean = run_digest("build", "-s", site, "-o", tmp_path / "clean")
    assert clean.code == 0 and files_under(out) == files_under(tmp_path / "clean")
