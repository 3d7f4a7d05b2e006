"""Talking to the hub: one transaction under a transaction-level advisory lock.

Every sync takes the same lock first, so change numbers (max + 1, assigned under it)
commit in the order they were given, and a pull of the rows above the last change number
seen never skips one. The URL goes to libpq as it is (so ~/.pgpass, sslmode and the rest
work); messages show it without its password.
"""

from __future__ import annotations

import base64
import contextlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from allycli.core.errors import SyncError
from allycli.sync import urls
from allycli.sync.hubmodel import HUB_VERSION, SCHEMA, HubMeta, HubModel

LOCK_KEY = 0x616C6C7973796E63  # "allysync"
CONNECT_TIMEOUT = 10  # seconds


@dataclass(frozen=True)
class HubRow:
    id: str
    updated_at: str
    deleted: bool
    change: int
    payload: bytes


@dataclass(frozen=True)
class HubState:
    hub_id: str
    key_check: bytes | None
    items: int


@contextlib.contextmanager
def session(url: str, *, lock: bool = True) -> Iterator[Hub]:
    """One transaction on the hub, under the sync lock; committed when the block ends."""
    import sqlalchemy
    from sqlalchemy.pool import NullPool

    def connect() -> Any:
        import psycopg

        return psycopg.connect(
            url, connect_timeout=CONNECT_TIMEOUT, application_name="ally", autocommit=False
        )

    engine = sqlalchemy.create_engine("postgresql+psycopg://", creator=connect, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            if lock:
                conn.execute(sqlalchemy.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
            yield Hub(conn)
    except sqlalchemy.exc.DBAPIError as exc:
        raise SyncError(describe(exc.orig if exc.orig is not None else exc, url)) from None
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):
            raise SyncError(describe(exc, url)) from None
        raise
    finally:
        engine.dispose()


def describe(exc: BaseException, url: str) -> str:
    """One sentence about a driver error, naming the hub without its password."""
    where = urls.redact(url)
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    first = urls.scrub(lines[0] if lines else type(exc).__name__, url)[:160]
    first = first.removeprefix("connection failed: ").rstrip(".")
    text = first.lower()
    if "password authentication failed" in text or "no password supplied" in text:
        return (
            f"The hub at {where} refused the login ({first}); check the user and password "
            "in the URL or in ~/.pgpass. Nothing was changed."
        )
    if "permission denied" in text:
        return (
            f"The hub at {where} refused ({first}); the user needs the right to create a "
            "schema in that database. Nothing was changed."
        )
    if any(w in text for w in ("connection refused", "could not", "timeout", "timed out",
                               "no route", "name or service", "server closed", "terminat",
                               "connection to server")):  # fmt: skip
        return (
            f"The hub at {where} does not answer ({first}); check the URL and that the "
            "server is running. Nothing was changed."
        )
    return f"The hub at {where} could not be used ({first}). Nothing was changed."


class Hub:
    """The hub, inside one open transaction."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def _sql(self, sql: str, **params: Any) -> Any:
        import sqlalchemy

        return self.conn.execute(sqlalchemy.text(sql), params)

    def prepare(self, url: str, *, create: bool = True) -> HubState | None:
        """The hub's state; its tables are created first when it has none (if `create`)."""
        exists = self._sql(f"SELECT to_regclass('{SCHEMA}.meta') IS NOT NULL").scalar()
        if not exists:
            if not create:
                return None
            from sqlalchemy.schema import CreateSchema

            self.conn.execute(CreateSchema(SCHEMA, if_not_exists=True))
            HubModel.metadata.create_all(self.conn)
            self._put("schema_version", str(HUB_VERSION))
            self._put("hub_id", str(uuid.uuid4()))
        meta = dict(self._sql(f"SELECT key, value FROM {SCHEMA}.meta").all())
        version = int(meta.get("schema_version", "0") or 0)
        if version > HUB_VERSION:
            raise SyncError(
                f"The hub at {urls.redact(url)} was set up by a newer ally (hub schema "
                f"{version}, this one knows {HUB_VERSION}); upgrade ally here to sync with it. "
                "Nothing was changed."
            )
        check = meta.get("key_check")
        items = self._sql(f"SELECT count(*) FROM {SCHEMA}.item").scalar()
        return HubState(
            hub_id=meta.get("hub_id", ""),
            key_check=base64.b64decode(check) if check else None,
            items=int(items),
        )

    def _put(self, key: str, value: str) -> None:
        self.conn.execute(HubMeta.__table__.insert().values(key=key, value=value))

    def set_key_check(self, check: bytes) -> None:
        self._put("key_check", base64.b64encode(check).decode("ascii"))

    def max_change(self) -> int:
        return int(self._sql(f"SELECT coalesce(max(change), 0) FROM {SCHEMA}.item").scalar())

    def pull(self, after: int) -> Iterator[HubRow]:
        """Every row changed after the change number `after`, in change order."""
        result = self._sql(
            f"SELECT id, updated_at, deleted, change, payload FROM {SCHEMA}.item "
            "WHERE change > :after ORDER BY change",
            after=after,
        )
        for row in result:
            yield HubRow(row[0], row[1], row[2], row[3], bytes(row[4]))

    def rows(self, ids: list[str]) -> Iterator[HubRow]:
        """The hub's rows for these ids (those it has)."""
        for start in range(0, len(ids), 5000):
            result = self._sql(
                f"SELECT id, updated_at, deleted, change, payload FROM {SCHEMA}.item "
                "WHERE id = ANY(:ids)",
                ids=ids[start : start + 5000],
            )
            for row in result:
                yield HubRow(row[0], row[1], row[2], row[3], bytes(row[4]))

    def push(self, rows: Iterable[tuple[str, str, bool, bytes]]) -> int:
        """Write rows (id, updated_at, deleted, payload) with new change numbers; returns the
        last change number given (or the current one when there was nothing to write).

        The rows go through COPY into a temporary table and then into the items in one
        statement: for 100,000 rows that is seconds faster than one INSERT a row.
        """
        change = start = self.max_change()
        driver = self.conn.connection.driver_connection  # psycopg, in this transaction
        with driver.cursor() as cur:
            cur.execute(
                "CREATE TEMPORARY TABLE incoming (id text, updated_at text, deleted boolean, "
                "change bigint, payload bytea) ON COMMIT DROP"
            )
            with cur.copy(
                "COPY incoming (id, updated_at, deleted, change, payload) FROM STDIN"
            ) as copy:
                for item_id, updated_at, deleted, payload in rows:
                    change += 1
                    copy.write_row((item_id, updated_at, deleted, change, payload))
            if change > start:
                cur.execute(
                    f"INSERT INTO {SCHEMA}.item (id, updated_at, deleted, change, payload) "
                    "SELECT id, updated_at, deleted, change, payload FROM incoming "
                    "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, "
                    "deleted = excluded.deleted, change = excluded.change, "
                    "payload = excluded.payload"
                )
        return change
