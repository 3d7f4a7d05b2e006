"""The README's examples run, as written, against the installed `ally` executable.

An example is a line that starts with `$ ` in a fenced block (the `console` blocks today):
what the README shows being typed, in the order it shows it. The `sh` blocks without a prompt
are illustrations that cannot run here as written (installs, a terminal, an editor, ids and
hub URLs that stand for the reader's own). Each example is its own test case: it starts from
the state that every example before it leaves, made cheaply by running those in-process (one
replay per test process, kept as a copy after each step), then runs in a real process through
bash, with pipes as written.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allycli.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent


def _examples() -> list[str]:
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", README, flags=re.S | re.M)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


EXAMPLES = _examples()


def _case_id(number: int, command: str) -> str:
    return f"{number + 1:02d} {command}"


def _env(root: Path) -> dict[str, str]:
    """Everything an example reads or writes stays under root (which is also the cwd)."""
    env = dict(os.environ)
    for name in ("ALLY_PROMPTS", "ALLY_DEBUG", "ALLY_BUSY_TIMEOUT", "ALLY_SYNC_KEY", "EDITOR"):
        env.pop(name, None)
    env.update(
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        ALLY_DB=str(root / "data" / "ally.db"),
        HOME=str(root),
        XDG_DATA_HOME=str(root / "xdg-data"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_STATE_HOME=str(root / "state"),
        XDG_CACHE_HOME=str(root / "cache"),
        NO_COLOR="1",
        COLUMNS="80",
    )
    return env


def _in_process(command: str, runner: CliRunner, root: Path) -> None:
    """Run one example without starting Python: a pipeline of `echo` and `ally` stages runs
    through CliRunner; anything else the shell must do runs in bash, as in the real case."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    stages: list[list[str]] = [[]]
    for token in tokens:
        if token == "|":
            stages.append([])
        else:
            stages[-1].append(token)
    plain = all(
        stage
        and stage[0] in ("ally", "echo")
        and not any(set(t) <= set("();<>|&") for t in stage)
        and not (stage[0] == "echo" and len(stage) > 1 and stage[1].startswith("-"))
        for stage in stages
    )
    if not plain:
        _in_bash(command, root)
        return
    data: bytes | None = None
    for stage in stages:
        if stage[0] == "echo":
            data = (" ".join(stage[1:]) + "\n").encode("utf-8")
            continue
        result = runner.invoke(app, stage[1:], input=data, prog_name="ally")
        assert result.exit_code == 0, (command, result.stdout, result.stderr, result.exception)
        data = result.stdout_bytes


def _in_bash(command: str, root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=root, env=_env(root), capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Path]]:
    """states[k]: the folder as it is after examples 0..k-1 (states[0] is empty)."""
    base = tmp_path_factory.mktemp("readme-states")
    live = base / "live"
    live.mkdir()
    saved = [base / "00"]
    saved[0].mkdir()
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        for name, value in _env(live).items():
            mp.setenv(name, value)
        for name in set(os.environ) - set(_env(live)):
            mp.delenv(name)
        mp.chdir(live)
        for number, command in enumerate(EXAMPLES[:-1], start=1):
            _in_process(command, runner, live)
            saved.append(base / f"{number:02d}")
            shutil.copytree(live, saved[-1], symlinks=True)
    yield saved


def test_readme_has_examples_of_every_command() -> None:
    commands = {cmd.split("|")[-1].split()[1] for cmd in _examples()}
    assert commands >= {"log", "reflect", "report", "calendar", "list", "export", "import",
                        "backup", "doctor", "--version", "--help", "rhythm", "pause", "search",
                        "restore"}  # fmt: skip
    for command in ("ally delete ", "ally show ", "ally edit "):
        assert command in README


@pytest.mark.parametrize(
    ("number", "command"),
    list(enumerate(EXAMPLES)),
    ids=[_case_id(n, c) for n, c in enumerate(EXAMPLES)],
)
def test_readme_example_runs(number: int, command: str, states: list[Path], tmp_path: Path) -> None:
    assert (BIN / "ally").exists(), "the ally entry point is not installed in this environment"
    root = tmp_path / "readme"
    shutil.copytree(states[number], root, symlinks=True)
    done = _in_bash(command, root)
    assert done.returncode == 0, (command, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, command


@pytest.mark.parametrize(
    "line",
    [
        "ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && "
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }",
        "python3 -m venv .venv",
        "pip install '.[test]'",
        ".venv/bin/pytest -n auto",
    ],
    ids=["postgresql", "venv", "install", "pytest"],
)
def test_ci_runs_the_readme_test_command(line: str) -> None:
    test_command = re.search(r"Install and run the tests.*?```sh\n(.*?)\n```", README, re.S)
    assert test_command is not None
    assert line in test_command.group(1)
    assert line in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
