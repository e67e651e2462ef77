"""What parsing one file yields, in a module of its own: the parse cache stores these, and
unpickling them must not import the Markdown stack (comrak, markdown-it, nh3, Pygments) that
only parse_article needs. A build that parses nothing (a no-op) then never loads it."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.diagnostics import Diagnostic
from ..core.model import Article


@dataclass(frozen=True)
class Parsed:
    """One file's article (None: unusable) and what was found wrong."""

    article: Article | None
    diagnostics: tuple[Diagnostic, ...]
    refs: tuple[tuple[str, int], ...] = ()
    # reported by `digest check` only: links carrying tracking parameters
    tracking: tuple[Diagnostic, ...] = ()
    source_url_line: int = 0
    alias_lines: tuple[int, ...] = ()  # the line of each of the article's aliases, in order
    roots: tuple[str, ...] = ()  # with links.root: its root-relative links (Rendered.roots)
