"""`digest serve` under load and abuse, on loopback only: 200 concurrent connections and
10,000 requests, 100 live-reload streams dropped abruptly, a 1 MB request line, slow clients
that never finish their request; after each, the server still answers and its threads and
file descriptors (counted in /proc/PID/task and /proc/PID/fd) are back where they were.

Bounded: every socket has a timeout, the load runs on a fixed pool of threads, and each test
has a deadline well under a minute."""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from e2e.test_serve import ARTICLE_PATH, Preview, make_site, serve

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")

TIMEOUT = 20.0  # any single socket operation of the test
SETTLE_SECONDS = 20.0  # time allowed for threads and descriptors to come back down
READ_TIMEOUT = 10.0  # the server's: generator/preview/livereload.py READ_TIMEOUT


def _counts(pid: int) -> tuple[int, int]:
    return len(os.listdir(f"/proc/{pid}/fd")), len(os.listdir(f"/proc/{pid}/task"))


def _request(address: tuple[str, int], raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection; the whole response, its length checked."""
    with socket.create_connection(address, timeout=TIMEOUT) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return _parse(b"".join(chunks))


def _parse(data: bytes) -> tuple[int, dict[str, str], bytes]:
    head, sep, body = data.partition(b"\r\n\r\n")
    assert sep, f"incomplete response: {data[:200]!r}"
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if "content-length" in headers:
        assert len(body) == int(headers["content-length"]), "truncated body"
    return status, headers, body


def _get(address: tuple[str, int], path: str) -> int:
    status, _, _ = _request(address, f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return status


def _wait_until_settled(preview: Preview, baseline: tuple[int, int], slack: int = 3) -> tuple[int, int]:
    pid = preview.proc.pid
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        now = _counts(pid)
        if now[0] <= baseline[0] + slack and now[1] <= baseline[1] + slack:
            return now
        assert time.monotonic() < deadline, f"fds/threads {now} did not come back to {baseline}"
        time.sleep(0.2)


def _still_serves(preview: Preview) -> None:
    assert _get(preview.address, preview.base_path) == 200
    assert preview.proc.poll() is None
    err = "".join(preview.err)
    assert "Traceback" not in err and "internal error" not in err, err


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    site = make_site(tmp_path_factory.mktemp("serve-load"), "https://example.org/news/")
    with serve(site) as running:
        # warm up: the first requests load modules and caches that then stay
        for path in ("", ARTICLE_PATH, "feed.xml", "static/style.css", "nope/", "__digest__/livereload.js"):
            _get(running.address, running.base_path + path)
        yield running


@pytest.fixture
def baseline(preview: Preview) -> tuple[int, int]:
    _still_serves(preview)
    time.sleep(0.3)
    return _counts(preview.proc.pid)


def test_200_concurrent_connections(preview: Preview, baseline: tuple[int, int]) -> None:
    socks = [socket.create_connection(preview.address, timeout=TIMEOUT) for _ in range(200)]
    try:
        deadline = time.monotonic() + SETTLE_SECONDS  # all 200 accepted, waiting for a request
        while (held := _counts(preview.proc.pid))[0] < baseline[0] + 200:
            assert time.monotonic() < deadline, f"the server should hold 200 connections: {held}"
            time.sleep(0.1)
        for n, sock in enumerate(socks):
            path = preview.base_path + (ARTICLE_PATH if n % 2 else "")
            sock.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        for sock in socks:
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
            status, _, body = _parse(b"".join(chunks))
            assert status == 200 and body.rstrip().endswith(b"</html>")
    finally:
        for sock in socks:
            sock.close()
    _wait_until_settled(preview, baseline)
    _still_serves(preview)


def test_10000_requests_from_200_clients(preview: Preview, baseline: tuple[int, int]) -> None:
    base = preview.base_path
    mix = [
        (base, 200),
        (base + ARTICLE_PATH, 200),
        (base + "feed.xml", 200),
        (base + "static/style.css", 200),
        (base + "tags/", 200),
        (base + "no/such/page/", 404),
        (base + "%2e%2e/digest.yaml", 404),
        (base + "tags", 302),
    ]
    work = [mix[n % len(mix)] for n in range(10_000)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(lambda item: (_get(preview.address, item[0]), item[1]), work))
    took = time.monotonic() - started
    wrong = [(got, want) for got, want in results if got != want]
    assert not wrong, wrong[:5]
    assert len(results) == 10_000
    assert took < 120, f"10,000 requests took {took:.0f} s"
    _wait_until_settled(preview, baseline)
    _still_serves(preview)


def test_100_live_reload_clients_dropping_abruptly(preview: Preview, baseline: tuple[int, int]) -> None:
    request = f"GET {preview.base_path}__digest__/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    streams = []
    for _ in range(100):
        sock = socket.create_connection(preview.address, timeout=TIMEOUT)
        sock.sendall(request.encode())
        streams.append(sock)
    for sock in streams:
        data = b""
        while b"event: state" not in data:
            chunk = sock.recv(4096)
            assert chunk, f"stream closed early: {data!r}"
            data += chunk
        assert data.startswith(b"HTTP/1.0 200") and b"text/event-stream" in data
    held = _counts(preview.proc.pid)
    assert held[1] >= baseline[1] + 100, f"one thread per open stream: {held}"
    for n, sock in enumerate(streams):
        if n % 2:  # a reset (RST), as when a browser process dies
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    started = time.monotonic()
    _wait_until_settled(preview, baseline)
    assert time.monotonic() - started < 10, "streams should notice a closed page within a second"
    # and live reload still works for the next page
    with socket.create_connection(preview.address, timeout=TIMEOUT) as sock:
        sock.sendall(request.encode())
        data = b""
        while b"event: state" not in data:
            data += sock.recv(4096)
    _wait_until_settled(preview, baseline)
    _still_serves(preview)


def test_a_1_mb_request_line_is_refused_cleanly(preview: Preview, baseline: tuple[int, int]) -> None:
    for raw in (
        b"GET /" + b"a" * 1024 * 1024 + b" HTTP/1.0\r\n\r\n",
        b"GET / HTTP/1.0\r\nX-Big: " + b"b" * 1024 * 1024 + b"\r\n\r\n",
        b"GET / HTTP/1.0\r\n" + b"".join(b"X-%d: y\r\n" % n for n in range(200)) + b"\r\n",
    ):
        with socket.create_connection(preview.address, timeout=TIMEOUT) as sock:
            try:
                sock.sendall(raw)
                data = sock.recv(65536)
            except (BrokenPipeError, ConnectionResetError):
                data = b""  # the server may close before reading it all: also a refusal
        if data:
            status = int(data.split(b" ", 2)[1])
            assert status in (414, 431), data[:200]
        _still_serves(preview)
    _wait_until_settled(preview, baseline)


def test_slow_clients_do_not_block_others_and_are_dropped(
    preview: Preview, baseline: tuple[int, int]
) -> None:
    slow = []
    for n in range(50):
        sock = socket.create_connection(preview.address, timeout=TIMEOUT)
        if n % 2:  # half a request line, then nothing
            sock.sendall(f"GET {preview.base_path} HT".encode())
        else:  # a request line and half the headers
            sock.sendall(f"GET {preview.base_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag".encode())
        slow.append(sock)
    try:
        for path in ("", ARTICLE_PATH, "feed.xml") * 10:
            started = time.monotonic()
            assert _get(preview.address, preview.base_path + path) == 200
            assert time.monotonic() - started < 2, "a slow client held up another request"
        # the server gives up on them after its read timeout
        deadline = time.monotonic() + READ_TIMEOUT + 10
        for sock in slow:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ConnectionResetError):  # closed, either way
                assert sock.recv(1024) == b"", "the server should close a stalled connection"
    finally:
        for sock in slow:
            sock.close()
    _wait_until_settled(preview, baseline)
    _still_serves(preview)


@pytest.mark.parametrize(("host", "warns"), [("0.0.0.0", True), ("127.0.0.2", False), ("localhost", False)])
def test_a_warning_when_bound_beyond_loopback(tmp_path: Path, host: str, warns: bool) -> None:
    site = make_site(tmp_path, "https://example.org/")
    with serve(site, "--host", host) as running:
        assert _get(("127.0.0.1" if host == "0.0.0.0" else host, running.address[1]), "/") == 200
        err = "".join(running.err)
    warning = f"digest: warning: listening on {host}: anyone who can reach this machine can read the preview"
    assert (warning in err) is warns, err


def test_binds_to_loopback_by_default(tmp_path: Path) -> None:
    site = make_site(tmp_path, "https://example.org/")
    with serve(site) as running:
        port = running.address[1]
        # /proc/net/tcp: local address as little-endian hex; state 0A is LISTEN
        listening = [
            fields[1]
            for line in Path(f"/proc/{running.proc.pid}/net/tcp").read_text().splitlines()[1:]
            if (fields := line.split()) and fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port
        ]
        assert listening == [f"0100007F:{port:04X}"]  # 127.0.0.1 only
        assert "warning" not in "".join(running.err)
