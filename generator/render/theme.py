"""Themes: the built-in default, overridden template by template by a site's own theme."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..core.diagnostics import ConfigError, Diagnostic, Level
from ..read.config import CONFIG_NAME, SiteConfig
from ..read.locales import locale_dirs
from ..read.themedir import builtin_theme_dir

__all__ = ["Theme", "builtin_theme_dir", "load_theme"]


@dataclass(frozen=True)
class Theme:
    """Where the theme's templates, static files and catalogs are."""

    template_dirs: tuple[Path, ...]  # first wins
    builtin_templates: Path
    static_dirs: tuple[Path, ...]  # first wins
    site_static: Path | None = None  # the site's own static/: copied to the output's root
    # the message catalogs' folders (read/locales.py): in the fingerprint, so that editing a
    # site's locales/ru.po renders the pages again
    locale_dirs: tuple[Path, ...] = ()

    def static_files(self) -> dict[str, Path]:
        """Relative POSIX path -> file, the site theme's files shadowing the built-in ones."""
        files: dict[str, Path] = {}
        for folder in reversed(self.static_dirs):
            files.update(_files(folder))
        return dict(sorted(files.items()))

    def site_files(self) -> dict[str, Path]:
        """The site's static/ folder (images, downloads, CNAME...), published at the root."""
        return _files(self.site_static) if self.site_static is not None else {}

    @cached_property
    def fingerprint(self) -> str:
        """Every template, static file and message catalog, by path and bytes (read once per
        build)."""
        digest = hashlib.sha256()
        extra = (self.site_static,) if self.site_static is not None else ()
        for folder in self.template_dirs + self.static_dirs + extra + self.locale_dirs:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    digest.update(path.as_posix().encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()


def _files(folder: Path) -> dict[str, Path]:
    return {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def load_theme(config: SiteConfig, generated: Path | None = None) -> Theme:
    """The site's theme over the built-in one. `generated`: a folder of static files made from
    the settings (highlight.css), after the themes' own: a theme's file of the same name wins."""
    builtin = builtin_theme_dir()
    site_theme = config.root / "themes" / config.theme
    if config.theme != "default" and not site_theme.is_dir():
        raise ConfigError(
            [
                Diagnostic(
                    CONFIG_NAME,
                    0,
                    Level.ERROR,
                    f"theme '{config.theme}' not found: there is no folder themes/{config.theme}/",
                )
            ]
        )
    template_dirs: list[Path] = []
    static_dirs: list[Path] = []
    if site_theme.is_dir() and site_theme.resolve() != builtin.resolve():
        if (site_theme / "templates").is_dir():
            template_dirs.append(site_theme / "templates")
        if (site_theme / "static").is_dir():
            static_dirs.append(site_theme / "static")
    template_dirs.append(builtin / "templates")
    if (builtin / "static").is_dir():
        static_dirs.append(builtin / "static")
    if generated is not None:
        static_dirs.append(generated)
    site_static = config.root / "static"
    return Theme(
        tuple(template_dirs),
        builtin / "templates",
        tuple(static_dirs),
        site_static if site_static.is_dir() else None,
        locale_dirs(config),
    )
