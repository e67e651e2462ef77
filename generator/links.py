"""Internal link checking over rendered pages (used by `digest check`)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from .diagnostics import Diagnostic, Level
from .urls import output_file

_ATTR = re.compile(r"""\s(?:href|src)=(?:"([^"]*)"|'([^']*)')""")


def broken_links(outputs: dict[str, bytes], base_path: str, out_name: str = "site") -> list[Diagnostic]:
    """One error per broken internal link in every HTML page: output file, line, target."""
    problems: list[Diagnostic] = []
    for url, data in sorted(outputs.items()):
        if not url.endswith(("/", ".html")):
            continue
        text = data.decode("utf-8", errors="replace")
        for match in _ATTR.finditer(text):
            link = match.group(1) if match.group(1) is not None else match.group(2)
            target = _internal_target(url, link)
            if target is None or _exists(target, outputs):
                continue
            line = text.count("\n", 0, match.start()) + 1
            shown = f"{out_name}/{output_file(url, base_path)}"
            problems.append(
                Diagnostic(
                    shown, line, Level.ERROR, f"broken internal link to {target}: no page is built there"
                )
            )
    return problems


def _internal_target(page_url: str, link: str) -> str | None:
    link = link.strip()
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
