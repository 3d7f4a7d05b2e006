"""The install hint for sync names a command that works: published packages, installed into
the Python that runs this ally (never `allycli[sync]`, which is not published)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from allycli.shell.session import isolated_env
from allycli.sync.commands import SYNC_REQUIREMENTS

ROOT = Path(__file__).resolve().parents[2]


def test_the_hint_names_the_sync_extra_of_pyproject() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert list(SYNC_REQUIREMENTS) == project["optional-dependencies"]["sync"]


@pytest.mark.slow
def test_a_fresh_install_without_the_extra_says_how_to_add_it(tmp_path: Path) -> None:
    """ally installed as a newcomer installs it (no extras) into a new venv: `ally sync` and
    `ally sync --status` name that venv's own Python, and running the named command is what
    makes the packages importable there."""
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         str(ROOT)],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    env = {**os.environ, **isolated_env(tmp_path, tmp_path / "ally.db")}
    command = f"{python} -m pip install 'psycopg[binary]>=3.1' 'cryptography>=42'"

    def ally(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(venv / "bin" / "ally"), *args],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    done = ally("sync", "--url", "postgresql://me@db.example.org/ally")
    assert done.returncode == 1
    assert done.stderr == (
        "ally: `ally sync` needs packages that are not installed here (psycopg, cryptography); "
        f"install them into this ally's own Python with `{command}`.\n"
    )
    status = ally("sync", "--status", "--url", "postgresql://me@db.example.org/ally")
    assert status.returncode == 0, status.stderr
    assert f"`{command}`" in status.stdout
    assert "allycli[sync]" not in done.stderr + status.stdout

    probe = [str(python), "-c", "import psycopg, cryptography"]
    assert subprocess.run(probe, capture_output=True, timeout=60).returncode != 0
    subprocess.run(
        ["bash", "-c", command.replace(" -m pip install ", " -m pip install --quiet ")],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    assert subprocess.run(probe, capture_output=True, timeout=60).returncode == 0
