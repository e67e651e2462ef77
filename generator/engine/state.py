"""Everything digest keeps between builds, in one folder of the site that git ignores. This is
the only module that names that folder or a file in it, and every file digest stores there is
written by `save` or `write_bytes` and read back by `load`.

    articles-<settings>.pickle  parse cache, one per settings variant (parsecache.py), with
      .journal and .bodies      its recent changes and the body keys it uses
    pages-<folder>.pickle       record of the last build into one output folder (record.py)
    selection.pickle            the last build's selected articles and their inputs
                                (lastselection.py)
    related.pickle              related articles' last computation (index/related.py's Memory)
    templates.pickle            the templates' dependencies (themedeps.py)
    site-urls.pickle            the site's URLs, for links.root (rootlinks.py)
    html/                       rendered bodies, in packs (store.py)
    theme-generated/            highlight.css, made from the settings
    jinja/                      Jinja's compiled templates
    search/                     Pagefind's scratch folders while it runs
    preview/, publish/          `digest serve`'s output, `digest publish`'s builds

Every pickle starts with one header: FORMAT, digest's version and what the file holds. A file
that cannot be read back whole as what it should be (missing, damaged, truncated, written by
another version or with classes of an older layout) is "nothing stored": it is only ever a
shortcut, so the work is done again. A file is replaced whole, never rewritten in place: a
build killed at any moment leaves the old file or the new one."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import re
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, NamedTuple

from .. import __version__
from ..core.diagnostics import ConfigError, Diagnostic, Level
from ..core.fingerprint import digest
from ..index.related import Memory
from ..read.config import SiteConfig
from .process import count

FOLDER = ".digest-cache"
# bump when what is stored changes shape (a stored class moves or gains a field): every file of
# another format is then ignored, made again and its leftovers removed. 7: one header for all;
# 8: pages are keyed by their plans' inputs, and records keep `contexts` instead of `scopes`;
# 9: articles have `aliases` (and Parsed their lines); 10: Parsed moved to parse/parsed.py;
# 11: the related articles' memory keeps the tags' weights and each result's margin;
# 12: and each result's epoch (the weights it was computed with), not what its margin used;
# 13: reading times count Chinese and Japanese characters (core/readingtime.py)
FORMAT = 13
RECORDS = 4  # output folders whose record is kept: build's, serve's, publish's and one more
CATALOGS = 32  # message catalogs kept as read: a multilingual site's, and a few edits behind
# a temporary file or folder this old belongs to no running build (Pagefind is given 600 s)
STALE_SECONDS = 3600
# files of older layouts: the parse cache before settings variants
_LEFTOVERS = re.compile(r"articles\.pickle")
# what a killed build leaves (this version's temporary files and earlier ones', Pagefind's
# scratch folders), removed once too old to belong to a running build
_TEMPORARY = re.compile(r".*[.-]tmp\d*|search-.*")
_ANY = re.compile(r".*")


def folder(root: Path) -> Path:
    """The cache folder of the site in `root`."""
    return root / FOLDER


def parse_cache_file(root: Path, fingerprint: str) -> Path:
    return folder(root) / f"articles-{fingerprint[:16]}.pickle"


def record_file(root: Path, out_dir: Path) -> Path:
    return folder(root) / f"pages-{digest(str(out_dir))}.pickle"


def selection_file(root: Path) -> Path:
    return folder(root) / "selection.pickle"


def related_file(root: Path) -> Path:
    return folder(root) / "related.pickle"


def catalogs_file(root: Path) -> Path:
    return folder(root) / "catalogs.pickle"


def templates_file(root: Path) -> Path:
    return folder(root) / "templates.pickle"


def site_urls_file(root: Path) -> Path:
    return folder(root) / "site-urls.pickle"


def html_dir(root: Path) -> Path:
    return folder(root) / "html"


def generated_dir(root: Path) -> Path:
    return folder(root) / "theme-generated"


def bytecode_dir(root: Path) -> Path:
    return folder(root) / "jinja"


def search_dir(root: Path) -> Path:
    return folder(root) / "search"


def preview_dir(root: Path) -> Path:
    return folder(root) / "preview"


def publish_dir(root: Path) -> Path:
    return folder(root) / "publish"


def make_folder(root: Path) -> Path:
    """The cache folder, made if need be, with a .gitignore that keeps it out of git."""
    base = folder(root)
    base.mkdir(parents=True, exist_ok=True)
    ignore = base / ".gitignore"
    if not ignore.exists():
        _replace(ignore, lambda handle: handle.write(b"*\n"))
    return base


class Stored(NamedTuple):
    value: Any  # None: nothing stored
    problem: str = ""  # why a file that exists holds nothing usable ("" when there is none)


def _header(kind: str) -> tuple[str, int, str, str]:
    return ("digest", FORMAT, __version__, kind)


def load(path: Path, kind: str) -> Stored:
    """What `save(path, kind, ...)` stored there, or nothing; never raises."""
    count(f"load:{kind}")
    try:
        with path.open("rb") as handle:
            header = pickle.load(handle)
            if header != _header(kind):
                return Stored(None, _other(header, kind))
            return Stored(_unpickled(handle))
    except FileNotFoundError:
        return Stored(None)
    except Exception as exc:  # damaged, truncated, an older layout's classes: nothing stored
        return Stored(None, str(exc) or type(exc).__name__)


def _unpickled(handle: IO[bytes]) -> Any:
    """pickle.load with the cyclic garbage collector paused: a parse cache makes tens of
    thousands of objects, none of them garbage, and the collector's passes over them were a
    sixth of its loading time."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(handle)
    finally:
        if paused:
            gc.enable()


