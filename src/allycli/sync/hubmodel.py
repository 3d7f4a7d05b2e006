"""The hub's tables, in a PostgreSQL schema of their own, defined with SQLModel.

Their own registry keeps them out of the journal's SQLModel metadata. The hub stores, per
object, only an opaque reference, a change number it assigns, the sealed payload and the
payload's digest (which the hub's checksum sums; see cipher.mark). `meta` holds the hub's
schema version, its id and the key check. HUB_VERSION goes up with every change to these
tables; a hub from a newer ally is refused, never rewritten, and a hub of schema 1 is
upgraded in place (hub.Hub.upgrade).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, LargeBinary
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

SCHEMA = "ally"
HUB_VERSION = 2


class HubModel(SQLModel, registry=registry()):
    """The base of the hub's tables, with a metadata of their own."""


class HubItem(HubModel, table=True):
    __tablename__ = "item"
    __table_args__ = (Index("ix_item_change", "change", unique=True), {"schema": SCHEMA})

    ref: str = Field(primary_key=True)  # HMAC of the object's id (cipher.Sealer.ref)
    change: int = Field(sa_type=BigInteger, nullable=False)  # assigned under the sync lock
    digest: bytes = Field(sa_type=LargeBinary, nullable=False)  # cipher.digest(payload)
    payload: bytes = Field(sa_type=LargeBinary, nullable=False)  # nonce + AES-GCM ciphertext


class HubMeta(HubModel, table=True):
    __tablename__ = "meta"
    __table_args__ = {"schema": SCHEMA}

    key: str = Field(primary_key=True)  # schema_version, hub_id, key_check
    value: str = Field(nullable=False)
