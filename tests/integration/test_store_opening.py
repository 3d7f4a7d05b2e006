"""Opening the store: a read-only database's side files, doctor in a read-only
folder, ALLY_DB naming a FIFO, two backups in one second, and the report grid when entries
come from a time zone ahead. Real processes on real files."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from .helpers import (
    ally,
    cli_env,
    export_objects,
    mode,
    modes_are_enforced,
    ok,
    one_line_error,
    without_root_override,
)

# `ally` at a fixed instant: time_machine in the child, before the command line starts.
AT = """
import sys, time_machine
from datetime import datetime
time_machine.travel(datetime.fromisoformat(sys.argv[1]), tick=False).start()
sys.argv = ["ally", *sys.argv[2:]]
from allycli.cli.app import main
main()
"""


def ally_at(env: dict[str, str], instant: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", AT, instant, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def limited(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return ally(env, *args, preexec_fn=without_root_override)


@pytest.fixture
def enforced(tmp_path: Path) -> None:
    if not modes_are_enforced(tmp_path / "probe"):
        pytest.skip("cannot drop root's file-mode override here, so read-only is not real")


@pytest.mark.slow
@pytest.mark.usefixtures("enforced")
def test_a_read_of_a_0400_database_leaves_it_writable_once_made_0600(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = folder / "ally.db"
    env = cli_env(tmp_path, db)
    ok(ally(env, "log", "voting", "--note", "first"))
    for side in ("-wal", "-shm"):
        db.with_name(db.name + side).unlink(missing_ok=True)
    db.chmod(0o400)
    assert [e["note"] for e in json.loads(ok(limited(env, "list", "--json")).stdout)] == ["first"]
    limited(env, "doctor")  # doctor reads it too
    # no 0400 -shm or -wal; only the lock file every connection holds (made 0600 by the log)
    assert sorted(p.name for p in folder.iterdir()) == ["ally.db", "ally.db.lock"]
    assert mode(folder / "ally.db.lock") == 0o600

    db.chmod(0o600)  # the advice the refusal gives
    ok(limited(env, "log", "protest", "--note", "second"))
    assert sorted(e["note"] for e in export_objects(env)) == ["first", "second"]


@pytest.mark.slow
@pytest.mark.usefixtures("enforced")
def test_doctor_in_a_read_only_folder_does_not_advise_restoring_a_healthy_database(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = folder / "ally.db"
    env = cli_env(tmp_path, db)
    ok(ally(env, "log", "voting"))
    ok(ally(env, "backup"))
    folder.chmod(0o500)
    try:  # the -wal and -shm are there and writable: ally records, so doctor says so
        beside = limited(env, "doctor")
        assert beside.returncode == 0, beside.stdout
        assert "ok writable" in beside.stdout
        ok(limited(env, "log", "protest"))
    finally:
        folder.chmod(0o700)
    conn = sqlite3.connect(db)  # every change into the main file, then no side files
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for side in ("-wal", "-shm"):
        db.with_name(db.name + side).unlink(missing_ok=True)
    folder.chmod(0o500)
    try:  # without them SQLite must create them, and the folder refuses
        result = limited(env, "doctor")
        assert limited(env, "log", "protest").returncode == 1
    finally:
        folder.chmod(0o700)
    assert result.returncode == 1
    assert "restore" not in result.stdout
    problems = [ln.split()[1] for ln in result.stdout.splitlines() if ln.startswith("!!")]
    assert problems == ["writable"]
    fixes = [ln.split("fix: ")[1] for ln in result.stdout.splitlines() if "fix: " in ln]
    assert fixes == [f"run: chmod u+w {folder}"]
    checks = dict(ln[3:].split(None, 1) for ln in result.stdout.splitlines() if ln[3:4] != " ")
    assert (checks["integrity"], checks["entries"]) == ("no damage found", "2")


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [("list",), ("doctor",), ("log", "protest"), ("report",), ("export",), ("backup",)],
    ids=lambda a: a[0],
)
def test_ally_db_naming_a_fifo_is_refused_at_once(tmp_path: Path, args: tuple[str, ...]) -> None:
    fifo = tmp_path / "ally.db"
    os.mkfifo(fifo, 0o600)
    env = cli_env(tmp_path, fifo)
    result = ally(env, *args, timeout=120)
    said = (
        f"{fifo} is not a regular file (a pipe, a device or a socket); ALLY_DB must name an "
        "ordinary file"
    )
    if args[0] == "doctor":
        assert result.returncode == 1
        assert re.search(f"^!! format +{re.escape(said)}\\.$", result.stdout, re.M), result.stdout
    elif args[0] == "log":
        assert one_line_error(result).startswith(f"ally: {said}; your entry was kept in ")
    else:
        assert one_line_error(result) == f"ally: {said}."


@pytest.mark.slow
def test_two_backups_in_the_same_second_both_succeed(tmp_path: Path) -> None:
    db = tmp_path / "ally.db"
    env = {**cli_env(tmp_path, db), "TZ": "UTC"}
    ok(ally(env, "log", "voting"))
    instant = "2026-11-25T10:20:30+00:00"
    first = ok(ally_at(env, instant, "backup"))
    second = ok(ally_at(env, instant, "backup"))
    folder = tmp_path / "backups"
    held = "(1 entry, 0 rhythms and 0 pauses)"
    assert first.stdout == f"Backed up {db} {held} to {folder / 'ally-20261125-102030.db'}.\n"
    assert second.stdout == f"Backed up {db} {held} to {folder / 'ally-20261125-102030-2.db'}.\n"
    assert sorted((p.name, mode(p)) for p in folder.iterdir()) == [
        ("ally-20261125-102030-2.db", 0o600),
        ("ally-20261125-102030.db", 0o600),
    ]
    taken = tmp_path / "mine.db"
    taken.write_bytes(b"")
    said = one_line_error(ally(env, "backup", "--output", str(taken)))
    assert said == f"ally: {taken} already exists; choose a new file for the backup."


# -- the report grid and time zones ------------------------------------------------------------


def entry(n: int, day: str, created: str, pillar: str, action_type: str | None) -> str:
    return json.dumps(
        {"id": str(uuid.UUID(int=n)), "kind": "practice", "date": day, "created_at": created,
         "pillar": pillar, "action_type": action_type, "note": None, "minutes": None}
    )  # fmt: skip


@pytest.mark.slow
def test_the_report_grid_shows_each_counted_entry_in_its_day(tmp_path: Path) -> None:
    """Wednesday 25 November, 10:00 UTC here; a machine at UTC+14 already logged Thursday."""
    env = {**cli_env(tmp_path, tmp_path / "ally.db"), "TZ": "UTC"}
    source = tmp_path / "ahead.jsonl"
    source.write_text(
        entry(1, "2026-11-24", "2026-11-24T09:00:00+00:00", "listening", None) + "\n"
        + entry(2, "2026-11-26", "2026-11-26T08:00:00+14:00", "listening", None) + "\n"
        + entry(3, "2026-11-26", "2026-11-26T08:30:00+14:00", "action", "money") + "\n"
    )  # fmt: skip
    ok(ally(env, "import", str(source)))
    now = "2026-11-25T10:00:00+00:00"
    shown = ok(ally_at(env, now, "report")).stdout.splitlines()
    header = next(ln for ln in shown if ln.split()[:2] == ["Mon", "Tue"])
    grid = shown[shown.index(header) :]
    rows: dict[str, str] = {}
    for ln in grid:
        if ln.split() and ln.split()[0] in ("action", "listening", "learning", "yielding", "total"):
            rows.setdefault(ln.split()[0], ln)  # the grid's rows come first

    def cell(row: str, day: str) -> str:
        end = header.index(day) + len(day)
        return rows[row][end - 3 : end].strip()

    assert [cell("listening", d) for d in ("Mon", "Tue", "Wed", "Thu", "Fri")] == [
        "·", "1", "·", "1", ""
    ]  # fmt: skip
    assert [cell("action", d) for d in ("Tue", "Wed", "Thu")] == ["·", "·", "1"]
    assert [cell("total", d) for d in ("Tue", "Wed", "Thu", "Fri")] == ["1", "·", "2", ""]
    assert rows["listening"].split()[-1] == "2"
    assert rows["total"].split()[-1] == "3"
    as_json = json.loads(ok(ally_at(env, now, "report", "--json")).stdout)
    assert (as_json["entries"], as_json["by_pillar"]["listening"]) == (3, 2)
    thursday = next(b for b in as_json["buckets"] if b["start"] == "2026-11-26")
    assert thursday["by_pillar"] == {"action": 1, "listening": 1, "learning": 0, "yielding": 0}


@pytest.mark.slow
@pytest.mark.usefixtures("enforced")
def test_a_read_only_shm_left_by_an_older_read_is_made_writable_again(tmp_path: Path) -> None:
    """What ally before release 2 left after reading a 0400 database: a 0400 -shm (and -wal)
    beside a database the user has since made 0600 again."""
    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db)
    ok(ally(env, "log", "voting", "--note", "first"))
    subprocess.run(  # a reader that ends without closing: -wal and -shm stay behind
        [sys.executable, "-c", "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM entry').fetchall(); os._exit(0)", str(db)],
        check=True,
    )  # fmt: skip
    shm, wal = db.with_name("ally.db-shm"), db.with_name("ally.db-wal")
    shm.chmod(0o400)
    wal.chmod(0o400)
    ok(limited(env, "log", "protest", "--note", "second"))
    assert sorted(e["note"] for e in export_objects(env)) == ["first", "second"]
    assert [mode(p) for p in (db, wal, shm) if p.exists()] == [0o600] * len(
        [p for p in (db, wal, shm) if p.exists()]
    )
