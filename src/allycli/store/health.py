"""What `ally doctor` finds in the database file and its folder, with a fix for each problem.

Reads: file modes by stat, the file's header, the file system's state (statvfs), the
database through a read-only connection (its application id, schema version, integrity
check and entry count), and each backup's integrity check. Writes only the damage marker
(store/damage.py): recorded when the check finds damage, removed when it finds none.
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
    out += writable_checks(db)
    try:
        reading = read(db, store.busy_timeout)
    except sqlite3.Error as exc:
        out.append(unreadable_check(store, exc))
        return out
    return out + content_checks(reading, store.latest, store)


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


def writable_checks(db: Path) -> list[Check]:
    """Whether ally can record anything: the file system (mounted read-only, full), then
    the modes of the file and its folder."""
    from allycli.store import diskstate

    disk = diskstate.state(db)
    if disk == diskstate.READ_ONLY:
        return [Check("writable", False, "no: it is on a read-only file system, so ally "
                      "can read it but cannot record anything",
                      "remount it read-write, or point ALLY_DB elsewhere")]  # fmt: skip
    writable = os.access(db, os.W_OK) and os.access(db.parent, os.W_OK)
    out = [
        Check(
            "writable",
            writable,
            "yes"
            if writable
            else "no: the file or its folder is read-only, so ally can "
            "read it but cannot record anything",
            "" if writable else f"run: chmod u+w {db} {db.parent}",
        )
    ]
    if disk == diskstate.FULL:
        out.append(Check("disk", False, "full: nothing can be recorded until there is room",
                         "free some space on that disk"))  # fmt: skip
    return out


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


def unreadable_check(store: Store, exc: sqlite3.Error) -> Check:
    """The database could not be read: damaged (recorded, with the way out), or another
    cause in plain words (never the bytes SQLite may quote)."""
    from allycli.core.errors import storage_error
    from allycli.store import damage, diskstate

    db = store.path
    if damage.is_damage(exc) or "not a database" in str(exc).lower():
        damage.record(db, "SQLite reported the file damaged")
        return Check("integrity", False, "damaged: SQLite cannot read it", way_out(store))
    said = storage_error(db, exc, diskstate.state(db)).message
    return Check("integrity", False, f"cannot be read: {said}", "see the sentence above")


def way_out(store: Store) -> str:
    """What to do about a damaged journal: restore the newest healthy backup, or salvage."""
    from allycli.store import backups

    healthy = [h for h in (backups.health(p) for p in backups_of(store)) if h.whole]
    salvage = "`ally export --salvage --output salvage.jsonl` saves what can still be read"
    if healthy:
        newest = max(healthy, key=lambda h: (h.mtime, str(h.path))).path
        return f"run: ally restore {newest} (the newest healthy backup); or {salvage}"
    return f"no healthy backup: {salvage}, to import into a new journal"


def integrity_check(store: Store, integrity: list[str]) -> Check:
    """The full check's answer; the damage marker follows it (recorded, or removed)."""
    from allycli.store import damage

    db = store.path
    if integrity != ["ok"]:
        damage.record(db, "the full integrity check failed")
        return Check("integrity", False, "damaged: it fails SQLite's integrity check",
                     way_out(store))  # fmt: skip
    cleared = damage.standing(db)
    damage.clear(db)
    said = " (the mark of damage an earlier command left was removed)" if cleared else ""
    return Check("integrity", True, "no damage found" + said)


def backup_checks(store: Store) -> list[Check]:
    """Every backup with its full integrity check; the newest healthy one is named."""
    from allycli.store import backups

    found = [backups.health(p) for p in backups_of(store)]
    if not found:
        return [Check("backups", True, "none yet; `ally backup` writes one")]
    checks = []
    for each in found:
        if each.whole:
            count = "1 entry" if each.entries == 1 else f"{each.entries} entries"
            checks.append(Check("backup", True, f"{each.path} ({count})"))
        else:
            checks.append(
                Check("backup", False, f"{each.path} is damaged: it fails the integrity check",
                      "it cannot be restored; move it aside")
            )  # fmt: skip
    healthy = [each for each in found if each.whole]
    if healthy:
        newest = max(healthy, key=lambda each: (each.mtime, str(each.path)))
        checks.append(Check("newest", True, f"{newest.path} is the newest healthy backup"))
    else:
        checks.append(Check("newest", True, "no backup is healthy"))
    for left in backups.leftovers(store.path.parent / "backups"):
        checks.append(
            Check("backup", False, f"{left} is what a stopped backup left", "delete that file")
        )
    return checks


def content_checks(reading: Reading, latest: int, store: Store) -> list[Check]:
    """Whether ally made the file, its schema is one this ally knows, and it is undamaged."""
    ours = reading.app_id == APP_ID
    version = reading.version
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
        integrity_check(store, reading.integrity),
        Check("entries", True, str(reading.entries)),
    ]
