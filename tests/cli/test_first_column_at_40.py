"""What a newcomer met at 40 columns in a terminal: in a list of things (entries, pauses,
doctor's findings) a wrapped line never stands where the next item begins, so the eye can
run down the first column; nothing is cut with "…". Real processes in a pseudo-terminal.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta

import pexpect
import pytest

pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]")
ID = re.compile(r"^[0-9a-f]{8}  ")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("first-column")
    out = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "ALLY_PROMPTS")}
    out.update(ALLY_DB=str(root / "data" / "ally.db"), HOME=str(root), NO_COLOR="1",
               TERM="xterm", ALLY_PAGER="cat", XDG_STATE_HOME=str(root / "state"),
               XDG_CONFIG_HOME=str(root / "cfg"))  # fmt: skip
    for args in (
        ("log", "volunteering", "--minutes", "90", "--note", "Sorted coats at the shelter"),
        ("reflect", "--answer", "They asked for rides, not advice."),
        ("pause", "--since", "3 days ago", "--until", "yesterday", "--note", "elections done"),
        ("pause", "voting", "--since", "tomorrow", "--until", str(date.today() + timedelta(7))),
    ):
        subprocess.run([sys.executable, "-m", "allycli", *args], env=out, capture_output=True,
                       timeout=60, check=False)  # fmt: skip
    return out


def on_screen(env: dict[str, str], *args: str) -> list[str]:
    child = pexpect.spawn(sys.executable, ["-m", "allycli", *args], env=env,
                          dimensions=(200, 40), encoding="utf-8", timeout=60)  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    lines = ANSI.sub("", child.before).replace("\r\n", "\n").split("\n")
    assert all(len(line) <= 40 for line in lines), lines
    assert not any("…" in line for line in lines), lines
    return [line for line in lines if line.strip()]


def test_list_wraps_beside_the_ids(env):
    lines = on_screen(env, "list")
    assert all(ID.match(line) or line.startswith(" ") for line in lines), lines
    assert sum(bool(ID.match(line)) for line in lines) == 2


def test_pause_list_wraps_beside_the_ids(env):
    lines = on_screen(env, "pause", "--list")
    assert all(ID.match(line) or line.startswith(" ") for line in lines), lines
    assert "elections done" in " ".join(" ".join(lines).split())


def test_doctor_wraps_beside_the_findings(env):
    lines = on_screen(env, "doctor")
    marked = re.compile(r"^(ok|!!|  ) \S")
    assert all(marked.match(line) or line.startswith("     ") for line in lines), lines


def test_ally_alone_names_each_command_on_its_own_line(env, tmp_path):
    # the overview is what plain `ally` shows before anything is logged
    lines = on_screen({**env, "ALLY_DB": str(tmp_path / "empty.db")})
    starts = [line.strip() for line in lines if line.startswith("  ally ")]
    assert starts == ['ally log listening --note "..."', "ally reflect", "ally report"]
    follows = [lines[lines.index(f"  {s}") + 1] for s in starts]
    assert all(line.startswith("      ") for line in follows), lines
