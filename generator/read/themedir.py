"""Where the built-in theme is: its templates and static files are read by render/, its message
catalogs (locales/) by read/locales.py, so the lookup lives here, before both."""

from __future__ import annotations

from pathlib import Path

from ..core.diagnostics import ConfigError, Diagnostic, Level

_PACKAGE = Path(__file__).resolve().parent.parent  # generator/


def builtin_theme_dir() -> Path:
    """Inside the wheel the theme sits in the package; in a checkout, at the repository root."""
    for candidate in (_PACKAGE / "themes" / "default", _PACKAGE.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise ConfigError(
        [
            Diagnostic(
                "digest",
                0,
                Level.ERROR,
                "the built-in theme is missing from this installation; reinstall digest",
            )
        ]
    )
