"""The entry table's one writer, and its reads by id and by words, in plain sqlite3.

Every entry is written here: `add` for new ones (log, reflect, import), `put` for whole
versions that replace what is there (edit, import's merge, sync), `remove` for deletes
(delete, sync). The columns come from schema.py. Each write also counts again the
practice_day rows (schema.py) of the categories and days it touched, so that table stays
equal to the entries: one count per write, far cheaper for an import than a trigger per
row. `ally show`, `ally edit`, `ally search` and `ally delete --last` read here too."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from allycli.core import fields
from allycli.core.errors import NotFoundError, UsageError
from allycli.core.fields import FieldError
from allycli.core.filters import Filters
from allycli.core.records import Record
from allycli.store.schema import ENTRY_COLUMNS, RECORD_COLUMNS, practice_days_counted

_SELECT = f"SELECT {', '.join(RECORD_COLUMNS)} FROM entry"
_VALUES = f"({', '.join(ENTRY_COLUMNS)}) VALUES ({', '.join('?' for _ in ENTRY_COLUMNS)})"
_ADD = f"INSERT OR IGNORE INTO entry {_VALUES}"
_UPSERT = f"INSERT INTO entry {_VALUES} ON CONFLICT (id) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in ENTRY_COLUMNS[1:]
)
_MMAP = 256 * 1024 * 1024


# How each table's ids are named to the person who gave a prefix of one.
_ID_NAMES = {"entry": ("entry", "`ally list`"), "pause": ("pause", "`ally pause --list`")}


def checked_prefix(id_prefix: str, table: str = "entry") -> str:
    """An id as given, in lower case, if it can be one: 4 or more hex characters (or dashes);
    a usage error otherwise. Checked before any read, so a draft's name is always an id."""
    what, where = _ID_NAMES[table]
    try:
        return fields.id_prefix(id_prefix.strip())
    except FieldError:
        raise UsageError(
            f"A{'n' if what[0] in 'aeiou' else ''} {what} id is the hex id shown by {where} "
            "(at least its first 4 characters)."
        ) from None


def match_id(
    conn: sqlite3.Connection, id_prefix: str, *, table: str = "entry", columns: str = "id"
) -> tuple[Any, ...]:
    """The row (`columns`) of the one `table` row whose id starts with `id_prefix`, given as
    4 or more of the hex characters that ally shows; a usage error when it names none or
    several. Every command that takes an id (show, edit, delete, pause --end) asks here."""
    what, where = _ID_NAMES[table]
    prefix = checked_prefix(id_prefix, table)
    found = conn.execute(
        f"SELECT {columns} FROM {table} WHERE id >= ? AND id < ? LIMIT 2",
        (prefix, prefix + "\uffff"),
    ).fetchall()
    if not found:
        raise NotFoundError(f"No {what} has the id {prefix}; {where} shows the ids.")
    if len(found) > 1:
        raise UsageError(f"More than one {what} id starts with {prefix}; give more of the id.")
    return tuple(found[0])


def get(conn: sqlite3.Connection, id_prefix: str) -> Record:
    """The one entry whose id starts with `id_prefix` (4 or more characters)."""
    return Record(*match_id(conn, id_prefix, columns=", ".join(RECORD_COLUMNS)))


def completion_ids(
    db: Path, prefix: str, limit: int, key: bytes | None = None
) -> list[tuple[str, ...]] | None:
    """(id, day, kind, pillar, action_type, prompt_id) of the newest entries whose id starts
    with `prefix`, read-only (never creating a file), for TAB: nothing when there is no
    file, None when it cannot be read (with `key`, an encrypted journal's raw key; see
    store/peeking.py)."""
    if not db.is_file():
        return []
    # A short prefix matches many entries: walk the (day, created_at) index from the newest
    # and stop at the limit. A longer one matches few: take them by the primary key.
    column = "+id" if len(prefix) < 2 else "id"
    sql = (
        "SELECT id, day, kind, pillar, action_type, prompt_id FROM entry "
        f"WHERE {column} >= ? AND {column} < ? ORDER BY day DESC, created_at DESC LIMIT ?"
    )
    from allycli.store.peeking import rows

    return rows(db, sql, (prefix, prefix + "\U0010ffff", limit), timeout=0.5, key=key)


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


