"""`digest publish` to a branch of a real git remote (a local bare repository), through the
real CLI: one commit per publish, nothing when nothing changed, files that digest did not put
on the branch kept, the user's own repository untouched."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import EPOCH, digest_command, files_under, run_digest

MANIFEST = ".digest-published.json"
ARTICLES = {
    "a": "title: Alpha\ndate: 2023-01-02\nsource: Wire\ntags: [one]",
    "b": "title: Beta\ndate: 2023-01-03\nsource: Wire\ntags: [two]",
    "c": "title: Gamma\ndate: 2023-01-04\nsource: Other\ntags: [one]",
}


def git(*args: str | Path, cwd: Path) -> str:
    """git as the test's own user (the publish itself runs without any identity configured)."""
    result = subprocess.run(
        ["git", "-c", "user.name=Tester", "-c", "user.email=tester@example.org", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """An environment with no global or system git configuration: no user.name/user.email."""
    (tmp_path / "home").mkdir()
    return {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "home" / ".gitconfig"),
    }


def make_repo_site(root: Path, target: str) -> tuple[Path, Path]:
    """A site in its own git repository with `origin` pointing at an empty bare remote."""
    remote = root / "remote.git"
    git("init", "--quiet", "--bare", remote, cwd=root)
    site = root / "src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        f"title: Publish Test\nbase_url: https://example.org/\ntimezone: UTC\npublish:\n  pages: {target}\n"
    )
    for name, meta in ARTICLES.items():
        (site / "content" / f"{name}.md").write_text(f"---\n{meta}\n---\nThe {name} story.\n")
    git("init", "--quiet", "-b", "main", cwd=site)
    git("add", "-A", cwd=site)
    git("commit", "--quiet", "-m", "the site", cwd=site)
    git("remote", "add", "origin", remote, cwd=site)
    return site, remote


def built(site: Path, out: Path) -> dict[str, bytes]:
    result = run_digest("build", "-s", site, "-o", out, "--clean")
    assert result.code == 0, result.err
    return {k: v for k, v in files_under(out).items() if k != ".digest-output"}


def branch_files(remote: Path, branch: str = "gh-pages") -> dict[str, bytes]:
    names = git("ls-tree", "-r", "-z", "--name-only", branch, cwd=remote).split("\0")
    out = {}
    for name in filter(None, names):
        blob = subprocess.run(
            ["git", "cat-file", "blob", f"{branch}:{name}"], cwd=remote, capture_output=True
        )
        out[name] = blob.stdout
    return out


def snapshot(site: Path) -> tuple[str, ...]:
    """Everything of the user's repository that a publish must leave alone."""
    return (
        git("--no-optional-locks", "status", "--porcelain", "--untracked-files=all", cwd=site),
        git("for-each-ref", cwd=site),
        git("rev-parse", "HEAD", cwd=site),
        git("stash", "list", cwd=site),
        git("worktree", "list", "--porcelain", cwd=site),
        str(
            sorted(
                (p.relative_to(site).as_posix(), p.stat().st_mtime_ns)
                for p in site.rglob("*")
                if ".git" not in p.parts and ".digest-cache" not in p.parts
            )
        ),
        (site / ".git" / "index").read_bytes().hex(),
    )


def test_first_unchanged_and_changed_publish(tmp_path: Path, home: dict[str, str]) -> None:
    site, remote = make_repo_site(tmp_path, "{type: git, remote: origin, cname: news.example.org}")
    source = git("rev-parse", "HEAD", cwd=site).strip()
    v1 = built(site, tmp_path / "v1")
    before = snapshot(site)

    first = run_digest("publish", "-s", site, env=home)
    assert first.code == 0, first.err
    assert f"digest: published to pages: {len(v1) + 2} uploaded, 0 deleted, 0 unchanged in" in first.out
    files = branch_files(remote)
    assert files.pop(".nojekyll") == b""
    assert files.pop("CNAME") == b"news.example.org\n"
    listed = json.loads(files.pop(MANIFEST))["files"]
    assert listed == sorted([*v1, ".nojekyll", "CNAME"]), "what digest put there, so it can remove it later"
    assert files == v1
    assert git("rev-list", "--count", "gh-pages", cwd=remote).strip() == "1"
    message = git("log", "-1", "--format=%an <%ae>%n%s", "gh-pages", cwd=remote)
    assert message == f"digest <digest@localhost>\nPublish site from {source}\n"
    assert snapshot(site) == before, "the user's working tree, index and refs are untouched"

    tip = git("rev-parse", "gh-pages", cwd=remote)
    again = run_digest("publish", "pages", "-s", site, env=home)
    assert again.code == 0, again.err
    assert f"0 uploaded, 0 deleted, {len(v1) + 2} unchanged" in again.out
    assert "nothing to commit on gh-pages" in again.out
    assert git("rev-parse", "gh-pages", cwd=remote) == tip, "no new commit"

    (site / "content" / "b.md").write_text(f"---\n{ARTICLES['b']}\n---\nThe b story, updated.\n")
    git("commit", "--quiet", "-am", "update b", cwd=site)
    v2 = built(site, tmp_path / "v2")
    changed = sorted(p for p in v2 if v1.get(p) != v2[p])
    assert changed and len(changed) < len(v2)
    before = snapshot(site)
    third = run_digest("publish", "pages", "-s", site, env=home)
    assert third.code == 0, third.err
    assert f"{len(changed)} uploaded, 0 deleted" in third.out
    assert git("rev-parse", "gh-pages~1", cwd=remote) == tip, "one commit on top of the last"
    touched = git("diff", "--name-only", "gh-pages~1", "gh-pages", cwd=remote).split()
    assert touched == changed
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=remote).strip() == (
        f"Publish site from {git('rev-parse', 'HEAD', cwd=site).strip()}"
    )
    assert snapshot(site) == before


