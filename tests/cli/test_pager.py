"""Long output goes through a pager on a terminal, as git does:
`$ALLY_PAGER`, else `$PAGER`, else `less -FRX`; never when piped, never for other commands;
`ally --no-pager CMD` or `ALLY_PAGER=cat` turns it off; a missing pager means plain output;
quitting the pager early exits 0 without a word. Each test runs ally in a pseudo-terminal with
the pager set to a script that records that it ran.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "ALLY_PAGER")}
    out.update(ALLY_DB=str(tmp_path / "ally.db"), NO_COLOR="1", TERM="xterm",
               HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"))  # fmt: skip
    out.pop("PAGER", None)
    for args in (["log", "protest", "--note", "Joined the housing march"],
                 ["reflect", "--answer", "Their plan, their timing."],
                 ["pause", "voting", "--since", "today", "--until", "today"]):  # fmt: skip
        subprocess.run([sys.executable, "-m", "allycli", *args], env=out, check=True,
                       capture_output=True, timeout=60)  # fmt: skip
    return out


def pager_script(tmp_path: Path, name: str = "pager", body: str = "cat") -> Path:
    """A pager that notes its run in `name`.ran, then does `body` (shows its input)."""
    script = tmp_path / name
    script.write_text(f"#!/bin/sh\necho ran >> '{tmp_path / name}.ran'\n{body}\n", "utf-8")
    script.chmod(0o700)
    return script


def on_terminal(env: dict[str, str], *args: str) -> tuple[int, str]:
    child = pexpect.spawn(sys.executable, ["-m", "allycli", *args], env=env,
                          dimensions=(40, 80), encoding="utf-8", timeout=60)  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def runs(tmp_path: Path, name: str = "pager") -> int:
    ran = tmp_path / f"{name}.ran"
    return ran.read_text().count("ran") if ran.exists() else 0


PAGED = [
    ("list",), ("search", "housing"), ("report",), ("calendar",), ("reflect", "--list"),
    ("reflect", "--prompts"), ("pause", "--list"), ("rhythm",), ("rhythm", "--json"),
]  # fmt: skip
NOT_PAGED = [
    ("log", "listening"), ("rhythm", "money", "1/month"), ("export",), ("list", "--help"),
    ("--version",), ("doctor",),
]  # fmt: skip


@pytest.mark.parametrize("args", PAGED, ids=" ".join)
def test_long_output_goes_through_the_pager(env, tmp_path, args):
    env["PAGER"] = str(pager_script(tmp_path))
    code, screen = on_terminal(env, *args)
    assert code == 0, screen
    assert runs(tmp_path) == 1
    assert screen.strip()  # the pager (here: cat) showed it


def test_show_goes_through_the_pager(env, tmp_path):
    listed = subprocess.run([sys.executable, "-m", "allycli", "list"], env=env, check=True,
                            capture_output=True, text=True, timeout=60).stdout  # fmt: skip
    entry = listed.split()[0]
    env["PAGER"] = str(pager_script(tmp_path))
    code, screen = on_terminal(env, "show", entry)
    assert code == 0 and runs(tmp_path) == 1
    assert "Joined the housing march" in screen or "Their plan" in screen


@pytest.mark.parametrize("args", NOT_PAGED, ids=" ".join)
def test_other_commands_never_page(env, tmp_path, args):
    env["PAGER"] = str(pager_script(tmp_path))
    code, _ = on_terminal(env, *args)
    assert code == 0
    assert runs(tmp_path) == 0


def test_ally_pager_wins_over_pager(env, tmp_path):
    env["PAGER"] = str(pager_script(tmp_path, "pager"))
    env["ALLY_PAGER"] = str(pager_script(tmp_path, "ally-pager"))
    assert on_terminal(env, "list")[0] == 0
    assert (runs(tmp_path, "ally-pager"), runs(tmp_path, "pager")) == (1, 0)


@pytest.mark.parametrize("off", ["--no-pager", "ALLY_PAGER=cat", "ALLY_PAGER="])
def test_the_pager_can_be_turned_off(env, tmp_path, off):
    env["PAGER"] = str(pager_script(tmp_path))
    args = ["list"]
    if off == "--no-pager":
        args = ["--no-pager", "list"]
    else:
        env["ALLY_PAGER"] = off.split("=", 1)[1]
    code, screen = on_terminal(env, *args)
    assert code == 0
    assert runs(tmp_path) == 0
    assert "Joined the housing march" in screen


def test_never_when_piped(env, tmp_path):
    env["PAGER"] = str(pager_script(tmp_path))
    done = subprocess.run([sys.executable, "-m", "allycli", "list"], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0
    assert "Joined the housing march" in done.stdout
    assert runs(tmp_path) == 0


def test_a_missing_pager_means_plain_output(env, tmp_path):
    env["PAGER"] = str(tmp_path / "no-such-pager")
    code, screen = on_terminal(env, "list")
    assert code == 0
    assert "Joined the housing march" in screen
    assert "ally:" not in screen


def test_quitting_the_pager_early_exits_0_without_a_word(env, tmp_path):
    source = tmp_path / "many.jsonl"
    source.write_text("".join(
        f'{{"id": "{i:08x}-0000-4000-8000-000000000000", "kind": "practice", '
        f'"date": "2026-01-01", "created_at": "2026-01-01T09:00:00+00:00", '
        f'"pillar": "action", "action_type": "protest", "note": "{"long note " * 20}", '
        f'"minutes": null}}\n' for i in range(1500)
    ))  # fmt: skip
    subprocess.run([sys.executable, "-m", "allycli", "import", str(source)], env=env,
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    env["PAGER"] = str(pager_script(tmp_path, body="head -c 10 >/dev/null; exit 0"))
    code, screen = on_terminal(env, "list")
    assert code == 0
    assert runs(tmp_path) == 1
    assert "ally:" not in screen and "Traceback" not in screen and "Broken" not in screen
