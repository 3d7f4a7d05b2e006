"""One rule, every door, through the real executable: import refuses a NUL in a note,
minutes out of range and an over-long pause as `log`, `edit` and `pause` do.

Each door says the rule in the same words (core/fields.py), in its own sentence: the command
line names the text or the flag and exits 2 as a usage error; import names the file, the
line and the field, and exits 1 as a refused file does. Neither changes any stored data.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.integration.helpers import ally, cli_env, ok, one_line_error

ID = "3f2a9c1e-0000-4000-8000-000000000001"
STAMP = "2026-11-20T09:00:00+00:00"
NUL = "contains a NUL character, which ally does not store"
MINUTES = "must be a whole number from 1 to 1440"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    ok(ally(env, "log", "money", "--note", "kept", "--minutes", "5"))
    return env


def stored(env: dict[str, str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the entry, rhythm, pause and tombstone tables."""
    conn = sqlite3.connect(f"file:{env['ALLY_DB']}?mode=ro", uri=True)
    try:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("entry", "rhythm", "pause", "tombstone")
        }
    finally:
        conn.close()


def imported(env: dict[str, str], obj: dict[str, Any]) -> str:
    """The one line of an import of a file holding `obj` (refused, exit 1)."""
    path = Path(env["ALLY_DB"]).with_name("in.jsonl")
    path.write_text(json.dumps(obj) + "\n", encoding="utf-8")
    line = one_line_error(ally(env, "import", str(path)), 1)
    prefix = f"ally: {path}, line 1: "
    assert line.startswith(prefix), line
    return line.removeprefix(prefix)


def practice(**fields: Any) -> dict[str, Any]:
    return {"id": ID, "kind": "practice", "date": "2026-11-20", "created_at": STAMP,
            "updated_at": STAMP, "pillar": "action", "action_type": "protest", "note": None,
            "minutes": None, **fields}  # fmt: skip


def test_a_nul_in_a_note_is_refused_by_log_and_by_import(env: dict[str, str]) -> None:
    before = stored(env)
    by_log = one_line_error(ally(env, "log", "protest", "--note", "-", input=b"s-7731\x00"), 2)
    assert by_log == f"ally: The note {NUL}; nothing was saved."
    by_import = imported(env, practice(note="s-7731\x00"))
    assert by_import == f"'note' {NUL}; nothing was imported."
    assert "7731" not in by_log + by_import
    assert stored(env) == before


def test_minutes_out_of_range_are_refused_by_log_edit_and_import(env: dict[str, str]) -> None:
    before = stored(env)
    (entry_id,) = [row[0] for row in before["entry"]]
    by_log = one_line_error(ally(env, "log", "protest", "--minutes", "1441"), 2)
    by_edit = one_line_error(ally(env, "edit", entry_id[:8], "--minutes", "1441"), 2)
    assert by_log == by_edit == f"ally: --minutes {MINUTES}."
    assert (
        imported(env, practice(minutes=1441))
        == f"'minutes' {MINUTES}, or null; nothing was imported."
    )
    assert stored(env) == before


def test_an_over_long_pause_is_refused_by_pause_and_by_import(env: dict[str, str]) -> None:
    before = stored(env)
    since = date.today() - timedelta(days=30)
    until = since + timedelta(days=400)
    why = "lasts at most 366 days (this one would last 401)"
    by_pause = one_line_error(
        ally(env, "pause", "--since", since.isoformat(), "--until", until.isoformat()), 2
    )
    assert by_pause == f"ally: A pause {why}. Pause again for the time after."
    pause = {
        "id": ID, "kind": "pause", "since": since.isoformat(), "until": until.isoformat(),
        "categories": None, "note": None, "created_at": STAMP, "updated_at": STAMP,
    }  # fmt: skip
    assert imported(env, pause) == f"a pause {why}; nothing was imported."
    short = {**pause, "until": (since + timedelta(days=9)).isoformat(), "note": "rest\x00"}
    assert imported(env, short) == f"'note' {NUL}; nothing was imported."
    assert stored(env) == before
