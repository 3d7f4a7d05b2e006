"""Backups that are whole or absent: the one path every copy of the journal takes to disk.

A copy is written under a temporary name in the folder it will live in, then checked as a
reader will meet it: opened read-write in `journal_mode=DELETE` (a rollback journal left
beside it by a failed unlink would otherwise be "hot", and the first read-write open by any
SQLite client would roll the copy back, to nothing), its full integrity check run, its rows
counted. Only then is it synced to disk, with its folder, and linked to its name with
`link`, which never replaces a file; the temporary name is removed last. Where the file
system has no hard links, the name is created exclusively and the bytes copied into it.

Whatever fails, no half copy, rollback journal or other side file is left, and the message
names the copy, not the journal. How the bytes are written is the caller's (`fill`: VACUUM
INTO for a plain journal, sqlcipher_export for an encrypted one), and so is how the copy is
opened (`open_copy`: with the journal's key, for an encrypted one).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from allycli.core.errors import StorageError
from allycli.store.opening import db_errors
from allycli.store.privatefile import create, write_synced

SIDE_FILES = ("-journal", "-wal", "-shm")
PARTIAL = ".partial"  # the temporary name's ending: never taken for a backup
NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


@dataclass(frozen=True)
class Counts:
    """How many entries, rhythms and pauses a journal or a copy holds."""

    entries: int
    rhythms: int
    pauses: int


@dataclass(frozen=True)
class Written:
    """A backup in place: its path, its counts, and what did not happen after it was whole."""

    path: Path
    counts: Counts
    unfinished: str = ""


def count(conn: sqlite3.Connection) -> Counts:
    """The rows of each kind, read in one statement (one snapshot)."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM entry), (SELECT count(*) FROM rhythm), "
        "(SELECT count(*) FROM pause)"
    ).fetchone()
    return Counts(int(row[0]), int(row[1]), int(row[2]))


def plain_open(path: Path) -> sqlite3.Connection:
    """A read-write connection to a copy of a journal that is not encrypted."""
    return sqlite3.connect(str(path), isolation_level=None)


class CopyFailed(Exception):
    """A step of writing the copy failed; the text says which, in words for the user."""


def write(
    names: Iterable[Path],
    fill: Callable[[Path], Counts | None],
    open_copy: Callable[[Path], sqlite3.Connection] = plain_open,
    app_id: int | None = None,
) -> Written:
    """Write a backup to the first of `names` that does not exist yet (all in one folder).

    `fill(tmp)` writes the journal into the empty file `tmp` and returns the counts the copy
    must hold (None when they cannot be known, as when the journal changed meanwhile).
    `open_copy(tmp)` opens it read-write, as SQLite or SQLCipher will. `app_id`, when
    given, is the application id the copy must carry.
    """
    candidates = list(names)
    first = candidates[0]
    folder = first.parent
    tmp = folder / f".{first.name}.{uuid.uuid4().hex[:8]}{PARTIAL}"
    try:
        os.close(create(tmp))
    except OSError as exc:
        raise StorageError(
            f"The backup {first} could not be written ({plain_cause(exc)}); no backup was made."
        ) from None
    try:
        expected = fill(tmp)
        counts = _check(tmp, open_copy, expected, app_id)
        _sync(tmp)
        final = _place(tmp, candidates)
    except CopyFailed as exc:
        _discard(tmp)
        raise StorageError(
            f"The backup {first} could not be written: {exc}; no backup was made."
        ) from None
    except BaseException:  # the journal's own errors say themselves
        _discard(tmp)
        raise
    return Written(final, counts, _remove_partial(tmp))


def _check(
    tmp: Path,
    open_copy: Callable[[Path], sqlite3.Connection],
    expected: Counts | None,
    app_id: int | None,
) -> Counts:
    """Open the copy read-write in DELETE mode, check it whole, count it, close it: it must
    leave no side file."""
    try:
        conn = open_copy(tmp)
    except db_errors() as exc:
        raise CopyFailed(f"the copy could not be opened ({plain_cause(exc)})") from None
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise CopyFailed(f"the copy could not be set to journal mode DELETE (it is {mode})")
        health = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if health != ["ok"]:
            raise CopyFailed("the copy fails SQLite's integrity check")
        if app_id is not None and conn.execute("PRAGMA application_id").fetchone()[0] != app_id:
            raise CopyFailed("the copy is not an ally database")
        counts = count(conn)
    except db_errors() as exc:
        raise CopyFailed(f"the copy could not be checked ({plain_cause(exc)})") from None
    finally:
        conn.close()
    if expected is not None and counts != expected:
        raise CopyFailed(f"the copy holds {counts.entries} entries, the journal {expected.entries}")
    for side in _sides(tmp):
        if side.exists():
            raise CopyFailed(f"SQLite left {side.name} beside the copy, which would undo it")
    return counts


