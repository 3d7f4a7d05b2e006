"""Fixing and finding entries: show, edit, delete, search, restore, export filters, and the
order of entries. Commands run through the command line in-process, where a process
would add nothing; questions asked on a terminal, the editor and a lock held by another
process run the real executable (`_on_terminal`, `ally_process`)."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import sqlite3
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from allycli.core.dates import day_name, spoken
from allycli.store.schema import SCHEMA_VERSION
from tests.integration.helpers import (
    ALLY,
    ally_in_process,
    cli_env,
    make_db,
    ok,
    one_line_error,
    practice,
)
from tests.integration.helpers import ally as ally_process
from tests.integration.helpers import export_objects as exported

ally = ally_in_process


def export_objects(env: dict[str, str]) -> list[dict[str, Any]]:
    return exported(env, ally_in_process)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path, tmp_path / "ally.db")


def logged(env: dict[str, str], *args: str) -> dict[str, object]:
    """Log one entry and return its exported object (the newest one)."""
    ok(ally(env, *args))
    return max(export_objects(env), key=lambda o: o["created_at"])


# -- show ------------------------------------------------------------------------------------


def test_show_prints_every_field_and_the_whole_note(env: dict[str, str]) -> None:
    note = "A long note. " * 30 + "The end."
    entry = logged(env, "log", "money", "--note", note, "--minutes", "15", "--date", "2026-11-20")
    out = ok(ally(env, "show", str(entry["id"])[:6])).stdout
    assert f"id           {entry['id']}\n" in out
    shown_day = day_name(date(2026, 11, 20), year=date.today().year != 2026)  # one way of naming
    assert f"date         {shown_day}\n" in out
    made = datetime.fromisoformat(str(entry["created_at"])).astimezone()
    when = f"{day_name(made.date(), year=made.year != date.today().year)} {made:%H:%M}"
    assert f"created      {when}\n" in out  # local time, to the minute
    assert "action type  money\n" in out
    assert "minutes      15\n" in out
    assert f"\nnote\n  {note}\n" in out  # piped: whole, on one line
    shown = json.loads(ok(ally(env, "show", str(entry["id"]), "--json")).stdout)
    assert shown == entry


def test_show_refuses_short_unknown_and_ambiguous_ids(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "ally.db"
    make_db(db, [practice(0x1234_0000_0000_0000_0000_0000_0000_0001 + i) for i in range(2)])
    assert "at least its first 4" in one_line_error(ally(env, "show", "123"), 2)
    assert "No entry has the id ffff" in one_line_error(ally(env, "show", "ffff"), 1)
    assert "More than one entry id starts with 1234" in one_line_error(ally(env, "show", "1234"), 2)


# -- edit ------------------------------------------------------------------------------------


def test_edit_changes_fields_and_updated_at_and_the_search_copy(env: dict[str, str]) -> None:
    entry = logged(env, "log", "protest", "--note", "Marched for tenants", "-d", "2026-11-20")
    short = str(entry["id"])[:8]
    out = ok(ally(env, "edit", short[:5], "--note", "Joined the Café sit-in", "--type", "money"))
    assert out.stdout == (
        f'Changed the practice entry {short}: note "Marched for tenants" -> '
        '"Joined the Café sit-in"; action type protest -> money.\n'
    )
    (after,) = export_objects(env)
    assert after["note"] == "Joined the Café sit-in"
    assert after["action_type"] == "money" and after["pillar"] == "action"
    assert after["created_at"] == entry["created_at"]
    assert after["updated_at"] > entry["updated_at"]
    assert ok(ally(env, "search", "cafe")).stdout.startswith(short)
    same = ok(ally(env, "edit", short, "--type", "money"))
    when = spoken(date(2026, 11, 20), date.today())
    assert same.stdout == (
        f"Nothing changed: the practice entry {short} from {when} already reads as you asked.\n"
    )
    assert ok(ally(env, "search", "tenants")).stdout == "No entry holds every one of those words.\n"


def test_edit_type_brings_its_pillar_unless_pillar_is_given(env: dict[str, str]) -> None:
    entry = str(logged(env, "log", "listening")["id"])
    ok(ally(env, "edit", entry, "--type", "training"))
    (obj,) = export_objects(env)
    assert (obj["action_type"], obj["pillar"]) == ("training", "learning")
    ok(ally(env, "edit", entry, "--type", "vote", "--pillar", "yielding"))
    (obj,) = export_objects(env)
    assert (obj["action_type"], obj["pillar"]) == ("voting", "yielding")
    ok(ally(env, "edit", entry, "--type", "none"))
    (obj,) = export_objects(env)
    assert (obj["action_type"], obj["pillar"]) == (None, "yielding")


def test_edit_clears_a_note_with_an_empty_one_and_reads_stdin(env: dict[str, str]) -> None:
    entry = str(logged(env, "log", "money", "--note", "first")["id"])
    ok(ally(env, "edit", entry, "--note", ""))
    assert export_objects(env)[0]["note"] is None
    ok(ally(env, "edit", entry, "--note", "-", input="from\r\nstdin\n"))
    assert export_objects(env)[0]["note"] == "from\nstdin"


def test_edit_refuses_flags_that_do_not_fit_the_kind(env: dict[str, str]) -> None:
    entry = str(logged(env, "log", "money")["id"])
    reflection = str(logged(env, "reflect", "--answer", "They asked for funds.")["id"])
    before = export_objects(env)
    assert "--answer is for reflections" in one_line_error(
        ally(env, "edit", entry, "--answer", "x"), 2
    )
    assert "--minutes is for practice" in one_line_error(
        ally(env, "edit", reflection, "--minutes", "5"), 2
    )
    assert "Say what to change" in one_line_error(ally(env, "edit", entry), 2)
    assert export_objects(env) == before
    out = ok(ally(env, "edit", reflection, "--answer", "They asked for funds, not advice."))
    assert out.stdout.startswith(f"Changed the reflection entry {reflection[:8]}: answer ")
    assert out.stdout.endswith(
        ': answer "They asked for funds." -> "They asked for funds, not advice.".\n'
    )


# -- delete ----------------------------------------------------------------------------------


def test_piped_no_does_not_delete(env: dict[str, str]) -> None:
    """Regression: `echo n | ally delete ID` deleted."""
    entry = str(logged(env, "log", "money")["id"])
    line = one_line_error(ally(env, "delete", entry, input="n\n"), 2)
    assert "add --yes" in line
    assert len(export_objects(env)) == 1


def test_delete_last_names_the_newest_entry_first(env: dict[str, str]) -> None:
    ok(ally(env, "log", "money", "--date", "2026-11-24"))
    newest = str(logged(env, "log", "protest", "--date", "2026-11-01")["id"])
    out = ok(ally(env, "delete", "--last", "--yes")).stdout
    name = f"the practice entry {newest[:8]} from {spoken(date(2026, 11, 1), date.today())}"
    assert out == f"The most recent entry is {name}: protest (action).\nDeleted {name}.\n"
    assert [o["action_type"] for o in export_objects(env)] == ["money"]
    assert "not both" in one_line_error(ally(env, "delete", newest, "--last", "--yes"), 2)


def _on_terminal(env: dict[str, str], args: list[str], typed: bytes) -> tuple[int, str]:
    """Run ally with a pseudo-terminal as its standard input and output; what it showed
    comes back with its lines joined (a question wraps where the terminal's width and the
    length of the test's folder put it)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execvpe(ALLY[0], [*ALLY, *args], env)
    out = b""
    sent = False
    deadline = time.monotonic() + 120  # a ceiling for a loaded machine
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        if not sent and b"[y/N]" in out:
            os.write(fd, typed)
            sent = True
    else:
        os.kill(pid, signal.SIGKILL)  # never answered: fail rather than wait for ever
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), " ".join(out.decode("utf-8", "replace").split())


