"""`ally doctor`: what ally uses, and whether it is healthy, with a fix for each problem."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from allycli.core.errors import AllyError
from allycli.store.database import APP_ID, Store, inspect_file, open_read_only
from allycli.store.opening import db_errors


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
    store: Store,
    prompt_paths: Sequence[Path],
    draft_folders: Sequence[Path] = (),
    key_cache: str = "",
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
        checks += _database_checks(store, key_cache)
    for path in prompt_paths:
        try:
            n = len(promptfiles.load_file(path))
            count = "1 prompt" if n == 1 else f"{n} prompts"
            checks.append(Check("prompts", True, f"{path} ({count})"))
        except AllyError as exc:
            checks.append(Check("prompts", False, exc.message, "fix or move aside that file"))
    for draft in drafts.waiting(draft_folders):
        checks.append(Check("draft", True, f"{draft} waits to be added: run `ally import {draft}`"))
    found = backups_of(store)
    checks.append(
        Check(
            "backups",
            True,
            ", ".join(str(p) for p in found) if found else "none yet; `ally backup` writes one",
        )
    )
    return checks


def _database_checks(store: Store, key_cache: str = "") -> list[Check]:
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
        is_encrypted = inspect_file(db)
    except AllyError as exc:
        out.append(Check("format", False, exc.message, "move the file aside"))
        return out
    key = None
    if is_encrypted:
        out += _encryption_checks(store, key_cache)
        try:
            key = store.key()
        except AllyError:
            out.append(Check("integrity", True, "not checked while locked; `ally unlock` first"))
            return out
    else:
        out.append(Check("encrypted", True, "no; `ally encrypt` encrypts the journal"))
    writable = os.access(db, os.W_OK) and os.access(db.parent, os.W_OK)
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
    try:
        conn = open_read_only(db, store.busy_timeout, key)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            count = conn.execute("SELECT count(*) FROM entry").fetchone()[0] if version else 0
        finally:
            conn.close()
    except db_errors() as exc:
        said = str(exc).splitlines()[0][:80]
        damaged = any(w in said.lower() for w in ("malformed", "not a database", "corrupt"))
        out.append(
            Check(
                "integrity",
                False,
                f"cannot be read ({said})",
                "restore a backup listed below, or move the file aside"
                if damaged
                else "check that the file and its folder are yours and readable, and that "
                "no other program holds the database",
            )
        )
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
    ok = integrity == ["ok"]
    out.append(
        Check(
            "integrity",
            ok,
            "no damage found" if ok else "; ".join(integrity[:3]),
            "" if ok else "restore a backup listed below, or export what can be read",
        )
    )
    out.append(Check("entries", True, str(count)))
    return out


def _encryption_checks(store: Store, key_cache: str) -> list[Check]:
    """Encrypted: the key cache, the captures and sealed drafts waiting, and backups that the
    journal's key does not open (left under an older passphrase) or that are still plain."""
    from allycli.store import encrypted as files

    db = store.path
    out = [Check("encrypted", True, f"yes; {key_cache}" if key_cache else "yes")]
    waiting = len(files.captures(db))
    if waiting:
        said = f"{waiting} sealed capture(s) wait in {files.inbox(db)}"
        out.append(Check("captures", True, f"{said}; the next command with the key merges them"))
    try:
        key = store.key()
    except AllyError:
        return out
    for other in files.journal_files(db):
        if files.is_plain(other):
            out.append(Check("backup", False, f"{other} is not encrypted",
                             "run `ally encrypt` again, or remove that file"))  # fmt: skip
        elif files.count_whole(other, key) is None:
            out.append(Check("backup", False, f"{other} does not open with the journal's key "
                             "(an older passphrase, or damaged)", "restore it with its own "
                             "passphrase, or remove it"))  # fmt: skip
    return out
