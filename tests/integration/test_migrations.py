"""Migrations on real files: released fixtures, a blank start, refusals, failures, races.

The fixtures in tests/fixtures/ stand for what each released schema version wrote
(tests/fixtures/make_fixtures.py made them once); every one must open with every entry
intact, through real `python -m allycli` processes.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from allycli.core.errors import StorageError
from allycli.store.database import APP_ID, MIGRATIONS, SCHEMA_VERSION, Migration, Store

from .helpers import (
    ally,
    cli_env,
    export_jsonl,
    integrity,
    mode,
    ok,
    one_line_error,
    pragma,
    rows,
    sha256,
    tables,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
INDEXES = ["ix_entry_created_us", "ix_entry_day_created", "ix_entry_folded", "ix_entry_kind_day",
           "ix_entry_kind_pillar_day", "ix_entry_kind_type_day", "ix_hubrow_change"]  # fmt: skip
TABLES = ["action_type", "entry", "hubrow", "pause", "practice_day", "rhythm", "setting", "synced",
          "tombstone"]  # fmt: skip
EXTRA = Migration(SCHEMA_VERSION + 1, "extra: a table for the test", ("CREATE TABLE extra (a)",))
# The last schema version that a release shipped: each of these has a fixture. Bump it (and run
# tests/fixtures/make_fixtures.py for the new version) when a release is cut.
RELEASED = 1


def fixture_versions() -> list[int]:
    found = []
    for path in FIXTURES.glob("ally-v*.db"):
        match = re.fullmatch(r"ally-v(\d+)\.db", path.name)
        assert match, f"unexpected fixture name {path.name}"
        found.append(int(match.group(1)))
    return sorted(found)


def copy_fixture(version: int, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / f"ally-v{version}.db", dest)
    dest.chmod(0o600)
    return dest


def expected_export(version: int) -> list[str]:
    """The fixture's lines as exported today: JSON escapes bidi and C1 characters since
    release 2 (export objects), so they are re-written that way; same objects."""
    from allycli.core.sanitize import json_text

    text = (FIXTURES / f"ally-v{version}.jsonl").read_text(encoding="utf-8")
    return [json_text(json.loads(line)) for line in text.splitlines()]


def backups(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.endswith(".bak"))


def indexes(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "ORDER BY name"
            )
        ]
    finally:
        conn.close()


# -- released versions ------------------------------------------------------------------------


def test_there_is_a_fixture_for_every_released_schema_version() -> None:
    assert fixture_versions() == list(range(1, RELEASED + 1))
    for version in fixture_versions():
        db = FIXTURES / f"ally-v{version}.db"
        uri = db.resolve().as_uri() + "?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True)
        try:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == version
            assert conn.execute("PRAGMA application_id").fetchone()[0] == APP_ID
            assert conn.execute("SELECT count(*) FROM entry").fetchone()[0] == len(
                expected_export(version)
            )
        finally:
            conn.close()


@pytest.mark.parametrize("version", fixture_versions())
def test_a_released_database_opens_with_every_entry_intact(tmp_path: Path, version: int) -> None:
    db = copy_fixture(version, tmp_path / "data" / "ally.db")
    env = cli_env(tmp_path, db)
    expected = expected_export(version)
    assert len(expected) == 20

    assert export_jsonl(env) == expected
    out = ok(ally(env, "log", "protest", "--note", "after the upgrade")).stdout
    assert out.startswith("Logged protest (action)")
    after = export_jsonl(env)
    assert [line for line in after if line in expected] == expected
    [new] = [line for line in after if line not in expected]
    assert '"note": "after the upgrade"' in new

    assert pragma(db, "user_version") == SCHEMA_VERSION
    assert pragma(db, "application_id") == APP_ID
    assert integrity(db) == ["ok"]
    if version < SCHEMA_VERSION:
        assert backups(db) == [f"ally.db.v{version}.bak"]
    else:
        assert backups(db) == []


def test_a_new_step_upgrades_v1_keeps_every_entry_and_a_private_backup(tmp_path: Path) -> None:
    db = copy_fixture(1, tmp_path / "ally.db")
    before = rows(db)
    assert len(before) == 20

    store = Store(db, migrations=(*MIGRATIONS, EXTRA))
    store.connect(write=True).close()

    assert pragma(db, "user_version") == SCHEMA_VERSION + 1
    assert tables(db) == sorted([*TABLES, "extra"])
    assert len(rows(db)) == len(before)  # every entry; their content: test_every_fixture...
    assert integrity(db) == ["ok"]
    backup = tmp_path / "ally.db.v1.bak"
    assert backups(db) == ["ally.db.v1.bak"]
    assert mode(backup) == 0o600
    assert pragma(backup, "user_version") == 1
    assert tables(backup) == ["entry"]
    assert rows(backup) == before

    store.connect(write=True).close()  # already up to date: no second backup
    assert backups(db) == ["ally.db.v1.bak"]


# -- the runner from nothing --------------------------------------------------------------------


@pytest.mark.parametrize("start", ["missing", "empty file"])
def test_the_runner_builds_the_schema_from_a_blank_database(tmp_path: Path, start: str) -> None:
    db = tmp_path / "new" / "ally.db"
    if start == "empty file":
        db.parent.mkdir(mode=0o700)
        db.touch(mode=0o600)
    Store(db).connect(write=True).close()

    assert pragma(db, "user_version") == SCHEMA_VERSION
    assert pragma(db, "application_id") == APP_ID
    assert pragma(db, "journal_mode") == "wal"
    assert tables(db) == TABLES
    assert indexes(db) == INDEXES
    assert mode(db) == 0o600
    assert mode(db.parent) == 0o700
    assert backups(db) == []  # nothing to back up from version 0
    assert rows(db) == []


def test_the_runner_applies_steps_in_order_each_once(tmp_path: Path) -> None:
    steps = (
        *MIGRATIONS,
        Migration(
            SCHEMA_VERSION + 1,
            "a",
            ("CREATE TABLE extra (a)", "INSERT INTO extra VALUES ('two')"),
        ),
        Migration(SCHEMA_VERSION + 2, "b", ("INSERT INTO extra SELECT a || '+three' FROM extra",)),
    )
    db = tmp_path / "ally.db"
    Store(db, migrations=steps[:-1]).connect(write=True).close()
    assert pragma(db, "user_version") == SCHEMA_VERSION + 1
    assert backups(db) == []

    Store(db, migrations=steps).connect(write=True).close()
    Store(db, migrations=steps).connect(write=True).close()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT a FROM extra ORDER BY a").fetchall() == [
            ("two",),
            ("two+three",),
        ]
    finally:
        conn.close()
    assert pragma(db, "user_version") == SCHEMA_VERSION + 2
    assert backups(db) == [f"ally.db.v{SCHEMA_VERSION + 1}.bak"]
    assert pragma(tmp_path / f"ally.db.v{SCHEMA_VERSION + 1}.bak", "user_version") == (
        SCHEMA_VERSION + 1
    )


def test_reading_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "nothing" / "ally.db"
    store = Store(db)
    assert store.schema_version() == SCHEMA_VERSION
    env = cli_env(tmp_path, db)
    assert ok(ally(env, "export")).stdout == ""
    assert ok(ally(env, "list", "--json")).stdout == "[]\n"
    assert not db.parent.exists()


# -- refusals and failures ------------------------------------------------------------------------


def test_a_database_from_a_newer_ally_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = copy_fixture(1, tmp_path / "ally.db")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    digest = sha256(db)
    env = cli_env(tmp_path, db)
    refusal = (
        f"ally: The database {db} was written by a newer ally (schema 99, this one knows "
        f"{SCHEMA_VERSION}); upgrade ally to use it. It was left as it is"
    )

    for command in (["list"], ["report"], ["export"], ["backup"]):
        assert one_line_error(ally(env, *command)) == refusal + ".", command
    line = one_line_error(ally(env, "log", "protest", "--note", "kept for later"))
    assert line.startswith(refusal + "; your entry was kept in ")
    assert "kept for later" not in line
    with pytest.raises(StorageError, match="newer ally"):
        Store(db).connect(write=True)

    assert sha256(db) == digest
    assert pragma(db, "user_version") == 99
    assert backups(db) == []


def test_a_failing_step_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    db = copy_fixture(1, tmp_path / "ally.db")
    before = rows(db)
    digest = sha256(db)
    boom = Migration(2, "boom", ("CREATE TABLE x(a)", "THIS IS NOT SQL"))
    store = Store(db, migrations=(MIGRATIONS[0], boom))  # the step after release 1, broken

    with pytest.raises(StorageError) as raised:
        store.connect(write=True)
    assert raised.value.message == (
        f'Upgrading the database {db} to schema 2 failed (near "THIS": syntax error); '
        f"it was left as it was; a copy from before is at {tmp_path / 'ally.db.v1.bak'}."
    )

    assert sha256(db) == digest
    assert pragma(db, "user_version") == 1
    assert tables(db) == ["entry"]
    assert rows(db) == before
    assert integrity(db) == ["ok"]
    backup = tmp_path / "ally.db.v1.bak"
    assert backups(db) == ["ally.db.v1.bak"]
    assert mode(backup) == 0o600
    assert rows(backup) == before
    assert pragma(backup, "user_version") == 1

    with pytest.raises(StorageError):  # a second try keeps the first backup
        store.connect(write=True)
    assert backups(db) == ["ally.db.v1.2.bak", "ally.db.v1.bak"]
    assert rows(tmp_path / "ally.db.v1.2.bak") == before

    env = cli_env(tmp_path, db)  # today's ally still opens it
    assert export_jsonl(env) == expected_export(1)


# -- two processes at once ----------------------------------------------------------------------

MIGRATOR = r"""
import sys
from pathlib import Path
from allycli.core.errors import AllyError
from allycli.store.database import MIGRATIONS, SCHEMA_VERSION, Migration, Store

