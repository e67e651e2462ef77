"""Hostile and broken input through the real CLI: what must simply work (BOM, CRLF, YAML 1.1
traps), what must be refused with a located message (oversized files, alias bombs, deep
nesting, symlink loops, path-like slugs and permalinks, broken digest.yaml) and, always, that
nothing is written outside the output folder and no traceback reaches the user.

The fixed hostile inputs with their exact messages live in tests/fixtures/invalid/hostile-*
and config-every-key (checked by test_invalid_sites.py); the ones that are too big for the
repository, or must be made at run time (symlinks), are made here."""

from __future__ import annotations

import errno
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import run_digest
from generator.parse.article import parse_article
from generator.read.config import SiteConfig
from generator.read.sources import Registry

BOM = "\ufeff"
GUARD_SECONDS = 10  # generous: each of these takes well under a second


def _site(root: Path, config: str = "title: T\nbase_url: https://example.org/\n", **articles: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "digest.yaml").write_text(config, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    for name, text in articles.items():
        (root / "content" / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def _article(title: str = "T", extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: 2022-01-02\nsource: X\n{extra}---\nBody.\n"


def _lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line and not line.startswith("digest: ")]


def _everything_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def _assert_clean_failure(result_code: int, code: int, err: str, out: Path) -> None:
    assert result_code == code, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert not out.exists(), "a failed build must write nothing"


# --- must simply work ---------------------------------------------------------------------------


def test_a_bom_and_crlf_line_endings_simply_work(tmp_path: Path) -> None:
    site = tmp_path / "site-src"
    (site / "content").mkdir(parents=True)
    crlf = {"newline": "\r\n", "encoding": "utf-8"}
    (site / "digest.yaml").write_text(f"{BOM}title: BOM site\nbase_url: https://example.org/\n", **crlf)
    (site / "sources.yaml").write_text(f"{BOM}The Outlet:\n  url: https://outlet.example/\n  aliases: [Outlet]\n", **crlf)
    (site / "content" / "a.md").write_text(
        f"{BOM}---\ntitle: Windows line endings\ndate: 2022-01-02\nsource: Outlet\ntags: [crlf]\n---\n"
        "First paragraph.\n\nSecond paragraph.\n",
        **crlf,
    )
    assert b"\r\n" in (site / "content" / "a.md").read_bytes()
    out = tmp_path / "out"
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    assert "warning" not in result.err  # the outlet is found in the BOM'd, CRLF sources.yaml
    page = (out / "2022/01/02/windows-line-endings/index.html").read_text(encoding="utf-8")
    assert "<p>First paragraph.</p>" in page and "<p>Second paragraph.</p>" in page
    assert (out / "sources/the-outlet/index.html").is_file()
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            data = path.read_bytes()
            assert b"\r" not in data and BOM.encode() not in data, path


def test_yaml_11_surprises_are_read_as_the_curator_wrote_them(tmp_path: Path) -> None:
    """`no`, `NO`, `on`, `off`, `2024-05-01`, `1.10` stay text wherever text is expected; a bare
    number as `tags` is one tag, as a single string is."""
    site = _site(
        tmp_path / "site-src",
        a="---\ntitle: no\ndate: 2022-01-02\nsource: NO\nslug: 2024-05-01\ntags: [on, off]\nvia: off\n---\nx\n",
        b="---\ntitle: 1.10\ndate: 2022-01-02\nsource: yes\ntags: 5\nauthor: null_island\n---\nx\n",
    )
    out = tmp_path / "out"
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    page = (out / "2022/01/02/2024-05-01/index.html").read_text(encoding="utf-8")
    assert "<h1" in page and ">no</h1>" in page
    assert (out / "sources/no/index.html").is_file() and (out / "sources/yes/index.html").is_file()
    for tag in ("on", "off", "5"):
        assert (out / "tags" / tag / "index.html").is_file(), tag
    assert (out / "2022/01/02/1-10/index.html").is_file()


# --- refused, with a located message ------------------------------------------------------------


def test_a_10_mb_article_is_refused_before_it_is_read(tmp_path: Path) -> None:
    site = _site(tmp_path / "site-src", ok=_article("Fine"))
    body = ("A paragraph of news that goes on and on. " * 24 + "\n\n") * 10_700
    (site / "content" / "huge.md").write_text(_article("Huge").replace("Body.\n", body), encoding="utf-8")
    assert (site / "content" / "huge.md").stat().st_size > 10 * 1024 * 1024
    out = tmp_path / "out"
    started = time.monotonic()
    result = run_digest("build", "-s", site, "-o", out)
    assert time.monotonic() - started < GUARD_SECONDS
    assert _lines(result.err) == [
        "content/huge.md:1: error: file is 10.1 MB; articles are limited to 2 MB "
        "(keep the summary and quotes, link to the original for the rest)"
    ]
    _assert_clean_failure(result.code, 1, result.err, out)


def test_an_article_just_under_the_limit_builds(tmp_path: Path) -> None:
    paragraph = "A paragraph of news that goes on and on, quoted in full. " * 20 + "\n\n"
    body = paragraph * (1_900_000 // len(paragraph))
    site = _site(tmp_path / "site-src", big=_article("Big").replace("Body.\n", body))
    out = tmp_path / "out"
    started = time.monotonic()
    result = run_digest("build", "-s", site, "-o", out)
    took = time.monotonic() - started
    assert result.code == 0, result.err
    assert took < 30, f"a 1.9 MB article took {took:.1f} s"
    assert (out / "2022/01/02/big/index.html").stat().st_size > 1_900_000


BILLION_LAUGHS = "".join(
    f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    for prev, name in zip("abcdefghijk", "bcdefghijkl", strict=True)
)


def test_a_billion_laughs_is_refused_quickly_with_bounded_memory() -> None:
    text = _article(extra='a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + BILLION_LAUGHS)
    config = SiteConfig(root=Path("/nonexistent"), title="T", base_url="https://example.org/")
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = parse_article("bomb.md", text, config, Registry(exists=False))
        took = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.article is None
    assert [d.message for d in result.diagnostics] == ["YAML too large or too many aliases (alias bomb?)"]
    assert took < 2, f"took {took:.2f} s"  # 10**11 'lol's if expanded
    assert peak < 32 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def test_a_billion_laughs_in_an_article_and_in_digest_yaml_through_the_cli(tmp_path: Path) -> None:
    bomb = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + BILLION_LAUGHS
    site = _site(tmp_path / "a", bomb=_article(extra=bomb))
    out = tmp_path / "out"
    started = time.monotonic()
    result = run_digest("build", "-s", site, "-o", out)
    assert time.monotonic() - started < GUARD_SECONDS
    assert _lines(result.err) == ["content/bomb.md:5: error: YAML too large or too many aliases (alias bomb?)"]
    _assert_clean_failure(result.code, 1, result.err, out)

    site = _site(tmp_path / "b", config="title: T\nbase_url: https://example.org/\nextra:\n  " + bomb.replace("\n", "\n  "))
    started = time.monotonic()
    result = run_digest("build", "-s", site, "-o", out)
    assert time.monotonic() - started < GUARD_SECONDS
    assert _lines(result.err) == ["digest.yaml:4: error: YAML too large or too many aliases (alias bomb?)"]
    _assert_clean_failure(result.code, 2, result.err, out)


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("deep: " + "[" * 500_000 + "\n", "content/a.md:5: error: YAML nested more than 100 levels deep"),
        (
            "deep: " + "{a: " * 100_000 + "}" * 100_000 + "\n",
            "content/a.md:5: error: YAML nested more than 100 levels deep",
        ),
        ("wide: [" + "x, " * 150_000 + "x]\n", "content/a.md:5: error: YAML too large: more than 100000 values"),
        (
            "".join(f"k{i}: v\n" for i in range(120_000)),
            "content/a.md:50001: error: YAML too large: more than 100000 values",
        ),
    ],
    ids=["half-a-million-brackets", "nested-mappings", "150k-values", "120k-keys"],
)
def test_yaml_too_deep_or_too_large_is_refused_without_crashing(tmp_path: Path, front: str, message: str) -> None:
    """`[[[[...` half a million deep used to crash the C YAML composer (segfault, no message)."""
    site = _site(tmp_path / "site-src", a=_article(extra=front))
    out = tmp_path / "out"
    started = time.monotonic()
    result = run_digest("build", "-s", site, "-o", out)
    assert time.monotonic() - started < GUARD_SECONDS
    assert _lines(result.err) == [message]
    _assert_clean_failure(result.code, 1, result.err, out)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("", "digest.yaml:1: error: must be a mapping of keys (title: ..., base_url: ...)"),
        ("- title\n- base_url\n", "digest.yaml:1: error: must be a mapping of keys (title: ..., base_url: ...)"),
        ("title: [T\n", "digest.yaml:1: error: invalid YAML: while parsing a flow sequence; did not find expected ',' or ']'; check quotes, colons and indentation"),
        ("title: T\nextra: " + "[" * 200_000 + "\n", "digest.yaml:2: error: YAML nested more than 100 levels deep"),
        ("title: T\n\tbase_url: x\n", "digest.yaml:1: error: invalid YAML: while scanning a plain scalar; found a tab character that violates indentation; YAML does not allow tabs for indentation: use spaces"),
    ],
    ids=["empty", "a-list", "malformed", "deep", "tab"],
)
def test_a_broken_digest_yaml_is_a_located_usage_error(tmp_path: Path, config: str, message: str) -> None:
    site = _site(tmp_path / "site-src", config=config, a=_article())
    out = tmp_path / "out"
    result = run_digest("build", "-s", site, "-o", out)
    assert _lines(result.err) == [message]
    _assert_clean_failure(result.code, 2, result.err, out)


