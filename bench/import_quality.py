#!/usr/bin/env python3
"""Body text quality of `digest import` on HTML pages, on a public benchmark with hand-made
ground truth: the Zyte (Scrapinghub) article-extraction-benchmark (MIT), 181 real news and
blog pages with their article bodies written out by hand.

Usage::

    python bench/import_quality.py BENCHMARK_DIR [--limit N] [--worst K] [--json OUT]

BENCHMARK_DIR is a checkout (or extracted copy) of
https://github.com/scrapinghub/article-extraction-benchmark holding `html/*.html.gz` and
`ground-truth.json`; the script never downloads anything. Needs the import extra.

The measure is the benchmark's own: a text's tokens are its `\\w+` runs, its shingles the
multiset of runs of 4 consecutive tokens (a text of fewer than 4 tokens is one shingle);
per page, true positives (shingles in both, counted with multiplicity), false positives (only
extracted) and false negatives (only in the ground truth) are divided by their sum, so long
pages weigh no more than short ones; precision and recall are averaged over the pages (a page
with nothing extracted and nothing expected counts 1); F1 is the harmonic mean of the two
means. Markdown is made plain text (rendered, then the tags removed) before it is scored.

With --readability, BENCHMARK is a copy of mozilla/readability and the pages are its test pages
(the development set the settings and vocabulary were chosen on; see bench/results-import.md).
With --snippets, BENCHMARK is a copy of adbar/trafilatura and the pages are its evaluation set
(`tests/evaldata.json`: 990 pages, each with hand-picked snippets that must be in the text and
snippets, mostly boilerplate, that must not; a second development set, with hand-made truth):
a snippet is found when it occurs in the plain text (spacing normalised); precision, recall and
F1 are over all snippets, as trafilatura's own `tests/evaluate.py` counts them.
With --chinese, BENCHMARK is a copy of immortal-autumn/Chinese-Web-Content-Extraction-Dataset
(MIT; 69 Chinese pages of 2004–2010, news, blogs and forums, many in GBK, each with its content
copied out by hand into `cleaned/`): read as `digest import` reads a saved file (its charset
decoding included: a page it cannot decode scores nothing), and scored with Chinese and Japanese
characters as tokens of their own (a `\\w+` run of Chinese is a whole sentence).
With --l3s, BENCHMARK is a copy of the L3S-GN1 set (Kohlschütter et al., WSDM 2010, research
use only: 621 English news pages from 408 sites, found through Google News in 2008, each with a
copy in which people marked every text block as headline, full text, supplemental, related
content, comments or not content), the folder holding `original/`, `annotated/` and
`url-mapping.txt`: a third development set, news only, scored with the same F1 as the
benchmark against the blocks marked full text (`x-nc-sel2`; the headline becomes the draft's
title, captions are left out of a draft by design).

Rows: trafilatura with its default settings; with the benchmark's own call (comments off);
with the settings digest asks for (Markdown, links); and digest's import (those + digest's
clutter filter + the headline removed). Time per page is the whole extraction, metadata
included for the last row.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.core.scripts import CJK
from generator.ingest.clutter import vocabulary
from generator.ingest.html import extract_html, main_text

_TOKEN = re.compile(r"\w+")
_CJK_SPLIT = re.compile(f"[{CJK}]|[^{CJK}]+")
BY_CHARACTER = False  # --chinese
# block elements (and a footnote's <sup>) end a word; inline ones (<em>, <a>) do not
_BLOCK_TAG = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|blockquote|pre|table|thead|tbody|tr|td|th|hr|br|div"
                        r"|sup|sub)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")

Triple = tuple[float, float, float]


def plain(markdown: str) -> str:
    """Markdown as the words a reader sees: rendered by markdown-it (CommonMark and tables, the
    HTML trafilatura leaves in, such as <sup>, passed through), then the tags removed, so link
    targets, escapes and emphasis marks are not scored as words."""
    from html import unescape

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    return unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", rendered)))


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if BY_CHARACTER:  # each Chinese or Japanese character a token, as digest counts them
        tokens = [t for token in tokens for t in _CJK_SPLIT.findall(token)]
    if len(tokens) < n:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def score(truth: str, extracted: str) -> Triple:
    """The page's (TP, FP, FN) over shingles, divided by their sum."""
    want, got = shingles(truth), shingles(extracted)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def summary(triples: list[Triple]) -> dict[str, float]:
    precision = statistics.mean(_precision(*t) for t in triples if t[0] + t[1] > 0)
    recall = statistics.mean(_recall(*t) for t in triples if t[0] + t[2] > 0)
    return {"f1": 2 * precision * recall / (precision + recall), "precision": precision, "recall": recall}


