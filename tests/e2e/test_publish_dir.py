"""`digest publish` to a local folder (type: dir), through the real CLI. The plan all targets
share (order, headers) is unit-tested in tests/unit/publish/."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from conftest import EPOCH, digest_command, files_under, run_digest

MANIFEST = ".digest-published.json"
ARTICLES = {
    "a": "title: Alpha\ndate: 2023-01-02\nsource: Wire\ntags: [one]",
    "b": "title: Beta\ndate: 2023-01-03\nsource: Wire\ntags: [two]",
    "c": "title: Gamma\ndate: 2023-01-04\nsource: Other\ntags: [one]",
    "d": "title: Delta\ndate: 2023-01-05\nsource: Wire\ndraft: true",
}


def make_site(root: Path, publish: str) -> Path:
    site = root / "src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        f"title: Publish Test\nbase_url: https://example.org/\ntimezone: UTC\npublish:\n{publish}",
        encoding="utf-8",
    )
    for name, meta in ARTICLES.items():
        (site / "content" / f"{name}.md").write_text(
            f"---\n{meta}\n---\nThe {name} story.\n", encoding="utf-8"
        )
    return site


def built(site: Path, out: Path) -> dict[str, bytes]:
    """What a clean build of the site gives (publish must put exactly this on the target)."""
    result = run_digest("build", "-s", site, "-o", out, "--clean")
    assert result.code == 0, result.err
    return {k: v for k, v in files_under(out).items() if k != ".digest-output"}


def published(www: Path) -> dict[str, bytes]:
    return {k: v for k, v in files_under(www).items() if k != MANIFEST}


def test_first_unchanged_and_changed_publish(tmp_path: Path) -> None:
    site = make_site(tmp_path, "  www: {type: dir, path: ../www}\n")
    www = tmp_path / "www"
    v1 = built(site, tmp_path / "v1")
    assert not any(path.startswith("2023/01/05") for path in v1), "drafts are never published"

    first = run_digest("publish", "-s", site)
    assert first.code == 0, first.err
    assert first.report["command"] == "publish" and first.report["drafts_left_out"] == 1, first.reports
    assert f"digest: published to www: {len(v1)} uploaded, 0 deleted, 0 unchanged in" in first.out
    assert published(www) == v1
    assert not (www / ".digest-output").exists()
    assert (www / MANIFEST).is_file()
    assert not (site / "site").exists(), "publish builds elsewhere"
    assert not (site / ".digest-cache" / "publish" / "www").exists(), "and cleans up after itself"

    inodes = {p: os.stat(www / p).st_ino for p in v1}
    again = run_digest("publish", "www", "-s", site)
    assert again.code == 0, again.err
    assert f"0 uploaded, 0 deleted, {len(v1)} unchanged" in again.out
    assert {p: os.stat(www / p).st_ino for p in v1} == inodes

    (site / "content" / "b.md").write_text(f"---\n{ARTICLES['b']}\n---\nThe b story, updated.\n")
    v2 = built(site, tmp_path / "v2")
    changed = {p for p in v2 if v1.get(p) != v2[p]}
    assert changed and len(changed) < len(v2)
    third = run_digest("publish", "www", "-s", site)
    assert third.code == 0, third.err
    assert f"{len(changed)} uploaded, 0 deleted, {len(v2) - len(changed)} unchanged" in third.out
    assert published(www) == v2
    replaced = {p for p in v2 if os.stat(www / p).st_ino != inodes[p]}
    assert replaced == changed, "only the changed files are replaced"


def test_deletes_extras_guard_and_dry_run(tmp_path: Path) -> None:
    site = make_site(tmp_path, "  www: {type: dir, path: ../www}\n  other: {type: dir, path: ../other}\n")
    www = tmp_path / "www"
    assert run_digest("publish", "www", "-s", site).code == 0
    v1 = published(www)
    (www / ".well-known").mkdir()
    (www / ".well-known" / "security.txt").write_text("Contact: mailto:x@example.org\n")
    (www / "robots-extra.txt").write_text("mine\n")

    (site / "content" / "c.md").unlink()
    v2 = built(site, tmp_path / "v2")
    stale = sorted(set(v1) - set(v2))
    assert len(stale) >= 2

    dry = run_digest("publish", "www", "-s", site, "--dry-run")
    assert dry.code == 0, dry.err
    assert f"{len(stale)} to delete" in dry.out and "nothing was changed" in dry.out
    assert f"  delete  {stale[0]}" in dry.out
    assert "  keep    .well-known/security.txt (not made by digest" in dry.out
    assert published(www) == {
        **v1,
        ".well-known/security.txt": b"Contact: mailto:x@example.org\n",
        "robots-extra.txt": b"mine\n",
    }

    refused = run_digest("publish", "www", "-s", site, "--max-deletes", "1")
    assert refused.code == 2
    assert f"would delete {len(stale)} files, more than --max-deletes 1; nothing was changed" in refused.err
    assert {k: v for k, v in published(www).items() if k in v1} == v1, "refused before any upload"

    forced = run_digest("publish", "www", "-s", site, "--max-deletes", "1", "--force")
    assert forced.code == 0, forced.err
    assert f"{len(stale)} deleted" in forced.out
    assert published(www) == {
        **v2,
        ".well-known/security.txt": b"Contact: mailto:x@example.org\n",
        "robots-extra.txt": b"mine\n",
    }
    assert not (www / "sources" / "other").exists(), "emptied folders go too"

    extra = run_digest("publish", "www", "-s", site, "--delete-extra")
    assert extra.code == 0, extra.err
    assert "2 deleted" in extra.out
    assert published(www) == v2

    bare = run_digest("publish", "-s", site)
    assert bare.code == 2 and "name the target to publish to (digest publish NAME): www, other" in bare.err
    unknown = run_digest("publish", "wwww", "-s", site)
    assert unknown.code == 2
    assert (
        "no publish target 'wwww' in digest.yaml (did you mean 'www'?); its targets: www, other"
        in unknown.err
    )


def test_killed_midway_then_resumed(tmp_path: Path) -> None:
    site = make_site(tmp_path, "  www: {type: dir, path: ../www}\n")
    www = tmp_path / "www"
    assert run_digest("publish", "-s", site).code == 0
    v1 = published(www)
    # a new title changes every page and feed
    config = site / "digest.yaml"
    config.write_text(config.read_text().replace("Publish Test", "Publish Test, Renamed"))
    v2 = built(site, tmp_path / "v2")
    changed = {p for p in v2 if v1.get(p) != v2[p]}
    assert len(changed) > 10

    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "CI": "true", "DIGEST_TEST_PAUSE_AFTER": "5"}
    proc = subprocess.Popen(
        [*digest_command(), "publish", "-s", str(site)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "test pause after 5 uploads" in line:
            break
    else:
        raise AssertionError(f"publish did not pause: {proc.wait()}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    midway = published(www)
    assert set(midway) == set(v1) | {p for p in midway if p in v2}
    for path, data in midway.items():
        assert data in (v1.get(path), v2.get(path)), f"{path} is neither the old nor the new file"
    assert sum(1 for p, data in midway.items() if data == v2.get(p) and data != v1.get(p)) == 5
    assert not [p for p in files_under(www) if p.endswith(".digest-tmp")]

    resumed = run_digest("publish", "-s", site)
    assert resumed.code == 0, resumed.err
    assert f"{len(changed) - 5} uploaded" in resumed.out
    assert published(www) == v2
    assert "0 uploaded, 0 deleted" in run_digest("publish", "-s", site).out


def test_build_errors_and_bad_targets_change_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path, "  www: {type: dir, path: ../www}\n  self: {type: dir, path: .}\n")
    www = tmp_path / "www"
    assert run_digest("publish", "www", "-s", site).code == 0
    before = files_under(www)
    (site / "content" / "bad.md").write_text("---\ntitle: Bad\ndate: 2023-13-45\nsource: Wire\n---\nx\n")
    failed = run_digest("publish", "www", "-s", site)
    assert failed.code == 1
    assert "content/bad.md:3: error:" in failed.err
    assert "digest: build failed: 1 error; nothing was published" in failed.err
    assert files_under(www) == before

    (site / "content" / "bad.md").unlink()
    itself = run_digest("publish", "self", "-s", site)
    assert itself.code == 2
    assert "digest.yaml:6: error: publish target 'self': 'path'" in itself.err
    assert "must not be the site folder or contain it" in itself.err

    (site / "digest.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    none = run_digest("publish", "-s", site)
    assert none.code == 2 and "digest.yaml has no publish targets" in none.err
    (site / "digest.yaml").write_text(
        "title: T\nbase_url: https://example.org/\npublish:\n  www: {type: dir, paht: x}\n"
    )
    typo = run_digest("publish", "-s", site)
    assert typo.code == 2
    assert "digest.yaml:4: error: publish target 'www': unknown key 'paht' (did you mean 'path'?)" in typo.err
    assert "digest.yaml:4: error: publish target 'www': 'path' is required" in typo.err