def test_a_digest_yaml_that_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    site = _site(tmp_path / "site-src", a=_article())
    (site / "digest.yaml").write_bytes(b"title: Caf\xe9\nbase_url: https://example.org/\n")
    out = tmp_path / "out"
    result = run_digest("build", "-s", site, "-o", out)
    assert len(_lines(result.err)) == 1 and _lines(result.err)[0].startswith("digest.yaml: error: cannot read it:")
    _assert_clean_failure(result.code, 2, result.err, out)


# --- never a file outside the output folder -----------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("/../{slug}/", "must not contain '.', '..', '%' or '\\' segments"),
        ("/{year}/../../../{slug}/", "must not contain '.', '..', '%' or '\\' segments"),
        ("/%2e%2e/%2e%2e/{slug}/", "must not contain '.', '..', '%' or '\\' segments"),
        ("/..%2f..%2f/{slug}/", "must not contain '.', '..', '%' or '\\' segments"),
        ("/a\\\\b/{slug}/", "must not contain '.', '..', '%' or '\\' segments"),
        ("/x\\0/{slug}/", "must not contain control characters"),
        ("../{slug}/", "must start and end with '/'"),
        ("C:\\\\Windows\\\\{slug}\\\\", "must start and end with '/'"),
    ],
)
def test_hostile_permalinks_are_refused(tmp_path: Path, pattern: str, problem: str) -> None:
    config = f'title: T\nbase_url: https://example.org/\npermalinks:\n  article: "{pattern}"\n'
    site = _site(tmp_path / "site-src", config=config, a=_article())
    out = tmp_path / "out"
    result = run_digest("build", "-s", site, "-o", out)
    shown = pattern.replace("\\\\", "\\").replace("\\0", "\\x00")
    assert _lines(result.err) == [f"digest.yaml:4: error: permalink '{shown}' {problem}"]
    _assert_clean_failure(result.code, 2, result.err, out)
    check = run_digest("check", "-s", site)
    assert (check.code, _lines(check.err)) == (2, [f"digest.yaml:4: error: permalink '{shown}' {problem}"])


