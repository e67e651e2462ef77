"""Language tags as people write them (`zh_cn`, `pt_BR`, `en-us`, `sr_Latn_RS`), in BCP 47
case (`zh-CN`, `pt-BR`, `en-US`, `sr-Latn-RS`): the language lowercase, a script in title case,
a region in upper case. Used for `language:` in digest.yaml and `lang:` in front matter.

The language subtag must be a real ISO 639 code, as CLDR knows them through Babel. Babel is
imported only when a tag is checked, and each tag is checked once per process."""

from __future__ import annotations

import re
from functools import lru_cache

_SUBTAG = re.compile(r"[A-Za-z0-9]{1,8}")
_SEPARATOR = re.compile(r"[-_]")


@lru_cache(maxsize=1024)
def normalize_lang(text: str) -> str | None:
    """The tag in BCP 47 case, or None when it is not a language tag of a real language."""
    parts = _SEPARATOR.split(text.strip())
    if not all(_SUBTAG.fullmatch(part) for part in parts):
        return None
    language, rest = parts[0], parts[1:]
    if not (2 <= len(language) <= 3 and language.isalpha()):
        return None
    out = [language.lower()]
    i = 0
    if i < len(rest) and len(rest[i]) == 4 and rest[i].isalpha():  # script: Latn, Hans
        out.append(rest[i].title())
        i += 1
    if i < len(rest) and (  # region: CN, 419
        (len(rest[i]) == 2 and rest[i].isalpha()) or (len(rest[i]) == 3 and rest[i].isdigit())
    ):
        out.append(rest[i].upper())
        i += 1
    while i < len(rest) and (len(rest[i]) >= 5 or (len(rest[i]) == 4 and rest[i][0].isdigit())):
        out.append(rest[i].lower())  # variants: 1901, valencia
        i += 1
    while i < len(rest) and len(rest[i]) == 1:  # extensions (u-ca-buddhist), private use (x-…)
        singleton = rest[i].lower()
        i += 1
        taken = []
        while i < len(rest) and (singleton == "x" or len(rest[i]) >= 2):
            taken.append(rest[i].lower())
            i += 1
        if not taken:
            return None
        out += [singleton, *taken]
    if i != len(rest) or not _is_language(out[0]):
        return None
    return "-".join(out)


def nearest_lang(text: str) -> str | None:
    """The valid tag the writer most likely meant (`english` -> `en`, `en_US.UTF-8` -> `en-US`,
    `eng` -> `en`), or None when nothing is near enough (`zz_ZZ`, `e`)."""
    written = text.strip()
    if len(written) > 64:  # no language is named at such length; and difflib would be slow
        return None
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "", written).strip("-_")
    for candidate in (re.split(r"[.@]", written, maxsplit=1)[0], cleaned):
        if candidate != written and candidate:
            found = normalize_lang(candidate)
            if found:
                return found
    words = " ".join(re.sub(r"[^a-z]+", " ", written.lower()).split())
    names = _english_names()
    if words in names:
        return names[words]
    import difflib  # only for a tag that is not one

    close = difflib.get_close_matches(words, list(names), n=1, cutoff=0.8) if len(words) > 3 else []
    if close:
        return names[close[0]]
    parts = _SEPARATOR.split(cleaned)
    alias = _aliases().get(parts[0].lower())
    if alias:
        return normalize_lang("-".join([alias, *parts[1:]])) or normalize_lang(alias)
    return None


# languages every Babel has locale data for (tests/unit/core/test_langtags.py checks them against
# the installed one): a site in one of them checks `language:` without importing Babel, which
# costs a no-op build several milliseconds
COMMON = frozenset(
    {
        "af", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et",
        "eu", "fa", "fi", "fr", "ga", "gl", "gu", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja",
        "ka", "kk", "km", "kn", "ko", "ky", "lo", "lt", "lv", "mk", "ml", "mn", "mr", "ms", "my", "nb",
        "ne", "nl", "no", "pa", "pl", "ps", "pt", "ro", "ru", "si", "sk", "sl", "sq", "sr", "sv", "sw",
        "ta", "te", "th", "tr", "uk", "ur", "uz", "vi", "zh", "zu",
    }
)


def _is_language(code: str) -> bool:
    return code in COMMON or code in _languages_with_locales() or code in _all_languages()


@lru_cache(maxsize=1)
def _languages_with_locales() -> frozenset[str]:
    """The languages CLDR has locale data for (a directory listing: cheap)."""
    from babel.localedata import locale_identifiers

    return frozenset(name.split("_", 1)[0] for name in locale_identifiers())


@lru_cache(maxsize=1)
def _all_languages() -> frozenset[str]:
    """Every language CLDR knows a likely script and region for: thousands of ISO 639 codes."""
    from babel.core import get_global

    likely = get_global("likely_subtags")
    return frozenset(key.split("_", 1)[0] for key in likely)


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Deprecated and three-letter codes with a preferred one (eng -> en, iw -> he)."""
    from babel.core import get_global

    aliases = get_global("language_aliases")
    return {k: v for k, v in aliases.items() if "_" not in k and re.fullmatch(r"[a-z]{2,3}", v)}


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    """Lowercased English names of languages and their common regional forms -> tag
    (english -> en, brazilian portuguese -> pt-BR)."""
    from babel import Locale

    names: dict[str, str] = {}
    # plain languages first, so that a name shared with a regional form keeps the plain code
    for code, name in sorted(Locale("en").languages.items(), key=lambda item: ("_" in item[0], item[0])):
        tag = normalize_lang(code)
        key = " ".join(re.sub(r"[^a-z]+", " ", name.lower()).split())
        if tag and key:
            names.setdefault(key, tag)
    return names
