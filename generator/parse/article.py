"""One file in, one Article (or located problems) out. Pure: no I/O, cacheable per file.

The text is split into front matter and body (frontmatter.py), the front matter read key by key
(fields.py), the body rendered (markdown.py), and the Article assembled here."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from yaml.nodes import MappingNode

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostic, Level
from ..core.fingerprint import card_key
from ..core.model import Article, Source, evolve
from ..core.urls import absolute, expand_permalink, slugify, under
from ..read.config import SiteConfig
from ..read.sources import Registry
from . import frontmatter
from .commonmark import MarkdownProblem
from .fields import Problems, read_fields
from .language import article_language
from .markdown import mark_nofollow, plain_text, render
from .parsed import Parsed


def parse_article(rel_path: str, text: str, config: SiteConfig, registry: Registry) -> Parsed:
    display = f"content/{rel_path}"
    try:
        parts = frontmatter.split(text)
    except frontmatter.SplitProblem as exc:
        return Parsed(None, (Diagnostic(display, exc.line, Level.ERROR, exc.message),))
    problems = Problems(display, parts.yaml_line)
    try:
        node = yn.compose(parts.yaml_text)
        if node is not None:
            yn.count_nodes(node)
    except yn.YamlProblem as exc:
        problems.error(parts.yaml_line + exc.line - 1, exc.message)
        return Parsed(None, tuple(problems.items))
    if not isinstance(node, MappingNode):
        if node is None:
            problems.error(1, "front matter is empty: an article needs at least title, date and source")
        else:
            where = problems.at(node)
            problems.error(where, "front matter must be a mapping of keys (title: ..., date: ...)")
        return Parsed(None, tuple(problems.items))
    site_config = config
    translation_key = ""
    if config.multilingual:
        code, translation_key = article_language(rel_path, node, config, problems)
        # its tags', source's and own URLs are under its language's base path
        config = config.for_language(code or config.language)
    fields = read_fields(node, problems, config, registry)
    if any(d.level is Level.ERROR for d in problems.items):
        return Parsed(None, tuple(problems.items))
    try:
        rendered = render(
            parts.body,
            article_path=rel_path,
            base_path=config.root_path,
            body_line=parts.body_line,
            summary_text=fields.pop("summary_text", ""),
            sanitize_html=config.sanitize_html,
            strip_tracking=config.strip_tracking,
            options=config.markdown,
            root_links=bool(config.links_root),
        )
    except MarkdownProblem as exc:
        problems.error(parts.body_line + exc.line - 1, exc.message)
        return Parsed(None, tuple(problems.items))
    if rendered.fallback:
        problems.warning(
            parts.body_line,
            f"the Markdown renderer comrak failed on this file ({rendered.fallback}); it was rendered "
            "with markdown-it-py instead, which can differ in details: please report this file",
            kind="renderer-fallback",
            group="the Markdown renderer comrak failed on these files; markdown-it-py rendered them",
            fix="please report them",
        )
    for src, line in rendered.no_alt:
        problems.warning(
            line,
            f"image without alt text ({src}): say what it shows, ![a court in Grozny]({src}), "
            "so that readers who cannot see it know",
            kind="image-no-alt",
            group="image without alt text",
            fix="say what each shows in its brackets: ![what it shows](image.jpg)",
        )
    source_url_line = fields.pop("_source_url_line", 0)
    alias_lines = fields.pop("_alias_lines", ())
    tracking = _tracking_notes(display, fields, rendered.tracked, source_url_line, config.strip_tracking)
    if config.nofollow_links and config.sanitize_html:
        host = urlsplit(config.base_url).hostname or ""
        rendered = replace(
            rendered,
            content=mark_nofollow(rendered.content, host),
            summary=mark_nofollow(rendered.summary, host),
        )
    date: datetime = fields["date"]
    source: Source = fields["source"]
    lang: str = config.language if site_config.multilingual else fields.get("lang") or config.language
    slug = fields.get("slug") or slugify(fields["title"], fallback_seed=rel_path)
    if not fields.get("slug") and slug.startswith("x-"):
        name = rel_path.rsplit("/", 1)[-1]
        stem = slugify(name.removesuffix(".md").removesuffix(".markdown"), fallback_seed=rel_path)
        slug = stem
    tokens = {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "slug": slug,
        "source": source.slug,
        "lang": lang.lower(),
    }
    url = under(config.base_path, expand_permalink(config.article_permalink, tokens))
    article = Article(
        path=rel_path,
        title=fields["title"],
        slug=slug,
        url=url,
        abs_url=absolute(config.base_url, url),
        date=date,
        source=source,
        summary=Markup(rendered.summary),
        body_html=rendered.content,
        lang=lang,
        updated=fields.get("updated"),
        source_url=fields.get("source_url", ""),
        via=fields.get("via", ""),
        authors=fields.get("authors", ()),
        tags=fields.get("tags", ()),
        image=fields.get("image", ""),
        story=fields.get("story", ""),
        draft=fields.get("draft", False),
        reading_minutes=rendered.length.minutes,
        extra=fields.get("extra", {}),
        aliases=fields.get("aliases", ()),
        translation_key=translation_key or fields.get("translation_key", ""),
        summary_text=plain_text(rendered.summary),
    )
    article = evolve(article, card_fp=card_key(article))
    return Parsed(
        article, tuple(problems.items), rendered.refs, tracking, source_url_line, alias_lines, rendered.roots
    )


def _tracking_notes(
    display: str,
    fields: dict[str, Any],
    tracked: tuple[tuple[str, int, tuple[str, ...]], ...],
    source_url_line: int,
    strip: bool,
) -> tuple[Diagnostic, ...]:
    from .tracking import strip_tracking, tracking_params

    outcome = "removed in the output" if strip else "kept in the output (strip_tracking: false)"
    notes = []
    source_url = fields.get("source_url", "")
    params = tracking_params(source_url)
    if params:
        notes.append(
            Diagnostic(
                display,
                source_url_line,
                Level.WARNING,
                f"'source_url' carries tracking parameters ({', '.join(params)}): {outcome}",
                kind="tracking:source_url",
                group="'source_url' carries tracking parameters",
                fix=outcome,
            )
        )
        if strip:
            fields["source_url"] = strip_tracking(source_url)
    for url, line, found in tracked:
        notes.append(
            Diagnostic(
                display,
                line,
                Level.WARNING,
                f"link to {url.split('?', 1)[0]} carries tracking parameters ({', '.join(found)}): {outcome}",
                kind="tracking:link",
                group="links carry tracking parameters",
                fix=outcome,
            )
        )
    return tuple(notes)
