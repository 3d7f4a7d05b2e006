"""The journal's side of a sync, in SQL through sqlite3, inside the caller's transaction.

Every object the journal holds (entry, rhythm, pause, or the tombstone a delete left) is
seen here as an Item: its export object, or `{"id", "kind", "deleted_at"}` for a
tombstone. The `synced` table keeps, per id, the version last exchanged with the hub; an
object whose version differs from it waits to be sent (and any write to an object drops its
row there, by trigger, so a write that keeps `updated_at` waits too). The `hubrow` table
records each row of the hub as this journal last saw it (reference, change number, digest),
so a hub that lost, renumbered or put back rows shows. The hub's URL (never its password)
and key, its id, the last change number seen and the time of the last sync live in the
`setting` table, which no export carries.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, TypeVar

from allycli.core.errors import DataFileError, SyncError
from allycli.core.objects import Pause, RhythmSetting
from allycli.core.records import Record
from allycli.core.taxonomy import OwnType
from allycli.store import entries as entry_store
from allycli.store import types as type_store
from allycli.store.database import bury
from allycli.store.schema import RECORD_COLUMNS

URL, KEY, HUB, SEEN, LAST = "sync.url", "sync.key", "sync.hub", "sync.seen", "sync.last"
UNCONFIRMED = "sync.key_unconfirmed"  # "1" while no hub has accepted the stored key
# the fingerprint of the key check of a hub that showed another key than the unconfirmed one
# stored here: that key is kept (it may be the only copy of some hub's key), marked by this
NOT_THE_HUBS = "sync.key_not_the_hubs"
_ALL_SETTINGS = (URL, KEY, HUB, SEEN, LAST, UNCONFIRMED, NOT_THE_HUBS)

_ENTRY = f"SELECT {', '.join(RECORD_COLUMNS)} FROM entry"
_RHYTHM = "SELECT id, category, spec, updated_at FROM rhythm"
_PAUSE = "SELECT id, since, until, categories, note, created_at, updated_at FROM pause"
_TOMBSTONE = "SELECT id, kind, deleted_at FROM tombstone"
_TYPE = f"SELECT {type_store.COLUMNS} FROM action_type"

# (table, its time column, deleted flag): every kind of object, with its current version
_VERSIONS = (
    ("entry", "updated_at", 0),
    ("rhythm", "updated_at", 0),
    ("pause", "updated_at", 0),
    ("action_type", "updated_at", 0),
    ("tombstone", "deleted_at", 1),
)
_WAITING = " UNION ALL ".join(
    f"SELECT o.id FROM {table} o LEFT JOIN synced s ON s.id = o.id "
    f"WHERE s.id IS NULL OR s.updated_at != o.{column} OR s.deleted != {deleted}"
    for table, column, deleted in _VERSIONS
)


@dataclass(frozen=True)
class Item:
    """One object as the hub knows it, in clear: an entry, rhythm or pause, or a tombstone."""

    id: str
    updated_at: str
    deleted: bool
    body: dict[str, Any]


class SeenRow(NamedTuple):
    """A row of the hub as this journal last saw it."""

    ref: str  # the keyed hash of the object's id
    id: str | None  # None when the row did not open here
    change: int
    digest: bytes
    mark: int  # cipher.mark of the digest and change number, summed in the checksum


# -- settings ------------------------------------------------------------------------------


def settings(conn: sqlite3.Connection) -> dict[str, str]:
    rows = conn.execute(
        f"SELECT key, value FROM setting WHERE key IN ({', '.join('?' * len(_ALL_SETTINGS))})",
        _ALL_SETTINGS,
    )
    return dict(rows.fetchall())


def save(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany(
        "INSERT INTO setting (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        values.items(),
    )


def forget(conn: sqlite3.Connection) -> bool:
    """Drop the URL, key and what was exchanged with the hub; True if there was any."""
    before = conn.total_changes
    conn.execute(
        f"DELETE FROM setting WHERE key IN ({', '.join('?' * len(_ALL_SETTINGS))})",
        _ALL_SETTINGS,
    )
    had = conn.total_changes > before
    conn.execute("DELETE FROM synced")
    conn.execute("DELETE FROM hubrow")
    return had


def confirm_key(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM setting WHERE key IN (?, ?)", (UNCONFIRMED, NOT_THE_HUBS))


def mark_not_the_hubs(conn: sqlite3.Connection, hub_check: str) -> None:
    """Keep the unconfirmed key stored here, marked: the hub (whose key check has this
    fingerprint) uses another key."""
    save(conn, {NOT_THE_HUBS: hub_check})


# -- the record of the hub -----------------------------------------------------------------


_SEEN_ROW = "SELECT ref, id, change, digest, mark FROM hubrow"


def _seen_row(row: tuple[Any, ...]) -> SeenRow:
    ref, item_id, change, sealed, mark = row
    return SeenRow(str(ref), item_id, int(change), bytes(sealed), int(mark))


def row_at(conn: sqlite3.Connection, change: int) -> SeenRow | None:
    """The row recorded at this change number, if any."""
    row = conn.execute(f"{_SEEN_ROW} WHERE change = ?", (change,)).fetchone()
    return None if row is None else _seen_row(row)


def clear_record(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM hubrow")


def checksum(conn: sqlite3.Connection) -> tuple[int, int]:
    count, total = conn.execute("SELECT count(*), coalesce(sum(mark), 0) FROM hubrow").fetchone()
    return int(count), int(total)


def marks(conn: sqlite3.Connection, refs: Iterable[str]) -> dict[str, int]:
    """The recorded mark of each of these references that the record holds."""
    wanted = list(refs)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            f"SELECT ref, mark FROM hubrow WHERE ref IN ({', '.join('?' * len(chunk))})", chunk
        )
        found.update(rows.fetchall())
    return found


def recorded(conn: sqlite3.Connection) -> dict[str, tuple[bytes, int]]:
    """The digest and change number of every row the record says the hub holds, by
    reference."""
    return {
        str(ref): (bytes(d), int(change))
        for ref, d, change in conn.execute("SELECT ref, digest, change FROM hubrow")
    }


def refused(conn: sqlite3.Connection) -> list[SeenRow]:
    """The rows the hub holds that did not open here, in change order."""
    rows = conn.execute(f"{_SEEN_ROW} WHERE refused = 1 ORDER BY change")
    return [_seen_row(row) for row in rows]


def record(conn: sqlite3.Connection, rows: Iterable[SeenRow]) -> None:
    """Record hub rows as seen (a row whose id is None did not open: refused)."""
    conn.executemany(
        "INSERT OR REPLACE INTO hubrow (ref, id, change, digest, mark, refused) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        ((*row, int(row.id is None)) for row in rows),
    )


def unrecord(conn: sqlite3.Connection, refs: Iterable[str]) -> None:
    conn.executemany("DELETE FROM hubrow WHERE ref = ?", ((r,) for r in refs))


# -- reading objects -----------------------------------------------------------------------


def waiting(conn: sqlite3.Connection) -> int:
    return int(conn.execute(f"SELECT count(*) FROM ({_WAITING})").fetchone()[0])


def ids(conn: sqlite3.Connection) -> list[str]:
    """The id of every object the journal holds (alive or a tombstone)."""
    return [row[0] for table, _, _ in _VERSIONS for row in conn.execute(f"SELECT id FROM {table}")]


def fingerprint(conn: sqlite3.Connection) -> str:
    """A short digest of every object's id, time and deleted flag: equal on two machines
    that hold the same journal."""
    import hashlib

    versions = sorted(
        (str(row[0]), str(row[1]), deleted)
        for table, column, deleted in _VERSIONS
        for row in conn.execute(f"SELECT id, {column} FROM {table}")
    )
    h = hashlib.sha256()
    for item_id, updated_at, deleted in versions:
        h.update(f"{item_id} {updated_at} {deleted}\n".encode())
    hexed = h.hexdigest()[:16]
    return "-".join(hexed[i : i + 4] for i in range(0, 16, 4))


def pending(conn: sqlite3.Connection) -> dict[str, Item]:
    """Every object whose version was not exchanged with the hub yet."""
    ids = [row[0] for row in conn.execute(_WAITING)]
    return current(conn, ids)


def current(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Item]:
    """The journal's version of each of these ids that it holds (alive or a tombstone)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Item] = {}
    if not wanted:
        return found
    if len(wanted) > 2000:  # one pass over each table beats thousands of lookups
        chosen = set(wanted)
        for item in _all(conn):
            if item.id in chosen:
                found[item.id] = item
        return found
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        where = f" WHERE id IN ({', '.join('?' * len(chunk))})"
        for item in _all(conn, where, chunk):
            found[item.id] = item
    return found


