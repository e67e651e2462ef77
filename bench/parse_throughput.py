"""Markdown throughput on real files, one core: each engine that is installed, then digest's
whole per-article render (engine, sanitiser, link rewriting, summary).

    .venv/bin/python bench/parse_throughput.py FOLDER [FOLDER ...] [--repeat 3]

Every `*.md` and `*.markdown` file under the folders counts; front matter (between `---` or
`+++` lines at the top) is cut off, so any generator's posts can be measured. The engines
compared, when importable: comrak (digest's settings), markdown-it-py (the reference, as
digest configures it), and markdown-it-pyrs, cmarkgfm and pyromark (`pip install` them into
the venv to compare). Each figure is the best of --repeat runs. A panic or any other exception
is counted per engine, never fatal."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

Engine = Callable[[str], str]


def bodies(folders: list[Path]) -> list[str]:
    found = []
    for folder in folders:
        for path in sorted([*folder.rglob("*.md"), *folder.rglob("*.markdown")]):
            text = path.read_text(encoding="utf-8", errors="replace")
            for fence in ("---", "+++"):
                if text.startswith(fence + "\n"):
                    end = text.find("\n" + fence + "\n", len(fence))
                    if end != -1:
                        text = text[end + len(fence) + 2 :]
            found.append(text)
    return found


def engines() -> dict[str, Engine]:
    from generator.parse.commonmark import engine
    from generator.parse.markdown import render

    digest_engine = engine()
    found: dict[str, Engine] = {
        "comrak": lambda text: digest_engine.render(text)[0],
        "markdown-it-py": lambda text: digest_engine.render_reference(text)[0],
    }
    try:
        import markdown_it_pyrs  # type: ignore[import-not-found]

        pyrs = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough"])
        found["markdown-it-pyrs"] = lambda text: str(pyrs.render(text))
    except ImportError:
        pass
    try:
        import cmarkgfm  # type: ignore[import-not-found]
        from cmarkgfm.cmark import Options  # type: ignore[import-not-found]

        unsafe = Options.CMARK_OPT_UNSAFE
        found["cmarkgfm"] = lambda text: str(cmarkgfm.github_flavored_markdown_to_html(text, unsafe))
    except ImportError:
        pass
    try:
        import pyromark  # type: ignore[import-not-found]

        found["pyromark"] = lambda text: str(pyromark.html(text))
    except ImportError:
        pass

    def whole(text: str) -> str:
        return render(
            text, article_path="2022/a.md", base_path="/", body_line=1, summary_text="", sanitize_html=True
        ).content

    found["digest render (comrak + nh3 + links + summary)"] = whole
    return found


def measure(engine: Engine, texts: list[str], repeat: int) -> tuple[float, int]:
    best = float("inf")
    failures = 0
    for _ in range(repeat):
        failures = 0
        started = time.perf_counter()
        for text in texts:
            try:
                engine(text)
            except BaseException as exc:  # a Rust panic is a BaseException
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures += 1
        best = min(best, time.perf_counter() - started)
    return best, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = bodies(args.folders)
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"{len(texts)} files, {size / 1e6:.1f} MB of Markdown, best of {args.repeat}, one core\n")
    print("| engine | seconds | MB/s | files/s | failed files |")
    print("|---|---|---|---|---|")
    for name, engine in engines().items():
        seconds, failures = measure(engine, texts, args.repeat)
        rate = f"{size / 1e6 / seconds:.1f} | {len(texts) / seconds:,.0f}"
        print(f"| {name} | {seconds:.2f} | {rate} | {failures} |")


if __name__ == "__main__":
    main()
