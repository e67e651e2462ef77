"""The migration's summary for people (stderr): counts, skipped posts with their reasons,
warnings grouped by kind with file:line, unknown keys listed once, and the `links: {root: …}`
proposal when posts link root-relative paths that are neither posts nor files of the blog."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from ..core.urls import parse_url
from .convert import code_spans, inside, root_links
from .model import Note, SourceSite
from .write import MIGRATED_FROM, Plan

SHOWN = 5  # examples per group; the rest is counted
_KIND = re.compile(r"^([^:(]{3,60}?)(?::|\s\()")


def kind_of(message: str) -> str:
    m = _KIND.match(message)
    return m.group(1).strip() if m else message


def foreign_root_links(source: SourceSite, plan: Plan) -> list[tuple[Path, int, str]]:
    """Root-relative links that are not an old post URL, a new article or a copied file."""
    known: set[str] = set()
    for item in plan.items:
        known.update(u.rstrip("/") for u in item.post.old_urls)
        known.add(item.url.rstrip("/"))
        known.update("/" + static.lstrip("/") for _, static in item.post.files)
    seen = list(source.root_links)
    for item in plan.items:
        seen.extend(
            (item.post.source, line, url) for line, url in root_links(item.post.body, item.post.body_line)
        )
    out = []
    for path, line, url in seen:
        bare = url.split("#")[0].split("?")[0]
        if (
            not bare
            or bare == "/"
            or bare.rstrip("/") in known
            or bare.removesuffix("index.html").rstrip("/") in known
        ):
            continue
        out.append((path, line, url))
    return out


_MD_LINK = re.compile(
    r"\]\(\s*<?(?![A-Za-z][A-Za-z0-9+.-]*:|/|#)([^)\s>]*\.(?:md|markdown)(?:#[^)\s>]*)?)>?\)"
)


_NO_ALT = re.compile(r"!\[\s*\]\(\s*<?([^)\s>]+)")


def md_links(plan: Plan) -> list[Note]:
    """What digest's build will warn about in the bodies, said here with the source's line:
    relative links to .md files (digest reads them as links to its own articles, and none is
    there: migrated posts are linked by URL), and images without alt text."""
    out = []
    for item in plan.items:
        body = item.post.body
        spans = code_spans(body)
        for m in _MD_LINK.finditer(body):
            if not inside(spans, m.start()):
                line = item.post.body_line + body.count("\n", 0, m.start())
                message = f"relative link to a Markdown file, not a migrated post: {m.group(1)}"
                out.append(Note(item.post.source, line, message))
        for m in _NO_ALT.finditer(body):  # digest's build warns about these: said here first
            if not inside(spans, m.start()):
                line = item.post.body_line + body.count("\n", 0, m.start())
                out.append(Note(item.post.source, line, f"image without alt text: {m.group(1)}"))
    return out


def lines(source: SourceSite, plan: Plan, dry_run: bool) -> list[str]:
    out: list[str] = []
    counts = Counter(item.action for item in plan.items)
    verb = "would migrate" if dry_run else "migrated"
    done = counts["write"] + counts["replace"]
    skipped = len(source.skipped) + len(plan.skipped) + counts["skip"]
    everything = [n for post in source.posts for n in post.notes] + source.notes + plan.notes + md_links(plan)
    # an image without alt text said once, though a reader and the report both find it
    notes, seen = [], set()
    for n in everything:
        if kind_of(n.message) == "image without alt text":
            key = (n.path, n.line, n.message.split(": ", 1)[-1].split(" ")[0])
            if key in seen:
                continue
            seen.add(key)
        notes.append(n)
    out.append(
        f"{source.generator} site {source.root}: {len(source.posts)} posts found; {verb} {done}"
        + (f" ({counts['replace']} replaced)" if counts["replace"] else "")
        + (f", {counts['same']} unchanged" if counts["same"] else "")
        + f", skipped {skipped}, warnings {len(notes)}"
    )
    reasons: dict[str, list[str]] = defaultdict(list)
    for s in [*source.skipped, *plan.skipped]:
        where = f"{s.path.as_posix()}:{s.line}" if s.line else s.path.as_posix()
        reasons[("error: " if s.error else "") + s.reason].append(where)
    if counts["skip"]:
        reasons["migrated before (use --force to write again)"] = [
            i.post.source.as_posix() for i in plan.items if i.action == "skip"
        ]
    for reason, paths in sorted(reasons.items()):
        out.append(f"skipped {len(paths)}: {reason}")
        out.extend(f"  {p}" for p in paths[:SHOWN])
        if len(paths) > SHOWN:
            out.append(f"  … and {len(paths) - SHOWN} more")
    grouped: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        grouped[kind_of(note.message)].append(note)
    for kind, group in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append(f"warning ({len(group)}): {kind}")
        for n in sorted(group, key=lambda n: (n.path.as_posix(), n.line))[:SHOWN]:
            out.append(f"  {n.path.as_posix()}:{n.line}: {n.message}")
        if len(group) > SHOWN:
            out.append(f"  … and {len(group) - SHOWN} more")
    unknown = Counter(
        k
        for i in plan.items
        for k, v in i.post.extra.items()
        if k != MIGRATED_FROM and v not in (None, "", [])
    )
    if unknown:
        listed = ", ".join(f"{k} ({n})" for k, n in sorted(unknown.items()))
        out.append(f"kept under extra (no digest key): {listed}")
    if plan.languages:
        per = Counter(
            i.path.parts[1] for i in plan.items if len(i.path.parts) > 2 and i.path.parts[0] == "content"
        )
        listed = ", ".join(f"{code} ({per[code.lower()]})" for code in plan.languages)
        out.append(
            f"languages: {listed}; each language's posts are under content/<lang>/, a post's "
            "translations at the same path there (digest links them)"
        )
    if any(i.post.categories for i in plan.items):
        out.append("categories became tags (and are kept as extra.categories)")
    foreign = foreign_root_links(source, plan)
    if foreign:
        origin = _origin(source.base_url) or "https://the-old-site.example"
        out.append(
            f"{len(foreign)} root-relative links point outside the blog; to make them outbound links, "
            f"add to digest.yaml:  links: {{root: {origin}}}"
        )
        out.extend(f"  {p.as_posix()}:{line}: {url}" for p, line, url in foreign[:SHOWN])
        if len(foreign) > SHOWN:
            out.append(f"  … and {len(foreign) - SHOWN} more")
    return out


def _origin(base: str | None) -> str | None:
    if not base:
        return None
    parts = parse_url(base)
    return f"{parts.scheme}://{parts.netloc}" if parts and parts.scheme and parts.netloc else None
