"""Encryption at rest: encrypt, decrypt and passwd (a checked copy swapped in under the
journal's lock file), captures sealed while the journal is locked, and their merge.

Every swap is: take the lock file exclusively (no other ally has the journal open), copy the
whole database under the new key (or none) into a new file beside it, check the copy (its
integrity and its count of entries), sync it, rename it over the old one. A kill at any moment
leaves the old file or the new one in place, whole; a copy left half-written is removed by the
next swap. `ally.db.pub` is written before the rename with the key checks of both keys, so a
right passphrase is recognised whichever file the kill left.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allycli.core.errors import AllyError, StorageError
from allycli.journal.context import Context
from allycli.store import encrypted as files
from allycli.store import lockfile
from allycli.store.opening import cipher_module, file_salt, pub_path

SSD_NOTE = (
    "blocks of the old plain file may survive on an SSD or a copy-on-write file system until "
    "they are overwritten"
)


@dataclass(frozen=True)
class Swapped:
    path: Path
    entries: int
    backups: int  # backups (and copies kept before an upgrade or a restore) changed too
    left: tuple[Path, ...] = ()  # backups that the key did not open (an older passphrase)
    key: bytes = b""  # the journal's new raw key (for the key cache), never shown


def _count(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM entry").fetchone()[0])


def _settled(ctx: Context) -> int:
    """Bring the journal to the current schema, fold its WAL into the file, and count its
    entries (under the lock file, before a copy is made)."""
    conn = ctx.store.connect(write=True)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return _count(conn)
    finally:
        conn.close()


def _swap_file(
    target: Path,
    old_key: bytes | None,
    new_key: bytes | None,
    new_salt: bytes | None,
    *,
    entries: int | None = None,
    before_swap: Any = None,
) -> int:
    """Replace `target` by a checked copy of itself under `new_key` (None: plain)."""
    copy = files.new_copy(target)
    source = files.open_file(target, old_key)
    try:
        files.copy_under(source, copy, new_key, new_salt)
        if before_swap is not None:
            keyed = files.open_file(copy, new_key)
            try:
                before_swap(keyed)
            finally:
                keyed.close()
        found = files.count_whole(copy, new_key)
        if found is None or (entries is not None and found != entries):
            raise StorageError(
                f"The copy of {target} did not check whole; {target} was left as it was."
            )
        files.put_in_place(copy, target)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    files.drop_side_files(target)
    return found


def encrypt(ctx: Context, passphrase: str) -> Swapped:
    """Make the journal an SQLCipher 4 file under `passphrase`, and each plain backup too."""
    from allycli.core import sealing

    cipher_module()
    store = ctx.store
    if not store.exists():
        raise AllyError(
            f"There is no journal at {store.path} yet; record something first, then encrypt it."
        )
    if store.encrypted():
        raise AllyError(f"The journal {store.path} is already encrypted; nothing was changed.")
    with lockfile.exclusive(store.path, store.busy_timeout, store.on_wait):
        entries = _settled(ctx)
        salt = files.new_salt()
        key = files.derive(passphrase, salt)
        private, public = sealing.new_key_pair()
        # before the swap, so that a right passphrase is known for the file it leaves
        files.write_pub(store.path, files.Pub(public, (files.key_check(key, salt),)))
        _swap_file(
            store.path,
            None,
            key,
            salt,
            entries=entries,
            before_swap=lambda conn: files.put_capture_keys(conn, private, public),
        )
        changed = 0
        for other in files.journal_files(store.path):
            if files.is_plain(other):
                _swap_file(other, None, key, salt)
                changed += 1
    return Swapped(store.path, entries, changed, key=key)


def decrypt(ctx: Context) -> Swapped:
    """Make the journal plain again, its backups first; waiting captures are merged first."""
    store = ctx.store
    if not store.encrypted():
        raise AllyError(f"The journal {store.path} is not encrypted; nothing was changed.")
    key = store.key()
    with lockfile.exclusive(store.path, store.busy_timeout, store.on_wait):
        entries = _settled(ctx)  # opens with the key: waiting captures are merged here
        changed, left = _each_backup(store.path, key, None, None)
        _swap_file(
            store.path, key, None, None, entries=entries, before_swap=files.drop_capture_keys
        )
        pub_path(store.path).unlink(missing_ok=True)
    return Swapped(store.path, entries, changed, left)


def passwd(ctx: Context, new_passphrase: str) -> Swapped:
    """Put the journal, then each backup, under a new passphrase (and a new salt)."""
    store = ctx.store
    if not store.encrypted():
        raise AllyError(
            f"The journal {store.path} is not encrypted; `ally encrypt` gives it a passphrase."
        )
    old = store.key()
    with lockfile.exclusive(store.path, store.busy_timeout, store.on_wait):
        entries = _settled(ctx)
        old_salt = file_salt(store.path)
        salt = files.new_salt()
        key = files.derive(new_passphrase, salt)
        pub = files.read_pub(store.path)
        if pub is None:
            raise StorageError(f"{pub_path(store.path)} is missing; nothing was changed.")
        old_check, new_check = files.key_check(old, old_salt), files.key_check(key, salt)
        files.write_pub(store.path, files.Pub(pub.public_key, (old_check, new_check)))
        _swap_file(store.path, old, key, salt, entries=entries)
        files.write_pub(store.path, files.Pub(pub.public_key, (new_check,)))
        changed, left = _each_backup(store.path, old, key, salt)
    return Swapped(store.path, entries, changed, left, key=key)


def _each_backup(
    db: Path, old: bytes, new: bytes | None, salt: bytes | None
) -> tuple[int, tuple[Path, ...]]:
    """Put every backup under the new key (None: plain); one the old key does not open is
    left as it is, and named."""
    changed, left = 0, []
    for other in files.journal_files(db):
        plain = files.is_plain(other)
        if plain and new is None:
            continue
        if not plain and files.count_whole(other, old) is None:
            left.append(other)
            continue
        _swap_file(other, None if plain else old, new, salt)
        changed += 1
    return changed, tuple(left)


@dataclass(frozen=True)
class Settled:
    merged: int  # capture files merged and removed
    unreadable: int  # capture files sealed to another key, left in the inbox
    warning: str = ""


def settle_inbox(ctx: Context) -> Settled:
    """Merge the inbox by the import rule, remove what was applied, and check `.pub` against
    the public key inside the database (rewriting it when they differ)."""
    from datetime import timedelta

    from allycli.core import exchange, sealing
    from allycli.journal import importing

    db = ctx.store.path
    waiting = files.captures(db)
    with ctx.store.reading() as conn:
        pair = files.capture_keys(conn)
    if pair is None:
        return Settled(0, len(waiting))
    private, public = pair
    warning = ""
    pub = files.read_pub(db)
    if pub is not None and pub.public_key != public:
        files.write_pub(db, files.Pub(public, pub.checks))
        warning = (
            f"{pub_path(db)} held another capture key; it was rewritten, and captures sealed "
            "to the other key cannot be read."
        )
    merged = unreadable = 0
    for path in waiting:
        try:
            text = sealing.unseal(private, path.read_bytes()).decode("utf-8")
        except (OSError, ValueError):
            unreadable += 1
            continue
        latest = ctx.today + timedelta(days=1)
        records = list(
            exchange.read_jsonl(text.splitlines(keepends=True), path.name, latest=latest)
        )
        importing.merge_into(ctx, records, path.name)
        path.unlink(missing_ok=True)
        merged += 1
    return Settled(merged, unreadable, warning)
