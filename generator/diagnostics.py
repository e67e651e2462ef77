"""Located problems, collected as data and printed GCC-style by the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    level: Level
    message: str

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level.value}: {self.message}"


@dataclass
class Diagnostics:
    """One collector per run; every stage adds to it and goes on with the next item."""

    root: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def _rel(self, path: Path | str) -> str:
        p = Path(path)
        if self.root is not None:
            try:
                return p.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return p.as_posix()

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Diagnostic(self._rel(path), line, Level.ERROR, message))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Diagnostic(self._rel(path), line, Level.WARNING, message))

    def extend(self, other: list[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))


class DigestError(Exception):
    """Something the build cannot go on after (missing theme, unreadable config)."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


class ConfigError(DigestError):
    """digest.yaml (or the command line) is wrong: exit code 2."""

    exit_code = 2