def add(
    conn: sqlite3.Connection,
    rows: Sequence[Sequence[object]],
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 5000,
) -> int:
    """Insert rows (Record.row(), in ENTRY_COLUMNS order) whose id is not present yet;
    returns how many were new. An id already present is skipped, which makes importing the
    same file twice safe."""
    before = conn.total_changes
    for start in range(0, len(rows), chunk):
        conn.executemany(_ADD, rows[start : start + chunk])
        if progress is not None:
            progress(min(start + chunk, len(rows)), len(rows))
    added = conn.total_changes - before
    if added:
        _recount(conn, rows)
    return added


def put(conn: sqlite3.Connection, records: Iterable[Record]) -> None:
    """Insert or replace whole entries (their folded and ordering keys derived again).

    A replaced row's old text is overwritten in the file only once secure_delete (set on
    every writing connection) has zeroed its old cells and a checkpoint has copied the
    pages home: callers that replace entries checkpoint after the commit.
    """
    rows = [r.row() for r in records]
    touched = _stored(conn, [str(row[0]) for row in rows])
    conn.executemany(_UPSERT, rows)
    _recount(conn, rows, touched)


def put_many(
    conn: sqlite3.Connection,
    records: Sequence[Record],
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 5000,
) -> None:
    """`put` for many entries at once (an import): when they are many against the table,
    its secondary indexes are dropped and built again afterwards, in the same transaction
    (so all or nothing as before), and the page cache is made large enough that no page is
    written twice. Inserting into seven indexes row by row spills SQLite's page cache and
    writes each index page again and again; building an index sorts once."""
    rows = [r.row() for r in records]
    touched = _stored(conn, [str(row[0]) for row in rows])
    with _bulk(conn, len(rows)):
        for start in range(0, len(rows), chunk):
            conn.executemany(_UPSERT, rows[start : start + chunk])
            if progress is not None:
                progress(min(start + chunk, len(rows)), len(rows))
    _recount(conn, rows, touched)


BULK = 5000  # rows from which a write into a table at most four times as large is bulk
BULK_CACHE_KIB = 64 * 1024  # SQLite's page cache while a bulk write runs


@contextlib.contextmanager
def _bulk(conn: sqlite3.Connection, n: int) -> Iterator[None]:
    """Within the caller's transaction: for a large write, the entry table's secondary
    indexes dropped and then created again from their own SQL, and a larger page cache."""
    if n < BULK:
        yield
        return
    stored = conn.execute("SELECT count(*) FROM entry").fetchone()[0]
    indexes = []
    if n * 4 >= stored:
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entry' "
            "AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        yield
        for _, sql in indexes:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


def remove(conn: sqlite3.Connection, ids: Iterable[str]) -> None:
    """Delete these entries (the caller leaves their tombstones and checkpoints)."""
    ids = list(ids)
    touched = _stored(conn, ids)
    conn.executemany("DELETE FROM entry WHERE id = ?", ((i,) for i in ids))
    _recount(conn, (), touched)


# -- practice_day: what each write touched, counted again -----------------------------------

_KIND, _DAY_OF_ROW, _PILLAR, _TYPE = (
    ENTRY_COLUMNS.index(c) for c in ("kind", "day", "pillar", "action_type")
)


def _touched(row: Sequence[object]) -> list[tuple[object, object]]:
    """The (category, day) pairs of practice_day that an entry's row counts in."""
    if row[_KIND] != "practice":
        return []
    day = row[_DAY_OF_ROW]
    pairs = [("practice", day), (row[_PILLAR], day)]
    return [*pairs, (row[_TYPE], day)] if row[_TYPE] is not None else pairs


