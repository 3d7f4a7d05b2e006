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
