"""The build as the preview server sees it. A gate makes page requests wait while the preview is
stale or being rebuilt, so a half-built or outdated site is never served; a channel carries the
state open pages are told (which build they show, the last build's errors) to event streams."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Iterator
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
        self._waiting = 0  # requests waiting at `reading` for a build to end
        self._closed = False
        self._building = 0  # the `wanted` the running build started from (0: none runs)
        # pages of the running build handed over before it ends (show_early), with the state
        # that names that build: served while no newer change is seen
        self._early: dict[str, bytes] = {}
        self._early_state: BuildState | None = None

    def mark_stale(self) -> None:
        with self._cond:
            self._wanted += 1
            self._cond.notify_all()  # a build waiting to know it is outdated (`superseded`)

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            try:
                self._cond.wait_for(lambda: self._closed or self._visible == self._wanted)
            finally:
                self._waiting -= 1
            if self._closed:
                raise Closed
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    def early(self, rel: str) -> tuple[bytes, BuildState] | None:
        """A page the running build has handed over already (`show_early`), with the state it
        belongs to, as long as nothing changed since that build started; else None (the request
        waits at `reading` like any other)."""
        with self._cond:
            data = self._early.get(rel)
            if data is None or self._early_state is None or self._wanted != self._building:
                return None
            return data, self._early_state

    def readers_waiting(self) -> bool:
        """A request waits for the running build to end (a page's stylesheet that is not
        cached, another page): the build must not hold back."""
        with self._cond:
            return self._waiting > 0

    def superseded(self, within: float = 0.0) -> bool:
        """A change came after the running build started (its pages are outdated already), or
        comes within `within` seconds."""
        with self._cond:
            return self._cond.wait_for(lambda: self._building != 0 and self._wanted != self._building, within)

    def show_early(self, pages: dict[str, bytes], state: BuildState) -> None:
        """The running build's final bytes of `pages` (the pages open in a browser), to be
        served before the build ends; the rest of its output is served when it has ended."""
        with self._cond:
            self._early.update(pages)
            self._early_state = state

    @contextmanager
    def building(self) -> Iterator[None]:
        with self._cond:
            target = self._building = self._wanted
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._cond:
                self._visible = max(self._visible, target)
                self._building = 0
                self._early.clear()
                self._early_state = None
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

    def publish(
        self, ok: bool, errors: tuple[str, ...], output_changed: bool, css_only: bool, early: bool = False
    ) -> None:
        """A new id when a build changed the output; the same one (pages stay as they are, the
        overlay comes or goes) when it failed or wrote nothing new. A build that published
        its early pages (`publish_early`) keeps the id they were given when it succeeds; when it
        fails, pages that took them load the last good build again under a new id."""
        with self._cond:
            if early and ok:
                self._state = replace(self._state, errors=())
            elif early or (ok and output_changed):
                self._count += 1
                shown = () if ok else errors
                self._state = BuildState(f"{self._token}-{self._count}", self._state.build, css_only, shown)
            else:
                self._state = replace(self._state, errors=() if ok else errors)
            self._version += 1
            self._cond.notify_all()

    def publish_early(self, show: Callable[[BuildState], None], css_only: bool) -> None:
        """A running build has handed over the open pages it changed: a new id for its output,
        given to `show` (the gate) before any page can hear of it."""
        with self._cond:
            self._count += 1
            self._state = BuildState(f"{self._token}-{self._count}", self._state.build, css_only)
            show(self._state)
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
