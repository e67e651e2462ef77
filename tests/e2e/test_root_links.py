"""`links: {root: …}` in digest.yaml, through the real CLI: root-relative links in articles that
name no output of the site become absolute against the root (outbound, so `check` does not
call them broken); those that name one stay on the site; incremental builds follow pages that
come and go under an article's links."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, copy_site, files_under, run_digest

CONFIG = "title: Blog\nbase_url: https://example.org/blog/\ntimezone: UTC\n"
ROOT = "links:\n  root: https://example.org/\n"
ONE = (
    "---\ntitle: One\ndate: 2023-01-02\nsource: Go\n---\n"
    "Read [the install guide](/doc/install) and [two](/2023/01/03/two/), see ![a chart](/img/a.png),\n"
    "[a package](/pkg/x?a=1&b=2#top), [tags](/blog/tags/) and [the feed](/feed.xml).\n"
)
TWO = '---\ntitle: Two\ndate: 2023-01-03\nsource: Go\nsummary: "Read [the spec](/ref/spec) first."\n---\nBody.\n'


def _site(tmp_path: Path, config: str) -> Path:
    site = tmp_path / "src"
    (site / "content").mkdir(parents=True)
    (site / "static" / "img").mkdir(parents=True)
    (site / "static" / "img" / "a.png").write_bytes(b"\x89PNG\r\n")
    (site / "digest.yaml").write_text(config, encoding="utf-8")
    (site / "content" / "one.md").write_text(ONE, encoding="utf-8")
    (site / "content" / "two.md").write_text(TWO, encoding="utf-8")
    return site


def test_links_outside_the_site_become_absolute_against_the_root(tmp_path: Path) -> None:
    site = _site(tmp_path, CONFIG + ROOT)
    out = tmp_path / "out"
    built = run_digest("build", "-s", site, "-o", out)
    assert built.code == 0, built.err
    one = (out / "2023/01/02/one/index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/doc/install"' in one
    assert 'href="https://example.org/pkg/x?a=1&amp;b=2#top"' in one
    assert 'href="/blog/2023/01/03/two/"' in one  # a page of this site
    assert 'src="/blog/img/a.png"' in one  # a file of the site's static/
    assert 'href="/blog/tags/"' in one and 'href="/blog/feed.xml"' in one
    assert "__digest_ref__" not in one
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/ref/spec"' in home  # summaries too
    assert "https://example.org/doc/install" in (out / "feed.xml").read_text(encoding="utf-8")
    checked = run_digest("check", "-s", site)
    assert checked.code == 0, checked.err
    assert "broken" not in checked.err


def test_without_the_setting_check_reports_them_as_before(tmp_path: Path) -> None:
    site = _site(tmp_path, CONFIG)
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    assert 'href="/blog/doc/install"' in (out / "2023/01/02/one/index.html").read_text(encoding="utf-8")
    checked = run_digest("check", "-s", site)
    assert checked.code == 1
    assert "content/one.md:6: error: broken internal link to /blog/doc/install" in checked.err
    assert "content/two.md:5: error: broken internal link to /blog/ref/spec" in checked.err
    assert "content/one.md:7: error: broken internal link to /blog/pkg/x" in checked.err


def test_a_page_added_under_a_link_makes_the_linking_page_again(tmp_path: Path) -> None:
    site = _site(tmp_path, CONFIG + ROOT)
    out = tmp_path / "out"
    two = site / "content" / "two.md"
    two.unlink()
    assert run_digest("build", "-s", site, "-o", out).code == 0
    page = out / "2023/01/02/one/index.html"
    assert 'href="https://example.org/2023/01/03/two/"' in page.read_text(encoding="utf-8")
    two.write_text(TWO, encoding="utf-8")
    added = run_digest("build", "-s", site, "-o", out)  # verifying page keys (conftest)
    assert added.code == 0, added.err
    assert 'href="/blog/2023/01/03/two/"' in page.read_text(encoding="utf-8")
    clean = run_digest("build", "-s", site, "-o", tmp_path / "clean", "--clean")
    assert clean.code == 0
    assert files_under(out) == files_under(tmp_path / "clean")
    two.unlink()
    removed = run_digest("build", "-s", site, "-o", out)
    assert removed.code == 0, removed.err
    assert 'href="https://example.org/2023/01/03/two/"' in page.read_text(encoding="utf-8")
    # a static file that comes: the image stays on the site; one that goes: it leaves
    (site / "static" / "img" / "a.png").unlink()
    gone = run_digest("build", "-s", site, "-o", out)
    assert gone.code == 0, gone.err
    assert 'src="https://example.org/img/a.png"' in page.read_text(encoding="utf-8")


def test_bad_roots_are_located_config_errors(tmp_path: Path) -> None:
    for value, message in [
        ("https://example.org/doc/", "'links.root' must be an http(s) origin such as https://example.org"),
        ("example.org", "'links.root' must be an http(s) origin"),
        ("[a]", "'links.root' must be a string"),
    ]:
        site = _site(tmp_path / value.replace("/", "_"), CONFIG + f"links:\n  root: {value}\n")
        result = run_digest("build", "-s", site)
        assert result.code == 2, value
        assert f"digest.yaml:5: error: {message}" in result.err, result.err
    site = _site(tmp_path / "sub", CONFIG + "links:\n  roots: https://example.org\n")
    result = run_digest("build", "-s", site)
    assert (
        result.code == 2
        and "digest.yaml:5: error: unknown key 'links.roots' (did you mean 'root'?)" in result.err
    )
    site = _site(tmp_path / "scalar", CONFIG + "links: https://example.org\n")
    result = run_digest("build", "-s", site)
    assert result.code == 2 and "digest.yaml:4: error: 'links' must be a mapping" in result.err


def test_real_go_blog_posts_link_the_rest_of_go_dev(tmp_path: Path) -> None:
    """The Go blog (tests/fixtures/real/goblog: golang/website at b02076ae, CC BY 4.0) lived
    inside go.dev and links /doc/…, /blog/… and /issue/new. Without links.root, check calls
    them broken links under the site's /go/ path; with links.root: https://go.dev they go
    there, and none is reported."""
    site = copy_site(FIXTURES / "real" / "goblog", tmp_path / "goblog")
    before = run_digest("check", "-s", site, "--future")
    assert "broken internal link to /go/doc/go1.23" in before.err
    assert "broken internal link to /go/issue/new" in before.err
    config = site / "digest.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "links:\n  root: https://go.dev\n", encoding="utf-8"
    )
    after = run_digest("check", "-s", site, "--future")
    for gone in ("/go/doc/", "/go/blog/", "/go/issue/", "/go/dl/"):
        assert f"broken internal link to {gone}" not in after.err, after.err
    out = tmp_path / "out"
    built = run_digest("build", "-s", site, "--future", "-o", out)
    assert built.code == 0, built.err
    page = (out / "2024/08/13/go-1-23-is-released/index.html").read_text(encoding="utf-8")
    assert 'href="https://go.dev/doc/go1.23#iterators"' in page
    assert 'href="https://go.dev/dl/"' in page
