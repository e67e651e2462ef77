#!/usr/bin/env python3
"""Mirror a generated digest corpus as a Hugo site, for a like-for-like build comparison.

Usage::

    python bench/hugo_site.py CORPUS SITE_DIR

The Hugo site gets:

* ``content/posts/**``: the corpus's article files, hard-linked (copied if linking fails), so
  Hugo reads exactly the same bytes, YAML front matter included. Our front-matter keys become
  page params; ``tags`` and ``source`` are taxonomies (a taxonomy accepts a single string).
  Cards show the ``summary`` param when there is one, as digest does (Hugo 0.168's
  ``.Summary`` ignores that key), else Hugo's ``.Summary``;
* ``hugo.toml``: base URL, title, language and time zone from the corpus's ``digest.yaml``,
  20 items per page, 20 items per RSS feed (digest's ``feed_items`` default), taxonomies
  ``tags`` (``/tags/TERM/``) and ``source`` (published as ``/sources/TERM/`` like digest), and
  article URLs ``/YYYY/MM/DD/SLUG/`` like digest's default permalink;
* ``layouts/``: a small theme with the same information as digest's default theme: article
  pages (outlet, headline, date, reading time, tags, summary, body, link to the original),
  paginated home, section, tag and source pages of cards (title, outlet, date, summary, tags),
  tag and source indexes and a 404 page. Feeds are Hugo's built-in RSS template (home,
  section, taxonomies and every term), and Hugo's built-in sitemap.

Only the standard library is used. ``run.py --hugo`` calls :func:`make_site`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HUGO_SECTION = "posts"


@dataclass(frozen=True)
class DigestSettings:
    """The digest.yaml keys the Hugo config mirrors."""

    title: str = "Digest"
    description: str = ""
    base_url: str = "https://example.org/"
    language: str = "en"
    timezone: str = "UTC"
    per_page: int = 20
    feed_items: int = 20


def read_digest_yaml(path: Path) -> DigestSettings:
    """Read the flat ``key: value`` digest.yaml that gen_corpus.py writes (no YAML library)."""
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or raw[:1].isspace() or ":" not in line:
            continue
        key, _, value = line.partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    d = DigestSettings()
    return DigestSettings(
        title=values.get("title", d.title),
        description=values.get("description", d.description),
        base_url=values.get("base_url", d.base_url),
        language=values.get("language", d.language),
        timezone=values.get("timezone", d.timezone),
        per_page=int(values.get("per_page", d.per_page)),
        feed_items=int(values.get("feed_items", d.feed_items)),
    )


def toml_str(text: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML escapes)."""
    return json.dumps(text, ensure_ascii=False)


def hugo_toml(s: DigestSettings) -> str:
    return f"""\
# Written by bench/hugo_site.py from the corpus's digest.yaml.
baseURL = {toml_str(s.base_url)}
title = {toml_str(s.title)}
locale = {toml_str(s.language)}
defaultContentLanguage = {toml_str(s.language)}
timeZone = {toml_str(s.timezone)}
enableRobotsTXT = true
# digest renders every article, not only past ones; so does this site.
buildFuture = true
disableHugoGeneratorInject = true

[params]
description = {toml_str(s.description)}

[pagination]
pagerSize = {s.per_page}

[services.rss]
limit = {s.feed_items}

[taxonomies]
tag = "tags"
outlet = "source"

[permalinks.page]
{HUGO_SECTION} = "/:year/:month/:day/:slug/"

[permalinks.taxonomy]
source = "/sources/"

[permalinks.term]
source = "/sources/:slug/"

[markup.goldmark.renderer]
unsafe = true
"""


# Hugo templates (Go html/template). Plain strings: the braces are Hugo's, not Python's.
BASEOF = """\
<!doctype html>
<html lang="{{ site.Language.Locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
<meta name="description" content="
  {{- with .Description }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:site_name" content="{{ site.Title }}">
{{- with .OutputFormats.Get "rss" }}
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ .RelPermalink }}">
{{- end }}
</head>
<body class="kind-{{ .Kind }}">
<header class="masthead">
  <p class="site-title"><a href="{{ "/" | relURL }}">{{ site.Title }}</a></p>
  <p class="tagline">{{ site.Params.description }}</p>
  <nav class="site-nav" aria-label="Site"><ul>
    <li><a href="{{ "/" | relURL }}">Home</a></li>
    <li><a href="{{ "/tags/" | relURL }}">Tags</a></li>
    <li><a href="{{ "/sources/" | relURL }}">Sources</a></li>
    <li><a href="{{ "/posts/" | relURL }}">Archive</a></li>
  </ul></nav>
</header>
<main id="content">
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ site.Title }}</p></footer>
</body>
</html>
"""

CARD = """\
<li><article class="card">
  <h3 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
  <p class="meta">
    {{- with .GetTerms "source" }}{{ with index . 0 -}}
      <a class="outlet" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
    {{- end }}{{ end }}
    <span class="sep" aria-hidden="true">·</span>
    <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2 Jan 2006" }}</time>
  </p>
  <div class="summary">
    {{- with .Params.summary }}<p>{{ . }}</p>{{ else }}{{ .Summary }}{{ end -}}
  </div>
  <ul class="tags">
    {{- range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end -}}
  </ul>
</article></li>
"""

