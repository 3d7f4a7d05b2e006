"""`ally rhythm`, `ally pause`, and rhythms in `ally log`, `ally report`, export and import,
through Typer's CliRunner against a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import time_machine

from allycli.core.objects import rhythm_id
from allycli.core.rhythms import CATEGORIES

WED = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(WED, tick=False):
        yield


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("command", ["rhythm", "pause"])
def test_help_has_an_example(run, command):
    out = run(command, "--help").stdout
    assert "Usage: ally " + command in out
    assert "Example" in out


def test_rhythm_json_on_an_empty_journal_lists_every_category_with_defaults(run):
    found = json.loads(run("rhythm", "--json").stdout)
    assert [v["category"] for v in found] == list(CATEGORIES)
    assert [v["kind"] for v in found] == ["practice"] + ["pillar"] * 4 + ["action_type"] * 8
    assert [v["rhythm"] for v in found] == ["1/day"] + ["1/week"] * 4 + [None] * 8
    assert found[0] == {
        "category": "practice",
        "kind": "practice",
        "rhythm": "1/day",
        "unit": {"start": "2026-11-25", "end": "2026-11-25", "state": "open", "done": 0,
                 "needed": 1},
        "streak": {"current": 0, "longest": 0},
        "momentum": 0.0,
    }  # fmt: skip
    assert found[1]["unit"] == {
        "start": "2026-11-23", "end": "2026-11-29", "state": "open", "done": 0, "needed": 1
    }  # fmt: skip
    assert found[5] == {"category": "protest", "kind": "action_type", "rhythm": None,
                        "unit": None, "streak": None, "momentum": None}  # fmt: skip


def test_setting_rhythms_stores_the_canonical_spec(run, db_path):
    assert run("rhythm", "listen", "3/WEEK").stdout == "listening: 3/week (was 1/week).\n"
    out = run("rhythm", "donate", "1 / month").stdout
    assert out == "money: 1/month (was default: a gap when absent).\n"
    out = run("rhythm", "vote", "off").stdout
    assert out == "voting: off, never a gap (was default: a gap when absent).\n"
    assert "already has that rhythm" in run("rhythm", "listening", "3/week").stdout
    assert sorted(rows(db_path, "SELECT category, spec, id FROM rhythm")) == [
        ("listening", "3/week", rhythm_id("listening")),
        ("money", "1/month", rhythm_id("money")),
        ("voting", "off", rhythm_id("voting")),
    ]
    found = {v["category"]: v for v in json.loads(run("rhythm", "--json").stdout)}
    assert found["voting"]["rhythm"] == "off" and found["voting"]["unit"] is None
    assert found["money"]["unit"]["start"] == "2026-11-01"


def test_default_deletes_the_row_and_leaves_a_tombstone(run, db_path):
    run("rhythm", "listening", "2/week")
    assert run("rhythm", "listening", "default").stdout == "listening: 1/week (was 2/week).\n"
    assert rows(db_path, "SELECT * FROM rhythm") == []
    assert rows(db_path, "SELECT id, kind, deleted_at FROM tombstone") == [
        (rhythm_id("listening"), "rhythm", "2026-11-25T12:00:00.000000+00:00")
    ]
    run("rhythm", "listening", "2/week")  # set again: the live row replaces the tombstone
    assert rows(db_path, "SELECT * FROM tombstone") == []


def test_rhythm_ids_are_fixed_forever():
    """UUID5 in a fixed namespace: two machines that set money's rhythm agree on its id."""
    import uuid

    assert rhythm_id("money") == str(
        uuid.uuid5(uuid.UUID("7d4c1f5e-2b8a-5e3c-9a61-0f2d8b4e6a17"), "money")
    )
    assert rhythm_id("money") != rhythm_id("voting")


def test_log_confirms_each_touched_units_progress(run):
    run("rhythm", "listening", "3/week")
    run("log", "listening", "--date", "monday")
    out = run("log", "listening").stdout
    assert "practice: 1 of 1 day today; listening: 2 of 3 days this week." in out
    out = run("log", "donate", "--minutes", "20").stdout
    assert "action: 1 of 1 day this week" in out
    assert "money" not in out.split("minutes.")[-1]  # money has no rhythm: nothing to say
    run("rhythm", "money", "60min/month")
    out = run("log", "donate", "--minutes", "15").stdout
    assert "money: 35 of 60 min this month" in out


