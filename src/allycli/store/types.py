"""Action types of one's own in the database: the action_type table's one reader and one
writer, in plain sqlite3 (import, sync and `ally type` all write through `put`).

A row is small and a journal holds at most a few dozen, so every command that names a type
reads them all (`read`), on the connection it already has. TAB completion reads the words
with `completion_words`, read-only and with a short timeout, so a TAB never waits,
migrates or creates a file.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from allycli.core import merge
from allycli.core.taxonomy import Kinds, OwnType

COLUMNS = "id, key, name, pillar, about, aliases, retired, updated_at"


def own_of(row: tuple[object, ...]) -> OwnType:
    """A row of COLUMNS as a type (aliases that are not a JSON list read as none)."""
    _, key, name, pillar, about, aliases, retired, updated = row
    try:
        words = json.loads(str(aliases))
    except ValueError:
        words = []
    if not isinstance(words, list):
        words = []
    return OwnType(
        str(key),
        str(name),
        str(pillar),
        None if about is None else str(about),
        tuple(str(w) for w in words),
        bool(retired),
        str(updated),
    )


def read(conn: sqlite3.Connection) -> Kinds:
    """The journal's action types: the built-in ones and its own."""
    rows = conn.execute(f"SELECT {COLUMNS} FROM action_type").fetchall()
    return Kinds(tuple(map(own_of, rows)))


def put(conn: sqlite3.Connection, t: OwnType) -> None:
    """Write a type's whole version (a new type, a change, or one that won a merge)."""
    conn.execute(
        f"INSERT INTO action_type ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, pillar = excluded.pillar, "
        "about = excluded.about, aliases = excluded.aliases, retired = excluded.retired, "
        "updated_at = excluded.updated_at",
        (t.id, t.key, t.name, t.pillar, t.about, json.dumps(list(t.aliases)), int(t.retired),
         t.updated_at),
    )  # fmt: skip


def entry_counts(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Per action type: its practice entries and the last day one was logged (from the
    practice_day table: a row a day, not every entry)."""
    rows = conn.execute(
        "SELECT category, sum(entries), max(day) FROM practice_day "
        "WHERE category NOT IN ('practice', 'action', 'listening', 'learning', 'yielding') "
        "GROUP BY category"
    )
    return {str(c): (int(n), str(d)) for c, n, d in rows}


def merge_types(
    conn: sqlite3.Connection, incoming: Iterable[OwnType], *, dry_run: bool = False
) -> dict[str, int]:
    """Merge action type objects by the one rule (core/merge.py), as entries, rhythms and
    pauses merge; returns how many had each outcome of merge.OUTCOMES."""
    counts = dict.fromkeys(merge.OUTCOMES, 0)
    for t, counted, taken in merge.merge_each({t.id: t for t in read(conn).own}, incoming):
        counts[counted] += 1
        if taken and not dry_run:
            put(conn, t)
    return counts


def completion_words(db: Path, key: bytes | None = None) -> list[tuple[str, str, bool]] | None:
    """(word, the type's name, retired) for every word of every own type, read-only: nothing
    when there is no file, None when it cannot be read (busy, damaged, or encrypted without
    `key`, its raw key; see store/peeking.py)."""
    if not db.is_file():
        return []
    sql = "SELECT key, name, aliases, retired FROM action_type"
    from allycli.store.peeking import rows as read

    rows = read(db, sql, timeout=0.2, key=key)
    if rows is None:
        return None
    found = []
    for type_key, name, aliases, retired in rows:
        try:
            words = json.loads(aliases)
        except ValueError:
            words = []
        for w in dict.fromkeys([name, type_key, *(words if isinstance(words, list) else [])]):
            found.append((str(w), str(name), bool(retired)))
    return found
