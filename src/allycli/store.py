"""The database file: opening, pragmas, migrations, writes, backups.

This module speaks SQL through the standard library's sqlite3 only, so the write path
(`ally log`, `ally reflect`, `ally delete`, `ally import`) never imports SQLModel.
Reads and reports go through SQLModel in queries.py, on connections made here.
A test ties ENTRY_COLUMNS and the migrations' DDL to models.Entry.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from allycli.errors import NotFoundError, StorageError, UsageError, first_words, storage_error
from allycli.folding import fold, micros
from allycli.schema import ENTRY_COLUMNS, MIGRATIONS, SCHEMA_VERSION, Migration  # noqa: F401 - re-exported

APP_ID = 0x616C6C79  # "ally": marks a SQLite file as ours
SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 30.0
WAIT_NOTICE = 1.0  # seconds of waiting for the write lock before saying so

_INSERT = (
    f"INSERT OR IGNORE INTO entry ({', '.join(ENTRY_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in ENTRY_COLUMNS)})"
)


@dataclass(frozen=True)
class Store:
    """Where the database lives and how long a writer waits for the lock."""

    path: Path
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    migrations: Sequence[Migration] = field(default=MIGRATIONS)
    on_wait: Callable[[], None] | None = None  # called once when a write waits for the lock

    # -- opening -------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.path.exists()

    def connect(self, *, write: bool) -> sqlite3.Connection:
        """A connection to an ally database at the current schema version.

        For writing, the file (and its folder) is created if missing, and migrated if old.
        For reading, a missing file gives an empty in-memory database, so that reading
        commands never create files.
        """
        if not write and not self.exists():
            conn = _connect(":memory:", self.busy_timeout)
            _migrate(conn, self.migrations, backup_to=None)
            return conn
        inspect_file(self.path)
        if write:
            _create_private(self.path)
            _writable_side_files(self.path)
        with translate_errors(self.path):
            if write:
                conn = _connect(self.path, self.busy_timeout)
            else:
                conn = open_read_only(self.path, self.busy_timeout)
            try:
                version = _check_ours(conn, self.path, self.latest)
                if version < self.latest:
                    if not write:
                        conn.close()
                        conn = _connect(self.path, self.busy_timeout)
                    self._upgrade(conn, version)
                elif write:
                    _ensure_wal(conn)
            except BaseException:
                conn.close()
                raise
        return conn

    @property
    def latest(self) -> int:
        return self.migrations[-1].version

    def _upgrade(self, conn: sqlite3.Connection, version: int) -> None:
        backup_to = _claim_backup(self.path, version) if version > 0 else None
        try:
            _migrate(conn, self.migrations, backup_to=backup_to, from_version=version)
        except sqlite3.Error as exc:
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
                    conn.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
        finally:
            conn.close()

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
        """Insert rows (in ENTRY_COLUMNS order) in one transaction; returns how many were new.

        An id already present is skipped, which makes importing the same file twice safe.
        """
        with self.writing() as conn:
            before = conn.total_changes
            for start in range(0, len(rows), chunk):
                conn.executemany(_INSERT, rows[start : start + chunk])
                if progress is not None:
                    progress(min(start + chunk, len(rows)), len(rows))
            return conn.total_changes - before

    def insert_and_streak(self, row: Sequence[object], today: date) -> int:
        """Insert one entry and return the current streak, in one transaction."""
        from allycli.insights import current_streak_from_recent

        with self.writing() as conn:
            conn.execute(_INSERT, row)
            days = conn.execute(
                "SELECT DISTINCT day FROM entry WHERE kind = 'practice' AND day <= ? "
                "ORDER BY day DESC",
                (today.isoformat(),),
            )
            return current_streak_from_recent((date.fromisoformat(d) for (d,) in days), today)

    def find(self, id_prefix: str) -> tuple[str, str, str]:
        """(id, kind, day) of the one entry whose id starts with `id_prefix`."""
        with self.reading() as conn:
            return _match(conn, id_prefix)

    def delete(self, id_prefix: str, deleted_at: str) -> tuple[str, str, str]:
        """Remove the one entry whose id starts with `id_prefix`; returns (id, kind, day).

        A tombstone (the id and the time, no content) stays, so that an import or a sync
        of an older version does not bring the entry back. secure_delete overwrites the
        freed content, and the checkpoint afterwards copies that into the main file and
        truncates the WAL, so no copy of the text remains.
        """
        with self.writing() as conn:
            found = _match(conn, id_prefix)
            conn.execute("DELETE FROM entry WHERE id = ?", (found[0],))
            bury(conn, found[0], "entry", deleted_at)
        self.checkpoint()
        return found

    def checkpoint(self) -> None:
        with _notice_after(WAIT_NOTICE, self.on_wait):
            conn = self.connect(write=True)
            try:
                with translate_errors(self.path):
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                conn.close()

    def backup(self, dest: Path | None = None, stamp: str = "") -> Path:
        """A consistent snapshot of the live database, written for the user alone.

        Without `dest`, a new file `backups/ally-STAMP.db` beside the database, claimed with
        O_EXCL (`ally-STAMP-2.db` and so on when that name is taken, as by a second backup in
        the same second). Returns the file written.
        """
        if dest is None:
            folder = self.path.parent / "backups"
            try:
                folder.mkdir(mode=0o700, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"Cannot create the folder {folder}: {exc.strerror}.") from None
            dest = _claim_new(folder, f"ally-{stamp}", ".db")
            claimed = True
        elif dest.exists():
            raise StorageError(f"{dest} already exists; choose a new file for the backup.")
        else:
            claimed = False
        try:
            with self.reading() as conn:
                _vacuum_into(conn, dest)
        except BaseException:
            if claimed:
                with contextlib.suppress(OSError):
                    if dest.stat().st_size == 0:
                        dest.unlink()
            raise
        return dest

    def schema_version(self) -> int:
        with self.reading() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])


# -- helpers -------------------------------------------------------------------------------


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
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            on_wait()
            conn.execute(f"PRAGMA busy_timeout = {int((timeout - first) * 1000)}")
            conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


@contextlib.contextmanager
def _notice_after(seconds: float, callback: Callable[[], None] | None) -> Iterator[None]:
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


def _match(conn: sqlite3.Connection, id_prefix: str) -> tuple[str, str, str]:
    prefix = id_prefix.strip().lower()
    if len(prefix) < 4 or any(c not in "0123456789abcdef-" for c in prefix):
        raise UsageError(
            "An entry id is the hex id shown by `ally list` (at least its first 4 characters)."
        )
    found = conn.execute(
        "SELECT id, kind, day FROM entry WHERE id >= ? AND id < ? LIMIT 2",
        (prefix, prefix + "\uffff"),
    ).fetchall()
    if not found:
        raise NotFoundError(f"No entry has the id {prefix}; `ally list` shows the ids.")
    if len(found) > 1:
        raise UsageError(f"More than one entry id starts with {prefix}; give more of the id.")
    return found[0]


def _connect(
    target: str | Path, busy_timeout: float, *, read_only: bool = False, immutable: bool = False
) -> sqlite3.Connection:
    if read_only:
        uri = Path(target).resolve().as_uri() + (
            "?mode=ro&immutable=1" if immutable else "?mode=ro"
        )
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None)
    else:
        conn = sqlite3.connect(target, timeout=busy_timeout, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.create_function("ally_us", 1, micros, deterministic=True)
    conn.create_function("ally_fold", -1, fold, deterministic=True)
    if not read_only:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")
    return conn


def open_read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A connection that reads the database and changes nothing, not even file modes.

    A database this user cannot write, with no -wal beside it, cannot change while it is
    read: it is read as immutable, so SQLite creates no -shm (which it would give the
    database's read-only mode, leaving the database unwritable once made 0600 again). In a
    read-only folder SQLite cannot create the -shm at all; see _unchangeable.
    """
    sealed = not os.access(path, os.W_OK) and not _side(path, "-wal")
    conn = _connect(path, busy_timeout, read_only=True, immutable=sealed)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        if sealed or not _unchangeable(path, exc):
            raise
        conn = _connect(path, busy_timeout, read_only=True, immutable=True)
    return conn


