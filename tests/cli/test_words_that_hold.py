"""Words that hold: each sentence a newcomer met that was not quite true, run through Typer's
CliRunner on Monday 7 December 2026 (a week of one day so far), exact words asserted.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import time_machine

from tests.cli.conftest import MONDAY_7_DECEMBER

MON = MONDAY_7_DECEMBER


pytestmark = pytest.mark.usefixtures("on_monday_7_december")


EVERY_TYPE = ("protest", "advocacy", "interrupting", "volunteering", "voting", "training",
              "children", "money")  # fmt: skip


def _gap_sections(out: str) -> dict[str, list[str]]:
    """The report's gap headings, each with the categories listed under it."""
    found: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("Gaps: "):
            current = line[len("Gaps: ") :]
            found[current] = []
        elif current is not None and line.startswith("  ") and not line.startswith("   "):
            found[current].append(line.split()[0])
        elif current is not None and not line.strip():
            current = None
    return found


def test_a_weekly_rhythm_is_a_gap_of_this_week_in_a_month_report(run):
    """learning was logged this month (on the 1st), but its 90min/week unit is open with
    nothing done: a gap of this week, never "not yet this month"."""
    run("rhythm", "learning", "90min/week")
    run("log", "learning", "--minutes", "90", "--date", "2026-12-01")
    for activity in (*EVERY_TYPE, "listening", "yielding"):
        run("log", activity)
    out = run("report", "--month").stdout
    assert _gap_sections(out) == {"not yet this week": ["learning"]}


def test_gaps_of_several_units_stand_under_their_own_headings(run):
    run("rhythm", "learning", "90min/week")
    run("log", "learning", "--minutes", "90", "--date", "2026-12-01")
    run("log", "listening")
    run("log", "yielding")
    for activity in EVERY_TYPE[:5]:
        run("log", activity)
    sections = _gap_sections(run("report", "--month").stdout)
    assert list(sections.items()) == [  # never recorded first, then the longest since
        ("not yet this month", ["training", "children", "money"]),
        ("not yet this week", ["learning"]),
    ]


def test_a_daily_rhythm_is_a_gap_of_today(run):
    run("rhythm", "listening", "1/day")
    run("log", "listening", "--date", "yesterday")
    for activity in (*EVERY_TYPE, "learning", "yielding"):
        run("log", activity)
    out = run("report").stdout
    assert _gap_sections(out) == {"not yet today": ["listening"]}


@pytest.mark.parametrize(
    ("rhythm", "logged", "said"),
    [
        ("5/week", 5, "practice: 5 of 5 days this week"),
        ("5/week", 7, "practice: 7 of 5 days this week"),
        ("1/day", 1, "practice: 1 of 1 day today"),
        ("3/week", 1, "practice: 1 of 3 days this week"),
    ],
)
def test_rhythm_progress_names_what_it_counts(run, rhythm, logged, said):
    run("rhythm", "practice", rhythm)
    days = ("today", "yesterday", "2 days ago", "3 days ago", "4 days ago", "5 days ago",
            "6 days ago")  # fmt: skip
    with time_machine.travel(datetime(2026, 12, 13, 12, 0, tzinfo=timezone.utc), tick=False):
        for day in reversed(days[1:logged]):
            run("log", "listening", "--date", day)
        out = run("log", "listening").stdout if logged else ""
    if rhythm == "1/day":
        with time_machine.travel(MON, tick=False):
            out = run("log", "protest").stdout
    assert said in out, out


def test_a_minutes_rhythm_says_minutes(run):
    run("rhythm", "learning", "90min/week")
    out = run("log", "learning", "--minutes", "30").stdout
    assert "learning: 30 of 90 min this week" in out


def test_the_rhythm_table_counts_days_too(run):
    run("rhythm", "listening", "3/week")
    run("log", "listening")
    table = run("rhythm", "listening").stdout
    assert "1 of 3 days" in table


def test_a_past_unit_of_another_year_carries_its_year(run):
    out = run("log", "listening", "--date", "2025-12-01").stdout
    assert "listening: 1 of 1 day in the week of Mon 1 Dec 2025" in out
    assert "Mon 1 Dec " in out and "Mon 1 Dec;" not in out and "Mon 1 Dec." not in out


def test_a_report_of_last_year_names_its_days_with_their_year(run):
    run("log", "listening", "--date", "2025-06-02")
    for activity in (*EVERY_TYPE, "learning", "yielding"):
        run("log", activity, "--date", "2025-12-02")
    out = run("report", "--since", "2025-12-01", "--until", "2025-12-07").stdout
    assert _gap_sections(out) == {
        "unrecorded in the week of Mon 1 Dec 2025": ["listening"],
        "unrecorded on Sun 7 Dec 2025": ["practice"],  # 1/day: the as-of day had none
    }
    out = " ".join(out.split())
    assert "Streak on Sun 7 Dec 2025:" in out
    assert "last logged Mon 2 Jun 2025, 188 days before Sun 7 Dec 2025" in out


def test_the_calendar_counts_only_the_paused_days_it_draws(run):
    run("log", "protest")
    run("pause", "--since", "2026-12-21", "--until", "2026-12-27")  # after today: blank
    out = run("calendar").stdout
    assert "Paused:" not in out
    run("pause", "--since", "2026-12-01", "--until", "2026-12-03")
    out = run("calendar").stdout
    assert "Paused: 3 days, neither breaking nor extending the streak." in out


def test_an_unknown_activity_is_one_short_line(run):
    result = run("log", "protset", ok=False)
    assert result.exit_code == 2
    assert result.stderr == (
        "ally: No activity 'protset'. Did you mean 'protest'? `ally log --help` lists them.\n"
    )
