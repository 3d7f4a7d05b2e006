"""What the user reads when SQLite refuses: each cause named as it is, never guessed."""

from __future__ import annotations

import sqlite3

import pytest

from allycli.core.errors import storage_error

DB = "/home/sam/.local/share/ally/ally.db"


@pytest.mark.parametrize(
    ("sqlite_message", "expected"),
    [
        (
            "disk I/O error",
            f"The database {DB} could not be written or read: the system reported an "
            "input/output error, which happens when the disk is full, the file reaches a size "
            "limit, or the disk or network folder fails. Free some space or check the disk, "
            "then try again; `ally doctor` checks the file.",
        ),
        (
            "database or disk is full",
            f"The database {DB} could not be written: the disk is full or the file is too "
            "large. Free some space and try again; earlier entries are intact.",
        ),
        (
            "database is locked",
            f"The database {DB} stayed locked by another program for too long; nothing was "
            "saved. Try again in a moment.",
        ),
    ],
)
def test_storage_errors_name_the_cause_sqlite_gave(sqlite_message: str, expected: str) -> None:
    error = storage_error(DB, sqlite3.OperationalError(sqlite_message))
    assert (error.message, error.exit_code) == (expected, 1)


def test_an_input_output_error_is_not_called_only_a_full_disk() -> None:
    message = storage_error(DB, sqlite3.OperationalError("disk I/O error")).message
    assert "the disk is full or the file is too large" not in message
    assert "intact" not in message  # a failing disk is no promise that earlier entries are
