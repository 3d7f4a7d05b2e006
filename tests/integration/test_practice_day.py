"""The practice_day table (schema.py) equals the entries grouped by category and day,
whoever writes them: new entries, edits, deletes, import's merge, sync, the migration."""

from __future__ import annotations

import random
import sqlite3
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from allycli.core.records import Record
from allycli.store import entries, synced
from allycli.store.database import MIGRATIONS, Store

# (pillar, action type) as ally stores them: an action type's pillar, or a pillar alone
ACTIVITIES = [("action", "protest"), ("action", "money"), ("learning", "training"),
              ("listening", None), ("yielding", None), ("action", None)]  # fmt: skip
GROUPED = """
    SELECT category, day, count(*), coalesce(sum(minutes), 0) FROM (
        SELECT 'practice' AS category, day, minutes FROM entry WHERE kind = 'practice'
        UNION ALL SELECT pillar, day, minutes FROM entry WHERE kind = 'practice'
        UNION ALL SELECT action_type, day, minutes FROM entry
            WHERE kind = 'practice' AND action_type IS NOT NULL)
    GROUP BY category, day ORDER BY category, day
"""


def _record(rng: random.Random, start: date) -> Record:
    day = (start + timedelta(days=rng.randrange(20))).isoformat()
    common = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "day": day,
        "created_at": f"{day}T{rng.randint(7, 22):02d}:00:00+00:00",
    }
    if rng.random() < 0.15:
        return Record(kind="reflection", pillar="listening", prompt_id="p", prompt="Q?",
                      answer="A.", **common)  # fmt: skip
    pillar, action_type = rng.choice(ACTIVITIES)
    minutes = rng.choice([None, None, 5, 30, 90])
    return Record(kind="practice", pillar=pillar, action_type=action_type, minutes=minutes,
                  note="n", **common)  # fmt: skip


def _changed(rng: random.Random, r: Record, start: date) -> Record:
    """Another version of the entry: a new day, activity, minutes, or kind."""
    other = _record(rng, start)
    return Record(r.id, other.kind, other.day, r.created_at, other.pillar, other.action_type,
                  other.note, other.minutes, other.prompt_id, other.prompt, other.answer,
                  updated_at=f"{other.day}T23:00:00+00:00")  # fmt: skip


def _both(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        kept = conn.execute(
            "SELECT category, day, entries, minutes FROM practice_day ORDER BY category, day"
        ).fetchall()
        return kept, conn.execute(GROUPED).fetchall()


@pytest.mark.parametrize("seed", range(6))
def test_practice_day_follows_every_writer(db_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    start = date(2026, 3, 1)
    store = Store(db_path)
    alive = [_record(rng, start) for _ in range(120)]
    assert store.insert([r.row() for r in alive]) == 120
    for step in range(40):
        action = step % 4
        if action == 0:  # edit or merge: whole new versions of some entries
            chosen = rng.sample(alive, 8)
            newer = [_changed(rng, r, start) for r in chosen]
            with store.writing() as conn:
                entries.put(conn, newer)
            alive = [r for r in alive if r not in chosen] + newer
        elif action == 1:  # ally delete
            gone = rng.choice(alive)
            store.delete(gone.id[:13], "2026-04-01T00:00:00+00:00")
            alive.remove(gone)
        elif action == 2:  # sync brings new entries, new versions and tombstones
            chosen = rng.sample(alive, 4)
            newer = [_changed(rng, r, start) for r in chosen[:2]]
            fresh = [_record(rng, start) for _ in range(3)]
            items = [synced.Item(r.id, r.changed_at, False, r.to_json()) for r in newer + fresh]
            items += [synced.Item(r.id, "2026-04-02T00:00:00+00:00", True,
                                  {"id": r.id, "kind": "entry", "deleted_at": "x"})
                      for r in chosen[2:]]  # fmt: skip
            with store.writing() as conn:
                synced.apply(conn, items)
            alive = [r for r in alive if r not in chosen] + newer + fresh
        else:  # log, reflect, import: new entries, some ids already there (skipped)
            fresh = [_record(rng, start) for _ in range(5)]
            store.insert([r.row() for r in [*fresh, rng.choice(alive)]])
            alive += fresh
        kept, grouped = _both(db_path)
        assert kept == grouped, f"step {step}"
    practice = sum(r.kind == "practice" for r in alive)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM entry").fetchone()[0] == len(alive)
        total = conn.execute(
            "SELECT sum(entries) FROM practice_day WHERE category = 'practice'"
        ).fetchone()[0]
    assert total == practice and practice > 100


def test_the_migration_fills_practice_day_from_the_entries(db_path: Path) -> None:
    """A journal written before practice_day (schema 5) gets it filled on upgrade."""
    rng = random.Random(9)
    before = Store(db_path, migrations=tuple(m for m in MIGRATIONS if m.version <= 5))
    before.connect(write=True).close()
    rows = [_record(rng, date(2026, 3, 1)).row() for _ in range(300)]
    with sqlite3.connect(db_path) as conn:  # as ally wrote them then
        conn.executemany(f"INSERT INTO entry VALUES ({', '.join('?' * len(rows[0]))})", rows)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    assert Store(db_path).schema_version() == MIGRATIONS[-1].version
    kept, grouped = _both(db_path)
    assert kept == grouped and len(kept) > 50
    assert sum(m for c, _, _, m in kept if c == "practice") > 0


def test_an_import_over_many_days_counts_practice_day_again(db_path: Path) -> None:
    """A write that touches more than a thousand days counts the whole table again."""
    rng = random.Random(11)
    store = Store(db_path)
    store.insert([_record(rng, date(2026, 3, 1)).row() for _ in range(50)])
    spread = []
    for n in range(3000):
        r = _record(rng, date(2020, 1, 1) + timedelta(days=n % 1500))
        spread.append(r.row())
    assert store.insert(spread) == 3000
    kept, grouped = _both(db_path)
    assert kept == grouped
    assert len({day for _, day, _, _ in kept}) > 1000


def test_counting_a_day_again_reads_only_that_day(db_path: Path) -> None:
    """`ally log` counts its day again through the day index, not every entry."""
    rng = random.Random(12)
    store = Store(db_path)
    store.insert([_record(rng, date(2026, 3, 1)).row() for _ in range(200)])
    new = Record(str(uuid.UUID(int=5)), "practice", "2026-03-04", "2026-03-04T09:00:00+00:00",
                 "action", "protest", minutes=20)  # fmt: skip
    seen: list[str] = []
    with store.writing() as conn:
        conn.set_trace_callback(seen.append)
        entries.add(conn, [new.row()])
        conn.set_trace_callback(None)
    counts = [s for s in seen if "INSERT OR REPLACE INTO practice_day" in s]
    assert len(counts) == 3
    with sqlite3.connect(db_path) as conn:
        for sql in counts:
            select = sql[sql.index("SELECT") :]
            plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {select}")]
            assert any("ix_entry_kind_day (kind=? AND day=?)" in line for line in plan), plan
