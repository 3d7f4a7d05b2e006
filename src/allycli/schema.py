"""The database schema as plain data: the entry columns and the ordered migrations.

store.py applies these with sqlite3; a test ties both to the SQLModel table in models.py.
"""

from __future__ import annotations

from dataclasses import dataclass

ENTRY_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "day",
    "created_at",
    "pillar",
    "action_type",
    "note",
    "minutes",
    "prompt_id",
    "prompt",
    "answer",
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
)
SCHEMA_VERSION = MIGRATIONS[-1].version
