"""Pages through Jinja2. Template problems come back as `template:line` diagnostics."""

from __future__ import annotations

import hashlib
import re
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.nodes import EvalContext
from jinja2.utils import pass_eval_context
from markupsafe import Markup, escape

from .. import __version__
from ..core.dates import rfc3339, strftime
from ..core.diagnostics import Diagnostic, Level
from ..core.groups import Site
from ..core.model import Article, Bodies
from ..core.urls import absolute, under
from ..plan.context import editions_feed_link, feed_links
from ..plan.inputs import PagePlan
from ..read.config import SiteConfig
from ..read.languages import text_direction
from ..read.locales import load_words
from ..read.words import Words
from .bytecode import bytecode_cache
from .theme import Theme


class TemplateProblem(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def site_globals(config: SiteConfig, site: Site) -> dict[str, Any]:
    """`site` in every template: settings and the site-wide lists, as summaries (no articles)."""
    words = load_words(config)
    return {
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "base_path": config.base_path,
        "language": config.language,
        "dir": text_direction(config.language),
        "timezone": config.timezone,
        "generator": f"digest {__version__}",
        "author": config.author,
        "article_count": len(site.articles),
        "tag_count": len(site.tags),
        "source_count": len(site.sources),
        "tags": site.tag_summaries,
        "top_tags": site.top_tags,
        "sources": site.source_summaries,
        "years": site.year_summaries,
        "feeds": feed_links(config.base_path, config.title, words, config.feeds.types),
        # feeds.lists: whether tags and sources have feeds (their feed_url is "" when not)
        "list_feeds": config.feeds.term_feeds,
        "editions_feed": editions_feed_link(config, words),  # title, type, url
        "story_count": len(site.stories),
        "editions": config.editions,
        "latest_edition": site.editions[0].link if site.editions else None,
        # whether to link the editions: a page that reads only this is not rendered again
        # each time a day's first article makes a new latest edition
        "has_editions": config.editions != "none" and bool(site.editions),
        "search": config.search,
        "extra": config.extra,
        # a multilingual site's languages (the default first), for a language switcher
        "languages": tuple(
            LanguageLink(
                lang.code,
                lang.name,
                lang.dir,
                under(config.root_path, lang.prefix),
                lang.title,
                lang.code == config.language,
            )
            for lang in config.languages
        ),
    }


@dataclass(frozen=True)
class LanguageLink:
    """A link to one language's version of the site."""

    code: str
    name: str  # in itself: Русский
    dir: str  # ltr | rtl
    url: str  # its home
    title: str  # its own title in languages:, or ""
    current: bool  # the language of the page


try:  # markupsafe's C escaping, which its escape() wraps (3.x)
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - without it (or another layout), templates use escape()
    _escape_inner = None  # type: ignore[assignment]


def _escape(value: Any) -> Markup:
    """markupsafe.escape, the same Markup for every value, without its Python-level detours
    for the two common cases: a page prints some 150 values, most of them plain strings
    (escaped in C, wrapped without Markup.__new__'s checks) or Markup already (which escape
    would copy unchanged)."""
    if type(value) is str:
        return _as_markup(Markup, _escape_inner(value))
    if type(value) is Markup:
        return value
    return escape(value)


_as_markup = str.__new__


class _Template(jinja2.Template):
    """Templates whose autoescaping `{{ value }}` calls `_escape`: a compiled template's code
    names markupsafe's escape as a global of its own module, replaced here once per template
    (a Jinja that names it otherwise keeps its own)."""

    @classmethod
    def _from_namespace(
        cls,
        environment: jinja2.Environment,
        namespace: MutableMapping[str, Any],
        globals: MutableMapping[str, Any],
    ) -> jinja2.Template:
        if namespace.get("escape") is escape and _escape_inner is not None:
            namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)


