"""The preview HTTP server behind `digest serve`.

It serves one folder under the site's base path, injects the reload script into HTML pages and
pushes the build state to open pages over Server-Sent Events. It knows nothing about building:
the rebuild loop marks the preview stale, runs builds inside `gate.building()` and publishes
the outcome (the shape of MkDocs' LiveReloadServer). Requests wait while the preview is stale,
so a half-built or outdated site is never served.
"""

from __future__ import annotations

import html
import json
import mimetypes
import os
import secrets
import select
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

SPECIAL = "__digest__/"  # reserved folder under the base path: the script and the event stream
PING_SECONDS = 15.0  # SSE comment that keeps proxies from closing an idle stream
GONE_CHECK_SECONDS = 0.5  # how soon an event stream notices that its page went away
MAX_STREAMS = 256  # open event streams (one per open tab); more are refused with 503
READ_TIMEOUT = 10.0  # a client that sends its request this slowly (or not at all) is dropped


class Closed(Exception):
    """The server is shutting down."""


class BuildGate:
    """Readers/writer gate with MkDocs' epoch pair.

    Every change seen on disk bumps `wanted`; a build records the `wanted` it started from and
    publishes it as `visible` when it ends. Requests wait until `visible == wanted`, so one that
    arrives after a save (even during the debounce pause) gets the rebuilt site. A build waits
    for requests already reading files, because it replaces output files by renames.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._wanted = 1  # the first build is wanted from the start
        self._visible = 0
        self._readers = 0
        self._closed = False

    def mark_stale(self) -> None:
        with self._cond:
            self._wanted += 1

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._visible == self._wanted)
            if self._closed:
                raise Closed
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def building(self) -> Iterator[None]:
        with self._cond:
            target = self._wanted
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._cond:
                self._visible = max(self._visible, target)
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


@dataclass(frozen=True)
class BuildState:
    """What open pages need to know: which output is served and whether the last build failed."""

    build: str  # id of the output being served; a page built from another id reloads
    previous: str = ""  # the id before it: a page at that id may just swap its stylesheets
    css_only: bool = False
    errors: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            {
                "build": self.build,
                "previous": self.previous,
                "css_only": self.css_only,
                "errors": list(self.errors),
            }
        )


class StateChannel:
    """The latest BuildState, and a way for event streams to wait for the next one."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(4)  # a restarted server never reuses an id
        self._count = 0
        self._cond = threading.Condition()
        self._version = 0
        self._state = BuildState(build=f"{self._token}-0")
        self._closed = False

    def current(self) -> tuple[int, BuildState]:
        with self._cond:
            return self._version, self._state

    def publish(self, ok: bool, errors: tuple[str, ...], output_changed: bool, css_only: bool) -> None:
        """A new id when a build changed the output; the same one (pages stay as they are, the
        overlay comes or goes) when it failed or wrote nothing new."""
        with self._cond:
            if ok and output_changed:
                self._count += 1
                self._state = BuildState(f"{self._token}-{self._count}", self._state.build, css_only)
            else:
                self._state = replace(self._state, errors=() if ok else errors)
            self._version += 1
            self._cond.notify_all()

    def wait_newer(self, version: int, timeout: float) -> tuple[int, BuildState] | None:
        """The next state after `version`, or None after `timeout`; raises Closed on shutdown."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._version != version, timeout)
            if self._closed:
                raise Closed
            if self._version == version:
                return None
            return self._version, self._state

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


# --- routing (pure) --------------------------------------------------------------------------

RouteKind = Literal["file", "redirect", "events", "script", "missing"]


@dataclass(frozen=True)
class Route:
    kind: RouteKind
    target: str = ""  # "file": path relative to the preview folder; "redirect": the Location


def route(raw_path: str, base_path: str) -> Route:
    """Map a request path to what answers it. Only paths under `base_path` reach files, and
    none with '.', '..' or empty segments, whether written plainly or percent-encoded."""
    path = unquote(path_part(raw_path))  # decoded once: '%252e' stays the literal '%2e'
    if "\x00" in path or "\\" in path:
        return Route("missing")
    if not path.startswith(base_path):
        if path in ("/", base_path.rstrip("/")):
            return Route("redirect", base_path)
        return Route("missing")
    rel = path[len(base_path) :]
    segments = rel.split("/")
    if any(s in (".", "..") for s in segments) or "" in segments[:-1]:
        return Route("missing")
    if rel == SPECIAL + "events":
        return Route("events")
    if rel == SPECIAL + "livereload.js":
        return Route("script")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return Route("file", rel)


def path_part(raw_path: str) -> str:
    """The path of a request target without query or fragment. Not urlsplit: it would read
    '//host/x' as a network location."""
    return raw_path.split("?", 1)[0].split("#", 1)[0]


def resolve_inside(folder: Path, rel: str) -> str | None:
    """The real path of `rel` if it lies inside `folder` (symlinks followed), else None. The
    folder is resolved on every call: a build may have replaced it since."""
    root = os.path.realpath(folder)
    target = os.path.realpath(os.path.join(root, rel))
    return target if target.startswith(root + os.sep) else None


_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}


def content_type(rel: str, data: bytes) -> str:
    """By extension; feeds are told apart by their first bytes (feed.xml is Atom, rss.xml RSS,
    whatever a theme names them)."""
    suffix = os.path.splitext(rel)[1].lower()
    head = data[:512]
    if suffix == ".xml":
        if b"<feed" in head:
            return "application/atom+xml"
        return "application/rss+xml" if b"<rss" in head else "application/xml"
    if suffix == ".json":
        return "application/feed+json" if b"jsonfeed.org/version" in head else "application/json"
    return _TYPES.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"


# --- what is injected into pages -------------------------------------------------------------

OVERLAY_ID = "digest-overlay"
OVERLAY_TITLE = "digest: the build failed; this is the last good build"
_OVERLAY_STYLE = (
    "position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:60vh;overflow:auto;"
    "margin:0;padding:1rem 1.25rem;background:#7a0d0d;color:#fff;font:14px/1.5 ui-monospace,"
    "SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 2px 12px rgba(0,0,0,.5);text-align:left"
)
_TITLE_STYLE = "margin:0 0 .5rem;font-weight:bold"
_LIST_STYLE = "margin:0;padding-left:1.25rem;white-space:pre-wrap"


def overlay_html(errors: tuple[str, ...]) -> str:
    """The overlay as served in pages loaded while the last build is failing (works without
    JavaScript; the script replaces or removes it as states arrive)."""
    items = "".join(f"<li>{html.escape(e)}</li>" for e in errors)
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="{_OVERLAY_STYLE}">'
        f'<p style="{_TITLE_STYLE}">{html.escape(OVERLAY_TITLE)}</p>'
        f'<ul style="{_LIST_STYLE}">{items}</ul></div>'
    )


def script_tag(base_path: str, build: str) -> str:
    src = html.escape(base_path + SPECIAL + "livereload.js")
    return f'<script src="{src}" data-build="{html.escape(build)}"></script>'


def inject(page: bytes, snippet: str) -> bytes:
    """Insert `snippet` before the last </body> (or at the end of a page without one)."""
    if not snippet:
        return page
    at = page.lower().rfind(b"</body>")
    data = snippet.encode("utf-8")
    return page + data if at < 0 else page[:at] + data + page[at:]


_SCRIPT = """\
// digest serve: reload this page when the preview is rebuilt; show build errors.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = me.getAttribute("data-build");
  var look = %(look)s;

  function showErrors(errors) {
    var old = document.getElementById(look.id);
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = look.id;
    box.setAttribute("role", "alert");
    box.style.cssText = look.box;
    var title = document.createElement("p");
    title.style.cssText = look.title;
    title.textContent = look.heading;
    var list = document.createElement("ul");
    list.style.cssText = look.list;
    errors.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    box.appendChild(title);
    box.appendChild(list);
    document.body.appendChild(box);
  }

  function swapStylesheets() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("digest-reload", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = function () { link.remove(); };
      link.after(fresh);
    });
  }

  var events = new EventSource(new URL("events", me.src));
  events.addEventListener("state", function (message) {
    var state = JSON.parse(message.data);
    if (state.build !== build) {
      if (state.css_only && state.previous === build) {
        swapStylesheets();
        build = state.build;
      } else {
        events.close();
        location.reload();
        return;
      }
    }
    showErrors(state.errors);
  });
})();
"""


def reload_script() -> bytes:
    look = {
        "id": OVERLAY_ID,
        "heading": OVERLAY_TITLE,
        "box": _OVERLAY_STYLE,
        "title": _TITLE_STYLE,
        "list": _LIST_STYLE,
    }
    return (_SCRIPT % {"look": json.dumps(look)}).encode("utf-8")


# --- the server ------------------------------------------------------------------------------

_MISSING = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"  # no 404.html yet


@dataclass(frozen=True)
class Reply:
    status: HTTPStatus
    data: bytes = b""
    kind: str = ""
    location: str = ""


class PreviewServer(ThreadingHTTPServer):
    """Serves `folder` at `base_path`, one daemon thread per connection: a slow or stuck
    client holds only its own thread (and loses it after READ_TIMEOUT), and never blocks exit
    (server_close() does not wait for connection threads)."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024  # the listen backlog: a burst of connections is queued, not dropped

    def __init__(self, address: tuple[str, int], folder: Path, base_path: str, reload: bool) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.folder = folder
        self.base_path = base_path
        self.reload = reload
        self.gate = BuildGate()
        self.channel = StateChannel()
        self.script = reload_script()
        self._streams = threading.BoundedSemaphore(MAX_STREAMS)

    @contextmanager
    def stream_slot(self) -> Iterator[bool]:
        """One of MAX_STREAMS event-stream slots (True), or False when all are taken."""
        if not self._streams.acquire(blocking=False):
            yield False
            return
        try:
            yield True
        finally:
            self._streams.release()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def close(self) -> None:
        """Wake every waiting request and event stream, then stop serving."""
        self.channel.close()
        self.gate.close()
        self.shutdown()
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that goes away mid-response is normal; never print socketserver's traceback.
        if os.environ.get("DIGEST_DEBUG"):
            super().handle_error(request, client_address)

    def load(self, rel: str | None, url_path: str) -> Reply:
        """Read a file of the preview while no build runs; HTML gets the overlay and script of
        the state that matches the bytes read."""
        with self.gate.reading():
            target = None if rel is None else resolve_inside(self.folder, rel)
            if target is not None and os.path.isdir(target):
                return Reply(HTTPStatus.FOUND, location=url_path + "/")
            data = _read(target)
            status = HTTPStatus.OK
            if rel is None or data is None:  # the site's 404.html: a missing page looks as on the host
                rel, status = "404.html", HTTPStatus.NOT_FOUND
                data = _read(resolve_inside(self.folder, rel)) or _MISSING
            _, state = self.channel.current()
        kind = content_type(rel, data)
        if kind.startswith("text/html"):
            data = inject(data, self.snippet(state))
        return Reply(status, data, kind)

    def snippet(self, state: BuildState) -> str:
        parts = [overlay_html(state.errors)] if state.errors else []
        if self.reload:
            parts.append(script_tag(self.base_path, state.build))
        return "".join(parts)