def test_tokens_from_hostile_front_matter_stay_inside_the_output(tmp_path: Path) -> None:
    """{source} and {slug} come from what the curator wrote, through slugify: path characters
    in a source name, an empty-looking title, a leading '//' in the pattern: all inside."""
    config = "title: T\nbase_url: https://example.org/\npermalinks:\n  article: //{source}/{lang}/{slug}/\n"
    site = _site(
        tmp_path / "site-src",
        config=config,
        a="---\ntitle: '../../..'\ndate: 2022-01-02\nsource: ../../etc\n---\nx\n",
        b="---\ntitle: '%2e%2e/%2e%2e'\ndate: 2022-01-02\nsource: '/root/.ssh'\n---\nx\n",
        c="---\ntitle: '\\\\server\\share'\ndate: 2022-01-02\nsource: 'C:\\Windows'\nlang: en-GB\n---\nx\n",
    )
    before = _everything_under(tmp_path)
    out = tmp_path / "out"
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    made = {p for p in _everything_under(tmp_path) - before if not p.startswith(("out/", "site-src/.digest-cache"))}
    assert made == {"out"}, made
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
    assert (out / "etc/en/a/index.html").is_file()  # the title has nothing: the file name
    assert (out / "root-ssh/en/2e-2e-2e-2e/index.html").is_file()
    assert (out / "c-windows/en-gb/server-share/index.html").is_file()


