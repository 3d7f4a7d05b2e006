"""The damage marker: `ally.db.damaged` beside a journal that SQLite found damaged.

Written when any command meets SQLite's corruption error, or when the full integrity check
of `ally backup` fails; while it stands, every write refuses at once (one stat, never the
full check, which takes most of a second on a large journal), so nothing is written into a
damaged file. `ally restore` and a clean check by `ally doctor` remove it. The marker holds
one line, what found the damage; its time says when (never stored bytes).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

SUFFIX = ".damaged"

# How SQLite and Python's sqlite3 say that a file's pages are not what they should be
SIGNS = ("malformed", "corrupt", "could not decode")


def marker(db: Path) -> Path:
    return db.with_name(db.name + SUFFIX)


def is_damage(exc: BaseException) -> bool:
    """Whether an error from sqlite3 says the file is damaged."""
    text = str(exc).lower()
    return any(sign in text for sign in SIGNS)


def record(db: Path, found_by: str) -> None:
    """Leave the marker (0600; its time is when); one that cannot be written changes nothing
    else."""
    from allycli.store.privatefile import create

    line = found_by + "\n"
    with contextlib.suppress(OSError):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(marker(db))  # a new finding replaces the old, and its time with it
        fd = create(marker(db))
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(line)


def standing(db: Path) -> bool:
    return marker(db).exists()


def clear(db: Path) -> None:
    """Remove the marker; where it cannot be removed (a read-only file system), it stays."""
    if standing(db):
        with contextlib.suppress(OSError):
            os.unlink(marker(db))
