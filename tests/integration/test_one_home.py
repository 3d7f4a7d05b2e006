"""Rules with one home, tried through the real executable as a person would.

The daily streak: the report, the calendar and `ally log` give one and the same number for
the same day. The merge rule: rhythm and pause objects merge on import as entries do, so
an old export never brings back a pause cancelled since.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from .helpers import ally, cli_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path, tmp_path / "ally.db")


def ahead(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def ok(proc):  # type: ignore[no-untyped-def]
    assert proc.returncode == 0, proc.stderr
    return proc


def calendar_streak(env: dict[str, str]) -> int:
    out = ok(ally(env, "calendar")).stdout
    found = re.search(r"Streak \(days in a row with practice\): (?:(\d+) days? now|none now)", out)
    assert found, out
    return int(found.group(1) or 0)


def test_a_missed_day_before_a_pause_ends_the_streak_everywhere(env: dict[str, str]) -> None:
    """Logged 5 days ago; nothing 4 days ago (a real missed day); paused from 3 days ago to 2
    days ahead. Release 2's calendar said "1 day now" while the report said 0."""
    ok(ally(env, "log", "protest", "--date", "5 days ago"))
    ok(ally(env, "pause", "--since", "3 days ago", "--until", ahead(2)))
    report = json.loads(ok(ally(env, "report", "--json")).stdout)
    assert report["streak"]["current"] == 0
    assert calendar_streak(env) == 0


def test_a_pause_bridges_the_streak_everywhere(env: dict[str, str]) -> None:
    """Logged 4 and 3 days ago, paused 2 days ago to yesterday, nothing yet today: the
    streak of 2 stands still through the pause and today (still open), in the report, the
    calendar and the next `ally log`."""
    ok(ally(env, "log", "protest", "--date", "4 days ago"))
    ok(ally(env, "log", "listening", "--date", "3 days ago"))
    ok(ally(env, "pause", "--since", "2 days ago", "--until", "yesterday"))
    report = json.loads(ok(ally(env, "report", "--json")).stdout)
    assert report["streak"]["current"] == 2
    assert calendar_streak(env) == 2
    logged = ok(ally(env, "log", "money")).stdout
    assert "Current streak: 3 days." in logged
    assert json.loads(ok(ally(env, "report", "--json")).stdout)["streak"]["current"] == 3
    assert calendar_streak(env) == 3


def test_an_old_export_does_not_bring_back_a_cancelled_pause(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok(ally(env, "pause", "--since", "today", "--until", ahead(2)))
    export = tmp_path / "old.jsonl"
    ok(ally(env, "export", "--output", str(export)))
    pause_id = json.loads(ok(ally(env, "pause", "--list", "--json")).stdout)[0]["id"]
    ok(ally(env, "pause", "--cancel", pause_id[:8]))
    ok(ally(env, "import", str(export)))
    assert json.loads(ok(ally(env, "pause", "--list", "--json")).stdout) == []


def test_an_old_export_does_not_undo_a_later_rhythm_change(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok(ally(env, "rhythm", "listening", "3/week"))
    export = tmp_path / "old.jsonl"
    ok(ally(env, "export", "--output", str(export)))
    ok(ally(env, "rhythm", "listening", "2/week"))
    ok(ally(env, "import", str(export)))
    rhythms = json.loads(ok(ally(env, "rhythm", "--json")).stdout)
    assert {r["category"]: r["rhythm"] for r in rhythms}["listening"] == "2/week"


def test_a_later_pause_in_an_export_updates_the_one_here(
    env: dict[str, str], tmp_path: Path
) -> None:
    """The other direction: an export holding a later version (ended on another machine)
    wins over the older one here."""
    ok(ally(env, "pause", "--since", "3 days ago", "--until", ahead(5)))
    pause = json.loads(ok(ally(env, "pause", "--list", "--json")).stdout)[0]
    later = dict(pause, until=pause["since"], updated_at="2099-01-01T00:00:00+00:00")
    file = tmp_path / "later.jsonl"
    file.write_text(json.dumps(later) + "\n", encoding="utf-8")
    ok(ally(env, "import", str(file)))
    (now,) = json.loads(ok(ally(env, "pause", "--list", "--json")).stdout)
    assert now["until"] == pause["since"]


def test_a_later_rhythm_in_an_export_updates_the_one_here(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok(ally(env, "rhythm", "money", "1/month"))
    file = tmp_path / "later.jsonl"
    ok(ally(env, "export", "--output", str(file)))
    (rhythm,) = [
        o
        for o in map(json.loads, file.read_text(encoding="utf-8").splitlines())
        if o["kind"] == "rhythm"
    ]
    later = dict(rhythm, rhythm="2/month", updated_at="2099-01-01T00:00:00+00:00")
    file.write_text(json.dumps(later) + "\n", encoding="utf-8")
    ok(ally(env, "import", str(file)))
    rhythms = json.loads(ok(ally(env, "rhythm", "--json")).stdout)
    assert {r["category"]: r["rhythm"] for r in rhythms}["money"] == "2/month"
