"""The schema, defined once as SQLModel tables.

The write path (store.py) does not import this module, to keep `ally log` fast; a test
ties its column list and the migrations' DDL to these definitions.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel


class Entry(SQLModel, table=True):
    """A practice entry or a reflection. One table, so lists and exports interleave them."""

    __tablename__ = "entry"
    __table_args__ = (
        CheckConstraint("kind IN ('practice', 'reflection')", name="entry_kind"),
        Index("ix_entry_kind_day", "kind", "day", "pillar", "action_type"),
        Index("ix_entry_kind_pillar_day", "kind", "pillar", "day"),
        Index("ix_entry_kind_type_day", "kind", "action_type", "day"),
        Index("ix_entry_day_created", "day", "created_at"),
    )

    id: str = Field(primary_key=True)  # a UUID string, stable forever
    kind: str = Field(nullable=False)
    day: str = Field(nullable=False)  # YYYY-MM-DD, the user's local calendar day
    created_at: str = Field(nullable=False)  # ISO 8601 with offset
    pillar: str = Field(nullable=False)
    action_type: Optional[str] = Field(default=None)  # noqa: UP045 - SQLModel reads the annotation at runtime
    note: Optional[str] = Field(default=None)  # noqa: UP045
    minutes: Optional[int] = Field(default=None)  # noqa: UP045
    prompt_id: Optional[str] = Field(default=None)  # noqa: UP045
    prompt: Optional[str] = Field(default=None)  # noqa: UP045
    answer: Optional[str] = Field(default=None)  # noqa: UP045
