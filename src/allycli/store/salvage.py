"""Reading what can still be read from a damaged journal, row by row.

Python's sqlite3 has no recovery API, so the rows are read by probing ranges of rowids
with `NOT INDEXED` scans of each table's own b-tree (a damaged index is never consulted):
a range that reads is taken whole; one that fails is split in two until the rows that
fail are alone, so one bad page costs only the rows on it. Text is read as bytes and
decoded here: a row whose text is not UTF-8 is a row that could not be read, and its bytes
go nowhere (not into a message, not into the output).

An encrypted journal is read the same way through SQLCipher, with its raw key: a page that
fails its check reads as damaged, and only its rows are lost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from allycli.store.opening import connect, database_errors, db_errors
from allycli.store.schema import RECORD_COLUMNS

SPAN = 512  # rowids probed in one range at first
PAUSE_COLUMNS = ("id", "since", "until", "categories", "note", "created_at", "updated_at")
RHYTHM_COLUMNS = ("category", "spec", "updated_at")
TYPE_COLUMNS = ("id", "key", "name", "pillar", "about", "aliases", "retired", "updated_at")
TABLES = {
    "action_type": TYPE_COLUMNS,  # first: the entries that name one's own types need them
    "entry": RECORD_COLUMNS,
    "rhythm": RHYTHM_COLUMNS,
    "pause": PAUSE_COLUMNS,
}


@dataclass
class Tally:
    """Rows that could not be read (a probe of one rowid that failed, or text that is not
    UTF-8), by table."""

    unreadable: dict[str, int] = field(default_factory=dict)

    def miss(self, table: str, n: int = 1) -> None:
        self.unreadable[table] = self.unreadable.get(table, 0) + n


def open_damaged(path: Path, key: bytes | None = None) -> sqlite3.Connection | None:
    """The journal, read-only, its text as bytes (decoded here); with `key`, an encrypted
    journal's raw key. None when SQLite cannot open it at all."""
    try:
        conn = connect(path, 5.0, read_only=True, key=key)
    except db_errors():
        return None
    conn.text_factory = bytes
    return conn


def rows(conn: sqlite3.Connection, table: str, tally: Tally) -> Iterator[tuple[object, ...]]:
    """Every row of `table` that reads whole, its text decoded; what fails is counted."""
    columns = TABLES[table]
    if _absent(conn, table):  # a journal from before the table: nothing is lost
        return
    top = _top(conn, table)
    if top is None:
        tally.miss(table)  # the table itself cannot be found or read
        return
    sql = f"SELECT {', '.join(columns)} FROM {table} NOT INDEXED WHERE rowid >= ? AND rowid < ?"
    pending = [(lo, min(lo + SPAN, top + 1)) for lo in range(1, top + 1, SPAN)]
    pending.reverse()
    while pending:
        lo, hi = pending.pop()
        try:
            found = conn.execute(sql, (lo, hi)).fetchall()
        except database_errors():
            if hi - lo == 1:
                tally.miss(table)
                continue
            mid = (lo + hi) // 2
            pending += [(mid, hi), (lo, mid)]
            continue
        for row in found:
            decoded = _decoded(row)
            if decoded is None:
                tally.miss(table)
            else:
                yield decoded


def _absent(conn: sqlite3.Connection, table: str) -> bool:
    """Whether the schema, read whole, has no such table (as before its migration)."""
    try:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    except database_errors():
        return False
    return found is None


def _top(conn: sqlite3.Connection, table: str) -> int | None:
    """The largest rowid to probe: the table's own; else, when its first row still reads,
    a bound from the file's size; None when the table cannot be read at all (its root)."""
    try:
        found = conn.execute(f"SELECT max(rowid) FROM {table} NOT INDEXED").fetchone()[0]
        return int(found or 0)
    except database_errors():
        pass
    try:
        conn.execute(f"SELECT rowid FROM {table} NOT INDEXED WHERE rowid = 1").fetchall()
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    except database_errors():
        return None
    return max(pages, 1) * 64  # more rows than the pages can hold, of ally's row sizes


def _decoded(row: tuple[object, ...]) -> tuple[object, ...] | None:
    out: list[object] = []
    for value in row:
        if isinstance(value, bytes):
            try:
                out.append(value.decode("utf-8"))
            except UnicodeDecodeError:
                return None
        else:
            out.append(value)
    return tuple(out)