def test_pause_add_list_end_and_cancel(run, db_path):
    out = run("pause", "yielding", "listen", "--since", "2026-11-23", "--until", "2026-11-29",
              "--note", "family visit").stdout  # fmt: skip
    assert out.startswith("Paused listening, yielding from Mon 23 Nov to Sun 29 Nov (7 days)")
    run("pause", "--since", "2026-12-21", "--until", "2026-12-27")
    listed = json.loads(run("pause", "--list", "--json").stdout)
    assert [(p["since"], p["until"], p["categories"], p["note"]) for p in listed] == [
        ("2026-11-23", "2026-11-29", ["listening", "yielding"], "family visit"),
        ("2026-12-21", "2026-12-27", None, None),
    ]
    assert set(listed[0]) == {"id", "kind", "since", "until", "categories", "note",
                              "created_at", "updated_at"}  # fmt: skip
    assert listed[0]["kind"] == "pause"
    first, second = listed[0]["id"], listed[1]["id"]
    out = run("pause", "--end", first[:8]).stdout
    assert "rested Mon 23 Nov to Tue 24 Nov (2 days)" in out
    assert rows(db_path, f"SELECT until, updated_at FROM pause WHERE id = '{first}'") == [
        ("2026-11-24", "2026-11-25T12:00:00.000000+00:00")
    ]
    ahead = run("pause", "--end", second[:8], ok=False)
    assert ahead.exit_code == 2 and "would leave no day of it" in ahead.stderr
    assert "Cancelled the pause" in run("pause", "--cancel", second).stdout
    assert rows(db_path, "SELECT id, kind FROM tombstone") == [(second, "pause")]
    assert "Mon 23 Nov" in run("pause", "--list").stdout  # days named as everywhere on a terminal


def test_done_when_monthly_donation_met_a_week_of_rest_paused_streaks_survive(run):
    """The issue's closing scenario, through the commands a person types."""
    run("rhythm", "money", "1/month")
    for day in ("2026-08-03", "2026-09-03", "2026-10-03", "2026-11-03"):
        run("log", "donate", "--date", day)
    for day in ("2026-11-02", "2026-11-09", "2026-11-24"):
        run("log", "listening", "--date", day)
    run("pause", "--since", "2026-11-16", "--until", "2026-11-22", "--note", "rest")
    report = json.loads(run("report", "--json").stdout)
    rhythms = {r["category"]: r for r in report["rhythms"]}
    assert [r["category"] for r in report["rhythms"]] == [
        "practice", "action", "listening", "learning", "yielding", "money"
    ]  # fmt: skip
    assert rhythms["money"]["unit"]["state"] == "met"
    assert rhythms["money"]["streak"] == {"current": 4, "longest": 4}
    assert rhythms["listening"]["unit"]["state"] == "met"
    assert rhythms["listening"]["streak"] == {"current": 3, "longest": 3}  # over the pause
    assert [p["note"] for p in report["pauses"]] == []  # the pause is before this week
    last_week = json.loads(
        run("report", "--json", "--since", "2026-11-16", "--until", "2026-11-22").stdout
    )
    listening = next(r for r in last_week["rhythms"] if r["category"] == "listening")
    assert listening["unit"]["state"] == "paused"
    assert [p["note"] for p in last_week["pauses"]] == ["rest"]
    assert last_week["gaps"] == []  # everything rested on its last day
    assert 0.0 < rhythms["money"]["momentum"] < 1.0


