"""Action types of one's own in the database file: the table a journal gains on upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from allycli.store.database import MIGRATIONS, Store


def test_an_older_journal_gains_the_action_type_table_with_its_entries_intact(
    tmp_path: Path,
) -> None:
    db = tmp_path / "ally.db"
    Store(db, migrations=tuple(m for m in MIGRATIONS if m.version <= 7)).connect(write=True).close()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO entry VALUES ('e1', 'practice', '2026-12-01', "
            "'2026-12-01T09:00:00+00:00', 'action', 'protest', NULL, NULL, NULL, NULL, NULL, "
            "'2026-12-01T09:00:00+00:00', 1, '')"
        )
        conn.execute("INSERT INTO synced VALUES ('t1', '2026-12-01T09:00:00+00:00', 0)")
    conn = Store(db).connect(write=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == MIGRATIONS[-1].version
        assert conn.execute("SELECT id, action_type FROM entry").fetchall() == [("e1", "protest")]
        conn.execute(
            "INSERT INTO action_type VALUES ('t1', 'mutual-aid', 'mutual-aid', 'action', NULL, "
            "'[]', 0, '2026-12-02T09:00:00+00:00')"
        )
        # a type written here waits to be sent, as entries, rhythms and pauses do
        assert conn.execute("SELECT count(*) FROM synced").fetchone()[0] == 0
    finally:
        conn.close()


def test_last_practiced_leaves_out_entries_made_since_even_when_back_dated(tmp_path: Path) -> None:
    """The prompt of the day reads the days before today from entries made before today
    began; an entry made today for an earlier day (back-dated) is left out, read or not
    through the practice_day table."""
    from datetime import date

    from allycli.core.folding import micros
    from allycli.core.records import Record
    from allycli.store import queries

    store = Store(tmp_path / "ally.db")
    began = "2026-12-07T00:00:00+00:00"
    old = Record("e1", "practice", "2026-12-01", "2026-12-01T09:00:00+00:00", "listening")
    typed = Record("e2", "practice", "2026-12-02", "2026-12-02T09:00:00+00:00", "action",
                   "mutual-aid")  # fmt: skip
    store.insert([old.row(), typed.row()])
    until = date(2026, 12, 6)
    with store.reading() as conn:
        assert queries.last_practiced(conn, until, micros(began)) == (
            {"listening": date(2026, 12, 1), "action": date(2026, 12, 2)},
            {"mutual-aid": date(2026, 12, 2)},
        )
    late = Record("e3", "practice", "2026-12-05", "2026-12-07T08:00:00+00:00", "listening")
    store.insert([late.row()])  # made today, dated two days ago
    with store.reading() as conn:
        assert queries.last_practiced(conn, until, micros(began))[0]["listening"] == date(
            2026, 12, 1
        )
        assert queries.last_practiced(conn, until)[0]["listening"] == date(2026, 12, 5)
