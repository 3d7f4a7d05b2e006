"""`ally doctor` says "ok" only of what it checked and found ok, tells writable from not by
trying, and names entries dated before 1900. Real processes on real files."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.integration.helpers import ally, cli_env, modes_are_enforced, ok, without_root_override


def _marks(out: str) -> dict[str, str]:
    """Each finding's name and its mark: "ok", "!!" or "" (only said, no verdict)."""
    found = {}
    for line in out.splitlines():
        if line.startswith(("ok ", "!! ", "   ")) and not line[3:].startswith(" "):
            name = line[3:].split("  ")[0]
            found[name] = line[:2].strip()
    return found


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    return cli_env(tmp_path, folder / "ally.db")


def test_random_bytes_are_never_an_ok_database(env: dict[str, str]) -> None:
    db = Path(env["ALLY_DB"])
    db.write_bytes(os.urandom(5000))
    db.chmod(0o600)
    before = db.read_bytes()
    result = ally(env, "doctor")
    assert result.returncode == 1
    marks = _marks(result.stdout)
    assert marks["database"] == ""  # the path it looked at, not a verdict
    assert marks["format"] == "!!"
    assert not any(mark == "ok" for name, mark in marks.items() if name != "mode ally.db"
                   and name != "folder mode" and name != "prompts")  # fmt: skip
    assert db.read_bytes() == before


def test_another_programs_sqlite_file_is_judged_no_further_than_its_kind(
    env: dict[str, str],
) -> None:
    db = Path(env["ALLY_DB"])
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE shopping (item TEXT)")
    conn.commit()
    conn.close()
    db.chmod(0o600)
    before = db.read_bytes()
    marks = _marks(ally(env, "doctor").stdout)
    assert marks["kind"] == "!!"
    assert "writable" not in marks and "entries" not in marks and "integrity" not in marks
    assert db.read_bytes() == before


def test_counts_and_paths_are_said_without_a_verdict(env: dict[str, str]) -> None:
    ok(ally(env, "log", "protest"))
    marks = _marks(ok(ally(env, "doctor")).stdout)
    assert marks["database"] == marks["entries"] == marks["backups"] == ""
    assert marks["integrity"] == marks["kind"] == marks["writable"] == "ok"


def test_entries_dated_before_1900_are_named(env: dict[str, str], tmp_path: Path) -> None:
    rows = [
        {"id": f"0a0a0a0{n}-0000-4000-8000-00000000000{n}", "kind": "practice", "date": day,
         "created_at": "2026-12-01T09:00:00+00:00", "pillar": "listening",
         "action_type": None, "note": None, "minutes": None}
        for n, day in enumerate(("0226-12-05", "1899-12-31", "1900-01-01"), start=1)
    ]  # fmt: skip
    source = tmp_path / "old.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ok(ally(env, "import", str(source)))
    out = ok(ally(env, "doctor")).stdout
    assert _marks(out)["dates"] == ""
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("   dates"))
    assert lines[at].split(None, 1)[1] == (
        "2 entries are dated before 1900: 0a0a0a01 on 0226-12-05, 0a0a0a02 on 1899-12-31"
    )
    assert lines[at + 1].split("fix: ")[1] == (
        "if a date is a typo, `ally edit ID --date YYYY-MM-DD` moves the entry"
    )


@pytest.mark.slow
def test_writable_is_told_by_trying(env: dict[str, str], tmp_path: Path) -> None:
    """A read-only folder with the journal's -wal and -shm open beside it (another ally
    holds it): `log` still records, so doctor must not say "writable no"."""
    if not modes_are_enforced(tmp_path / "probe"):
        pytest.skip("cannot drop root's file-mode override here, so read-only is not real")
    db = Path(env["ALLY_DB"])
    ok(ally(env, "log", "voting"))
    holder = sqlite3.connect(db)  # keeps -wal and -shm in place, as a running ally does
    holder.execute("SELECT count(*) FROM entry").fetchone()
    db.parent.chmod(0o500)
    try:
        doctor = ally(env, "doctor", preexec_fn=without_root_override)
        logged = ally(env, "log", "protest", preexec_fn=without_root_override)
        assert (logged.returncode, logged.stderr) == (0, "")
        assert doctor.returncode == 0, doctor.stdout
        assert _marks(doctor.stdout)["writable"] == "ok"
    finally:
        db.parent.chmod(0o700)
        holder.close()
    db.chmod(0o400)
    try:
        doctor = ally(env, "doctor", preexec_fn=without_root_override)
    finally:
        db.chmod(0o600)
    assert doctor.returncode == 1
    assert _marks(doctor.stdout)["writable"] == "!!"
    assert f"fix: run: chmod u+w {db}" in doctor.stdout
