"""What `ally doctor` finds in the database file and its folder, with a fix for each problem.

Reads only: file modes by stat, the file's header, and the database through a read-only
connection (its application id, schema version, integrity check and entry count).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from allycli.core.errors import AllyError
from allycli.store.database import APP_ID, Store, inspect_file, open_read_only


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


class Reading(NamedTuple):
    """What the database says of itself."""

    app_id: int
    version: int  # the schema version (0: no schema yet)
    integrity: list[str]  # ["ok"] when no damage is found
    entries: int


def loose_mode(path: Path) -> bool:
    """True when group or others may read or write the file."""
    try:
        return bool(path.stat().st_mode & 0o077)
    except OSError:
        return False


def mode_words(mode: int) -> str:
    """A file mode as chmod takes it, and what it means: "600 (only you can open it)"."""
    who = "other users can open it too" if mode & 0o077 else "only you can open it"
    return f"{mode:03o} ({who})"


def backups_of(store: Store) -> list[Path]:
    db = store.path
    found = list(db.parent.glob(f"{db.name}.v*.bak"))
    folder = db.parent / "backups"
    if folder.is_dir():
        found += list(folder.glob("*.db"))
    return sorted(found)


def database_checks(store: Store) -> list[Check]:
    """The checks of an existing database file: modes, format, writability, contents."""
    db = store.path
    out = mode_checks(db)
    try:
        inspect_file(db)
    except AllyError as exc:
        out.append(Check("format", False, exc.message, "move the file aside"))
        return out
    out.append(writable_check(db))
    try:
        reading = read(db, store.busy_timeout)
    except sqlite3.Error as exc:
        out.append(unreadable_check(exc))
        return out
    return out + content_checks(reading, store.latest)


def mode_checks(db: Path) -> list[Check]:
    """The modes of the database, its side files and its folder: only yours to open."""
    out: list[Check] = []
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        if path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
            ok = not loose_mode(path)
            out.append(
                Check(
                    f"mode {path.name}",
                    ok,
                    mode_words(mode),
                    "" if ok else f"run: chmod 600 {path}",
                )
            )
    folder_mode = stat.S_IMODE(db.parent.stat().st_mode)
    out.append(
        Check(
            "folder mode",
            not folder_mode & 0o077,
            f"{db.parent} {mode_words(folder_mode)}",
            f"run: chmod 700 {db.parent}" if folder_mode & 0o077 else "",
        )
    )
    return out


def writable_check(db: Path) -> Check:
    writable = os.access(db, os.W_OK) and os.access(db.parent, os.W_OK)
    return Check(
        "writable",
        writable,
        "yes"
        if writable
        else "no: the file or its folder is read-only, so ally can "
        "read it but cannot record anything",
        "" if writable else f"run: chmod u+w {db} {db.parent}",
    )


def read(db: Path, busy_timeout: float) -> Reading:
    """Read what the database says of itself, through a read-only connection."""
    conn = open_read_only(db, busy_timeout)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        count = conn.execute("SELECT count(*) FROM entry").fetchone()[0] if version else 0
    finally:
        conn.close()
    return Reading(app_id, version, integrity, count)


def unreadable_check(exc: sqlite3.Error) -> Check:
    said = str(exc).splitlines()[0][:80]
    damaged = any(w in said.lower() for w in ("malformed", "not a database", "corrupt"))
    return Check(
        "integrity",
        False,
        f"cannot be read ({said})",
        "restore a backup listed below, or move the file aside"
        if damaged
        else "check that the file and its folder are yours and readable, and that "
        "no other program holds the database",
    )


def content_checks(reading: Reading, latest: int) -> list[Check]:
    """Whether ally made the file, its schema is one this ally knows, and it is undamaged."""
    ours = reading.app_id == APP_ID
    version = reading.version
    ok = reading.integrity == ["ok"]
    return [
        Check(
            "kind",
            ours,
            "an ally database" if ours else "not made by ally",
            "" if ours else "point ALLY_DB at an ally database",
        ),
        Check(
            "schema",
            version <= latest,
            f"version {version} (this ally writes {latest})",
            "" if version <= latest else "upgrade ally",
        ),
        Check(
            "integrity",
            ok,
            "no damage found" if ok else "; ".join(reading.integrity[:3]),
            "" if ok else "restore a backup listed below, or export what can be read",
        ),
        Check("entries", True, str(reading.entries)),
    ]
