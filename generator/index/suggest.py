"""`digest check --suggest-stories`: articles without a `story` that probably cover the same event.

Each article becomes a TF-IDF vector of its title (counted twice), summary and body; two articles
published within WINDOW_DAYS of each other whose vectors' cosine reaches THRESHOLD are linked,
and linked articles form a group. Only pairs inside the time window are compared (articles
sorted by date, a sliding window), so the work grows with the articles per window, not n²."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from html import unescape

from ..core.model import Article, Bodies
from ..core.scripts import CJK_RUN, may_hold_cjk
from ..core.urls import slugify

WINDOW_DAYS = 3.0
THRESHOLD = 0.15
_WORD = re.compile(r"[^\W\d_]{3,}")
_TAG = re.compile(r"<[^>]+>")
# the most frequent English function words: they say nothing about the event
_STOP = frozenset(
    """the and for are but not you all any can had her was one our out day get has him his how man
    new now old see two way who boy did its let put say she too use that with have this will your
    from they know want been good much some time very when come here just like long make many
    more only over such take than them well were what said also after into about which their
    there would could other these those then where while being most because against between
    during without within through under again further once should each both few own same""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Suggestion:
    """Articles that look like one story, with the key to give them."""

    articles: tuple[Article, ...]  # in time order
    similarity: float  # the strongest link in the group
    stories: tuple[str, ...]  # stories some of the articles already belong to
    proposed: str  # the key to give them: the existing story's, else one from the first title


_SUFFIXES = ("ings", "ing", "ers", "ied", "ies", "ed", "er", "es", "s")


def _stem(word: str) -> str:
    """A light suffix stripper, enough for refuse ~ refused ~ refusing ~ refusers."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word.rstrip("e") if len(word) > 4 else word


def _words(text: str, stems: dict[str, str]) -> Counter[str]:
    """Stemmed word counts; `stems` memoises the stemmer across articles. Chinese and Japanese,
    with no spaces between words, count by each pair of neighbouring characters (a lone one
    alone), as search engines index them: "花莲地震" is 花莲, 莲地 and 地震, and an article on
    the same quake shares 花莲 and 地震 where it shares no whole run of characters."""
    out: Counter[str] = Counter()
    text = text.casefold()
    if may_hold_cjk(text):
        runs = CJK_RUN.findall(text)
        if runs:
            text = CJK_RUN.sub(" ", text)
            for run in runs:
                out.update(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
    for word, count in Counter(_WORD.findall(text)).items():
        if word in _STOP:
            continue
        stem = stems.get(word)
        if stem is None:
            stem = stems[word] = _stem(word)
        out[stem] += count
    return out


def _plain(html: str) -> str:
    return unescape(_TAG.sub(" ", html))


@dataclass(frozen=True)
class Text:
    """What the measure reads of an article: plain text and tag slugs. `digest import` makes
    one from a page it has not written yet, and from the site's files without parsing them."""

    title: str
    summary: str
    body: str
    tags: tuple[str, ...] = ()


def counts_of(t: Text, stems: dict[str, str] | None = None) -> Counter[str]:
    """The stemmed words of a text (its title twice) and its tags: what the measure weighs.
    A caller comparing many texts against one site keeps these, so each file is counted once."""
    words = _words(" ".join((t.title, t.title, t.summary, t.body)), _STEMS if stems is None else stems)
    words.update("#" + tag for tag in t.tags)  # a shared tag is evidence too
    return words


_STEMS: dict[str, str] = {}


def _vectors(texts: list[Text]) -> list[dict[str, float]]:
    stems: dict[str, str] = {}
    return _weigh([counts_of(t, stems) for t in texts])


def _weigh(counts: list[Counter[str]]) -> list[dict[str, float]]:
    """TF-IDF vectors of unit length, the document frequencies taken over `counts` alone."""
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    return [_unit(c, len(counts), df) for c in counts]


