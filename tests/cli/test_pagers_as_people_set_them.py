"""Pagers as people set them, in a pseudo-terminal with colours on: `PAGER=less` with `LESS`
unset gets `LESS=FRX` (as git sets it), so less shows colours rather than `ESC[1m`; a
`LESS` of one's own is kept; less and most get colours; any other pager (more, a script)
gets plain text without escape codes.

A pager here is a script on PATH under the pager's name that records the LESS it was given
and the bytes it read, then shows them; one test runs the real less.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

pytestmark = pytest.mark.slow

ESC = "\x1b["
COLOUR = re.compile(r"\x1b\[[0-9;]*(?<![0-9])(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    dropped = ("COLUMNS", "LINES", "ALLY_PAGER", "PAGER", "LESS", "NO_COLOR")
    out = {k: v for k, v in os.environ.items() if k not in dropped}
    out.update(
        ALLY_DB=str(tmp_path / "ally.db"),
        TERM="xterm-256color",
        HOME=str(tmp_path),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
    )
    subprocess.run(
        [sys.executable, "-m", "allycli", "log", "protest", "--note", "Joined the march"],
        env=out, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return out


def recorder(tmp_path: Path, name: str) -> Path:
    """A pager called `name`, first on PATH, that keeps what it was given."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(
        "#!/bin/sh\n"
        f"printf '%s' \"${{LESS-unset}}\" > '{tmp_path}/{name}.less'\n"
        f"cat > '{tmp_path}/{name}.input'\n"
        f"cat '{tmp_path}/{name}.input'\n",
        encoding="utf-8",
    )
    script.chmod(0o700)
    return folder


def on_terminal(env: dict[str, str], *args: str) -> tuple[int, str]:
    child = pexpect.spawn(sys.executable, ["-m", "allycli", *args], env=env,
                          dimensions=(40, 100), encoding="utf-8", timeout=60)  # fmt: skip
    if child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=20) == 1:
        child.send("q")  # a pager that waits for a key (less without -F) is told to quit
        child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def given(tmp_path: Path, name: str) -> tuple[str, str]:
    """The LESS the pager was given ("unset" when none) and what it read."""
    return (
        (tmp_path / f"{name}.less").read_text(encoding="utf-8"),
        (tmp_path / f"{name}.input").read_text(encoding="utf-8"),
    )


@pytest.mark.parametrize(
    ("pager", "less_preset", "less_given", "colours"),
    [
        ("less", None, "FRX", True),  # the most common setting
        ("less -S", None, "FRX", True),  # arguments of one's own
        ("less", "R", "R", True),  # a LESS of one's own is kept
        ("most", None, "unset", True),
        ("more", None, "unset", False),
        ("pg", None, "unset", False),  # any other pager: plain text
    ],
)
def test_the_pager_gets_less_frx_and_colours_as_it_can_show_them(
    env, tmp_path, pager, less_preset, less_given, colours
):
    name = pager.split()[0]
    env["PATH"] = f"{recorder(tmp_path, name)}{os.pathsep}{env['PATH']}"
    env["PAGER"] = pager
    if less_preset is not None:
        env["LESS"] = less_preset
    code, _ = on_terminal(env, "list")
    assert code == 0
    less, shown = given(tmp_path, name)
    assert less == less_given
    assert "Joined the march" in shown
    assert (ESC in shown) == colours, repr(shown[:200])


def test_no_color_means_no_colour_even_for_less(env, tmp_path):
    env["PATH"] = f"{recorder(tmp_path, 'less')}{os.pathsep}{env['PATH']}"
    env["PAGER"] = "less"
    on_terminal(env, "calendar")
    assert COLOUR.search(given(tmp_path, "less")[1])  # the calendar's shades are coloured
    env["NO_COLOR"] = "1"
    code, _ = on_terminal(env, "calendar")
    assert code == 0
    assert not COLOUR.search(given(tmp_path, "less")[1])  # bold may stay: it is no colour


def test_ally_pager_wins_and_is_treated_the_same(env, tmp_path):
    env["PATH"] = f"{recorder(tmp_path, 'less')}{os.pathsep}{env['PATH']}"
    env.update(ALLY_PAGER="less", PAGER="more")
    on_terminal(env, "list")
    assert given(tmp_path, "less")[0] == "FRX"


def test_the_real_less_shows_colours_not_escape_codes(env, tmp_path):
    """`PAGER=less` with LESS unset: less returns at once (the text fits) and the screen
    holds the words, never a literal `ESC[1m`."""
    if not Path("/usr/bin/less").exists():
        pytest.skip("less is not installed")
    env["PAGER"] = "less"
    code, screen = on_terminal(env, "list")
    assert code == 0
    assert "Joined the march" in screen
    assert "ESC[" not in screen and "^[[" not in screen
