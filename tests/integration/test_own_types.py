"""Action types of one's own, as a person uses them: through the real `ally` executable on a
real journal (add, log by name, alias and prefix, report, gaps, rhythm, pause, rename,
retire, undo, export into a fresh journal), and the name rules through the CLI in process."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from .helpers import ally, ally_in_process, cli_env, ok, one_line_error


def _json(result: object) -> object:
    return json.loads(ok(result).stdout)  # type: ignore[arg-type]


def test_an_own_type_through_its_whole_life(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    out = ok(ally(env, "type", "add", "mutual-aid", "--pillar", "action",
                  "--about", "food, rides, rent", "--alias", "aid")).stdout  # fmt: skip
    assert out.startswith("Added the action type mutual-aid (also: aid), in the pillar action.")
    # by name, by alias, by a prefix only it has
    for word in ("mutual-aid", "aid", "mutu"):
        said = ok(ally(env, "log", word, "--minutes", "30")).stdout
        assert said.startswith("Logged mutual-aid (action) for today"), said
    # a built-in prefix keeps naming the built-in type
    assert ok(ally(env, "log", "pro")).stdout.startswith("Logged protest (action)")
    ok(ally(env, "rhythm", "mutual-aid", "5/week"))
    ok(ally(env, "type", "add", "land-back", "--pillar", "learning"))
    ok(ally(env, "pause", "land-back", "--since", "today", "--until", "today"))

    report = _json(ally(env, "report", "--json"))
    assert isinstance(report, dict)
    assert list(report["by_action_type"])[-2:] == ["land-back", "mutual-aid"]  # after built-ins
    assert list(report["by_action_type"])[:8] == ["protest", "advocacy", "interrupting",
        "volunteering", "voting", "training", "children", "money"]  # fmt: skip
    assert report["by_action_type"]["mutual-aid"] == 3
    assert report["minutes_by_action_type"]["mutual-aid"] == 90
    rhythms = {r["category"]: r for r in report["rhythms"]}
    assert rhythms["mutual-aid"]["unit"]["done"] == 1 and rhythms["mutual-aid"]["kind"] == (
        "action_type"
    )
    assert report["pauses"][0]["categories"] == ["land-back"]
    gaps = [g["category"] for g in report["gaps"]]
    assert "land-back" not in gaps  # paused today
    text = ok(ally(env, "report")).stdout
    assert "mutual-aid (own)" in text and "own: a type you added" in text

    # rename: every view shows the new name; the old one still logs
    said = ok(ally(env, "type", "rename", "mutual-aid", "solidarity")).stdout
    assert said.startswith("Renamed the action type mutual-aid -> solidarity")
    assert ok(ally(env, "log", "mutual-aid")).stdout.startswith("Logged solidarity (action)")
    listed = _json(ally(env, "list", "--type", "solid", "--json"))
    assert isinstance(listed, list) and {e["action_type"] for e in listed} == {"solidarity"}
    assert len(listed) == 4
    rhythm = _json(ally(env, "rhythm", "--json"))
    assert isinstance(rhythm, list) and rhythm[-1]["category"] == "solidarity"
    report = _json(ally(env, "report", "--json"))
    assert isinstance(report, dict) and report["by_action_type"]["solidarity"] == 4
    assert "mutual-aid" not in report["by_action_type"]

    # retire: no new entries, no gap, no rhythm; history stays; undo brings it back
    ok(ally(env, "type", "retire", "solidarity"))
    refused = one_line_error(ally(env, "log", "aid"), 2)
    assert "retired" in refused and "ally type retire --undo solidarity" in refused
    report = _json(ally(env, "report", "--json"))
    assert isinstance(report, dict)
    assert report["by_action_type"]["solidarity"] == 4  # the period holds its entries
    assert "solidarity" not in [g["category"] for g in report["gaps"]]
    assert "solidarity" not in [r["category"] for r in report["rhythms"]]
    last_week = _json(ally(env, "report", "--json", "--since", "8 days ago", "--until",
                           "7 days ago"))  # fmt: skip
    assert isinstance(last_week, dict) and "solidarity" not in last_week["by_action_type"]
    assert "land-back" in [g["category"] for g in last_week["gaps"]]  # active: still a gap
    assert "solidarity" not in [g["category"] for g in last_week["gaps"]]
    types = _json(ally(env, "type", "list", "--json"))
    assert isinstance(types, list)
    mine = {t["name"]: t for t in types if t["own"]}
    assert mine["solidarity"]["state"] == "retired" and mine["solidarity"]["entries"] == 4
    assert mine["solidarity"]["key"] == "mutual-aid"
    assert "retired: a type of your own" in ok(ally(env, "type", "list")).stdout
    ok(ally(env, "type", "retire", "--undo", "solidarity"))
    assert ok(ally(env, "log", "aid")).stdout.startswith("Logged solidarity (action)")

    # export, then import into a fresh journal: one type, every entry under its name
    exported = ok(ally(env, "export")).stdout
    lines = [json.loads(line) for line in exported.splitlines()]
    assert [o["kind"] for o in lines[:2]] == ["action_type", "action_type"]  # before entries
    assert lines[1]["key"] == "mutual-aid" and lines[1]["name"] == "solidarity"
    (tmp_path / "all.jsonl").write_text(exported, encoding="utf-8")
    fresh = cli_env(tmp_path, tmp_path / "fresh.db")
    said = ok(ally(fresh, "import", str(tmp_path / "all.jsonl"))).stdout
    assert "action types: 2 added" in said
    assert ok(ally(fresh, "export")).stdout == exported


def test_an_entry_naming_an_unknown_type_is_refused_with_its_line(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    entry = {"id": "0000aa02-0000-4000-8000-000000000001", "kind": "practice",
             "date": "2026-11-24", "created_at": "2026-11-24T10:00:00+00:00",
             "pillar": "action", "action_type": "mutual-aid", "note": None,
             "minutes": None}  # fmt: skip
    old = dict(entry, id="0000aa02-0000-4000-8000-000000000002", action_type="learning")
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(old) + "\n" + json.dumps(entry) + "\n", encoding="utf-8")
    error = one_line_error(ally_in_process(env, "import", str(path)), 1)
    assert "line 2: the action type 'mutual-aid' is not built in" in error
    assert (
        not (tmp_path / "ally.db").exists()
        or ok(ally_in_process(env, "list", "--json")).stdout.strip() == "[]"
    )
    # once the journal knows the type, the same file imports (an older export: unchanged)
    ok(ally_in_process(env, "type", "add", "mutual-aid", "--pillar", "action"))
    assert "Imported 2 entries" in ok(ally_in_process(env, "import", str(path))).stdout
    found = json.loads(ok(ally_in_process(env, "list", "--json")).stdout)
    assert sorted(e["action_type"] for e in found) == ["mutual-aid", "training"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["protest"], "'protest' is a built-in action type"),
        (["listening"], "'listening' is a pillar"),
        (["vote"], "'vote' is already a word for voting"),
        (["practice"], "'practice' is reserved"),
        (["none"], "'none' is reserved"),
        (["all"], "'all' is reserved"),
        (["Mutual"], "2 to 32 lower-case letters"),
        (["x"], "2 to 32 lower-case letters"),
        (["a" * 33], "2 to 32 lower-case letters"),
        (["1st"], "2 to 32 lower-case letters"),
        (["vol"], "'vol' is the start of volunteering"),
        (["mutual-aid"], "'mutual-aid' is already the name of your type"),
        (["care", "--alias", "aid"], "'aid' is already a word for your type mutual-aid"),
        (["care", "--alias", "donate"], "'donate' is already a word for money"),
    ],
)
def test_names_are_checked_and_the_clash_is_named(
    tmp_path: Path, args: list[str], words: str
) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    ok(ally_in_process(env, "type", "add", "mutual-aid", "--pillar", "action", "--alias", "aid"))
    error = one_line_error(ally_in_process(env, "type", "add", *args, "--pillar", "action"), 2)
    assert words in error
    types = json.loads(ok(ally_in_process(env, "type", "list", "--json")).stdout)
    assert [t["name"] for t in types if t["own"]] == ["mutual-aid"]  # nothing was added


def test_built_in_types_and_pillars_cannot_be_renamed_or_retired(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    for args in (["rename", "protest", "protests"], ["retire", "voting"],
                 ["rename", "listening", "hearing"], ["retire", "--undo", "vote"]):  # fmt: skip
        error = one_line_error(ally_in_process(env, "type", *args), 2)
        assert "cannot be renamed or retired" in error


def test_a_prefix_shared_only_by_own_types_is_refused_with_the_candidates(
    tmp_path: Path,
) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    ok(ally_in_process(env, "type", "add", "land-back", "--pillar", "action"))
    ok(ally_in_process(env, "type", "add", "language-justice", "--pillar", "action"))
    error = one_line_error(ally_in_process(env, "log", "la"), 2)
    assert "could be land-back or language-justice" in error
    assert ok(ally_in_process(env, "log", "lang")).stdout.startswith("Logged language-justice")


def test_at_most_64_own_types_are_added(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    from allycli.core.taxonomy import OwnType
    from allycli.store import types as type_store
    from allycli.store.database import Store

    with Store(tmp_path / "ally.db").writing() as conn:
        for n in range(64):
            type_store.put(conn, OwnType(f"kind-{n:02d}", f"kind-{n:02d}", "action",
                                         updated_at="2026-11-24T10:00:00+00:00"))  # fmt: skip
    error = one_line_error(ally_in_process(env, "type", "add", "one-more", "--pillar", "action"), 2)
    assert "at most 64 action types of one's own" in error


def test_a_rename_rewrites_no_entry(tmp_path: Path) -> None:
    """The entries keep the key: their updated_at and rows are untouched by a rename."""
    env = cli_env(tmp_path, tmp_path / "ally.db")
    ok(ally_in_process(env, "type", "add", "mutual-aid", "--pillar", "action"))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    ok(ally_in_process(env, "log", "mutual-aid", "--date", yesterday))
    import sqlite3

    def rows() -> list[tuple[object, ...]]:
        with sqlite3.connect(tmp_path / "ally.db") as conn:
            return conn.execute("SELECT * FROM entry").fetchall()

    before = rows()
    ok(ally_in_process(env, "type", "rename", "mutual-aid", "care"))
    assert rows() == before and before[0][5] == "mutual-aid"


PROMPTS = """\
prompts:
  - id: mine-aid-01
    kind: reflection
    pillar: action
    action_type: aid
    text: What did the people you drove ask of you, and what did you offer instead?
  - id: mine-aid-02
    kind: learning
    pillar: action
    action_type: mutual-aid
    text: Read how a mutual aid network near you decides who gets what.
  - id: mine-land-01
    kind: reflection
    pillar: learning
    action_type: land-back
    text: Whose land is this, and what do they ask of the people who live on it now?