@pytest.mark.parametrize(("typed", "deleted"), [(b"n\r", False), (b"\r", False),
                         (b"yess\r", False), (b"YES\r", True), (b"y\r", True)])  # fmt: skip
def test_delete_on_a_terminal_asks(env: dict[str, str], typed: bytes, deleted: bool) -> None:
    entry = str(logged(env, "log", "money")["id"])
    code, out = _on_terminal(env, ["delete", entry[:6]], typed)
    assert code == 0, out
    today = spoken(date.today(), date.today())
    assert f"Delete money (action) from {today} (id {entry[:8]})? It cannot be undone" in out
    assert ("Nothing was deleted." in out) is not deleted
    assert len(export_objects(env)) == (0 if deleted else 1)


# -- nothing searchable outlives a delete or an edit -------------------------------------------


def _files(db: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
        if p.exists()
    }


@pytest.mark.parametrize("how", ["delete", "edit"])
def test_no_copy_of_the_text_survives_in_the_database_files(
    env: dict[str, str], tmp_path: Path, how: str
) -> None:
    """The word and its folded form, in the bytes of ally.db, -wal and -shm. (Copies that
    migrations keep, `ally.db.vN.bak`, are backups by design and out of scope.)"""
    db = tmp_path / "ally.db"
    for n in range(3):
        ok(ally(env, "log", "money", "--note", f"ordinary note {n}"))
    word, folded = "Zwölfkampfübung", "zwolfkampfubung"
    entry = str(logged(env, "log", "protest", "--note", f"Trained the {word} crew")["id"])
    ok(ally(env, "log", "listening", "--note", "after"))
    assert any(word.encode() in data for data in _files(db).values())
    if how == "delete":
        ok(ally(env, "delete", entry, "--yes"))
    else:
        ok(ally(env, "edit", entry, "--note", "Trained the crew"))
    for name, data in _files(db).items():
        for needle in (word, folded, word.lower()):
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert needle.encode(encoding) not in data, (name, needle, encoding)
    assert ok(ally(env, "search", word)).stdout == "No entry holds every one of those words.\n"


