"""Located problems, collected as data and printed GCC-style by the CLI."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

# more than this many diagnostics of one level and kind are printed as one line
GROUP_AFTER = 3


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One message about one place: file, line, level and what to do."""

    path: str
    line: int
    level: Level
    message: str
    # Diagnostics that repeat (one unknown key in a thousand files, one broken link on every
    # page) name their kind, e.g. "unknown-key:categories"; more than GROUP_AFTER of one level
    # and kind are printed as one line: `group` (what they share, else `message`), how many,
    # where the first few are, then `fix` (what to do, said once)
    kind: str = ""
    group: str = ""
    fix: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def format(self) -> str:
        return f"{self.where}: {self.level.value}: {self.message}"


@dataclass
class Diagnostics:
    """One collector per run; every stage adds to it and goes on with the next item."""

    root: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def where(self, path: Path | str) -> str:
        """The path as a diagnostic about it names it."""
        return self._rel(path)

    def _rel(self, path: Path | str) -> str:
        p = Path(path)
        if self.root is not None:
            try:
                return p.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return p.as_posix()

    def error(
        self, path: Path | str, line: int, message: str, kind: str = "", group: str = "", fix: str = ""
    ) -> None:
        self.items.append(Diagnostic(self._rel(path), line, Level.ERROR, message, kind, group, fix))

    def warning(
        self, path: Path | str, line: int, message: str, kind: str = "", group: str = "", fix: str = ""
    ) -> None:
        self.items.append(Diagnostic(self._rel(path), line, Level.WARNING, message, kind, group, fix))

    def extend(self, other: list[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        """Each distinct error once (as printed): the same link twice on a line is one."""
        return [d for d in dict.fromkeys(self.items) if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in dict.fromkeys(self.items) if d.level is Level.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))


def format_lines(diagnostics: Iterable[Diagnostic], verbose: bool = False) -> list[str]:
    """The lines to print, sorted by file and line. Unless `verbose`, more than GROUP_AFTER
    diagnostics of one level and kind become one line, placed where the first of them sorts:
    `content/a.md:6: warning: unknown key 'categories' in 1,047 files (content/a.md:6,
    content/b.md:6, content/c.md:6, …); use tags:, or …`."""
    items = sorted(set(diagnostics))
    if verbose:
        return [d.format() for d in items]
    groups: dict[tuple[Level, str], list[Diagnostic]] = defaultdict(list)
    for d in items:
        if d.kind:
            groups[(d.level, d.kind)].append(d)
    lines = []
    for d in items:
        group = groups.get((d.level, d.kind)) if d.kind else None
        if group is None or len(group) <= GROUP_AFTER:
            lines.append(d.format())
        elif group[0] is d:
            lines.append(_group_line(group))
    return lines


def _group_line(group: list[Diagnostic]) -> str:
    first = group[0]
    files = len({d.path for d in group})
    noun = "file" if files == 1 else "files"
    count = f"in {files:,} {noun}" if files == len(group) else f"{len(group):,} times in {files:,} {noun}"
    shown = ", ".join(d.where for d in group[:GROUP_AFTER])
    fix = f"; {first.fix}" if first.fix else ""
    return f"{first.where}: {first.level.value}: {first.group or first.message} {count} ({shown}, …){fix}"


class DigestError(Exception):
    """Something the build cannot go on after (missing theme, unreadable config)."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


class ConfigError(DigestError):
    """digest.yaml (or the command line) is wrong: exit code 2."""

    exit_code = 2