def test_files_only_on_the_branch_are_kept(tmp_path: Path, home: dict[str, str]) -> None:
    site, remote = make_repo_site(tmp_path, "{type: git, remote: origin, branch: pages}")
    assert run_digest("publish", "-s", site, env=home).code == 0
    # the host's settings page adds CNAME; the owner adds a security.txt
    clone = tmp_path / "clone"
    git("clone", "--quiet", "--branch", "pages", remote, clone, cwd=tmp_path)
    (clone / "CNAME").write_text("www.example.org\n")
    (clone / ".well-known").mkdir()
    (clone / ".well-known" / "security.txt").write_text("Contact: mailto:x@example.org\n")
    git("add", "-A", cwd=clone)
    git("commit", "--quiet", "-m", "custom domain", cwd=clone)
    git("push", "--quiet", "origin", "pages", cwd=clone)

    (site / "content" / "c.md").unlink()
    v2 = built(site, tmp_path / "v2")
    dry = run_digest("publish", "-s", site, "--dry-run", env=home)
    assert dry.code == 0, dry.err
    assert "  keep    CNAME (not made by digest; --delete-extra removes it)" in dry.out
    assert "  delete  2023/01/04/gamma/index.html" in dry.out

    result = run_digest("publish", "-s", site, env=home)
    assert result.code == 0, result.err
    files = branch_files(remote, "pages")
    assert files["CNAME"] == b"www.example.org\n"
    assert files[".well-known/security.txt"] == b"Contact: mailto:x@example.org\n"
    assert "2023/01/04/gamma/index.html" not in files
    assert {k: v for k, v in files.items() if k in v2} == v2
    assert set(files) == set(v2) | {"CNAME", ".well-known/security.txt", ".nojekyll", MANIFEST}

    extra = run_digest("publish", "-s", site, "--delete-extra", env=home)
    assert extra.code == 0, extra.err
    assert "0 uploaded, 2 deleted" in extra.out
    assert set(branch_files(remote, "pages")) == set(v2) | {".nojekyll", MANIFEST}


def test_killed_before_push_then_resumed(tmp_path: Path, home: dict[str, str]) -> None:
    site, remote = make_repo_site(tmp_path, "{type: git, remote: origin}")
    assert run_digest("publish", "-s", site, env=home).code == 0
    tip = git("rev-parse", "gh-pages", cwd=remote)
    (site / "content" / "b.md").write_text(f"---\n{ARTICLES['b']}\n---\nThe b story, updated.\n")

    env = {**os.environ, **home, "SOURCE_DATE_EPOCH": EPOCH, "CI": "true", "DIGEST_TEST_PAUSE_AFTER": "1"}
    proc = subprocess.Popen(
        [*digest_command(), "publish", "-s", str(site)],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "test pause" in line:
            break
    else:
        raise AssertionError(f"publish did not pause: {proc.wait()}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert git("rev-parse", "gh-pages", cwd=remote) == tip, "the live branch is the old site"

    resumed = run_digest("publish", "-s", site, env=home)
    assert resumed.code == 0, resumed.err
    assert git("rev-parse", "gh-pages~1", cwd=remote) == tip
    assert "with uncommitted changes" in git("log", "-1", "--format=%s", "gh-pages", cwd=remote)


def test_remote_as_a_path_outside_a_checkout_and_bad_remotes(tmp_path: Path, home: dict[str, str]) -> None:
    git("init", "--quiet", "--bare", tmp_path / "remote.git", cwd=tmp_path)
    site = tmp_path / "src"
    (site / "content").mkdir(parents=True)
    (site / "content" / "a.md").write_text(f"---\n{ARTICLES['a']}\n---\nText.\n")
    (site / "digest.yaml").write_text(
        "title: T\nbase_url: https://example.org/\npublish:\n"
        "  pages: {type: git, remote: ../remote.git}\n"
        "  nowhere: {type: git, remote: upstream}\n"
        "  broken: {type: git, remote: ../missing.git}\n"
    )
    result = run_digest("publish", "pages", "-s", site, env=home)
    assert result.code == 0, result.err
    assert "Publish site from a folder that is not a git checkout" in git(
        "log", "-1", "--format=%s", "gh-pages", cwd=tmp_path / "remote.git"
    )
    nowhere = run_digest("publish", "nowhere", "-s", site, env=home)
    assert nowhere.code == 2
    assert (
        "digest.yaml:5: error: publish target 'nowhere': 'remote' 'upstream' is not a remote" in nowhere.err
    )
    broken = run_digest("publish", "broken", "-s", site, env=home)
    assert broken.code == 1
    assert "digest: error: reading " in broken.err and "missing.git failed" in broken.err
    assert "Traceback" not in broken.err
