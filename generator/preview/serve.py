"""`digest serve`: build into a preview folder, serve it, rebuild on change, reload open pages.

Four parts, each ignorant of the others' insides: `PreviewBuilder` runs the one `build()` the
CLI runs (drafts in, future out, base_url pointing at this server); `rebuildloop.RebuildLoop`
is the single worker thread that debounces changes; `watch.Watcher` reports changes; and
`livereload.PreviewServer` serves the folder and makes requests wait while a build runs.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from types import FrameType

from ..build import BuildOptions, BuildResult, WarmState, build
from ..buildreport import shown, summary
from ..core.diagnostics import Diagnostic, DigestError, Level, format_lines
from ..engine import state, testhooks
from ..read.config import CONFIG_NAME, load_config
from .livereload import PreviewServer
from .rebuildloop import RebuildLoop

# a failed build waits this long at most for the watcher to tell of a newer change (its events
# take a few ms to arrive) before it reports: a file read just as the next save truncated it
SETTLE_SECONDS = 0.05
# after handing over the open pages that changed, the build waits (at most this long) until they
# have reloaded in their browsers before it renders the rest: the reloads then have the machine
# to themselves instead of sharing it (and the GIL, for the page's bytes) with the build. A
# page that takes longer (a busy browser, a tab in the background) only delays the rest
RELOAD_FIRST_SECONDS = 0.3
EXIT_OK, EXIT_USAGE = 0, 2


class Cancelled(Exception):
    """Raised from build()'s progress callback when the server is stopping."""


@dataclass(frozen=True)
class Outcome:
    ok: bool
    errors: tuple[str, ...] = ()  # `path:line: error: message`, for the overlay
    output_changed: bool = True  # False: nothing was written or removed, pages need not reload
    cancelled: bool = False