# -- search ----------------------------------------------------------------------------------


def test_search_every_word_any_order_ignoring_case_and_accents(env: dict[str, str]) -> None:
    a = str(logged(env, "log", "money", "--note", "Café fundraiser for the STRIKE", "-d",
                   "2026-11-02")["id"])  # fmt: skip
    b = str(logged(env, "log", "protest", "--note", "strike line, then cafe", "-d",
                   "2026-11-03")["id"])  # fmt: skip
    logged(env, "log", "protest", "--note", "strike only", "-d", "2026-11-04")
    r = str(logged(env, "reflect", "--answer", "Naïve questions at the CAFÉ strike", "--date",
                   "2026-11-01")["id"])  # fmt: skip
    found = json.loads(ok(ally(env, "search", "STRIKE", "café", "--json")).stdout)
    assert [o["id"] for o in found] == [b, a, r]  # newest first
    found = json.loads(ok(ally(env, "search", "cafe strike", "--kind", "practice",
                              "--json")).stdout)  # fmt: skip
    assert [o["id"] for o in found] == [b, a]
    found = json.loads(ok(ally(env, "search", "cafe", "--type", "money", "--json")).stdout)
    assert [o["id"] for o in found] == [a]
    found = json.loads(ok(ally(env, "search", "cafe", "--since", "2026-11-02", "--until",
                              "2026-11-02", "--json")).stdout)  # fmt: skip
    assert [o["id"] for o in found] == [a]
    found = json.loads(ok(ally(env, "search", "naive", "--limit", "1", "--json")).stdout)
    assert [o["id"] for o in found] == [r]
    out = ok(ally(env, "search", "fundraiser")).stdout
    nov2 = day_name(date(2026, 11, 2), year=date.today().year != 2026)
    assert out == f"{a[:8]}  {nov2}  money (action)\n  Café fundraiser for the STRIKE\n"
    assert "--kind is practice or reflection" in one_line_error(
        ally(env, "search", "x", "--kind", "habit"), 2
    )


# -- export filters ----------------------------------------------------------------------------


def test_export_since_until_and_kind(env: dict[str, str]) -> None:
    for day in ("2026-11-01", "2026-11-05", "2026-11-09"):
        ok(ally(env, "log", "money", "-d", day))
    ok(ally(env, "reflect", "--answer", "yes", "--date", "2026-11-05"))
    out = ok(ally(env, "export", "--since", "2026-11-02", "--until", "2026-11-08")).stdout
    assert [(o["date"], o["kind"]) for o in map(json.loads, out.splitlines())] == [
        ("2026-11-05", "practice"),
        ("2026-11-05", "reflection"),
    ] or [(o["date"], o["kind"]) for o in map(json.loads, out.splitlines())] == [
        ("2026-11-05", "reflection"),
        ("2026-11-05", "practice"),
    ]
    out = ok(ally(env, "export", "--kind", "reflection", "--format", "csv")).stdout
    assert len(out.splitlines()) == 2 and ",reflection," in out.splitlines()[1]


# -- order within a day ------------------------------------------------------------------------


def test_quick_entries_export_in_the_order_they_were_made(env: dict[str, str]) -> None:
    """Regression: twenty quick entries exported as 10, 9, 6, 7, 8, 12..."""
    for n in range(1, 21):
        ok(ally(env, "log", "money", "--note", f"n{n}", "--date", "2026-11-20"))
    assert [o["note"] for o in export_objects(env)] == [f"n{n}" for n in range(1, 21)]


