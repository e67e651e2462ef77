"""`digest import SOURCE...`: each source loaded, extracted, matched, checked against the site's
coverage and written as a draft. Standard output gets one line per draft written (its path),
or the drafts themselves with --dry-run; everything else goes to standard error. One bad source
does not lose the others' drafts: it is reported, the rest go on, and the exit code is 1."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, TextIO

from ..core.dates import DateProblem, parse_datetime, utc_now
from ..core.diagnostics import Diagnostics
from ..core.langtags import normalize_lang
from ..core.urls import slugify
from ..index.suggest import Text
from ..parse.tracking import strip_tracking
from ..read.config import SiteConfig, load_config
from ..read.sources import Registry, load_registry
from ..scaffold import ScaffoldProblem, article_path, write_article
from . import coverage
from .clutter import Vocabulary, language_warning, length, vocabulary
from .draft import DATE_NOT_FOUND, Draft
from .model import Extracted, Found, ImportProblem, MissingExtra
from .outlet import decide
from .plaintext import extract_text
from .source import Loaded, is_url, load

SHORT_BODY = 150  # words (or as long to read: core/readingtime.py): under this, a stub or a teaser
INSTALL = "pip install 'digest-ssg[import]'"
GROUPED = 3
_DIGITS = re.compile(r"\d+")
SHOWN = ("title", "author", "date", "source", "via", "source_url", "standfirst", "story")


@dataclass(frozen=True)
class Flags:
    url: str = ""
    source: str = ""
    via: str = ""
    author: str = ""
    date: str = ""
    title: str = ""
    tags: tuple[str, ...] = ()
    story: str = ""
    dry_run: bool = False
    force: bool = False


class UsageProblem(Exception):
    """A flag that cannot apply: exit 2 before any source is read."""


@dataclass
class _Run:
    config: SiteConfig
    registry: Registry
    vocab: Vocabulary
    site: coverage.SiteArticles
    flags: Flags
    now: datetime
    shown_root: Path
    out: TextIO
    err: TextIO
    # warnings of one kind (the same words, numbers aside) past the first GROUPED: the sources
    # they were about, said in one line at the end
    held: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def warn(self, name: str, message: str) -> None:
        _, names = self.held.setdefault(_DIGITS.sub("#", message), (message, []))
        names.append(name)
        if len(names) <= GROUPED:
            print(f"digest: warning: {name}: {message}", file=self.err)

    def grouped(self) -> None:
        for first, names in self.held.values():
            rest = names[GROUPED:]
            if rest:
                shown = ", ".join(rest[:3]) + (", …" if len(rest) > 3 else "")
                plural = "s" if len(rest) > 1 else ""
                print(f"digest: warning: {len(rest)} more source{plural} ({shown}) like the first: {first}",
                      file=self.err)


def import_sources(sources: list[str], site_dir: Path, flags: Flags, stdin: BinaryIO,
                   out: TextIO, err: TextIO) -> int:
    """The whole command; returns its exit code. digest.yaml problems raise ConfigError."""
    root = site_dir.resolve()
    try:
        _check_flags(sources, flags)
        config = load_config(root)
        when = _flag_date(flags.date, config) if flags.date else None
    except UsageProblem as exc:
        print(f"digest: error: {exc}", file=err)
        return 2
    diags = Diagnostics(root=root)
    registry = load_registry(root, diags)
    for d in diags.items:
        print(f"{d.format()} (importing without the outlets it could not read)", file=err)
    site = coverage.read_site(root)
    for warning in site.warnings:
        print(f"digest: warning: {warning}", file=err)
    now = utc_now(os.environ.get("SOURCE_DATE_EPOCH")).astimezone(config.zone).replace(microsecond=0)
    run = _Run(config, registry, vocabulary(config.import_drop_lines), site, flags, now, site_dir, out, err)
    code = 0
    for source in sources:
        try:
            _one(run, source, stdin, when)
        except MissingExtra as exc:
            print(f"digest: error: {exc}", file=err)
            code = 2
        except (ImportProblem, ScaffoldProblem) as exc:
            print(f"digest: error: {exc}", file=err)
            code = max(code, 1)
    run.grouped()
    if code and len(sources) > 1:
        print("digest: some sources were not imported (see above); the others' drafts are written", file=err)
    return code


def _check_flags(sources: list[str], flags: Flags) -> None:
    if len(sources) > 1 and (flags.url or flags.title):
        raise UsageProblem("--url and --title name one page; give them with a single SOURCE")
    if sources.count("-") > 1:
        raise UsageProblem("'-' (standard input) can be read only once")
    if flags.url and not is_url(flags.url):
        raise UsageProblem(f"--url must be an http(s) URL, not {flags.url!r}")


def _flag_date(text: str, config: SiteConfig) -> datetime:
    try:
        return parse_datetime(text, config.zone).astimezone(config.zone)
    except DateProblem as exc:
        raise UsageProblem(f"--date: {exc}") from None


def _extract(run: _Run, loaded: Loaded) -> Extracted:
    if not loaded.html:
        return extract_text(loaded.text, run.vocab, run.registry.names())
    try:  # lxml (meta.py) and trafilatura (html.py) come with the extra, loaded only for HTML
        from .html import extract_html
    except ModuleNotFoundError:
        raise MissingExtra(f"{loaded.name}: reading HTML needs the import extra: {INSTALL}") from None
    try:
        extracted = extract_html(loaded.text, loaded.page_url, run.vocab)
    except MissingExtra as exc:
        raise MissingExtra(f"{loaded.name}: {exc}") from None
    return extracted


def _one(run: _Run, source: str, stdin: BinaryIO, when: datetime | None) -> None:
    loaded = load(source, stdin)
    extracted = _extract(run, loaded)
    name = loaded.name
    fields = dict(extracted.fields)
    if loaded.page_url and "page_url" not in fields:
        fields["page_url"] = Found(loaded.page_url, "the URL it was fetched from")
    warnings = [*loaded.warnings, *extracted.warnings]
    body = extracted.body.strip()
    size = length(body)
    if size.words + size.characters == 0:
        raise ImportProblem(f"{name}: no article text left after removing the page's clutter")
    if size.word_equivalent < SHORT_BODY:
        warnings.append(f"the body has only {size.describe()}: a paywall stub or a teaser? "
                        "Check it against the page")
    lang = language_warning(body, run.vocab, fields["lang"].value if "lang" in fields else None)
    if lang:
        warnings.append(lang)
    draft, shown = _draft(run, name, fields, body, when, warnings)
    report = coverage.check(run.site, draft.source_url,
                            Text(draft.title, "", body, tuple(slugify(t) for t in draft.tags)))
    notes = _coverage(run, name, report, draft, shown)
    print(f"digest: {name}:", file=run.err)
    for key in SHOWN:
        if key in shown:
            print(f"  {key}: {shown[key].value}  [{shown[key].origin}]", file=run.err)
    for note in notes:
        print(f"digest: note: {name}: {note}", file=run.err)
    for warning in warnings:
        run.warn(name, warning)
    path = article_path(run.config, draft.title, draft.date, numbered=run.flags.force, lang=draft.site_lang)
    text = draft.text()
    rel = path.relative_to(run.config.root)
    if run.flags.dry_run:
        print(f"digest: {name}: would write {run.shown_root / rel}", file=run.err)
        run.out.write(text)
        return
    write_article(path, text)
    run.site.add(coverage.existing(rel.as_posix(), {"title": draft.title, "source_url": draft.source_url,
                                                    "story": draft.story}, body))
    print(run.shown_root / rel, file=run.out)


def _site_language(config: SiteConfig, written: str) -> str:
    """The multilingual site's language a page is in: its tag, else its language subtag
    (a page in pt-BR goes to a site's pt), else ""."""
    tag = normalize_lang(written) or ""
    if config.language_of(tag) is not None:
        return tag
    primary = tag.split("-")[0]
    return next((x.code for x in config.languages if x.code.split("-")[0] == primary), "") if primary else ""


def _pick(fields: dict[str, Found], key: str, flag: str, flag_name: str) -> Found | None:
    if flag:
        return Found(flag, f"--{flag_name}")
    return fields.get(key)


def _draft(run: _Run, name: str, fields: dict[str, Found], body: str, when: datetime | None,
           warnings: list[str]) -> tuple[Draft, dict[str, Found]]:
    flags = run.flags
    shown: dict[str, Found] = {}
    title = _pick(fields, "title", flags.title, "title")
    if title is None or not title.value.strip():
        first = " ".join(body.split()[:12]).rstrip(".,;:") + "…"
        title = Found(first, "the body's first words: no headline found, give one with --title")
        warnings.append("no headline found; the title is the body's first words (set --title)")
    shown["title"] = title
    for key in ("author", "standfirst"):
        picked = _pick(fields, key, flags.author if key == "author" else "", key)
        if picked:
            shown[key] = picked
    outlets = decide(fields, run.registry)
    source = Found(flags.source, "--source") if flags.source else outlets.source
    if source is None and run.config.default_source:
        source = Found(run.config.default_source, "defaults.source in digest.yaml")
    if source is None:
        # every article needs its outlet: a draft without one would fail the site's next build
        raise ImportProblem(f"{name}: no outlet found in it; give it with --source NAME (a name from "
                            "sources.yaml), or set defaults.source in digest.yaml")
    shown["source"] = source
    via = Found(flags.via, "--via") if flags.via else outlets.via
    if via is not None and source is not None and via.value.casefold() == source.value.casefold():
        via = None
    if via is not None:
        shown["via"] = via
    url = _pick(fields, "url", flags.url, "url") or fields.get("page_url")
    if url is not None:
        shown["source_url"] = Found(strip_tracking(url.value), url.origin)
    date, date_found = _date(run, fields, when, warnings)
    shown["date"] = date
    lang = fields.get("lang")
    site_lang = ""
    if run.config.multilingual and lang is not None:
        site_lang = _site_language(run.config, lang.value)
        if not site_lang:
            listed = ", ".join(x.code for x in run.config.languages)
            warnings.append(f"the page is in '{lang.value}' ({lang.origin}), not one of the site's languages "
                            f"({listed}): the draft is in the default language's folder")
        lang = None  # its folder says it
    draft = Draft(
        title=" ".join(title.value.split()),
        date=datetime.fromisoformat(date.value),
        body=body,
        source=source.value,
        via=via.value if via else "",
        source_url=shown["source_url"].value if "source_url" in shown else "",
        author=shown["author"].value if "author" in shown else "",
        lang=lang.value if lang and lang.value.split("-")[0].lower() != run.config.language.split("-")[0]
        else "",
        tags=list(flags.tags),
        story=slugify(flags.story) if flags.story else "",
        date_found=date_found,
        site_lang=site_lang,
    )
    if flags.story:
        shown["story"] = Found(draft.story, "--story")
    return draft, shown


def _date(run: _Run, fields: dict[str, Found], when: datetime | None,
          warnings: list[str]) -> tuple[Found, bool]:
    if when is not None:
        return Found(when.isoformat(), "--date"), True
    found = fields.get("date")
    if found is not None:
        try:
            value = parse_datetime(found.value, run.config.zone).astimezone(run.config.zone)
            return Found(value.isoformat(), found.origin), True
        except DateProblem:
            warnings.append(f"the date {found.value!r} ({found.origin}) is not a date digest reads")
    warnings.append(f"date {DATE_NOT_FOUND} ({run.now.isoformat()}, {run.config.timezone}); set it in the "
                    "draft or with --date")
    return Found(run.now.isoformat(), "the import time: none found in the source"), False


def _coverage(run: _Run, name: str, report: coverage.Coverage, draft: Draft,
              shown: dict[str, Found]) -> list[str]:
    """Refuses what the digest already has (unless --force); the notes to print otherwise."""
    notes = []
    force = run.flags.force
    if report.same_page and not force:
        raise ImportProblem(f"{name}: already in the digest as {', '.join(report.same_page)} "
                            "(the same source_url); --force imports it anyway")
    if report.same_text and not force:
        raise ImportProblem(f"{name}: nearly the same text is already in the digest as "
                            f"{', '.join(report.same_text)}; --force imports it anyway")
    for path in report.same_page + report.same_text:
        notes.append(f"imported despite {path} (--force)")
    if not report.related:
        return notes
    listed = ", ".join(f"{p} (story: {s})" if s else p for p, _, s in report.related)
    key = report.story or slugify(" ".join(draft.title.split()[:6]))
    notes.append(f"the same story as {listed}")
    if not draft.story:
        draft.suggested_story = key
        shown["story"] = Found(key, "suggested, as a comment in the draft: uncomment it to confirm")
    return notes