def _all(conn: sqlite3.Connection, where: str = "", params: Iterable[str] = ()) -> Iterator[Item]:
    params = tuple(params)
    for row in conn.execute(_ENTRY + where, params):
        record = Record(*row)
        yield Item(record.id, record.changed_at, False, record.to_json())
    for row in conn.execute(_RHYTHM + where, params):
        yield Item(row[0], row[3], False, rhythm_object(*row))
    for row in conn.execute(_PAUSE + where, params):
        yield Item(row[0], row[6], False, pause_object(*row))
    for row in conn.execute(_TYPE + where, params):
        own = type_store.own_of(row)
        yield Item(own.id, own.updated_at, False, own.to_json())
    for item_id, kind, deleted_at in conn.execute(_TOMBSTONE + where, params):
        body = {"id": item_id, "kind": kind, "deleted_at": deleted_at}
        yield Item(item_id, deleted_at, True, body)


def rhythm_object(item_id: str, category: str, spec: str, updated_at: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "kind": "rhythm",
        "category": category,
        "rhythm": spec,
        "updated_at": updated_at,
    }


def pause_object(
    item_id: str,
    since: str,
    until: str,
    categories: str | None,
    note: str | None,
    created_at: str,
    updated_at: str,
) -> dict[str, Any]:
    return {
        "id": item_id,
        "kind": "pause",
        "since": since,
        "until": until,
        "categories": None if categories is None else json.loads(categories),
        "note": note,
        "created_at": created_at,
        "updated_at": updated_at,
    }


