"""Property tests (hypothesis): front-matter splitting and parsing, slugs, permalinks and URL
joining, and the whole parse step on random bytes. Whatever the input: no exception, either an
Article or located one-line diagnostics, and every output path inside the site and valid UTF-8.

Bounded: 200 examples per property, no deadline (CI machines are slow); the file runs in a
few seconds."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator.core.diagnostics import Level
from generator.core.urls import absolute, expand_permalink, output_file, slugify, under
from generator.parse import frontmatter
from generator.parse.article import Parsed, parse_article
from generator.read.config import PERMALINK_TOKENS, SiteConfig, check_permalink, normalize_base_url
from generator.read.content import decode
from generator.read.frontmatterkeys import KNOWN_KEYS
from generator.read.sources import Registry

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONFIG = SiteConfig(root=Path("/nonexistent"), title="T", base_url="https://example.org/news/", timezone="Europe/Moscow")
REGISTRY = Registry(exists=False)
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
UNSAFE_IN_URL = re.compile(r'[\s?#"<>\\%\x00-\x1f\x7f]')

# YAML's trouble-makers, to be combined into front matter
TRICKY = [
    "no", "NO", "on", "off", "yes", "~", "null", "true", "2024-05-01", "2024-13-45", "1.10", "0x1F", "1e3",
    "&a x", "*a", "*nope", "!!binary aGk=", "!!python/object/apply:os.system [x]", "!!timestamp 2022-01-01",
    "[", "]", "{", "}", "[a, [b, {c: d}]]", "{a: *a}", "'", '"', "'it''s'", '"\\x07\\0"', "|", ">-", "- a",
    "? x", "%TAG ! x", "@", "`", "#comment", "a: b: c", "../../etc/x", "/abs", "C:\\x", "%2e%2e", "<script>",
    "ünïcødé", "Суд в Грозном", "\t", "", "   ", "---", "...", "https://example.org/?q=<x>&y",
]


def _check_parsed(result: Parsed) -> None:
    """The contract of parse_article: an Article without errors, or errors and no Article;
    every diagnostic located in the file and on one line."""
    assert isinstance(result, Parsed)
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    assert (result.article is None) == bool(errors), result.diagnostics
    for d in result.diagnostics:
        assert d.path == "content/x.md" and d.line >= 0
        assert "\n" not in d.message and d.message.strip() == d.message and d.message
    article = result.article
    if article is not None:
        _check_url(article.url, CONFIG.base_path)
        assert SLUG.fullmatch(article.slug), article.slug
        assert article.title and article.title.encode("utf-8")


def _check_url(url: str, base_path: str) -> None:
    """A URL of the site: under the base path, nothing unsafe, and a file inside the output."""
    assert url.startswith(base_path) and url.endswith("/"), url
    assert not UNSAFE_IN_URL.search(url), url
    url.encode("utf-8")
    rel = output_file(url, base_path)
    out = "/srv/site"
    assert posixpath.normpath(posixpath.join(out, rel)).startswith(out + "/"), rel
    assert ".." not in rel.split("/")


def _parse(text: str) -> Parsed:
    result = parse_article("x.md", text, CONFIG, REGISTRY)
    _check_parsed(result)
    return result


# --- front matter: splitting ---------------------------------------------------------------------

_line = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\ufeff\x85\u2028\u2029"))
_yaml_lines = st.lists(_line.filter(lambda s: not re.fullmatch(r"(---|\.\.\.)[ \t]*", s)), max_size=8)


@BOUNDED
@given(yaml_lines=_yaml_lines, body=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r")))
def test_split_gives_back_the_front_matter_and_body(yaml_lines: list[str], body: str) -> None:
    yaml_text = "".join(line + "\n" for line in yaml_lines)
    text = "---\n" + yaml_text + "---\n" + body
    parts = frontmatter.split(text)
    assert (parts.yaml_text, parts.body, parts.yaml_line) == (yaml_text, body, 2)
    assert parts.body_line == len(yaml_lines) + 3
    # the same file with a BOM and CRLF line endings splits the same
    windows = frontmatter.split("\ufeff" + text.replace("\n", "\r\n"))
    assert (windows.yaml_text, windows.body) == (yaml_text, body.replace("\r\n", "\n"))


@BOUNDED
@given(st.text())
@example("")
@example("---")
@example("---\n")
@example("---\n---")
@example("\ufeff---\r\n---\r\n")
def test_split_never_fails_unexpectedly(text: str) -> None:
    try:
        parts = frontmatter.split(text)
    except frontmatter.SplitProblem as problem:
        assert problem.line >= 1 and "\n" not in problem.message
        return
    assert parts.yaml_line == 2 and parts.body_line >= 3


# --- front matter: parsing --------------------------------------------------------------------------


@BOUNDED
@given(st.text())
def test_parse_article_on_any_text(text: str) -> None:
    _parse(text)


@BOUNDED
@given(st.text())
def test_parse_article_on_any_front_matter_text(front: str) -> None:
    _parse("---\n" + front.replace("\r", "") + "\n---\nBody.\n")


_scalar = st.one_of(st.sampled_from(TRICKY), st.text(max_size=20))
_key = st.one_of(st.sampled_from(KNOWN_KEYS), st.sampled_from(["categories", "layout", "x", "", "?"]))


@st.composite
def _front_matter(draw: st.DrawFn) -> str:
    """Front matter line by line from keys and tricky values, nested now and then."""
    lines = []
    for key in draw(st.lists(_key, max_size=10)):
        shape = draw(st.sampled_from(["scalar", "flow", "block", "nested"]))
        if shape == "scalar":
            lines.append(f"{key}: {draw(_scalar)}")
        elif shape == "flow":
            lines.append(f"{key}: [{', '.join(draw(st.lists(_scalar, max_size=4)))}]")
        elif shape == "block":
            lines.append(f"{key}:")
            lines += [f"  - {v}" for v in draw(st.lists(_scalar, max_size=3))]
        else:
            lines.append(f"{key}:")
            lines += [f"  {draw(_key) or 'k'}: {v}" for v in draw(st.lists(_scalar, max_size=3))]
    return "\n".join(lines)


@BOUNDED
@given(front=_front_matter(), body=st.text(max_size=200))
def test_parse_article_on_tricky_yaml(front: str, body: str) -> None:
    _parse(f"---\n{front}\n---\n{body}")


@BOUNDED
@given(title=st.text(min_size=1), source=st.text(min_size=1), tags=st.lists(st.text(), max_size=4))
def test_any_quoted_values_give_an_article_or_located_errors(title: str, source: str, tags: list[str]) -> None:
    def quoted(value: str) -> str:  # YAML double-quoted, with every character escaped as needed
        return '"' + "".join(c if c.isalnum() or c in " -_.,:/" else f"\\U{ord(c):08x}" for c in value) + '"'

    text = (
        f"---\ntitle: {quoted(title)}\ndate: 2022-05-27\nsource: {quoted(source)}\n"
        f"tags: [{', '.join(quoted(t) for t in tags)}]\n---\nBody.\n"
    )
    result = _parse(text)
    if result.article is not None:
        assert all(t.slug and SLUG.fullmatch(t.slug) for t in result.article.tags)
        assert SLUG.fullmatch(result.article.source.slug)


# --- slugs ---------------------------------------------------------------------------------------


@BOUNDED
@given(st.text(), st.text())
@example("", "")
@example("!!!", "")
@example("../../etc/passwd", "")
@example("\x00", "seed")
def test_slugify_is_always_a_safe_non_empty_segment(text: str, seed: str) -> None:
    slug = slugify(text, fallback_seed=seed)
    assert SLUG.fullmatch(slug), slug
    assert len(slug) <= 80
    assert slugify(text, fallback_seed=seed) == slug  # stable


@BOUNDED
@given(st.one_of(st.text(), st.sampled_from(TRICKY)))
def test_any_slug_gives_a_url_inside_the_site_or_a_located_error(slug: str) -> None:
    escaped = "".join(f"\\U{ord(c):08x}" for c in slug)
    result = _parse(f'---\ntitle: T\ndate: 2022-05-27\nsource: S\nslug: "{escaped}"\n---\nx\n')
    if result.article is None:
        assert [d.line for d in result.diagnostics] == [5]


# --- permalinks and URL joining ---------------------------------------------------------------------

_segment = st.one_of(
    st.sampled_from([f"{{{t}}}" for t in PERMALINK_TOKENS]),
    st.text(min_size=1, max_size=8).filter(lambda s: "/" not in s),
)


@BOUNDED
@given(segments=st.lists(_segment, min_size=0, max_size=5), values=st.lists(st.text(), min_size=6, max_size=6))
def test_accepted_permalinks_always_land_inside_the_site(segments: list[str], values: list[str]) -> None:
    pattern = "/" + "/".join([*segments, "{slug}"]) + "/"
    problem = check_permalink(pattern)
    assume(problem is None)
    tokens = {name: slugify(value) for name, value in zip(PERMALINK_TOKENS, values, strict=True)}
    _check_url(under(CONFIG.base_path, expand_permalink(pattern, tokens)), CONFIG.base_path)


@BOUNDED
@given(st.text())
@example("/../{slug}/")
@example("/%2e%2e/{slug}/")
@example("/a\\b/{slug}/")
@example("/\x00/{slug}/")
@example("/a b/?/{slug}/")
def test_permalink_check_refuses_what_could_escape(pattern: str) -> None:
    problem = check_permalink(pattern)
    if problem is None:
        tokens = {name: "v" for name in PERMALINK_TOKENS}
        _check_url(under("/", expand_permalink(pattern, tokens)), "/")
    else:
        assert "\n" not in problem


@BOUNDED
@given(base=st.text(), path=st.text())
@example("https://example.org/news/", "//evil.example/x")
@example("https://example.org/", "/\\evil.example")
def test_url_joining_never_changes_the_host(base: str, path: str) -> None:
    for candidate in (base, "https://example.org/" + base.lstrip("/")):
        base_url = normalize_base_url(candidate)
        if base_url is None:
            continue
        from urllib.parse import urlsplit

        parts = urlsplit(base_url)
        assert not UNSAFE_IN_URL.search(parts.path.replace("%", "")), base_url
        joined = absolute(base_url, under(parts.path, path))
        assert urlsplit(joined).netloc == parts.netloc and urlsplit(joined).scheme == parts.scheme
        assert joined.startswith(base_url)
        joined.encode("utf-8")


@BOUNDED
@given(st.text())
@example("/news/../../etc/passwd")
@example("/news/a/../../..")
@example("/news/\x00/")
@example("/news/a\\..\\..\\x/")
@example(".")
@example("/news/a/..")
def test_output_file_is_inside_or_refused(url_path: str) -> None:
    try:
        rel = output_file(url_path, "/news/")
    except ValueError:
        return
    assert not rel.startswith("/") and ".." not in rel.split("/")
    assert "\\" not in rel and "\x00" not in rel
    assert posixpath.normpath(posixpath.join("/srv/site", rel)).startswith("/srv/site/")


# --- the whole parse step on random bytes ----------------------------------------------------------


@BOUNDED
@given(
    st.one_of(
        st.binary(max_size=2048),
        st.binary(max_size=1024).map(lambda b: b"---\n" + b),
        st.binary(max_size=512).map(lambda b: b"---\ntitle: T\ndate: 2022-05-27\nsource: S\n" + b),
        st.binary(max_size=512).map(lambda b: b"\xef\xbb\xbf---\r\ntitle: T\r\n" + b + b"\r\n---\r\nBody\r\n"),
    )
)
def test_the_whole_parse_step_on_random_bytes(data: bytes) -> None:
    text, problem = decode("content/x.md", data)
    if text is None:
        assert problem is not None and problem.level is Level.ERROR and problem.line >= 0
        assert "\n" not in problem.message
        return
    assert problem is None
    _parse(text)
