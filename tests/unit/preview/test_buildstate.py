"""The preview's gate and state channel with a build's open pages handed over early
(generator.preview.buildstate): a page handed over is served while its build runs only if no
change came after the build started, it names that build, and the build's end keeps or
replaces the id as it succeeds or fails."""

from __future__ import annotations

import json
import threading
import time
from functools import partial

from generator.preview.buildstate import BuildGate, StateChannel

PAGE = "2022/a/index.html"


def test_an_early_page_is_served_only_during_its_build_and_while_nothing_newer_changed() -> None:
    gate, channel = BuildGate(), StateChannel()
    assert gate.early(PAGE) is None  # no build runs
    with gate.building():
        assert gate.early(PAGE) is None  # nothing handed over yet
        channel.publish_early(partial(gate.show_early, {PAGE: b"<p>new</p>"}), css_only=False)
        _, state = channel.current()
        assert gate.early(PAGE) == (b"<p>new</p>", state)
        assert gate.early("other/index.html") is None  # the rest waits for the whole build
        gate.mark_stale()  # a save while it runs: the page handed over is outdated already
        assert gate.early(PAGE) is None
    assert gate.early(PAGE) is None  # the build is over: its files are on disk


def test_requests_for_other_pages_still_wait_for_the_whole_build() -> None:
    gate, channel = BuildGate(), StateChannel()
    gate.mark_stale()
    done = threading.Event()

    def read() -> None:
        with gate.reading():
            done.set()

    with gate.building():
        channel.publish_early(partial(gate.show_early, {PAGE: b"x"}), css_only=False)
        reader = threading.Thread(target=read)
        reader.start()
        assert not done.wait(0.2)
    assert done.wait(5)
    reader.join()


def test_the_early_id_stands_when_the_build_succeeds_and_is_replaced_when_it_fails() -> None:
    channel = StateChannel()
    _, start = channel.current()
    channel.publish_early(lambda state: None, css_only=False)
    _, early = channel.current()
    assert early.build != start.build and early.previous == start.build
    channel.publish(True, (), output_changed=True, css_only=False, early=True)
    _, done = channel.current()
    assert done.build == early.build and not done.errors  # open pages do not reload again
    channel.publish_early(lambda state: None, css_only=False)
    _, second = channel.current()
    channel.publish(False, ("content/x.md:3: error: bad",), output_changed=False, css_only=False, early=True)
    _, failed = channel.current()
    # pages that showed the failed build's early pages reload to the last good one
    assert failed.build not in (second.build, done.build)
    assert json.loads(failed.to_json())["errors"] == ["content/x.md:3: error: bad"]


def test_a_build_is_superseded_by_a_change_that_came_after_it_started() -> None:
    gate = BuildGate()
    assert not gate.superseded()  # no build runs
    with gate.building():
        assert not gate.superseded()
        gate.mark_stale()
        assert gate.superseded()  # the serve's wait for reloads ends then (serve.py)
    with gate.building():
        assert not gate.superseded()


def test_a_request_waiting_for_the_build_is_seen() -> None:
    gate = BuildGate()
    gate.mark_stale()
    entered = threading.Event()

    def read() -> None:
        with gate.reading():
            entered.set()

    with gate.building():
        assert not gate.readers_waiting()
        reader = threading.Thread(target=read)
        reader.start()
        deadline = time.monotonic() + 5
        while not gate.readers_waiting():  # serve's wait for reloads ends then (serve.py)
            assert time.monotonic() < deadline, "the waiting request was not seen"
            time.sleep(0.01)
        assert not entered.is_set()
    reader.join(5)
    assert entered.is_set() and not gate.readers_waiting()