def load(directory: Path, limit: int | None) -> list[tuple[str, str, str, str]]:
    """(id, url, html, ground-truth body) per page, in id order."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        with gzip.open(directory / "html" / f"{key}.html.gz", "rt", encoding="utf-8", errors="replace") as f:
            pages.append((key, truth[key].get("url") or "", f.read(), truth[key].get("articleBody") or ""))
    return pages


def load_readability(directory: Path, limit: int | None) -> list[tuple[str, str, str, str]]:
    """The development set: Mozilla Readability's test pages of 20 kB or more (real pages) with
    Readability's own output (`expected.html`, not hand-made) as the truth."""
    from lxml.html import fromstring

    pages = []
    for folder in sorted((directory / "test" / "test-pages").iterdir())[:limit]:
        source = folder / "source.html"
        if source.stat().st_size >= 20_000:
            truth = fromstring((folder / "expected.html").read_text(encoding="utf-8")).text_content()
            pages.append((folder.name, "", source.read_text(encoding="utf-8", errors="replace"), truth))
    return pages


def load_snippets(directory: Path, limit: int | None) -> list[tuple[str, str, str, dict[str, list[str]]]]:
    """The second development set: trafilatura's evaluation pages with their snippets."""
    tests = directory / "tests"
    data = json.loads((tests / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url in sorted(data)[:limit]:
        item = data[url]
        path = next(p for p in (tests / "eval" / item["file"], tests / "cache" / item["file"]) if p.exists())
        html = path.read_bytes().decode("utf-8", errors="replace")
        pages.append((item["file"], url, html, {"with": item["with"], "without": item["without"]}))
    return pages


_L3S_LABEL = re.compile(r"\bx-nc-sel(\d)\b")
_TITLE_END = re.compile(r"</title\s*>", re.IGNORECASE)


def _marked_text(annotated: str, label: str) -> str:
    """The text of the blocks marked `label`, in page order: each piece of text belongs to the
    nearest marked span around it (marked spans nest in some pages, so a span's whole text
    would count a block twice)."""
    from lxml.html import fromstring

    pieces: list[str] = []

    def walk(element: Any, current: str) -> None:
        found = _L3S_LABEL.search(element.get("class") or "") if isinstance(element.tag, str) else None
        own = found.group(1) if found else current
        if isinstance(element.tag, str) and element.tag not in ("script", "style"):
            if own == label and element.text:
                pieces.append(element.text)
            for child in element:
                walk(child, own)
        if current == label and element.tail:
            pieces.append(element.tail)

    walk(fromstring(annotated), "")
    return " ".join(pieces)


def load_l3s(directory: Path, limit: int | None) -> list[tuple[str, str, str, str]]:
    """The third development set: L3S-GN1's pages with the text blocks marked full text as the
    truth. Left out: the 8 pages whose copy lost its `</title>` (a piece of the file is missing,
    and the whole page is then the title's text: a browser shows nothing of it either)."""
    urls = {}
    for line in (directory / "url-mapping.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            urn, url = line.split("\t", 1)
            urls[urn.strip("<>").rsplit(":", 1)[-1]] = url.strip()
    pages = []
    for path in sorted((directory / "original").glob("*.html"))[:limit]:
        html = path.read_bytes().decode("utf-8", errors="replace")
        if "<title" in html.lower() and not _TITLE_END.search(html):
            continue
        annotated = (directory / "annotated" / path.name).read_bytes().decode("utf-8", errors="replace")
        pages.append((path.stem, urls.get(path.stem, ""), html, _marked_text(annotated, "2")))
    return pages


_TEXT_ID = re.compile(rb'<text id="([^"]*)"')
_WRAPPER = re.compile(rb'\A\s*<text id="[^"]*"[^>]*>|</text>\s*\Z')


def load_chinese(directory: Path, limit: int | None) -> list[tuple[str, str, str, str]]:
    """The Chinese set: each page decoded as `digest import` decodes a saved `.html` file (the
    dataset's `<text id="URL">` wrapper, not part of the page, gives the page's URL), its
    hand-copied content the truth."""
    import io
    import tempfile

    from generator.ingest.model import ImportProblem
    from generator.ingest.source import load as load_source

    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "page.html"
        for path in sorted((directory / "original").glob("*.html"))[:limit]:
            data = path.read_bytes()
            found = _TEXT_ID.search(data[:2000])
            saved.write_bytes(_WRAPPER.sub(b"", data))
            try:
                html = load_source(str(saved), io.BytesIO()).text
            except ImportProblem:
                html = ""  # not decoded: nothing extracted
            truth = (directory / "cleaned" / f"{path.stem}.txt").read_text(encoding="utf-8", errors="replace")
            url = found.group(1).decode("ascii", "replace") if found else ""
            pages.append((path.stem, url, html, truth))
    return pages


def _spaced(text: str) -> str:
    return " ".join(text.split())


def snippet_counts(item: dict[str, list[str]], extracted: str) -> tuple[int, int, int]:
    """(snippets that must be there and are, that must not be and are, that must be and are not)."""
    text = _spaced(extracted)
    found = sum(1 for w in item["with"] if _spaced(w) in text)
    leaked = sum(1 for w in item["without"] if _spaced(w) in text)
    return found, leaked, len(item["with"]) - found


def run_snippets(args: argparse.Namespace) -> int:
    pages = load_snippets(args.benchmark, args.limit)
    print(f"{len(pages)} pages from {args.benchmark} (snippets)\n")
    print(f"{'':52} {'F1':>6} {'prec.':>6} {'recall':>6}  leaked missed")
    per_page: dict[str, dict[str, tuple[int, int, int]]] = {}
    for name, run in runners().items():
        if args.only and args.only not in name:
            continue
        tp = fp = fn = 0
        for key, url, html, item in pages:
            counts = snippet_counts(item, run(html, url))
            per_page.setdefault(key, {})[name] = counts
            tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        print(f"{name:52} {2 * precision * recall / (precision + recall):6.3f} {precision:6.3f} "
              f"{recall:6.3f}  {fp:6} {fn:6}")
    if args.json:
        args.json.write_text(json.dumps(per_page, indent=1, sort_keys=True))
    return 0


def runners() -> dict[str, Callable[[str, str], str]]:
    import trafilatura

    vocab = vocabulary()
    return {
        "trafilatura, default settings": lambda html, url: trafilatura.extract(html) or "",
        "trafilatura, the benchmark's call (comments off)":
            lambda html, url: trafilatura.extract(html, include_comments=False) or "",
        "trafilatura, digest's settings (Markdown, links)": lambda html, url: plain(main_text(html, url)),
        "digest import (trafilatura + clutter filter)":
            lambda html, url: plain(extract_html(html, url, vocab).body),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("benchmark", type=Path, help="a copy of scrapinghub/article-extraction-benchmark")
    parser.add_argument("--readability", action="store_true",
                        help="BENCHMARK is a copy of mozilla/readability: score the development set")
    parser.add_argument("--snippets", action="store_true",
                        help="BENCHMARK is a copy of adbar/trafilatura: score its evaluation snippets")
    parser.add_argument("--l3s", action="store_true",
                        help="BENCHMARK is a copy of the L3S-GN1 news set: score its full-text blocks")
    parser.add_argument("--chinese", action="store_true",
                        help="BENCHMARK is a copy of the Chinese Web Content Extraction Dataset")
    parser.add_argument("--limit", type=int, help="only the first N pages (by id)")
    parser.add_argument("--worst", type=int, default=0, help="list the K worst pages of digest import")
    parser.add_argument("--json", type=Path, help="write the per-page scores here")
    parser.add_argument("--only", help="only the rows whose name contains this text")
    args = parser.parse_args()
    if args.snippets:
        return run_snippets(args)
    global BY_CHARACTER
    BY_CHARACTER = args.chinese
    loader = (load_readability if args.readability else load_l3s if args.l3s
              else load_chinese if args.chinese else load)
    pages = loader(args.benchmark, args.limit)
    print(f"{len(pages)} pages from {args.benchmark}\n")
    print(f"{'':52} {'F1':>6} {'prec.':>6} {'recall':>6}   ms/page: mean median max")
    per_page: dict[str, dict[str, Triple]] = {}
    rows = {name: run for name, run in runners().items() if not args.only or args.only in name}
    for name, run in rows.items():
        triples: list[Triple] = []
        times: list[float] = []
        for key, url, html, truth in pages:
            started = time.perf_counter()
            text = run(html, url) if html else ""
            times.append((time.perf_counter() - started) * 1000)
            triples.append(score(truth, text))
            per_page.setdefault(key, {})[name] = triples[-1]
        m = summary(triples)
        print(f"{name:52} {m['f1']:6.3f} {m['precision']:6.3f} {m['recall']:6.3f}   "
              f"{statistics.mean(times):5.0f} {statistics.median(times):5.0f} {max(times):5.0f}")
    if args.worst:
        last = list(rows)[-1]
        print(f"\nworst pages of {last!r} (id, url, precision, recall):")
        rows = sorted(pages, key=lambda p: per_page[p[0]][last][0])[: args.worst]
        for key, url, _html, _truth in rows:
            tp, fp, fn = per_page[key][last]
            print(f"  {key[:12]} {url[:70]:70} {_precision(tp, fp, fn):.2f} {_recall(tp, fp, fn):.2f}")
    if args.json:
        args.json.write_text(json.dumps(per_page, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