def _unit(counts: Counter[str], n: int, df: Counter[str]) -> dict[str, float]:
    """One text's TF-IDF vector of unit length, among `n` texts of document frequencies `df`."""
    vec = {w: (1.0 + math.log(k)) * (math.log((1 + n) / (1 + df[w])) + 1.0) for w, k in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {w: v / norm for w, v in vec.items()}


def _texts(articles: list[Article], bodies: Bodies) -> list[Text]:
    return [
        Text(a.title, _plain(a.summary), _plain(bodies.content(a)), tuple(t.slug for t in a.tags))
        for a in articles
    ]


class StoryIndex:
    """The measure `--suggest-stories` links articles by, for comparing new texts one at a time
    against a whole site (`digest import`), with no time window (a page being imported has no
    reliable date yet). The site's texts are weighed once, with the document frequencies of the
    site as read, and kept in an inverted index, so a comparison costs the postings of the new
    text's words rather than a pass over every article. A text added later (a draft just
    written) is weighed with the frequencies of that moment; the others are not weighed again,
    a difference of one text in the frequencies."""

    def __init__(self, counts: list[Counter[str]]) -> None:
        self._df: Counter[str] = Counter()
        for c in counts:
            self._df.update(c.keys())
        self._n = len(counts)
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self.size = 0
        for c in counts:
            self._index(_unit(c, self._n, self._df))

    def _index(self, vector: dict[str, float]) -> int:
        for word, weight in vector.items():
            self._postings.setdefault(word, []).append((self.size, weight))
        self.size += 1
        return self.size - 1

    def add(self, counts: Counter[str]) -> int:
        """Index a text (its number is returned); later comparisons see it."""
        self._df.update(counts.keys())
        self._n += 1
        return self._index(_unit(counts, self._n, self._df))

    def similar(self, new: Text, skip: frozenset[int] = frozenset()) -> list[tuple[float, int]]:
        """(similarity, text number) for each indexed text, but those in `skip`, that reaches
        THRESHOLD against `new`, best first."""
        counts = counts_of(new)
        df = self._df + Counter(counts.keys())
        scores: dict[int, float] = {}
        for word, weight in _unit(counts, self._n + 1, df).items():
            for i, other in self._postings.get(word, ()):
                scores[i] = scores.get(i, 0.0) + weight * other
        found = ((round(s, 2), i) for i, s in scores.items() if s >= THRESHOLD and i not in skip)
        return sorted(found, key=lambda p: (-p[0], p[1]))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def suggest_stories(articles: list[Article], bodies: Bodies) -> list[Suggestion]:
    ordered = sorted(articles, key=lambda a: (a.date, a.path))
    if not any(not a.story for a in ordered):
        return []
    vectors = _vectors(_texts(ordered, bodies))
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # each article without a story is linked to its single best match in the window: linking
    # every similar pair would chain a busy week's articles into one group
    best: dict[int, tuple[float, int]] = {}
    window = WINDOW_DAYS * 86400.0
    stamps = [a.date.timestamp() for a in ordered]
    start = 0
    for j in range(len(ordered)):
        while stamps[j] - stamps[start] > window:
            start += 1
        for i in range(start, j):
            a, b = ordered[i], ordered[j]
            if a.story and b.story:
                continue  # both already placed: nothing for the curator to confirm
            score = _cosine(vectors[i], vectors[j])
            if score < THRESHOLD:
                continue
            for one, other in ((i, j), (j, i)):
                if not ordered[one].story and score > best.get(one, (0.0, -1))[0]:
                    best[one] = (score, other)
    for i, (_, j) in best.items():
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(ordered)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        if len(members) < 2 or all(ordered[i].story for i in members):
            continue
        items = tuple(ordered[i] for i in sorted(members))
        root = find(members[0])
        linked = [score for i, (score, _) in best.items() if find(i) == root]
        stories = tuple(sorted({a.story for a in items if a.story}))
        proposed = stories[0] if len(stories) == 1 else slugify(" ".join(items[0].title.split()[:6]))
        out.append(Suggestion(items, round(max(linked), 2), stories, proposed))
    out.sort(key=lambda s: (s.articles[0].date, s.articles[0].path))
    return out
