"""The write path (store.py, plain sqlite3) and the SQLModel table must never drift."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from allycli import store
from allycli.models import Entry
from allycli.records import Record


def _columns(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    # name, declared type, not null, default, primary key
    return [tuple(row[1:]) for row in conn.execute("PRAGMA table_info(entry)")]


def _indexes(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='entry' "
            "AND name NOT LIKE 'sqlite_autoindex%'"
        )
    ]
    return {n: [r[2] for r in conn.execute(f"PRAGMA index_info({n})")] for n in sorted(names)}


def test_insert_columns_are_the_sqlmodel_columns() -> None:
    assert list(store.ENTRY_COLUMNS) == [c.name for c in Entry.__table__.columns]
    assert len(Record("x", "practice", "2026-01-01", "t", "action").row()) == len(
        store.ENTRY_COLUMNS
    )


def test_migrated_schema_equals_sqlmodel_metadata(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    by_sqlmodel = tmp_path / "sqlmodel.db"
    engine = create_engine(f"sqlite:///{by_sqlmodel}")
    Entry.metadata.create_all(engine)
    engine.dispose()

    by_migrations = tmp_path / "migrated.db"
    store.Store(by_migrations).connect(write=True).close()

    a = sqlite3.connect(by_sqlmodel)
    b = sqlite3.connect(by_migrations)
    assert _columns(a) == _columns(b)
    assert _indexes(a) == _indexes(b)
    check = "SELECT sql FROM sqlite_master WHERE name='entry'"
    assert "CHECK (kind IN ('practice', 'reflection'))" in a.execute(check).fetchone()[0]
    assert "CHECK (kind IN ('practice', 'reflection'))" in b.execute(check).fetchone()[0]


def test_record_row_order_matches_columns() -> None:
    r = Record(
        id="i", kind="reflection", day="d", created_at="c", pillar="p", action_type="t",
        note="n", minutes=3, prompt_id="pi", prompt="pr", answer="a",
    )  # fmt: skip
    assert dict(zip(store.ENTRY_COLUMNS, r.row(), strict=True)) == {
        "id": "i", "kind": "reflection", "day": "d", "created_at": "c", "pillar": "p",
        "action_type": "t", "note": "n", "minutes": 3, "prompt_id": "pi", "prompt": "pr",
        "answer": "a",
    }  # fmt: skip
