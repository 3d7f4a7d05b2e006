"""Every sentence ally prints is true of the data it shows.

Each test is one untrue sentence that ally used to print, run through Typer's CliRunner on a
Monday, 7 December 2026, with exact words asserted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from allycli.shell import terminal as shell
from tests.cli.conftest import MONDAY_7_DECEMBER

MON = MONDAY_7_DECEMBER


pytestmark = pytest.mark.usefixtures("on_monday_7_december")


EVERY_OTHER = ("protest", "advocacy", "interrupting", "volunteering", "voting", "training",
               "children", "money", "listening", "yielding")  # fmt: skip


def _id(run, *filters: str) -> str:
    return json.loads(run("list", "--json", *filters).stdout)[0]["id"]


# -- the report ---------------------------------------------------------------------------


def test_a_report_paused_on_its_last_day_says_so_and_never_that_categories_have_entries(run):
    run("log", "protest")
    run("pause", "--since", "3 days ago", "--until", "today")
    out = run("report", "--month").stdout
    assert "Paused on Mon 7 Dec: nothing is counted as a gap." in out
    assert "has entries" not in out and "have entries" not in out
    assert "every rhythm is met" not in out


def test_a_report_without_gaps_says_which_categories_have_entries_only_when_they_do(run):
    for activity in (*EVERY_OTHER, "learning"):
        run("log", activity)
    out = run("report").stdout
    assert "No gaps: every rhythm is met or under way, and every other category has " \
           "entries in this period." in " ".join(out.split())  # fmt: skip
    run("delete", _id(run, "--type", "money"), "--yes")
    run("rhythm", "money", "off")
    out = " ".join(run("report").stdout.split())
    assert "No gaps: every rhythm is met or under way, and every other category has " \
           "entries in this period or is off (money)." in out  # fmt: skip


def test_a_report_names_a_paused_category_that_has_no_entries(run):
    for activity in ("protest", "advocacy", "interrupting", "volunteering", "training",
                     "children", "money", "listening", "yielding", "learning"):  # fmt: skip
        run("log", activity)
    run("pause", "voting", "--since", "today", "--until", "today")
    out = " ".join(run("report").stdout.split())
    assert "every other category has entries in this period or is paused on Mon 7 Dec " \
           "(voting)." in out  # fmt: skip


def test_a_minutes_rhythm_that_logging_does_not_move_says_why(run):
    run("rhythm", "learning", "90min/week")
    for activity in EVERY_OTHER:
        run("log", activity)
    out = run("log", "learning").stdout
    assert "learning: 0 of 90 min this week (logged without minutes)" in out
    report = " ".join(run("report").stdout.split())
    assert "Gaps: not yet this week learning pillar logged without minutes, last today, " \
           "Mon 7 Dec Learning prompts" in report  # fmt: skip


def test_a_need_lowered_by_a_pause_says_so(run):
    run("rhythm", "learning", "90min/week")
    run("pause", "learning", "--since", "2026-12-13", "--until", "2026-12-13")  # Sunday
    out = run("log", "learning", "--minutes", "30").stdout
    assert "learning this week: 30 of 78 min needed, 90 pro-rated for the pause." in out
    report = " ".join(run("report").stdout.split())
    assert "30 of 78 min needed, 90 pro-rated for the pause" in report


def test_momentum_of_a_rhythm_younger_than_two_units_is_new(run):
    run("log", "protest")
    rhythms = {r["category"]: r for r in json.loads(run("rhythm", "--json").stdout)}
    assert rhythms["action"]["new"] is True
    assert rhythms["action"]["momentum"] > 0  # JSON keeps the number
    assert rhythms["practice"]["new"] is True
    assert "new" not in rhythms["listening"]  # nothing counted yet: momentum is 0
    table = run("rhythm").stdout
    action = next(line for line in table.splitlines() if line.startswith("action "))
    assert action.rstrip().endswith("new") and "%" not in action
    run("log", "protest", "--date", "yesterday")
    rhythms = {r["category"]: r for r in json.loads(run("rhythm", "--json").stdout)}
    assert "new" not in rhythms["practice"]  # two days: two units of 1/day
    assert "new" not in rhythms["action"]  # Sun 6 Dec and Mon 7 Dec: two weeks
    assert "%" in next(line for line in run("rhythm").stdout.splitlines() if "action" in line)
    report = json.loads(run("report", "--json").stdout)
    assert [r.get("new") for r in report["rhythms"]][:2] == [None, None]


# -- confirmations ------------------------------------------------------------------------


def test_a_back_dated_entry_names_its_day_and_no_streak_of_zero(run):
    out = run("log", "protest", "--date", "3 days ago").stdout
    assert out == (
        "Logged protest (action) for Fri 4 Dec (3 days ago). "
        "practice: 1 of 1 day on Fri 4 Dec; action: 1 of 1 day in the week of Mon 30 Nov.\n"
    )
    assert "streak" not in out.lower()


def test_export_counts_entries_rhythms_and_pauses_apart(run, tmp_path: Path):
    run("log", "protest")
    run("log", "vote", "--date", "yesterday")
    run("reflect", "--answer", "Their plan, their timing.")
    run("rhythm", "money", "1/month")
    run("pause", "--since", "2026-12-20", "--until", "2026-12-27")
    out = run("export", "--output", str(tmp_path / "x.jsonl")).stderr
    assert out == f"Exported 3 entries, 1 rhythm and 1 pause to {tmp_path / 'x.jsonl'}.\n"


def test_edit_says_old_and_new_for_each_field(run):
    run("log", "protest", "--date", "2 days ago", "--minutes", "30", "--note", "Housing march")
    entry = _id(run)
    out = run("edit", entry[:4], "--date", "yesterday", "--minutes", "90").stdout
    assert out == (
        f"Changed the practice entry {entry[:8]}: date Sat 5 Dec -> Sun 6 Dec (yesterday); "
        "minutes 30 -> 90.\n"
    )
    out = run("edit", entry[:4], "--note", "Rent strike march", "--type", "none").stdout
    assert out == (
        f'Changed the practice entry {entry[:8]}: note "Housing march" -> '
        '"Rent strike march"; action type protest -> none.\n'
    )


def test_delete_asks_with_activity_day_and_note_start(run, monkeypatch):
    run("log", "protest", "--date", "yesterday", "--note", "Joined the housing march downtown "
        "with the tenants union and their children")  # fmt: skip
    entry = _id(run)
    monkeypatch.setattr(shell, "interactive", lambda: True)
    out = run("delete", entry[:6], input="n\n").stdout
    assert out.startswith(
        f'Delete protest (action) from yesterday, Sun 6 Dec, "Joined the housing march '
        f'downtown..." (id {entry[:8]})? It cannot be undone [y/N] '
    ), out
    assert out.endswith("Nothing was deleted.\n")


def test_reflect_another_names_the_prompt_it_answered(run):
    out = run("reflect", "--another", "--answer", "I waited until they had spoken.").stdout
    [reflection] = json.loads(run("list", "--json").stdout)
    assert out == (
        f'Reflection recorded for today, Mon 7 Dec, answering "{reflection["prompt"]}" '
        f"(prompt {reflection['prompt_id']}).\n"
    )


def test_a_second_answer_to_the_days_prompt_is_refused_and_kept_as_a_draft(run, tmp_path):
    run("reflect", "--answer", "First answer.")
    second = run("reflect", "--answer", "Second answer, kept.", ok=False)
    assert second.exit_code == 1
    assert second.stdout == ""
    assert "already answered" in second.stderr and "--another" in second.stderr
    [draft] = (tmp_path / "drafts").glob("*.jsonl")
    [kept] = [json.loads(line) for line in draft.read_text().splitlines()]
    assert kept["answer"] == "Second answer, kept."
    assert str(draft) in " ".join(second.stderr.split())
    assert len(json.loads(run("list", "--json").stdout)) == 1
    first = json.loads(run("list", "--json").stdout)[0]["prompt_id"]
    run("reflect", "--prompt", first, "--answer", "Asked for by id: never refused.")
    run("reflect", "--another", "--answer", "Another prompt: never refused.")
    assert len(json.loads(run("list", "--json").stdout)) == 3


def test_a_piped_second_answer_is_refused_too(run, tmp_path):
    run("reflect", "--answer", "First answer.")
    second = run("reflect", input="Piped second answer.\n", ok=False)
    assert second.exit_code == 1
    [draft] = (tmp_path / "drafts").glob("*.jsonl")
    assert "Piped second answer." in draft.read_text()


@pytest.mark.parametrize("word", ["tomorrow", "2026-12-08", "2027-01-01"])
@pytest.mark.parametrize("command", [("log", "vote"), ("reflect", "--answer", "x")])
def test_a_future_date_is_refused_by_name(run, command, word):
    done = run(*command, "--date", word, ok=False)
    assert done.exit_code == 2
    assert done.stderr.startswith("ally: ")
    assert "is in the future" in done.stderr and "not a date" not in done.stderr
    assert done.stderr.split("ally: ")[1].startswith(f"--date {word}")
    assert json.loads(run("list", "--json").stdout) == []


@pytest.mark.parametrize("picture", ["--svg", "--html"])
def test_json_with_a_picture_is_a_usage_error(run, tmp_path, picture):
    out = tmp_path / "x.pic"
    done = run("report", "--json", picture, str(out), ok=False)
    assert done.exit_code == 2
    assert done.stdout == ""
    assert done.stderr == f"ally: Choose --json or {picture}, not both.\n"
    assert not out.exists()