_TEXT = "text/plain; charset=utf-8"


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    timeout = READ_TIMEOUT  # per socket operation: a stalled client does not hold a thread forever

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for build messages

    def _answer(self, head: bool) -> None:
        server = self.server
        where = route(self.path, server.base_path)
        try:
            if where.kind == "events" and server.reload:
                with server.stream_slot() as admitted:
                    if admitted:
                        self._stream_events()
                        return
                reply = Reply(HTTPStatus.SERVICE_UNAVAILABLE, b"too many open pages\n", _TEXT)
            elif where.kind == "script" and server.reload:
                reply = Reply(HTTPStatus.OK, server.script, "text/javascript; charset=utf-8")
            elif where.kind == "redirect":
                reply = Reply(HTTPStatus.FOUND, location=where.target)
            else:  # "missing" goes through load() too, to answer with the site's 404 page
                rel = where.target if where.kind == "file" else None
                reply = server.load(rel, path_part(self.path))
        except Closed:
            reply = Reply(HTTPStatus.SERVICE_UNAVAILABLE, b"shutting down\n", _TEXT)
        except OSError:
            self.close_connection = True  # the client went away
            return
        self._send(reply, head)

    def _send(self, reply: Reply, head: bool) -> None:
        try:
            self.send_response(reply.status)
            if reply.location:
                self.send_header("Location", reply.location)
            if reply.kind:
                self.send_header("Content-Type", reply.kind)
                self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Length", str(len(reply.data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(reply.data)
        except OSError:
            self.close_connection = True

    def _stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        version, state = self.server.channel.current()
        self._event(b"retry: 1000\n", state)
        quiet = 0.0
        while True:
            newer = self.server.channel.wait_newer(version, GONE_CHECK_SECONDS)
            if newer is None:
                if self._client_gone():  # closed tab, reset connection: free the thread now
                    return
                quiet += GONE_CHECK_SECONDS
                if quiet >= PING_SECONDS:
                    quiet = 0.0
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                continue
            version, state = newer
            self._event(b"", state)

    def _client_gone(self) -> bool:
        """An event stream's client sends nothing after its request: the socket turning readable
        means it closed (EOF) or reset the connection."""
        sock = self.connection
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            if not readable:
                return False
            return bool(sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"")
        except BlockingIOError:
            return False
        except (OSError, ValueError):
            return True

    def _event(self, prefix: bytes, state: BuildState) -> None:
        self.wfile.write(prefix + b"event: state\ndata: " + state.to_json().encode("utf-8") + b"\n\n")
        self.wfile.flush()


def _read(path: str | None) -> bytes | None:
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:  # missing, a folder, unreadable: all "not found" to the browser
        return None
