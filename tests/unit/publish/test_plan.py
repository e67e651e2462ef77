"""The publish plan every target shares: assets, then pages, then feeds; what is unchanged,
stale, or not digest's to delete."""

from __future__ import annotations

from pathlib import Path

from generator.publish.headers import SHORT, cache_control, content_type
from generator.publish.plan import LocalFile, RemoteFile, plan_publish


def _local(path: str) -> LocalFile:
    return LocalFile(path, Path(path), "sha-" + path, 1, content_type(path), cache_control(path))


def test_plan_orders_assets_pages_then_feeds() -> None:
    local = [_local(p) for p in ("sitemap.xml", "index.html", "feed.xml", "static/style.css", "a/index.html",
                                 "tags/x/rss.xml", "robots.txt", "static/favicon.svg", "same.html")]
    remote = {
        "same.html": RemoteFile("same.html", "sha-same.html"),
        "static/style.css": RemoteFile("static/style.css", "old"),
        "gone/index.html": RemoteFile("gone/index.html", "x"),
        "CNAME": RemoteFile("CNAME", "y", owned=False),
    }
    plan = plan_publish(local, remote)
    assert [f.path for f in plan.upload] == [
        "static/favicon.svg", "static/style.css",
        "a/index.html", "index.html",
        "feed.xml", "robots.txt", "sitemap.xml", "tags/x/rss.xml",
    ]  # fmt: skip
    assert [len(phase) for phase in plan.phases()] == [2, 2, 4]
    assert "static/style.css" not in plan.new and "index.html" in plan.new
    assert [f.path for f in plan.unchanged] == ["same.html"]
    assert plan.delete == ("gone/index.html",) and plan.kept == ("CNAME",)
    assert plan_publish(local, remote, delete_extra=True).delete == ("CNAME", "gone/index.html")
    # a target that keeps headers re-uploads a file whose headers changed
    with_headers = {"same.html": RemoteFile("same.html", "sha-same.html", headers=("text/html", SHORT))}
    assert [f.path for f in plan_publish([_local("same.html")], with_headers).upload] == ["same.html"]
