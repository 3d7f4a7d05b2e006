"""Reads for lists, reports, the calendar and reflect's prompt, in plain sqlite3.

Every function takes a connection from Store.reading(). Aggregation happens in SQL, on
the indexes the migrations create; streaks read distinct days, not rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from allycli.core.filters import Filters  # re-exported: the commands import it from here
from allycli.core.records import Record
from allycli.store.entries import where_of
from allycli.store.schema import RECORD_COLUMNS

__all__ = [
    "Filters",
    "PeriodCounts",
    "answered_prompts",
    "day_counts",
    "last_practiced",
    "period_counts",
    "practiced_days",
    "records",
]

_SELECT = f"SELECT {', '.join(RECORD_COLUMNS)} FROM entry"
_BATCH = 2000  # rows fetched at a time while streaming (export reads them all)


@dataclass(frozen=True)
class PeriodCounts:
    daily: dict[tuple[date, str], int]
    by_action_type: dict[str, int]
    reflections: int


def period_counts(conn: sqlite3.Connection, start: date, end: date) -> PeriodCounts:
    span = (start.isoformat(), end.isoformat())
    daily = {
        (date.fromisoformat(day), pillar): n
        for day, pillar, n in conn.execute(
            "SELECT day, pillar, count(*) FROM entry "
            "WHERE kind = 'practice' AND day BETWEEN ? AND ? GROUP BY day, pillar",
            span,
        )
    }
    by_type = dict(
        conn.execute(
            "SELECT action_type, count(*) FROM entry WHERE kind = 'practice' "
            "AND day BETWEEN ? AND ? AND action_type IS NOT NULL GROUP BY action_type",
            span,
        ).fetchall()
    )
    (reflections,) = conn.execute(
        "SELECT count(*) FROM entry WHERE kind = 'reflection' AND day BETWEEN ? AND ?", span
    ).fetchone()
    return PeriodCounts(daily, by_type, int(reflections))


def last_practiced(
    conn: sqlite3.Connection, until: date, made_before: int | None = None
) -> tuple[dict[str, date], dict[str, date]]:
    """The latest practiced day, on or before `until`, of each pillar and action type; with
    `made_before` (UTC microseconds), only of entries created before that instant.

    When no entry made since `made_before` is dated on or before `until` (the usual case: the
    prompt of the day asks for the days before today, and today's entries are dated today),
    the answer is the practice_day table's, read by its key a category at a time, rather
    than the scan of every entry that the other case needs (docs/benchmarks.md has the
    figure)."""
    if made_before is None or not _made_since(conn, made_before, until):
        return _last_days(conn, until)
    where = "kind = 'practice' AND day <= ?"
    params: tuple[object, ...] = (until.isoformat(),)
    if made_before is not None:
        where += " AND created_us < ?"
        params += (made_before,)
    pillars = {
        p: date.fromisoformat(d)
        for p, d in conn.execute(
            f"SELECT pillar, max(day) FROM entry WHERE {where} GROUP BY pillar", params
        )
    }
    types = {
        t: date.fromisoformat(d)
        for t, d in conn.execute(
            f"SELECT action_type, max(day) FROM entry WHERE {where} "
            "AND action_type IS NOT NULL GROUP BY action_type",
            params,
        )
    }
    return pillars, types


def _made_since(conn: sqlite3.Connection, made_before: int, until: date) -> bool:
    """Whether a practice entry made at or after `made_before` is dated on or before `until`
    (its creation-time index finds the few made since)."""
    row = conn.execute(
        "SELECT 1 FROM entry INDEXED BY ix_entry_created_us WHERE created_us >= ? "
        "AND kind = 'practice' AND day <= ? LIMIT 1",
        (made_before, until.isoformat()),
    ).fetchone()
    return row is not None


def _last_days(conn: sqlite3.Connection, until: date) -> tuple[dict[str, date], dict[str, date]]:
    """last_practiced from practice_day: each category's last day up to `until`, found by
    the table's key (category, day), one category after the other."""
    from allycli.core.taxonomy import PILLARS

    pillars: dict[str, date] = {}
    types: dict[str, date] = {}
    category = ""
    while True:
        (category,) = conn.execute(
            "SELECT min(category) FROM practice_day WHERE category > ?", (category,)
        ).fetchone()
        if category is None:
            break
        (day,) = conn.execute(
            "SELECT max(day) FROM practice_day WHERE category = ? AND day <= ?",
            (category, until.isoformat()),
        ).fetchone()
        if day is None or category == "practice":
            continue
        (pillars if category in PILLARS else types)[category] = date.fromisoformat(day)
    return pillars, types


def answered_prompts(conn: sqlite3.Connection, since: date, before: date) -> set[str]:
    rows = conn.execute(
        "SELECT DISTINCT prompt_id FROM entry WHERE kind = 'reflection' AND day >= ? AND day < ?",
        (since.isoformat(), before.isoformat()),
    )
    return {r for (r,) in rows if r}


def records(conn: sqlite3.Connection, f: Filters) -> Iterator[Record]:
    """Entries matching the filters, streamed (export reads them all without holding them)."""
    where, params = where_of(f)
    sql = _SELECT + (f" WHERE {' AND '.join(where)}" if where else "")
    order = " DESC" if f.newest_first else ""
    sql += f" ORDER BY day{order}, created_us{order}, id{order}"
    if f.limit is not None:
        sql += " LIMIT ?"
        params.append(f.limit)
    cursor = conn.execute(sql, params)
    while batch := cursor.fetchmany(_BATCH):
        for row in batch:
            yield Record(*row)


def _practice(pillar: str | None, action_type: str | None) -> tuple[str, list[object]]:
    where = "kind = 'practice'"
    params: list[object] = []
    if pillar is not None:
        where += " AND pillar = ?"
        params.append(pillar)
    if action_type is not None:
        where += " AND action_type = ?"
        params.append(action_type)
    return where, params


def day_counts(
    conn: sqlite3.Connection,
    start: date,
    end: date,
    *,
    pillar: str | None = None,
    action_type: str | None = None,
) -> dict[date, int]:
    """Practice entries per day from `start` to `end`, for the calendar."""
    where, params = _practice(pillar, action_type)
    rows = conn.execute(
        f"SELECT day, count(*) FROM entry WHERE {where} AND day BETWEEN ? AND ? GROUP BY day",
        (*params, start.isoformat(), end.isoformat()),
    )
    return {date.fromisoformat(d): n for d, n in rows}


def practiced_days(
    conn: sqlite3.Connection,
    until: date,
    *,
    pillar: str | None = None,
    action_type: str | None = None,
) -> set[date]:
    """Distinct days with practice up to `until` (for a streak that began earlier)."""
    where, params = _practice(pillar, action_type)
    rows = conn.execute(
        f"SELECT DISTINCT day FROM entry WHERE {where} AND day <= ?",
        (*params, until.isoformat()),
    )
    return {date.fromisoformat(d) for (d,) in rows}
