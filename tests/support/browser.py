"""Browser helpers for tests: Debian's Chromium driven by Playwright, a local static server,
axe-core accessibility checks and screenshots.

Playwright's own browser downloads are never used (no ``playwright install``): Chromium comes
from the Debian packages ``chromium``/``chromium-driver`` (``/usr/bin/chromium``, overridable
with the ``DIGEST_CHROMIUM`` environment variable).  axe-core comes from the pinned npm package
in ``tests/node`` (``npm ci --prefix tests/node``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import quote, unquote, urlsplit

from playwright.sync_api import Browser, Page, sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
DEFAULT_CHROMIUM = "/usr/bin/chromium"

#: The test machine has no general network access: these flags keep Chromium from trying to
#: reach Google services (component updates, sync, field trials, QUIC probing...).
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

ColorScheme = Literal["light", "dark"]
_COLOR_SCHEMES: tuple[str, ...] = ("light", "dark")


def chromium_executable() -> str:
    """The Chromium binary to drive: ``$DIGEST_CHROMIUM`` or ``/usr/bin/chromium``."""
    return os.environ.get("DIGEST_CHROMIUM") or DEFAULT_CHROMIUM


def chromium_available() -> bool:
    """True when the Chromium binary exists and is executable."""
    exe = Path(chromium_executable())
    return exe.is_file() and os.access(exe, os.X_OK)


def _color_scheme(color_scheme: str) -> ColorScheme:
    if color_scheme not in _COLOR_SCHEMES:
        raise ValueError(f"color_scheme must be 'light' or 'dark', not {color_scheme!r}")
    return cast(ColorScheme, color_scheme)


@contextmanager
def chromium_browser() -> Iterator[Browser]:
    """Launch headless Chromium (see :func:`chromium_executable`) and close it afterwards."""
    exe = chromium_executable()
    if not Path(exe).is_file():
        raise RuntimeError(
            f"Chromium not found at {exe} (apt-get install chromium chromium-driver, "
            "or set DIGEST_CHROMIUM)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=exe, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def new_page(
    browser: Browser,
    *,
    width: int = 1280,
    height: int = 800,
    color_scheme: str = "light",
) -> Iterator[Page]:
    """A page in a fresh browser context, closed afterwards.

    The context bypasses Content-Security-Policy so that :func:`axe_violations` can inject
    axe-core into pages whose CSP forbids inline scripts.
    """
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=_color_scheme(color_scheme),
        bypass_csp=True,
    )
    try:
        yield context.new_page()
    finally:
        context.close()


class _MountedHandler(SimpleHTTPRequestHandler):
    """Serves ``directory`` at URL path ``mount`` (e.g. ``/news/``); 404 for anything else."""

    mount = "/"
    extensions_map = {  # noqa: RUF012 - same shape as the base class attribute
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".xml": "application/xml",
        ".svg": "image/svg+xml",
        ".webmanifest": "application/manifest+json",
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".webp": "image/webp",
        ".avif": "image/avif",
        ".txt": "text/plain; charset=utf-8",
    }

    def _url_path(self) -> str:
        return unquote(urlsplit(self.path).path)

    def _route(self) -> bool:
        """Handle requests outside the mount; True when the request may be served from disk."""
        path = self._url_path()
        if path.startswith(self.mount):
            return True
        if path == self.mount.rstrip("/"):  # "/news" -> "/news/", as for any directory
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", self.mount)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        self.send_error(HTTPStatus.NOT_FOUND, "outside the mount point")
        return False

    def translate_path(self, path: str) -> str:
        # Strip the mount prefix, then let the base class map the rest into the directory
        # (it also drops ".." segments, so nothing outside the directory is reachable).
        decoded = unquote(urlsplit(path).path)
        if decoded.startswith(self.mount):
            decoded = "/" + decoded[len(self.mount) :]
        return super().translate_path(quote(decoded))

    def do_GET(self) -> None:
        if self._route():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._route():
            super().do_HEAD()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


@contextmanager
def serve_directory(root: Path, mount: str = "/") -> Iterator[str]:
    """Serve the folder ``root`` over HTTP on 127.0.0.1 (a free port) at URL path ``mount``.

    Yields the base URL, e.g. ``http://127.0.0.1:41234/news/`` for ``mount="/news/"``: a site
    built with a base_url path of ``/news/`` can be browsed exactly as deployed.  Requests
    outside the mount get 404.  The server runs in a daemon thread and is shut down (port
    closed) when the ``with`` block ends.
    """
    root = Path(root)
    if not root.is_dir():
        raise NotADirectoryError(f"not a directory: {root}")
    mount = "/" + mount.strip("/") + "/" if mount.strip("/") else "/"
    handler = type("MountedHandler", (_MountedHandler,), {"mount": mount})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},  # shutdown() waits up to one poll interval
        name="serve_directory",
        daemon=True,
    )
    thread.start()
    try:
        port = server.server_address[1]
        yield f"http://127.0.0.1:{port}{mount}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


_AXE_RUN = """
async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id,
    help: v.help,
    targets: v.nodes.map((n) =>
      n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' >>> ')),
  }));
}
"""


def axe_violations(page: Page, url: str, color_scheme: str) -> list[str]:
    """Run axe-core on ``url`` in ``color_scheme`` ('light' or 'dark'); describe violations.

    Each violation becomes ``"rule-id: help (N nodes: selector, selector, ...)"`` (at most
    three selectors shown).  An empty list means axe found no violations.  Raises
    RuntimeError if the page does not load with a 2xx/3xx status or axe cannot be injected.
    """
    if not AXE_JS.is_file():
        raise RuntimeError(f"{AXE_JS} is missing: run `npm ci --prefix tests/node`")
    page.emulate_media(color_scheme=_color_scheme(color_scheme))
    response = page.goto(url, wait_until="load")
    if response is not None and not response.ok:
        raise RuntimeError(f"GET {url} -> HTTP {response.status}")
    page.add_script_tag(path=AXE_JS)
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        raise RuntimeError(
            "axe-core could not be injected (a Content-Security-Policy? use new_page(), "
            "which sets bypass_csp=True)"
        )
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN)
    result: list[str] = []
    for v in violations:
        targets: list[str] = v["targets"]
        shown = ", ".join(targets[:3]) + (", ..." if len(targets) > 3 else "")
        noun = "node" if len(targets) == 1 else "nodes"
        result.append(f"{v['id']}: {v['help']} ({len(targets)} {noun}: {shown})")
    return result


def _take_screenshot(
    browser: Browser,
    url: str,
    path: Path,
    width: int,
    height: int,
    color_scheme: str,
    full_page: bool,
) -> None:
    with new_page(browser, width=width, height=height, color_scheme=color_scheme) as page:
        response = page.goto(url, wait_until="load")
        if response is not None and not response.ok:
            raise RuntimeError(f"GET {url} -> HTTP {response.status}")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.screenshot(path=path, full_page=full_page, animations="disabled")


def screenshot(
    url: str,
    path: Path,
    width: int,
    height: int,
    color_scheme: str,
    *,
    browser: Browser | None = None,
    full_page: bool = False,
) -> Path:
    """Save a PNG of ``url`` at ``width`` x ``height`` CSS pixels in ``color_scheme``.

    Pass ``browser`` (from :func:`chromium_browser`) to reuse a running browser; without it
    one is launched for this screenshot only.  Returns ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if browser is not None:
        _take_screenshot(browser, url, path, width, height, color_scheme, full_page)
    else:
        with chromium_browser() as own:
            _take_screenshot(own, url, path, width, height, color_scheme, full_page)
    return path
