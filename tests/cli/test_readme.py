"""The README's examples run, as written, against the installed `ally` executable."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent


def _examples() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README, flags=re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def test_readme_has_examples_of_every_command() -> None:
    commands = {cmd.split("|")[-1].split()[1] for cmd in _examples()}
    assert commands >= {"log", "reflect", "report", "calendar", "list", "export", "import",
                        "backup", "doctor", "--version", "--help", "rhythm", "pause", "search",
                        "restore"}  # fmt: skip
    for command in ("ally delete ", "ally show ", "ally edit "):
        assert command in README


def test_readme_examples_run(tmp_path: Path) -> None:
    assert (BIN / "ally").exists(), "the ally entry point is not installed in this environment"
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "ALLY_DB": str(tmp_path / "data" / "ally.db"),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "NO_COLOR": "1",
    }
    env.pop("ALLY_PROMPTS", None)
    for command in _examples():
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
            stdin=subprocess.DEVNULL, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, command


@pytest.mark.parametrize(
    "line",
    [
        "ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && "
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }",
        "python3 -m venv .venv",
        "pip install '.[test]'",
        "pytest",
    ],
    ids=["postgresql", "venv", "install", "pytest"],
)
def test_ci_runs_the_readme_test_command(line: str) -> None:
    test_command = re.search(r"Install and run the tests.*?```sh\n(.*?)\n```", README, re.S)
    assert test_command is not None
    assert line in test_command.group(1)
    assert line in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
