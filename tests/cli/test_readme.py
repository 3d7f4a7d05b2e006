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
                        "restore", "today", "type"}  # fmt: skip
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


def test_readme_starts_short() -> None:
    """Within its first 40 lines: install, a first entry, how to remove it again, the three
    commands to know and where the data is."""
    start = "\n".join(README.splitlines()[:40])
    for needed in ("pip install .", "ally log ", "ally delete --last", "ally reflect",
                   "ally report", "ally.db", "Install and run the tests"):  # fmt: skip
        assert needed in start, needed
    assert 'log protest --note "Joined the housing march" &&' not in start  # no made-up march


def test_readme_has_a_subheading_for_each_command_group() -> None:
    headings = re.findall(r"^### (.+)$", README, flags=re.M)
    assert headings == [
        "Log practice", "Reflect", "Review: report, today and calendar", "Rhythms and pauses",
        "List, show and search", "Fix and remove entries", "Export and import",
        "Backup, restore and doctor", "On your terminal", "Shell completion",
    ]  # fmt: skip
    assert "## Development" in README.split("## Performance")[-1]


def test_long_figures_live_in_docs_and_the_readme_links_them() -> None:
    assert "](docs/benchmarks.md)" in README
    assert "](docs/sync.md)" in README
    benchmarks = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert "targets holding: 11 of 11" in benchmarks and "targets holding" not in README
    assert not re.search(r"^-{20,}  ", README, flags=re.M)  # no benchmark table left here


def _calendar(env: dict[str, str]) -> str:
    done = subprocess.run([str(BIN / "ally"), "calendar"], env=env, capture_output=True,
                          timeout=60, check=True)  # fmt: skip
    return done.stdout.decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("setting", "shades"),
    [
        ({"LC_ALL": "C", "LANG": "C"}, "░ 1"),  # PEP 538/540: a C locale runs as UTF-8
        ({"PYTHONIOENCODING": "ascii"}, "+ 1"),  # not UTF-8: the ASCII look-alikes
    ],
    ids=["LC_ALL=C", "PYTHONIOENCODING=ascii"],
)
def test_the_readmes_locale_claims_hold(tmp_path: Path, setting: dict[str, str], shades: str):
    assert "Python runs a C locale (`LC_ALL=C`) as UTF-8 (PEP 538 and 540)" in README
    assert "`PYTHONIOENCODING=ascii`" in README
    unset = ("PYTHONIOENCODING", "PYTHONUTF8", "LC_ALL", "LC_CTYPE", "LANG")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(ALLY_DB=str(tmp_path / "ally.db"), NO_COLOR="1", **setting)
    out = _calendar(env)
    assert shades in out
    assert out.isascii() == ("PYTHONIOENCODING" in setting)
