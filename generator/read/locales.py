"""The theme's words in a language: gettext message catalogs (`<code>.po`), read with Babel.

Three places, each overriding the one before message by message: the built-in theme's
`locales/`, the site theme's `themes/<name>/locales/`, the site's own `locales/`. In each, the
files for the language's fallback chain, the most general first: for `pt-BR` `pt.po` then
`pt-BR.po`. A message no catalog translates is the English text (the msgid). Babel reads the
.po files in memory: there is no compile step. The engine keeps what it read (`kept`, saved in
the cache folder), so that the next build's process need neither import Babel's reader nor
parse the catalogs again (a tenth of a one-article rebuild).

A catalog that cannot be read is a ConfigError located at its file and line."""

from __future__ import annotations

import hashlib
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core.diagnostics import ConfigError, Diagnostic, Level
from .config import SiteConfig
from .themedir import builtin_theme_dir
from .words import Messages, Words, babel_locale

LOCALES = "locales"
_PLACEHOLDER = re.compile(r"%\(([^)]*)\)[sd]")
# Chinese: a tag without a script falls back to the script its region writes
_ZH_HANT = {"tw", "hk", "mo"}


def locale_dirs(config: SiteConfig) -> tuple[Path, ...]:
    """The catalogs' folders, the built-in theme's first (the last one wins)."""
    builtin = builtin_theme_dir()
    folders = [builtin / LOCALES]
    site_theme = config.root / "themes" / config.theme
    if site_theme.is_dir() and site_theme.resolve() != builtin.resolve():
        folders.append(site_theme / LOCALES)
    folders.append(config.root / LOCALES)
    return tuple(f for f in folders if f.is_dir())


def fallback_chain(code: str) -> tuple[str, ...]:
    """The tags whose catalogs a language reads, most general first, in lower case:
    pt-BR -> (pt, pt-br); zh-CN -> (zh, zh-hans, zh-cn); sr-Latn-RS -> (sr, sr-latn, sr-latn-rs)."""
    parts = code.replace("_", "-").lower().split("-")
    chain = ["-".join(parts[: i + 1]) for i in range(len(parts))]
    if parts[0] == "zh" and not any(len(p) == 4 for p in parts[1:]):
        script = "zh-hant" if any(p in _ZH_HANT for p in parts[1:]) else "zh-hans"
        chain.insert(1, script)
        if script == "zh-hans" and "zh-cn" not in chain:  # the built-in catalog's name
            chain.insert(2, "zh-cn")
    return tuple(chain)


def catalog_files(folders: tuple[Path, ...], code: str) -> list[Path]:
    """The .po files a language reads, in the order they apply (the last one wins)."""
    chain = fallback_chain(code)
    out = []
    for folder in folders:
        by_tag = {p.stem.replace("_", "-").lower(): p for p in sorted(folder.glob("*.po")) if p.is_file()}
        out += [by_tag[tag] for tag in chain if tag in by_tag]
    return out


def load_words(config: SiteConfig, kept: MutableMapping[str, Messages] | None = None) -> Words:
    """The words of `config.language`: its catalogs merged, dates and numbers in its locale.
    `kept`: catalogs read before (by catalog_key), taken instead of reading them again; those
    read now are added to it."""
    files = catalog_files(locale_dirs(config), config.language)
    contents = []
    for path in files:
        try:
            contents.append((path, path.read_bytes()))
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            message = f"the message catalog cannot be read ({reason}); check its permissions"
            raise ConfigError([Diagnostic(_shown(path, config.root), 0, Level.ERROR, message)]) from None
    return _words(_Catalogs(config.language, config.root, tuple(contents), kept))


def catalog_key(data: bytes, code: str) -> str:
    """What a catalog read is kept under: its bytes and its language (which counts its forms)."""
    return hashlib.sha256(code.encode() + b"\0" + data).hexdigest()


@dataclass(frozen=True)
class _Catalogs:
    """The message catalogs of one language."""

    code: str
    root: Path
    contents: tuple[tuple[Path, bytes], ...]
    # catalogs read before, by catalog_key, and where those read now go: only faster, never
    # different, so not part of the cache's key (the engine's; engine/stages.py index_site)
    kept: MutableMapping[str, Messages] | None = field(default=None, compare=False, hash=False)


@lru_cache(maxsize=32)
def _words(catalogs: _Catalogs) -> Words:
    """Cached per process by the catalogs' bytes: a preview server re-reads them on each build."""
    code, root, kept = catalogs.code, catalogs.root, catalogs.kept
    merged: Messages = {}
    digest = hashlib.sha256(code.encode())
    problems: list[Diagnostic] = []
    for path, data in catalogs.contents:
        digest.update(path.name.encode() + b"\0" + data)
        key = catalog_key(data, code)
        try:
            messages = kept.get(key) if kept is not None else None
            if messages is None:
                messages = _messages(data, code)
                if kept is not None:
                    kept[key] = messages
            merged.update(messages)
        except _Broken as exc:
            problems.append(Diagnostic(_shown(path, root), exc.line, Level.ERROR, exc.message))
    if problems:
        raise ConfigError(problems)
    return Words(code, merged, digest.hexdigest()[:16])


