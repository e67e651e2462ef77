"""`digest migrate` and `digest import` on hostile input: deep nesting that makes tomllib and
json recurse, YAML alias bombs (nine lines that expand to billions of items) in posts, in a
Docusaurus authors.yml, in every reader's front matter and config, and in the site's own
articles that import compares a page with. Each is a located skip, note or warning, the rest
goes on, and nothing hangs or prints a traceback."""

from __future__ import annotations

from pathlib import Path

from conftest import run_digest

DEEP = "[" * 50_000
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)
OK_TOML = '+++\ntitle = "ok"\ndate = 2024-01-01\n+++\nbody\n'


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def migrate(src: Path, site: Path) -> str:
    run = run_digest("migrate", src, "-s", site)
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert (site / "content/2024/ok.md").is_file(), run.err
    return run.err


def test_deep_toml_in_hugo_and_zola_front_matter_and_config(tmp_path: Path) -> None:
    hugo = write(tmp_path / "hugo", {
        "hugo.toml": 'baseURL = "https://x.org/"\ntitle = "X"\n',
        "content/posts/deep.md": f'+++\ntitle = "a"\nx = {DEEP}\n+++\nbody\n',
        "content/posts/ok.md": OK_TOML,
    })
    assert "front matter is not valid TOML: nested too deeply\n  content/posts/deep.md:2" in migrate(
        hugo, tmp_path / "s1")
    zola = write(tmp_path / "zola", {
        "config.toml": f'base_url = "https://z.org"\nx = {DEEP}\n',
        "content/blog/_index.md": '+++\ntitle = "Blog"\n+++\n',
        "content/blog/deep.md": f'+++\ntitle = "a"\ndate = 2024-01-01\nx = {DEEP}\n+++\nbody\n',
        "content/blog/ok.md": OK_TOML,
    })
    report = migrate(zola, tmp_path / "s2")
    assert "TOML front matter does not parse: nested too deeply\n  content/blog/deep.md:2" in report
    assert "config.toml:1: not read (not valid TOML: nested too deeply); Zola's defaults assumed" in report


def test_yaml_bombs_and_deep_yaml_in_docusaurus_posts_and_authors(tmp_path: Path) -> None:
    docu = write(tmp_path / "docu", {
        "docusaurus.config.js": 'module.exports = {title: "D", url: "https://d.org", baseUrl: "/"};\n',
        "blog/authors.yml": BOMB,
        "blog/2024-01-01-bomb.md": f"---\ntitle: bomb\n{BOMB}---\nbody\n",
        "blog/2024-01-02-deep.md": f"---\ntitle: deep\nx: {DEEP}\n---\nbody\n",
        "blog/2024-01-03-ok.md": "---\ntitle: ok\n---\nbody\n",
    })
    report = migrate(docu, tmp_path / "s3")
    assert "uses a YAML alias (*name); write the value out\n  blog/2024-01-01-bomb.md:4" in report
    assert "blog/2024-01-02-deep.md:3" in report
    assert "blog/authors.yml:2: not read" in report


def test_import_reads_a_site_with_hostile_articles_without_expanding_them(tmp_path: Path) -> None:
    """`digest import` compares the page with every article of the site: one article's alias
    bomb or deep nesting is a warning that leaves it out, not a hang."""
    from support.seeds import example_site

    site = example_site(tmp_path)
    write(site / "content", {
        "bomb.md": f"---\ntitle: x\n{BOMB}---\nbody\n",
        "deep.md": f"---\ntitle: x\nx: {DEEP}\n---\nbody\n",
    })
    page = write(tmp_path, {"page.txt": "The Ferry Strike Ends\n\n" + "The ferry crews went back to work on "
                            "Monday after a week-long strike over pay and rosters, the union said.\n\n" * 3})
    run = run_digest("import", page / "page.txt", "-s", site, "--source", "Mirror", "--dry-run")
    assert run.code == 0, run.err
    assert "content/bomb.md: cannot read it (YAML too large or too many aliases (alias bomb?))" in run.err
    assert "content/deep.md: cannot read it (YAML nested more than 100 levels deep)" in run.err


def test_an_old_base_url_that_is_no_url(tmp_path: Path) -> None:
    """A config's base URL urlsplit cannot take ('http://[::1') is no URL: the site's title and
    the links.root proposal do without it."""
    src = write(tmp_path / "hugo", {
        "hugo.toml": 'baseURL = "http://[::1"\ntitle = "X"\n',
        "content/posts/ok.md": "---\ntitle: ok\ndate: 2024-01-01\n---\n[x](/doc/x)\n",
    })
    report = migrate(src, tmp_path / "site")
    assert "links: {root: https://the-old-site.example}" in report
