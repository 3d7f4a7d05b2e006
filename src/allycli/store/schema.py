"""The database schema as plain data: the entry columns and the ordered migrations.

database.py applies the migrations with sqlite3; a test ties them and the columns to the
SQLModel tables in models.py. The entry table's columns are core/records.py's: a Record's
fields, then the two keys derived from them; every statement that names them takes them
from here. Migrations may call two SQL functions that opening.py registers on every
connection: ally_us(iso) (integer UTC microseconds) and ally_fold(text, ...) (the search copy).
"""

from __future__ import annotations

from dataclasses import dataclass

from allycli.core.records import ENTRY_COLUMNS, RECORD_COLUMNS

__all__ = ["ENTRY_COLUMNS", "MIGRATIONS", "RECORD_COLUMNS", "SCHEMA_VERSION", "Migration"]


def practice_days_counted(days: str = "") -> tuple[str, str, str]:
    """The SELECTs of practice_day's rows (category, day, entries, minutes), counted from the
    entries: all practice, then by pillar, then by action type, per day; minutes are 0 when
    no entry gave any. `days` is an SQL condition on `day` (each SELECT takes its
    parameters), or "" for every day; with one, the day index finds the entries."""
    where = "kind = 'practice'"
    source = "entry"
    if days:
        where += f" AND {days}"
        source = "entry INDEXED BY ix_entry_kind_day"
    counts = "count(*), coalesce(sum(minutes), 0)"
    return (
        f"SELECT 'practice', day, {counts} FROM {source} WHERE {where} GROUP BY day",
        f"SELECT pillar, day, {counts} FROM {source} WHERE {where} GROUP BY pillar, day",
        f"SELECT action_type, day, {counts} FROM {source} "
        f"WHERE {where} AND action_type IS NOT NULL GROUP BY action_type, day",
    )


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "entries: practice and reflections in one table, with indexes for reports",
        (
            """CREATE TABLE entry (
                id VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                day VARCHAR NOT NULL,
                created_at VARCHAR NOT NULL,
                pillar VARCHAR NOT NULL,
                action_type VARCHAR,
                note VARCHAR,
                minutes INTEGER,
                prompt_id VARCHAR,
                prompt VARCHAR,
                answer VARCHAR,
                PRIMARY KEY (id),
                CONSTRAINT entry_kind CHECK (kind IN ('practice', 'reflection'))
            )""",
            "CREATE INDEX ix_entry_kind_day ON entry (kind, day, pillar, action_type)",
            "CREATE INDEX ix_entry_kind_pillar_day ON entry (kind, pillar, day)",
            "CREATE INDEX ix_entry_kind_type_day ON entry (kind, action_type, day)",
            "CREATE INDEX ix_entry_day_created ON entry (day, created_at)",
        ),
    ),
    Migration(
        2,
        "release 2: updated_at, ordering and search keys, trainings keyed 'training'; "
        "tombstones, rhythms, pauses and settings",
        (
            """CREATE TABLE entry_v2 (
                id VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                day VARCHAR NOT NULL,
                created_at VARCHAR NOT NULL,
                pillar VARCHAR NOT NULL,
                action_type VARCHAR,
                note VARCHAR,
                minutes INTEGER,
                prompt_id VARCHAR,
                prompt VARCHAR,
                answer VARCHAR,
                updated_at VARCHAR NOT NULL,
                created_us INTEGER NOT NULL,
                folded VARCHAR NOT NULL,
                PRIMARY KEY (id),
                CONSTRAINT entry_kind CHECK (kind IN ('practice', 'reflection'))
            )""",
            """INSERT INTO entry_v2
                SELECT id, kind, day, created_at, pillar,
                       CASE action_type WHEN 'learning' THEN 'training' ELSE action_type END,
                       note, minutes, prompt_id, prompt, answer,
                       created_at, ally_us(created_at), ally_fold(note, prompt, answer)
                FROM entry""",
            "DROP TABLE entry",
            "ALTER TABLE entry_v2 RENAME TO entry",
            "CREATE INDEX ix_entry_kind_day ON entry (kind, day, pillar, action_type)",
            "CREATE INDEX ix_entry_kind_pillar_day ON entry (kind, pillar, day)",
            "CREATE INDEX ix_entry_kind_type_day ON entry (kind, action_type, day)",
            "CREATE INDEX ix_entry_day_created ON entry (day, created_us, id)",
            "CREATE INDEX ix_entry_created_us ON entry (created_us)",
            """CREATE TABLE tombstone (
                id VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                deleted_at VARCHAR NOT NULL,
                PRIMARY KEY (id)
            )""",
            """CREATE TABLE rhythm (
                id VARCHAR NOT NULL,
                category VARCHAR NOT NULL,
                spec VARCHAR NOT NULL,
                updated_at VARCHAR NOT NULL,
                PRIMARY KEY (id),
                UNIQUE (category)
            )""",
            """CREATE TABLE pause (
                id VARCHAR NOT NULL,
                since VARCHAR NOT NULL,
                until VARCHAR NOT NULL,
                categories VARCHAR,
                note VARCHAR,
                created_at VARCHAR NOT NULL,
                updated_at VARCHAR NOT NULL,
                PRIMARY KEY (id)
            )""",
            """CREATE TABLE setting (
                key VARCHAR NOT NULL,
                value VARCHAR NOT NULL,
                PRIMARY KEY (key)
            )""",
        ),
    ),
    Migration(
        3,
        "rhythms: the day, pillar and action type indexes cover minutes, so days and minute "
        "sums per category read no table rows and need no sort",
        (
            "DROP INDEX ix_entry_kind_day",
            "CREATE INDEX ix_entry_kind_day ON entry (kind, day, pillar, action_type, minutes)",
            "DROP INDEX ix_entry_kind_pillar_day",
            "CREATE INDEX ix_entry_kind_pillar_day ON entry (kind, pillar, day, minutes)",
            "DROP INDEX ix_entry_kind_type_day",
            "CREATE INDEX ix_entry_kind_type_day ON entry (kind, action_type, day, minutes)",
        ),
    ),
    Migration(
        4,
        "sync: the version of each object last exchanged with the hub (what waits to be sent)",
        (
            """CREATE TABLE synced (
                id VARCHAR NOT NULL,
                updated_at VARCHAR NOT NULL,
                deleted INTEGER NOT NULL,
                PRIMARY KEY (id)
            )""",
        ),
    ),
    Migration(
        5,
        "search: an index of the folded text, so `ally search` scans it instead of the table",
        ("CREATE INDEX ix_entry_folded ON entry (folded)",),
    ),
    Migration(
        6,
        "rhythms: practice per category and day (entries and minutes), so streaks and rhythms "
        "over years read one row a day instead of every entry; entries.py keeps it",
        (
            """CREATE TABLE practice_day (
                category VARCHAR NOT NULL,
                day VARCHAR NOT NULL,
                entries INTEGER NOT NULL,
                minutes INTEGER NOT NULL,
                PRIMARY KEY (category, day)
            ) WITHOUT ROWID""",
            *(f"INSERT INTO practice_day {select}" for select in practice_days_counted()),
        ),
    ),
    Migration(
        7,
        "sync: a record of the rows the hub holds (hub schema 2), and any write to an object "
        "makes it wait to be sent, even one that keeps its updated_at",
        (
            """CREATE TABLE hubrow (
                ref VARCHAR NOT NULL,
                id VARCHAR,
                change INTEGER NOT NULL,
                digest BLOB NOT NULL,
                mark INTEGER NOT NULL,
                refused INTEGER NOT NULL,
                PRIMARY KEY (ref)
            )""",
            "CREATE INDEX ix_hubrow_change ON hubrow (change)",
            "CREATE TRIGGER entry_insert_unsynced AFTER INSERT ON entry "
            "BEGIN DELETE FROM synced WHERE id = NEW.id; END",
            "CREATE TRIGGER entry_update_unsynced AFTER UPDATE ON entry "
            "BEGIN DELETE FROM synced WHERE id = NEW.id; END",
            "CREATE TRIGGER rhythm_insert_unsynced AFTER INSERT ON rhythm "
            "BEGIN DELETE FROM synced WHERE id = NEW.id; END",
            "CREATE TRIGGER rhythm_update_unsynced AFTER UPDATE ON rhythm "
            "BEGIN DELETE FROM synced WHERE id = NEW.id; END",
            "CREATE TRIGGER pause_insert_unsynced AFTER INSERT ON pause "
            "BEGIN DELETE FROM synced WHERE id = NEW.id; END",
            "CREATE TRIGGER pause_update_unsynced AFTER UPDATE ON pause "
            "BEGIN DELETE FROM synced WHERE id = NEW.id; END",
            "CREATE TRIGGER tombstone_insert_unsynced AFTER INSERT ON tombstone "
            "BEGIN DELETE FROM synced WHERE id = NEW.id; END",
            "CREATE TRIGGER tombstone_update_unsynced AFTER UPDATE ON tombstone "
            "BEGIN DELETE FROM synced WHERE id = NEW.id; END",
        ),
    ),
    Migration(
        8,
        "action types of one's own: a key that never changes (what entries, rhythms and "
        "pauses store), the name shown, pillar, meaning, aliases and whether retired",
        (
            """CREATE TABLE action_type (
                id VARCHAR NOT NULL,
                key VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                pillar VARCHAR NOT NULL,
                about VARCHAR,
                aliases VARCHAR NOT NULL,
                retired INTEGER NOT NULL,
                updated_at VARCHAR NOT NULL,
                PRIMARY KEY (id),
                UNIQUE (key)
            )""",
            "CREATE TRIGGER action_type_insert_unsynced AFTER INSERT ON action_type "
            "BEGIN DELETE FROM synced WHERE id = NEW.id; END",
            "CREATE TRIGGER action_type_update_unsynced AFTER UPDATE ON action_type "
            "BEGIN DELETE FROM synced WHERE id = NEW.id; END",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
