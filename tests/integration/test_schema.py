"""The write path (store.py, plain sqlite3) and the SQLModel tables must never drift."""

from __future__ import annotations

import sqlite3

import pytest

from allycli.core.folding import micros
from allycli.core.records import Record
from allycli.store import database as store
from allycli.store.models import Entry, SQLModel

TABLES = (
    "entry", "tombstone", "rhythm", "pause", "setting", "synced", "practice_day", "hubrow",
    "action_type",
)  # fmt: skip


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    # name, declared type, not null, default, primary key
    return [tuple(row[1:]) for row in conn.execute(f"PRAGMA table_info({table})")]


def _indexes(conn: sqlite3.Connection, table: str) -> dict[str, list[str]]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name=? "
            "AND name NOT LIKE 'sqlite_autoindex%'",
            (table,),
        )
    ]
    return {n: [r[2] for r in conn.execute(f"PRAGMA index_info({n})")] for n in sorted(names)}


def _unique(conn: sqlite3.Connection, table: str) -> list[list[str]]:
    return sorted(
        [r[2] for r in conn.execute(f"PRAGMA index_info({name})")]
        for _, name, unique, origin, _ in conn.execute(f"PRAGMA index_list({table})")
        if unique and origin == "u"
    )


def test_insert_columns_are_the_sqlmodel_columns() -> None:
    assert list(store.ENTRY_COLUMNS) == [c.name for c in Entry.__table__.columns]
    row = Record("x", "practice", "2026-01-01", "2026-01-01T09:00:00+00:00", "action").row()
    assert len(row) == len(store.ENTRY_COLUMNS)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[sqlite3.Connection, ...]:
    from sqlalchemy import create_engine

    folder = tmp_path_factory.mktemp("schema")
    by_sqlmodel = folder / "sqlmodel.db"
    engine = create_engine(f"sqlite:///{by_sqlmodel}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    by_migrations = folder / "migrated.db"
    store.Store(by_migrations).connect(write=True).close()
    return sqlite3.connect(by_sqlmodel), sqlite3.connect(by_migrations)


def test_every_table_is_a_sqlmodel_table(both: tuple[sqlite3.Connection, ...]) -> None:
    query = "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
    a, b = both
    assert [r[0] for r in a.execute(query)] == sorted(TABLES)
    assert [r[0] for r in b.execute(query)] == sorted(TABLES)


@pytest.mark.parametrize("table", TABLES)
def test_migrated_schema_equals_sqlmodel_metadata(
    both: tuple[sqlite3.Connection, ...], table: str
) -> None:
    a, b = both
    assert _columns(a, table) == _columns(b, table)
    assert _indexes(a, table) == _indexes(b, table)
    assert _unique(a, table) == _unique(b, table)


def test_the_kind_check_is_in_both(both: tuple[sqlite3.Connection, ...]) -> None:
    check = "SELECT sql FROM sqlite_master WHERE name='entry'"
    for conn in both:
        assert "CHECK (kind IN ('practice', 'reflection'))" in conn.execute(check).fetchone()[0]


def test_record_row_order_matches_columns() -> None:
    r = Record(
        id="i", kind="reflection", day="d", created_at="2026-01-01T10:00:00.000001+01:00",
        pillar="p", action_type="t", note="n", minutes=3, prompt_id="pi", prompt="Pr",
        answer="Café", updated_at="2026-01-02T00:00:00+00:00",
    )  # fmt: skip
    assert dict(zip(store.ENTRY_COLUMNS, r.row(), strict=True)) == {
        "id": "i", "kind": "reflection", "day": "d",
        "created_at": "2026-01-01T10:00:00.000001+01:00", "pillar": "p", "action_type": "t",
        "note": "n", "minutes": 3, "prompt_id": "pi", "prompt": "Pr", "answer": "Café",
        "updated_at": "2026-01-02T00:00:00+00:00",
        "created_us": micros("2026-01-01T09:00:00.000001+00:00"),
        "folded": "n\npr\ncafe",
    }  # fmt: skip


def test_an_unedited_record_was_updated_when_it_was_created() -> None:
    r = Record("i", "practice", "2026-01-01", "2026-01-01T10:00:00+01:00", "action")
    assert r.to_json()["updated_at"] == "2026-01-01T10:00:00+01:00"
    assert r.row()[store.ENTRY_COLUMNS.index("updated_at")] == "2026-01-01T10:00:00+01:00"
