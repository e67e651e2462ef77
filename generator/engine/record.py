"""What the last build into one output folder was made from, and the keys of what the next one
is made from: each URL's fingerprint, the files written, the site's keys."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Protocol

from .. import __version__
from ..core.fingerprint import digest
from ..read.config import SiteConfig
from ..render.theme import Theme
from . import state


class Keyed(Protocol):
    """What the site's keys read of an article (engine/lastselection.py keeps only this)."""

    @property
    def path(self) -> str: ...

    @property
    def fp(self) -> str: ...

    @property
    def card_fp(self) -> str: ...


@dataclass(frozen=True)
class SiteKeys:
    """The keys that say how much of the site a build can keep."""

    whole: str  # equal: byte-identical output, nothing at all to do
    cards: str  # equal: every page that reads no body is unchanged
    bodies: dict[str, str]  # article path -> its fingerprint (body included), by path
    parts: str = ""  # what else they are made of (settings, theme, `inputs`)


def site_keys(
    config: SiteConfig,
    theme: Theme,
    articles: Sequence[Keyed],
    out_dir: Path,
    inputs: Sequence[str] = (),
    last: SiteKeys | None = None,
    edited: Sequence[Keyed] = (),
    cards: bool = False,
) -> SiteKeys:
    """Keys of everything the output is made from. `inputs`: whatever else decides the output
    (stories.yaml, the Google News sitemap's window on the clock). `last`: the keys of the
    same articles with the same cards, but for the bodies of `edited` (engine/bodyedits.py):
    only the whole key is worked out again; and the cards key, if `cards` (some of them)
    changed too."""
    parts = [__version__, _config_key(config), theme.fingerprint, str(out_dir), *inputs]
    if config.search:  # render/search.py brings subprocess and tempfile: imported only then
        from ..render.search import pagefind_identity

        parts.append(pagefind_identity())
    shape = digest(*parts)
    if last is not None and last.parts == shape:
        bodies = dict(last.bodies)
        bodies.update((a.path, a.fp) for a in edited)
        whole = digest(shape, _listed(bodies.items()))
        if not cards:
            return SiteKeys(whole, last.cards, bodies, shape)
        ordered = sorted(articles, key=_PATH)
        return SiteKeys(whole, _cards_key(shape, ordered), bodies, shape)
    ordered = sorted(articles, key=_PATH)
    bodies = {a.path: a.fp for a in ordered}
    return SiteKeys(
        whole=digest(shape, _listed(bodies.items())),
        cards=_cards_key(shape, ordered),
        bodies=bodies,
        parts=shape,
    )


_PATH = attrgetter("path")


def _listed(pairs: Iterable[tuple[str, str]]) -> str:
    """Each article's path and fingerprint as one text: NUL-separated, which no path holds and
    no fingerprint (hex) either, so that no two different lists give the same text. One
    string hashed once costs a third of a part per article (a site's keys are worked out on
    every save)."""
    return "\0".join([f"{path}\0{fp}" for path, fp in pairs])


def _cards_key(shape: str, ordered: Sequence[Keyed]) -> str:
    return digest(shape, "\0".join([f"{a.path}\0{a.card_fp}" for a in ordered]))


def _config_key(config: SiteConfig) -> str:
    return repr([(f.name, getattr(config, f.name)) for f in fields(config) if f.name != "root"])


@dataclass
class Record:
    """What the last build into one output folder wrote: each URL's fingerprint, and the files."""

    path: Path
    keys: dict[str, str]
    files: set[str] | None
    site_key: str = ""  # everything the whole output was made from
    search_key: str = ""  # what the search index was made from (indexed pages, Pagefind)
    cards_key: str = ""  # the same without the articles' bodies
    bodies: dict[str, str] = field(default_factory=dict)  # article path -> fingerprint
    templates: dict[str, str] = field(default_factory=dict)  # template -> what it depends on
    # URL -> the key of its whole context: only written by builds that verify page keys
    contexts: dict[str, str] = field(default_factory=dict)
    # the URLs each whole-site output was made into (wholesite.py: "sitemaps", "news:LANG")
    made: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path, out_dir: Path) -> Record:
        """The record of the last build of the site in `root` into `out_dir`, or an empty one
        (missing, damaged, another version: everything is rendered and compared again)."""
        path = state.record_file(root, out_dir)
        data = state.load(path, "record").value
        try:
            if isinstance(data, dict):
                return cls(
                    path,
                    dict(data["keys"]),
                    set(data["files"]),
                    str(data["site_key"]),
                    str(data["search_key"]),
                    str(data["cards_key"]),
                    dict(data["bodies"]),
                    dict(data["templates"]),
                    dict(data["contexts"]),
                    dict(data.get("made", {})),  # (records of earlier builds lack it)
                )
        except Exception:  # not what this version writes: as if there were none
            pass
        return cls(path, {}, None)

    def save(
        self,
        keys: dict[str, str],
        files: set[str],
        site: SiteKeys,
        search_key: str,
        templates: dict[str, str],
        contexts: dict[str, str],
        made: dict[str, tuple[str, ...]],
    ) -> None:
        """Replace the record, and delete the records and files no build reads any more."""
        data = {
            "keys": keys,
            "files": files,
            "site_key": site.whole,
            "search_key": search_key,
            "cards_key": site.cards,
            "bodies": site.bodies,
            "templates": templates,
            "contexts": contexts,
            "made": made,
        }
        state.save(self.path, "record", data)
        # the record is now what was saved, as Record.load would read it back: a process that
        # keeps it for its next build (warm.py) needs no loading. `keys` and `files` are the
        # build's own, made for this: taken as they are
        self.keys, self.files, self.site_key = keys, files, site.whole
        self.search_key, self.cards_key, self.bodies = search_key, site.cards, dict(site.bodies)
        self.templates, self.contexts, self.made = dict(templates), dict(contexts), dict(made)
        state.tidy(self.path.parent.parent)  # the site's: records live in its cache folder
