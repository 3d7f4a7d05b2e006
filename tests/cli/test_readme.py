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
        "Log practice", "Reflect", "Review: report and calendar", "Rhythms and pauses",
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