def test_report_json_gains_minutes_and_keeps_daily_streaks_over_pauses(run):
    run("log", "protest", "--date", "2026-11-20", "--minutes", "90")
    run("log", "listening", "--date", "2026-11-23", "--minutes", "15")
    run("log", "listening", "--date", "yesterday", "--minutes", "10")
    run("pause", "--since", "2026-11-21", "--until", "2026-11-22")
    report = json.loads(run("report", "--json").stdout)
    assert report["minutes_by_pillar"] == {"action": 0, "listening": 25, "learning": 0,
                                           "yielding": 0}  # fmt: skip
    assert report["minutes_by_action_type"]["protest"] == 0  # before this week
    assert sum(report["minutes_by_action_type"].values()) == 0
    assert report["streak"] == {"current": 3, "longest": 3}  # 20, paused 21-22, 23, 24 Nov
    assert report["pillar_streaks"]["listening"] == {"current": 2, "longest": 2}


def test_gaps_follow_rhythms(run):
    run("rhythm", "voting", "off")
    run("rhythm", "money", "1/month")
    run("log", "donate", "--date", "2026-11-03")
    run("log", "listening")
    run("pause", "yielding", "--since", "2026-11-20", "--until", "2026-11-30")
    report = json.loads(run("report", "--json").stdout)
    gaps = [(g["kind"], g["category"]) for g in report["gaps"]]
    assert ("action_type", "voting") not in gaps  # off
    assert ("pillar", "yielding") not in gaps  # paused on the as-of day
    assert ("action_type", "money") not in gaps  # a monthly rhythm, met this month
    assert ("pillar", "action") in gaps  # 1/week, open with nothing done this week
    assert ("pillar", "listening") not in gaps
    assert ("practice", "practice") not in gaps  # practiced today
    assert gaps[0] == ("pillar", "learning")  # never recorded comes first
    assert ("action_type", "protest") in gaps  # no rhythm: absent from the period


def test_rendered_report_shows_rhythms_instead_of_pillar_streak_columns(run):
    run("rhythm", "money", "1/month")
    run("log", "donate")
    out = run("report").stdout
    assert "Rhythms" in out
    assert "money       1/month   met" in out
    assert "Current" not in out.split("Rhythms")[0]  # no per-pillar daily streak columns
    assert "%" in out
    assert "and 5 more" in out  # 10 gaps: the five most neglected are named


def test_export_and_import_carry_rhythms_and_pauses(run, isolated, monkeypatch):
    run("rhythm", "money", "1/month")
    run("rhythm", "voting", "off")
    run("log", "listening")
    run("pause", "protest", "--since", "2026-12-01", "--until", "2026-12-03", "--note", "trip")
    exported = run("export").stdout.splitlines()
    objects = [json.loads(line) for line in exported]
    assert [o["kind"] for o in objects] == ["practice", "rhythm", "rhythm", "pause"]
    assert objects[1] == {"id": rhythm_id("voting"), "kind": "rhythm", "category": "voting",
                          "rhythm": "off", "updated_at": objects[1]["updated_at"]}  # fmt: skip
    assert objects[3]["categories"] == ["protest"]
    (isolated / "all.jsonl").write_text("\n".join(exported) + "\n", encoding="utf-8")
    monkeypatch.setenv("ALLY_DB", str(isolated / "other.db"))
    out = run("import", str(isolated / "all.jsonl")).stdout
    assert out.startswith("Imported 1 entry")
    assert out.endswith("; rhythms: 2 added; pauses: 1 added.\n")  # counted apart
    assert run("export").stdout.splitlines() == exported
    again = run("import", str(isolated / "all.jsonl")).stdout
    assert again.startswith("Imported 0 entries") and "1 already present" in again
    assert again.endswith("; rhythms: 2 already present; pauses: 1 already present.\n")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ({"id": rhythm_id("money"), "kind": "rhythm", "category": "money", "rhythm": "1/wek",
          "updated_at": "2026-11-25T12:00:00+00:00"}, "'rhythm' must be off or a spec"),
        ({"id": rhythm_id("voting"), "kind": "rhythm", "category": "money", "rhythm": "1/week",
          "updated_at": "2026-11-25T12:00:00+00:00"}, "derived from its category"),
        ({"id": "aaaa0000-0000-4000-8000-000000000009", "kind": "pause", "since": "2026-12-02",
          "until": "2026-12-01", "categories": None, "note": None,
          "created_at": "2026-11-25T12:00:00+00:00", "updated_at": "2026-11-25T12:00:00+00:00"},
         "'until' comes before 'since'"),
        ({"id": "aaaa0000-0000-4000-8000-000000000009", "kind": "pause", "since": "2026-12-01",
          "until": "2026-12-02", "categories": ["Sleeping!"], "note": None,
          "created_at": "2026-11-25T12:00:00+00:00", "updated_at": "2026-11-25T12:00:00+00:00"},
         "'categories' must be null or a list"),
        # a word that could name a type of one's own, which neither file nor journal defines
        ({"id": "aaaa0000-0000-4000-8000-000000000009", "kind": "pause", "since": "2026-12-01",
          "until": "2026-12-02", "categories": ["sleeping"], "note": None,
          "created_at": "2026-11-25T12:00:00+00:00", "updated_at": "2026-11-25T12:00:00+00:00"},
         "the action type 'sleeping' is not built in"),
    ],
)  # fmt: skip
def test_import_refuses_bad_objects_whole(run, isolated, line, words):
    path = isolated / "bad.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = run("import", str(path), ok=False)
    assert result.exit_code == 1
    assert words in result.stderr and "line 1" in result.stderr


