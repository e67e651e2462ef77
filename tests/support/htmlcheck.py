"""HTML validation with the Nu Html Checker (vnu.jar from the pinned ``vnu-jar`` npm package).

The jar is installed by ``npm ci --prefix tests/node`` (see ``.ci/run``) and needs ``java``
(11 or later) on PATH.  Java takes a second or two to start, so :func:`vnu_errors` checks all
the files it is given in a single ``java`` invocation: call it once per built site, not once
per page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO_ROOT / "tests" / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: Seconds allowed for one vnu run (JVM start-up included).
VNU_TIMEOUT = 600.0

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht")


def java_executable() -> str | None:
    """Path of ``java`` on PATH, or None when no Java runtime is installed."""
    return shutil.which("java")


def vnu_available() -> bool:
    """True when both ``java`` and the vnu.jar from ``tests/node`` are installed."""
    return java_executable() is not None and VNU_JAR.is_file()


def _expand(paths: list[Path]) -> list[Path]:
    """Absolute file paths to check: files as given, directories expanded to their HTML files."""
    files: list[Path] = []
    for path in paths:
        path = Path(path).absolute()
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix in _HTML_SUFFIXES and p.is_file())
            )
        elif path.is_file():
            files.append(path)
        else:
            # vnu silently ignores paths that do not exist, which would look like "valid".
            raise FileNotFoundError(f"no such HTML file: {path}")
    return files


def _parse_report(stderr: str) -> list[dict[str, Any]]:
    """The ``messages`` of vnu's JSON report.

    The report is the ``{"version": ..., "messages": [...]}`` object vnu writes to stderr;
    the JVM may print other lines around it (e.g. "Picked up JAVA_TOOL_OPTIONS: ...").
    """
    start = stderr.find('{"version"')
    if start < 0:
        start = stderr.find('{"messages"')
    if start < 0:
        raise ValueError("no JSON report found")
    report, _ = json.JSONDecoder().raw_decode(stderr, start)
    if not isinstance(report, dict) or not isinstance(report.get("messages"), list):
        raise ValueError("JSON report has no 'messages' list")
    messages: list[dict[str, Any]] = report["messages"]
    return messages


def _url_to_path(url: str) -> Path:
    """vnu names files by ``file:/abs/path`` URLs with percent-escapes."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return Path(url)
    return Path(unquote(parts.path))


def vnu_errors(paths: list[Path]) -> list[str]:
    """Validate HTML files with vnu; return one ``"file:line: message"`` string per error.

    An empty list means every file is valid.  Warnings and info messages are not reported
    (``--errors-only``).  Directories in ``paths`` are expanded to the ``.html``/``.htm``/
    ``.xhtml``/``.xht`` files below them.  File names in the result are the paths as given
    by the caller (after directory expansion they are absolute).

    Raises FileNotFoundError for a missing file (vnu would silently skip it), and
    RuntimeError if java or vnu.jar is missing or vnu fails to check every file.
    """
    files = _expand(paths)
    if not files:
        return []
    java = java_executable()
    if java is None:
        raise RuntimeError("java is not installed (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        raise RuntimeError(f"{VNU_JAR} is missing: run `npm ci --prefix tests/node`")

    # How each file is shown in the result: as the caller wrote it when passed directly.
    display: dict[Path, str] = {Path(p).absolute(): str(p) for p in paths}
    cmd = [
        java,
        "-Xss4m",  # deep element nesting can overflow the default thread stack
        "-jar",
        str(VNU_JAR),
        "--errors-only",
        "--format",
        "json",
        "--verbose",  # names each checked file on stdout, so silently skipped files are caught
        *(str(f) for f in files),
    ]
    # Under the POSIX locale Java cannot open non-ASCII file names and vnu skips them
    # silently, and the curly quotes in its messages turn into "?": force a UTF-8 locale.
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    proc = subprocess.run(
        cmd,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=VNU_TIMEOUT,
        check=False,
    )
    # vnu exits 1 when it reports errors, so the exit status alone tells nothing.
    try:
        messages = _parse_report(proc.stderr)
    except ValueError as exc:
        raise RuntimeError(
            f"vnu failed (exit status {proc.returncode}, {exc}):\n{proc.stderr.strip()}"
        ) from exc

    checked = {Path(line.strip()) for line in proc.stdout.splitlines() if line.strip()}
    unchecked = [f for f in files if f not in checked]
    if unchecked:
        raise RuntimeError(
            "vnu did not check: " + ", ".join(str(f) for f in unchecked) + f"\n{proc.stderr}"
        )

    errors: list[str] = []
    for msg in messages:
        if msg.get("type") not in ("error", "non-document-error"):
            continue
        path = _url_to_path(str(msg.get("url", "")))
        name = display.get(path, str(path))
        line = msg.get("lastLine", msg.get("firstLine"))
        where = f"{name}:{line}" if line is not None else name
        text = " ".join(str(msg.get("message", "")).split())
        errors.append(f"{where}: {text}")
    if proc.returncode != 0 and not errors:
        raise RuntimeError(f"vnu exited with status {proc.returncode}:\n{proc.stderr.strip()}")
    return errors
