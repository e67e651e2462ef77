"""Search with Pagefind (a default dependency; a site turns it on with `search: true`).

A one-language site gets one index (`--force-language`): its search page finds articles in every
language they were written in. A multilingual site gets one index per language: Pagefind splits
the pages by their `<html lang>` (each stemmed and segmented in its own language), and each
language's search page loads the index of its own `<html lang>`. The bundle is one, at the root.

The index is built after the pages are rendered, from the article and story pages, in a scratch
folder; its files then go through the same Writer as every other output. So they are in the
output manifest (never pruned as strangers), unchanged files keep their mtime, and a build whose
indexed pages are all unchanged does not run Pagefind at all."""

from __future__ import annotations

from pathlib import Path

from ..read.pagefind import missing_pagefind, pagefind_binary

BUNDLE = "pagefind"  # the folder under the output root
INDEXED_KINDS = ("article", "story")


class SearchProblem(Exception):
    pass


def pagefind_identity() -> str:
    """What decides Pagefind's output besides the pages: which binary (a new version is a new
    file). Cheap enough for every build's whole-site key."""
    exe = pagefind_binary()
    if exe is None:
        return "none"
    try:
        stat = exe.stat()
    except OSError:
        return str(exe)
    return f"{exe}:{stat.st_size}:{stat.st_mtime_ns}"


def index_pages(
    pages: dict[str, bytes], force_language: str | None, scratch_parent: Path | None = None
) -> dict[str, bytes]:
    """Run Pagefind over `pages` (output-relative path -> HTML) and return its bundle as
    output-relative path (under pagefind/) -> bytes. `force_language`: one index in that
    language; None: one index per page language."""
    import subprocess  # only here: a build that runs no Pagefind does not load them
    import tempfile

    exe = pagefind_binary()
    if exe is None:
        raise SearchProblem(missing_pagefind())
    if scratch_parent is not None:
        scratch_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="search-", dir=scratch_parent) as tmp:
        site = Path(tmp) / "site"
        bundle = Path(tmp) / "bundle"
        for rel, data in pages.items():
            target = site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        site.mkdir(exist_ok=True)
        command = [str(exe), "--site", str(site), "--output-path", str(bundle), "--silent"]
        if force_language is not None:
            # one index for the whole site: the search page finds Russian and English articles
            # alike (each article's own `lang` still marks its words for the browser)
            command += ["--force-language", force_language.split("-", 1)[0].lower()]
        try:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SearchProblem(f"could not run Pagefind ({exe}): {exc}") from None
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise SearchProblem(
                f"Pagefind failed (exit {proc.returncode})" + (f": {detail[-1]}" if detail else "")
            )
        return {
            f"{BUNDLE}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file()
        }