class _Environment(jinja2.Environment):
    """Templates read `article.content` (or `article["content"]`) through the body store the
    build hands in: the model holds where a body is, not the body."""

    bodies: Bodies
    # partials/card.html's card per article fingerprint (card_html). The build may hand in
    # the cards of its last run when they were made with the same card template key
    cards: dict[str, Markup]

    def getattr(self, obj: Any, attribute: str) -> Any:
        # every `a.b` in a template comes here: Jinja's own lookup is repeated inline rather
        # than called through super() (some 170 lookups a page)
        if attribute == "content" and type(obj) is Article:
            return self.bodies.content(obj)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if argument == "content" and type(obj) is Article:
            return self.bodies.content(obj)
        return super().getitem(obj, argument)


# a template's indentation is for the people who read it: in a page it only adds bytes (a
# browser collapses "\n    " to one space, as it does "\n"). Lines right after a block or
# comment tag keep one space, as trim_blocks takes the newline before them. Templates with
# <pre>, <textarea> or white-space rules, where whitespace is content, are left whole; so are
# templates with {% trans %} blocks, whose text (whitespace and all) is the msgid a catalog
# was extracted with.
_INDENT = re.compile(r"(?<![%#]\})\n[ \t]+")
_INDENT_AFTER_TAG = re.compile(r"(?<=[%#]\}\n)[ \t]{2,}")
_KEEP_WHITESPACE = re.compile(r"<pre\b|<textarea\b|white-space|\{%-?\s*trans\b", re.IGNORECASE)
TEMPLATE_FORM = "unindented-2"  # in every page's key: what the loader does to sources


@lru_cache(maxsize=512)  # pure: each environment reads every template's source again
def unindent(source: str) -> str:
    if _KEEP_WHITESPACE.search(source):
        return source
    return _INDENT_AFTER_TAG.sub(" ", _INDENT.sub("\n", source))


