"""Opening the database file: checks that it is ally's, pragmas, migrations, file modes.

Plain sqlite3, like store/database.py, whose Store opens every connection through here; database.py
holds the writes and backups. Nothing here imports SQLModel.

An encrypted journal is a SQLCipher 4 file: no SQLite header, and `ally.db.pub` beside it. It
is opened through sqlcipher3 (the `encrypt` extra) with its raw key, `x'...'`, so that no
command pays the passphrase's key derivation (PBKDF2, 256,000 rounds): the key is derived
once, when the journal is unlocked. sqlcipher3 is imported only for such a file, and its
exceptions, which are not subclasses of sqlite3's, are caught with sqlite3's through
db_errors().
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from allycli.core.errors import AllyError, StorageError, storage_error
from allycli.core.folding import fold, micros
from allycli.store.schema import Migration

APP_ID = 0x616C6C79  # "ally": marks a SQLite file as ours
SQLITE_HEADER = b"SQLite format 3\x00"
SALT_SIZE = 16  # SQLCipher keeps the key derivation's salt in a file's first 16 bytes
INSTALL_EXTRA = "'sqlcipher3>=0.6' 'cryptography>=42'"


class NeedsExtra(AllyError):
    """The journal is encrypted and this ally has no SQLCipher: refused before anything is
    written, so no draft (which would be plaintext) and no entry on standard output."""


def install_hint() -> str:
    """The command that installs the `encrypt` extra's packages into this ally's Python."""
    import shlex

    return f"{shlex.quote(sys.executable)} -m pip install {INSTALL_EXTRA}"


def cipher_module() -> object:
    """sqlcipher3's DB-API module, or NeedsExtra naming the command that installs it."""
    try:
        import sqlcipher3  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise NeedsExtra(
            "This journal is encrypted, and this ally cannot open encrypted journals; "
            f"install the encrypt extra with `{install_hint()}`. Nothing was written."
        ) from None
    return sqlcipher3


def db_errors() -> tuple[type[BaseException], ...]:
    """The database errors of sqlite3 and, once it is loaded, of sqlcipher3 (its classes are
    not sqlite3's): every `except` in store/ that catches a database error names this tuple.
    An `except` clause evaluates it only when an exception is raised, so a plain journal never
    imports sqlcipher3 for it."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.Error, cipher.Error) if cipher is not None else (sqlite3.Error,)


def operational_errors() -> tuple[type[BaseException], ...]:
    """sqlite3's and sqlcipher3's OperationalError (busy, locked, read-only)."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    if cipher is None:
        return (sqlite3.OperationalError,)
    return (sqlite3.OperationalError, cipher.OperationalError)


def database_errors() -> tuple[type[BaseException], ...]:
    """sqlite3's and sqlcipher3's DatabaseError (damage, a file that is not a database)."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    if cipher is None:
        return (sqlite3.DatabaseError,)
    return (sqlite3.DatabaseError, cipher.DatabaseError)


def pub_path(db: Path) -> Path:
    """`ally.db.pub`: the capture public key and the key-check values of an encrypted journal."""
    return db.with_name(db.name + ".pub")


def encrypted(db: Path) -> bool:
    """Whether `db` is an encrypted journal: a file without SQLite's header, `.pub` beside it."""
    if not pub_path(db).exists():
        return False
    try:  # non-blocking, so that a pipe named by ALLY_DB is refused later instead of waited on
        fd = os.open(db, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, len(SQLITE_HEADER))
    except OSError:
        return False
    finally:
        os.close(fd)
    return bool(head) and head != SQLITE_HEADER


def file_salt(db: Path) -> bytes:
    with db.open("rb") as fh:
        return fh.read(SALT_SIZE)


def connect(
    target: str | Path,
    busy_timeout: float,
    *,
    read_only: bool = False,
    immutable: bool = False,
    key: bytes | None = None,
    holds_lock: bool = False,
) -> sqlite3.Connection:
    """A connection with ally's pragmas; with `key` (a raw key), to an encrypted file; with
    `holds_lock`, one that releases the journal's lock file named in its `lock_name` as it
    closes (store/encrypted.hold_shared)."""
    module: object = sqlite3 if key is None else cipher_module()
    options: dict[str, object] = {"timeout": busy_timeout, "isolation_level": None}
    if holds_lock:
        from allycli.store.lockfile import holding

        options["factory"] = holding(module.Connection)  # type: ignore[attr-defined]
    opener = module.connect  # type: ignore[attr-defined]
    if read_only:
        uri = Path(target).resolve().as_uri() + (
            "?mode=ro&immutable=1" if immutable else "?mode=ro"
        )
        conn: sqlite3.Connection = opener(uri, uri=True, **options)
    else:
        conn = opener(str(target), **options)
    if key is not None:
        use_key(conn, key)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.create_function("ally_us", 1, micros, deterministic=True)
    conn.create_function("ally_fold", -1, fold, deterministic=True)
    if not read_only:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")
    return conn


def use_key(conn: sqlite3.Connection, key: bytes, salt: bytes | None = None) -> None:
    """Key a SQLCipher connection with a raw key (and, for a new file, its salt), with
    SQLCipher's own log silenced: it would print to stderr what ally says in a sentence."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{raw_key_literal(key, salt)}"')


def raw_key_literal(key: bytes, salt: bytes | None = None) -> str:
    """SQLCipher's raw key form: x'<64 hex digits of key>[<32 hex digits of salt>]'."""
    return f"x'{key.hex()}{salt.hex() if salt else ''}'"


