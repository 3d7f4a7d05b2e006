"""`ally restore BACKUP`: put a backup back, after checking it and keeping the current file.

The backup is copied into the live database through SQLite's online backup API, under the
database's own locks, rather than by renaming a new file over it. Renaming is atomic for
the directory entry, but not for SQLite: a process that has the database open (a long
export, a `log` waiting for the lock) keeps its old file, and a -wal or -shm left beside
the new file belongs to the old one; replayed into the new file it corrupts it, and
removing it while a connection uses it loses that connection's writes. The backup API
copies every page in one write transaction: other processes see the old journal or the
new one, whole, and wait for the lock as for any write; the file keeps its inode, owner
and mode. A checkpoint afterwards leaves no old page in the WAL.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from allycli.core.errors import DataFileError, StorageError, first_words
from allycli.store.database import APP_ID, SQLITE_HEADER, Store, translate_errors
from allycli.store.opening import db_errors


@dataclass(frozen=True)
class Backup:
    path: Path
    version: int
    entries: int
    encrypted: bool = False  # under the journal's key (the journal is encrypted too)


@dataclass(frozen=True)
class Restored:
    backup: Backup
    kept: Path | None  # the copy of the file that was replaced
    unfinished: str = ""  # what did not happen after the journal was replaced


def check(path: Path, store: Store) -> Backup:
    """The backup, if it is a healthy ally database this ally can read; else a clear error."""
    if path.resolve() == store.path.resolve():
        raise DataFileError(f"{path} is the database itself; give a backup file.")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise DataFileError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise DataFileError(f"{path} is a folder; give a backup file.") from None
    except OSError as exc:
        raise DataFileError(f"Cannot read {path}: {exc.strerror}.") from None
    key = None
    if head != SQLITE_HEADER:
        if not store.encrypted():
            raise DataFileError(f"{path} is not a backup of ally (it is not a SQLite file).")
        key = store.key()  # an encrypted backup opens with the journal's key
    try:
        conn = _open_backup(path, key)
    except db_errors():
        if key is not None:
            raise DataFileError(
                f"{path} does not open with the journal's key (a backup under an older "
                "passphrase, or not ally's); nothing was restored."
            ) from None
        raise DataFileError(f"{path} cannot be opened as a database.") from None
    try:
        health = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        entries = conn.execute("SELECT count(*) FROM entry").fetchone()[0] if version else 0
    except db_errors():
        raise DataFileError(f"{path} is damaged; choose another backup.") from None
    finally:
        conn.close()
    if health != ["ok"]:
        raise DataFileError(f"{path} is damaged (its integrity check fails); choose another.")
    if app_id != APP_ID or version < 1:
        raise DataFileError(f"{path} is a SQLite file that ally did not write; nothing changed.")
    if version > store.latest:
        raise DataFileError(
            f"{path} was written by a newer ally (schema {version}, this one knows "
            f"{store.latest}); upgrade ally to restore it."
        )
    return Backup(path, int(version), int(entries), key is not None)


def _open_backup(path: Path, key: bytes | None) -> sqlite3.Connection:
    if key is None:
        return sqlite3.connect(_untouched(path), uri=True)
    from allycli.store.encrypted import open_file

    conn = open_file(path, key, read_only=True)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a wrong key fails here
    return conn


def _untouched(path: Path) -> str:
    """A URI that reads a backup as the one file it is: read-only and immutable, so SQLite
    creates no -wal or -shm beside it (a backup may sit in a folder that is not ours)."""
    return path.resolve().as_uri() + "?mode=ro&immutable=1"


def current_entries(store: Store) -> int | None:
    """How many entries the current database holds (None: none, or it cannot be read)."""
    if not store.exists():
        return None
    try:
        with store.reading() as conn:
            return int(conn.execute("SELECT count(*) FROM entry").fetchone()[0])
    except StorageError:
        return None


def restore(store: Store, backup: Backup, stamp: str) -> Restored:
    """Keep the current file as `backups/ally-STAMP-before-restore.db` (a new name, claimed
    with O_EXCL, when that one is taken), then copy the backup into the live database.

    Once the copy is committed the journal is the backup's: a later step that fails (the
    upgrade of an older backup, the checkpoint) is said in `unfinished`, never raised.
    """
    if store.encrypted():
        return _restore_encrypted(store, backup, stamp)
    kept: Path | None = None
    if store.exists() and store.path.stat().st_size > 0:
        _refuse_foreign(store.path)
        try:
            kept = store.backup(stamp=stamp, label=BEFORE_RESTORE).path
        except StorageError:  # a damaged journal, the very reason to restore: keep its bytes
            from allycli.store.privatefile import claim_new

            folder = store.path.parent / "backups"
            try:
                folder.mkdir(mode=0o700, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"Cannot create the folder {folder}: {exc.strerror}; nothing was restored."
                ) from None
            kept = claim_new(folder, f"ally-{stamp}{BEFORE_RESTORE}", ".db")
            _copy_raw(store.path, kept)
    try:
        source = sqlite3.connect(_untouched(backup.path), uri=True)
    except sqlite3.Error as exc:
        raise DataFileError(
            f"{backup.path} cannot be opened as a database ({first_words(exc)}); "
            "nothing was restored."
        ) from None
    try:
        with translate_errors(store.path):
            from allycli.store.opening import connect, create_private, inspect_file

            inspect_file(store.path)
            create_private(store.path)
            target = connect(store.path, store.busy_timeout)
            try:
                source.backup(target)
            finally:
                target.close()
    finally:
        source.close()
    from allycli.store import damage

    damage.clear(store.path)  # the journal is the healthy backup's now
    store.committed()
    return Restored(backup, kept, _finish(store))


def _restore_encrypted(store: Store, backup: Backup, stamp: str) -> Restored:
    """Into an encrypted journal, the backup (encrypted, or plain from before the journal
    was encrypted) is copied under the journal's key and salt, checked, and swapped in under
    the journal's lock file; the journal as it was is kept first as an encrypted backup. A
    plain backup gets the journal's capture keys, so captures sealed meanwhile still open."""
    from allycli.store import encrypted as files
    from allycli.store import lockfile
    from allycli.store.opening import file_salt

    key = store.key()
    kept = store.backup(stamp=stamp, label=BEFORE_RESTORE).path
    with lockfile.exclusive(store.path, store.busy_timeout, store.on_wait):
        salt = file_salt(store.path)
        current = files.open_file(store.path, key, read_only=True)
        try:
            pair = files.capture_keys(current)
        finally:
            current.close()
        copy = files.new_copy(store.path)
        source = files.open_file(backup.path, key if backup.encrypted else None, read_only=True)
        try:
            files.copy_under(source, copy, key, salt)
            if pair is not None:
                keyed = files.open_file(copy, key)
                try:
                    files.put_capture_keys(keyed, *pair)
                finally:
                    keyed.close()
            if files.count_whole(copy, key) != backup.entries:
                raise StorageError(
                    f"The copy of {backup.path} did not check whole; nothing was restored."
                )
            files.put_in_place(copy, store.path)
        except BaseException:
            copy.unlink(missing_ok=True)
            raise
        finally:
            source.close()
        files.drop_side_files(store.path)
    from allycli.store import damage

    damage.clear(store.path)  # the journal is the healthy backup's now
    store.committed()
    return Restored(backup, kept, _finish(store))


