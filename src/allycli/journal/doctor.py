"""`ally doctor`: what ally uses, and whether it is healthy, with a fix for each problem."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from allycli.core.errors import AllyError
from allycli.store.database import APP_ID, Store, inspect_file, open_read_only


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


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


def checkup(
    store: Store, prompt_paths: Sequence[Path], draft_folders: Sequence[Path] = ()
) -> list[Check]:
    from allycli.store import drafts, promptfiles

    checks: list[Check] = []
    db = store.path
    checks.append(Check("database", True, str(db)))
    if not db.exists():
        blocker = next((p for p in db.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            checks.append(
                Check("file", False, f"cannot be created: {blocker} is a file, not a folder",
                      "point ALLY_DB at a file in a folder")
            )  # fmt: skip
        else:
            checks.append(Check("file", True, "not created yet; `ally log` creates it"))
    else:
        checks += _database_checks(store)
    for path in prompt_paths:
        try:
            n = len(promptfiles.load_file(path))
            count = "1 prompt" if n == 1 else f"{n} prompts"
            checks.append(Check("prompts", True, f"{path} ({count})"))
        except AllyError as exc:
            checks.append(Check("prompts", False, exc.message, "fix or move aside that file"))
    for draft in drafts.waiting(draft_folders):
        checks.append(Check("draft", True, f"{draft} waits to be added: run `ally import {draft}`"))
    checks += backup_checks(store)
    return checks


def backup_checks(store: Store) -> list[Check]:
    """Every backup with its full integrity check; the newest healthy one is named as the one
    to restore."""
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


def newest_healthy(store: Store) -> Path | None:
    from allycli.store import backups

    healthy = [h for h in (backups.health(p) for p in backups_of(store)) if h.whole]
    return max(healthy, key=lambda h: (h.mtime, str(h.path))).path if healthy else None


def _way_out(store: Store) -> str:
    """What to do about a damaged journal: restore the newest healthy backup, or salvage."""
    newest = newest_healthy(store)
    salvage = "`ally export --salvage --output salvage.jsonl` saves what can still be read"
    if newest is not None:
        return f"run: ally restore {newest} (the newest healthy backup); or {salvage}"
    return f"no healthy backup: {salvage}, to import into a new journal"


def _database_checks(store: Store) -> list[Check]:
    db = store.path
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
    try:
        inspect_file(db)
    except AllyError as exc:
        out.append(Check("format", False, exc.message, "move the file aside"))
        return out
    from allycli.store import diskstate

    disk = diskstate.state(db)
    writable = os.access(db, os.W_OK) and os.access(db.parent, os.W_OK)
    if disk == diskstate.READ_ONLY:
        out.append(Check("writable", False, "no: it is on a read-only file system, so ally "
                         "can read it but cannot record anything",
                         "remount it read-write, or point ALLY_DB elsewhere"))  # fmt: skip
    else:
        out.append(
            Check(
                "writable",
                writable,
                "yes"
                if writable
                else "no: the file or its folder is read-only, so ally can "
                "read it but cannot record anything",
                "" if writable else f"run: chmod u+w {db} {db.parent}",
            )
        )
    if disk == diskstate.FULL:
        out.append(Check("disk", False, "full: nothing can be recorded until there is room",
                         "free some space on that disk"))  # fmt: skip
    try:
        conn = open_read_only(db, store.busy_timeout)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            count = conn.execute("SELECT count(*) FROM entry").fetchone()[0] if version else 0
        finally:
            conn.close()
    except sqlite3.Error as exc:
        from allycli.core.errors import storage_error
        from allycli.store import damage, diskstate

        if damage.is_damage(exc) or "not a database" in str(exc).lower():
            damage.record(db, "SQLite reported the file damaged")
            out.append(Check("integrity", False, "damaged: SQLite cannot read it", _way_out(store)))
            return out
        said = storage_error(db, exc, diskstate.state(db)).message  # never stored bytes
        out.append(Check("integrity", False, f"cannot be read: {said}",
                         "see the sentence above"))  # fmt: skip
        return out
    ours = app_id == APP_ID
    out.append(Check("kind", ours, "an ally database" if ours else "not made by ally",
                     "" if ours else "point ALLY_DB at an ally database"))  # fmt: skip
    latest = store.latest
    out.append(
        Check(
            "schema",
            version <= latest,
            f"version {version} (this ally writes {latest})",
            "" if version <= latest else "upgrade ally",
        )
    )
    from allycli.store import damage

    ok = integrity == ["ok"]
    if ok:
        cleared = damage.standing(db)
        damage.clear(db)
        said = " (the mark of damage an earlier command left was removed)" if cleared else ""
        out.append(Check("integrity", True, "no damage found" + said))
    else:
        damage.record(db, "the full integrity check failed")
        out.append(
            Check("integrity", False, "damaged: it fails SQLite's integrity check",
                  _way_out(store))
        )  # fmt: skip
    out.append(Check("entries", True, str(count)))
    return out
