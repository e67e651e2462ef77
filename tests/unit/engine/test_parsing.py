"""The parse stage's driver (generator.engine.parsing.parse_all), in the build's own process: one file
that makes a library raise is that file's located error, and the rest is parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, copy_site


def test_an_exception_while_parsing_one_file_is_located_and_the_rest_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library that raises an ordinary exception on one file (nh3, Babel, PyYAML…): that
    file's error, the others parsed; never an unlocated 'internal error'."""
    from generator.core.diagnostics import Diagnostics
    from generator.engine import parsing
    from generator.parse import article
    from generator.read.config import load_config
    from generator.read.sources import Registry

    site = copy_site(FIXTURES / "golden", tmp_path / "site")
    real = article.parse_article

    def failing(rel: str, *args: object, **kwargs: object) -> object:
        if rel.endswith("cyrillic.md"):
            raise ValueError("the library did not like it")
        return real(rel, *args, **kwargs)  # type: ignore[arg-type]

    # parsing imports parse_article when it has a file to parse (the Markdown stack comes with it)
    monkeypatch.setattr(article, "parse_article", failing)
    monkeypatch.delenv("DIGEST_DEBUG", raising=False)
    diags = Diagnostics(root=site)
    found, _, _, _ = parsing.parse_all(load_config(site), Registry(exists=False), diags, 1, None)
    assert [d.format() for d in diags.errors] == [
        "content/world/cyrillic.md: error: digest failed on this file (ValueError: the library did not like "
        "it); the rest of the site was parsed. Please report it with the file attached (DIGEST_DEBUG=1 shows where)"
    ]
    assert "world/cyrillic.md" not in found and len(found) >= 3
