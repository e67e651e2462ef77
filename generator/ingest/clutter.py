"""Digest's own clutter filter: drops the lines a news page wraps around its article.

Runs on pasted text (ingest/plaintext.py) and on the Markdown an HTML extractor gives
(ingest/html.py), line by line. A line is compared in a normalised form (Markdown marks, link
targets, case, spacing and end punctuation removed), so "**Read more »**" and "read more" are
the same widget. The words are data (ingest/vocabdata.py) plus the site's
`import: {drop_lines: [...]}`; this module only compiles and applies them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..core.readingtime import TextLength, measure
from ..core.scripts import CJK_CHARACTER, KANA, may_hold_cjk
from .vocabdata import LANGUAGES, PICTURE_AGENCIES, PLEA_LINE, SHORT_LINE, WILD_LINE

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+•·]\s+|\d+[.)]\s+)+")
_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_]|[*_](?!\w))")
# (and the full-width punctuation of Chinese and Japanese: 【打印】, 「関連記事」, 责任编辑：)
_EDGE = re.compile(
    r"^[\s\"'“”‘’«»›‹→←|:;,.!?…()\[\]【】（）「」『』《》〔〕：；，。！？、·>-]+"
    r"|[\s\"'“”‘’«»›‹→←|:;,.!?…()\[\]【】（）「」『』《》〔〕：；，。！？、·>-]+$"
)
_WORD = re.compile(r"\w+")
# a row of bracketed buttons, 【打印本页】【关闭窗口】, and the text between them
_BUTTON = re.compile(r"【([^【】]*)】")
_KANA = re.compile(f"[{KANA}]")
# "1 of 35", "2/10", "3 из 12": a gallery or carousel counter
_COUNTER = re.compile(r"\d+\s*(?:of|/|из|von|de|sur|di)\s*\d+")


def normalise(line: str) -> str:
    """The form a line is compared in: no Markdown marks or link targets, lower case, single
    spaces, straight apostrophes, no punctuation at either end."""
    text = _LINK.sub(r"\1", line)
    text = _MARKS.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = text.replace("’", "'").replace("‘", "'").lower()
    text = " ".join(text.split())
    return _EDGE.sub("", text)


def words(text: str) -> int:
    """How long a line reads, in words: its `\\w+` runs, and its Chinese and Japanese characters
    (no spaces between words) as the words they take as long to read: the same lengths mean the
    same in every language. Without such characters, the `\\w+` runs alone."""
    return length(text).word_equivalent


def length(text: str) -> TextLength:
    """The text's words, with each Chinese or Japanese character counted apart (a run of them
    is one `\\w+` word): what tells a whole article from a stub in any language."""
    return measure(text, _WORD)


_TOKEN = re.compile(r"[\w'-]+")
MAX_PHRASE = 8  # words; longer phrases in the lists are never looked for


def _tokens(key: str) -> list[str]:
    return _TOKEN.findall(key)


@dataclass(frozen=True)
class _Lines:
    """Whole normalised lines: exact entries in a set, entries with `*` (any text) in one
    pattern. Sets keep start-up cheap: compiling hundreds of alternatives costs a tenth of a second."""

    exact: frozenset[str]
    wild: re.Pattern[str] | None

    def match(self, key: str, wild: bool = True) -> bool:
        """`wild=False` looks at the exact entries only."""
        if key in self.exact:
            return True
        return wild and self.wild is not None and self.wild.fullmatch(key) is not None


def _whole_lines(entries: Iterable[str]) -> _Lines:
    exact, wild = set(), set()
    for entry in entries:
        if "*" not in entry:
            key = normalise(entry)
            exact.add(key if key else entry.strip().lower())  # "×": punctuation only, as written
            continue
        parts = [normalise(part) if part.strip() else part for part in entry.split("*")]
        body = ".*".join(re.escape(part) for part in parts)
        if body.strip(".*"):
            wild.add(body)
    pattern = re.compile("|".join(sorted(wild))) if wild else None
    return _Lines(frozenset(exact), pattern)


def _phrases(entries: Iterable[str]) -> frozenset[str]:
    return frozenset(" ".join(_tokens(normalise(e))) for e in entries if _tokens(normalise(e)))


def _has_phrase(key: str, phrases: frozenset[str]) -> bool:
    """Whether any phrase occurs in the normalised line as whole words."""
    tokens = _tokens(key)
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + MAX_PHRASE) + 1):
            if " ".join(tokens[i:j]) in phrases:
                return True
    return False


@dataclass(frozen=True)
class Vocabulary:
    """The compiled built-in lists of every language, plus the site's drop_lines."""

    widget: _Lines  # the built-in lists: a `*` entry drops only a short line ("* comments")
    site: _Lines  # the site's drop_lines, applied as written
    plea: frozenset[str]
    weak: Mapping[str, frozenset[str]] = field(hash=False)  # per language: see _weak
    opener: _Lines
    credit: re.Pattern[str]
    agency_tail: re.Pattern[str]
    stopwords: Mapping[str, frozenset[str]] = field(hash=False)
    drop_lines: tuple[str, ...] = ()


def vocabulary(extra_drop_lines: Sequence[str] = ()) -> Vocabulary:
    return _compiled(tuple(extra_drop_lines))


