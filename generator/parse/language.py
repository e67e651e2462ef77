"""An article's language in a multilingual site: its `lang:`, else the first folder under
content/ when that folder is a configured language (`content/ru/2022/x.md`), else the default
language; and the key that links it to its translations: `translation_key:`, else its path
under its language's folder (`content/ru/2022/x.md` and `content/en/2022/x.md`, or
`content/2022/x.md` for the default language at the root, are translations of each other)."""

from __future__ import annotations

import re

from yaml.nodes import MappingNode

from ..core import yamlnodes as yn
from ..core.langtags import normalize_lang
from ..read.config import SiteConfig
from .fields import Problems

# a folder that reads as a language code (ru, pt-br, zh_CN), not as a section (news, 2022)
_LANGUAGE_FOLDER = re.compile(r"[a-z]{2}(?:[-_][A-Za-z]{2}|[-_][A-Za-z]{4}(?:[-_][A-Za-z]{2})?)?", re.I)


def folder_language(rel_path: str, config: SiteConfig) -> tuple[str, str, str]:
    """(configured language, unconfigured language-like folder, path under the folder)."""
    folder, _, rest = rel_path.partition("/")
    if not rest or not _LANGUAGE_FOLDER.fullmatch(folder):
        return "", "", rel_path
    code = normalize_lang(folder)
    if code is None:
        return "", "", rel_path
    if config.language_of(code) is not None:
        return code, "", rest
    return "", folder, rel_path


def article_language(rel_path: str, node: MappingNode, config: SiteConfig, p: Problems) -> tuple[str, str]:
    """(the article's language, its translation key); ("", "") after reporting an error."""
    listed = ", ".join(lang.code for lang in config.languages)
    found, stray, rest = folder_language(rel_path, config)
    if stray:
        p.error(
            1,
            f"this article is in the folder content/{stray}/, which reads as a language that is not "
            f"one of the site's languages ({listed}); add it under 'languages' in digest.yaml, "
            "or rename the folder",
        )
        return "", ""
    written = ""
    key = ""
    for name, _, value in yn.mapping_items(node):
        if name == "lang":
            text = yn.scalar_text(value)
            code = normalize_lang(text) if text else None
            if code is None:
                return config.language, ""  # fields.py reports a malformed tag
            if config.language_of(code) is None:
                p.error(
                    p.at(value),
                    f"'lang: {text}' is not one of the site's languages ({listed}); add it under "
                    "'languages' in digest.yaml, or correct the tag",
                )
                return "", ""
            written = code
        elif name == "translation_key":
            key = (yn.scalar_text(value) or "").strip()
    lang = written or found or config.language
    if not key:
        key = re.sub(r"\.(md|markdown)$", "", rest)
    return lang, key
