"""Small doors a newcomer tries: `list --kind`, `edit --minutes none`, `export --force`, and
`ally --help` in the order a person meets the commands."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from allycli.core.exchange import read_jsonl
from allycli.journal.editing import CLEAR, Changes

ROOT = Path(__file__).resolve().parents[2]


def _entries(run, *args: str) -> list[dict]:
    return json.loads(run("list", "--json", *args).stdout)


# -- list --kind ----------------------------------------------------------------------------


def test_list_takes_kind_as_search_and_export_do(run):
    run("log", "protest", "--note", "Joined the march")
    run("reflect", "--answer", "They asked for rides, not advice.")
    assert [e["kind"] for e in _entries(run, "--kind", "practice")] == ["practice"]
    assert [e["kind"] for e in _entries(run, "--kind", "reflection")] == ["reflection"]
    assert len(_entries(run)) == 2
    table = run("list", "--kind", "reflection").stdout
    assert "They asked for rides" in table and "Joined the march" not in table
    refused = run("list", "--kind", "reflections", ok=False)
    assert refused.exit_code == 2
    assert refused.stderr == "ally: --kind is practice or reflection, not 'reflections'.\n"


# -- edit --minutes none ----------------------------------------------------------------------


def test_edit_minutes_none_clears_the_minutes(run):
    run("log", "protest", "--minutes", "90")
    entry = _entries(run)[0]["id"]
    out = run("edit", entry[:8], "--minutes", "none").stdout
    assert out == f"Changed the practice entry {entry[:8]}: minutes 90 -> none.\n"
    assert _entries(run)[0]["minutes"] is None
    again = run("edit", entry[:8], "--minutes", "None").stdout
    assert again.startswith("Nothing changed:")
    run("edit", entry[:8], "--minutes", "45")
    assert _entries(run)[0]["minutes"] == 45


def test_a_patch_that_clears_minutes_round_trips_through_a_draft() -> None:
    patch = Changes(minutes=CLEAR).patch("3f2a9c1e", "2026-12-07T12:00:00.000000+00:00")
    assert patch["fields"] == {"minutes": None}
    [read] = read_jsonl([json.dumps(patch)], "draft.jsonl")
    assert Changes.from_patch(dict(read.fields)) == Changes(minutes=CLEAR)


# -- export --force ---------------------------------------------------------------------------


def test_export_refuses_an_existing_file_and_leaves_it_untouched(run, tmp_path: Path):
    run("log", "protest")
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes\n")
    refused = run("export", "--output", str(notes), ok=False)
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"ally: {notes} already exists; add --force to replace it, or choose a new file.\n"
    )
    assert notes.read_text() == "my own notes\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

    link = tmp_path / "link.md"
    link.symlink_to(notes)
    assert run("export", "--format", "md", "-o", str(link), ok=False).exit_code == 1
    assert notes.read_text() == "my own notes\n"

    run("export", "--output", str(notes), "--force")
    assert json.loads(notes.read_text().splitlines()[0])["action_type"] == "protest"
    assert oct(os.stat(notes).st_mode & 0o777) == "0o600"


def test_export_writes_a_new_file_without_force(run, tmp_path: Path):
    run("log", "protest")
    fresh = tmp_path / "fresh.jsonl"
    run("export", "--output", str(fresh))
    assert len(fresh.read_text().splitlines()) == 1


# -- ally --help ----------------------------------------------------------------------------


def _help_commands(run) -> list[str]:
    out = run("--help").stdout
    section = out.split("Commands:\n", 1)[1]
    return [m.group(1) for m in re.finditer(r"^  (\w+)  ", section, re.MULTILINE)]


def test_help_lists_commands_in_the_order_a_person_meets_them(run):
    assert _help_commands(run) == [
        "log", "reflect", "report",
        "today", "calendar", "rhythm", "pause", "type",
        "list", "search", "show", "edit", "delete",
        "export", "import", "backup", "restore", "doctor",
        "sync",
        "encrypt", "unlock", "lock", "passwd", "decrypt",
    ]  # fmt: skip


def test_help_follows_the_readme(run):
    """After log, reflect and report, the commands come in the order the README first shows
    them."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = readme[readme.index("## Commands") :]
    listed = _help_commands(run)
    first_seen: list[str] = []
    for m in re.finditer(r"(?:^\$ |^)ally (\w+)", commands, re.MULTILINE):
        if m.group(1) in listed and m.group(1) not in first_seen:
            first_seen.append(m.group(1))
    assert first_seen == listed


def test_pause_says_what_it_does_in_its_summary(run):
    out = run("--help").stdout
    summary = out.split("\n  pause", 1)[1].split("\n  type", 1)[0]
    assert " ".join(summary.split()) == (
        "Pause categories (or all of them) from one day to another: a paused day is never a "
        "gap, and streaks and momentum wait for you."
    )


def test_a_salvage_never_replaces_a_file_by_surprise_either(run, tmp_path: Path):
    run("log", "protest")
    notes = tmp_path / "salvage.jsonl"
    notes.write_text("kept\n")
    refused = run("export", "--salvage", "--output", str(notes), ok=False)
    assert (refused.exit_code, notes.read_text()) == (1, "kept\n")
    assert "already exists; add --force" in refused.stderr
    run("export", "--salvage", "--output", str(notes), "--force")
    assert json.loads(notes.read_text().splitlines()[0])["action_type"] == "protest"
