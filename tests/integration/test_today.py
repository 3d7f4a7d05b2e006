"""`ally today` as a person meets it: real processes under faketime (a Sunday night, then the
Monday morning after, when the week's units close and new ones open), `--short` in a
pseudo-terminal 40 columns wide, plain `ally`, and the reminders of docs/reminders.md run as
the commands they are."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ALLY, ally_in_process, cli_env, ok

ROOT = Path(__file__).parents[2]
SUNDAY_NIGHT = "2026-12-13 23:30:00"
MONDAY_MORNING = "2026-12-14 07:00:00"

needs_faketime = pytest.mark.skipif(
    shutil.which("faketime") is None, reason="faketime is not installed (apt-get install faketime)"
)


def at(env: dict[str, str], when: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`ally ARGS` in a real process whose clock reads `when` (libfaketime)."""
    done = subprocess.run(
        ["faketime", when, *ALLY, *args],
        env={**env, "TZ": "UTC"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, (args, done.stderr)
    return done


@needs_faketime
def test_units_close_on_sunday_night_and_open_on_monday_morning(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    at(env, "2026-12-13 20:00:00", "type", "add", "mutual-aid", "--pillar", "action")
    at(env, "2026-12-13 20:01:00", "rhythm", "mutual-aid", "2/week")
    at(env, "2026-12-13 20:02:00", "log", "listening", "--note", "Heard out a neighbour")
    at(env, "2026-12-13 20:03:00", "log", "mutual-aid")
    at(env, "2026-12-13 20:04:00", "reflect", "--answer", "They asked for rides, not advice.")

    sunday = json.loads(at(env, SUNDAY_NIGHT, "today", "--json").stdout)
    assert sunday["date"] == "2026-12-13"
    assert [e["kind"] for e in sunday["entries"]] == ["practice", "practice", "reflection"]
    assert sunday["entries"][1]["action_type"] == "mutual-aid"
    # practice, action and listening are met; what is open ends tonight
    assert [(u["category"], u["done"], u["needed"], u["until"]) for u in sunday["open"]] == [
        ("learning", 0, 1, "2026-12-13"),
        ("yielding", 0, 1, "2026-12-13"),
        ("mutual-aid", 1, 2, "2026-12-13"),
    ]
    assert sunday["open"][2]["kind"] == "action_type" and sunday["open"][2]["rhythm"] == "2/week"
    assert sunday["prompt"]["answered"] is True
    assert sunday["streak"] == {"current": 1, "longest": 1}
    assert at(env, SUNDAY_NIGHT, "today", "--short").stdout == "3 open\n"
    text = at(env, SUNDAY_NIGHT, "today").stdout
    assert "yielding: 0 of 1 day this week, until today" in text
    assert "mutual-aid (action, own type)" in text and "Own type: one you added" in text

    monday = json.loads(at(env, MONDAY_MORNING, "today", "--json").stdout)
    assert monday["date"] == "2026-12-14" and monday["entries"] == []
    # a new day and a new week: the day's unit ends first, then the larger remaining need
    assert [(u["category"], u["done"], u["needed"], u["until"]) for u in monday["open"]] == [
        ("practice", 0, 1, "2026-12-14"),
        ("mutual-aid", 0, 2, "2026-12-20"),
        ("action", 0, 1, "2026-12-20"),
        ("listening", 0, 1, "2026-12-20"),
        ("learning", 0, 1, "2026-12-20"),
        ("yielding", 0, 1, "2026-12-20"),
    ]
    assert monday["prompt"]["answered"] is False
    assert monday["streak"] == {"current": 1, "longest": 1}  # alive through today
    assert at(env, MONDAY_MORNING, "today", "--short").stdout == "6 open · prompt waiting\n"
    assert at(env, MONDAY_MORNING).stdout == at(env, MONDAY_MORNING, "today").stdout
    text = at(env, MONDAY_MORNING, "today").stdout
    assert "practice: 0 of 1 day today, until today" in text
    assert "mutual-aid: 0 of 2 days this week, until Sun 20 Dec" in text


def test_short_says_nothing_when_nothing_is_open_and_the_prompt_is_answered(
    tmp_path: Path,
) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    for category in ("practice", "action", "listening", "learning", "yielding"):
        ok(ally_in_process(env, "rhythm", category, "off"))
    assert ok(ally_in_process(env, "today", "--short")).stdout == "prompt waiting\n"
    ok(ally_in_process(env, "reflect", "--answer", "A first answer."))
    done = ok(ally_in_process(env, "today", "--short"))
    assert done.stdout == "" and done.stderr == ""
    parsed = json.loads(ok(ally_in_process(env, "today", "--json")).stdout)
    assert parsed["open"] == [] and parsed["prompt"]["answered"] is True


def test_short_never_fails_and_never_asks(tmp_path: Path) -> None:
    """A shell prompt runs it all day: a journal it cannot read prints nothing, exit 0."""
    db = tmp_path / "ally.db"
    db.write_bytes(b"not a database at all" * 100)
    env = cli_env(tmp_path, db)
    done = ally_in_process(env, "today", "--short")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert db.read_bytes() == b"not a database at all" * 100


def test_plain_ally_keeps_the_overview_for_an_empty_journal(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    assert ok(ally_in_process(env)).stdout.startswith("ally: practice allyship daily")
    assert not (tmp_path / "ally.db").exists()
    ok(ally_in_process(env, "log", "listening"))
    assert ok(ally_in_process(env)).stdout.startswith("Today, ")


@pytest.mark.slow  # a pseudo-terminal
def test_short_in_a_terminal_40_columns_wide_is_one_line(tmp_path: Path) -> None:
    import pexpect

    env = cli_env(tmp_path, tmp_path / "ally.db")
    env.pop("COLUMNS")
    ok(ally_in_process(env, "type", "add", "language-justice-interpreting", "--pillar", "action"))
    ok(ally_in_process(env, "rhythm", "language-justice-interpreting", "1/day"))
    for category in ("practice", "action", "listening", "learning", "yielding"):
        ok(ally_in_process(env, "rhythm", category, "off"))
    child = pexpect.spawn(sys.executable, ["-m", "allycli", "today", "--short"], env=env,
                          dimensions=(24, 40), encoding="utf-8", timeout=60)  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = child.before.replace("\r", "")
    assert screen == "1 open · prompt waiting\n"  # the type's name would not fit in 40
    assert all(len(line) <= 40 for line in screen.splitlines())


def _stand_in_notify_send(folder: Path) -> Path:
    """A notify-send that writes its arguments to a file: what a desktop would show."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "notify-send"
    shown = folder / "shown.txt"
    script.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> "{shown}"\necho >> "{shown}"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return shown


def _reminder_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    ok(ally_in_process(env, "log", "listening"))  # learning and yielding stay open
    shown = _stand_in_notify_send(tmp_path / "bin")
    ally_bin = Path(sys.executable).parent
    env["PATH"] = f"{tmp_path / 'bin'}{os.pathsep}{ally_bin}{os.pathsep}/usr/bin:/bin"
    return env, shown


def _block(text: str, language: str, marker: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", text, re.S)
    found = [b for b in blocks if marker in b]
    assert len(found) == 1, f"one {language} block holding {marker!r} in docs/reminders.md"
    return found[0]


@pytest.mark.skipif(shutil.which("sh") is None, reason="no sh")
def test_the_cron_line_of_the_reminders_doc_passes_a_line_to_notify_send(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "reminders.md").read_text(encoding="utf-8")
    block = _block(doc, "crontab", "notify-send")
    (line,) = [ln for ln in block.splitlines() if "notify-send" in ln]
    command = line.split(None, 5)[5]  # the five time fields, then the command
    env, shown = _reminder_env(tmp_path)
    subprocess.run(["sh", "-c", command], env=env, timeout=120, check=True)
    said = shown.read_text().strip().split("|")
    assert said[-2] == "3 open · prompt waiting"  # the last argument: the line itself
    assert said[0]  # a title


def test_the_systemd_timer_of_the_reminders_doc_passes_a_line_to_notify_send(
    tmp_path: Path,
) -> None:
    doc = (ROOT / "docs" / "reminders.md").read_text(encoding="utf-8")
    service = _block(doc, "ini", "ExecStart=")
    timer = _block(doc, "ini", "OnCalendar=")
    assert "[Timer]" in timer and "Unit=ally-today.service" in timer
    (exec_start,) = re.findall(r"^ExecStart=(.*)$", service, re.M)
    env, shown = _reminder_env(tmp_path)
    # systemd runs ExecStart without a shell; the line names /bin/sh -c itself
    argv = exec_start.split(None, 2)
    assert argv[:2] == ["/bin/sh", "-c"]
    command = argv[2].strip("'").replace("$$", "$")  # as systemd hands it to sh
    subprocess.run(["sh", "-c", command], env=env, timeout=120, check=True)
    said = shown.read_text().strip().split("|")
    assert said[-2] == "3 open · prompt waiting"


def test_today_names_own_types_as_shown_in_its_entries_and_pauses(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    ok(ally_in_process(env, "type", "add", "mutual-aid", "--pillar", "action"))
    ok(ally_in_process(env, "pause", "mutual-aid", "--since", "today", "--until", "today"))
    ok(ally_in_process(env, "log", "mutual-aid"))
    ok(ally_in_process(env, "type", "rename", "mutual-aid", "care"))
    parsed = json.loads(ok(ally_in_process(env, "today", "--json")).stdout)
    assert parsed["pauses"][0]["categories"] == ["care"]
    assert parsed["entries"][0]["action_type"] == "care"
    text = ok(ally_in_process(env, "today")).stdout
    assert "care (action, own type)" in text and "Paused today: care, until today" in text
