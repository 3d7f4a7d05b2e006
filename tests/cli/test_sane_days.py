"""Sane days: a typed day is taken from 1900-01-01 on, each door keeps its own end, and an
import takes what an export wrote (older rows included), on Monday 7 December 2026.

The refusals are catalogued with the rest of bad input (test_bad_input.py); here are the
days each door takes at the ends of its range, the new words, and rows from before 1900.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import time_machine

from tests.cli.conftest import MONDAY_7_DECEMBER

MON = MONDAY_7_DECEMBER
TODAY = date(2026, 12, 7)


pytestmark = pytest.mark.usefixtures("on_monday_7_december")


def _days(run) -> list[str]:
    return [e["date"] for e in json.loads(run("list", "--json").stdout)]


def _error(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    [line] = result.stderr.splitlines()
    return line


# -- typed days: the first day and each door's last ------------------------------------------


@pytest.mark.parametrize("command", ["log", "reflect"])
def test_log_and_reflect_take_1900_01_01_and_today(run, command):
    extra = ("listening",) if command == "log" else ("--answer", "Made room.", "--another")
    run(command, *extra, "--date", "1900-01-01")
    run(command, *extra, "--date", "today")
    assert sorted(_days(run)) == ["1900-01-01", "2026-12-07"]
    refused = _error(run(command, *extra, "--date", "1899-12-31", ok=False))
    assert refused == (
        "ally: --date 1899-12-31 is before 1900; ally takes days from 1900 on "
        "(1900-01-01 to today)."
    )


def test_the_first_day_is_named_with_its_year(run):
    out = run("log", "listening", "--date", "1900-01-01").stdout
    assert out.startswith(
        f"Logged listening for Mon 1 Jan 1900 ({(TODAY - date(1900, 1, 1)).days} days ago)"
    )


def test_edit_takes_1900_01_01_and_not_the_day_before(run):
    run("log", "protest")
    entry = json.loads(run("list", "--json").stdout)[0]["id"]
    run("edit", entry[:8], "--date", "1900-01-01")
    assert _days(run) == ["1900-01-01"]
    assert "is before 1900" in _error(run("edit", entry[:8], "--date", "1899-12-31", ok=False))


def test_reports_run_from_1900_01_01_to_today(run):
    run("log", "listening", "--date", "1900-01-01")
    data = json.loads(run("report", "--since", "1900-01-01", "--until", "today", "--json").stdout)
    assert data["period"] == {"start": "1900-01-01", "end": "2026-12-07"}
    assert data["entries"] == 1
    assert "--since 0001-01-01 is before 1900" in _error(
        run("report", "--since", "0001-01-01", ok=False)
    )


def test_a_pause_ends_up_to_366_days_ahead(run):
    last = (TODAY + timedelta(days=366)).isoformat()
    run("pause", "--since", "tomorrow", "--until", last)
    [pause] = json.loads(run("pause", "--list", "--json").stdout)
    assert pause["until"] == last
    refused = _error(
        run("pause", "--since", (TODAY + timedelta(days=10)).isoformat(),
            "--until", (TODAY + timedelta(days=367)).isoformat(), ok=False)
    )  # fmt: skip
    assert "within 366 days of today" in refused


@pytest.mark.parametrize(("year", "ok"), [(1900, True), (2026, True), (1899, False), (2027, False)])
def test_the_calendar_shows_any_year_from_1900_to_this_one(run, year, ok):
    result = run("calendar", str(year), ok=ok)
    if ok:
        assert result.stdout.startswith(f"Practice in {year}")
    else:
        assert _error(result) == (
            f"ally: {year} is not a year ally can show; give a year from 1900 to 2026."
        )


# -- words people bring from other journals ----------------------------------------------------


@pytest.mark.parametrize(
    ("word", "day"),
    [
        ("2 weeks ago", "2026-11-23"),
        ("1 week ago", "2026-11-30"),
        ("last monday", "2026-11-30"),  # today is a Monday: the one before, as `monday`
        ("last friday", "2026-12-04"),
        ("Last Fri", "2026-12-04"),
    ],
)
def test_n_weeks_ago_and_last_weekday_are_days(run, word, day):
    run("log", "listening", "--date", word)
    assert _days(run) == [day]


# -- a day from another year carries its year -----------------------------------------------


def test_a_confirmation_names_the_year_of_a_day_from_another_year(run):
    out = run("log", "listening", "--date", "2025-12-01").stdout
    assert out == (
        "Logged listening for Mon 1 Dec 2025 (371 days ago). "
        "practice: 1 of 1 day on Mon 1 Dec 2025; "
        "listening: 1 of 1 day in the week of Mon 1 Dec 2025.\n"
    )


def test_yesterday_on_new_years_day_carries_its_year(run):
    with time_machine.travel(datetime(2027, 1, 1, 12, 0, tzinfo=timezone.utc), tick=False):
        out = run("log", "listening", "--date", "yesterday").stdout
    assert out.startswith("Logged listening for yesterday, Thu 31 Dec 2026")


# -- import takes what export wrote ------------------------------------------------------------


def _row(entry_id: str, day: str) -> dict[str, object]:
    return {
        "id": entry_id, "kind": "practice", "date": day,
        "created_at": "2026-12-01T09:00:00+00:00", "updated_at": "2026-12-01T09:00:00+00:00",
        "pillar": "listening", "action_type": None, "note": f"from {day}", "minutes": None,
    }  # fmt: skip


OLD = "0a0a0a0a-0000-4000-8000-000000000001"
TOMORROW = "0b0b0b0b-0000-4000-8000-000000000002"


def test_import_takes_rows_before_1900_and_up_to_tomorrow_and_export_gives_them_back(
    run, tmp_path: Path
):
    source = tmp_path / "old.jsonl"
    rows = [_row(OLD, "0001-01-01"), _row(TOMORROW, "2026-12-08")]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    run("import", str(source))
    exported = [json.loads(line) for line in run("export").stdout.splitlines()]
    assert [(e["id"], e["date"]) for e in exported] == [
        (OLD, "0001-01-01"),
        (TOMORROW, "2026-12-08"),
    ]
    again = tmp_path / "again.jsonl"
    run("export", "--output", str(again))
    assert "Imported 0 entries" in run("import", str(again)).stdout
    assert "2 already present" in run("import", str(again)).stdout
    assert sorted(_days(run)) == ["0001-01-01", "2026-12-08"]
    shown = run("show", OLD[:8]).stdout
    assert "Mon 1 Jan 1" in shown  # read and named, though no one could type it


def test_import_refuses_a_day_after_tomorrow(run, tmp_path: Path):
    source = tmp_path / "ahead.jsonl"
    source.write_text(json.dumps(_row(OLD, "2026-12-09")) + "\n", encoding="utf-8")
    result = run("import", str(source), ok=False)
    assert result.exit_code == 1
    assert "later than tomorrow (2026-12-08)" in result.stderr
    assert _days(run) == []


# -- through the real executable ------------------------------------------------------------


def test_year_1_is_refused_by_the_installed_executable(tmp_path: Path):
    """The headline case, in a real process: `log --date 0001-01-01` and `report --since
    0001-01-01` are refused at once, and nothing is stored."""
    for args in (("log", "listening", "--date", "0001-01-01"), ("report", "--since", "0001-01-01")):
        done = subprocess.run(
            [sys.executable, "-m", "allycli", *args],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        flag = args[-2]
        assert done.stderr == (
            f"ally: {flag} 0001-01-01 is before 1900; ally takes days from 1900 on "
            "(1900-01-01 to today).\n"
        )
        assert done.stdout == ""
    assert not (tmp_path / "ally.db").exists() or _stored(tmp_path / "ally.db") == 0


def _stored(db: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM entry").fetchone()[0]
    finally:
        conn.close()
