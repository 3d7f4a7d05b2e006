"""Entries read and written with plain sqlite3, for the commands that must start fast.

`ally show`, `ally edit`, `ally search`, `ally delete --last` and the merge of `ally import`
work on connections from store.py without loading SQLModel: whole-process time is what a
person feels, and SQLModel's import alone costs more than these queries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from allycli.filters import Filters
from allycli.records import Record
from allycli.schema import ENTRY_COLUMNS
from allycli.store import _match

RECORD_COLUMNS = ENTRY_COLUMNS[:12]  # Record's fields, in order: id ... updated_at
_SELECT = f"SELECT {', '.join(RECORD_COLUMNS)} FROM entry"
_UPSERT = (
    f"INSERT INTO entry ({', '.join(ENTRY_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in ENTRY_COLUMNS)}) "
    f"ON CONFLICT (id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in ENTRY_COLUMNS[1:])
)
_MMAP = 256 * 1024 * 1024


def get(conn: sqlite3.Connection, id_prefix: str) -> Record:
    """The one entry whose id starts with `id_prefix` (4 or more characters)."""
    found_id, _, _ = _match(conn, id_prefix)
    return Record(*conn.execute(_SELECT + " WHERE id = ?", (found_id,)).fetchone())


def newest(conn: sqlite3.Connection) -> Record | None:
    """The entry created most recently, as an instant (ties: the larger id)."""
    row = conn.execute(_SELECT + " ORDER BY created_us DESC, id DESC LIMIT 1").fetchone()
    return None if row is None else Record(*row)


def by_ids(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Record]:
    found: dict[str, Record] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in conn.execute(_SELECT + f" WHERE id IN ({marks})", chunk):
            found[row[0]] = Record(*row)
    return found


def versions(conn: sqlite3.Connection) -> dict[str, str]:
    """Every entry's id and `updated_at`."""
    return dict(conn.execute("SELECT id, updated_at FROM entry"))


def tombstones(conn: sqlite3.Connection) -> dict[str, str]:
    """Every deleted entry's id and when it was deleted."""
    return dict(conn.execute("SELECT id, deleted_at FROM tombstone WHERE kind = 'entry'"))


def put(conn: sqlite3.Connection, records: Iterable[Record]) -> None:
    """Insert or replace whole entries (their folded and ordering keys derived again).

    A replaced row's old text is overwritten in the file only once secure_delete (set on
    every writing connection) has zeroed its old cells and a checkpoint has copied the
    pages home: callers that replace entries checkpoint after the commit.
    """
    conn.executemany(_UPSERT, (r.row() for r in records))


def unbury(conn: sqlite3.Connection, ids: Sequence[str]) -> None:
    """Forget the tombstones of ids that an import brought back (a later version won)."""
    conn.executemany("DELETE FROM tombstone WHERE id = ?", ((i,) for i in ids))


def search(conn: sqlite3.Connection, words: Sequence[str], f: Filters) -> list[Record]:
    """Entries whose folded text contains every (folded) word, newest first."""
    # The words are looked for in the folded index (a covering scan of the folded copy,
    # about a third of the table's bytes); only the matches are read from the table.
    # GLOB '*word*' is a substring test, as instr() is, but a third faster over 100,000
    # rows; the folded text and words are already lower case, so its case rule is moot.
    found = " AND ".join("folded GLOB ?" for _ in words)
    where = [f"rowid IN (SELECT rowid FROM entry INDEXED BY ix_entry_folded WHERE {found})"]
    params: list[object] = [f"*{glob_literal(w)}*" for w in words]
    for clause, value in (
        ("day >= ?", f.since.isoformat() if f.since else None),
        ("day <= ?", f.until.isoformat() if f.until else None),
        ("kind = ?", f.kind),
        ("pillar = ?", f.pillar),
        ("action_type = ?", f.action_type),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    # the scan reads every page once: mapped, they need not be copied into the page cache
    conn.execute(f"PRAGMA mmap_size = {_MMAP}")
    rows = conn.execute(
        f"SELECT {', '.join(RECORD_COLUMNS)}, created_us FROM entry WHERE {' AND '.join(where)}",
        params,
    ).fetchall()
    # newest first: day, then the instant it was made, then the id (as list and export);
    # sorted here, the matches cost a third of what SQLite's sorter takes over whole rows
    rows.sort(key=lambda r: (r[2], r[12], r[0]), reverse=True)
    return [Record(*r[:12]) for r in rows[: f.limit]]


def glob_literal(word: str) -> str:
    """`word` as a GLOB pattern that matches only itself: *, ? and [ in brackets."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in word)