def open_read_only(
    path: Path, busy_timeout: float, key: bytes | None = None, holds_lock: bool = False
) -> sqlite3.Connection:
    """A connection that reads the database and changes nothing, not even file modes.

    A database this user cannot write, with no -wal beside it, cannot change while it is
    read: it is read as immutable, so SQLite creates no -shm (which it would give the
    database's read-only mode, leaving the database unwritable once made 0600 again). In a
    read-only folder SQLite cannot create the -shm at all; see _unchangeable.
    """
    sealed = not os.access(path, os.W_OK) and not _side(path, "-wal")
    conn = connect(
        path, busy_timeout, read_only=True, immutable=sealed, key=key, holds_lock=holds_lock
    )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except operational_errors() as exc:
        conn.close()
        if sealed or not _unchangeable(path, exc):
            raise
        conn = connect(
            path, busy_timeout, read_only=True, immutable=True, key=key, holds_lock=holds_lock
        )
    return conn


def peek(
    path: Path, key: bytes, sql: str, params: Sequence[object] = ()
) -> list[tuple[Any, ...]] | None:
    """The rows of one read of an encrypted journal, for TAB: read-only, with a short
    timeout; None when it cannot be read (busy, damaged, a key that does not open it, no
    SQLCipher). With no -wal beside the journal no write waits to be checkpointed into it,
    and it is read as immutable, so SQLite makes no -wal or -shm for the read."""
    try:
        conn = connect(path, 0.5, read_only=True, immutable=not _side(path, "-wal"), key=key)
    except NeedsExtra:
        return None
    except db_errors():
        return None
    try:
        return list(conn.execute(sql, params).fetchall())
    except db_errors():
        return None
    finally:
        conn.close()


def _side(path: Path, suffix: str) -> bool:
    return path.with_name(path.name + suffix).exists()


def writable_side_files(path: Path) -> None:
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


def _unchangeable(path: Path, exc: BaseException) -> bool:
    """A WAL database that SQLite will not read because it cannot create the -shm beside it
    (a read-only folder), and with no -wal file: no process can change it, so reading it as
    an immutable file is safe, and is how SQLite allows reading it at all."""
    wal = path.with_name(path.name + "-wal")
    return "readonly" in str(exc).lower() and not wal.exists()


def inspect_file(path: Path) -> bool:
    """Refuse, without touching it, a file that cannot be an ally database; True when it
    is an encrypted journal (no SQLite header, and its `.pub` beside it).

    The file is opened without blocking and checked to be a regular file before anything
    reads it: a FIFO or a device named by ALLY_DB would otherwise hang or never end.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        return False  # create_private says what is wrong when a write needs the file
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
        if pub_path(path).exists():
            return True
        raise StorageError(
            f"{path} is not an ally database (it is not a SQLite file); "
            "point ALLY_DB at another file or move this one aside."
        )
    return False


def check_ours(conn: sqlite3.Connection, path: Path, latest: int) -> int:
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


def migrate(
    conn: sqlite3.Connection,
    migrations: Sequence[Migration],
    backup_to: Path | None,
    from_version: int = 0,
) -> None:
    """Apply each pending step in its own transaction, re-checked under the write lock."""
    if backup_to is not None:
        vacuum_into(conn, backup_to)
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
            with contextlib.suppress(*db_errors()):
                conn.execute("ROLLBACK")
            raise
    if backup_to is not None and applied_from != from_version:
        # Another process upgraded first, perhaps while this one copied: the copy may hold
        # a later schema than its name says, and that process kept its own copy from before.
        with contextlib.suppress(OSError):
            backup_to.unlink()
    ensure_wal(conn)


def ensure_wal(conn: sqlite3.Connection) -> None:
    """WAL mode, set once: it is stored in the file, so this changes something only for a
    new database, or one whose creator was killed between its schema and this switch.

    Switching needs the database to itself; when another process has it open at that
    moment, the next write does it instead.
    """
    if conn.execute("PRAGMA journal_mode").fetchone()[0] in ("wal", "memory"):
        return
    with contextlib.suppress(*operational_errors()):
        conn.execute("PRAGMA journal_mode = WAL")


def claim_backup(db: Path, version: int) -> Path:
    """A new, empty file (0600) for the copy taken before an upgrade.

    O_EXCL makes the name this process's alone: two processes upgrading at once must
    never write into one backup file together.
    """
    from allycli.store.privatefile import claim_new

    try:
        return claim_new(db.parent, f"{db.name}.v{version}", ".bak", sep=".")
    except StorageError as exc:
        raise StorageError(
            f"{exc.message.rstrip('.')} (the copy kept before upgrading the database); "
            "the database was left as it was."
        ) from None


def vacuum_into(conn: sqlite3.Connection, dest: Path) -> None:
    create_private(dest)
    try:
        conn.execute("VACUUM INTO ?", (str(dest),))
    except db_errors():
        with contextlib.suppress(OSError):
            if dest.stat().st_size == 0:
                dest.unlink()
        raise


def create_private(path: Path) -> None:
    """Create the folder (0700) and an empty file (0600) if they do not exist yet."""
    folder = path.parent
    if not folder.exists():
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # a racing process
        except OSError as exc:
            raise StorageError(f"Cannot create the folder {folder}: {exc.strerror}.") from None
    if path.exists():
        return
    from allycli.store.privatefile import create

    try:
        fd = create(path)
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
    except db_errors() as exc:
        from allycli.store import damage

        if damage.is_damage(exc):  # recorded, so that every later write refuses at once
            damage.record(path, "SQLite reported the file damaged")
        from allycli.store.diskstate import state

        raise storage_error(path, exc, state(path)) from None