class _Unindented(jinja2.BaseLoader):
    """The theme's templates as `unindent` leaves them (the bytecode cache keys on this text)."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        return unindent(source), filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def make_environment(
    theme: Theme,
    config: SiteConfig,
    globals_: dict[str, Any],
    static_hashes: dict[str, str],
    bodies: Bodies,
    bytecode: Path | jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """`bytecode`: where Jinja keeps compiled templates between builds (a folder, or a
    KeptBytecode that `digest serve` keeps between its builds; None: nowhere)."""
    loader = _Unindented(
        jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader([str(p) for p in theme.template_dirs]),
                jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(theme.builtin_templates))}),
            ]
        )
    )
    env = _Environment(
        loader=loader,
        extensions=["jinja2.ext.i18n"],
        autoescape=jinja2.select_autoescape(["html", "xml", "htm"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode if isinstance(bytecode, jinja2.BytecodeCache) else bytecode_cache(bytecode),
        # an environment lives for one build, which reads each template once: without this,
        # every include, import and extends on every page would stat its file again
        auto_reload=False,
    )
    env.template_class = _Template
    env.bodies = bodies
    env.cards = {}
    base, root = config.base_path, config.root_path

    def url(path: str = "") -> str:
        return under(base, path)

    def root_url(path: str = "") -> str:
        """Under the site's base path whatever the page's language (url() is under the
        language's): the search bundle and other files of the whole site."""
        return under(root, path)

    def abs_url(path: str = "") -> str:
        return absolute(config.base_url, under(base, path) if not path.startswith(base) else path)

    def static(path: str) -> str:
        digest = static_hashes.get(path.lstrip("/"))
        suffix = f"?v={digest}" if digest else ""
        return under(root, "static/" + path.lstrip("/")) + suffix

    def card_html(article: Article) -> Markup:
        """partials/card.html's card(article), rendered once per article and reused: an
        article's card appears on up to a dozen list pages, identical each time."""
        html = env.cards.get(article.fp)
        if html is None:
            module = env.get_template("partials/card.html").module  # made once, as {% import %} does
            html = Markup(module.card(article))  # type: ignore[attr-defined]
            env.cards[article.fp] = html
        return html

    env.globals.update(
        url=url, root_url=root_url, abs_url=abs_url, static=static, site=globals_, card_html=card_html
    )
    install_words(env, load_words(config))
    env.filters["strftime"] = strftime
    env.filters["isoformat"] = rfc3339
    # Jinja's own `attr` filter calls Python's getattr: through the environment instead, so that
    # `article|attr("content")` reads the body as `article.content` does
    env.filters["attr"] = env.getattr
    return env


CARD_TEMPLATE = "partials/card.html"


def use_bodies(env: jinja2.Environment, bodies: Bodies) -> None:
    """`article.content` from this body store from now on: an environment kept between builds
    (engine/warm.py) reads each build's own."""
    assert isinstance(env, _Environment)
    env.bodies = bodies


def use_cards(env: jinja2.Environment, cards: dict[str, Markup]) -> None:
    """card_html's cards from now on: a build hands in those of its last run when the card
    template's key says they were made the same way (engine/warm.py)."""
    assert isinstance(env, _Environment)
    env.cards = cards


_KEYABLE = frozenset({str, Markup, int})  # immutable, and formatted by their value alone
_SAID_MAX = 2_000  # messages kept per environment: the site-wide ones, with a bound on memory


def install_words(env: jinja2.Environment, words: Words) -> None:
    """The theme's words in the environment's language: `_()`, `gettext()`, `ngettext()` (as
    Jinja2's newstyle gettext: `_("Tag: %(name)s", name=tag.name)`, `num` set by ngettext) and
    `{% trans %}`; `format_date(value, style)` and `format_number(n)` in CLDR's formats."""

    # a page says "Home", "Tags", "Built with digest 1.0" and "By Jane Doe" as the last page
    # did: each (message, values) is formatted once. Values are keyed with their type, as
    # Markup("<b>") == "<b>" but only the str is escaped; other values are not kept.
    said: dict[tuple[Any, ...], str] = {}

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, message: str, **variables: Any) -> str:
        key: tuple[Any, ...] | None = (message, eval_ctx.autoescape)
        for name, value in variables.items():
            if type(value) not in _KEYABLE:
                key = None
                break
            key += (name, type(value), value)  # type: ignore[operator]
        if key is not None:
            found = said.get(key)
            if found is not None:
                return found
        text = words.translated(message)
        # the words are the theme's: only the values are escaped
        text = Markup(text) % variables if eval_ctx.autoescape else text % variables
        if key is not None and len(said) < _SAID_MAX:
            said[key] = text
        return text

    @pass_eval_context
    def ngettext(eval_ctx: EvalContext, singular: str, plural: str, n: int, **variables: Any) -> str:
        variables.setdefault("num", words.number(n))
        text = words.translated_plural(singular, plural, n)
        if eval_ctx.autoescape:
            return Markup(text) % variables
        return text % variables

    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.filters["format_date"] = words.format_date
    env.filters["format_number"] = words.number
    # a month of the archive (anything with `year` and `month`): "December 2026", "2026年12月"
    env.filters["format_month"] = lambda month: words.format_date(
        date(month.year, month.month, 1), "month_year"
    )


def static_hashes(files: dict[str, Path]) -> dict[str, str]:
    return {rel: hashlib.sha256(path.read_bytes()).hexdigest()[:10] for rel, path in files.items()}


def render_page(env: jinja2.Environment, plan: PagePlan) -> bytes:
    try:
        template = env.get_template(plan.template)
        return template.render(plan.context, translations=plan.alternates).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            _located(
                exc.filename or exc.name or plan.template, exc.lineno, f"template syntax error: {exc.message}"
            )
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(
            Diagnostic(
                f"templates/{plan.template}", 0, Level.ERROR, f"template '{exc.name}' not found in the theme"
            )
        ) from None
    except Exception as exc:  # an error raised while rendering: find the template line
        filename, line = _template_frame(exc.__traceback__)
        message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        raise TemplateProblem(
            _located(filename or plan.template, line, f"{message} (rendering {plan.url})")
        ) from None


def _located(filename: str, line: int, message: str) -> Diagnostic:
    path = Path(filename)
    parts = path.parts
    shown = "/".join(parts[parts.index("themes") :]) if "themes" in parts else filename
    return Diagnostic(shown, line, Level.ERROR, message)


def _template_frame(tb: TracebackType | None) -> tuple[str, int]:
    found = ("", 0)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".htm", ".j2")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