"""

EVERY_BUILT_IN = ("practice", "action", "listening", "learning", "yielding", "protest",
                  "advocacy", "interrupting", "volunteering", "voting", "training", "children",
                  "money")  # fmt: skip


def test_a_prompts_file_may_tag_own_types_and_an_unknown_one_is_left_aside(
    tmp_path: Path,
) -> None:
    (tmp_path / "mine.yaml").write_text(PROMPTS, encoding="utf-8")
    env = cli_env(tmp_path, tmp_path / "ally.db", ALLY_PROMPTS=str(tmp_path / "mine.yaml"))
    ok(ally_in_process(env, "type", "add", "mutual-aid", "--pillar", "action", "--alias", "aid"))
    listed = ok(ally_in_process(env, "reflect", "--prompts", "--type", "mutual-aid"))
    assert "mine-aid-01" in listed.stdout and "mine-aid-02" in listed.stdout
    assert "mine-land-01" not in listed.stdout
    (warning,) = listed.stderr.splitlines()
    assert warning.startswith("ally: warning: The prompts file ")
    assert "mine.yaml, item 3: no action type is named 'land-back'" in warning
    # the report's learning prompt for an own type's gap: the one that names it
    for category in EVERY_BUILT_IN:
        ok(ally_in_process(env, "rhythm", category, "off"))
    report = json.loads(ok(ally_in_process(env, "report", "--json")).stdout)
    assert [g["category"] for g in report["gaps"]] == ["mutual-aid"]
    assert [p["id"] for p in report["prompts"]] == ["mine-aid-02"]


def test_an_own_type_without_prompts_gets_its_pillars_learning_prompts(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    ok(ally_in_process(env, "type", "add", "land-back", "--pillar", "learning"))
    for category in EVERY_BUILT_IN:
        ok(ally_in_process(env, "rhythm", category, "off"))
    report = json.loads(ok(ally_in_process(env, "report", "--json")).stdout)
    assert [g["category"] for g in report["gaps"]] == ["land-back"]
    (prompt,) = report["prompts"]
    assert prompt["pillar"] == "learning" and prompt["action_type"] is None
    ok(ally_in_process(env, "reflect", "--answer", "An answer."))  # a journal, not empty
    text = ok(ally_in_process(env, "report")).stdout
    assert "land-back  own type" in text


def test_edit_calendar_search_and_export_take_own_types(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    ok(ally_in_process(env, "type", "add", "land-back", "--pillar", "learning", "--alias", "lb"))
    ok(ally_in_process(env, "log", "protest", "--note", "Zanzibarquux rally"))
    (entry,) = json.loads(ok(ally_in_process(env, "list", "--json")).stdout)
    said = ok(ally_in_process(env, "edit", entry["id"][:8], "--type", "lb")).stdout
    assert "land-back" in said
    (edited,) = json.loads(ok(ally_in_process(env, "list", "--json")).stdout)
    assert (edited["action_type"], edited["pillar"]) == ("land-back", "learning")  # its pillar
    found = json.loads(ok(ally_in_process(env, "search", "zanzibarquux", "--type", "land",
                                          "--json")).stdout)  # fmt: skip
    assert [e["id"] for e in found] == [entry["id"]]
    calendar = ok(ally_in_process(env, "calendar", "--type", "land-back")).stdout
    assert calendar.startswith("Practice: land-back in ") and ", 1 entry." in calendar
    exported = ok(ally_in_process(env, "export", "--type", "land-back")).stdout.splitlines()
    assert [json.loads(line)["kind"] for line in exported] == ["action_type", "practice"]
    csv = ok(ally_in_process(env, "export", "--type", "protest", "--format", "csv")).stdout
    assert csv.splitlines()[1:] == []  # the entry is land-back now
    ok(ally_in_process(env, "type", "retire", "land-back"))
    ok(ally_in_process(env, "log", "protest"))
    (newest, _) = json.loads(ok(ally_in_process(env, "list", "--json")).stdout)
    refused = one_line_error(ally_in_process(env, "edit", newest["id"][:8], "--type", "lb"), 2)
    assert "retired" in refused


def test_a_salvage_carries_own_types_so_its_file_imports(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    ok(ally_in_process(env, "type", "add", "mutual-aid", "--pillar", "action"))
    ok(ally_in_process(env, "type", "rename", "mutual-aid", "solidarity"))
    ok(ally_in_process(env, "log", "solidarity"))
    said = ok(ally_in_process(env, "export", "--salvage", "--output", str(tmp_path / "s.jsonl")))
    assert "1 action type" in said.stdout + said.stderr
    fresh = cli_env(tmp_path, tmp_path / "fresh.db")
    ok(ally_in_process(fresh, "import", str(tmp_path / "s.jsonl")))
    (entry,) = json.loads(ok(ally_in_process(fresh, "list", "--json")).stdout)
    assert entry["action_type"] == "solidarity"
