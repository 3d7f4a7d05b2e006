"""The hub's tables, in a PostgreSQL schema of their own, defined with SQLModel.

Their own registry keeps them out of the journal's SQLModel metadata. The hub stores, per
id, only what it needs to order changes: the id, `updated_at`, the deleted flag, a change
number it assigns, and the encrypted object. `meta` holds the hub's schema version, its
id and the key check. HUB_VERSION goes up with every change to these tables; a hub from a
newer ally is refused, never rewritten.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, LargeBinary
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

SCHEMA = "ally"
HUB_VERSION = 1


class HubModel(SQLModel, registry=registry()):
    """The base of the hub's tables, with a metadata of their own."""


class HubItem(HubModel, table=True):
    __tablename__ = "item"
    __table_args__ = (Index("ix_item_change", "change", unique=True), {"schema": SCHEMA})

    id: str = Field(primary_key=True)  # the entry's, rhythm's or pause's UUID
    updated_at: str = Field(nullable=False)  # ISO 8601 with offset, exactly as sealed
    deleted: bool = Field(nullable=False)
    change: int = Field(sa_type=BigInteger, nullable=False)  # assigned under the sync lock
    payload: bytes = Field(sa_type=LargeBinary, nullable=False)  # nonce + AES-GCM ciphertext


class HubMeta(HubModel, table=True):
    __tablename__ = "meta"
    __table_args__ = {"schema": SCHEMA}

    key: str = Field(primary_key=True)  # schema_version, hub_id, key_check
    value: str = Field(nullable=False)