def test_mixed_offsets_sort_as_instants(env: dict[str, str], tmp_path: Path) -> None:
    """Regression: created_at with different offsets sorted as text."""
    base = practice(1, "")
    lines = []
    # as text 10:00+05:00 sorts after 06:00+00:00; as instants it is an hour earlier
    for n, created in enumerate(("2026-11-20T06:00:00+00:00", "2026-11-20T10:00:00+05:00",
                                 "2026-11-20T06:30:00.5+00:00"), start=1):  # fmt: skip
        same = {"created_at": created, "updated_at": created, "note": f"n{n}"}
        obj = base.to_json() | same | {"id": f"00000000-0000-0000-0000-00000000000{n}"}
        lines.append(json.dumps(obj))
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    ok(ally(env, "import", str(tmp_path / "in.jsonl")))
    assert [o["note"] for o in export_objects(env)] == ["n2", "n1", "n3"]
    listed = json.loads(ok(ally(env, "list", "--json")).stdout)
    assert [o["note"] for o in listed] == ["n3", "n1", "n2"]


# -- restore -----------------------------------------------------------------------------------


def test_restore_puts_a_backup_back_and_keeps_the_current_file(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok(ally(env, "log", "money", "--note", "before the backup"))
    ok(ally(env, "backup", "--output", str(tmp_path / "b.db")))
    before = export_objects(env)
    ok(ally(env, "log", "protest", "--note", "after the backup"))
    after = export_objects(env)
    assert "add --yes" in one_line_error(ally(env, "restore", str(tmp_path / "b.db")), 2)
    assert export_objects(env) == after
    out = ok(ally(env, "restore", str(tmp_path / "b.db"), "--yes")).stdout
    assert out.startswith(f"Restored {tmp_path / 'b.db'} (1 entry) to {tmp_path / 'ally.db'}")
    assert export_objects(env) == before
    (kept,) = (tmp_path / "backups").glob("*-before-restore.db")
    assert f"the journal as it was is kept in {kept}." in out
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    assert export_objects(cli_env(tmp_path, kept)) == after
    ok(ally(env, "log", "listening"))  # the restored journal takes writes
    assert len(export_objects(env)) == 2


def test_restore_refuses_what_is_not_a_healthy_ally_backup(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok(ally(env, "log", "money"))
    before = export_objects(env)
    (tmp_path / "notes.txt").write_text("not a database\n")
    assert "not a SQLite file" in one_line_error(
        ally(env, "restore", str(tmp_path / "notes.txt"), "--yes")
    )
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    assert "ally did not write" in one_line_error(
        ally(env, "restore", str(tmp_path / "other.db"), "--yes")
    )
    newer = tmp_path / "newer.db"
    ok(ally(env, "backup", "--output", str(newer)))
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    assert "newer ally" in one_line_error(ally(env, "restore", str(newer), "--yes"))
    assert "There is no file" in one_line_error(ally(env, "restore", "/nonexistent.db", "--yes"))
    assert export_objects(env) == before


def test_restore_of_a_release_1_backup_migrates_it(env: dict[str, str], tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    files = sorted(fixtures.iterdir())
    ok(ally(env, "log", "money"))
    ok(ally(env, "restore", str(fixtures / "ally-v1.db"), "--yes"))
    assert sorted(fixtures.iterdir()) == files  # nothing written beside the backup
    conn = sqlite3.connect(tmp_path / "ally.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert len(export_objects(env)) == len(
        (fixtures / "ally-v1.jsonl").read_text(encoding="utf-8").splitlines()
    )


def test_dates_in_edit_are_days_not_futures(env: dict[str, str]) -> None:
    entry = str(logged(env, "log", "money")["id"])
    tomorrow = date.fromordinal(date.today().toordinal() + 1).isoformat()
    assert one_line_error(ally(env, "edit", entry, "--date", tomorrow), 2)
    ok(ally(env, "edit", entry, "--date", "yesterday"))


# -- edit in the editor --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected", "said"),
    [
        ("printf 'Fixed in the editor\\n' > \"$1\"", "Fixed in the editor", "Changed the"),
        (': > "$1"', "typo'd note", "Nothing changed: the text from the editor was empty."),
    ],
)
def test_edit_with_no_field_opens_the_editor_on_the_text(
    env: dict[str, str], tmp_path: Path, body: str, expected: str, said: str
) -> None:
    entry = str(logged(env, "log", "money", "--note", "typo'd note")["id"])
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\n{body}\n")
    editor.chmod(0o700)
    code, out = _on_terminal({**env, "VISUAL": str(editor)}, ["edit", entry[:6]], b"")
    assert code == 0, out
    assert said in out
    assert export_objects(env)[0]["note"] == expected


def test_edit_with_no_field_on_a_terminal_never_guesses(env: dict[str, str]) -> None:
    entry = str(logged(env, "log", "money", "--note", "kept")["id"])
    code, out = _on_terminal({**env, "VISUAL": "false"}, ["edit", entry[:6]], b"")
    assert code != 0, out
    assert export_objects(env)[0]["note"] == "kept"


def test_search_highlights_the_words_on_a_terminal(env: dict[str, str]) -> None:
    ok(ally(env, "log", "money", "--note", "Café fundraiser; the CAFE was full"))
    colour = {k: v for k, v in env.items() if k != "NO_COLOR"} | {"TERM": "xterm"}
    code, out = _on_terminal(colour, ["search", "cafe"], b"")
    assert code == 0, out
    assert "\x1b[1;7mCafé\x1b[0m fundraiser; the \x1b[1;7mCAFE\x1b[0m was full" in out


def test_an_edit_the_database_refuses_is_kept_as_a_draft_that_import_applies(
    tmp_path: Path,
) -> None:
    from tests.integration.helpers import write_lock_held

    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db, ALLY_BUSY_TIMEOUT="1")
    ok(ally_process(env, "log", "money", "--note", "first words"))
    (first,) = exported(env)
    entry = str(first["id"])
    with write_lock_held(db):
        line = one_line_error(ally_process(env, "edit", entry, "--note", "better words"))
    assert "first words" not in line and "better words" not in line
    assert exported(env)[0]["note"] == "first words"
    (draft,) = (tmp_path / "drafts").glob("draft-*.jsonl")
    assert f"your entry was kept in {draft}" in line
    out = ok(ally_process(env, "import", str(draft))).stdout
    assert out.startswith("Imported 0 entries") and "; 1 updated," in out
    (after,) = exported(env)
    assert after["note"] == "better words" and after["updated_at"] > after["created_at"]


def test_search_words_are_literal_text_not_patterns(env: dict[str, str]) -> None:
    star = str(logged(env, "log", "money", "--note", "5* review? [sic] 100% a_b")["id"])
    logged(env, "log", "money", "--note", "plain words 5 review")
    for word in ("5*", "review?", "[sic]", "100%", "a_b", "[", "]"):
        found = json.loads(ok(ally(env, "search", word, "--json")).stdout)
        assert [o["id"] for o in found] == [star], word
    assert json.loads(ok(ally(env, "search", "*", "--json")).stdout)[0]["id"] == star
    assert json.loads(ok(ally(env, "search", "?", "--json")).stdout)[0]["id"] == star
    assert len(json.loads(ok(ally(env, "search", "review", "--json")).stdout)) == 2


def test_restore_over_a_damaged_journal_keeps_its_bytes(
    env: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "ally.db"
    for n in range(3):
        ok(ally(env, "log", "money", "--note", f"kept {n}"))
    ok(ally(env, "backup", "--output", str(tmp_path / "b.db")))
    before = export_objects(env)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    roots = [r for (r,) in conn.execute("SELECT rootpage FROM sqlite_master WHERE rootpage > 1")]
    conn.close()
    damaged = bytearray(db.read_bytes())
    for root in roots:
        damaged[(root - 1) * 4096 : root * 4096] = b"\xa5" * 4096
    db.write_bytes(bytes(damaged))
    assert "damaged" in one_line_error(ally(env, "list"))
    out = ok(ally(env, "restore", str(tmp_path / "b.db"), "--yes")).stdout
    (kept,) = (tmp_path / "backups").glob("*-before-restore.db")
    assert kept.read_bytes() == bytes(damaged)
    assert f"kept in {kept}" in out
    assert export_objects(env) == before


@pytest.mark.parametrize(("typed", "restored"), [(b"no\r", False), (b"Y\r", True)])
def test_restore_on_a_terminal_asks(
    env: dict[str, str], tmp_path: Path, typed: bytes, restored: bool
) -> None:
    ok(ally(env, "log", "money"))
    ok(ally(env, "backup", "--output", str(tmp_path / "one.db")))
    ok(ally(env, "log", "protest"))
    code, out = _on_terminal(env, ["restore", str(tmp_path / "one.db")], typed)
    assert code == 0, out
    assert "(it holds 2 entries) with" in out and "(1 entry)?" in out
    assert ("Nothing was restored." in out) is not restored
    assert len(export_objects(env)) == (1 if restored else 2)
