"""What a long-running process keeps between its builds of one site (`digest serve`), so that a
save costs reading one file and rendering what shows it, not reloading the site's state from
the cache folder.

It holds exactly what the build would otherwise load from that folder, as the build last saved
it: the parse cache, the record of each output folder, the related articles' memory and the
templates' dependencies. Every build still saves them to disk as before; the state only saves
the loading. So a build handed a WarmState does the same work on the same values as one
handed none (`digest build`): there is one build(), and no second path through it.

Whoever keeps one drops it (`clear`) on any doubt: a failed or cancelled build, a change to the
settings or the theme. The next build then loads from disk, as a first build does."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..index.related import Memory
from .parsecache import ParseCache
from .record import Record


@dataclass
class WarmState:
    parse_cache: ParseCache | None = None  # the settings variant built last
    records: dict[Path, Record] = field(default_factory=dict)  # record file -> as last saved
    memory: Memory | None = None  # related articles, as last saved (or loaded)
    templates: dict[Path, dict[str, Any]] = field(default_factory=dict)  # deps file -> as stored
    builds: int = 0  # builds that used it since it was made or cleared

    def clear(self) -> None:
        self.parse_cache = None
        self.records.clear()
        self.memory = None
        self.templates.clear()
        self.builds = 0