steps = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "extra", ("CREATE TABLE extra (a)",
                                             "INSERT INTO extra VALUES (1)")))
store = Store(Path(sys.argv[1]), migrations=steps)
print("ready", flush=True)
sys.stdin.readline()
try:
    store.connect(write=True).close()
except AllyError as exc:
    sys.exit(exc.message)
"""


def migrate_at_once(db: Path, processes: int) -> list[subprocess.CompletedProcess[str]]:
    """Start processes, wait until each has imported everything, then release them together."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATOR, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    for p in procs:
        assert p.stdout is not None
        assert p.stdout.readline() == "ready\n"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    done = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


@pytest.mark.slow
@pytest.mark.parametrize("start", ["blank", "v1"])
def test_processes_migrating_at_once_all_succeed(tmp_path: Path, start: str) -> None:
    started = time.monotonic()
    for round_ in range(6):
        db = tmp_path / f"round{round_}" / "ally.db"
        before: list[tuple[object, ...]] = []
        if start == "v1":
            copy_fixture(1, db)
            before = rows(db)
        results = migrate_at_once(db, processes=4)
        assert [(r.returncode, r.stderr) for r in results] == [(0, "")] * 4, round_
        assert pragma(db, "user_version") == SCHEMA_VERSION + 1
        assert tables(db) == sorted([*TABLES, "extra"])
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT count(*) FROM extra").fetchone()[0] == 1
        conn.close()
        assert pragma(db, "journal_mode") == "wal"
        assert integrity(db) == ["ok"]
        assert len(rows(db)) == len(before)
        if start == "v1":
            # one backup, kept by the process that migrated, holding version 1 exactly
            # (its name is .v1.bak or .v1.N.bak, whichever that process claimed)
            [name] = backups(db)
            assert re.fullmatch(r"ally\.db\.v1(\.[2-4])?\.bak", name), name
            assert mode(db.with_name(name)) == 0o600
            assert pragma(db.with_name(name), "user_version") == 1
            assert rows(db.with_name(name)) == before
        else:
            assert backups(db) == []
    assert time.monotonic() - started < 30
