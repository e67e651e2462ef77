"""Pagefind, a default dependency (`pagefind[extended]`): where its executable is on this machine.
A site's `search: true` is valid only where it is found, and the render stage runs the one found
here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

BINARY_VARIABLE = "PAGEFIND_BINARY_PATH"


def pagefind_binary() -> Path | None:
    """The Pagefind executable: $PAGEFIND_BINARY_PATH, else the one the `pagefind[extended]`
    (or plain `pagefind`) package ships, else one on PATH."""
    env = os.environ.get(BINARY_VARIABLE)
    if env:  # when set, it is the only candidate
        return Path(env) if Path(env).is_file() else None
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            imported = __import__(module)
            found = Path(imported.get_executable())
        except (ImportError, FileNotFoundError, AttributeError):
            continue
        if found.is_file():
            return found
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(on_path) if on_path else None


def pagefind_installed() -> bool:
    return pagefind_binary() is not None


def missing_pagefind() -> str:
    """What to say when `search: true` finds no Pagefind. It comes with digest, so it is missing
    only from a broken install or when $PAGEFIND_BINARY_PATH points nowhere: say which."""
    env = os.environ.get(BINARY_VARIABLE)
    if env:
        return (
            f"'search: true' needs Pagefind, but {BINARY_VARIABLE} is {env}, which is not a file: "
            f"point it at a Pagefind executable, or unset it to use the Pagefind that comes with digest"
        )
    return (
        "'search: true' needs Pagefind, which comes with digest but is not found: reinstall digest "
        "(pip install --force-reinstall 'digest-ssg'), or set "
        f"{BINARY_VARIABLE} to a Pagefind executable; 'search: false' turns search off"
    )
