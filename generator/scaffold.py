"""`digest init` and `digest new`: files a curator starts from. `article_path` and
`write_article` are also the writer `digest import` uses (ingest/command.py), so a new and an
imported article land in the same place, in the same form, and never over an existing file."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from .core.dates import utc_now
from .core.urls import slugify
from .parse import frontmatter
from .read.config import CONFIG_NAME, SiteConfig

CONFIG_TEMPLATE = """\
# digest site configuration: see the README for every key.
title: {title}
description: A curated digest of news from many outlets.
base_url: https://example.org/
language: en
timezone: UTC
theme: default
per_page: 20
permalinks:
  article: /{{year}}/{{month}}/{{day}}/{{slug}}/
editions: daily            # daily, weekly or none: numbered issues under /editions/
search: true               # a /search/ page and its Pagefind index; false turns it off
"""

SOURCES_TEMPLATE = """\
# The outlets you quote. An article's `source` matches a name or an alias.
Example News:
  url: https://news.example.com
  description: An example outlet; replace it with the ones you follow.
  country: GB
  aliases: [Example]
  domains: [news.example.com]
"""

WELCOME_BODY = """\
This is your first curated entry. Summarise the story in your own words, quote a line at most,
and link to the original with `source_url`.

<!--more-->

Run `digest new "Title" --source "Example News" --url https://...` to add the next one, and
`digest build` to turn them into a site in `site/`.
"""


class ScaffoldProblem(Exception):
    pass


def init_site(target: Path, now: datetime | None = None) -> list[Path]:
    if (target / CONFIG_NAME).exists():
        raise ScaffoldProblem(f"{target / CONFIG_NAME} already exists; digest init will not overwrite it")
    now = now or utc_now(os.environ.get("SOURCE_DATE_EPOCH"))
    title = target.resolve().name.replace("-", " ").replace("_", " ").title() or "My Digest"
    written = []
    target.mkdir(parents=True, exist_ok=True)
    files = {
        target / CONFIG_NAME: CONFIG_TEMPLATE.format(title=frontmatter.yaml_value(title)),
        target / "sources.yaml": SOURCES_TEMPLATE,
        target / "content" / "welcome.md": frontmatter.write(
            {
                "title": "Welcome to your digest",
                "date": now.date(),
                "source": "Example News",
                "source_url": "https://news.example.com/welcome",
                "tags": ["meta"],
            },
            WELCOME_BODY,
        ),
    }
    for path, text in files.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def article_path(
    config: SiteConfig, title: str, when: datetime, numbered: bool = False, lang: str = ""
) -> Path:
    """Where a new article goes: content/YYYY/slug.md, the year of its date (in a multilingual
    site, a language other than the default under its folder: content/ru/YYYY/slug.md). With
    `numbered`, a taken name gets -2, -3, … instead (an import the curator forced past a
    coverage check)."""
    slug = slugify(title)
    folder = config.content_dir
    language = config.language_of(lang) if lang else None
    if language is not None and lang != config.language:
        folder = folder / language.prefix.rstrip("/")
    path = folder / f"{when.year:04d}" / f"{slug}.md"
    n = 2
    while numbered and path.exists():
        path = path.with_name(f"{slug}-{n}.md")
        n += 1
    return path


def write_article(path: Path, text: str) -> None:
    """Write a new article file; an existing file is never overwritten (the check and the
    creation are one step, so two commands at once cannot both write it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise ScaffoldProblem(f"{path} already exists; choose another title or edit that file") from None


def new_article(
    config: SiteConfig,
    title: str,
    source: str,
    url: str,
    tags: list[str],
    now: datetime | None = None,
    lang: str = "",
) -> Path:
    """`lang`: in a multilingual site, the article goes under that language's folder; in a
    one-language site, other than the site's language, it is written as `lang:`."""
    now = (now or utc_now(os.environ.get("SOURCE_DATE_EPOCH"))).astimezone(config.zone)
    now = now.replace(microsecond=0)
    path = article_path(config, title, now, lang=lang)
    fields: dict[str, object] = {"title": title, "date": now, "source": source}
    if lang and not config.multilingual and lang != config.language:
        fields["lang"] = lang
    if url:
        fields["source_url"] = url
    if tags:
        fields["tags"] = tags
    fields["summary"] = ""
    body = "Summarise the story in your own words here.\n"
    write_article(path, frontmatter.write(fields, body))
    return path