def _stored(conn: sqlite3.Connection, ids: Sequence[str]) -> set[tuple[object, object]]:
    """The pairs that the stored versions of these entries count in."""
    found: set[tuple[object, object]] = set()
    columns = ", ".join(ENTRY_COLUMNS[: max(_KIND, _DAY_OF_ROW, _PILLAR, _TYPE) + 1])
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = conn.execute(
            f"SELECT {columns} FROM entry WHERE id IN ({', '.join('?' for _ in chunk)})", chunk
        )
        found.update(pair for row in rows for pair in _touched(row))
    return found


_REBUILD = 1000  # days: a write that touches more (an import) counts the whole table again


def _recount(
    conn: sqlite3.Connection,
    rows: Sequence[Sequence[object]],
    stored: frozenset[tuple[object, object]] | set[tuple[object, object]] = frozenset(),
) -> None:
    """Count again from the entries the practice_day rows that these written rows and the
    `stored` pairs (of versions replaced or removed) count in; a pair with no entry left
    loses its row."""
    days = {row[_DAY_OF_ROW] for row in rows if row[_KIND] == "practice"}
    days.update(day for _, day in stored)
    if len(days) > _REBUILD:
        conn.execute("DELETE FROM practice_day")
        for select in practice_days_counted():
            conn.execute(f"INSERT INTO practice_day {select}")
        return
    pairs = stored | {pair for row in rows for pair in _touched(row)}
    conn.executemany("DELETE FROM practice_day WHERE category = ? AND day = ?", pairs)
    ordered = sorted(str(day) for day in days)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        for select in practice_days_counted(f"day IN ({', '.join('?' for _ in chunk)})"):
            conn.execute(f"INSERT OR REPLACE INTO practice_day {select}", chunk)


def unbury(conn: sqlite3.Connection, ids: Sequence[str]) -> None:
    """Forget the tombstones of ids that an import brought back (a later version won)."""
    conn.executemany("DELETE FROM tombstone WHERE id = ?", ((i,) for i in ids))


def where_of(f: Filters) -> tuple[list[str], list[object]]:
    """The WHERE clauses (joined by AND) and their parameters that select the entries a
    Filters asks for: by day, kind, pillar and action type. list, export and search use it."""
    where: list[str] = []
    params: list[object] = []
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
    return where, params


def search(conn: sqlite3.Connection, words: Sequence[str], f: Filters) -> list[Record]:
    """Entries whose folded text contains every (folded) word, newest first."""
    # The words are looked for in the folded index (a covering scan of the folded copy,
    # about a third of the table's bytes); only the matches are read from the table.
    # GLOB '*word*' is a substring test, as instr() is, but a third faster over 100,000
    # rows; the folded text and words are already lower case, so its case rule is moot.
    found = " AND ".join("folded GLOB ?" for _ in words)
    where = [f"rowid IN (SELECT rowid FROM entry INDEXED BY ix_entry_folded WHERE {found})"]
    params: list[object] = [f"*{glob_literal(w)}*" for w in words]
    clauses, values = where_of(f)
    where += clauses
    params += values
    # the scan reads every page once: mapped, they need not be copied into the page cache
    conn.execute(f"PRAGMA mmap_size = {_MMAP}")
    rows = conn.execute(
        f"SELECT {', '.join(RECORD_COLUMNS)}, created_us FROM entry WHERE {' AND '.join(where)}",
        params,
    ).fetchall()
    # newest first: day, then the instant it was made, then the id (as list and export);
    # sorted here, the matches cost a third of what SQLite's sorter takes over whole rows
    rows.sort(key=lambda r: (r[_DAY], r[_CREATED_US], r[_ID]), reverse=True)
    return [Record(*r[:_CREATED_US]) for r in rows[: f.limit]]


_ID, _DAY, _CREATED_US = 0, RECORD_COLUMNS.index("day"), len(RECORD_COLUMNS)


def glob_literal(word: str) -> str:
    """`word` as a GLOB pattern that matches only itself: *, ? and [ in brackets."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in word)
