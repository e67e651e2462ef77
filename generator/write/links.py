"""Internal link checking (used by `digest check`).

Links written in an article (its body and its summary) are checked once, against the article's
own page, and reported at the Markdown file and line. On rendered pages, only the links the
theme makes are checked: a page link whose href is one found in some article's body or summary
is that article's, and was checked with it (a summary is shown on many list pages, and its
broken link would otherwise be reported on every one of them)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..core.diagnostics import Diagnostic, Level
from ..core.model import Article, Bodies
from ..core.urls import IN_TAG_URL, output_file
from ..parse import frontmatter

_ATTR = re.compile(IN_TAG_URL + r"""(?:"([^"]*)"|'([^']*)')""")  # inside tags only
NO_PAGE = "no page is built there"


def article_links(
    articles: Iterable[Article], outputs: dict[str, bytes], base_path: str, content_dir: Path, bodies: Bodies
) -> tuple[list[Diagnostic], set[str]]:
    """One error per broken internal link in each article's body and summary, resolved against
    the article's URL and located at `content/PATH:LINE`; and every href found there (the page
    check leaves those alone)."""
    problems: list[Diagnostic] = []
    hrefs: set[str] = set()
    for article in sorted(articles, key=lambda a: a.path):
        broken: dict[str, str] = {}  # href as written -> the missing target
        for html in (str(bodies.content(article)), str(article.summary)):
            for match in _ATTR.finditer(html):
                link = match.group(1) if match.group(1) is not None else match.group(2)
                hrefs.add(link)
                if link in broken or _is_md_link(link):
                    continue  # a .md link that does not resolve is reported by the build
                target = _internal_target(article.url, link)
                if target is not None and not _exists(target, outputs):
                    broken[link] = target
        if not broken:
            continue
        body_line, lines = _source(content_dir / article.path)
        for link, target in broken.items():
            fix = f"{NO_PAGE}; {_address_fix(link) or 'correct or remove the link'}"
            problems.append(
                Diagnostic(
                    f"content/{article.path}",
                    _line_of(link, lines, body_line, base_path),
                    Level.ERROR,
                    f"broken internal link to {target}: {fix}",
                    kind=f"broken-link:{target}",
                    group=f"broken internal link to {target}",
                    fix=fix,
                )
            )
    return problems, hrefs


# a link that is another site's address written without its scheme ("pptrconsole.com",
# "www.example.org/report") starts with a host: dotted labels, the last one letters that are
# not a file's extension ("photo.jpg" and "report.html" are this site's files)
_HOST = re.compile(r"(?:[a-z0-9-]+\.)+([a-z]{2,24})(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)
_FILE_EXTENSIONS = frozenset((
    "html", "htm", "xhtml", "php", "asp", "aspx", "jsp", "md", "markdown", "txt", "pdf", "png", "jpg",
    "jpeg", "gif", "webp", "avif", "svg", "ico", "xml", "json", "csv", "zip", "gz", "mp3", "mp4", "webm",
    "ogg", "css", "js",
))
_SCHEME_INSIDE = re.compile(r"https?://", re.IGNORECASE)


def _address_fix(link: str) -> str:
    """What to do when a broken relative link is really another site's address: one written
    without its scheme, or with a stray character before it ("：https://…", a full-width colon)."""
    written = unquote(unescape(link)).strip()
    inside = _SCHEME_INSIDE.search(written)
    if inside is not None and inside.start() > 0:
        return f"another site's address? it starts at {written[inside.start():]}: remove what comes before it"
    host = _HOST.match(written)
    if host is not None and host.group(1).lower() not in _FILE_EXTENSIONS:
        return f"another site's address? write it with its scheme: https://{written}"
    return ""


def broken_links(
    outputs: dict[str, bytes], base_path: str, out_name: str = "site", skip: set[str] | None = None
) -> list[Diagnostic]:
    """One error per broken internal link in every HTML page: output file, line, target. Links
    whose href is in `skip` (those written in articles) are not checked here."""
    problems: list[Diagnostic] = []
    skip = skip or set()
    for url, data in sorted(outputs.items()):
        if not url.endswith(("/", ".html")):
            continue
        text = data.decode("utf-8", errors="replace")
        for match in _ATTR.finditer(text):
            link = match.group(1) if match.group(1) is not None else match.group(2)
            if link in skip:
                continue
            target = _internal_target(url, link)
            if target is None or _exists(target, outputs):
                continue
            line = text.count("\n", 0, match.start()) + 1
            shown = f"{out_name}/{output_file(url, base_path)}"
            fix = f"{NO_PAGE}; correct the link in the template that makes it"
            problems.append(
                Diagnostic(
                    shown,
                    line,
                    Level.ERROR,
                    f"broken internal link to {target}: {fix}",
                    kind=f"broken-theme-link:{target}",
                    group=f"broken internal link to {target}",
                    fix=fix,
                )
            )
    return problems


def _is_md_link(link: str) -> bool:
    path = urlsplit(unescape(link)).path
    return not urlsplit(link).scheme and not path.startswith("/") and path.endswith((".md", ".markdown"))


def _source(path: Path) -> tuple[int, list[str]]:
    """The body's first line and the file's lines (1 and none when it cannot be read now)."""
    try:
        text = path.read_text(encoding="utf-8")
        return frontmatter.split(text).body_line, frontmatter.normalize_text(text).split("\n")
    except (OSError, UnicodeDecodeError, frontmatter.SplitProblem):
        return 1, []


def _line_of(link: str, lines: list[str], body_line: int, base_path: str) -> int:
    """The line where the link's target first appears in the body (else anywhere in the file,
    as in a front-matter summary), else the body's first line."""
    written = unescape(link)
    candidates = {link, written, unquote(written)}
    if base_path != "/" and written.startswith(base_path):
        candidates.add("/" + written[len(base_path) :])  # root-relative links get the base path
    start = max(body_line - 1, 0)
    order: list[int] = [*range(start, len(lines)), *range(start)]
    for index in order:
        if any(c and c in lines[index] for c in candidates):
            return index + 1
    return body_line


def _internal_target(page_url: str, link: str) -> str | None:
    link = unescape(link).strip()
    if not link or link.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
        return None
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    resolved = urlsplit(urljoin(page_url, link))
    return unquote(resolved.path)


def _exists(target: str, outputs: dict[str, bytes]) -> bool:
    if target in outputs:
        return True
    if target.endswith("/index.html") and target[: -len("index.html")] in outputs:
        return True
    return not target.endswith("/") and target + "/" in outputs
