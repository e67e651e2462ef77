"""A worker process that dies (SIGKILL, a segfault, os._exit) or a task that raises a
BaseException that is not an Exception (a panic in Rust code) fails the build with a located
message naming the file or page, within seconds: no hang, no traceback, and the previous output
untouched. Then the next build, without the crash, succeeds, and `digest serve` goes on serving.

Crashes are injected by the test-only hook DIGEST_TEST_CRASH=STAGE:MATCH:KIND, and
DIGEST_TEST_PARALLEL_MIN=1 sends even a few files through the worker pool (see
generator/engine/testhooks.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EPOCH, FIXTURES, Run, copy_site, digest_command, files_under
from e2e.test_serve import make_site, serve, write_article

TIMEOUT = 60  # a regression that hangs fails here instead of holding up the suite
POOL = {"DIGEST_TEST_PARALLEL_MIN": "1"}
ARTICLE = "content/world/cyrillic.md"
HOW = {
    "kill": "crashed its worker process (killed by SIGKILL",
    "segv": "crashed its worker process (killed by SIGSEGV)",
    "exit": "crashed its worker process (exited with code 3)",
    "panic": "raised InjectedPanic: injected panic on ",
}


def build(site: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    proc = subprocess.run(
        [*digest_command(), "build", "-s", str(site), *args],
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "CI": "true", **(env or {})},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime: a failed build must not even rewrite a file."""
    return {rel: (data, (root / rel).stat().st_mtime_ns) for rel, data in files_under(root).items()}


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict[str, tuple[bytes, int]]]:
    """The golden site, built once into its own site/ folder, and that output's snapshot."""
    site = copy_site(FIXTURES / "golden", tmp_path / "golden")
    result = build(site)
    assert result.code == 0, result.err
    return site, snapshot(site / "site")


def assert_failed_cleanly(result: Run, site: Path, before: dict[str, tuple[bytes, int]], took: float) -> None:
    assert result.code == 1, result.err
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert took < 30, f"the build took {took:.0f} s"
    assert snapshot(site / "site") == before
    assert not (site / ".site.staging").exists()


@pytest.mark.parametrize("kind", ["kill", "segv", "exit", "panic"])
def test_a_crash_while_parsing_names_the_file(
    built: tuple[Path, dict[str, tuple[bytes, int]]], kind: str
) -> None:
    site, before = built
    path = site / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\nAdded before the crash.\n", encoding="utf-8")
    started = time.monotonic()
    result = build(site, "-j", "2", env={**POOL, "DIGEST_TEST_CRASH": f"parse:cyrillic:{kind}"})
    assert_failed_cleanly(result, site, before, time.monotonic() - started)
    assert f"{ARTICLE}: error: parsing this file {HOW[kind]}" in result.err
    assert "Fix or remove this file, or report the crash with the file attached" in result.err
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.err  # every other file was parsed, without a problem

    again = build(site, "-j", "2", env=POOL)
    assert again.code == 0, again.err
    assert any(b"Added before the crash." in data for data in files_under(site / "site").values())


@pytest.mark.parametrize("kind", ["kill", "segv", "exit", "panic"])
def test_a_crash_while_rendering_names_the_page(
    built: tuple[Path, dict[str, tuple[bytes, int]]], kind: str
) -> None:
    site, before = built
    # --clean renders every page; with -j 8 the build's own process renders the first chunk
    # (the home and article pages) and workers the rest, the source pages among them
    started = time.monotonic()
    crash = {**POOL, "DIGEST_TEST_CRASH": f"render:/sources/mirror/:{kind}"}
    result = build(site, "--clean", "-j", "8", env=crash)
    assert_failed_cleanly(result, site, before, time.monotonic() - started)
    page = "site/sources/mirror/index.html: error: rendering this page (/news/sources/mirror/, template source.html)"
    assert f"{page} {HOW[kind]}" in result.err
    feed = "site/sources/mirror/feed.xml: error: rendering this feed (and rss.xml, feed.json)"
    assert f"{feed} {HOW[kind]}" in result.err
    assert len([line for line in result.err.splitlines() if ": error: " in line]) == 2, result.err

    again = build(site, "--clean", "-j", "8", env=POOL)
    assert again.code == 0, again.err


