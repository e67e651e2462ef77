"""Which generator made a folder, from the files each one requires, and its reader.

Readers are modules of this package named after their generator (`pelican.py`, `jekyll.py`,
`hugo.py`, `zola.py`, `eleventy.py`, `docusaurus.py`), each with `read(root) -> SourceSite`;
they are imported only for the generator in use."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from .model import GENERATORS, SourceSite

# what is looked for, in this order, as the error message for an undetectable folder says
LOOKED_FOR = (
    ("pelican", "pelicanconf.py"),
    ("docusaurus", "docusaurus.config.{js,mjs,cjs,ts}"),
    ("eleventy", "eleventy.config.{js,mjs,cjs,ts} or .eleventy.js"),
    ("hugo", "hugo.{toml,yaml,json}, config/_default/hugo.*, or config.{toml,yaml,json} with Hugo's baseURL"),
    ("zola", "config.toml with Zola's base_url"),
    ("jekyll", "_config.yml or _config.yaml"),
)
_JS = ("js", "mjs", "cjs", "ts")
_HUGO_KEY = re.compile(
    r"^\s*['\"]?(baseurl|languagecode|defaultcontentlanguage|theme)['\"]?\s*[:=]", re.I | re.M
)
_ZOLA_KEY = re.compile(r"^\s*(base_url|compile_sass|build_search_index)\s*=", re.M)


class Undetected(Exception):
    pass


def detect(root: Path) -> str:
    """The generator's name; Undetected with what was looked for when none matches."""
    if (root / "pelicanconf.py").is_file():
        return "pelican"
    if any((root / f"docusaurus.config.{ext}").is_file() for ext in _JS):
        return "docusaurus"
    if (root / ".eleventy.js").is_file() or any((root / f"eleventy.config.{ext}").is_file() for ext in _JS):
        return "eleventy"
    for name in ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json"):
        if (root / name).is_file() or (root / "config" / "_default" / name).is_file():
            return "hugo"
    for name in ("config.toml", "config.yaml", "config.yml", "config.json"):
        path = root / name
        if not path.is_file():
            continue
        text = _head(path)
        if name == "config.toml" and _ZOLA_KEY.search(text):
            return "zola"
        if _HUGO_KEY.search(text):
            return "hugo"
    if (root / "config" / "_default" / "config.toml").is_file():
        return "hugo"
    if (root / "_config.yml").is_file() or (root / "_config.yaml").is_file():
        return "jekyll"
    looked = "; ".join(f"{files} ({name})" for name, files in LOOKED_FOR)
    raise Undetected(
        f"{root}: not a folder of a generator digest can migrate; looked for {looked}. "
        "Use --from NAME if it is one"
    )


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(65536).decode("utf-8", "replace")
    except OSError:
        return ""


class NoReader(Exception):
    pass


def read_site(generator: str, root: Path) -> SourceSite:
    if generator not in GENERATORS:
        raise NoReader(f"unknown generator '{generator}'; choose one of {', '.join(GENERATORS)}")
    try:
        module = importlib.import_module(f"{__package__}.{generator}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{generator}":
            raise
        raise NoReader(f"reading {generator} sites is not available in this version") from None
    site: SourceSite = module.read(root)
    return site
