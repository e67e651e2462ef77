"""Pagefind, the optional `search` extra: where its executable is on this machine. A site's
`search: true` is valid only where it is found, and the render stage runs the one found here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

SEARCH_HINT = "pip install 'digest-ssg[search]'"


def pagefind_binary() -> Path | None:
    """The Pagefind executable: $PAGEFIND_BINARY_PATH, else the one the `pagefind[extended]`
    (or plain `pagefind`) package ships, else one on PATH."""
    env = os.environ.get("PAGEFIND_BINARY_PATH")
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
    """The `search` extra: the pagefind package, whose `extended` extra ships the binary."""
    return pagefind_binary() is not None
