"""Talking to the hub: one transaction under a transaction-level advisory lock.

Every sync takes the same lock first, so change numbers (max + 1, assigned under it)
commit in the order they were given, and a pull of the rows above the last change number
seen never skips one. The URL goes to libpq as it is (so ~/.pgpass, sslmode and the rest
work); messages show it without its password.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from allycli.core.errors import SyncError
from allycli.store.synced import SeenRow
from allycli.sync import urls
from allycli.sync.cipher import Item, Refused, Sealer, digest
from allycli.sync.hubmodel import HUB_VERSION, SCHEMA, HubMeta, HubModel

LOCK_KEY = 0x616C6C7973796E63  # "allysync"
CONNECT_TIMEOUT = 10  # seconds
# Every statement on the hub has a time limit, so a sync never waits without end: a lock
# (another machine's sync, another session's lock) 30 s; one statement 120 s (the push goes
# in batches that each finish well within it); and ally's own session ends after 20 s idle
# inside a transaction (a stopped or sleeping machine), below the lock wait, so the next
# sync gets the lock. TCP keepalives find a connection that died without a word.
LOCK_TIMEOUT = 30
STATEMENT_TIMEOUT = 120
IDLE_TIMEOUT = 20
WAIT_NOTICE = 2.0  # seconds of waiting on the hub before saying so
PUSH_BATCH = 2000  # rows of one COPY and INSERT
LIMITS = (
    f"-c lock_timeout={LOCK_TIMEOUT * 1000} -c statement_timeout={STATEMENT_TIMEOUT * 1000} "
    f"-c idle_in_transaction_session_timeout={IDLE_TIMEOUT * 1000}"
)


@dataclass(frozen=True)
class HubRow:
    ref: str
    change: int
    digest: bytes
    payload: bytes


@dataclass(frozen=True)
class HubState:
    hub_id: str
    key_check: bytes | None
    items: int
    version: int  # the hub's schema version: 1 until upgraded, else HUB_VERSION


@contextlib.contextmanager
def session(
    url: str, *, lock: bool = True, on_wait: Callable[[str], None] | None = None
) -> Iterator[Hub]:
    """One transaction on the hub, under the sync lock; committed when the block ends.
    `on_wait` is told, once, what the sync waits for when one step has waited WAIT_NOTICE
    seconds."""
    import sqlalchemy
    from sqlalchemy.pool import NullPool

    def connect() -> Any:
        import psycopg

        return psycopg.connect(
            url, connect_timeout=CONNECT_TIMEOUT, application_name="ally", autocommit=False,
            options=LIMITS, keepalives=1, keepalives_idle=10, keepalives_interval=5,
            keepalives_count=3,
        )  # fmt: skip

    engine = sqlalchemy.create_engine("postgresql+psycopg://", creator=connect, poolclass=NullPool)
    notice = _Notice(on_wait, urls.redact(url))
    try:
        with engine.begin() as conn:
            if lock:
                with notice.waiting("the hub's sync lock (another machine is syncing)"):
                    conn.execute(
                        sqlalchemy.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY}
                    )
            yield Hub(conn, url, notice)
    except sqlalchemy.exc.DBAPIError as exc:
        raise SyncError(describe(exc.orig if exc.orig is not None else exc, url)) from None
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):
            raise SyncError(describe(exc, url)) from None
        raise
    finally:
        engine.dispose()


class _Notice:
    """Says once, after WAIT_NOTICE seconds in one step, what the sync waits for."""

    def __init__(self, on_wait: Callable[[str], None] | None, where: str) -> None:
        self.on_wait = on_wait
        self.where = where
        self.said = False

    @contextlib.contextmanager
    def waiting(self, what: str) -> Iterator[None]:
        if self.on_wait is None or self.said:
            yield
            return
        from allycli.store.database import notice_after

        def say() -> None:
            self.said = True
            assert self.on_wait is not None
            self.on_wait(
                f"waiting for {what} at {self.where}; a lock is waited for up to "
                f"{LOCK_TIMEOUT} s and one step up to {STATEMENT_TIMEOUT} s..."
            )

        with notice_after(WAIT_NOTICE, say):
            yield


def describe(exc: BaseException, url: str) -> str:
    """One sentence about a driver error, naming the hub without its password."""
    where = urls.redact(url)
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    first = urls.scrub(lines[0] if lines else type(exc).__name__, url)[:160]
    first = first.removeprefix("connection failed: ").rstrip(".")
    text = first.lower()
    if "lock timeout" in text:
        return (
            f"The hub at {where} stayed locked for {LOCK_TIMEOUT} s (another machine's sync, "
            "or another session holding a lock); nothing was changed here or on the hub. "
            "Try again later."
        )
    if "statement timeout" in text:
        return (
            f"One step of the sync on the hub at {where} took longer than "
            f"{STATEMENT_TIMEOUT} s (a slow or busy server); nothing was changed here or on "
            "the hub. Try again later."
        )
    if "idle-in-transaction" in text or "idle_in_transaction" in text:
        return (
            f"The hub at {where} ended this sync's session after {IDLE_TIMEOUT} s without a "
            "word from it (the machine was stopped or asleep); nothing was changed here. "
            "Run `ally sync` again."
        )
    if any(w in text for w in ("terminating connection", "server closed the connection",
                               "connection reset", "ssl syscall")):  # fmt: skip
        return (
            f"The connection to the hub at {where} was cut during the sync ({first}); "
            "nothing was changed here. Run `ally sync` again."
        )
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


def _batches(rows: Iterable[HubRow], size: int) -> Iterator[list[HubRow]]:
    batch: list[HubRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Hub:
    """The hub, inside one open transaction."""

    def __init__(self, conn: Any, url: str, notice: _Notice | None = None) -> None:
        self.conn = conn
        self.url = url
        self.notice = notice or _Notice(None, "")

    def _sql(self, sql: str, **params: Any) -> Any:
        import sqlalchemy

        with self.notice.waiting("an answer from the hub (a lock, or a slow server)"):
            return self.conn.execute(sqlalchemy.text(sql), params)

    def prepare(self, *, create: bool = True) -> HubState | None:
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
        try:
            version = int(meta.get("schema_version", ""))
        except ValueError:
            raise self._damaged("its schema version is not a number") from None
        if version > HUB_VERSION:
            raise SyncError(
                f"The hub at {urls.redact(self.url)} was set up by a newer ally (hub schema "
                f"{version}, this one knows {HUB_VERSION}); upgrade ally here to sync with it. "
                "Nothing was changed."
            )
        if version < 1:
            raise self._damaged("its schema version is not one that ally ever wrote")
        check = meta.get("key_check")
        try:
            key_check = base64.b64decode(check, validate=True) if check else None
        except (binascii.Error, ValueError):
            raise self._damaged("its key check is not readable") from None
        if not meta.get("hub_id"):
            raise self._damaged("it has no hub id")
        items = self._sql(f"SELECT count(*) FROM {SCHEMA}.item").scalar()
        return HubState(meta["hub_id"], key_check, int(items), version)

    def _damaged(self, what: str) -> SyncError:
        return SyncError(
            f"The hub at {urls.redact(self.url)} has damaged metadata ({what}): it was changed "
            f"by something other than ally. Nothing was changed."
        )

    def _put(self, key: str, value: str) -> None:
        from sqlalchemy import insert

        self.conn.execute(insert(HubMeta).values(key=key, value=value))

    def set_key_check(self, check: bytes) -> None:
        self._put("key_check", base64.b64encode(check).decode("ascii"))

    def upgrade(self, open_v1: Callable[[str, str, bool, bytes], Item], hub_id: str,
                sealer: Sealer) -> int:  # fmt: skip
        """Rewrite a schema-1 hub as schema 2 in this transaction: every row opened and sealed
        again with new change numbers. Returns how many rows did not open (left out)."""
        old = self._sql(
            f"SELECT id, updated_at, deleted, payload FROM {SCHEMA}.item ORDER BY change"
        ).all()
        items: list[Item] = []
        for item_id, updated_at, deleted, payload in old:
            try:
                items.append(open_v1(item_id, updated_at, deleted, bytes(payload)))
            except Refused:
                continue
        self._sql(f"DROP TABLE {SCHEMA}.item")
        HubModel.metadata.create_all(self.conn)
        self.push(seal_all(sealer, hub_id, items, 0))
        self._sql(
            f"UPDATE {SCHEMA}.meta SET value = :v WHERE key = 'schema_version'", v=str(HUB_VERSION)
        )
        return len(old) - len(items)

    def max_change(self) -> int:
        return int(self._sql(f"SELECT coalesce(max(change), 0) FROM {SCHEMA}.item").scalar())

    def digest_at(self, change: int) -> bytes | None:
        """The digest of the row at this change number, if there is one."""
        found = self._sql(f"SELECT digest FROM {SCHEMA}.item WHERE change = :c", c=change).scalar()
        return None if found is None else bytes(found)

    def checksum(self) -> tuple[int, int]:
        """(rows, sum of their cipher.mark), computed by the hub: no row leaves it."""
        count, total = self._sql(
            "SELECT count(*), coalesce(sum(('x' || substr(md5(digest || int8send(change)), 1, "
            f"10))::bit(40)::bigint), 0) FROM {SCHEMA}.item"
        ).one()
        return int(count), int(total)

    def pull(self, after: int) -> Iterator[HubRow]:
        """Every row changed after the change number `after`, in change order."""
        result = self._sql(
            f"SELECT ref, change, digest, payload FROM {SCHEMA}.item "
            "WHERE change > :after ORDER BY change",
            after=after,
        )
        for row in result:
            yield HubRow(row[0], row[1], bytes(row[2]), bytes(row[3]))

    def rows(self, refs: list[str]) -> Iterator[HubRow]:
        """The hub's rows at these references (those it has)."""
        for start in range(0, len(refs), 5000):
            result = self._sql(
                f"SELECT ref, change, digest, payload FROM {SCHEMA}.item WHERE ref = ANY(:refs)",
                refs=refs[start : start + 5000],
            )
            for row in result:
                yield HubRow(row[0], row[1], bytes(row[2]), bytes(row[3]))

    def remove(self, rows: Iterable[SeenRow]) -> int:
        """Delete these rows, each only if it is still at the change and digest recorded."""
        removed = 0
        for row in rows:
            done = self._sql(
                f"DELETE FROM {SCHEMA}.item WHERE ref = :r AND change = :c AND digest = :d",
                r=row.ref, c=row.change, d=row.digest,
            )  # fmt: skip
            removed += done.rowcount
        return removed

    def push(self, rows: Iterable[HubRow]) -> int:
        """Write rows (their change numbers given by seal_all above the hub's top); returns
        how many were written.

        The rows go through COPY into a temporary table and then into the items in one
        statement: for 100,000 rows that is seconds faster than one INSERT a row.
        """
        written = 0
        driver = self.conn.connection.driver_connection  # psycopg, in this transaction
        waiting = self.notice.waiting
        batches = _batches(rows, PUSH_BATCH)  # each COPY and INSERT well within the limit
        with driver.cursor() as cur, waiting("the hub to take the changes sent"):
            cur.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS incoming (ref text, change bigint, "
                "digest bytea, payload bytea) ON COMMIT DROP"
            )
            for batch in batches:
                with cur.copy("COPY incoming (ref, change, digest, payload) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row((row.ref, row.change, row.digest, row.payload))
                written += len(batch)
                cur.execute(
                    f"INSERT INTO {SCHEMA}.item (ref, change, digest, payload) "
                    "SELECT ref, change, digest, payload FROM incoming "
                    "ON CONFLICT (ref) DO UPDATE SET change = excluded.change, "
                    "digest = excluded.digest, payload = excluded.payload"
                )
                cur.execute("TRUNCATE incoming")
        return written


def seal_all(sealer: Sealer, hub_id: str, items: Iterable[Item], top: int) -> Iterator[HubRow]:
    """The rows that hold these items, with change numbers from top + 1 on."""
    for change, item in enumerate(items, start=top + 1):
        ref = sealer.ref(item.id)
        payload = sealer.seal(item, hub_id, ref, change)
        yield HubRow(ref, change, digest(payload), payload)
