"""Rhythms and pauses in the database, through the standard library's sqlite3.

Every function takes an open sqlite3 connection (from Store.writing or Store.reading), so
`ally log` reads a unit's progress on its write path. Days per category come from the
practice_day table (schema.py): one row a day with the count of each category's entries
and their minutes, which entries.py, the one writer of entries, keeps counted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import groupby
from operator import itemgetter

from allycli.core import merge
from allycli.core.objects import Pause, RhythmSetting, rhythm_id
from allycli.core.rhythms import CATEGORIES, DEFAULT
from allycli.core.taxonomy import ACTION_TYPES, PILLARS
from allycli.store.database import bury
from allycli.store.entries import match_id

Days = list[tuple[date, int]]


# -- rhythms -------------------------------------------------------------------------------


def read_rhythms(conn: sqlite3.Connection) -> dict[str, RhythmSetting]:
    return {
        category: RhythmSetting(category, spec, updated)
        for category, spec, updated in conn.execute("SELECT category, spec, updated_at FROM rhythm")
    }


def write_rhythm(conn: sqlite3.Connection, category: str, setting: str, now: str) -> bool:
    """Store a canonical spec or `off`; `default` deletes the row and leaves a tombstone.

    Returns whether anything changed.
    """
    rid = rhythm_id(category)
    if setting == DEFAULT:
        gone = conn.execute("DELETE FROM rhythm WHERE id = ?", (rid,)).rowcount
        if gone:
            bury(conn, rid, "rhythm", now)
        return bool(gone)
    current = conn.execute("SELECT spec FROM rhythm WHERE id = ?", (rid,)).fetchone()
    if current is not None and current[0] == setting:
        return False
    put(conn, RhythmSetting(category, setting, now))
    return True


def put(conn: sqlite3.Connection, obj: RhythmSetting | Pause) -> None:
    """Make `obj` the journal's version of its id, and lift any tombstone of that id. The
    one writer of the rhythm and pause tables: `rhythm`, `pause`, import and sync."""
    if isinstance(obj, RhythmSetting):
        conn.execute(
            "INSERT INTO rhythm (id, category, spec, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (category) DO UPDATE SET id = excluded.id, spec = excluded.spec, "
            "updated_at = excluded.updated_at",
            (obj.id, obj.category, obj.rhythm, obj.updated_at),
        )
    else:
        conn.execute(
            f"INSERT INTO pause ({_PAUSE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET since = excluded.since, until = excluded.until, "
            "categories = excluded.categories, note = excluded.note, "
            "created_at = excluded.created_at, updated_at = excluded.updated_at",
            _pause_row(obj),
        )
    conn.execute("DELETE FROM tombstone WHERE id = ?", (obj.id,))


# -- pauses --------------------------------------------------------------------------------

_PAUSE_COLUMNS = "id, since, until, categories, note, created_at, updated_at"


def pause_of_row(row: Sequence[object]) -> Pause:
    pid, since, until, categories, note, created, updated = row
    cats = json.loads(str(categories)) if categories is not None else None
    return Pause(
        str(pid),
        date.fromisoformat(str(since)),
        date.fromisoformat(str(until)),
        tuple(cats) if cats is not None else None,
        None if note is None else str(note),
        str(created),
        str(updated),
    )


def read_pauses(
    conn: sqlite3.Connection, start: date | None = None, end: date | None = None
) -> list[Pause]:
    """Pauses overlapping start..end (all when not given), by first day. Every reader of
    pauses (rhythms, reports, the calendar, `log`, export) asks here.

    A row whose categories are not a JSON array (damaged outside ally) pauses nothing.
    """
    sql = f"SELECT {_PAUSE_COLUMNS} FROM pause"
    args: tuple[str, ...] = ()
    if start is not None and end is not None:
        sql += " WHERE since <= ? AND until >= ?"
        args = (end.isoformat(), start.isoformat())
    sql += " ORDER BY since, created_at, id"
    found = []
    for row in conn.execute(sql, args):
        try:
            found.append(pause_of_row(row))
        except (ValueError, TypeError):
            continue
    return found


def _pause_row(pause: Pause) -> tuple[object, ...]:
    cats = json.dumps(list(pause.categories)) if pause.categories is not None else None
    return (pause.id, pause.since.isoformat(), pause.until.isoformat(), cats, pause.note,
            pause.created_at, pause.updated_at)  # fmt: skip


def find_pause(conn: sqlite3.Connection, id_prefix: str) -> Pause:
    return pause_of_row(match_id(conn, id_prefix, table="pause", columns=_PAUSE_COLUMNS))


def end_pause(conn: sqlite3.Connection, pause_id: str, until: date, now: str) -> None:
    conn.execute(
        "UPDATE pause SET until = ?, updated_at = ? WHERE id = ?",
        (until.isoformat(), now, pause_id),
    )


def delete_pause(conn: sqlite3.Connection, pause_id: str, now: str) -> None:
    conn.execute("DELETE FROM pause WHERE id = ?", (pause_id,))
    bury(conn, pause_id, "pause", now)


# -- import --------------------------------------------------------------------------------


def merge_objects(
    conn: sqlite3.Connection, objects: Iterable[RhythmSetting | Pause], *, dry_run: bool = False
) -> dict[str, dict[str, int]]:
    """Merge rhythm and pause objects by the one rule (core/merge.py), as entries merge: a
    new id is added, a later `updated_at` wins, equal times with different content go to the
    canonical JSON that sorts last, and an object deleted here at or after the incoming
    version's time stays deleted. Returns, for "rhythm" and "pause", how many objects had
    each outcome of merge.OUTCOMES; with `dry_run`, nothing is written."""
    counts = {kind: dict.fromkeys(merge.OUTCOMES, 0) for kind in ("rhythm", "pause")}
    here: dict[str, RhythmSetting | Pause] = {s.id: s for s in read_rhythms(conn).values()}
    here.update({p.id: p for p in read_pauses(conn)})
    buried = dict(
        conn.execute("SELECT id, deleted_at FROM tombstone WHERE kind IN ('rhythm', 'pause')")
    )
    for obj, counted, taken in merge.merge_each(here, objects, buried):
        counts["rhythm" if isinstance(obj, RhythmSetting) else "pause"][counted] += 1
        if taken and not dry_run:
            put(conn, obj)
    return counts


# -- aggregates ----------------------------------------------------------------------------


def category_days(
    conn: sqlite3.Connection,
    until: date,
    categories: Iterable[str] = CATEGORIES,
    minutes_for: Iterable[str] = (),
) -> dict[str, Days]:
    """The practiced days up to `until` of each category asked for, with their entry counts,
    oldest first; for the categories in `minutes_for`, the day's minutes instead (0 when its
    entries gave none).

    One search of the practice_day table's key: a row a day per category, not every entry.
    """
    wanted = list(dict.fromkeys(categories))
    minutes = set(minutes_for)
    found: dict[str, Days] = {c: [] for c in wanted}
    if not wanted:
        return found
    rows = conn.execute(
        f"SELECT category, day, entries, minutes FROM practice_day "
        f"WHERE category IN ({', '.join('?' for _ in wanted)}) AND day <= ? "
        "ORDER BY category, day",
        (*wanted, until.isoformat()),
    )
    for category, group in groupby(rows, key=itemgetter(0)):
        value = 3 if category in minutes else 2
        found[category] = [(date.fromisoformat(row[1]), row[value]) for row in group]
    return found


def last_days(conn: sqlite3.Connection, until: date, categories: Iterable[str]) -> dict[str, date]:
    """The last practiced day up to `until` of each category asked for."""
    asked = list(dict.fromkeys(categories))
    if not asked:
        return {}
    rows = conn.execute(
        f"SELECT category, max(day) FROM practice_day "
        f"WHERE category IN ({', '.join('?' for _ in asked)}) AND day <= ? GROUP BY category",
        (*asked, until.isoformat()),
    )
    return {category: date.fromisoformat(day) for category, day in rows}


def unit_days(
    conn: sqlite3.Connection, category: str, start: date, end: date, minutes: bool
) -> Days:
    """One category's practiced days from start to end (the write path's unit)."""
    value = "minutes" if minutes else "entries"
    return [
        (date.fromisoformat(day), int(v))
        for day, v in conn.execute(
            f"SELECT day, {value} FROM practice_day WHERE category = ? AND day BETWEEN ? AND ? "
            "ORDER BY day",
            (category, start.isoformat(), end.isoformat()),
        )
    ]


def practiced_days_desc(conn: sqlite3.Connection, today: date) -> Iterator[date]:
    """Distinct practiced days up to today, newest first, read lazily from a cursor."""
    rows = conn.execute(
        "SELECT day FROM practice_day WHERE category = 'practice' AND day <= ? ORDER BY day DESC",
        (today.isoformat(),),
    )
    return (date.fromisoformat(d) for (d,) in rows)


def period_minutes(
    conn: sqlite3.Connection, start: date, end: date
) -> tuple[dict[str, int], dict[str, int]]:
    """Minutes in the period by pillar and by action type: every pillar and built-in type
    present, and every other type (one's own) that the period holds."""
    by_pillar = dict.fromkeys(PILLARS, 0)
    by_type = dict.fromkeys(ACTION_TYPES, 0)
    rows = conn.execute(
        "SELECT pillar, action_type, total(minutes) FROM entry WHERE kind = 'practice' "
        "AND day BETWEEN ? AND ? AND minutes IS NOT NULL GROUP BY pillar, action_type",
        (start.isoformat(), end.isoformat()),
    )
    for pillar, action_type, total in rows:
        if pillar in by_pillar:
            by_pillar[pillar] += int(total)
        if action_type is not None:
            by_type[action_type] = by_type.get(action_type, 0) + int(total)
    return by_pillar, by_type
