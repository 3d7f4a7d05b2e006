"""One read for TAB: read-only, with a short timeout, never creating or changing a file.

With no -wal beside the journal, no write waits to be checkpointed into it, so the file is
read as immutable and SQLite makes no -wal or -shm beside it for the read. An encrypted
journal is read through SQLCipher with its raw key (opening.peek), which is imported only
then, so that a TAB on a plain journal stays light.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def rows(
    db: Path, sql: str, params: Sequence[object] = (), *, timeout: float, key: bytes | None = None
) -> list[tuple[Any, ...]] | None:
    """The rows of `sql`; None when the journal cannot be read (busy, damaged, not SQLite,
    or a key that does not open it)."""
    if key is not None:
        from allycli.store.opening import peek

        return peek(db, key, sql, params)
    uri = db.resolve().as_uri() + "?mode=ro"
    if not db.with_name(db.name + "-wal").exists():
        uri += "&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout)
    except sqlite3.Error:
        return None
    try:
        return list(conn.execute(sql, params).fetchall())
    except sqlite3.Error:
        return None
    finally:
        conn.close()
