"""The build as the preview server sees it. A gate makes page requests wait while the preview is
stale or being rebuilt, so a half-built or outdated site is never served; a channel carries the
state open pages are told (which build they show, the last build's errors) to event streams."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace


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