def test_symlink_loops_under_content(tmp_path: Path) -> None:
    site = _site(tmp_path / "site-src", a=_article("Real"))
    content = site / "content"
    (content / "sub").mkdir()
    (content / "loop").symlink_to(content, target_is_directory=True)  # content/loop -> content
    (content / "sub" / "up").symlink_to("..", target_is_directory=True)
    out = tmp_path / "out"
    started = time.monotonic()
    result = run_digest("build", "-s", site, "-o", out)
    assert time.monotonic() - started < GUARD_SECONDS
    assert result.code == 0, result.err
    assert "1 article" in result.out + result.err  # folders behind links are not walked

    (content / "x.md").symlink_to("y.md")
    (content / "y.md").symlink_to("x.md")
    (content / "self.md").symlink_to("self.md")
    out2 = tmp_path / "out2"
    started = time.monotonic()
    result = run_digest("build", "-s", site, "-o", out2)
    assert time.monotonic() - started < GUARD_SECONDS
    loop = os.strerror(errno.ELOOP)
    assert _lines(result.err) == [f"content/{name}.md: error: cannot read it: {loop}" for name in ("self", "x", "y")]
    _assert_clean_failure(result.code, 1, result.err, out2)


# --- Markdown that crashed or hung the previous renderer ------------------------------------------

BACKTICK_IN_LINK_TEXT = "See [`Cell<T>](https://example.org/x) for details.\n\nAnd [`a](u).\n"


@pytest.mark.parametrize("count", [1, 150], ids=["serial", "parallel"])
def test_a_backtick_inside_link_text_builds(tmp_path: Path, count: int) -> None:
    """markdown-it-pyrs panicked on this (a BaseException): a traceback on a small site, a
    worker that never answered on a site big enough for worker processes."""
    articles = {f"a{n}": _article(f"Article {n}").replace("Body.", BACKTICK_IN_LINK_TEXT) for n in range(count)}
    site = _site(tmp_path / "src", **articles)
    started = time.monotonic()
    result = run_digest("build", "-s", site, "-o", tmp_path / "out", "-j", "2")
    assert time.monotonic() - started < 120
    assert result.code == 0, result.err
    assert "Traceback" not in result.err and "warning" not in result.err, result.err
    page = next((tmp_path / "out").glob("2022/01/02/article-0/index.html")).read_text(encoding="utf-8")
    # `<T>` is raw inline HTML, which the sanitiser drops
    assert '<a href="https://example.org/x" rel="noopener noreferrer">`Cell</a>' in page


def test_markdown_nested_past_the_limit_is_a_located_error(tmp_path: Path) -> None:
    """50,000 nested `>` overflowed a native stack inside the old renderer (SIGSEGV, no
    message). Now digest refuses it, naming the line, before any renderer reads it."""
    deep = "---\ntitle: Deep\ndate: 2022-01-02\nsource: X\n---\nIntro.\n\n" + ">" * 50_000 + " x\n"
    site = _site(tmp_path / "src", deep=deep, fine=_article("Fine"))
    result = run_digest("build", "-s", site, "-o", tmp_path / "out")
    _assert_clean_failure(result.code, 1, result.err, tmp_path / "out")
    assert _lines(result.err) == [
        "content/deep.md:8: error: block quotes or lists nested more than 100 levels deep; flatten them"
    ]