def _finish(store: Store) -> str:
    """After the copy: migrate a backup from an older ally, set WAL, checkpoint. What did
    not happen, if anything: the next command that writes does it."""
    try:
        conn = store.connect(write=True)
        conn.close()
        store.checkpoint()
    except StorageError as exc:
        return (
            "the restored journal could not yet be made ready "
            f"({exc.message.rstrip('.')}); the next command that writes does it."
        )
    return ""


def _discard(path: Path) -> None:
    import os

    for each in (path, path.with_name(path.name + "-wal")):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(each)


def _refuse_foreign(path: Path) -> None:
    """A file that is not an ally database is never modified, restore or not."""
    from allycli.store.database import inspect_file

    inspect_file(path)  # not SQLite at all: refused
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            app_id, tables = conn.execute(
                "SELECT (SELECT application_id FROM pragma_application_id), "
                "(SELECT count(*) FROM sqlite_master)"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return  # damaged beyond reading its header: an ally file that needs the restore
    if app_id != APP_ID and tables:
        raise StorageError(
            f"{path} is a SQLite database that ally did not create; it was left as it is. "
            "Point ALLY_DB at another file to restore the backup there."
        )


BEFORE_RESTORE = "-before-restore"


def _copy_raw(db: Path, dest: Path) -> None:
    """The file's bytes as they are, with its write-ahead log beside the copy (what was
    committed may still be there), for someone who wants to rescue what they can."""
    from allycli.store.privatefile import create, open_claimed, write_synced

    wal = db.with_name(db.name + "-wal")
    pairs = [(db, dest)]
    if wal.exists() and wal.stat().st_size > 0:
        pairs.append((wal, dest.with_name(dest.name + "-wal")))
    try:
        for source, target in pairs:  # `dest` is claimed already (empty); its -wal is new
            fd = open_claimed(dest) if target == dest else create(target)
            write_synced(fd, source)
    except OSError as exc:
        with contextlib.suppress(OSError):
            _discard(dest)
        raise StorageError(
            f"A copy of the current journal could not be kept in {dest} ({exc.strerror}); "
            "nothing was restored."
        ) from None
