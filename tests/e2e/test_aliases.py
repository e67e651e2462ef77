"""`aliases:` (redirect pages at an article's old paths) and `extra:` in front matter, through
the real CLI on a copy of the golden site (base_url https://example.org/news/: aliases are
site-relative, so /old.html is served at /news/old.html, the output folder's old.html)."""

from __future__ import annotations

from pathlib import Path

from conftest import GOLDEN_SITE, copy_site, files_under, run_digest

GUARDSMEN = "content/world/guardsmen.md"
TARGET = (
    "https://example.org/news/2022/05/26/putin-faces-dissent-as-national-guardsmen-challenge-order-to-fight/"
)


def _site(tmp_path: Path) -> Path:
    return copy_site(GOLDEN_SITE, tmp_path / "src")


def _front(site: Path, rel: str, lines: str) -> None:
    """Put `lines` at the top of the file's front matter."""
    path = site / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\n" + lines, 1), encoding="utf-8")


def test_redirect_pages_at_old_paths_listed_nowhere_else(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _front(
        site,
        GUARDSMEN,
        "aliases:\n  - /2019/05/old-post\n  - /old.html\n  - /caf%C3%A9/\nextra:\n  series: refusals\n  n: 3\n",
    )
    out = tmp_path / "out"
    built = run_digest("build", "-s", site, "-o", out)
    assert built.code == 0, built.err
    assert GUARDSMEN not in built.err  # no unknown-key warning for extra or aliases
    page = (out / "2019/05/old-post/index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page and '<meta charset="utf-8">' in page
    assert f'<link rel="canonical" href="{TARGET}">' in page
    assert f'<meta http-equiv="refresh" content="0; url={TARGET}">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert f'<a href="{TARGET}">Putin faces dissent' in page
    assert "<title>Putin faces dissent" in page
    assert (out / "old.html").read_text(encoding="utf-8") == page
    assert (out / "café/index.html").read_text(encoding="utf-8") == page
    everything = files_under(out)
    for rel, data in everything.items():
        if rel in ("2019/05/old-post/index.html", "old.html", "café/index.html"):
            continue
        assert b"old-post" not in data and b"old.html" not in data, rel  # sitemaps, feeds, lists
    checked = run_digest("check", "-s", site)
    assert checked.code == 0, checked.err


def test_alias_removed_and_remade_by_incremental_builds(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _front(site, GUARDSMEN, "aliases: [/2019/05/old-post/]\n")
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    path = site / GUARDSMEN
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: Putin", "title: Mr Putin"), encoding="utf-8"
    )
    again = run_digest("build", "-s", site, "-o", out)
    assert again.code == 0, again.err
    assert "<title>Mr Putin" in (out / "2019/05/old-post/index.html").read_text(encoding="utf-8")
    path.write_text(
        path.read_text(encoding="utf-8").replace("aliases: [/2019/05/old-post/]\n", ""), encoding="utf-8"
    )
    last = run_digest("build", "-s", site, "-o", out)
    assert last.code == 0, last.err
    assert not (out / "2019/05/old-post").exists()
    assert last.report["removed"] == 1
    assert files_under(out) == files_under(_clean_build(site, tmp_path / "clean"))


def _clean_build(site: Path, out: Path) -> Path:
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    return out


def test_collisions_are_located_errors_and_keep_the_output(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = _clean_build(site, tmp_path / "out")
    before = files_under(out)
    (site / "static" / "moved.html").write_text("<p>mine</p>", encoding="utf-8")
    _front(site, "content/world/soldier-jailed.md", "aliases: [/shared/]\n")
    _front(
        site,
        GUARDSMEN,
        "aliases:\n  - /tags/\n  - /moved.html\n  - /shared\n"
        "  - /2022/05/26/putin-faces-dissent-as-national-guardsmen-challenge-order-to-fight/\n",
    )
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 1
    err = result.err
    assert f"{GUARDSMEN}:3: error: alias /tags/ is also the URL of the site's tags page" in err
    assert f"{GUARDSMEN}:4: error: alias /moved.html is also the file static/moved.html of the site" in err
    # reported at the later file, naming the other and its line
    assert (
        f"content/world/soldier-jailed.md:2: error: alias /shared/ is also an alias in {GUARDSMEN}:5" in err
    )
    assert f"{GUARDSMEN}:6: error: alias /2022/05/26/putin" in err and "this article's own URL" in err
    assert "Traceback" not in err
    assert files_under(out) == before


def test_alias_taking_another_articles_url(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _front(site, GUARDSMEN, "aliases: [/2022/05/27/sud-v-groznom-soldat-poluchil-10-sutok]\n")
    result = run_digest("build", "-s", site, "-o", tmp_path / "out")
    assert result.code == 1
    assert (
        f"{GUARDSMEN}:2: error: alias /2022/05/27/sud-v-groznom-soldat-poluchil-10-sutok/ is also the URL "
        "of content/world/cyrillic.md" in result.err
    )


def test_bad_aliases_and_extra_are_located(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _front(
        site,
        GUARDSMEN,
        "aliases:\n  - https://old.example.org/x/\n  - /a/../b\n  - /search?q=1\n  - old/post\n  - [nested]\n"
        "extra: [not, a, mapping]\n",
    )
    _front(site, "content/world/soldier-jailed.md", "aliases: {a: b}\n")
    result = run_digest("build", "-s", site, "-o", tmp_path / "out")
    assert result.code == 1
    err = result.err
    assert f"{GUARDSMEN}:3: error: alias 'https://old.example.org/x/' is an absolute URL" in err
    assert f"{GUARDSMEN}:4: error: alias '/a/../b' has a '..' segment" in err
    assert f"{GUARDSMEN}:5: error: alias '/search?q=1' has a query or a fragment" in err
    assert f"{GUARDSMEN}:6: error: alias 'old/post' must start with '/'" in err
    assert f"{GUARDSMEN}:7: error: each entry of 'aliases' must be a path" in err
    assert f"{GUARDSMEN}:8: error: 'extra' must be a mapping" in err
    assert "content/world/soldier-jailed.md:2: error: 'aliases' must be a list of paths" in err
    assert not (tmp_path / "out").exists()


def test_theme_alias_template_and_article_extra(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "digest.yaml").write_text(
        (site / "digest.yaml").read_text(encoding="utf-8") + "theme: mine\n", encoding="utf-8"
    )
    templates = site / "themes" / "mine" / "templates"
    templates.mkdir(parents=True)
    (templates / "alias.html").write_text(
        '<!DOCTYPE html><title>moved</title><a href="{{ redirect.target }}">{{ page.canonical }}</a>\n',
        encoding="utf-8",
    )
    (templates / "article.html").write_text(
        '{% extends "default/article.html" %}{% block main %}<p id="series">'
        "{{ article.extra.series | default('none') }} {{ article.extra.get('layout', '-') }}</p>"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    _front(site, GUARDSMEN, "aliases: [/old/]\nextra: {series: refusals}\n")
    out = tmp_path / "out"
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    assert (out / "old/index.html").read_text(encoding="utf-8") == (
        f'<!DOCTYPE html><title>moved</title><a href="{TARGET}">{TARGET}</a>\n'
    )
    page = (out / TARGET.removeprefix("https://example.org/news/") / "index.html").read_text(encoding="utf-8")
    assert '<p id="series">refusals -</p>' in page
