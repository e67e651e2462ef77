"""Words, dates and numbers in one language: what templates and page titles are written with.

Messages are formatted as Jinja2's "newstyle" gettext does: `gettext("Tag: %(name)s", name=x)`,
`ngettext("%(num)s article", "%(num)s articles", n)` (`num` is `n`, written in the language's
digits and separators). Dates have named styles; English keeps the patterns digest has always
used ("Wednesday, 2 December 2026"), every other language gets CLDR's through Babel, which is
imported only when a non-English date or number is first written."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ..core.dates import strftime

Messages = dict[str, str | tuple[str, ...]]

# style -> the English pattern (as digest wrote dates before it had languages)
ENGLISH_DATES = {
    "full": "%A, %-d %B %Y",  # Wednesday, 2 December 2026
    "long": "%-d %B %Y",  # 2 December 2026
    "medium": "%-d %b %Y",  # 2 Dec 2026
    "month_year": "%B %Y",  # December 2026
    "day_month": "%-d %B",  # 2 December
    "month": "%B",  # December
    "weekday": "%A",  # Wednesday
    "weekday_short": "%a",  # Wed
}
# style -> a CLDR skeleton, for the styles that are not CLDR's own full/long
_SKELETONS = {"medium": "yMMMd", "month_year": "yMMMM", "day_month": "MMMMd"}
DATE_STYLES = tuple(ENGLISH_DATES)


class Words:
    """One language's messages (read/locales.py merges its catalogs) and formats. Its repr is
    the language and the catalogs' fingerprint: a page context holding it is keyed by both."""

    def __init__(self, code: str, messages: Messages, fingerprint: str) -> None:
        self.code = code
        self.fingerprint = fingerprint
        self.english = is_english(code)
        self._messages = messages

    def __repr__(self) -> str:
        return f"Words({self.code!r}, {self.fingerprint!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Words) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))

    def translated(self, message: str) -> str:
        """The message in this language, unformatted (the English msgid when missing)."""
        text = self._messages.get(message)
        return text if isinstance(text, str) else message

    def translated_plural(self, singular: str, plural: str, n: int) -> str:
        forms = self._messages.get(singular)
        if isinstance(forms, tuple):
            index: int = _plural_rule(self.code)(n)
            if index < len(forms) and forms[index]:
                return str(forms[index])
        return singular if n == 1 else plural

    def gettext(self, message: str, **variables: Any) -> str:
        return self.translated(message) % variables

    def ngettext(self, singular: str, plural: str, n: int, **variables: Any) -> str:
        variables.setdefault("num", self.number(n))
        return self.translated_plural(singular, plural, n) % variables

    def number(self, n: int | float) -> str:
        if self.english:
            return str(n)
        from babel.numbers import format_decimal

        return str(format_decimal(n, locale=babel_locale(self.code)))

    def format_date(self, value: date, style: str = "long") -> str:
        """`value` in one of DATE_STYLES; an aware datetime counts by its own (local) date."""
        pattern = ENGLISH_DATES.get(style)
        if pattern is None:
            styles = ", ".join(DATE_STYLES)
            raise ValueError(f"unknown date style '{style}' (the styles are {styles})")
        if self.english:  # the patterns name only the day: its (memoized) date says it all
            return strftime(value.date() if isinstance(value, datetime) else value, pattern)
        return _babel_date(self.code, value.date() if isinstance(value, datetime) else value, style)

    def month_name(self, month: int) -> str:
        return self.format_date(date(2000, month, 1), "month")

    def span(self, start: date, end: date) -> str:
        """The days of a week: "23–29 May 2022", "30 May – 5 June 2022"."""
        if self.english:
            if start.month == end.month and start.year == end.year:
                return f"{start.day}–{strftime(end, '%-d %B %Y')}"
            if start.year == end.year:
                return f"{strftime(start, '%-d %B')} – {strftime(end, '%-d %B %Y')}"
            return f"{strftime(start, '%-d %B %Y')} – {strftime(end, '%-d %B %Y')}"
        from babel.dates import format_interval

        return format_interval(start, end, "yMMMMd", locale=babel_locale(self.code))


@lru_cache(maxsize=65536)  # a site shows each day's date on many pages: Babel's formatting is slow
def _babel_date(code: str, day: date, style: str) -> str:
    from babel.dates import format_date, format_skeleton, get_day_names, get_month_names

    locale = babel_locale(code)
    if style in ("full", "long"):
        return str(format_date(day, style, locale=locale))
    if style == "month":
        return _capital(get_month_names("wide", "stand-alone", locale=locale)[day.month])
    if style in ("weekday", "weekday_short"):
        if style == "weekday":
            names = get_day_names("wide", "stand-alone", locale=locale)
        else:
            names = get_day_names("abbreviated", "stand-alone", locale=locale)
        return _capital(names[day.weekday()])
    text = str(format_skeleton(_SKELETONS[style], day, locale=locale))
    return _capital(text) if style == "month_year" else text


def _capital(text: str) -> str:
    """A month's name standing alone starts a heading or a list item: "Декабрь 2026 г."."""
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=64)
def babel_locale(code: str) -> Any:
    """Babel's locale for a tag; its language alone when Babel does not know the tag, English
    when it does not know the language either (a site's own language code, say)."""
    from babel import Locale, UnknownLocaleError

    for candidate in (code.replace("-", "_"), code.split("-")[0], "en"):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    raise AssertionError("Babel knows English")  # pragma: no cover


@lru_cache(maxsize=64)
def _plural_rule(code: str) -> Any:
    """n -> the index of the plural form, by CLDR's rule for the language (what the shipped
    catalogs' Plural-Forms headers say). English's is written here: it is the commonest site
    language, and Babel's plural tables come with its catalog reader, a fifth of the imports of
    a one-article rebuild."""
    import gettext

    if is_english(code):
        return gettext.c2py(_ENGLISH_PLURAL)
    from babel.messages.plurals import get_plural

    try:
        expression = get_plural(babel_locale(code)).plural_expr
    except Exception:  # a language CLDR has no plural rule for: English's
        expression = _ENGLISH_PLURAL
    return gettext.c2py(expression)


_ENGLISH_PLURAL = "(n != 1)"  # one form for 1, the other for everything else


def is_english(code: str) -> bool:
    """English, in any region: digest's own dates and plural rule."""
    return code.split("-")[0].lower() == "en"
