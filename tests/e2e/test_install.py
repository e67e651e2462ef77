"""`pip install .` (not editable) into a new virtual environment, then `digest init` and
`digest build` from an unrelated folder: the default theme must ship inside the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_wheel_install_init_and_build(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert pip.returncode == 0, pip.stderr[-3000:]
    digest = str(venv / "bin" / "digest")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    init = subprocess.run([digest, "init", "mysite"], cwd=work, capture_output=True, text=True, env=env)
    assert init.returncode == 0, init.stderr
    build = subprocess.run([digest, "build"], cwd=work / "mysite", capture_output=True, text=True, env=env)
    assert build.returncode == 0, build.stderr
    assert (work / "mysite" / "site" / "index.html").is_file()
    assert (work / "mysite" / "site" / "static" / "style.css").is_file()
    # Pagefind is a default dependency: the new site's search works without any extra
    assert (work / "mysite" / "site" / "pagefind" / "pagefind-entry.json").is_file()
    assert (work / "mysite" / "site" / "search" / "index.html").is_file()
    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from generator.render.theme import builtin_theme_dir; print(builtin_theme_dir())",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
    )
    assert str(venv) in where.stdout, "the theme must come from the installed wheel"
