"""digest.yaml's `languages:` (present = a multilingual site) and `prefix_default_language:`.

```yaml
language: en                 # the default language
languages:
  en: {title: Refusenik Watch}
  ru: {title: Дело отказников, description: …}
  uk: {}
prefix_default_language: false   # true: the default language under /en/ too
```

Each language's pages are under `/{code}/` (the code in lower case: `/zh-cn/`), the default
language's at the root unless `prefix_default_language: true`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from yaml.nodes import MappingNode, Node

from ..core import yamlnodes as yn
from ..core.diagnostics import Diagnostics
from ..core.langtags import nearest_lang, normalize_lang

RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "iw"})
_LANGUAGE_KEYS = ("title", "description")


@dataclass(frozen=True)
class LanguageSettings:
    """One language of a multilingual site."""

    code: str  # BCP 47 case: zh-CN
    title: str = ""  # "" = the site's title
    description: str = ""  # "" = the site's description
    prefix: str = ""  # under the site's base path: "" (the root) or "zh-cn/"

    @property
    def dir(self) -> str:
        return text_direction(self.code)

    @property
    def name(self) -> str:
        """The language's name in itself (Русский, 中文, العربية), for a language switcher."""
        return endonym(self.code)


def url_segment(code: str) -> str:
    return code.lower()


@lru_cache(maxsize=256)
def text_direction(code: str) -> str:
    """'rtl' for Arabic, Hebrew, Persian, Urdu and the other right-to-left languages, else 'ltr';
    a script subtag decides when there is one (az-Arab is right-to-left, ku-Latn is not)."""
    parts = code.split("-")
    scripts = [p for p in parts[1:] if len(p) == 4 and p.isalpha()]
    if scripts:
        return "rtl" if scripts[0].title() in ("Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm") else "ltr"
    return "rtl" if parts[0].lower() in RTL_LANGUAGES else "ltr"


@lru_cache(maxsize=64)
def endonym(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        try:
            locale = Locale.parse(code.split("-")[0])
        except (UnknownLocaleError, ValueError, TypeError):
            return code
    name = locale.language_name or code
    return name[:1].upper() + name[1:]


def check_languages(
    value: Node, path: Path, line: int, diags: Diagnostics
) -> dict[str, dict[str, str]] | None:
    """code -> {title, description}, in the order written; None when it is not usable."""
    if not isinstance(value, MappingNode):
        diags.error(path, line, "'languages' must be a mapping of language codes (en: {title: …}, ru: {})")
        return None
    out: dict[str, dict[str, str]] = {}
    segments: dict[str, str] = {}
    for written, key_node, sub in yn.mapping_items(value):
        key_line = yn.line_of(key_node)
        code = normalize_lang(written)
        if code is None:
            near = nearest_lang(written)
            hint = f" (did you mean '{near}'?)" if near else ""
            diags.error(
                path, key_line, f"'languages.{written}' is not a language tag such as en, ru or zh-CN{hint}"
            )
            continue
        if url_segment(code) in segments:
            diags.error(
                path,
                key_line,
                f"'languages.{written}' is the language '{segments[url_segment(code)]}' again",
            )
            continue
        segments[url_segment(code)] = written
        settings: dict[str, str] = {}
        if not yn.is_null(sub):
            if not isinstance(sub, MappingNode):
                diags.error(
                    path,
                    yn.line_of(sub),
                    f"'languages.{written}' must be a mapping ({{title: …}}) or empty",
                )
                continue
            for name, name_node, text_node in yn.mapping_items(sub):
                if name not in _LANGUAGE_KEYS:
                    hint = yn.suggest(name, _LANGUAGE_KEYS)
                    diags.error(
                        path, yn.line_of(name_node), f"unknown key 'languages.{written}.{name}'{hint}"
                    )
                    continue
                text = yn.scalar_text(text_node)
                if text is None:
                    diags.error(
                        path, yn.line_of(text_node), f"'languages.{written}.{name}' must be a string"
                    )
                    continue
                settings[name] = text
        out[code] = settings
    if not out:
        diags.error(path, line, "'languages' lists no language; remove it for a one-language site")
        return None
    return out


def language_settings(
    languages: dict[str, dict[str, str]], default: str, prefix_default: bool
) -> tuple[LanguageSettings, ...]:
    """The site's languages, the default first, then in the order written."""
    ordered = sorted(languages, key=lambda code: code != default)
    return tuple(
        LanguageSettings(
            code,
            languages[code].get("title", ""),
            languages[code].get("description", ""),
            "" if code == default and not prefix_default else url_segment(code) + "/",
        )
        for code in ordered
    )
