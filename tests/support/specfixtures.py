"""Turn a CommonMark-style spec text (its ```` example ```` blocks) into the JSON fixtures of
tests/fixtures/spec/. Run once per spec release:

    python -m tests.support.specfixtures SPEC.txt OUT.json [SECTION ...]

With SECTION names, only the examples under those headings are kept (the GFM spec's
extension sections, say). The spec texts are CC-BY-SA 4.0; the fixtures say where they came
from in tests/fixtures/spec/README.md."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_EXAMPLE = re.compile(r"^`{32} example([^\n]*)\n(.*?)^\.\n(.*?)^`{32}$", re.M | re.S)
_HEADING = re.compile(r"^#{1,6} +(.+?)\s*$", re.M)


def examples(text: str, sections: set[str]) -> list[dict[str, object]]:
    headings = [(m.start(), m.group(1)) for m in _HEADING.finditer(text)]
    found = []
    for number, match in enumerate(_EXAMPLE.finditer(text), start=1):
        section = next((name for at, name in reversed(headings) if at < match.start()), "")
        if sections and section not in sections:
            continue
        found.append(
            {
                "example": number,
                "section": section,
                "extension": match.group(1).strip(),
                "markdown": match.group(2).replace("→", "\t"),
                "html": match.group(3).replace("→", "\t"),
            }
        )
    return found


def main(argv: list[str]) -> None:
    spec, out, *sections = argv
    data = examples(Path(spec).read_text(encoding="utf-8"), set(sections))
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(data)} examples -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
