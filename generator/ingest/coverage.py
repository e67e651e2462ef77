"""Coverage the digest already has: the same page (its normalised URL), nearly the same text
(a page imported twice), or the same story (related text, by `--suggest-stories`' measure).

The site's articles, drafts included, are read cheaply: front matter by the YAML reader and the
body as written, with no Markdown rendering and no validation. A file that cannot be read is a
warning, never the end of an import."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlunsplit

from ..core import yamlnodes as yn
from ..core.scripts import CJK
from ..core.urls import parse_url, slugify
from ..index.suggest import StoryIndex, Text, counts_of
from ..parse.frontmatter import SplitProblem, split
from ..parse.tracking import strip_tracking
from ..read.content import MAX_BYTES, find_articles

SHINGLE = 5  # words
DUPLICATE = 0.6  # of the shorter text's shingles found in the other
MIN_SHINGLES = 12  # below this, only identical texts are the same text
MAX_RELATED = 5
# a word, or one Chinese or Japanese character (written without spaces between words)
_TOKEN = re.compile(f"[{CJK}]|[^\\W{CJK}]+")


@dataclass(frozen=True)
class Existing:
    path: str  # relative to the site, "content/2022/x.md"
    url: str  # normalised source_url, or ""
    story: str
    words: Counter[str]  # what the same-story measure reads, counted once
    shingles: frozenset[int]


@dataclass
class SiteArticles:
    articles: list[Existing] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _stories: StoryIndex | None = None  # made on the first comparison, in the order of `articles`

    def add(self, item: Existing) -> None:
        """A draft just written: a later source in the same command is checked against it too."""
        self.articles.append(item)
        if self._stories is not None:
            self._stories.add(item.words)

    def stories(self) -> StoryIndex:
        if self._stories is None:
            self._stories = StoryIndex([a.words for a in self.articles])
        return self._stories


def normalise_url(url: str) -> str:
    """The form two URLs of one page share: no tracking parameters or fragment, lower-case
    scheme and host, no default port, no trailing slash, http and https alike."""
    if parse_url(url.strip()) is None:
        return url.strip()
    url = strip_tracking(url.strip())
    parts = parse_url(url)
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or ""
    return urlunsplit(("https", host + port, path, parts.query, ""))


def shingles(text: str) -> frozenset[int]:
    tokens = [t.casefold() for t in _TOKEN.findall(text)]
    if len(tokens) < SHINGLE:
        return frozenset({hash(tuple(tokens))}) if tokens else frozenset()
    return frozenset(hash(tuple(tokens[i:i + SHINGLE])) for i in range(len(tokens) - SHINGLE + 1))


def same_text(a: frozenset[int], b: frozenset[int]) -> bool:
    small = min(len(a), len(b))
    if small == 0:
        return False
    if small < MIN_SHINGLES:
        return a == b
    return len(a & b) / small >= DUPLICATE


def _str(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def existing(rel: str, fields: dict[str, Any], body: str) -> Existing:
    tags = fields.get("tags")
    tag_list = tuple(slugify(str(t)) for t in tags) if isinstance(tags, list) else ()
    text = Text(_str(fields.get("title")), _str(fields.get("summary")), body, tag_list)
    url = _str(fields.get("source_url"))
    story = _str(fields.get("story"))
    return Existing(rel, normalise_url(url) if url else "", story, counts_of(text), shingles(body))


def read_site(root: Path) -> SiteArticles:
    out = SiteArticles()
    content = root / "content"
    for rel in find_articles(content):
        shown = f"content/{rel}"
        try:
            data = (content / rel).read_bytes()
            if len(data) > MAX_BYTES:
                raise ValueError("too large")
            parts = split(data.decode("utf-8"))
            # the reader the build uses: an alias bomb or deep nesting in one article is refused
            # in milliseconds rather than expanded
            node = yn.compose(parts.yaml_text)
            fields = yn.to_python(node) if node is not None else {}
            if not isinstance(fields, dict):
                raise ValueError("its front matter is not a mapping")
        except (OSError, UnicodeDecodeError, ValueError, SplitProblem, yn.YamlProblem) as exc:
            said = getattr(exc, "message", None) or str(exc)
            reason = said.splitlines()[0] if said.strip() else type(exc).__name__
            out.warnings.append(f"{shown}: cannot read it ({reason}); left out of the coverage checks")
            continue
        out.articles.append(existing(shown, fields, parts.body))
    return out


@dataclass(frozen=True)
class Coverage:
    same_page: list[str]  # files with the same normalised source_url
    same_text: list[str]  # files with nearly the same text
    related: list[tuple[str, float, str]]  # (file, similarity, story key or "")

    @property
    def story(self) -> str:
        """The story key the related articles share most (the best match breaks a tie)."""
        keys = Counter(story for _, _, story in self.related if story)
        if not keys:
            return ""
        top = max(keys.values())
        return next(story for _, _, story in self.related if story and keys[story] == top)


def check(site: SiteArticles, url: str, text: Text) -> Coverage:
    key = normalise_url(url) if url else ""
    same_page = [a.path for a in site.articles if key and a.url == key]
    mine = shingles(text.body)
    same = [a.path for a in site.articles if a.path not in same_page and same_text(mine, a.shingles)]
    skip = frozenset(i for i, a in enumerate(site.articles) if a.path in same_page or a.path in same)
    scores = site.stories().similar(text, skip)
    related = [(site.articles[i].path, score, site.articles[i].story) for score, i in scores]
    return Coverage(same_page, same, related[:MAX_RELATED])
