"""Publishing to a branch of a git remote (GitHub Pages, Codeberg Pages, GitLab).

All the work happens in a temporary bare repository with plumbing commands: the branch's tip
is fetched (shallow), its tree read into a temporary index, the changed files written over it,
one commit made on top and pushed (never forced). The user's working tree, index, branches and
remotes are never touched. A push is atomic, so the live branch is always the old or the new
commit. `.digest-published.json` on the branch lists the files digest put there: a file on the
branch that is not in it (`CNAME` set in the host's settings, `.well-known/...`) is kept unless
--delete-extra."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .plan import (
    MANIFEST,
    LocalFile,
    Options,
    Outcome,
    Plan,
    PublishError,
    RemoteFile,
    check_deletes,
    plan_publish,
)
from .report import Reporter
from .settings import target_problem

DEFAULT_MESSAGE = "Publish site from {source}"
_SCP_LIKE = re.compile(r"[\w.-]+@?[\w.-]*:(?!//)")  # git@github.com:me/site.git
_FALLBACK_IDENTITY = {"name": "digest", "email": "digest@localhost"}


def redact(text: str) -> str:
    """Hide passwords and tokens written into remote URLs (https://user:token@host/...)."""
    return re.sub(r"(?<=://)[^/@\s]+@", "***@", text)


class GitPublisher:
    def __init__(self, name: str, settings: dict[str, Any], site: Path) -> None:
        if shutil.which("git") is None:
            raise PublishError("git is not installed (needed by publish targets of type git)", exit_code=2)
        self.name = name
        self.site = site
        self.branch = str(settings.get("branch") or "gh-pages")
        if _git(["check-ref-format", "--branch", self.branch], cwd=site).returncode != 0:
            raise target_problem(site, name, f"'branch' '{self.branch}' is not a valid branch name")
        self.remote = str(settings.get("remote") or "origin")
        self.fetch_url, self.push_url = self._resolve_remote(self.remote)
        self.cname = str(settings.get("cname") or "")
        self.message = str(settings.get("message") or DEFAULT_MESSAGE)
        self.cache_rules: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        return f"branch {self.branch} of {redact(self.push_url)}"

    def extra_files(self) -> dict[str, bytes]:
        extra = {".nojekyll": b""}  # serve files and folders starting with '_' on GitHub Pages
        if self.cname:
            extra["CNAME"] = (self.cname + "\n").encode("ascii")
        return extra

    def _resolve_remote(self, remote: str) -> tuple[str, str]:
        """A remote name is looked up in the site's repository; a URL or path is used as is
        (a relative path is relative to the site folder)."""
        if remote.startswith("-"):
            raise target_problem(self.site, self.name, f"'remote' '{remote}' is not a remote name or URL")
        if "://" in remote or _SCP_LIKE.match(remote):
            return remote, remote
        if "/" in remote or "\\" in remote or remote.startswith((".", "~")):
            path = Path(remote).expanduser()
            absolute = str(path if path.is_absolute() else (self.site / path).resolve())
            return absolute, absolute
        urls = []
        for extra in ([], ["--push"]):
            result = _git(["remote", "get-url", *extra, remote], cwd=self.site)
            if result.returncode != 0:
                raise target_problem(
                    self.site,
                    self.name,
                    f"'remote' '{remote}' is not a remote of the git repository at {self.site} "
                    "(see `git remote -v`); give a remote name, a URL or a path",
                )
            urls.append(self._absolute_url(result.stdout.decode().strip()))
        return urls[0], urls[1]

    def _absolute_url(self, url: str) -> str:
        if "://" in url or _SCP_LIKE.match(url) or os.path.isabs(url):
            return url
        top = _git(["rev-parse", "--show-toplevel"], cwd=self.site).stdout.decode().strip()
        return str((Path(top or self.site) / url).resolve())

    def publish(self, files: list[LocalFile], options: Options, report: Reporter, work: Path) -> Outcome:
        git = _Repo(work / "publish.git", work / "publish.index")
        git.run("init", "--quiet", "--bare", str(git.git_dir), bare_init=True)
        report.note(f"digest: fetching {self.branch} from {redact(self.fetch_url)}")
        parent = self._fetch(git)
        remote = self._remote_state(git, parent)
        blobs = git.hash_files(files)
        plan = plan_publish(files, remote, options.delete_extra, fingerprint=lambda f: blobs[f.path])
        report.show_plan(plan, self.name, self.describe(), options.dry_run)
        unchanged = len(plan.unchanged)
        if options.dry_run:
            return Outcome(len(plan.upload), len(plan.delete), unchanged)
        check_deletes(plan, options, self.name)
        tree = self._write_tree(git, parent, plan, files, blobs)
        if parent is not None and tree == git.out("rev-parse", f"{parent}^{{tree}}"):
            return Outcome(0, 0, unchanged, f"nothing to commit on {self.branch}")
        parents = ["-p", parent] if parent else []
        commit = git.out("commit-tree", tree, *parents, "-m", self._message(), env=self._identity())
        report.checkpoint(len(plan.upload))
        report.note(f"digest: pushing {commit[:12]} to {self.branch}")
        pushed = git.run("push", "--quiet", self.push_url, f"{commit}:refs/heads/{self.branch}", check=False)
        if pushed.returncode != 0:
            why = redact(pushed.stderr.decode(errors="replace").strip())
            raise PublishError(
                f"push to {redact(self.push_url)} failed, nothing was published: {why}\n"
                f"(if {self.branch} moved on the remote meanwhile, run digest publish again)"
            )
        detail = f"commit {commit[:12]} on {self.branch}"
        return Outcome(len(plan.upload), len(plan.delete), unchanged, detail)

    def _fetch(self, git: _Repo) -> str | None:
        ref = f"refs/heads/{self.branch}"
        listed = git.out("ls-remote", self.fetch_url, ref, what=f"reading {redact(self.fetch_url)}")
        if not any(line.split("\t")[-1] == ref for line in listed.splitlines()):
            return None
        git.run("fetch", "--quiet", "--no-tags", "--depth=1", self.fetch_url, f"+{ref}:refs/digest/tip")
        return git.out("rev-parse", "refs/digest/tip")

    def _remote_state(self, git: _Repo, parent: str | None) -> dict[str, RemoteFile]:
        if parent is None:
            return {}
        owned: set[str] = set()
        listed = git.run("cat-file", "blob", f"{parent}:{MANIFEST}", check=False)
        if listed.returncode == 0:
            try:
                owned = {str(p) for p in json.loads(listed.stdout)["files"]}
            except (ValueError, KeyError, TypeError):
                owned = set()
        remote: dict[str, RemoteFile] = {}
        tree = git.run("ls-tree", "-r", "-z", "--full-tree", parent).stdout
        entries = tree.decode("utf-8", "surrogateescape")
        for entry in filter(None, entries.split("\0")):
            info, path = entry.split("\t", 1)
            _, kind, sha = info.split()
            if kind == "blob" and path != MANIFEST:
                remote[path] = RemoteFile(path, sha, owned=path in owned)
        return remote

    def _write_tree(
        self, git: _Repo, parent: str | None, plan: Plan, files: list[LocalFile], blobs: dict[str, str]
    ) -> str:
        git.run("read-tree", parent or "--empty")
        manifest = json.dumps({"generator": "digest", "files": sorted(f.path for f in files)}, indent=1)
        manifest_blob = git.out("hash-object", "-w", "--stdin", input=(manifest + "\n").encode())
        zero = "0" * len(manifest_blob)
        lines = [f"0 {zero}\t{path}" for path in plan.delete]
        lines += [f"100644 {blobs[f.path]}\t{f.path}" for f in plan.upload]
        lines.append(f"100644 {manifest_blob}\t{MANIFEST}")
        stream = "".join(line + "\0" for line in lines).encode("utf-8", "surrogateescape")
        git.run("update-index", "-z", "--replace", "--index-info", input=stream)
        return git.out("write-tree")

    def _message(self) -> str:
        head = _git(["rev-parse", "--verify", "--quiet", "HEAD"], cwd=self.site)
        if head.returncode != 0:
            source = "a folder that is not a git checkout"
        else:
            source = head.stdout.decode().strip()
            dirty = _git(["status", "--porcelain", "--untracked-files=no"], cwd=self.site).stdout.strip()
            if dirty:
                source += " with uncommitted changes"
        return self.message.replace("{source}", source)

    def _identity(self) -> dict[str, str]:
        """The user's name and email as git would take them in the site's repository; a fixed
        digest identity where none is configured (CI), so that the commit never fails on it."""
        env: dict[str, str] = {}
        for field in ("name", "email"):
            value = _git(["config", "--get", f"user.{field}"], cwd=self.site).stdout.decode().strip()
            for role in ("AUTHOR", "COMMITTER"):
                var = f"GIT_{role}_{field.upper()}"
                env[var] = os.environ.get(var) or value or _FALLBACK_IDENTITY[field]
        return env


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, stdin=subprocess.DEVNULL)


