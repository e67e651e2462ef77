"""A build's result as a person reads it: which messages are shown, and the one-line summary.
Shared by the commands that build (`digest build` and `check`, `serve`, `publish`), so each says
it the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .core.diagnostics import Diagnostic, Level

if TYPE_CHECKING:
    from .build import BuildResult


def shown(diagnostics: list[Diagnostic], quiet: bool) -> list[Diagnostic]:
    """What is printed: every error, and the warnings unless quiet."""
    return [d for d in diagnostics if not (quiet and d.level is Level.WARNING)]


def articles_left_out(result: BuildResult) -> str:
    """'3 articles (1 draft and 2 future left out)': what a build took in."""
    left = []
    if result.drafts_left_out:
        left.append(f"{result.drafts_left_out} draft{'s' if result.drafts_left_out != 1 else ''}")
    if result.future_left_out:
        left.append(f"{len(result.future_left_out)} future")
    left_text = f" ({' and '.join(left)} left out)" if left else ""
    return f"{result.articles} article{'s' if result.articles != 1 else ''}{left_text}"


def summary(result: BuildResult, write: bool) -> str:
    """The last line of a build (`write`) or a check."""
    errors, warnings = len(result.diagnostics.errors), len(result.diagnostics.warnings)
    articles = articles_left_out(result)
    counts = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    if errors:
        verb = "check failed" if not write else "build failed, nothing written"
        return f"digest: {verb}: {counts}; {articles} in {result.seconds:.2f} s"
    if not write:
        return (
            f"digest: check passed: {articles}, "
            f"{len(result.outputs)} pages and files checked in {result.seconds:.2f} s, {counts}"
        )
    return (
        f"digest: {articles}; {result.written} files written, "
        f"{result.unchanged} unchanged, {result.removed} removed in {result.seconds:.2f} s; {counts}"
    )
