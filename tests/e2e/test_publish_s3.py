"""`digest publish` to a real S3-compatible server (SeaweedFS on 127.0.0.1, started here, with
real keys so that every request's signature is checked), through the real CLI."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EPOCH, Run, digest_command, files_under, run_digest
from support.s3server import S3Server, bucket_objects, make_bucket, running_s3_server, weed_problem

pytest.importorskip("boto3", reason="boto3 is part of the test extra: pip install '.[test]'")

MANIFEST = ".digest-published.json"
ARTICLES = {
    "a": "title: Alpha\ndate: 2023-01-02\nsource: Wire\ntags: [one]",
    "b": "title: Beta\ndate: 2023-01-03\nsource: Wire\ntags: [two]",
    "c": "title: Gamma\ndate: 2023-01-04\nsource: Other\ntags: [one]",
    "d": "title: Delta\ndate: 2023-01-05\nsource: Wire\ndraft: true",
}


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    problem = weed_problem()
    if problem:
        pytest.skip(problem)
    with running_s3_server() as server:
        yield server


def make_site(root: Path, s3: S3Server, bucket: str, extra: str = "") -> Path:
    make_bucket(s3, bucket)
    site = root / "src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        "title: Publish Test\nbase_url: https://example.org/news/\ntimezone: UTC\npublish:\n"
        f"  bucket:\n    type: s3\n    bucket: {bucket}\n    prefix: /news/\n    region: {s3.region}\n"
        f"    endpoint_url: {s3.endpoint}\n{extra}"
    )
    for name, meta in ARTICLES.items():
        (site / "content" / f"{name}.md").write_text(f"---\n{meta}\n---\nThe {name} story.\n")
    return site


def built(site: Path, out: Path) -> dict[str, bytes]:
    result = run_digest("build", "-s", site, "-o", out, "--clean")
    assert result.code == 0, result.err
    return {k: v for k, v in files_under(out).items() if k != ".digest-output"}


def objects(s3: S3Server, bucket: str) -> dict[str, bytes]:
    return {k: v for k, v in bucket_objects(s3, bucket, "news/").items() if k != MANIFEST}


def publish(s3: S3Server, tmp_path: Path, site: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    result = run_digest("publish", "-s", site, *args, env={**s3.env(tmp_path), **(env or {})})
    assert s3.secret_key not in result.out + result.err, "the secret key must never be printed"
    return result


def test_upload_headers_and_unchanged_publish(s3: S3Server, tmp_path: Path) -> None:
    site = make_site(tmp_path, s3, "first", '    cache_control: {"*.svg": "public, max-age=3600"}\n')
    v1 = built(site, tmp_path / "v1")
    result = publish(s3, tmp_path, site)
    assert result.code == 0, result.err
    assert f"digest: published to bucket: {len(v1)} uploaded, 0 deleted, 0 unchanged in" in result.out
    assert objects(s3, "first") == v1
    assert not [k for k in bucket_objects(s3, "first") if not k.startswith("news/")]

    client = s3.client()
    expected = {
        "index.html": ("text/html; charset=utf-8", "public, max-age=300"),
        "2023/01/03/beta/index.html": ("text/html; charset=utf-8", "public, max-age=300"),
        "feed.xml": ("application/atom+xml; charset=utf-8", "public, max-age=300"),
        "rss.xml": ("application/rss+xml; charset=utf-8", "public, max-age=300"),
        "feed.json": ("application/feed+json", "public, max-age=300"),
        "sitemap.xml": ("application/xml; charset=utf-8", "public, max-age=300"),
        "robots.txt": ("text/plain; charset=utf-8", "public, max-age=300"),
        "static/style.css": ("text/css; charset=utf-8", "public, max-age=86400"),
        "static/favicon.svg": ("image/svg+xml", "public, max-age=3600"),
    }
    for path, (content_type, cache) in expected.items():
        head = client.head_object(Bucket="first", Key=f"news/{path}")
        assert (head["ContentType"], head["CacheControl"]) == (content_type, cache), path
        assert head["Metadata"]["digest-sha256"] == hashlib.sha256(v1[path]).hexdigest()
    stamps = {
        o["Key"]: (o["ETag"], o["LastModified"]) for o in client.list_objects_v2(Bucket="first")["Contents"]
    }

    again = publish(s3, tmp_path, site)
    assert again.code == 0, again.err
    assert f"0 uploaded, 0 deleted, {len(v1)} unchanged" in again.out
    after = {
        o["Key"]: (o["ETag"], o["LastModified"]) for o in client.list_objects_v2(Bucket="first")["Contents"]
    }
    assert after == stamps, "an unchanged publish writes nothing, not even its manifest"

    # a new Cache-Control rule re-uploads exactly the files it changes
    config = site / "digest.yaml"
    config.write_text(config.read_text().replace('"*.svg"', '"*.css"'))
    rules = publish(s3, tmp_path, site)
    assert rules.code == 0, rules.err
    assert (
        "3 uploaded, 0 deleted" in rules.out
    )  # favicon.svg loses the rule; style.css, highlight.css gain it
    assert (
        client.head_object(Bucket="first", Key="news/static/style.css")["CacheControl"]
        == "public, max-age=3600"
    )


def test_changes_deletes_guard_and_extras(s3: S3Server, tmp_path: Path) -> None:
    site = make_site(tmp_path, s3, "second")
    v1 = built(site, tmp_path / "v1")
    assert publish(s3, tmp_path, site).code == 0
    client = s3.client()
    client.put_object(Bucket="second", Key="news/.well-known/security.txt", Body=b"Contact: x\n")

    (site / "content" / "b.md").write_text(f"---\n{ARTICLES['b']}\n---\nThe b story, updated.\n")
    (site / "content" / "c.md").unlink()
    v2 = built(site, tmp_path / "v2")
    changed = {p for p in v2 if v1.get(p) != v2[p]}
    stale = set(v1) - set(v2)
    assert changed and len(stale) >= 2

    dry = publish(s3, tmp_path, site, "--dry-run")
    assert dry.code == 0, dry.err
    assert f"{len(changed)} to upload, {len(stale)} to delete, {len(v2) - len(changed)} unchanged" in dry.out
    assert "  keep    .well-known/security.txt (not made by digest" in dry.out
    assert objects(s3, "second") == {**v1, ".well-known/security.txt": b"Contact: x\n"}

    refused = publish(s3, tmp_path, site, "--max-deletes", "1")
    assert refused.code == 2
    assert f"would delete {len(stale)} files, more than --max-deletes 1; nothing was changed" in refused.err
    assert objects(s3, "second") == {**v1, ".well-known/security.txt": b"Contact: x\n"}

    forced = publish(s3, tmp_path, site, "--max-deletes", "1", "--force")
    assert forced.code == 0, forced.err
    assert f"{len(changed)} uploaded, {len(stale)} deleted, {len(v2) - len(changed)} unchanged" in forced.out
    assert objects(s3, "second") == {**v2, ".well-known/security.txt": b"Contact: x\n"}

    extra = publish(s3, tmp_path, site, "--delete-extra")
    assert extra.code == 0, extra.err
    assert "0 uploaded, 1 deleted" in extra.out
    assert objects(s3, "second") == v2


def test_killed_midway_then_resumed(s3: S3Server, tmp_path: Path) -> None:
    site = make_site(tmp_path, s3, "third")
    v1 = built(site, tmp_path / "v1")
    assert publish(s3, tmp_path, site).code == 0
    config = site / "digest.yaml"
    config.write_text(config.read_text().replace("Publish Test", "Publish Test, Renamed"))
    v2 = built(site, tmp_path / "v2")
    changed = {p for p in v2 if v1.get(p) != v2[p]}
    assert len(changed) > 10

    env = {
        **os.environ,
        **s3.env(tmp_path),
        "SOURCE_DATE_EPOCH": EPOCH,
        "CI": "true",
        "DIGEST_TEST_PAUSE_AFTER": "5",
    }
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
        if "test pause after 5 uploads" in line:
            break
    else:
        raise AssertionError(f"publish did not pause: {proc.wait()}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    client = s3.client()
    midway = objects(s3, "third")
    assert set(midway) == set(v1)
    for path, data in midway.items():
        assert data in (v1[path], v2.get(path)), f"{path} is neither the old nor the new file"
        head = client.head_object(Bucket="third", Key=f"news/{path}")
        assert head["Metadata"]["digest-sha256"] == hashlib.sha256(data).hexdigest()
    done = {p for p in changed if midway[p] == v2[p]}
    assert len(done) == 5
    assert all(p.endswith(".html") for p in done), "pages go up before feeds and sitemaps"
    assert midway["feed.xml"] == v1["feed.xml"] and midway["sitemap.xml"] == v1["sitemap.xml"]

    resumed = publish(s3, tmp_path, site)
    assert resumed.code == 0, resumed.err
    assert f"{len(changed) - 5} uploaded, 0 deleted" in resumed.out
    assert objects(s3, "third") == v2
    assert "0 uploaded, 0 deleted" in publish(s3, tmp_path, site).out


def test_credentials_from_the_chain_never_printed(s3: S3Server, tmp_path: Path) -> None:
    site = make_site(tmp_path, s3, "fourth")
    wrong = publish(s3, tmp_path, site, env={"AWS_SECRET_ACCESS_KEY": "not-the-secret"})
    assert wrong.code == 1
    assert "SignatureDoesNotMatch" in wrong.err and "not-the-secret" not in wrong.err + wrong.out
    none = publish(s3, tmp_path, site, env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""})
    assert none.code == 2 and "no AWS credentials found" in none.err
    assert objects(s3, "fourth") == {}

    # a named profile from the shared credentials file
    (tmp_path / "aws-credentials").write_text(
        f"[digest-test]\naws_access_key_id = {s3.access_key}\naws_secret_access_key = {s3.secret_key}\n"
    )
    config = site / "digest.yaml"
    config.write_text(config.read_text() + "    profile: digest-test\n")
    by_profile = publish(s3, tmp_path, site, env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""})
    assert by_profile.code == 0, by_profile.err
    assert objects(s3, "fourth") == built(site, tmp_path / "out")
    config.write_text(config.read_text().replace("digest-test", "nobody"))
    missing = publish(s3, tmp_path, site)
    assert missing.code == 2
    assert (
        "digest.yaml:5: error: publish target 'bucket': AWS profile 'nobody' is not in ~/.aws/config"
        in missing.err
    )


def test_without_boto3_says_how_to_install_it(tmp_path: Path) -> None:
    shadow = tmp_path / "shadow" / "boto3"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('No module named boto3')\n")
    site = tmp_path / "src"
    (site / "content").mkdir(parents=True)
    (site / "digest.yaml").write_text(
        "title: T\nbase_url: https://example.org/\npublish:\n  bucket: {type: s3, bucket: b}\n"
    )
    result = run_digest("publish", "-s", site, env={"PYTHONPATH": str(tmp_path / "shadow")})
    assert result.code == 2
    assert (
        "digest.yaml:4: error: publish target 'bucket': publishing to S3 needs boto3: "
        "pip install 'digest-ssg[s3]'" in result.err
    )
