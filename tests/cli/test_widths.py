"""Every table is readable at 40, 60, 80 and 120 columns: real processes, COLUMNS set, on a
terminal (a pseudo-terminal) and piped. Nothing is cut: no "…", and every number, date, id
and word that matters is there whole. Under a non-UTF-8 locale the output is plain ASCII.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from allycli.core.dates import day_name
from allycli.core.records import Record
from allycli.store.database import Store

WIDTHS = (40, 60, 80, 120)
TODAY = date.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday())
SHOWN = day_name(MONDAY, year=MONDAY.year != TODAY.year)  # as a terminal names that day
NOTES = {
    "aaaa0001": "Spoke at the city council about rent control with the tenants union organizers",
    "aaaa0002": "Donated to the community legal fund\nsecond line about bail support",
    "aaaa0003": "Listened at the elders circle",
}
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def _rows() -> list[tuple[object, ...]]:
    day = MONDAY.isoformat()
    made = f"{day}T09:00:00+00:00"
    return [
        Record(id="aaaa0001-0000-4000-8000-000000000000", kind="practice", day=day,
               created_at=made, pillar="action", action_type="volunteering",
               note=NOTES["aaaa0001"], minutes=95).row(),
        Record(id="aaaa0002-0000-4000-8000-000000000000", kind="practice", day=day,
               created_at=made, pillar="action", action_type="money",
               note=NOTES["aaaa0002"], minutes=15).row(),
        Record(id="aaaa0003-0000-4000-8000-000000000000", kind="practice", day=day,
               created_at=made, pillar="listening", note=NOTES["aaaa0003"], minutes=1440).row(),
        Record(id="aaaa0004-0000-4000-8000-000000000000", kind="reflection", day=day,
               created_at=made, pillar="yielding", prompt_id="reflect-yielding-02",
               prompt="Where did you take up space?", answer="In the planning meeting").row(),
    ]  # fmt: skip


@pytest.fixture
def env(tmp_path: Path, db_path: Path) -> dict[str, str]:
    Store(db_path).insert(_rows())
    out = dict(os.environ)
    out.pop("FORCE_COLOR", None)
    out.update(ALLY_DB=str(db_path), NO_COLOR="1", PYTHONIOENCODING="utf-8")
    return out


def piped(env: dict[str, str], *args: str, columns: int) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "allycli", *args],
        env={**env, "COLUMNS": str(columns)},
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


def on_terminal(env: dict[str, str], *args: str, columns: int) -> str:
    """The output of ally on a pseudo-terminal `columns` wide."""
    main, child = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "allycli", *args],
        env={**env, "COLUMNS": str(columns), "TERM": "xterm"},
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=child,
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert proc.wait(timeout=60) == 0
    return ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w'-]+", text))


def _check(out: str, columns: int, wanted: set[str]) -> None:
    assert "…" not in out and "..." not in out, out
    longest = max(len(line.rstrip()) for line in out.replace("\r", "").splitlines())
    assert longest <= columns, out
    missing = wanted - _words(out)
    assert not missing, (missing, out)


REPORT_WORDS = {
    "action", "listening", "learning", "yielding", "protest", "advocacy", "interrupting",
    "volunteering", "voting", "training", "children", "money", "95", "15", "110", "1440",
}  # fmt: skip


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("where", ["terminal", "piped"])
@pytest.mark.parametrize("period", ["--week", "--month", "--year"])
def test_report_is_whole_at_every_width(
    env: dict[str, str], columns: int, where: str, period: str
) -> None:
    run = on_terminal if where == "terminal" else piped
    out = run(env, "report", period, columns=columns)
    # piped output is never wrapped, whatever COLUMNS says
    _check(out, columns if where == "terminal" else 10_000, REPORT_WORDS | {str(MONDAY.year)})
    assert "all time" in out  # "Longest" says it is all-time


@pytest.mark.parametrize("columns", WIDTHS)
def test_list_on_a_terminal_wraps_whole_notes(env: dict[str, str], columns: int) -> None:
    out = on_terminal(env, "list", columns=columns)
    wanted = {*NOTES, *_words(SHOWN), "95", "1440", "volunteering", "reflection"}
    wanted |= {w for note in NOTES.values() for w in _words(note)}
    _check(out, columns, wanted)


@pytest.mark.parametrize("columns", WIDTHS)
def test_list_piped_prints_every_note_whole_on_its_line(env: dict[str, str], columns: int) -> None:
    out = piped(env, "list", columns=columns)
    lines = out.splitlines()
    assert len(lines) == 4
    council = [line for line in lines if "council" in line]
    assert len(council) == 1
    assert council[0].startswith("aaaa0001  " + SHOWN)
    assert council[0].endswith(NOTES["aaaa0001"])
    legal = next(line for line in lines if "legal" in line)
    assert legal.endswith("Donated to the community legal fund ¶ second line about bail support")


def test_grep_finds_a_long_note(env: dict[str, str]) -> None:
    done = subprocess.run(
        f"'{sys.executable}' -m allycli list | grep organizers",
        shell=True, env={**env, "COLUMNS": "60"}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    assert "tenants union organizers" in done.stdout


@pytest.mark.parametrize("columns", WIDTHS)
def test_calendar_is_whole_at_every_width(env: dict[str, str], columns: int) -> None:
    out = on_terminal(env, "calendar", columns=columns)
    months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
    _check(out, columns, months | {"Mon", "Sun", "none", "more", "Busiest"})
    grid = [line for line in out.splitlines() if line.startswith("Mon ")]
    assert len(grid) == (2 if columns < 60 else 1)  # half-years stack below 60 columns


@pytest.mark.parametrize("args", [("report",), ("list",), ("calendar",), ()])
def test_ascii_under_a_non_utf8_locale(env: dict[str, str], args: tuple[str, ...]) -> None:
    c_locale = {**env, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    c_locale.pop("PYTHONIOENCODING")
    for run in (piped, on_terminal):
        raw = run(c_locale, *args, columns=80)
        assert raw.isascii(), [ch for ch in raw if not ch.isascii()][:5]
        # every glyph has an ASCII look-alike: none became a "?"
        assert raw.count("?") == run(env, *args, columns=80).count("?")
    if args == ("report",):
        assert re.search(r"^-{20,}", raw, re.M)  # the tables' rules, in ASCII
    if args == ("calendar",):
        assert ". none  + 1  * 2  # 3 or more" in raw


@pytest.mark.parametrize("columns", WIDTHS)
def test_prompts_and_reflections_are_whole_at_every_width(
    env: dict[str, str], columns: int
) -> None:
    import yaml

    from allycli.store.promptfiles import builtin_path

    data = yaml.safe_load(builtin_path().read_text(encoding="utf-8"))
    ids = {p["id"] for p in data["prompts"]}
    out = on_terminal(env, "reflect", "--prompts", columns=columns)
    _check(out, columns, ids)
    out = on_terminal(env, "reflect", "--list", columns=columns)
    _check(out, columns, {"planning", "meeting", "reflect-yielding-02"})