class _Broken(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@lru_cache(maxsize=64)
def _messages(data: bytes, code: str) -> Messages:
    """msgid -> its translation (a tuple of forms for a plural message); untranslated and fuzzy
    entries are left out, so that they fall back to English. `code`: the language, whose CLDR
    plural rule counts the forms when the catalog has no Plural-Forms header."""
    from babel.messages.pofile import PoFileError, read_po

    fix = "fix the entry (gettext .po syntax: msgid \"...\" then msgstr \"...\")"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Broken(line, f"not UTF-8 text ({exc.reason}); save the catalog as UTF-8") from None
    try:  # Babel's reader lets an unclosed quote or a lost msgstr pass
        _check_syntax(text)
    except _Broken as exc:
        raise _Broken(exc.line, f"not a valid message catalog: {exc.message}") from None
    try:
        catalog = read_po(text.splitlines(keepends=True), locale=babel_locale(code), abort_invalid=True)
    except PoFileError as exc:
        raise _Broken(exc.lineno, f"not a valid message catalog: {exc}; {fix}") from None
    except Exception as exc:  # Babel's parser raises plain errors on some malformed input
        raise _Broken(0, f"not a valid message catalog: {exc}; {fix}") from None
    out: Messages = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        plural = isinstance(message.id, tuple | list)
        ids = tuple(str(i) for i in message.id) if plural else (str(message.id),)
        raw = message.string
        strings = tuple(str(s or "") for s in raw) if isinstance(raw, tuple | list) else (str(raw or ""),)
        if not any(strings):
            continue
        for string in strings:
            _check_placeholders(ids, string, message.lineno or 0)
        out[ids[0]] = strings if plural else strings[0]
    return out


_KEYWORD = re.compile(r'(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+("(?:[^"\\]|\\.)*")\s*')
_CONTINUED = re.compile(r'"(?:[^"\\]|\\.)*"\s*')
_SYNTAX = 'write msgid "English text" then msgstr "translation", each text in double quotes'


def _check_syntax(text: str) -> None:
    """Each line a comment, `keyword "text"` or a continued `"text"`; each msgid with a
    msgstr; no msgid twice. Raises _Broken at the first line that is not."""
    entry: list[str] = []  # the current entry's keywords, in order
    key: list[str] = []  # its msgctxt and msgid, as written
    line_of: dict[tuple[str, ...], int] = {}
    start = 0

    def close() -> None:
        if entry and not any(k.startswith("msgstr") for k in entry):
            raise _Broken(start, f"msgid without msgstr; {_SYNTAX}")
        if entry and tuple(key) in line_of and key[-1] != '""':
            raise _Broken(start, f"msgid {key[-1]} is already translated on line {line_of[tuple(key)]}")
        if entry:
            line_of[tuple(key)] = start

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword = _KEYWORD.fullmatch(line)
        if keyword is None:
            if _CONTINUED.fullmatch(line) and entry:
                if entry[-1] in ("msgctxt", "msgid"):
                    key[-1] += line
                continue
            raise _Broken(number, f"cannot read this line: {line[:60]!r}; {_SYNTAX}")
        word = keyword.group(1)
        if word in ("msgctxt", "msgid") and (not entry or entry[-1] != "msgctxt"):
            close()
            entry, key, start = [], [], number
        entry.append(word)
        if word in ("msgctxt", "msgid"):
            key.append(keyword.group(2))
    close()


class _Names(dict[str, Any]):
    """What a translation is formatted with in the check: the msgid's placeholders only."""

    def __init__(self, allowed: set[str]) -> None:
        super().__init__()
        self.allowed = allowed

    def __missing__(self, key: str) -> Any:
        if key not in self.allowed:
            raise KeyError(key)
        return 0


def _check_placeholders(ids: tuple[str, ...], string: str, line: int) -> None:
    """A translation may use only the placeholders of its English text (%(name)s), and a
    lone % must be written %%: else the page would fail to render."""
    allowed = {name for msgid in ids for name in _PLACEHOLDER.findall(msgid)}
    if "%" not in "".join(ids) and "%" not in string:
        return
    try:
        string % _Names(allowed | {"num"})
    except KeyError as exc:
        names = ", ".join(f"%({n})s" for n in sorted(allowed)) or "none"
        raise _Broken(
            line, f"the translation uses %({exc.args[0]})s, which its English text does not have ({names})"
        ) from None
    except (ValueError, TypeError) as exc:
        raise _Broken(line, f"the translation has a stray '%' ({exc}); write a literal % as %%") from None


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()

