"""The preview HTTP server behind `digest serve`.

It serves one folder under the site's base path, injects the reload script into HTML pages and
pushes the build state to open pages over Server-Sent Events. It knows nothing about building:
the rebuild loop marks the preview stale, runs builds inside `gate.building()` and publishes
the outcome (the shape of MkDocs' LiveReloadServer). Requests wait while the preview is stale,
so a half-built or outdated site is never served.

The parts it puts together: the gate and the state channel (buildstate.py), what a request path
maps to (routes.py), and what served pages get added (pagescript.py).
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from .buildstate import BuildGate, BuildState, Closed, StateChannel
from .pagescript import inject, overlay_html, reload_script, script_tag
from .routes import content_type, path_part, resolve_inside, route

SEARCH_BUNDLE = "pagefind/"  # the search index's folder in the output (render/search.py BUNDLE)

PING_SECONDS = 15.0  # SSE comment that keeps proxies from closing an idle stream
GONE_CHECK_SECONDS = 0.5  # how soon an event stream notices that its page went away
MAX_STREAMS = 256  # open event streams (one per open tab); more are refused with 503
READ_TIMEOUT = 10.0  # a client that sends its request this slowly (or not at all) is dropped
STOP_CHECK_SECONDS = 0.01  # how often wait_reloaded looks at its stop condition

_MISSING = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"  # no 404.html yet


@dataclass(frozen=True)
class Reply:
    status: HTTPStatus
    data: bytes = b""
    kind: str = ""
    location: str = ""
    cache: str = "no-store"  # each page of the preview is asked for again; see `_cache`


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
        # serve.py: whether the served search index is behind the pages (the last build left it
        # as it was), and the call that has the next build make it
        self.search_behind: Callable[[], bool] = lambda: False
        self.want_search: Callable[[], None] = lambda: None
        self.script = reload_script()
        self._streams = threading.BoundedSemaphore(MAX_STREAMS)
        self._open: Counter[str] = Counter()  # output file -> event streams of pages showing it
        self._opened: Counter[str] = Counter()  # output file -> event streams opened for it so far
        self._open_lock = threading.Condition()

    def open_pages(self) -> frozenset[str]:
        """The output files of the pages open in a browser now (as their event streams name
        them): a build renders these first (engine/emit.py)."""
        with self._open_lock:
            return frozenset(self._open)

    def reloads_awaited(self, rels: Iterable[str]) -> dict[str, int]:
        """For each of `rels` open in a browser, the count of event streams opened for it that
        means every page showing it now has reloaded (each reloaded page opens a new one)."""
        with self._open_lock:
            return {rel: self._opened[rel] + self._open[rel] for rel in rels if self._open[rel]}

    def wait_reloaded(self, awaited: dict[str, int], timeout: float, stop: Callable[[], bool]) -> bool:
        """Until the pages of `awaited` (reloads_awaited) have reloaded and run their script,
        `stop()` holds, or `timeout` seconds passed. True when they reloaded."""
        deadline = time.monotonic() + timeout
        with self._open_lock:
            while not all(self._opened[rel] >= n for rel, n in awaited.items()):
                left = deadline - time.monotonic()
                if left <= 0 or stop():
                    return False
                self._open_lock.wait(min(left, STOP_CHECK_SECONDS))
            return True

    @contextmanager
    def page_open(self, rel: str | None) -> Iterator[None]:
        """While an event stream of the page at `rel` is open."""
        if rel is None:
            yield
            return
        with self._open_lock:
            self._open[rel] += 1
            self._opened[rel] += 1
            self._open_lock.notify_all()
        try:
            yield
        finally:
            with self._open_lock:
                self._open[rel] -= 1
                if self._open[rel] <= 0:
                    del self._open[rel]

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
        early = None if rel is None else self.gate.early(rel)
        if early is not None:  # an open page the running build has handed over already
            page, shown = early
            return Reply(HTTPStatus.OK, inject(page, self.snippet(shown)), content_type(rel or "", page))
        search = rel is not None and rel.startswith(SEARCH_BUNDLE)
        # the search index (serve.py: saves leave it behind the pages): until it is the pages'
        # when the gate lets the request in, the next build is asked to make it and the request
        # waits for that build. A build running when the request came may leave it behind:
        # seen inside the gate, and asked for then. A build that fails to make it (Pagefind
        # broken: its error shows over the pages) is asked for once more, then the request
        # gets what there is
        for attempt in range(2 if search else 1):
            if search and self.search_behind():
                self.want_search()
            with self.gate.reading():
                if search and attempt == 0 and self.search_behind():
                    continue
                reply, state = self._read(rel, url_path)
            break
        if reply.kind.startswith("text/html"):
            reply = replace(reply, data=inject(reply.data, self.snippet(state)))
        return reply

    def _read(self, rel: str | None, url_path: str) -> tuple[Reply, BuildState]:
        """The file (or the site's 404 page), with the state of the build it belongs to: called
        inside the gate."""
        target = None if rel is None else resolve_inside(self.folder, rel)
        _, state = self.channel.current()
        if target is not None and os.path.isdir(target):
            return Reply(HTTPStatus.FOUND, location=url_path + "/"), state
        data = _read(target)
        status = HTTPStatus.OK
        if rel is None or data is None:  # the site's 404.html: a missing page looks as on the host
            rel, status = "404.html", HTTPStatus.NOT_FOUND
            data = _read(resolve_inside(self.folder, rel)) or _MISSING
        return Reply(status, data, content_type(rel, data)), state

    def snippet(self, state: BuildState) -> str:
        parts = [overlay_html(state.errors)] if state.errors else []
        if self.reload:
            parts.append(script_tag(self.base_path, state.build))
        return "".join(parts)


_TEXT = "text/plain; charset=utf-8"
IMMUTABLE = "max-age=31536000, immutable"


def _cache(raw_path: str) -> str:
    """A theme file or the reload script asked for by a versioned URL (`?v=` and its content's
    hash: the theme's static() helper, pagescript.script_tag) is never asked for again: a page
    reloaded after a build then waits for nothing but itself. A changed file is linked by
    another version. Anything else, each time."""
    query = raw_path.split("?", 1)[1].split("#", 1)[0] if "?" in raw_path else ""
    return IMMUTABLE if any(part.startswith("v=") for part in query.split("&")) else "no-store"


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
                with server.stream_slot() as admitted, server.page_open(self._page()):
                    if admitted:
                        self._stream_events()
                        return
                reply = Reply(HTTPStatus.SERVICE_UNAVAILABLE, b"too many open pages\n", _TEXT)
            elif where.kind == "script" and server.reload:
                js = "text/javascript; charset=utf-8"
                reply = Reply(HTTPStatus.OK, server.script, js, cache=_cache(self.path))
            elif where.kind == "redirect":
                reply = Reply(HTTPStatus.FOUND, location=where.target)
            else:  # "missing" goes through load() too, to answer with the site's 404 page
                rel = where.target if where.kind == "file" else None
                reply = server.load(rel, path_part(self.path))
                if rel is not None and rel.startswith("static/") and reply.status == HTTPStatus.OK:
                    reply = replace(reply, cache=_cache(self.path))
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
            self.send_header("Cache-Control", reply.cache)
            self.end_headers()
            if not head:
                self.wfile.write(reply.data)
        except OSError:
            self.close_connection = True

    def _page(self) -> str | None:
        """The output file of the page an event stream's `?page=` names (pagescript.py)."""
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        pages = parse_qs(query.split("#", 1)[0]).get("page")
        if not pages:
            return None
        where = route(pages[0], self.server.base_path)
        return where.target if where.kind == "file" else None

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