class PreviewBuilder:
    """The builder callable: changed paths in, Outcome out; prints what the CLI would print."""

    def __init__(
        self,
        root: Path,
        base_path: str,
        options: BuildOptions,
        quiet: bool,
        cancel: threading.Event,
        superseded: Callable[[float], bool] = lambda within: False,
    ) -> None:
        self.root = root
        # a newer change came during the running build, or comes within the seconds given
        # (BuildGate.superseded): a failure of this build is not reported, the next build
        # reports its own
        self.superseded = superseded
        self.content = root / "content"
        self.base_path = base_path
        self.options = options
        self.quiet = quiet
        self.cancel = cancel
        # the site's state as the last build saved it, handed to the next one (engine/warm.py)
        self.warm = WarmState()
        # the served search index is behind the pages (BuildOptions.search_later): saves do not
        # run Pagefind (it reads every page: seconds for a site of hundreds of articles, while
        # every request waits); the first request for the index has it made (livereload.py)
        self.search_pending = False

    def __call__(self, changed: frozenset[Path], search: bool = False) -> Outcome:
        """`search`: make the search index too (a page asked for it), not only the pages."""
        if any(not p.is_relative_to(self.content) for p in changed):
            # settings, sources or the theme: nothing kept is wrong then either (each part is
            # keyed by what it was made from), but such a change is rare and costs a full
            # rebuild anyway, so the state is not trusted across it
            self.warm.clear()
        # what changed, for the build to look at only that (engine/parsing.py); none named (the
        # first build, or the state just dropped): it walks content/
        self.warm.hint = changed if changed and self.warm.listing is not None else None
        options = replace(self.options, search_later=not search)
        try:
            result = build(options, progress=self._progress, warm=self.warm)
        except Cancelled:
            return Outcome(ok=False, cancelled=True)
        except DigestError as exc:  # digest.yaml broken or theme missing: the server goes on
            if self.superseded(SETTLE_SECONDS):
                return Outcome(ok=False, cancelled=True)
            return self._failed(list(exc.diagnostics), changed)
        except Exception as exc:  # a bug of ours must not end the session or print a traceback
            if os.environ.get("DIGEST_DEBUG"):
                traceback.print_exc()
            problem = f"internal error: {type(exc).__name__}: {exc} (set DIGEST_DEBUG=1 for details)"
            return self._failed([Diagnostic("digest", 0, Level.ERROR, problem)], changed)
        if not result.ok and self.superseded(SETTLE_SECONDS):  # the next build reports
            return Outcome(ok=False, cancelled=True)
        self._report(result, changed)
        testhooks.report(result, "serve")  # tests only: DIGEST_TEST_REPORT
        if self.root / CONFIG_NAME in changed:
            self._note_base_path()
        errors = tuple(format_lines(result.diagnostics.errors))
        if result.ok:
            self.search_pending = result.search_pending
        # the index made for the page that asked for it: no page shows anything new
        shown = bool(result.written or result.removed) and not (search and not changed)
        return Outcome(result.ok, errors, output_changed=shown)

    def _note_base_path(self) -> None:
        """The server's base path is fixed when it starts; say so when digest.yaml moves it."""
        try:
            wanted = load_config(self.root).base_path
        except DigestError:
            return  # the build has reported it
        if wanted != self.base_path:
            print(
                f"digest: note: base_url's path is now {wanted}; restart digest serve to preview "
                f"under it (still serving under {self.base_path})",
                file=sys.stderr,
                flush=True,
            )

    def _progress(self, stage: str, done: int, total: int) -> None:
        if self.cancel.is_set():
            raise Cancelled

    def _failed(self, diagnostics: list[Diagnostic], changed: frozenset[Path]) -> Outcome:
        lines = tuple(format_lines(diagnostics))
        for line in lines:
            print(line, file=sys.stderr, flush=True)
        print(
            f"digest: build failed{self._because(changed)}; still serving the last good build",
            file=sys.stderr,
            flush=True,
        )
        return Outcome(ok=False, errors=lines)

    def _report(self, result: BuildResult, changed: frozenset[Path]) -> None:
        for line in format_lines(shown(result.diagnostics.items, self.quiet)):
            print(line, file=sys.stderr, flush=True)
        stream = sys.stdout if result.ok else sys.stderr
        print(summary(result, write=True) + self._because(changed), file=stream, flush=True)
        if not result.ok:
            print("digest: still serving the last good build", file=sys.stderr, flush=True)

    def _because(self, changed: frozenset[Path]) -> str:
        if not changed:
            return ""
        first = min(changed)
        shown = first.relative_to(self.root).as_posix() if first.is_relative_to(self.root) else str(first)
        more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
        return f" (after {shown}{more} changed)"