def _other(header: object, kind: str) -> str:
    if isinstance(header, tuple) and len(header) == 4 and header[:2] == ("digest", FORMAT):
        return f"written by digest {header[2]}" if header[3] == kind else "unexpected contents"
    return "written by another version of digest"


def is_current(path: Path, kind: str) -> bool:
    """Whether this version of digest can load the file (its header alone is read)."""
    try:
        with path.open("rb") as handle:
            return bool(pickle.load(handle) == _header(kind))
    except Exception:
        return False


def save(path: Path, kind: str, value: object) -> None:
    """Replace the file with `value`. On an error (OSError, or a value that cannot be
    pickled) the old file stays as it was and no temporary file is left."""

    def fill(handle: IO[bytes]) -> None:
        pickle.dump(_header(kind), handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

    _replace(path, fill)


def write_bytes(path: Path, data: bytes) -> None:
    """Replace the file with `data`, as `save` does."""
    _replace(path, lambda handle: handle.write(data))


def _replace(path: Path, fill: Callable[[IO[bytes]], object]) -> None:
    if path.parent.name == FOLDER and path.name != ".gitignore":
        make_folder(path.parent.parent)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    # in the same folder, so that the rename is atomic; the pid keeps two builds apart
    temporary = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        with temporary.open("wb") as handle:
            fill(handle)
            handle.flush()
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def outdated(paths: Iterable[Path], kind: str, keep: int) -> list[Path]:
    """Of these files, the ones to delete: those this version of digest cannot load, and all
    but the `keep` most recently written of the others."""
    paths = list(paths)
    current = sorted((p for p in paths if is_current(p, kind)), key=_mtime, reverse=True)
    return [path for path in paths if path not in current[:keep]]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def tidy(root: Path) -> None:
    """Delete what no build of this version reads: records beyond the RECORDS most recently
    written, files of other versions and older layouts, what killed builds left behind. Only
    names digest made are touched: the folder also holds serve's output and its staging."""
    base = folder(root)
    for path in outdated(base.glob("pages-*.pickle"), "record", RECORDS):
        with contextlib.suppress(OSError):  # tidying never fails a build
            path.unlink(missing_ok=True)
    _sweep(base, _LEFTOVERS, _TEMPORARY)
    _sweep(search_dir(root), None, _ANY)
    _sweep(generated_dir(root), None, _TEMPORARY)


def _sweep(where: Path, leftovers: re.Pattern[str] | None, temporary: re.Pattern[str]) -> None:
    try:
        entries = list(os.scandir(where))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        with contextlib.suppress(OSError):
            if leftovers is not None and leftovers.fullmatch(entry.name):
                pass  # of an older layout: gone at once
            elif not temporary.fullmatch(entry.name):
                continue
            elif now - entry.stat(follow_symlinks=False).st_mtime < STALE_SECONDS:
                continue  # maybe a running build's
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)


def load_memory(root: Path) -> Memory:
    """The last related-articles computation, or an empty one (silently: only a shortcut)."""
    memory = load(related_file(root), "related").value
    if isinstance(memory, Memory):
        memory.changed = False
        return memory
    return Memory()


def save_memory(root: Path, memory: Memory) -> None:
    if memory.changed:
        save(related_file(root), "related", memory)
        memory.changed = False  # as load_memory would read it back (a warm build keeps it)


def load_catalogs(root: Path) -> dict[str, Any]:
    """The message catalogs as builds read them (read/locales.py), or none."""
    catalogs = load(catalogs_file(root), "catalogs").value
    return catalogs if isinstance(catalogs, dict) else {}


def save_catalogs(root: Path, catalogs: dict[str, Any], saved: frozenset[str]) -> frozenset[str]:
    """Written when some were read since (the newest CATALOGS of them: catalogs edited
    again and again leave old versions behind); what the file holds now."""
    if catalogs.keys() <= saved:
        return saved
    while len(catalogs) > CATALOGS:  # insertion order: the oldest first
        del catalogs[next(iter(catalogs))]
    save(catalogs_file(root), "catalogs", catalogs)
    return frozenset(catalogs)


def make_generated(config: SiteConfig) -> None:
    """The static files made from the settings (highlight.css, from the Pygments styles), in
    `generated_dir`, which the theme serves like its own."""
    import pygments

    where = generated_dir(config.root)
    target = where / "highlight.css"
    # the CSS is a function of the two styles and Pygments: made again only when one changes
    # (making it imports Pygments' formatters and styles, 75 ms of every build otherwise)
    key = f"{config.highlight_style}\n{config.highlight_dark_style}\n{pygments.__version__}\n".encode()
    marker = where / ".highlight.key"  # hidden: not published with the static files
    try:
        if not target.is_file() or not marker.is_file() or marker.read_bytes() != key:
            from ..parse.highlight import stylesheet

            css = stylesheet(config.highlight_style, config.highlight_dark_style)
            write_bytes(target, css.encode("utf-8"))
            write_bytes(marker, key)
    except OSError as exc:
        raise ConfigError(
            [Diagnostic(str(where), 0, Level.ERROR, f"cannot write the highlighting stylesheet: {exc}")]
        ) from None