@pytest.mark.parametrize("stage", ["parse", "render"])
def test_a_panic_without_workers_is_a_located_error(tmp_path: Path, stage: str) -> None:
    """A small site is parsed and rendered in the build's own process: a BaseException there
    is that file's or page's error all the same."""
    site = copy_site(FIXTURES / "golden", tmp_path / "golden")
    match = "cyrillic" if stage == "parse" else "/sources/mirror/"
    result = build(site, "-j", "2", env={"DIGEST_TEST_CRASH": f"{stage}:{match}:panic"})
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    where = ARTICLE if stage == "parse" else "site/sources/mirror/index.html"
    assert f"{where}: error: " in result.err and HOW["panic"] in result.err
    assert not (site / "site").exists()
    assert build(site, "-j", "2").code == 0


def test_after_eight_deaths_the_rest_is_reported_as_not_parsed(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "golden")
    for n in range(20):
        (site / "content" / "many").mkdir(exist_ok=True)
        (site / "content" / "many" / f"a{n:02}.md").write_text(
            f"---\ntitle: Item {n}\ndate: 2022-05-01\nsource: Mirror\n---\nBody {n}.\n", encoding="utf-8"
        )
    started = time.monotonic()
    result = build(site, "-j", "2", env={**POOL, "DIGEST_TEST_CRASH": "parse:many/:kill"})
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert time.monotonic() - started < 30
    crashed = [line for line in result.err.splitlines() if "crashed its worker process" in line]
    # the eighth death stops the handing out; a worker busy then may die too
    assert 8 <= len(crashed) <= 9, result.err
    assert all(line.startswith("content/many/a") for line in crashed)
    rest = 26 - len(crashed)  # the golden site's 6 files and these 20
    assert f"content: error: {rest} files were not parsed: digest stops after 8 worker processes die" in result.err
    assert not (site / "site").exists()


def test_ctrl_c_ends_the_build_and_its_workers(built: tuple[Path, dict[str, tuple[bytes, int]]]) -> None:
    site, before = built
    path = site / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "CI": "true", **POOL}
    env["DIGEST_TEST_CRASH"] = "parse:cyrillic:hang"
    proc = subprocess.Popen(
        [*digest_command(), "build", "-s", str(site), "-j", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stderr is not None
        assert proc.stderr.readline().startswith("digest-test: hanging on world/cyrillic.md")
        workers = children(proc.pid)
        assert workers
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
        code = proc.wait(timeout=TIMEOUT)
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert code == 130 and "digest: interrupted" in err and "Traceback" not in err, err
    assert not [pid for pid in workers if alive(pid)], "a worker outlived the build"
    assert snapshot(site / "site") == before


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize(("stage", "kind"), [("parse", "segv"), ("render", "panic")])
def test_serve_reports_a_crash_and_rebuilds_once_it_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str, kind: str
) -> None:
    """The hook matches a file name (parse) or a URL (render) the test then changes: the save
    after that rebuilds normally, in the same server."""
    if len(os.sched_getaffinity(0)) < 2 and kind != "panic":
        pytest.skip("serve uses one process per core: workers need two")
    site = make_site(tmp_path, "https://example.org/news/")
    monkeypatch.setenv("DIGEST_TEST_PARALLEL_MIN", "1")
    monkeypatch.setenv("DIGEST_TEST_CRASH", f"{stage}:crashme-:{kind}")
    name = f"crashme-{uuid.uuid4().hex[:8]}"
    with serve(site) as preview:
        status, _, good_home = preview.get(preview.base_path)
        assert status == 200
        path = write_article(preview.site, name, name.replace("-", " ").capitalize())
        preview.wait_for_stderr("still serving the last good build")
        err = "".join(preview.err)
        assert "Traceback" not in err, err
        if stage == "parse":
            assert f"content/serve-test/{name}.md: error: parsing this file {HOW['segv']}" in err
        else:
            assert f"/news/2022/06/01/{name}/, template article.html) raised InjectedPanic" in err
        status, _, body = preview.get(preview.base_path)
        assert status == 200 and b'role="alert"' in body and b"error: " in body
        assert preview.get(preview.base_path + "tags/")[0] == 200  # still serving
        wait_for(lambda: not children(preview.proc.pid), "the workers of the failed build to end")

        path.unlink()
        fixed = f"fixed-{name.removeprefix('crashme-')}"
        write_article(preview.site, fixed, fixed.replace("-", " ").capitalize())
        article_url = f"{preview.base_path}2022/06/01/{fixed}/"

        def rebuilt() -> bool:
            status, _, body = preview.get(article_url)
            return status == 200 and b'role="alert"' not in body

        wait_for(rebuilt, "a normal rebuild after the crashing file was gone")
        assert b'role="alert"' not in preview.get(preview.base_path)[2]
        assert good_home != preview.get(preview.base_path)[2]
        wait_for(lambda: not children(preview.proc.pid), "the workers of the good build to end")


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, f"waited in vain for {what}"
        time.sleep(0.1)