class Session:
    """One `digest serve` run: wires the parts together and takes them apart again."""

    def __init__(self, args: argparse.Namespace, root: Path, server: PreviewServer) -> None:
        from .watch import Watcher  # watchdog is imported only by `serve`

        self.root = root
        self.server = server
        self.cancel = threading.Event()
        base_path = server.base_path
        self.url = f"http://{url_host(args.host)}:{server.port}{base_path}"
        preview = state.preview_dir(root)
        options = BuildOptions(
            site_dir=root, output_dir=preview, drafts=args.drafts, future=False, base_url=self.url, write=True
        )
        self.builder = PreviewBuilder(
            root, base_path, options, args.quiet, self.cancel, superseded=server.gate.superseded
        )
        # the pages open in a browser are rendered first, and shown as soon as they are
        self.builder.warm.early = self._early
        self.shown_early = self.css_only = False
        self.loop = RebuildLoop(self._rebuild, server.gate.mark_stale)
        server.search_behind = lambda: self.builder.search_pending
        server.want_search = self.loop.want_search
        ignored = (preview, state.folder(root), root / "site")
        self.watcher = Watcher(root, ignored, self.loop.changed, poll=args.poll, on_written=self.loop.written)
        self._serving = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="digest-http", daemon=True
        )

    def run(self) -> None:
        """Build once, then serve until interrupted (KeyboardInterrupt ends it)."""
        self.watcher.start()  # first, so that a save during the first build is not missed
        self._serving.start()  # requests wait for the first build at the gate
        self._rebuild(frozenset())
        print(f"serving {self.url} (Ctrl-C stops)", flush=True)
        self.loop.start()
        while True:
            time.sleep(3600)

    def _rebuild(self, changed: frozenset[Path], search: bool = False) -> None:
        with self.server.gate.building():
            self.shown_early = False
            self.css_only = bool(changed) and all(p.suffix == ".css" for p in changed)
            self.builder.warm.first = self.server.open_pages()
            outcome = self.builder(changed, search)
            if not outcome.cancelled:
                changed_output, early = outcome.output_changed, self.shown_early
                self.server.channel.publish(outcome.ok, outcome.errors, changed_output, self.css_only, early)
        self.watcher.sync()  # content/ or themes/ may have come or gone

    def _early(self, pages: dict[str, bytes]) -> None:
        """The running build's open pages that changed, before the rest of it: served at once,
        and open pages told to reload (emit.py calls this once per build, from this thread).
        Returns when they have reloaded (RELOAD_FIRST_SECONDS at most)."""
        self.shown_early = True
        server = self.server
        awaited = server.reloads_awaited(pages)
        server.channel.publish_early(partial(server.gate.show_early, pages), self.css_only)
        if awaited and not self.css_only:
            limit = testhooks.reload_first_seconds(RELOAD_FIRST_SECONDS)
            server.wait_reloaded(awaited, limit, self._interrupted)

    def _interrupted(self) -> bool:
        """The server is stopping, a newer change came, or a request waits for the build to end
        (a reloading page's stylesheet that its browser has not cached, as a theme that links
        it without `static()`'s versioned URL makes, blocks the page's script): the build goes
        on at once."""
        gate = self.server.gate
        return self.cancel.is_set() or gate.superseded() or gate.readers_waiting()

    def stop(self) -> None:
        self.cancel.set()
        self.watcher.stop()
        self.loop.stop(timeout=10)
        if self._serving.is_alive():
            self.server.close()  # shutdown() would wait forever for a loop that never started
            self._serving.join(timeout=5)
        else:
            self.server.server_close()


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: 127.0.0.0/8, ::1 and 'localhost'. A
    wildcard (0.0.0.0, ::, '') or any other address or name is reachable from elsewhere."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """The host for URLs: a wildcard address is reached through the loopback one."""
    if host in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def serve_command(args: argparse.Namespace) -> int:
    root = args.site.resolve()
    try:
        config = load_config(root)
    except DigestError as exc:  # without a readable digest.yaml there is no base path to serve
        for d in exc.diagnostics:
            print(d.format(), file=sys.stderr)
        return exc.exit_code
    try:
        server = PreviewServer((args.host, args.port), state.preview_dir(root), config.base_path, args.reload)
    except OSError as exc:
        print(
            f"digest: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; "
            "choose another with --port (0 picks a free one)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not is_loopback(args.host):
        print(
            f"digest: warning: listening on {args.host}: anyone who can reach this machine can "
            "read the preview, drafts included",
            file=sys.stderr,
            flush=True,
        )
    try:
        session = Session(args, root, server)
    except OSError as exc:  # e.g. out of inotify instances
        server.server_close()
        print(f"digest: error: cannot watch {root}: {exc}; try --poll", file=sys.stderr)
        return EXIT_USAGE
    return _run_until_stopped(session)


def _run_until_stopped(session: Session) -> int:
    handler = _signal_handler(os.getpid())
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        session.run()
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C while stopping must not turn into a traceback.
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        session.stop()
        for sig, old in previous.items():
            signal.signal(sig, old)
    print("digest: stopped serving", flush=True)
    return EXIT_OK


def _signal_handler(owner: int) -> Callable[[int, FrameType | None], None]:
    """Ctrl-C and SIGTERM end the session in this process. A build's worker processes are
    forked from here and inherit the handler: there Ctrl-C (sent by the terminal to the whole
    process group) is ignored, as the parent cancels the build, and SIGTERM (the pool being
    terminated) ends the worker quietly, without a KeyboardInterrupt traceback."""

    def handle(signum: int, frame: FrameType | None) -> None:
        if os.getpid() == owner:
            raise KeyboardInterrupt
        if signum == signal.SIGTERM:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    return handle
