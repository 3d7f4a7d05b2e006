"""The schema, defined once as SQLModel tables.

The write path (store/database.py) does not import this module, to keep `ally log` fast; a test
ties its column lists and the migrations' DDL to these definitions.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Entry(SQLModel, table=True):
    """A practice entry or a reflection. One table, so lists and exports interleave them."""

    __tablename__ = "entry"
    __table_args__ = (
        CheckConstraint("kind IN ('practice', 'reflection')", name="entry_kind"),
        Index("ix_entry_kind_day", "kind", "day", "pillar", "action_type", "minutes"),
        Index("ix_entry_kind_pillar_day", "kind", "pillar", "day", "minutes"),
        Index("ix_entry_kind_type_day", "kind", "action_type", "day", "minutes"),
        Index("ix_entry_day_created", "day", "created_us", "id"),
        Index("ix_entry_created_us", "created_us"),
        Index("ix_entry_folded", "folded"),  # `ally search` scans it (covering, half the bytes)
    )

    id: str = Field(primary_key=True)  # a UUID string, stable forever
    kind: str = Field(nullable=False)
    day: str = Field(nullable=False)  # YYYY-MM-DD, the user's local calendar day
    created_at: str = Field(nullable=False)  # ISO 8601 with offset, to the microsecond
    pillar: str = Field(nullable=False)
    action_type: Optional[str] = Field(default=None)  # noqa: UP045 - SQLModel reads the annotation at runtime
    note: Optional[str] = Field(default=None)  # noqa: UP045
    minutes: Optional[int] = Field(default=None)  # noqa: UP045
    prompt_id: Optional[str] = Field(default=None)  # noqa: UP045
    prompt: Optional[str] = Field(default=None)  # noqa: UP045
    answer: Optional[str] = Field(default=None)  # noqa: UP045
    updated_at: str = Field(nullable=False)  # ISO 8601 with offset; created_at until edited
    created_us: int = Field(nullable=False)  # created_at as UTC microseconds: the order in a day
    folded: str = Field(nullable=False)  # note, prompt and answer case- and accent-folded


class Tombstone(SQLModel, table=True):
    """What a delete leaves: the id and the time, no content (import and sync respect it)."""

    __tablename__ = "tombstone"

    id: str = Field(primary_key=True)
    kind: str = Field(nullable=False)  # "entry", "rhythm" or "pause"
    deleted_at: str = Field(nullable=False)  # ISO 8601 with offset


class Rhythm(SQLModel, table=True):
    """How often a person means to practice a category; no row means the default."""

    __tablename__ = "rhythm"
    __table_args__ = (UniqueConstraint("category"),)

    id: str = Field(primary_key=True)  # a UUID5 of the category, the same on every machine
    category: str = Field(nullable=False)  # practice, a pillar or an action type
    spec: str = Field(nullable=False)  # canonical: "3/week", "90min/month", "off"
    updated_at: str = Field(nullable=False)


class Pause(SQLModel, table=True):
    """Days of rest for some categories (all of them when `categories` is NULL)."""

    __tablename__ = "pause"

    id: str = Field(primary_key=True)
    since: str = Field(nullable=False)  # YYYY-MM-DD, inclusive
    until: str = Field(nullable=False)  # YYYY-MM-DD, inclusive
    categories: Optional[str] = Field(default=None)  # noqa: UP045 - a JSON array, or NULL for all
    note: Optional[str] = Field(default=None)  # noqa: UP045
    created_at: str = Field(nullable=False)
    updated_at: str = Field(nullable=False)


class ActionType(SQLModel, table=True):
    """An action type of one's own; the built-in ones live in core/taxonomy.py, not here."""

    __tablename__ = "action_type"
    __table_args__ = (UniqueConstraint("key"),)

    id: str = Field(primary_key=True)  # a UUID5 of the key, the same on every machine
    key: str = Field(nullable=False)  # the name it was added with; never changes
    name: str = Field(nullable=False)  # the name shown, changed by `ally type rename`
    pillar: str = Field(nullable=False)  # its default pillar
    about: Optional[str] = Field(default=None)  # noqa: UP045 - what it covers, in a few words
    aliases: str = Field(nullable=False)  # a JSON array of other words for it
    retired: int = Field(nullable=False)  # 1: no new entries, no gap; history stays
    updated_at: str = Field(nullable=False)


class Setting(SQLModel, table=True):
    """The journal's own settings (the sync URL and key among them); never exported."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str = Field(nullable=False)


class Synced(SQLModel, table=True):
    """Per id, the version last exchanged with the sync hub; a differing one waits to be sent.

    Each journal's own record of its hub, like the settings: never exported.
    """

    __tablename__ = "synced"

    id: str = Field(primary_key=True)
    updated_at: str = Field(nullable=False)  # as exchanged: the object's or the tombstone's time
    deleted: int = Field(nullable=False)  # 1 for a tombstone


class PracticeDay(SQLModel, table=True):
    """Practice per category and day, counted from the entries by their one writer
    (entries.py) at every write: rhythms and streaks read one row a day instead of every
    entry. Derived: never exported or synced."""

    __tablename__ = "practice_day"
    __table_args__ = {"sqlite_with_rowid": False}

    category: str = Field(primary_key=True)  # practice, a pillar or an action type
    day: str = Field(primary_key=True)  # YYYY-MM-DD
    entries: int = Field(nullable=False)  # practice entries that day
    minutes: int = Field(nullable=False)  # their minutes; 0 when none gave any


class HubRow(SQLModel, table=True):
    """Per row of the sync hub, what this journal last saw of it: its change number and the
    digest of its payload, so a hub that lost, renumbered or put back rows shows.

    Each journal's own record of its hub, like the settings: never exported.
    """

    __tablename__ = "hubrow"
    __table_args__ = (Index("ix_hubrow_change", "change"),)

    ref: str = Field(primary_key=True)  # the hub's opaque reference of the object's id
    id: Optional[str] = Field(default=None)  # noqa: UP045 - None: a row that did not open
    change: int = Field(nullable=False)
    digest: bytes = Field(nullable=False)
    mark: int = Field(nullable=False)  # the row's share of the checksum (cipher.mark)
    refused: int = Field(nullable=False)  # 1 for a row that did not open
