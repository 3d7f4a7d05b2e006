"""Journals for the sync tests: real SQLite files, written the way ally writes them."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from allycli.core.records import Record
from allycli.store.database import Store

if TYPE_CHECKING:
    from tests.sync.pgcluster import Cluster

BASE = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
# Tables whose rows are the journal (setting and synced are each machine's own).
JOURNAL_TABLES = ("entry", "tombstone", "rhythm", "pause")


def stamp(seconds: float, offset_hours: int = 0) -> str:
    tz = timezone(timedelta(hours=offset_hours))
    return (BASE + timedelta(seconds=seconds)).astimezone(tz).isoformat(timespec="microseconds")


def practice(note: str | None, at: str, *, day: str = "2026-11-20", **fields: object) -> Record:
    values: dict[str, object] = {
        "id": str(uuid.uuid4()),
        "kind": "practice",
        "day": day,
        "created_at": at,
        "pillar": "action",
        "action_type": "protest",
        "note": note,
        "updated_at": at,
    }
    values.update(fields)
    return Record(**values)  # type: ignore[arg-type]


def reflection(answer: str, at: str) -> Record:
    return Record(
        id=str(uuid.uuid4()), kind="reflection", day="2026-11-20", created_at=at,
        pillar="listening", prompt_id="reflect-listening-01", prompt="Whom did you hear out?",
        answer=answer, updated_at=at,
    )  # fmt: skip


@dataclass
class Journal:
    path: Path

    @property
    def store(self) -> Store:
        return Store(self.path)

    def add(self, *records: Record) -> None:
        self.store.insert([r.row() for r in records])

    def edit(self, entry_id: str, note: str, at: str) -> None:
        """What `ally edit ID --note` does to the file: new text, new updated_at."""
        from allycli.core.folding import fold

        with self.store.writing() as conn:
            prompt, answer = conn.execute(
                "SELECT prompt, answer FROM entry WHERE id = ?", (entry_id,)
            ).fetchone()
            conn.execute(
                "UPDATE entry SET note = ?, folded = ?, updated_at = ? WHERE id = ?",
                (note, fold(note, prompt, answer), at, entry_id),
            )

    def delete(self, entry_id: str, at: str) -> None:
        self.store.delete(entry_id, deleted_at=at)

    def ids(self) -> list[str]:
        return sorted(str(row[0]) for row in self.rows("entry"))

    def rows(self, table: str) -> list[tuple[object, ...]]:
        if not self.path.exists():
            return []
        with sqlite3.connect(self.path) as conn:
            return sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)

    def dump(self) -> dict[str, list[tuple[object, ...]]]:
        """Everything in the file, table by table (to check that a sync left it as it was)."""
        if not self.path.exists():
            return {}
        with sqlite3.connect(self.path) as conn:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            return {
                t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables
            }

    def export(self) -> str:
        from allycli.core import exchange
        from allycli.store.queries import Filters, records

        out = io.StringIO()
        with self.store.reading() as conn:
            exchange.write(records(conn, Filters(newest_first=False)), "jsonl", out)
        return out.getvalue()

    def journal(self) -> dict[str, list[tuple[object, ...]]]:
        return {t: self.rows(t) for t in JOURNAL_TABLES}

    def ally(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """`ally ARGS` against this journal: in this process (a process proves nothing more
        here, and costs a second of start-up on a loaded machine), or in a real one when the
        environment changes what Python imports (PYTHONPATH: a module that crashes, say)."""
        if env is None or "PYTHONPATH" not in env:
            return self.in_process(*args, env=env)
        return subprocess.run(
            [sys.executable, "-m", "allycli", *args],
            env={**os.environ, "ALLY_DB": str(self.path), **(env or {})},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def in_process(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        from typer.testing import CliRunner

        from allycli.cli.app import app

        result = CliRunner().invoke(
            app, list(args), env={"ALLY_DB": str(self.path), **(env or {})}, prog_name="ally"
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a bug: its traceback, not a return code
        return subprocess.CompletedProcess(
            ["ally", *args], result.exit_code, result.stdout, result.stderr
        )

    def popen(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "allycli", *args],
            env={**os.environ, "ALLY_DB": str(self.path), **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


# -- the hub seen from its admin -----------------------------------------------------------


def hub_until(
    pg: Cluster, db: str, sql: str, *, seconds: float = 120, pause: float = 0.05
) -> list[tuple[object, ...]]:
    """Ask the hub database `db` with `sql` until its first value is not 0 (a count, a
    pid): those rows, or [] once `seconds` have passed (a ceiling for a loaded machine, not a
    measure; the caller says whether that is a failure)."""
    deadline = time.monotonic() + seconds
    while True:
        rows = pg.admin_sql(sql, db=db)
        if rows and rows[0][0]:
            return rows
        if time.monotonic() >= deadline:
            return []
        time.sleep(pause)


def slow_hub(pg: Cluster, db: str, deferred: bool, seconds: int = 3) -> None:
    """A trigger that keeps the hub busy for a while: in the push itself, or at commit."""
    pg.admin_sql(
        "CREATE FUNCTION ally.slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF coalesce(current_setting('ally_test.slept', true), '') = '' THEN "
        f"PERFORM set_config('ally_test.slept', 'yes', true); PERFORM pg_sleep({seconds}); "
        "END IF; "
        "RETURN NULL; END $$",
        db=db,
    )
    if deferred:
        pg.admin_sql(
            "CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON ally.item DEFERRABLE INITIALLY "
            "DEFERRED FOR EACH ROW EXECUTE FUNCTION ally.slow()",
            db=db,
        )
    else:
        pg.admin_sql(
            "CREATE TRIGGER slow AFTER INSERT ON ally.item FOR EACH STATEMENT "
            "EXECUTE FUNCTION ally.slow()",
            db=db,
        )


def wait_for_sleep(pg: Cluster, db: str) -> None:
    """Until a sync's session sleeps in the trigger `slow_hub` made."""
    sleeping = hub_until(
        pg,
        db,
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ally' "
        "AND wait_event = 'PgSleep'",
    )
    if not sleeping:
        raise AssertionError("the sync never reached the slow trigger")
