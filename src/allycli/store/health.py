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


def database_checks(store: Store) -> list[Check]:
    """The checks of an existing database file: modes, format, writability, contents."""
    db = store.path
    out = mode_checks(db)
    try:
        inspect_file(db)
    except AllyError as exc:
        out.append(Check("format", False, exc.message, "move the file aside"))
        return out
    try:
        reading = read(db, store.busy_timeout)
    except sqlite3.Error as exc:
        out.append(writable_check(db))
        out.append(unreadable_check(exc))
        return out
    found = content_checks(reading, store.latest)
    if reading.app_id != APP_ID:
        return out + found[:1]  # another program's file: nothing more is ally's to judge
    return [*out, writable_check(db), *found]


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
    """Whether ally can record, told by trying what a write needs (not by os.access, which
    answers for root and misses what SQLite can still do): the file opens for writing, and
    the folder takes the -wal and -shm files, or both are there and open for writing."""
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
    sides = [db.with_name(db.name + s) for s in ("-wal", "-shm")]
    try:
        _create_in(db.parent)
    except OSError as exc:
        try:
            for side in sides:
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

    probe = folder / f".ally-doctor-{uuid.uuid4().hex[:12]}.tmp"
    os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    probe.unlink()


def read(db: Path, busy_timeout: float) -> Reading:
    """Read what the database says of itself, through a read-only connection."""
    conn = open_read_only(db, busy_timeout)
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
