"""Shared helpers for the fault and migration tests: real processes on real SQLite files."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from allycli.core.records import Record
from allycli.store.database import Store

ALLY = (sys.executable, "-m", "allycli")


def cli_env(root: Path, db: Path, **extra: str) -> dict[str, str]:
    """The environment for an ally subprocess: its own database, home and XDG folders."""
    env = dict(os.environ)
    for name in ("ALLY_PROMPTS", "ALLY_DEBUG", "ALLY_BUSY_TIMEOUT", "PYTHONWARNINGS"):
        env.pop(name, None)
    home = root / "home"
    env.update(
        ALLY_DB=str(db),
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        NO_COLOR="1",
        COLUMNS="80",
        PYTHONDONTWRITEBYTECODE="1",
        TMPDIR=str(root),  # the last place for a draft is $TMPDIR/ally-<uid>: keep it here
    )
    env.update(extra)
    return env


def ally(
    env: dict[str, str],
    *args: str,
    input: str | bytes | None = None,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m allycli ARGS` in a new process; stdout and stderr as text."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    proc = subprocess.run(
        [*ALLY, *args],
        env=env,
        input=data if data is not None else b"",
        capture_output=True,
        preexec_fn=preexec_fn,
        timeout=timeout,
        check=False,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.args[3:], result.returncode, result.stderr)
    return result


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The single line of a refused command, checked: exit code, one line, no traceback."""
    assert result.returncode == code, (result.args[3:], result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ally: "), result.stderr
    return lines[0]


def export_jsonl(env: dict[str, str]) -> list[str]:
    """`ally export` (jsonl) as its lines, through a real process."""
    return ok(ally(env, "export")).stdout.splitlines()


def export_objects(env: dict[str, str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in export_jsonl(env)]


def integrity(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def stored_notes(db: Path) -> list[str]:
    """Every note in the file, read with plain sqlite3 (an empty list before the schema)."""
    conn = sqlite3.connect(db)
    try:
        has_table = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'entry'"
        ).fetchone()[0]
        if not has_table:
            return []
        return [row[0] for row in conn.execute("SELECT note FROM entry")]
    finally:
        conn.close()


def rows(db: Path) -> list[tuple[object, ...]]:
    """Every entry row, ordered by id, read read-only with plain sqlite3."""
    conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute("SELECT * FROM entry ORDER BY id").fetchall()
    finally:
        conn.close()


def pragma(db: Path, name: str) -> object:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def tables(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
    finally:
        conn.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def practice(n: int, note: str | None = None, day: str = "2026-11-20") -> Record:
    """A practice entry with a fixed id (uuid with int n), for databases built in-process."""
    return Record(
        id=str(uuid.UUID(int=n)),
        kind="practice",
        day=day,
        created_at=f"{day}T09:00:00+00:00",
        pillar="action",
        action_type="protest",
        note=f"entry {n}" if note is None else note,
    )


def make_db(db: Path, records: Iterable[Record]) -> list[Record]:
    """A real ally database holding these records, checkpointed (no -wal left behind)."""
    made = list(records)
    store = Store(db)
    store.insert([r.row() for r in made])
    store.checkpoint()
    return made
