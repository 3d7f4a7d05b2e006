"""The database file: the Store class, its connections, transactions and backups.

Store.reading() and Store.writing() give the sqlite3 connections that every read and
write of the journal goes through (see the package's docstring). Opening a connection
(checks, pragmas, migrations, file modes) is opening.py's; writing entries is entries.py's.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from allycli.core.errors import StorageError, damaged, first_words
from allycli.store import damage, entries
from allycli.store.backups import Counts
from allycli.store.opening import (  # noqa: F401 - APP_ID and SQLITE_HEADER re-exported
    APP_ID,
    SQLITE_HEADER,
    check_ours,
    claim_backup,
    connect,
    create_private,
    db_errors,
    ensure_wal,
    inspect_file,
    migrate,
    open_read_only,
    operational_errors,
    translate_errors,
    vacuum_into,
    writable_side_files,
)
from allycli.store.schema import ENTRY_COLUMNS, MIGRATIONS, SCHEMA_VERSION, Migration  # noqa: F401 - re-exported

DEFAULT_BUSY_TIMEOUT = 30.0
WAIT_NOTICE = 1.0  # seconds of waiting for the write lock before saying so
WAIT_SLICE = 0.2  # seconds of one wait after that, so that Ctrl-C takes effect at once


class KeySource(Protocol):
    """Where the store gets an encrypted journal's raw key (the shell: the key cache, the
    passphrase command, a question at the terminal); raises core.errors.Locked without it."""

    def key(self, db: Path) -> bytes: ...


@dataclass(frozen=True)
class Store:
    """Where the database lives and how long a writer waits for the lock."""

    path: Path
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    migrations: Sequence[Migration] = field(default=MIGRATIONS)
    on_wait: Callable[[], None] | None = None  # called once when a write waits for the lock
    on_commit: Callable[[], None] | None = None  # called after each committed change
    keys: KeySource | None = None  # an encrypted journal's key
    on_unlocked: Callable[[], None] | None = None  # after an encrypted journal opened

    def committed(self) -> None:
        """Say that a change is stored: from here on nothing may report it as failed."""
        if self.on_commit is not None:
            self.on_commit()

    # -- opening -------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.path.exists()

    def encrypted(self) -> bool:
        from allycli.store.opening import encrypted

        return encrypted(self.path)

    def key(self) -> bytes:
        """The raw key of this encrypted journal."""
        from allycli.core.errors import Locked

        if self.keys is None:
            raise Locked(
                f"The journal {self.path} is encrypted and locked; `ally unlock` opens it."
            )
        return self.keys.key(self.path)

    def connect(self, *, write: bool) -> sqlite3.Connection:
        """A connection to an ally database at the current schema version.

        For writing, the file (and its folder) is created if missing, and migrated if old.
        For reading, a missing file gives an empty in-memory database, so that reading
        commands never create files.
        """
        if not write and not self.exists():
            conn = connect(":memory:", self.busy_timeout)
            migrate(conn, self.migrations, backup_to=None)
            return conn
        for _ in range(3):  # a swap may replace the file between the open and the lock
            key = None
            if inspect_file(self.path):
                from allycli.store.opening import cipher_module

                cipher_module()  # without the extra: refused before any key or draft
                key = self.key()
            if write:
                if damage.standing(self.path):  # one stat: a write never runs the full check
                    raise damaged(self.path)
                create_private(self.path)
                writable_side_files(self.path)
            opened = self._open(write, key)
            if opened is not None:
                if key is not None and self.on_unlocked is not None:
                    self.on_unlocked()
                return opened
        raise StorageError(
            f"The journal {self.path} kept being replaced while this command opened it; try again."
        )

    def _open(self, write: bool, key: bytes | None) -> sqlite3.Connection | None:
        """A connection holding the journal's lock file shared (store/lockfile.py), or None
        when the file was replaced before the lock was held. An existing lock file is taken
        before the file is opened; a new one is made only once the file is known to be
        ally's (nothing is ever created beside a file that is not)."""
        from allycli.store import lockfile

        opened = _inode(self.path)
        held = lockfile.hold_shared(self.path, self.busy_timeout, self.on_wait, create=False)
        try:
            with translate_errors(self.path):
                if write:
                    conn = connect(self.path, self.busy_timeout, key=key, holds_lock=True)
                else:
                    conn = open_read_only(self.path, self.busy_timeout, key, holds_lock=True)
                try:
                    version = check_ours(conn, self.path, self.latest)
                    if version < self.latest:
                        if not write:
                            conn.close()
                            conn = connect(self.path, self.busy_timeout, key=key, holds_lock=True)
                        self._upgrade(conn, version)
                    elif write:
                        ensure_wal(conn)
                except BaseException:
                    conn.close()
                    raise
            if held is None:
                held = lockfile.hold_shared(self.path, self.busy_timeout, self.on_wait)
                if held is not None and _inode(self.path) != opened:
                    conn.close()
                    lockfile.release(held)
                    return None
        except BaseException:
            lockfile.release(held)
            raise
        conn.lock_name = held  # type: ignore[attr-defined]
        return conn

    @property
    def latest(self) -> int:
        return self.migrations[-1].version

    def _upgrade(self, conn: sqlite3.Connection, version: int) -> None:
        backup_to = claim_backup(self.path, version) if version > 0 else None
        try:
            migrate(conn, self.migrations, backup_to=backup_to, from_version=version)
        except db_errors() as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            kept = backup_to is not None and backup_to.exists()
            copy = f"; a copy from before is at {backup_to}" if kept else ""
            raise StorageError(
                f"Upgrading the database {self.path} to schema {self.latest} failed "
                f"({first_words(exc)}); it was left as it was{copy}."
            ) from None

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction under the database's write lock (BEGIN IMMEDIATE).

        Waiting for another process to finish is said after WAIT_NOTICE seconds, not in
        silence until the busy timeout.
        """
        opened = _inode(self.path)
        conn = self.connect(write=True)
        try:
            with translate_errors(self.path):
                _begin_immediate(conn, self.busy_timeout, self.on_wait)
        except BaseException:
            conn.close()
            raise
        try:
            with translate_errors(self.path):
                try:
                    yield conn
                    self._still_the_journal(opened)
                    with _signals_held():  # a signal lands before COMMIT or after it is said
                        conn.execute("COMMIT")
                        self.committed()
                except BaseException:
                    with contextlib.suppress(*db_errors()):
                        conn.execute("ROLLBACK")
                    raise
        finally:
            conn.close()

    def _still_the_journal(self, opened: int | None) -> None:
        """Before a commit: the path still names the file this connection opened, so nothing
        acknowledged lands in a file that an encrypt, decrypt, passwd or restore replaced."""
        if opened is not None and _inode(self.path) != opened:
            raise StorageError(
                f"The journal {self.path} was replaced (encrypted, decrypted or restored) "
                "while this command ran; nothing was written to it."
            )

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        conn = self.connect(write=False)
        try:
            with translate_errors(self.path):
                yield conn
        finally:
            conn.close()

    # -- writes --------------------------------------------------------------------------

    def insert(
        self,
        rows: Sequence[Sequence[object]],
        progress: Callable[[int, int], None] | None = None,
        chunk: int = 5000,
    ) -> int:
        """Add new entries' rows (Record.row()) in one transaction; returns how many were
        new (entries.add: an id already present is skipped)."""
        with self.writing() as conn:
            return entries.add(conn, rows, progress, chunk)

    def delete(self, id_prefix: str, deleted_at: str) -> tuple[str, str, str]:
        """Remove the one entry whose id starts with `id_prefix`; returns (id, kind, day).

        A tombstone (the id and the time, no content) stays, so that an import or a sync
        of an older version does not bring the entry back. secure_delete overwrites the
        freed content, and the caller's checkpoint afterwards copies that into the main file
        and truncates the WAL, so no copy of the text remains. The checkpoint is the
        caller's so that its failure cannot make a saved delete look failed.
        """
        with self.writing() as conn:
            found = entries.match_id(conn, id_prefix, columns="id, kind, day")
            entries.remove(conn, [found[0]])
            bury(conn, found[0], "entry", deleted_at)
        return found

    def checkpoint(self) -> None:
        with notice_after(WAIT_NOTICE, self.on_wait):
            conn = self.connect(write=True)
            try:
                with translate_errors(self.path):
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                conn.close()

    def backup(self, dest: Path | None = None, stamp: str = "", label: str = "") -> Copy:
        """A consistent snapshot of the live database, written for the user alone, whole or
        absent (store/backups.py): checked, synced and linked into place.

        Without `dest`, a new file `backups/ally-STAMP[LABEL].db` beside the database
        (`ally-STAMP-2.db` and so on when that name is taken, as by a second backup in the
        same second). The journal's own full integrity check runs first: a damaged journal
        is recorded as such and refused, never copied as if it were healthy.
        """
        from allycli.store import backups

        if dest is None:
            folder = self.path.parent / "backups"
            try:
                folder.mkdir(mode=0o700, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"Cannot create the folder {folder}: {exc.strerror}.") from None
            stem = f"ally-{stamp}{label}"
            names = [
                folder / (f"{stem}.db" if n == 1 else f"{stem}-{n}.db") for n in range(1, 1000)
            ]
        elif dest.exists() or dest.is_symlink():
            raise StorageError(f"{dest} already exists; choose a new file for the backup.")
        else:
            names = [dest]

        def fill(tmp: Path) -> backups.Counts | None:
            with self.reading() as conn:
                self.check_whole(conn)
                before = backups.count(conn)
                try:
                    vacuum_into(conn, tmp)
                except db_errors() as exc:  # the copy's file, not the journal, failed
                    raise backups.CopyFailed(backups.plain_cause(exc)) from None
                after = backups.count(conn)
            return before if before == after else None  # None: written to meanwhile

        open_copy = backups.plain_open
        if self.encrypted():  # VACUUM INTO keeps the journal's key and salt: open it so
            from allycli.store.encrypted import open_file

            key = self.key()

            def open_copy(path: Path) -> sqlite3.Connection:
                return open_file(path, key)

        written = backups.write(names, fill, open_copy, app_id=APP_ID)
        return Copy(written.path, written.unfinished, written.counts)

    def check_whole(self, conn: sqlite3.Connection) -> None:
        """SQLite's full integrity check of the journal; a failure is recorded (the damage
        marker) and raised."""
        from allycli.core.errors import damaged
        from allycli.store import damage

        health = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if health != ["ok"]:
            damage.record(self.path, "the full integrity check failed")
            raise damaged(self.path)

    def schema_version(self) -> int:
        with self.reading() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])


@dataclass(frozen=True)
class Copy:
    """A backup written: its path, and what did not happen after it was complete."""

    path: Path
    unfinished: str = ""
    counts: Counts | None = None


# -- helpers -------------------------------------------------------------------------------


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _begin_immediate(
    conn: sqlite3.Connection, timeout: float, on_wait: Callable[[], None] | None
) -> None:
    """BEGIN IMMEDIATE, waiting up to `timeout` for the write lock; when the lock is still
    taken after WAIT_NOTICE seconds, `on_wait` is told once and the wait goes on."""
    first = min(WAIT_NOTICE, timeout)
    if on_wait is None or first >= timeout:
        conn.execute("BEGIN IMMEDIATE")
        return
    conn.execute(f"PRAGMA busy_timeout = {int(first * 1000)}")
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except operational_errors() as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            on_wait()
            _wait_in_slices(conn, deadline=time.monotonic() + timeout - first)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


def _wait_in_slices(conn: sqlite3.Connection, deadline: float) -> None:
    """BEGIN IMMEDIATE, retried in short waits until `deadline`: SQLite's busy handler sleeps
    inside C, where Python cannot act on Ctrl-C, so one long wait would hold a person's
    Ctrl-C for up to the whole timeout; between short waits it takes effect at once."""
    conn.execute(f"PRAGMA busy_timeout = {int(WAIT_SLICE * 1000)}")
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except operational_errors() as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() >= deadline:
                raise


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP while a commit and its record happen: a signal that
    came between them would report a stored change as failed (and keep a duplicate draft).
    They are delivered when the block ends."""
    import signal

    held = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:
        yield
        return
    before = mask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, before)


@contextlib.contextmanager
def notice_after(seconds: float, callback: Callable[[], None] | None) -> Iterator[None]:
    """Call `callback` once if the block is still running after `seconds` (sqlite3 releases
    the GIL while its busy handler sleeps, so the timer thread runs)."""
    if callback is None:
        yield
        return
    import threading

    timer = threading.Timer(seconds, callback)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def bury(conn: sqlite3.Connection, object_id: str, kind: str, deleted_at: str) -> None:
    """Leave a tombstone for a removed entry, rhythm or pause (the later time wins)."""
    conn.execute(
        "INSERT INTO tombstone (id, kind, deleted_at) VALUES (?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at, kind = excluded.kind",
        (object_id, kind, deleted_at),
    )
