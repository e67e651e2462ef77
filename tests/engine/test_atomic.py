"""Atomic output: `digest build` SIGKILLed at chosen moments never damages the live site.

The build is paused at a named point by the test-only hook DIGEST_TEST_PAUSE_AT (see
generator/engine/testhooks.py), then its whole process group is killed with SIGKILL. Whatever the
moment: before the apply phase the previous output is complete and unchanged (bytes and
mtimes); during it every file is either its old or its new version, never partial, and no
file that belongs to neither build exists; and the next build succeeds and is byte-identical
to a clean build, even when the content was changed back in between."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import EPOCH, FIXTURES, copy_site, digest_command, files_under, run_digest

PAUSE_TIMEOUT = 60


def _mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def _edit_to_v2(site: Path) -> None:
    """Changed, added and removed articles and a changed asset: pages to write, to add, to prune."""
    jailed = site / "content" / "world" / "soldier-jailed.md"
    jailed.write_text(jailed.read_text(encoding="utf-8") + "\nA paragraph added for v2.\n", encoding="utf-8")
    (site / "content" / "world" / "kill-test.md").write_text(
        "---\ntitle: Added in v2\ndate: 2022-05-20\nsource: Mirror\ntags: [kill-test]\n---\nNew.\n",
        encoding="utf-8",
    )
    (site / "content" / "notes" / "accented.md").unlink()
    svg = site / "static" / "images" / "court.svg"
    svg.write_bytes(svg.read_bytes() + b"<!-- v2 -->\n")


def _killed_build(site: Path, out: Path, point: str) -> str:
    """Start `digest build`, wait until it pauses at `point`, SIGKILL its process group."""
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": EPOCH,
        "CI": "true",
        "DIGEST_TEST_PAUSE_AT": point,
        "DIGEST_TEST_PAUSE_SECONDS": str(PAUSE_TIMEOUT),
    }
    proc = subprocess.Popen(
        [*digest_command(), "build", "-s", str(site), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr or ()], daemon=True)
    reader.start()
    seen = []
    try:
        while True:
            line = lines.get(timeout=PAUSE_TIMEOUT)
            seen.append(line)
            if line.startswith("digest-test: paused at"):
                break
    except queue.Empty:
        raise AssertionError(f"the build never paused at {point}: {''.join(seen)}") from None
    finally:
        with contextlib.suppress(ProcessLookupError):  # our own child's group, by its id
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        reader.join(timeout=5)
    assert proc.returncode == -signal.SIGKILL
    return "".join(seen)


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Clean builds of v1 and v2 of the golden site, and how many files v1 -> v2 writes."""
    root = tmp_path_factory.mktemp("atomic")
    site = copy_site(FIXTURES / "golden", root / "site")
    v1 = root / "v1"
    assert run_digest("build", "-s", site, "-o", v1).code == 0
    _edit_to_v2(site)
    v2 = root / "v2"
    assert run_digest("build", "-s", site, "-o", v2).code == 0
    step = root / "step"
    shutil.copytree(v1, step)
    result = run_digest("build", "-s", site, "-o", step)
    assert result.code == 0, result.err
    written, removed = result.report["written"], result.report["removed"]
    assert written > 10 and removed > 0, result.report
    return {"v1": files_under(v1), "v2": files_under(v2), "written": written}


def _scenario(tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    site = copy_site(FIXTURES / "golden", tmp_path / "site")
    out = tmp_path / "out"
    assert run_digest("build", "-s", site, "-o", out).code == 0
    mtimes = _mtimes(out)
    _edit_to_v2(site)
    return site, out, mtimes


POINTS_BEFORE_APPLY = ["parse", "render:1", "render:12"]


@pytest.mark.parametrize("point", POINTS_BEFORE_APPLY)
def test_killed_before_applying_leaves_the_previous_site_untouched(
    tmp_path: Path, versions: dict[str, object], point: str
) -> None:
    site, out, mtimes = _scenario(tmp_path)
    _killed_build(site, out, point)
    assert files_under(out) == versions["v1"]
    assert _mtimes(out) == mtimes  # not even rewritten with the same bytes
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    assert files_under(out) == versions["v2"]
    assert not list(tmp_path.glob(".out.*")), "the staging folder is gone"


@pytest.mark.parametrize("when", ["first", "middle", "last", "prune", "commit"])
def test_killed_while_applying_leaves_every_file_old_or_new(
    tmp_path: Path, versions: dict[str, object], when: str
) -> None:
    written = versions["written"]
    assert isinstance(written, int)
    point = {
        "first": "apply:1",
        "middle": f"apply:{written // 2}",
        "last": f"apply:{written}",
        "prune": "prune",
        "commit": "commit",
    }[when]
    site, out, _ = _scenario(tmp_path)
    _killed_build(site, out, point)
    old, new = versions["v1"], versions["v2"]
    assert isinstance(old, dict) and isinstance(new, dict)
    now = files_under(out)
    assert set(now) <= set(old) | set(new), set(now) - set(old) - set(new)
    for rel, data in now.items():
        assert data in (old.get(rel), new.get(rel)), f"{rel} is neither its old nor its new version"
    if when == "commit":
        assert now == new
    else:  # caught in the middle: part old, part new
        assert now != old and now != new
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    assert files_under(out) == new
    assert not list(tmp_path.glob(".out.*"))


def test_changed_back_after_a_kill_while_applying(tmp_path: Path, versions: dict[str, object]) -> None:
    """Killed halfway through applying v2, then the content goes back to v1: the next build
    must not trust its record of v1 (the output is part v2 now) and must give v1 exactly."""
    written = versions["written"]
    site, out, _ = _scenario(tmp_path)
    _killed_build(site, out, f"apply:{written}")
    shutil.rmtree(site / "content")
    shutil.rmtree(site / "static")
    shutil.copytree(FIXTURES / "golden" / "content", site / "content")
    shutil.copytree(FIXTURES / "golden" / "static", site / "static")
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    assert files_under(out) == versions["v1"]


def test_a_first_build_killed_leaves_no_output_and_the_next_one_completes(
    tmp_path: Path, versions: dict[str, object]
) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "site")
    _edit_to_v2(site)
    out = tmp_path / "out"
    _killed_build(site, out, "render:5")
    assert not out.exists()
    result = run_digest("build", "-s", site, "-o", out)
    assert result.code == 0, result.err
    assert files_under(out) == versions["v2"]


def test_the_pause_hook_is_inert_without_its_variable(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "golden", tmp_path / "site")
    result = run_digest("build", "-s", site, "-o", tmp_path / "out", env={"DIGEST_TEST_PAUSE_AT": ""})
    assert result.code == 0 and "digest-test" not in result.err