def _side(path: Path, suffix: str) -> bool:
    return path.with_name(path.name + suffix).exists()


def _writable_side_files(path: Path) -> None:
    """Give back write permission on a -wal or -shm that a read of a read-only database left
    read-only (ally before release 2 did): the user made the database writable again, and
    SQLite cannot use a -shm it cannot write."""
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        try:
            info = side.stat()
            if info.st_uid == os.getuid() and not info.st_mode & stat.S_IWUSR:
                side.chmod(0o600)
        except (OSError, AttributeError):  # absent, not ours to change, or no uids here
            continue


def _unchangeable(path: Path, exc: sqlite3.Error) -> bool:
    """A WAL database that SQLite will not read because it cannot create the -shm beside it
    (a read-only folder), and with no -wal file: no process can change it, so reading it as
    an immutable file is safe, and is how SQLite allows reading it at all."""
    wal = path.with_name(path.name + "-wal")
    return "readonly" in str(exc).lower() and not wal.exists()


def inspect_file(path: Path) -> None:
    """Refuse, without touching it, a file that cannot be an ally database.

    The file is opened without blocking and checked to be a regular file before anything
    reads it: a FIFO or a device named by ALLY_DB would otherwise hang or never end.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        return  # _create_private says what is wrong when a write needs the file
    except IsADirectoryError:
        raise StorageError(f"{path} is a folder; ALLY_DB must name a file.") from None
    except PermissionError:
        raise StorageError(
            f"The database {path} cannot be read: permission denied. Check its owner and mode."
        ) from None
    except OSError as exc:
        raise StorageError(f"The database {path} cannot be opened: {exc.strerror}.") from None
    try:
        kind = os.fstat(fd).st_mode
        if stat.S_ISDIR(kind):
            raise StorageError(f"{path} is a folder; ALLY_DB must name a file.")
        if not stat.S_ISREG(kind):
            raise StorageError(
                f"{path} is not a regular file (a pipe, a device or a socket); "
                "ALLY_DB must name an ordinary file."
            )
        head = os.read(fd, len(SQLITE_HEADER))
    finally:
        os.close(fd)
    if head and head != SQLITE_HEADER:
        raise StorageError(
            f"{path} is not an ally database (it is not a SQLite file); "
            "point ALLY_DB at another file or move this one aside."
        )


def _check_ours(conn: sqlite3.Connection, path: Path, latest: int) -> int:
    # One statement, so one snapshot: read apart, a process creating the schema at the
    # same moment could be seen with its tables but not yet its application_id.
    app_id, version, tables = conn.execute(
        "SELECT (SELECT application_id FROM pragma_application_id), "
        "(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    if app_id != APP_ID and (app_id != 0 or version != 0 or tables):
        raise StorageError(
            f"{path} is a SQLite database that ally did not create; "
            "point ALLY_DB at another file or move this one aside."
        )
    if version > latest:
        raise StorageError(
            f"The database {path} was written by a newer ally (schema {version}, this one "
            f"knows {latest}); upgrade ally to use it. It was left as it is."
        )
    return int(version)


def _migrate(
    conn: sqlite3.Connection,
    migrations: Sequence[Migration],
    backup_to: Path | None,
    from_version: int = 0,
) -> None:
    """Apply each pending step in its own transaction, re-checked under the write lock."""
    if backup_to is not None:
        _vacuum_into(conn, backup_to)
    applied_from: int | None = None  # the version this process found when it began to apply
    for step in migrations:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current >= step.version:  # another process got here first
                conn.execute("ROLLBACK")
                continue
            if applied_from is None:
                applied_from = current
            for statement in step.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APP_ID}")
            conn.execute(f"PRAGMA user_version = {step.version}")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
    if backup_to is not None and applied_from != from_version:
        # Another process upgraded first, perhaps while this one copied: the copy may hold
        # a later schema than its name says, and that process kept its own copy from before.
        with contextlib.suppress(OSError):
            backup_to.unlink()
    _ensure_wal(conn)


def _ensure_wal(conn: sqlite3.Connection) -> None:
    """WAL mode, set once: it is stored in the file, so this changes something only for a
    new database, or one whose creator was killed between its schema and this switch.

    Switching needs the database to itself; when another process has it open at that
    moment, the next write does it instead.
    """
    if conn.execute("PRAGMA journal_mode").fetchone()[0] in ("wal", "memory"):
        return
    with contextlib.suppress(sqlite3.OperationalError):
        conn.execute("PRAGMA journal_mode = WAL")


def _claim_backup(db: Path, version: int) -> Path:
    """A new, empty file (0600) for the copy taken before an upgrade.

    O_EXCL makes the name this process's alone: two processes upgrading at once must
    never write into one backup file together.
    """
    n = 1
    while True:
        suffix = f".v{version}.bak" if n == 1 else f".v{version}.{n}.bak"
        path = db.with_name(db.name + suffix)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            n += 1
            continue
        except OSError as exc:
            raise StorageError(
                f"Cannot write {path}, the copy kept before upgrading the database: "
                f"{exc.strerror}. The database was left as it was."
            ) from None
        os.close(fd)
        return path


def _claim_new(folder: Path, stem: str, suffix: str) -> Path:
    """A new, empty file (0600) whose name no other process holds: STEM.db, STEM-2.db..."""
    for n in range(1, 1000):
        path = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise StorageError(f"Cannot write the backup {path}: {exc.strerror}.") from None
        os.close(fd)
        return path
    raise StorageError(f"{folder} holds too many backups named {stem}; move some aside.")


def _vacuum_into(conn: sqlite3.Connection, dest: Path) -> None:
    _create_private(dest)
    try:
        conn.execute("VACUUM INTO ?", (str(dest),))
    except sqlite3.Error:
        with contextlib.suppress(OSError):
            if dest.stat().st_size == 0:
                dest.unlink()
        raise


def _create_private(path: Path) -> None:
    """Create the folder (0700) and an empty file (0600) if they do not exist yet."""
    folder = path.parent
    if not folder.exists():
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # a racing process
        except OSError as exc:
            raise StorageError(f"Cannot create the folder {folder}: {exc.strerror}.") from None
    if path.exists():
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StorageError(f"Cannot create {path}: {exc.strerror}.") from None
    os.close(fd)


@contextlib.contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn sqlite3's errors into one sentence about the file, without any bound values."""
    try:
        yield
    except sqlite3.Error as exc:
        raise storage_error(path, exc) from None
