"""Where Jinja keeps the templates' compiled code between builds: its bytecode folder in the
cache folder, and for `digest serve`, which makes an environment for each build whose site
changed, the code kept in memory too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache


def bytecode_cache(folder: Path | None) -> KeptBytecode | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return KeptBytecode(str(folder))


class KeptBytecode(jinja2.FileSystemBytecodeCache):
    """Jinja's bytecode folder, and the code of each template it loaded or compiled kept in
    memory by the template and its source's checksum: a preview server makes an environment
    for each build whose site changed, and would otherwise read and unmarshal every template's
    code again (a tenth of the time before the open page is shown after a tag edit)."""

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        self.code: dict[tuple[str, str], Any] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code
            return
        super().load_bytecode(bucket)
        if bucket.code is not None:
            self.code[bucket.key, bucket.checksum] = bucket.code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().dump_bytecode(bucket)
        if bucket.code is not None:
            self.code[bucket.key, bucket.checksum] = bucket.code
