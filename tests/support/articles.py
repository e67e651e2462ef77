"""In-memory sites for the unit tests (tests/unit): settings, front matter parsed without a
file, and Articles made directly, as the parse stage would hand them on. No files, no CLI."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from markupsafe import Markup

from generator.core.model import Article, Source, Tag
from generator.parse.article import Parsed, parse_article
from generator.read.config import SiteConfig
from generator.read.sources import Registry

# a site under a sub-path, in a timezone with an offset
CONFIG = SiteConfig(
    root=Path("/nonexistent"), title="T", base_url="https://example.org/news/", timezone="Europe/Moscow"
)
MOSCOW = ZoneInfo("Europe/Moscow")


def parse(front: str, body: str = "Body text.\n", config: SiteConfig = CONFIG) -> Parsed:
    """content/x.md with this front matter (without its `---` lines) and body."""
    return parse_article("x.md", f"---\n{front}---\n{body}", config, Registry(exists=False))


def source(name: str, slug: str | None = None) -> Source:
    slug = slug or name.lower()
    return Source(name, slug, f"/sources/{slug}/", f"/sources/{slug}/feed.xml")


def tag(name: str) -> Tag:
    return Tag(name, name, f"/tags/{name}/", f"/tags/{name}/feed.xml")


def dated(
    path: str, day: int, tags: tuple[str, ...] = (), story: str = "", outlet: Source | None = None
) -> Article:
    """An article `day` days after 2022-01-01 (UTC), named, titled and fingerprinted by its path."""
    date = datetime(2022, 1, 1, tzinfo=UTC) + timedelta(days=day)
    return Article(
        path=path,
        title=path,
        slug=path,
        url=f"/{path}/",
        abs_url=f"https://example.org/{path}/",
        date=date,
        source=outlet or source("Wire"),
        summary=Markup(""),
        lang="en",
        tags=tuple(tag(t) for t in tags),
        story=story,
        fp=path,
    )


# random articles: up to four of fourteen tags, half of them in one of three stories
SOURCE = source("Outlet")
TAGS = [f"t{n}" for n in range(14)]
STORIES = ["", "", "", "s1", "s2", "s3"]


def random_article(n: int, rng: random.Random) -> Article:
    when = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 24 * 60))
    return Article(
        path=f"a{n:03d}.md",
        title=f"Article {n}",
        slug=f"a{n}",
        url=f"/a{n}/",
        abs_url=f"https://example.org/a{n}/",
        date=when,
        source=SOURCE,
        summary=Markup(""),
        lang="en",
        tags=tuple(tag(t) for t in rng.sample(TAGS, rng.randint(0, 4))),
        story=rng.choice(STORIES),
    )
