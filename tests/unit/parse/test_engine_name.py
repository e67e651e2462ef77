"""The Markdown engines' name keys the parse cache: it is known without loading either engine,
and the versions in it are the installed ones, as importlib.metadata reads them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from generator.parse import commonmark


@pytest.mark.parametrize("package", ["comrak", "markdown-it-py", "Pygments", "Jinja2", "PyYAML", "no-such-package"])
def test_versions_from_the_metadata_folders_are_importlib_metadatas(package: str) -> None:
    assert commonmark._version(package) == commonmark._metadata_version(package)


def test_the_engine_name_loads_no_engine() -> None:
    probe = (
        "import json, sys\n"
        "from generator.parse.commonmark import engine_name\n"
        "name = engine_name()\n"
        "print(json.dumps([name, sorted(sys.modules)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    name, loaded = json.loads(done.stdout)
    assert name == commonmark.engine().name
    assert not [m for m in loaded if m.split(".")[0] in ("comrak", "markdown_it", "email", "zipfile")]
    assert "importlib.metadata" not in loaded
