"""Every command through Typer's CliRunner: exit codes, stdout and stderr separately."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
import time_machine

from allycli import __version__
from allycli.store import promptfiles

WED = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(WED, tick=False):
        yield


def test_version(run):
    assert run("--version").stdout == f"ally {__version__}\n"


@pytest.mark.parametrize(
    "command", ["log", "reflect", "report", "list", "delete", "export", "import", "backup",
                "doctor"]
)  # fmt: skip
def test_every_command_has_help_with_an_example(run, command):
    out = run(command, "--help").stdout
    assert "Usage: ally " + command in out
    assert "Example" in out


def test_log_confirms_with_streak(run, export):
    out = run("log", "protest", "--note", "Joined the housing march").stdout
    assert "protest" in out and "action" in out
    assert "streak" in out.lower()
    [entry] = export()
    assert entry["kind"] == "practice"
    assert (entry["pillar"], entry["action_type"], entry["date"]) == (
        "action",
        "protest",
        "2026-11-25",
    )
    assert entry["note"] == "Joined the housing march"
    assert entry["minutes"] is None
    assert entry["created_at"].endswith("+00:00")


@pytest.mark.parametrize(
    ("word", "pillar", "action_type"),
    [
        ("vote", "action", "voting"),
        ("donate", "action", "money"),
        ("kids", "action", "children"),
        ("interrupt", "action", "interrupting"),
        ("rally", "action", "protest"),
        ("volunteer", "action", "volunteering"),
        ("adv", "action", "advocacy"),
        ("learning", "learning", None),
        ("workshop", "learning", "training"),
        ("listening", "listening", None),
        ("yield", "yielding", None),
    ],
)
def test_log_resolves_aliases_and_pillars(run, export, word, pillar, action_type):
    run("log", word)
    [entry] = export()
    assert (entry["pillar"], entry["action_type"]) == (pillar, action_type)


def test_log_pillar_override_date_minutes_and_stdin_note(run, export):
    run("log", "advocacy", "-p", "listening", "-d", "monday", "--minutes", "30", "-n", "-",
        input="Shared the tenants' union zine\nline two\n")  # fmt: skip
    [entry] = export()
    assert entry["pillar"] == "listening"
    assert entry["action_type"] == "advocacy"
    assert entry["date"] == "2026-11-23"
    assert entry["minutes"] == 30
    assert entry["note"] == "Shared the tenants' union zine\nline two"


def test_streak_counts_back_from_yesterday_until_today_ends(run):
    run("log", "protest", "-d", "2 days ago")
    out = run("log", "vote", "-d", "yesterday").stdout
    assert "2 days" in out
    out = run("log", "money").stdout
    assert "3 days" in out


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["log", "sleeping"], 2, "No activity 'sleeping'"),
        (["log", "vo"], 2, "could be"),
        (["log", "protest", "-d", "2030-01-01"], 2, "future"),
        (["log", "protest", "-d", "someday"], 2, "is not a date"),
        (["log", "protest", "-p", "dancing"], 2, "No pillar"),
        (["log", "protest", "--minutes", "abc"], 2, "'ally log --help'"),
        (["log", "protest", "--bogus"], 2, "--bogus"),
        (["report", "--week", "--month"], 2, "Choose one of"),
        (["report", "--until", "today"], 2, "--until goes with --since"),
        (["report", "--since", "today", "--until", "yesterday"], 2, "after"),
        (["list", "--type", "napping"], 2, "No action type"),
        (["delete", "zz"], 2, "id"),
        (["delete", "abcdef12"], 1, "No entry has the id"),
        (["export", "--format", "xml"], 2, "No export format"),
        (["import", "/nonexistent/file.jsonl"], 1, "There is no file"),
        (["reflect", "--prompt", "no-such-prompt", "--answer", "x"], 2, "No prompt"),
    ],
)
def test_bad_input_is_one_sentence_and_an_exit_code(run, export, args, code, fragment):
    run("log", "protest", "-n", "kept")
    before = export()
    result = run(*args, ok=False)
    assert result.exit_code == code, result.stderr
    assert fragment in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("ally: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert export() == before


def test_report_json_has_the_design_shape(run):
    run("log", "protest", "-d", "monday")
    run("log", "listening", "-d", "yesterday")
    run("reflect", "--answer", "They asked for rides to the hearing, not speeches.")
    data = json.loads(run("report", "--json").stdout)
    assert data["period"] == {"start": "2026-11-23", "end": "2026-11-29"}
    assert data["entries"] == 2
    assert data["reflections"] == 1
    assert data["by_pillar"] == {"action": 1, "listening": 1, "learning": 0, "yielding": 0}
    assert data["by_action_type"] == {
        "protest": 1, "advocacy": 0, "interrupting": 0, "volunteering": 0, "voting": 0,
        "training": 0, "children": 0, "money": 0,
    }  # fmt: skip
    assert data["streak"] == {"current": 2, "longest": 2}
    assert data["pillar_streaks"]["action"] == {"current": 0, "longest": 1}
    assert data["pillar_streaks"]["listening"] == {"current": 1, "longest": 1}
    assert data["gaps"][0] == {
        "kind": "pillar", "category": "learning", "last_practiced": None, "days_since": None,
    }  # fmt: skip
    gap_names = [(g["kind"], g["category"]) for g in data["gaps"]]
    assert ("pillar", "yielding") in gap_names
    assert ("action_type", "protest") not in gap_names
    assert 1 <= len(data["prompts"]) <= 3
    themes = {p.id: list(p.themes) for p in promptfiles.load([promptfiles.builtin_path()])}
    for p in data["prompts"]:
        assert set(p) == {"id", "pillar", "action_type", "themes", "text"}
        assert p["themes"] == themes[p["id"]]


def test_report_periods(run):
    run("log", "money", "-d", "2026-01-05")
    month = json.loads(run("report", "--month", "--json").stdout)
    assert month["period"] == {"start": "2026-11-01", "end": "2026-11-30"}
    assert month["entries"] == 0
    year = json.loads(run("report", "--year", "--json").stdout)
    assert year["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert year["entries"] == 1
    rng = json.loads(run("report", "--since", "2026-01-01", "--until", "2026-01-31",
                         "--json").stdout)  # fmt: skip
    assert rng["by_action_type"]["money"] == 1
    money_gap = [g for g in month["gaps"] if g["category"] == "money"]
    assert money_gap == [{"kind": "action_type", "category": "money",
                          "last_practiced": "2026-01-05", "days_since": 324}]  # fmt: skip


def test_report_in_the_terminal_is_plain_when_piped(run):
    run("log", "protest", "-n", "[/i] \x1b[31m red")
    out = run("report").stdout
    assert "\x1b" not in out
    assert all(line == line.rstrip() for line in out.splitlines())  # never padded, nor wrapped


def test_list_filters_and_json(run):
    run("log", "protest", "-d", "2026-11-20", "-n", "one")
    run("log", "listening", "-d", "2026-11-22", "-n", "two")
    run("log", "vote", "-n", "three")
    rows = json.loads(run("list", "--json").stdout)
    assert [r["note"] for r in rows] == ["three", "two", "one"]
    rows = json.loads(run("list", "--json", "--pillar", "action").stdout)
    assert [r["note"] for r in rows] == ["three", "one"]
    rows = json.loads(run("list", "--json", "--type", "vote").stdout)
    assert [r["note"] for r in rows] == ["three"]
    rows = json.loads(run("list", "--json", "--since", "2026-11-21", "--until",
                          "2026-11-24").stdout)  # fmt: skip
    assert [r["note"] for r in rows] == ["two"]
    rows = json.loads(run("list", "--json", "--limit", "1").stdout)
    assert [r["note"] for r in rows] == ["three"]
    table = run("list").stdout
    assert rows[0]["id"][:8] in table


def test_delete_by_id_prefix(run, export):
    run("log", "protest", "-n", "keep")
    run("log", "money", "-n", "remove")
    target = next(e for e in export() if e["note"] == "remove")
    out = run("delete", target["id"][:8], "--yes").stdout
    assert target["id"][:8] in out
    assert [e["note"] for e in export()] == ["keep"]


def test_reflect_records_answer_linked_to_prompt(run, export):
    out = run("reflect", "--answer", "Who set the agenda: the residents did.").stdout
    assert "recorded" in out.lower()
    [entry] = export()
    assert entry["kind"] == "reflection"
    assert set(entry) == {"id", "kind", "date", "created_at", "updated_at", "prompt_id",
                          "prompt", "pillar", "answer"}  # fmt: skip
    assert entry["answer"] == "Who set the agenda: the residents did."
    assert entry["prompt"] and entry["prompt_id"]


def test_reflect_prompt_is_the_same_all_day(run, export, tmp_path):
    run("reflect", "--answer", "first")
    run("log", "listening")  # practice today must not change today's prompt
    # a second answer to the same prompt is refused and kept as a draft, naming that prompt
    assert run("reflect", "--answer", "second", ok=False).exit_code == 1
    [first] = (e for e in export() if e["kind"] == "reflection")
    [draft] = (tmp_path / "drafts").glob("*.jsonl")
    second = json.loads(draft.read_text())
    assert (second["answer"], second["prompt_id"]) == ("second", first["prompt_id"])


def test_reflect_from_stdin_and_empty_answer(run, export):
    run("reflect", input="Listened more than I spoke.\n")
    assert [e["answer"] for e in export()] == ["Listened more than I spoke."]
    out = run("reflect", input="").stdout
    assert "Nothing recorded" in out
    assert len(export()) == 1


def test_reflect_another_and_prompt_and_list(run, export):
    run("reflect", "--answer", "a")
    run("reflect", "--another", "--answer", "b")
    by_answer = {e["answer"]: e for e in export()}
    a, b = by_answer["a"], by_answer["b"]
    assert a["prompt_id"] != b["prompt_id"]
    run("reflect", "--prompt", b["prompt_id"], "--answer", "c")
    assert {e["answer"]: e for e in export()}["c"]["prompt_id"] == b["prompt_id"]
    listing = run("reflect", "--list").stdout
    assert "c" in listing and a["prompt"][:20] in listing.replace("\n", " ")


def test_export_import_round_trip(run, export, tmp_path, monkeypatch):
    run("log", "protest", "-n", "émoji 👩🏽‍🤝‍👩🏿 and \t tabs\r\nCRLF", "--minutes", "15")
    run("log", "listening", "-d", "yesterday")
    run("reflect", "--answer", "مرحبا [bold] #tag @name: ok")
    dump = tmp_path / "dump.jsonl"
    run("export", "--output", str(dump))
    original = export()
    assert [json.loads(x) for x in dump.read_text(encoding="utf-8").splitlines()] == original
    monkeypatch.setenv("ALLY_DB", str(tmp_path / "second.db"))
    out = run("import", str(dump)).stdout
    assert "Imported 3 entries" in out
    assert export() == original
    out = run("import", str(dump)).stdout
    assert (
        "Imported 0 entries" in out
        and "; 0 updated, 3 already present, 0 kept in a conflict." in out
    )
    assert export() == original


def test_import_rejects_bad_file_whole_naming_line(run, export, tmp_path):
    run("log", "protest")
    good = run("export").stdout.splitlines()[0]
    other = json.loads(good) | {"id": "6f1c1b7e-3f5a-4c55-9d7a-1b2c3d4e5f60"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(other) + "\n" + '{"kind": "practice"}\n', encoding="utf-8")
    before = export()
    result = run("import", str(bad), ok=False)
    assert result.exit_code == 1
    assert "line 2" in result.stderr
    assert export() == before


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_export_other_formats(run, fmt):
    run("log", "protest", "-n", "Joined the housing march")
    out = run("export", "--format", fmt).stdout
    assert "Joined the housing march" in out
    if fmt == "csv":
        assert out.splitlines()[0].startswith("id,kind,date,created_at,updated_at,pillar")
    else:
        assert out.startswith("# ally journal")


def test_reading_commands_do_not_create_the_database(run, db_path):
    run("report")
    run("list")
    run("export")
    assert not db_path.exists()


def test_user_prompts_join_and_replace(run, tmp_path, monkeypatch):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "prompts:\n"
        "  - id: mine-01\n    kind: reflection\n    pillar: yielding\n"
        "    text: Whose plan did you follow today?\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ALLY_PROMPTS", str(mine))
    run("reflect", "--prompt", "mine-01", "--answer", "The organizers'.")
    monkeypatch.setenv("ALLY_PROMPTS", str(tmp_path / "missing.yaml"))
    result = run("reflect", "--answer", "x", ok=False)
    assert result.exit_code == 1
    assert "missing.yaml" in result.stderr


# -- what ally says ----------------------------------------------------------------------------


def test_confirmations_name_days_one_way(run, export):
    out = run("reflect", "--answer", "The residents set the agenda.").stdout
    prompt_id = export()[0]["prompt_id"]
    assert out == f"Reflection recorded for today, Wed 25 Nov (prompt {prompt_id}).\n"
    out = run("reflect", "--answer", "b", "--date", "monday", "--prompt", prompt_id).stdout
    assert out == f"Reflection recorded for Mon 23 Nov (2 days ago) (prompt {prompt_id}).\n"
    run("log", "money", "-d", "yesterday")
    [entry] = [e for e in export() if e["kind"] == "practice"]
    out = run("delete", entry["id"][:8], "--yes").stdout
    assert out == f"Deleted the practice entry {entry['id'][:8]} from yesterday, Tue 24 Nov.\n"


def test_a_backfilled_entry_names_its_day_and_leaves_out_a_streak_of_zero(run):
    out = run("log", "protest", "-d", "3 days ago").stdout
    assert out == (
        "Logged protest (action) for Sun 22 Nov (3 days ago). "
        "practice: 1 of 1 day on Sun 22 Nov; action: 1 of 1 day in the week of Mon 16 Nov.\n"
    )


@pytest.mark.parametrize(
    ("logged", "words"), [(1, "Exported 1 entry to"), (2, "Exported 2 entries")]
)
def test_export_counts_in_words(run, tmp_path, logged, words):
    for _ in range(logged):
        run("log", "protest")
    out = run("export", "--output", str(tmp_path / "out.jsonl")).stderr
    assert out.startswith(words)


def _listed_ids(out: str) -> list[str]:
    firsts = [line.split()[0] for line in out.splitlines() if line.strip()]
    return [w for w in firsts if re.fullmatch(r"[a-z-]+-\d\d", w)]


def test_reflect_prompts_filters_by_pillar_and_type(run):
    out = run("reflect", "--prompts", "--type", "vote").stdout
    assert out.split()[:2] == ["ID", "(kind,"]
    ids = _listed_ids(out)
    assert len(ids) == 16 and all("-voting-" in i for i in ids)
    ids = _listed_ids(run("reflect", "--prompts", "--pillar", "yield").stdout)
    assert len(ids) == 33 and all("yielding" in i for i in ids)
    out = run("reflect", "--prompts", "-p", "learning", "-t", "training").stdout
    ids = _listed_ids(out)
    assert len(ids) == 14 and all("-training-" in i for i in ids)
    kinds = re.findall(r"\b(\w+) prompt, learning, training\b", out)
    assert kinds == ["reflection"] * 5 + ["learning"] * 9
    assert "learning, learning" not in out  # never a bare "learning" beside the pillar
    everything = _listed_ids(run("reflect", "--prompts").stdout)
    assert everything == [p.id for p in promptfiles.load([promptfiles.builtin_path()])]
    wrong = run("reflect", "--type", "voting", ok=False)
    assert (wrong.exit_code, wrong.stderr) == (
        2,
        "ally: --pillar and --type go with --prompts; add --prompts.\n",
    )


def test_log_help_says_what_each_action_type_covers(run):
    from allycli.core.taxonomy import ACTION_TYPE_MEANINGS

    out = " ".join(run("log", "--help").stdout.split())
    for key, meaning in ACTION_TYPE_MEANINGS.items():
        assert f"{key} {meaning}" in out


def test_doctor_speaks_plainly(run, db_path):
    run("log", "protest")
    db_path.chmod(0o600)
    db_path.parent.chmod(0o700)
    out = run("doctor").stdout
    found = dict(re.split(r"\s{2,}", line[3:], maxsplit=1) for line in out.splitlines())
    assert found["mode ally.db"] == "600 (only you can open it)"
    assert found["folder mode"] == f"{db_path.parent} 700 (only you can open it)"
    assert found["kind"] == "an ally database"
    assert found["integrity"] == "no damage found"
    marks = {line[3:].split("  ")[0]: line[:3] for line in out.splitlines()}
    said = {"database", "entries", "backups"}  # only said: no verdict, so no "ok"
    assert {name for name, mark in marks.items() if mark == "   "} == said
    assert all(mark == "ok " for name, mark in marks.items() if name not in said)