PAGER = """\
{{- if gt .TotalPages 1 }}
<nav class="pager" aria-label="Pages">
  {{- with .Prev }}<a rel="prev" href="{{ .URL }}">Newer</a>{{ end }}
  <span>Page {{ .PageNumber }} of {{ .TotalPages }}</span>
  {{- with .Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}
</nav>
{{- end }}
"""

# home, section (the "archive") and term pages: a paginated list of cards, newest first.
# Hugo renders this once per pager page and evaluates PAGES each time (.Paginate caches only
# its result), so PAGES must be cheap: a filter such as `where site.RegularPages ...` here
# cost 60 ms per home page at 10,000 articles.
LIST_MAIN = """\
{{ define "main" }}
{{- $pag := .Paginate PAGES }}
<header class="page-head">
  <h1 class="page-title">{{ .Title }}</h1>
  <p class="page-sub">{{ $pag.TotalNumberOfElements }} articles</p>
</header>
<section class="listing">
  <ol class="cards">
  {{- range $pag.Pages }}{{ partial "card.html" . }}{{ end }}
  </ol>
</section>
{{ partial "pager.html" $pag }}
{{ end }}
"""

TAXONOMY = """\
{{ define "main" }}
<header class="page-head"><h1 class="page-title">{{ .Title }}</h1></header>
<ul class="terms">
  {{- range .Data.Terms.ByCount }}
  <li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a>
    <span class="count">{{ .Count }}</span></li>
  {{- end }}
</ul>
{{ end }}
"""

SINGLE = """\
{{ define "main" }}
<article class="story">
  <header class="story-head">
    <p class="kicker">
      {{- with .GetTerms "source" }}{{ with index . 0 -}}
        <a class="outlet" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
      {{- end }}{{ end }}
      {{- with .Params.via }} <span class="via">via {{ . }}</span>{{ end }}
    </p>
    <h1 class="headline">{{ .Title }}</h1>
    <p class="byline">
      {{- with .Params.author }}<span class="author">{{ delimit (slice | append .) ", " }}</span> {{ end -}}
      <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">
        {{- .Date.Format "Monday, 2 January 2006" }}</time>
      <span>{{ .ReadingTime }} min read</span>
    </p>
    {{- with .Params.summary }}<p class="standfirst">{{ . }}</p>{{ end }}
  </header>
  <div class="prose">
{{ .Content }}
  </div>
  <footer class="story-foot">
    {{- with .Params.source_url }}
    <p class="original"><a href="{{ . }}" rel="noopener noreferrer">Read the original</a></p>
    {{- end }}
    {{- with .Params.story }}<p class="story-id">Story: {{ . }}</p>{{ end }}
    <ul class="tags">
      {{- range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end -}}
    </ul>
  </footer>
</article>
{{ end }}
"""

NOT_FOUND = """\
{{ define "main" }}
<h1 class="page-title">Page not found</h1>
<p><a href="{{ "/" | relURL }}">Back to the front page</a></p>
{{ end }}
"""

LAYOUTS: dict[str, str] = {
    "baseof.html": BASEOF,
    "home.html": LIST_MAIN.replace("PAGES", "site.RegularPages"),  # all of them are posts
    "section.html": LIST_MAIN.replace("PAGES", ".Pages"),
    "term.html": LIST_MAIN.replace("PAGES", ".Pages"),
    "taxonomy.html": TAXONOMY,
    "page.html": SINGLE,
    "404.html": NOT_FOUND,
    "_partials/card.html": CARD,
    "_partials/pager.html": PAGER,
}


@dataclass
class SiteInfo:
    articles: int
    linked: bool  # False: the articles had to be copied


def make_site(corpus: Path, site: Path) -> SiteInfo:
    """(Re)create the Hugo site in ``site`` from the digest corpus in ``corpus``."""
    if site.exists():
        shutil.rmtree(site)
    settings = read_digest_yaml(corpus / "digest.yaml")
    (site / "layouts" / "_partials").mkdir(parents=True)
    (site / "hugo.toml").write_text(hugo_toml(settings), encoding="utf-8")
    for name, text in LAYOUTS.items():
        (site / "layouts" / name).write_text(text, encoding="utf-8")

    src_root = os.fspath(corpus / "content")
    dst_root = os.fspath(site / "content" / HUGO_SECTION)
    count = 0
    linked = True
    for dirpath, dirnames, filenames in os.walk(src_root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, src_root)
        target = os.path.normpath(os.path.join(dst_root, rel))
        os.makedirs(target, exist_ok=True)
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            src = os.path.join(dirpath, name)
            dst = os.path.join(target, name)
            if linked:
                try:
                    os.link(src, dst)
                except OSError:
                    linked = False
            if not linked:
                shutil.copy2(src, dst)
            count += 1
    return SiteInfo(articles=count, linked=linked)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("corpus", type=Path, help="a digest site made by gen_corpus.py")
    p.add_argument("site", type=Path, help="the Hugo site folder to (re)create")
    args = p.parse_args(argv)
    info = make_site(args.corpus, args.site)
    how = "hard-linked" if info.linked else "copied"
    print(f"hugo_site: {info.articles} articles {how} into {args.site}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
