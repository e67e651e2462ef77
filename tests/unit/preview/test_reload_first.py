"""After handing over the open pages that changed, `digest serve`'s build waits until they have
reloaded before rendering the rest (serve.py RELOAD_FIRST_SECONDS): the server knows a page has
reloaded when the page opens a new event stream. Here with the real server on 127.0.0.1 and real
event streams over HTTP; the browser's side is in tests/e2e/test_serve_first.py."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.preview.livereload import PreviewServer

PAGE = "2022/a/index.html"
OTHER = "2022/b/index.html"
LONG = 30.0  # a wait that must end early, on its own, well before this


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    srv = PreviewServer(("127.0.0.1", 0), tmp_path, "/", reload=True)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.close()
        thread.join(5)


@contextmanager
def stream(srv: PreviewServer, page: str) -> Iterator[http.client.HTTPResponse]:
    """An event stream as a page's script opens it, held until the block ends."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    url_path = "/" + page.removesuffix("index.html")
    conn.request("GET", f"/__digest__/events?page={url_path}")
    reply = conn.getresponse()
    assert reply.status == 200
    reply.fp.readline()  # the first event has been written: the stream is registered
    try:
        yield reply
    finally:
        conn.close()


class Waiter:
    """server.wait_reloaded(awaited, LONG, stop) running in a thread of its own."""

    def __init__(self, srv: PreviewServer, awaited: dict[str, int]) -> None:
        self.stop = threading.Event()
        self.result: list[bool] = []
        self._thread = threading.Thread(
            target=lambda: self.result.append(srv.wait_reloaded(awaited, LONG, self.stop.is_set))
        )
        self._thread.start()

    def finished(self, seconds: float) -> bool:
        self._thread.join(seconds)
        return bool(self.result)


def test_the_wait_ends_when_the_open_page_has_opened_a_new_stream(server: PreviewServer) -> None:
    with stream(server, PAGE):
        awaited = server.reloads_awaited([PAGE, OTHER])
        assert set(awaited) == {PAGE}  # a page open in no browser is not waited for
        waiter = Waiter(server, awaited)
        assert not waiter.finished(0.3), "returned before the page reloaded"
        with stream(server, PAGE):  # the reloaded page's script
            assert waiter.finished(5) and waiter.result == [True]


def test_every_tab_showing_the_page_must_reload(server: PreviewServer) -> None:
    with stream(server, PAGE), stream(server, PAGE):
        waiter = Waiter(server, server.reloads_awaited([PAGE]))
        with stream(server, PAGE):
            assert not waiter.finished(0.3), "returned when one of two tabs had reloaded"
            with stream(server, PAGE):
                assert waiter.finished(5) and waiter.result == [True]


def test_a_stream_for_another_page_does_not_end_the_wait(server: PreviewServer) -> None:
    with stream(server, PAGE):
        waiter = Waiter(server, server.reloads_awaited([PAGE]))
        with stream(server, OTHER):
            assert not waiter.finished(0.3)
        with stream(server, PAGE):
            assert waiter.finished(5) and waiter.result == [True]


def test_the_wait_ends_at_its_limit_or_when_told_to_stop(server: PreviewServer) -> None:
    with stream(server, PAGE):
        awaited = server.reloads_awaited([PAGE])
        started = time.monotonic()
        assert server.wait_reloaded(awaited, 0.2, lambda: False) is False
        assert 0.2 <= time.monotonic() - started < 5
        waiter = Waiter(server, awaited)
        assert not waiter.finished(0.2)
        waiter.stop.set()  # a newer save, or the server stopping
        assert waiter.finished(5) and waiter.result == [False]


def test_nothing_open_means_no_wait(server: PreviewServer) -> None:
    assert server.reloads_awaited([PAGE]) == {}
    started = time.monotonic()
    assert server.wait_reloaded({}, LONG, lambda: False) is True
    assert time.monotonic() - started < 1