def _sync(path: Path) -> None:
    try:
        _fsync(path)
    except OSError as exc:
        raise CopyFailed(f"the copy could not be synced to disk ({plain_cause(exc)})") from None


def _sync_folder(folder: Path) -> None:
    try:
        _fsync(folder)
    except OSError as exc:
        if exc.errno in (errno.EINVAL, errno.ENOTSUP):  # a file system without folder syncs
            return
        raise CopyFailed(f"its folder could not be synced to disk ({plain_cause(exc)})") from None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _place(tmp: Path, candidates: list[Path]) -> Path:
    """Give the copy the first free name: link (never replaces), or exclusive create and copy
    where there are no links. The folder is synced so that the name lasts."""
    for final in candidates:
        try:
            os.link(tmp, final)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in NO_LINKS:
                raise CopyFailed(f"it could not be given its name ({plain_cause(exc)})") from None
            if not _copy_exclusive(tmp, final):
                continue
        try:
            _sync_folder(final.parent)
        except CopyFailed:
            with contextlib.suppress(OSError):
                os.unlink(final)
            raise
        return final
    raise CopyFailed("every name for it is taken; move some backups aside")


def _copy_exclusive(tmp: Path, final: Path) -> bool:
    """Create `final` (it must not exist) and copy the bytes in, synced; False when taken."""
    try:
        fd = create(final)
    except FileExistsError:
        return False
    except OSError as exc:
        raise CopyFailed(f"it could not be given its name ({plain_cause(exc)})") from None
    try:
        write_synced(fd, tmp)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(final)
        raise CopyFailed(f"it could not be copied to its name ({plain_cause(exc)})") from None
    return True


def _remove_partial(tmp: Path) -> str:
    """Remove the temporary name (a second name of the same, whole copy); tried twice."""
    for _ in range(2):
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            return ""
        except OSError as exc:
            error = exc.strerror
            continue
        with contextlib.suppress(CopyFailed):
            _sync_folder(tmp.parent)
        return ""
    return f"its temporary name {tmp} could not be removed ({error}); delete that file"


def _sides(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in SIDE_FILES]


def _discard(tmp: Path) -> None:
    """Remove a copy that did not become a backup, with any side file SQLite left."""
    for each in (tmp, *_sides(tmp)):
        for _ in range(2):  # a second try, for a fault that passes
            try:
                os.unlink(each)
            except FileNotFoundError:
                break
            except OSError:
                continue
            break


def plain_cause(exc: BaseException) -> str:
    """What stopped a copy, in plain words (SQLite's own are terse)."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if "full" in text or code == errno.ENOSPC:
        return "the disk is full"
    if "readonly" in text or "read-only" in text or code == errno.EROFS:
        return "the folder is on a read-only file system"
    if "disk i/o" in text or code == errno.EIO:
        return "the system reported an input/output error (a full or failing disk)"
    if "permission" in text or code == errno.EACCES:
        return "permission denied"
    return _words(exc)


def _words(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


def leftovers(folder: Path) -> list[Path]:
    """Temporary copies a killed backup left in `folder` (doctor names them)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(".") and PARTIAL in p.name)


@dataclass(frozen=True)
class Health:
    """What `ally doctor` says of one backup: whole (with its entries) or damaged."""

    path: Path
    whole: bool
    entries: int | None
    mtime: float


def health(path: Path, open_copy: Callable[[Path], sqlite3.Connection] | None = None) -> Health:
    """A backup's full integrity check, read as the one file it is (read-only, immutable:
    nothing is created beside it) unless `open_copy` opens it otherwise (with a key)."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return Health(path, False, None, 0.0)
    if any(side.exists() for side in _sides(path)):  # the first read-write open would undo it
        return Health(path, False, None, mtime)
    try:
        if open_copy is not None:
            conn = open_copy(path)
        else:
            uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True)
    except db_errors():
        return Health(path, False, None, mtime)
    try:
        checked = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if checked != ["ok"]:
            return Health(path, False, None, mtime)
        entries = int(conn.execute("SELECT count(*) FROM entry").fetchone()[0])
    except db_errors():
        return Health(path, False, None, mtime)
    finally:
        conn.close()
    return Health(path, True, entries, mtime)
