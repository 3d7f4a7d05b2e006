"""The files of an encrypted journal: its key-check file, copies under a key, the swap that
puts a copy in place, and the inbox of captures.

Writes: `ally.db.pub` (the capture public key and the key-check values, 0600), copies beside
the journal and its backups, and sealed files in `inbox/`. Reads: the same. The lock file
that a swap holds is lockfile.py's.

Why copies under the journal's raw key and salt: SQLCipher keeps the salt in a file's first
16 bytes, and a raw key given with its salt (x'KEY SALT') writes a file that the same cached
key and the same passphrase open; `VACUUM INTO` on a keyed connection does the same, so
backups are made as before. The backup API is never used on an encrypted file: it would keep
the destination's own salt.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from allycli.core.errors import StorageError
from allycli.store.opening import (
    APP_ID,
    SALT_SIZE,
    SQLITE_HEADER,
    cipher_module,
    db_errors,
    pub_path,
    raw_key_literal,
    use_key,
)

KDF_ROUNDS = 256_000  # SQLCipher 4's default: PBKDF2-HMAC-SHA512
KEY_SIZE = 32
PUB_FORMAT = "ally capture key 1"
PUBLIC_SETTING = "capture_public_key"
PRIVATE_SETTING = "capture_private_key"
COPY_SUFFIX = ".swap"  # a copy being written beside the file it will replace


# -- keys ----------------------------------------------------------------------------------


def derive(passphrase: str, salt: bytes) -> bytes:
    """The raw key SQLCipher 4 derives from a passphrase and a file's salt (its default KDF),
    so that any SQLCipher 4 tool opens the file with the passphrase."""
    return hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ROUNDS, KEY_SIZE)


def key_check(key: bytes, salt: bytes) -> str:
    """A value that tells a right key from a wrong one without opening the database, so a
    wrong passphrase is told from a damaged file. It reveals nothing of the key (HMAC)."""
    return hmac.new(key, b"ally key check" + salt, hashlib.sha256).hexdigest()[:32]


def new_salt() -> bytes:
    return os.urandom(SALT_SIZE)


@dataclass(frozen=True)
class Pub:
    """`ally.db.pub`: the capture public key and the key checks that open the journal (two
    while a passphrase is being changed, so a kill at any moment leaves a right key right)."""

    public_key: bytes
    checks: tuple[str, ...]

    def opens(self, key: bytes, salt: bytes) -> bool:
        return not self.checks or key_check(key, salt) in self.checks


def read_pub(db: Path) -> Pub | None:
    """The journal's `.pub`, or None when there is none; a damaged one is an error."""
    path = pub_path(db)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Pub(base64.b64decode(data["public_key"]), tuple(data["key_checks"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise StorageError(
            f"{path} cannot be read; it holds the key check and the capture key of the "
            "encrypted journal beside it. `ally doctor` says more."
        ) from None


def write_pub(db: Path, pub: Pub) -> None:
    """Write `.pub` whole or not at all (a new file synced, then renamed into place)."""
    text = json.dumps(
        {
            "format": PUB_FORMAT,
            "public_key": base64.b64encode(pub.public_key).decode("ascii"),
            "key_checks": list(pub.checks),
        }
    )
    write_whole(pub_path(db), text.encode("utf-8"))


def write_whole(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        from allycli.store.privatefile import create, write_synced

        write_synced(create(tmp), data)
        os.replace(tmp, path)
        sync_folder(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StorageError(f"Cannot write {path}: {exc.strerror}.") from None


def sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def capture_keys(conn: sqlite3.Connection) -> tuple[bytes, bytes] | None:
    """The capture key pair kept inside the encrypted database: (private, public)."""
    rows = dict(
        conn.execute(
            "SELECT key, value FROM setting WHERE key IN (?, ?)", (PUBLIC_SETTING, PRIVATE_SETTING)
        ).fetchall()
    )
    if PRIVATE_SETTING not in rows or PUBLIC_SETTING not in rows:
        return None
    return base64.b64decode(rows[PRIVATE_SETTING]), base64.b64decode(rows[PUBLIC_SETTING])


def put_capture_keys(conn: sqlite3.Connection, private: bytes, public: bytes) -> None:
    for name, value in ((PRIVATE_SETTING, private), (PUBLIC_SETTING, public)):
        conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (name, base64.b64encode(value).decode("ascii")),
        )


def drop_capture_keys(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM setting WHERE key IN (?, ?)", (PUBLIC_SETTING, PRIVATE_SETTING))


# -- copies and swaps ----------------------------------------------------------------------


def copy_under(conn: sqlite3.Connection, dest: Path, key: bytes | None, salt: bytes | None) -> None:
    """Write the whole database of `conn` into the new file `dest`: encrypted under `key`
    and `salt`, or plain when `key` is None (sqlcipher_export, which carries no header
    fields, so the schema version and ally's mark are set after it)."""
    literal = raw_key_literal(key, salt) if key is not None else ""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f'ATTACH DATABASE ? AS swap KEY "{literal}"', (str(dest),))
    try:
        conn.execute("SELECT sqlcipher_export('swap')").fetchall()
        conn.execute(f"PRAGMA swap.user_version = {int(version)}")
        conn.execute(f"PRAGMA swap.application_id = {APP_ID}")
    finally:
        conn.execute("DETACH DATABASE swap")


def open_file(path: Path, key: bytes | None, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection to one file of the journal (a copy, a backup) through SQLCipher: keyed,
    or plain when `key` is None. Read-only opens create no side file."""
    module = cipher_module()
    if read_only:
        conn: sqlite3.Connection = module.connect(  # type: ignore[attr-defined]
            path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, isolation_level=None
        )
    else:
        conn = module.connect(str(path), isolation_level=None)  # type: ignore[attr-defined]
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        use_key(conn, key)
    return conn


def count_whole(path: Path, key: bytes | None) -> int | None:
    """How many entries a file holds when it is a whole ally database under `key` (its
    integrity check passes); None otherwise."""
    try:
        conn = open_file(path, key, read_only=True)
    except db_errors():
        return None
    try:
        health = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if health != ["ok"] or app_id != APP_ID:
            return None
        return int(conn.execute("SELECT count(*) FROM entry").fetchone()[0])
    except db_errors():
        return None
    finally:
        conn.close()


def new_copy(target: Path) -> Path:
    """A free name beside `target` for the copy that will replace it; a copy left by a
    command that was killed is removed first (it never replaced anything)."""
    for stale in target.parent.glob(f"{target.name}.*{COPY_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()
    return target.with_name(f"{target.name}.{os.urandom(4).hex()}{COPY_SUFFIX}")


def put_in_place(copy: Path, target: Path) -> None:
    """Rename a checked copy over `target`, synced so that after a crash the folder names
    the old file or the new one, both whole."""
    fd = os.open(copy, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(copy, target)
    sync_folder(target.parent)


def drop_side_files(db: Path) -> None:
    """The old file's `-wal`, `-shm` and rollback journal: they belonged to the file that was
    replaced (the copy is written in rollback mode and has none yet)."""
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(db.with_name(db.name + suffix))


def is_plain(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def journal_files(db: Path) -> list[Path]:
    """The journal's other copies: backups (and the copies kept before a restore), and the
    copies kept before an upgrade (`ally.db.vN.bak`)."""
    found: list[Path] = []
    folder = db.parent / "backups"
    with contextlib.suppress(OSError):
        found += sorted(p for p in folder.iterdir() if p.suffix == ".db" and p.is_file())
    with contextlib.suppress(OSError):
        found += sorted(db.parent.glob(f"{db.name}.v*.bak"))
    return found


# -- the inbox -----------------------------------------------------------------------------


def inbox(db: Path) -> Path:
    return db.parent / "inbox"


def captures(db: Path) -> list[Path]:
    """Sealed captures waiting in the inbox, oldest first."""
    try:
        found = [p for p in inbox(db).iterdir() if p.name.endswith(".sealed") and p.is_file()]
    except OSError:
        return []
    return sorted(found, key=_made)


def _made(path: Path) -> tuple[int, str]:
    try:
        return path.stat().st_mtime_ns, path.name
    except OSError:  # merged and removed meanwhile by another command
        return 0, path.name
