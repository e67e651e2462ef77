"""Markdown through the real CLI: a site's `markdown:` and `highlight:` settings, images
without alt text as located warnings (grouped when many), and `.markdown` files."""

from __future__ import annotations

from pathlib import Path

from conftest import run_digest


def test_images_without_alt_are_located_warnings_grouped_when_many(tmp_path: Path) -> None:
    site = tmp_path / "src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    for n in range(5):
        (site / "content" / f"a{n}.md").write_text(
            f"---\ntitle: A {n}\ndate: 2022-01-0{n + 1}\nsource: X\n---\nText.\n\n![](/img/{n}.png)\n",
            encoding="utf-8",
        )
    result = run_digest("build", "-s", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if ": warning: " in line]
    assert warnings == [
        "content/a0.md:8: warning: image without alt text in 5 files (content/a0.md:8, content/a1.md:8, "
        "content/a2.md:8, …); say what each shows in its brackets: ![what it shows](image.jpg)"
    ]
    verbose = run_digest("build", "-s", site, "-o", tmp_path / "out2", "-v")
    assert "content/a3.md:8: warning: image without alt text (/img/3.png)" in verbose.err
    page = (tmp_path / "out" / "2022/01/01/a-0/index.html").read_text(encoding="utf-8")
    assert '<img src="/img/0.png" alt="" loading="lazy" decoding="async">' in page


def test_a_site_can_turn_the_extensions_off(tmp_path: Path) -> None:
    site = tmp_path / "src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        "title: T\nbase_url: https://example.org/\nmarkdown: {autolinks: false, footnotes: false}\n"
        "highlight: false\n",
        encoding="utf-8",
    )
    (site / "content" / "a.md").write_text(
        "---\ntitle: A\ndate: 2022-01-01\nsource: X\n---\nSee https://example.org/x and a claim.[^1]\n\n"
        "```python\nx = 1\n```\n\n[^1]: note\n",
        encoding="utf-8",
    )
    result = run_digest("build", "-s", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    page = (tmp_path / "out" / "2022/01/01/a/index.html").read_text(encoding="utf-8")
    # no autolink; without footnotes, `[^1]: note` is a link reference definition
    assert (
        '<p>See https://example.org/x and a claim.<a href="note"' in page and '<span class="n">' not in page
    )
    (site / "digest.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    again = run_digest("build", "-s", site, "-o", tmp_path / "out")
    page = (tmp_path / "out" / "2022/01/01/a/index.html").read_text(encoding="utf-8")
    assert (
        again.code == 0 and '<a href="https://example.org/x"' in page and '<span class="n">x</span>' in page
    )


def test_markdown_files_with_the_long_suffix_are_articles(tmp_path: Path) -> None:
    site = tmp_path / "src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    (site / "content" / "2013-06-22-old.markdown").write_text(
        "---\ntitle: Old\ndate: 2013-6-22\nsource: X\n---\nSee [the new one](new.md).\n", encoding="utf-8"
    )
    (site / "content" / "new.md").write_text(
        "---\ntitle: New\ndate: 2013-06-23\nsource: X\n---\nSee [the old one](2013-06-22-old.markdown).\n",
        encoding="utf-8",
    )
    result = run_digest("build", "-s", site, "-o", tmp_path / "out")
    assert result.code == 0 and "warning" not in result.err, result.err
    new = (tmp_path / "out" / "2013/06/23/new/index.html").read_text(encoding="utf-8")
    assert 'href="/2013/06/22/old/"' in new