def test_paused_days_for_pictures(run):
    from allycli.journal import rhythms as rhythm_cases
    from allycli.shell import session

    run("log", "protest", "--date", "2026-11-21")
    run("pause", "action", "--since", "2026-11-20", "--until", "2026-11-22")
    ctx = session.context()
    assert rhythm_cases.paused_days(ctx, "action", date(2026, 11, 1), date(2026, 11, 30)) == [
        date(2026, 11, 20), date(2026, 11, 22)
    ]  # fmt: skip
    assert rhythm_cases.paused_days(ctx, "protest", date(2026, 11, 1), date(2026, 11, 30)) == []


def test_a_refused_rhythm_or_pause_is_kept_as_a_draft_that_import_adds(run, isolated, monkeypatch):
    (isolated / "list.txt").write_text("a shopping list, not a database\n", encoding="utf-8")
    monkeypatch.setenv("ALLY_DB", str(isolated / "list.txt"))
    for args, what in ((("rhythm", "money", "1/month"), "rhythm"),
                       (("pause", "--since", "today", "--until", "today"), "pause")):  # fmt: skip
        result = run(*args, ok=False)
        assert result.exit_code == 1
        assert f"your {what} was kept in" in result.stderr
    drafts = sorted((isolated / "drafts").iterdir())
    assert len(drafts) == 2
    monkeypatch.setenv("ALLY_DB", str(isolated / "fresh.db"))
    for draft in drafts:
        run("import", str(draft))
    assert json.loads(run("rhythm", "money", "--json").stdout)[0]["rhythm"] == "1/month"
    assert len(json.loads(run("pause", "--list", "--json").stdout)) == 1


def test_rest_is_spoken_of_as_rest(run):
    """Rest is part of a practice that lasts, not a way to protect streaks."""
    help_text = " ".join(run("pause", "--help").stdout.split())
    assert (
        "a paused day is never a gap, and streaks and momentum wait for you. Rest is part of "
        "a practice that lasts."
    ) in help_text
    assert "losing streaks" not in help_text
    summary = " ".join(run("--help").stdout.split())
    assert "pause Pause categories (or all of them) from one day to another" in summary
    out = " ".join(run("pause", "--since", "2026-11-23", "--until", "2026-11-29").stdout.split())
    assert out.endswith(
        "Rest is part of a practice that lasts: paused days are no gap, and streaks and "
        "momentum wait for you."
    )


def test_a_category_without_a_rhythm_says_what_that_does(run):
    assert run("rhythm", "vote", "off").stdout == (
        "voting: off, never a gap (was default: a gap when absent).\n"
    )
    assert run("rhythm", "vote", "default").stdout == (
        "voting: default: a gap when absent from a report's period (was off).\n"
    )
    table = run("rhythm").stdout
    assert "none" not in table
    assert " ".join(table.split()).endswith("Default: a gap when absent from a report's period.")
    [money] = [v for v in json.loads(run("rhythm", "--json").stdout) if v["category"] == "money"]
    assert money["rhythm"] is None  # JSON keeps null