# -- writing what the hub brought ----------------------------------------------------------


def parse(item: Item) -> Record | RhythmSetting | Pause | OwnType | None:
    """What the hub's item holds, read as import reads a line (None for a tombstone); an
    item that import would refuse, or that this ally cannot read, is a SyncError."""
    from allycli.core.objects import is_object, parse_object

    if item.deleted:
        if item.body.get("kind") not in ("entry", "rhythm", "pause"):
            raise _unreadable(item)
        return None
    kind = item.body.get("kind")
    if kind in ("practice", "reflection"):
        return _entry(item)
    if kind == "action_type":
        return _own_type(item)
    if not is_object(item.body):
        raise _unreadable(item)
    return _checked(item, parse_object)


def check(item: Item) -> None:
    """Raise the error `apply` would raise for this item, writing nothing."""
    parse(item)


def apply(conn: sqlite3.Connection, items: Iterable[Item]) -> None:
    """Make each item the journal's version of its id (the merge chose it already)."""
    from allycli.store import rhythms as rhythm_store

    entries: list[Record] = []
    live: list[tuple[str]] = []
    for item in items:
        obj = parse(item)
        if obj is None:
            entry_store.remove(conn, [item.id])
            for table in ("rhythm", "pause"):
                conn.execute(f"DELETE FROM {table} WHERE id = ?", (item.id,))
            bury(conn, item.id, item.body["kind"], item.updated_at)
        elif isinstance(obj, Record):
            live.append((item.id,))
            entries.append(obj)
        elif isinstance(obj, OwnType):
            live.append((item.id,))
            type_store.put(conn, obj)
        else:
            rhythm_store.put(conn, obj)
    entry_store.put(conn, entries)
    conn.executemany("DELETE FROM tombstone WHERE id = ?", live)


def _own_type(item: Item) -> OwnType:
    from allycli.core.taxonomy import parse_type

    return _checked(item, parse_type)


class _Versioned(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def updated_at(self) -> str: ...


V = TypeVar("V", bound=_Versioned)


def _checked(item: Item, parser: Callable[[dict[str, Any], str], V]) -> V:
    """The item's body read by import's own parser, and naming the item's own id and time;
    else the item is unreadable."""
    try:
        obj = parser(item.body, "the hub")
    except DataFileError:
        raise _unreadable(item) from None
    if obj.id != item.id or obj.updated_at != item.updated_at:
        raise _unreadable(item)
    return obj


def _entry(item: Item) -> Record:
    from allycli.core.exchange import read_jsonl

    try:
        (record,) = read_jsonl([json.dumps(item.body)], "the hub")
    except (DataFileError, ValueError):
        raise _unreadable(item) from None
    if (
        not isinstance(record, Record)
        or record.id != item.id
        or record.changed_at != item.updated_at
    ):
        raise _unreadable(item)
    return record


def _unreadable(item: Item) -> SyncError:
    return SyncError(
        f"The hub holds an object ({item.id[:8]}) that this ally cannot read, perhaps "
        "written by a newer ally; upgrade ally here and sync again. Nothing was changed here."
    )


def mark_synced(conn: sqlite3.Connection, items: Iterable[Item]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO synced (id, updated_at, deleted) VALUES (?, ?, ?)",
        ((i.id, i.updated_at, int(i.deleted)) for i in items),
    )
