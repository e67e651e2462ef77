"""Publishing to an S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, MinIO, SeaweedFS,
...) with boto3, the optional `s3` extra. This is the only module that imports boto3.

Objects are compared by the SHA-256 of their content, kept in their metadata
(`x-amz-meta-digest-sha256`): ETags are not content hashes for multipart uploads. Reading that
metadata takes one HEAD request per object, so the bucket also holds `.digest-published.json`,
a cache of (ETag, SHA-256, Content-Type, Cache-Control) per key: an object whose listed ETag is
the cached one is not asked again. Anything else (a key the cache does not know, or one changed
by another tool) is read with HEAD, in parallel.

A PUT replaces an object whole, so readers see the old or the new file, never a mix. Uploads go
in parallel within a phase and phase by phase (assets, pages, feeds and sitemaps); stale objects
are deleted only after every upload succeeded. Objects without digest's metadata were not put
there by digest and are kept unless --delete-extra. Credentials come from boto3's usual chain
(environment, shared files, `profile:`, instance roles) and are never printed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import boto3  # type: ignore[import-untyped, import-not-found, unused-ignore]
from boto3.exceptions import S3UploadFailedError  # type: ignore[import-untyped, import-not-found, unused-ignore]
from boto3.s3.transfer import TransferConfig  # type: ignore[import-untyped, import-not-found, unused-ignore]
from botocore.config import Config  # type: ignore[import-untyped, import-not-found, unused-ignore]
from botocore.exceptions import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
)

from .plan import MANIFEST, LocalFile, Options, Outcome, PublishError, RemoteFile, check_deletes, plan_publish
from .report import Reporter
from .settings import target_problem

HASH_KEY = "digest-sha256"  # sent as x-amz-meta-digest-sha256
WORKERS = 8
T = TypeVar("T")


@dataclass(frozen=True)
class Listed:
    key: str
    etag: str
    size: int


class S3Publisher:
    def __init__(self, name: str, settings: dict[str, Any], site: Path) -> None:
        self.name = name
        self.bucket = str(settings["bucket"])
        prefix = str(settings.get("prefix") or "").strip("/")
        self.prefix = prefix + "/" if prefix else ""
        self.endpoint = str(settings.get("endpoint_url") or "") or None
        rules = settings.get("cache_control") or {}
        self.cache_rules: tuple[tuple[str, str], ...] = tuple((str(k), str(v)) for k, v in rules.items())
        # path-style requests (https://host/bucket/key) work with every S3-compatible store;
        # AWS itself gets its default virtual-hosted style
        path_style = settings.get("path_style", self.endpoint is not None)
        config = Config(
            retries={"max_attempts": 5, "mode": "standard"},
            max_pool_connections=WORKERS * 2,
            connect_timeout=10,
            read_timeout=60,
            s3={"addressing_style": "path" if path_style else "auto"},
        )
        try:
            session = boto3.session.Session(
                profile_name=settings.get("profile") or None, region_name=settings.get("region") or None
            )
            self.client = session.client("s3", endpoint_url=self.endpoint, config=config)
        except ProfileNotFound as exc:
            profile = exc.kwargs.get("profile", "")
            if settings.get("profile"):
                raise target_problem(site, name, f"AWS profile '{profile}' is not in ~/.aws/config") from None
            raise PublishError(
                f"AWS profile '{profile}' (from AWS_PROFILE) is not in ~/.aws/config", 2
            ) from None
        except BotoCoreError as exc:
            raise target_problem(site, name, str(exc)) from None

    def describe(self) -> str:
        where = f"s3://{self.bucket}/{self.prefix}"
        return f"{where} at {self.endpoint}" if self.endpoint else where

    def extra_files(self) -> dict[str, bytes]:
        return {}

    def publish(self, files: list[LocalFile], options: Options, report: Reporter, work: Path) -> Outcome:
        with _translated_errors(self.bucket):
            remote, cached = self._remote_state(self._list())
            plan = plan_publish(files, remote, options.delete_extra)
            report.show_plan(plan, self.name, self.describe(), options.dry_run)
            outcome = Outcome(len(plan.upload), len(plan.delete), len(plan.unchanged))
            if options.dry_run:
                return outcome
            check_deletes(plan, options, self.name)
            report.start("uploading", len(plan.upload))
            for phase in plan.phases():
                _run_parallel(self._put, phase, serial=report.serial, done=lambda f: report.step(f.path))
            report.finish()
            self._delete(list(plan.delete))
            if not plan.empty or not cached:
                self._write_manifest(files, remote)
            return outcome

    # --- reading the bucket -----------------------------------------------------------------

    def _list(self) -> list[Listed]:
        out: list[Listed] = []
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                key = str(item["Key"])
                if not key.endswith("/"):
                    out.append(Listed(key, str(item.get("ETag", "")), int(item.get("Size", 0))))
        return out

    def _read_manifest(self) -> dict[str, dict[str, str]]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + MANIFEST)["Body"].read()
            files = json.loads(body)["files"]
            return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in files.items()}
        except ClientError as exc:
            if _code(exc) in ("NoSuchKey", "404", "NotFound"):
                return {}
            raise
        except (ValueError, KeyError, TypeError, AttributeError):
            return {}

    def _remote_state(self, listed: list[Listed]) -> tuple[dict[str, RemoteFile], bool]:
        """What the bucket holds, and whether the manifest knew all of it."""
        has_manifest = any(item.key == self.prefix + MANIFEST for item in listed)
        known = self._read_manifest() if has_manifest else {}
        remote: dict[str, RemoteFile] = {}
        unknown: list[Listed] = []
        for item in listed:
            rel = item.key[len(self.prefix) :]
            if rel == MANIFEST:
                continue
            cached = known.get(rel)
            if cached and cached.get("etag") == item.etag:
                sha = cached.get("sha256", "")
                headers = (cached.get("content_type", ""), cached.get("cache_control", ""))
                remote[rel] = RemoteFile(rel, sha or f"etag:{item.etag}", owned=bool(sha), headers=headers)
            else:
                unknown.append(item)
        for found in _run_parallel(self._head, unknown, serial=False):
            if found is not None:
                remote[found.path] = found
        return remote, has_manifest and not unknown

    def _head(self, item: Listed) -> RemoteFile | None:
        rel = item.key[len(self.prefix) :]
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=item.key)
        except ClientError as exc:
            if _code(exc) in ("NoSuchKey", "404", "NotFound"):
                return None  # deleted since it was listed
            raise
        sha = str(head.get("Metadata", {}).get(HASH_KEY, ""))
        headers = (str(head.get("ContentType", "")), str(head.get("CacheControl", "")))
        return RemoteFile(rel, sha or f"etag:{item.etag}", owned=bool(sha), headers=headers)

    # --- changing the bucket ----------------------------------------------------------------

    def _put(self, f: LocalFile) -> None:
        self.client.upload_file(
            str(f.source),
            self.bucket,
            self.prefix + f.path,
            ExtraArgs={
                "ContentType": f.content_type,
                "CacheControl": f.cache_control,
                "Metadata": {HASH_KEY: f.sha256},
            },
            Config=TransferConfig(use_threads=False),
        )

    def _delete(self, paths: list[str]) -> None:
        for start in range(0, len(paths), 1000):
            chunk = [{"Key": self.prefix + p} for p in paths[start : start + 1000]]
            answer = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": chunk, "Quiet": True})
            errors = answer.get("Errors") or []
            if errors:
                first = errors[0]
                raise PublishError(
                    f"could not delete {len(errors)} stale objects (first: {first.get('Key')}: "
                    f"{first.get('Code')} {first.get('Message', '')}); run digest publish again"
                )

    def _write_manifest(self, files: list[LocalFile], before: dict[str, RemoteFile]) -> None:
        """Record what the bucket holds now, keyed by ETag, for the next publish to trust."""
        local = {f.path: f for f in files}
        entries: dict[str, dict[str, str]] = {}
        for item in self._list():
            rel = item.key[len(self.prefix) :]
            f = local.get(rel)
            if f is not None:
                sha, content, cache = f.sha256, f.content_type, f.cache_control
            elif rel in before and before[rel].headers is not None:
                old = before[rel]
                content, cache = old.headers or ("", "")
                sha = old.fingerprint if old.owned else ""
            else:
                continue
            entries[rel] = {"etag": item.etag, "sha256": sha, "content_type": content, "cache_control": cache}
        body = json.dumps({"generator": "digest", "files": entries}, indent=1, sort_keys=True) + "\n"
        self.client.put_object(
            Bucket=self.bucket,
            Key=self.prefix + MANIFEST,
            Body=body.encode("utf-8"),
            ContentType="application/json",
            CacheControl="no-cache",
        )


def _run_parallel(
    work: Callable[[T], Any], items: list[T], serial: bool, done: Callable[[T], None] | None = None
) -> list[Any]:
    """Run `work` over `items` on WORKERS threads (in order, one at a time, when `serial`);
    the first failure cancels what has not started and is raised."""
    results: list[Any] = []
    if serial or len(items) < 2:
        for item in items:
            results.append(work(item))
            if done is not None:
                done(item)
        return results
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {pool.submit(work, item): item for item in items}
        try:
            for future in as_completed(futures):
                results.append(future.result())
                if done is not None:
                    done(futures[future])
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return results


def _code(exc: Any) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextmanager
def _translated_errors(bucket: str) -> Iterator[None]:
    """boto3's exceptions as one-line messages. None of them carries a secret key."""
    try:
        yield
    except (NoCredentialsError, PartialCredentialsError):
        raise PublishError(
            "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, "
            "or 'profile:' on the target in digest.yaml",
            exit_code=2,
        ) from None
    except ClientError as exc:
        code = _code(exc)
        message = str(exc.response.get("Error", {}).get("Message", "")) or str(exc)
        if code == "NoSuchBucket":
            message = f"bucket '{bucket}' does not exist"
        elif code in ("InvalidAccessKeyId", "SignatureDoesNotMatch"):
            message += " (check the access key and secret in your AWS credentials)"
        raise PublishError(f"S3 {exc.operation_name}: {code}: {message}") from None
    except S3UploadFailedError as exc:
        raise PublishError(f"S3 upload failed: {exc}") from None
    except BotoCoreError as exc:
        raise PublishError(f"S3: {exc}") from None
