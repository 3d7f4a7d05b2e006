"""Reads and report aggregates, through SQLModel on connections that store/database.py opens.

Aggregation happens in SQL, on the indexes the migrations create; streaks read
distinct days, not rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col, select

from allycli.core.errors import storage_error
from allycli.core.filters import Filters  # re-exported: the commands import it from here
from allycli.core.records import Record
from allycli.store.database import Store
from allycli.store.models import Entry

_COLUMNS = [
    Entry.id,
    Entry.kind,
    Entry.day,
    Entry.created_at,
    Entry.pillar,
    Entry.action_type,
    Entry.note,
    Entry.minutes,
    Entry.prompt_id,
    Entry.prompt,
    Entry.answer,
    Entry.updated_at,
]


def engine(store: Store) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(
        "sqlite://",
        creator=lambda: store.connect(write=False),
        poolclass=NullPool,
        hide_parameters=True,
    )


@contextmanager
def reading(store: Store) -> Iterator[Connection]:
    from sqlalchemy.exc import DBAPIError

    eng = engine(store)
    try:
        with eng.connect() as conn:
            yield conn
    except DBAPIError as exc:
        raise storage_error(store.path, exc.orig or exc) from None
    finally:
        eng.dispose()


def driver(conn: Connection) -> Any:
    """The sqlite3 connection under a SQLAlchemy one, for rhythm_store's plain SQL."""
    return conn.connection.driver_connection


@dataclass(frozen=True)
class PeriodCounts:
    daily: dict[tuple[date, str], int]
    by_action_type: dict[str, int]
    reflections: int


def period_counts(conn: Connection, start: date, end: date) -> PeriodCounts:
    s, e = start.isoformat(), end.isoformat()
    practice = (col(Entry.kind) == "practice") & col(Entry.day).between(s, e)
    daily = {
        (date.fromisoformat(day), pillar): n
        for day, pillar, n in conn.execute(
            select(Entry.day, Entry.pillar, func.count())
            .where(practice)
            .group_by(Entry.day, Entry.pillar)
        )
    }
    by_type = {
        t: n
        for t, n in conn.execute(
            select(Entry.action_type, func.count())
            .where(practice & col(Entry.action_type).is_not(None))
            .group_by(Entry.action_type)
        )
    }
    reflections = conn.execute(
        select(func.count())
        .select_from(Entry)
        .where((col(Entry.kind) == "reflection") & col(Entry.day).between(s, e))
    ).scalar_one()
    return PeriodCounts(daily, by_type, int(reflections))


def practice_days(conn: Connection, until: date) -> tuple[set[date], dict[str, set[date]]]:
    """Distinct practiced days up to `until`: overall, and by pillar."""
    overall: set[date] = set()
    by_pillar: dict[str, set[date]] = {}
    rows = conn.execute(
        select(Entry.pillar, Entry.day)
        .where((col(Entry.kind) == "practice") & (col(Entry.day) <= until.isoformat()))
        .group_by(Entry.pillar, Entry.day)
    )
    for pillar, day in rows:
        d = date.fromisoformat(day)
        overall.add(d)
        by_pillar.setdefault(pillar, set()).add(d)
    return overall, by_pillar


def last_practiced(conn: Connection, until: date) -> tuple[dict[str, date], dict[str, date]]:
    """The latest practiced day, on or before `until`, of each pillar and action type."""
    practice = (col(Entry.kind) == "practice") & (col(Entry.day) <= until.isoformat())
    pillars = {
        p: date.fromisoformat(d)
        for p, d in conn.execute(
            select(Entry.pillar, func.max(Entry.day)).where(practice).group_by(Entry.pillar)
        )
    }
    types = {
        t: date.fromisoformat(d)
        for t, d in conn.execute(
            select(Entry.action_type, func.max(Entry.day))
            .where(practice & col(Entry.action_type).is_not(None))
            .group_by(Entry.action_type)
        )
    }
    return pillars, types


def answered_prompts(conn: Connection, since: date, before: date) -> set[str]:
    rows = conn.execute(
        select(Entry.prompt_id)
        .distinct()
        .where(
            (col(Entry.kind) == "reflection")
            & (col(Entry.day) >= since.isoformat())
            & (col(Entry.day) < before.isoformat())
        )
    )
    return {r for (r,) in rows if r}


def records(conn: Connection, f: Filters) -> Iterator[Record]:
    """Entries matching the filters, streamed (export reads them all without holding them)."""
    query = select(*_COLUMNS)
    if f.since is not None:
        query = query.where(col(Entry.day) >= f.since.isoformat())
    if f.until is not None:
        query = query.where(col(Entry.day) <= f.until.isoformat())
    if f.kind is not None:
        query = query.where(col(Entry.kind) == f.kind)
    if f.pillar is not None:
        query = query.where(col(Entry.pillar) == f.pillar)
    if f.action_type is not None:
        query = query.where(col(Entry.action_type) == f.action_type)
    order: list[Any] = [Entry.day, Entry.created_us, Entry.id]
    if f.newest_first:
        order = [col(c).desc() for c in order]
    query = query.order_by(*order)
    if f.limit is not None:
        query = query.limit(f.limit)
    result = conn.execution_options(yield_per=2000).execute(query)
    for row in result:
        yield Record(*row)


def _practice_filter(pillar: str | None, action_type: str | None) -> Any:
    where = col(Entry.kind) == "practice"
    if pillar is not None:
        where = where & (col(Entry.pillar) == pillar)
    if action_type is not None:
        where = where & (col(Entry.action_type) == action_type)
    return where


def day_counts(
    conn: Connection,
    start: date,
    end: date,
    *,
    pillar: str | None = None,
    action_type: str | None = None,
) -> dict[date, int]:
    """Practice entries per day from `start` to `end`, for the calendar."""
    where = _practice_filter(pillar, action_type)
    where = where & col(Entry.day).between(start.isoformat(), end.isoformat())
    rows = conn.execute(select(Entry.day, func.count()).where(where).group_by(Entry.day))
    return {date.fromisoformat(d): n for d, n in rows}


def practiced_days(
    conn: Connection,
    until: date,
    *,
    pillar: str | None = None,
    action_type: str | None = None,
) -> set[date]:
    """Distinct days with practice up to `until` (for a streak that began earlier)."""
    where = _practice_filter(pillar, action_type) & (col(Entry.day) <= until.isoformat())
    rows = conn.execute(select(Entry.day).distinct().where(where))
    return {date.fromisoformat(d) for (d,) in rows}


def period_minutes(
    conn: Connection, start: date, end: date
) -> tuple[dict[str, int], dict[str, int]]:
    """Minutes of practice in the period, by pillar and by action type."""
    where = (col(Entry.kind) == "practice") & col(Entry.day).between(
        start.isoformat(), end.isoformat()
    )
    by_pillar: dict[str, int] = {}
    by_type: dict[str, int] = {}
    rows = conn.execute(
        select(Entry.pillar, Entry.action_type, func.sum(Entry.minutes))
        .where(where & col(Entry.minutes).is_not(None))
        .group_by(Entry.pillar, Entry.action_type)
    )
    for pillar, action_type, minutes in rows:
        by_pillar[pillar] = by_pillar.get(pillar, 0) + int(minutes or 0)
        if action_type is not None:
            by_type[action_type] = by_type.get(action_type, 0) + int(minutes or 0)
    return by_pillar, by_type
