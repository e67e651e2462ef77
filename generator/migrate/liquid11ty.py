"""Nunjucks and Liquid in an Eleventy post's Markdown (Eleventy runs Markdown through a template
engine first): `{% raw %}` markers dropped (their content is what the reader saw), the common
`{% image "src", "alt" %}` shortcode made a Markdown image, `{% youtube "id" %}` a link to the
video (digest embeds no players), `{% highlight "lang" %}` blocks fenced code, the excerpt
separator `<!--more-->`; every other tag and `{{ … }}` output is left visible and reported with its line
(digest shows template syntax in bodies as plain text)."""

from __future__ import annotations

import re
from pathlib import Path

from .model import Note
from .sourcetext import prose_lines

_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_IMAGE = re.compile(r"""\{%-?\s*image\s+["']([^"']+)["']\s*,\s*["']([^"']*)["'][^%]*-?%\}""")
_TAG = re.compile(r"\{%-?.*?-?%\}|\{\{-?.*?-?\}\}")
_YOUTUBE = re.compile(r"""\{%-?\s*(?:youtube|youtubeEmbed|youTube)\s+["']([\w-]{6,})["'][^%]*-?%\}""")
# the syntax highlighting plugin's paired shortcode: {% highlight "js" %} … {% endhighlight %}
_HIGHLIGHT = re.compile(r"""^\s*\{%-?\s*highlight\s+["']?([\w+#-]*)["']?[^%]*-?%\}\s*$""")
_END_HIGHLIGHT = re.compile(r"^\s*\{%-?\s*endhighlight\s*-?%\}\s*$")
_EXCERPT = re.compile(r"<!--\s*(?:excerpt|more)\s*-->")


def convert_templates(body: str, source: Path, first: int, separator: str | None) -> tuple[str, list[Note]]:
    lines = _fence_highlights(body.split("\n"))
    body = "\n".join(lines)
    notes: list[Note] = []
    in_raw = False
    for i, line in prose_lines(body):
        parts = _RAW.split(line)
        markers = _RAW.findall(line)
        out = []
        for k, part in enumerate(parts):
            if not in_raw:
                part = _IMAGE.sub(lambda m: f"![{m[2]}]({m[1]})", part)
                part = _YOUTUBE.sub(
                    lambda m: f"[Video on YouTube](https://www.youtube.com/watch?v={m[1]})", part
                )
                part = _EXCERPT.sub("<!--more-->", part)
                if separator and part.strip() == separator:
                    part = "<!--more-->"
                for tag in _TAG.findall(part):
                    notes.append(
                        Note(
                            source,
                            first + i,
                            f"Nunjucks/Liquid left as text: {tag[:60]} (digest runs no templates in bodies)",
                        )
                    )
            out.append(part)
            if k < len(markers):
                in_raw = "end" not in markers[k]
        lines[i] = "".join(out)
    return "\n".join(lines), notes


def _fence_highlights(lines: list[str]) -> list[str]:
    """`{% highlight "js" %}` … `{% endhighlight %}` as a fenced block, line for line."""
    out = list(lines)
    for i, line in enumerate(lines):
        if (m := _HIGHLIGHT.match(line)) is None:
            continue
        end = next((j for j in range(i + 1, len(lines)) if _END_HIGHLIGHT.match(lines[j])), None)
        if end is None:
            continue
        inner = lines[i + 1 : end]
        fence = "`" * max(3, 1 + max((len(r) for ln in inner for r in re.findall(r"`+", ln)), default=0))
        out[i], out[end] = fence + m[1], fence
    return out
