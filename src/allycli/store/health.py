"""What `ally doctor` finds in the database file and its folder, with a fix for each problem.

Reads: file modes by stat, the file's header, the file system's state (statvfs), the
database through a read-only connection (its application id, schema version, integrity
check and entry count), and each backup's integrity check. Writes only the damage marker
(store/damage.py): recorded when the check finds damage, removed when it finds none.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from allycli.core.errors import AllyError
from allycli.store.database import APP_ID, SQLITE_HEADER, Store, inspect_file, open_read_only
from allycli.store.opening import db_errors


@dataclass(frozen=True)
class Check:
    """One finding: `ok` True for what was checked and found ok, False for a problem (with
    its fix), None for what is only said (the path, a count, what waits)."""

    name: str
    ok: bool | None
    detail: str
    fix: str = ""


class Reading(NamedTuple):
    """What the database says of itself."""

    app_id: int
    version: int  # the schema version (0: no schema yet)
    integrity: list[str]  # ["ok"] when no damage is found
    entries: int
    early: list[tuple[str, str]]  # (id, day) of entries dated before 1900, the first few
    early_count: int


# Days a person can type start here (core/dates.FIRST_DAY); older rows come only by import.
FIRST_DAY = "1900-01-01"
EARLY_SHOWN = 3


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


def database_checks(store: Store, key_cache: str = "") -> list[Check]:
    """The checks of an existing database file: modes, format, writability, contents; for an
    encrypted journal also the key cache (`key_cache` says it), captures and backups."""
    db = store.path
    out = mode_checks(db)
    try:
        is_encrypted = inspect_file(db)
    except AllyError as exc:
        out.append(Check("format", False, exc.message, "move the file aside"))
        return out
    key = None
    if is_encrypted:
        out += encryption_checks(store, key_cache)
        try:
            key = store.key()
        except AllyError:
            out.append(Check("integrity", True, "not checked while locked; `ally unlock` first"))
            return out
    else:
        out.append(Check("encrypted", True, "no; `ally encrypt` encrypts the journal"))
    try:
        reading = read(db, store.busy_timeout, key)
    except db_errors() as exc:
        out += writable_checks(db)
        out.append(unreadable_check(store, exc))
        return out
    found = content_checks(reading, store.latest, store)
    if reading.app_id != APP_ID:
        return out + found
    return out + writable_checks(db) + found


def encryption_checks(store: Store, key_cache: str) -> list[Check]:
    """Encrypted: the key cache and the captures waiting (backup_checks opens the backups
    with the journal's key)."""
    from allycli.store import encrypted as files

    db = store.path
    out = [Check("encrypted", True, f"yes; {key_cache}" if key_cache else "yes")]
    waiting = len(files.captures(db))
    if waiting:
        said = f"{waiting} sealed capture(s) wait in {files.inbox(db)}"
        out.append(Check("captures", True, f"{said}; the next command with the key merges them"))
    return out


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
    the file and its folder, told by trying what a write needs (not by os.access, which
    answers yes for root and no where SQLite can still write): the file opens for writing,
    and the folder takes a new file, or the -wal and -shm are there and open for writing."""
    from allycli.store import diskstate

    disk = diskstate.state(db)
    if disk == diskstate.READ_ONLY:
        return [Check("writable", False, "no: it is on a read-only file system, so ally "
                      "can read it but cannot record anything",
                      "remount it read-write, or point ALLY_DB elsewhere")]  # fmt: skip
    out = [_tried_writing(db)]
    if disk == diskstate.FULL:
        out.append(Check("disk", False, "full: nothing can be recorded until there is room",
                         "free some space on that disk"))  # fmt: skip
    return out


def _tried_writing(db: Path) -> Check:
    try:
        _open_for_writing(db)
    except OSError as exc:
        return Check(
            "writable",
            False,
            f"no: the file cannot be opened for writing ({exc.strerror}), so ally can read "
            "it but cannot record anything",
            f"run: chmod u+w {db}",
        )
    try:
        _create_in(db.parent)
    except OSError as exc:
        try:
            for side in (db.with_name(db.name + s) for s in ("-wal", "-shm")):
                _open_for_writing(side)
        except OSError:
            return Check(
                "writable",
                False,
                f"no: the folder {db.parent} does not take the journal's side files "
                f"({exc.strerror}), so ally can read it but cannot record anything",
                f"run: chmod u+w {db.parent}",
            )
    return Check("writable", True, "yes (tried: the file and its folder take a write)")


def _open_for_writing(path: Path) -> None:
    """Open for reading and writing, and close: nothing is written or created."""
    os.close(os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0)))


def _create_in(folder: Path) -> None:
    """Create a file in the folder and remove it again, as SQLite creates its side files."""
    import uuid

    from allycli.store.privatefile import create

    probe = folder / f".ally-doctor-{uuid.uuid4().hex[:12]}.tmp"
    os.close(create(probe))
    probe.unlink()


def read(db: Path, busy_timeout: float, key: bytes | None = None) -> Reading:
    """Read what the database says of itself, through a read-only connection."""
    conn = open_read_only(db, busy_timeout, key)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        count = conn.execute("SELECT count(*) FROM entry").fetchone()[0] if version else 0
        early: list[tuple[str, str]] = []
        early_count = 0
        if version and app_id == APP_ID:
            early_count = conn.execute(
                "SELECT count(*) FROM entry WHERE day < ?", (FIRST_DAY,)
            ).fetchone()[0]
            early = conn.execute(
                "SELECT id, day FROM entry WHERE day < ? ORDER BY day, id LIMIT ?",
                (FIRST_DAY, EARLY_SHOWN),
            ).fetchall()
    finally:
        conn.close()
    return Reading(app_id, version, integrity, count, early, early_count)


def unreadable_check(store: Store, exc: BaseException) -> Check:
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

    paths = backups_of(store)
    if not paths:
        return [Check("backups", None, "none yet; `ally backup` writes one")]
    checks, found = _encrypted_backups(store, paths)
    for each in found:
        if each.whole:
            count = "1 entry" if each.entries == 1 else f"{each.entries} entries"
            checks.append(Check("backup", True, f"{each.path} ({count})"))
        elif each.path.read_bytes()[:16] != SQLITE_HEADER:
            checks.append(
                Check("backup", False, f"{each.path} does not open with the journal's key "
                      "(a backup under an earlier passphrase, or damaged)",
                      "restore it with its own passphrase after `ally passwd`, or move it aside")
            )  # fmt: skip
        else:
            checks.append(
                Check("backup", False, f"{each.path} is damaged: it fails the integrity check",
                      "it cannot be restored; move it aside")
            )  # fmt: skip
    healthy = [each for each in found if each.whole]
    if healthy:
        newest = max(healthy, key=lambda each: (each.mtime, str(each.path)))
        checks.append(Check("newest", True, f"{newest.path} is the newest healthy backup"))
    elif len(found) < len(paths):  # encrypted copies not opened while locked
        checks.append(Check("newest", None, "not known while the journal is locked"))
    else:
        checks.append(Check("newest", None, "no backup is healthy"))
    for left in backups.leftovers(store.path.parent / "backups"):
        checks.append(
            Check("backup", False, f"{left} is what a stopped backup left", "delete that file")
        )
    return checks


def _encrypted_backups(store: Store, paths: list[Path]) -> tuple[list[Check], list[Any]]:
    """The health of each backup: a plain one as it is (flagged when the journal is
    encrypted), an encrypted one opened with the journal's key (told, not checked, while the
    journal is locked)."""
    from allycli.store import backups
    from allycli.store import encrypted as files

    if not store.encrypted():
        return [], [backups.health(p) for p in paths]
    try:
        key: bytes | None = store.key()
    except AllyError:
        key = None
    checks, found = [], []
    for path in paths:
        if files.is_plain(path):
            checks.append(Check("backup", False, f"{path} is not encrypted",
                                "run `ally encrypt` again, or move it aside"))  # fmt: skip
            found.append(backups.health(path))
        elif key is None:
            checks.append(Check("backup", True, f"{path} (encrypted; checked once unlocked)"))
        else:
            found.append(backups.health(path, _opener(key)))
    return checks, found


def _opener(key: bytes) -> Any:
    from allycli.store.encrypted import open_file

    return lambda path: open_file(path, key, read_only=True)


def content_checks(reading: Reading, latest: int, store: Store) -> list[Check]:
    """Whether ally made the file, its schema is one this ally knows, and it is undamaged."""
    ours = reading.app_id == APP_ID
    version = reading.version
    kind = Check(
        "kind",
        ours,
        "an ally database" if ours else "not made by ally",
        "" if ours else "point ALLY_DB at an ally database",
    )
    if not ours:  # another program's file: nothing more is ally's to judge (or to mark)
        return [kind]
    return [
        kind,
        Check(
            "schema",
            version <= latest,
            f"version {version} (this ally writes {latest})",
            "" if version <= latest else "upgrade ally",
        ),
        integrity_check(store, reading.integrity),
        Check("entries", None, str(reading.entries)),
        *_early_check(reading),
    ]


def _early_check(reading: Reading) -> list[Check]:
    """Entries dated before 1900 (no one can type such a day; an import can bring one, such
    as a typo like 0226 for 2026 in an older export): named, with how to move them."""
    if not reading.early_count:
        return []
    n = reading.early_count
    named = ", ".join(f"{entry_id[:8]} on {day}" for entry_id, day in reading.early)
    more = f" and {n - len(reading.early)} more" if n > len(reading.early) else ""
    return [
        Check(
            "dates",
            None,
            f"{n} {'entry is' if n == 1 else 'entries are'} dated before 1900: {named}{more}",
            "if a date is a typo, `ally edit ID --date YYYY-MM-DD` moves the entry",
        )
    ]