@lru_cache(maxsize=8)
def _compiled(extra: tuple[str, ...]) -> Vocabulary:
    def every(kind: str) -> list[str]:
        return [entry for lists in LANGUAGES.values() for entry in lists[kind]]

    credit_words = sorted({normalise(c) or c for c in every("credit")}, key=len, reverse=True)
    agencies = sorted(PICTURE_AGENCIES, key=len, reverse=True)
    return Vocabulary(
        widget=_whole_lines(every("widgets")),
        site=_whole_lines(extra),
        plea=_phrases(every("pleas")),
        weak={lang: _phrases(lists["weak"]) for lang, lists in LANGUAGES.items()},
        opener=_whole_lines(every("openers")),
        # "Photo: Reuters", "Photograph by Jane Doe", "© AFP"
        credit=re.compile(r"(?:" + "|".join(re.escape(c) for c in credit_words) + r")\s*(?::|：|/|by\b|©)"
                          r"|©|\(c\)\s"),
        # "David Peinado / pexels", "Soldiers in Donetsk. Alexander Ermochenko / Reuters", "… (AFP)"
        agency_tail=re.compile(r"(?:/|\(|\|)\s*(?:" + "|".join(re.escape(a) for a in agencies)
                               + r")(?:\s*(?:/|via)\s*[\w .'-]+)?\)?$"),
        stopwords={lang: frozenset(lists["stopwords"]) for lang, lists in LANGUAGES.items()},
        drop_lines=extra,
    )


def is_opener(line: str, vocab: Vocabulary) -> bool:
    """A short line that opens a message box ("A Message from The Moscow Times:", "Dear readers,")."""
    key = normalise(line)
    return bool(key) and words(key) <= SHORT_LINE and vocab.opener.match(key)


def is_clutter(line: str, vocab: Vocabulary) -> bool:
    """A widget, counter, plea, subscription, cookie or photo-credit line."""
    stripped = line.strip()
    if not stripped or stripped.startswith("|"):  # blank lines and Markdown tables are structure
        return False
    key = normalise(stripped)
    if not _WORD.search(key):
        # "×", "•••", "---": no words at all (a Markdown rule "---" between sections goes too)
        return True
    if "【" in stripped and not _BUTTON.sub("", stripped).strip(" |/·"):  # buttons only
        return all(vocab.widget.match(normalise(b), wild=False) for b in _BUTTON.findall(stripped))
    count = words(key)
    # a built-in `*` entry is for widgets, which are short: "* comments" must not take "The
    # minister declined to make any further comments"
    if vocab.widget.match(key, wild=count <= WILD_LINE) or vocab.site.match(key) or _COUNTER.fullmatch(key):
        return True
    if count <= PLEA_LINE and _has_phrase(key, vocab.plea):
        return True
    if count <= SHORT_LINE and _weak(key, count, vocab):
        return True
    if count > 30:
        return False
    tail = vocab.agency_tail.search(key)
    if tail is not None and tail.group().startswith("("):
        return _agency_in_brackets(stripped)
    return vocab.credit.match(key) is not None or tail is not None


_BRACKETED = re.compile(r"\(([^()]*)\)\W*$")


def _agency_in_brackets(line: str) -> bool:
    """"… (AFP)" closes a caption when the agency is written as the agency writes itself:
    "die elektronische Patientenakte (ePA)" is a sentence, not a credit."""
    found = _BRACKETED.search(line)
    inner = re.split(r"\s*(?:/|\bvia\b)\s*", found.group(1).strip())[0] if found else ""
    return inner in PICTURE_AGENCIES or (inner.isupper() and inner.lower() in _AGENCIES_LOWER)


_AGENCIES_LOWER = frozenset(a.lower() for a in PICTURE_AGENCIES)


def _weak(key: str, count: int, vocab: Vocabulary) -> bool:
    """A short line with a weak word ("donate", "don") of a language the line is in: a button of
    two words, or a line with one of that language's function words ("Faire un don"), so that
    French "don" does not take "1 jar Don Victor honey"."""
    tokens = set(_tokens(key))
    for lang, phrases in vocab.weak.items():
        if (count <= 2 or tokens & vocab.stopwords[lang]) and _has_phrase(key, phrases):
            return True
    return False


def filter_lines(lines: list[str], vocab: Vocabulary) -> list[str]:
    """The lines that are article text, in order: widget, plea and credit lines dropped, and
    everything from a message-box opener on. Blank lines are kept as separators, but never two
    in a row nor at either end."""
    kept: list[str] = []
    for line in lines:
        if is_opener(line, vocab):
            break
        if not line.strip():
            if kept and kept[-1].strip():
                kept.append("")
            continue
        if not is_clutter(line, vocab):
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def language_of(text: str, vocab: Vocabulary) -> str | None:
    """The built-in language whose function words make up a fair share of the text, or None
    when none does (a language no list covers, or another script). Cheap: the first 3,000 words."""
    sample = text[:20000]
    if may_hold_cjk(sample):  # Chinese by its characters: no function words between spaces
        letters = sum(1 for ch in sample if ch.isalpha())
        cjk = len(CJK_CHARACTER.findall(sample))
        if letters and cjk / letters >= 0.3:  # Japanese (kana among them) has no list of its own
            return None if len(_KANA.findall(sample)) >= cjk * 0.05 else "zh"
    tokens = [t.lower() for t in _WORD.findall(text)[:3000]]
    if not tokens:
        return None
    best, share = None, 0.0
    for lang, stop in vocab.stopwords.items():
        s = sum(1 for t in tokens if t in stop) / len(tokens)
        if s > share:
            best, share = lang, s
    return best if share >= 0.18 else None


def language_warning(text: str, vocab: Vocabulary, declared: str | None = None) -> str | None:
    """A warning when the text's language is not one the built-in lists cover, so its clutter
    may be left in; None when covered or too short to tell (under 40 words)."""
    if words(text) < 40 or language_of(text, vocab) is not None:
        return None
    known = ", ".join(sorted(vocab.stopwords))
    said = f" (the page says {declared!r})" if declared else ""
    return (f"the text's language{said} is not one the built-in clutter lists cover ({known}): "
            "check the draft for leftover clutter, or add lines to `import: drop_lines` in digest.yaml")