class _Repo:
    """git commands on the temporary bare repository and its own index."""

    def __init__(self, git_dir: Path, index: Path) -> None:
        self.git_dir = git_dir
        self.env = {**os.environ, "GIT_DIR": str(git_dir), "GIT_INDEX_FILE": str(index)}
        for leaked in ("GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"):
            self.env.pop(leaked, None)
        if sys.stdin is None or not sys.stdin.isatty():
            self.env["GIT_TERMINAL_PROMPT"] = "0"  # fail, rather than wait for a password in CI

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        env: dict[str, str] | None = None,
        check: bool = True,
        what: str = "",
        bare_init: bool = False,
    ) -> subprocess.CompletedProcess[bytes]:
        full_env = {**self.env, **(env or {})}
        if bare_init:
            full_env.pop("GIT_DIR")
        result = subprocess.run(
            ["git", *args],
            input=input,
            env=full_env,
            capture_output=True,
            check=False,
            cwd=self.git_dir.parent,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
        if check and result.returncode != 0:
            why = redact(result.stderr.decode(errors="replace").strip())
            raise PublishError(f"{what or 'git ' + args[0]} failed: {why}")
        return result

    def out(self, *args: str, **kwargs: Any) -> str:
        return self.run(*args, **kwargs).stdout.decode().strip()

    def hash_files(self, files: list[LocalFile]) -> dict[str, str]:
        """Write every built file into the object store (no filters: bytes as built); their
        blob ids are what the branch's tree is compared with."""
        paths = "".join(f"{f.source}\n" for f in files).encode()
        ids = self.out("hash-object", "-w", "--no-filters", "--stdin-paths", input=paths).split()
        return {f.path: blob for f, blob in zip(files, ids, strict=True)}
