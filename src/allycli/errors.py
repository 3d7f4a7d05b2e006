"""Domain errors: each carries one complete sentence for the user and an exit code.

Messages never contain note or answer text: they are printed on stderr, and
stderr ends up in logs and bug reports.
"""

from __future__ import annotations


class AllyError(Exception):
    """A refused input or an unusable file. Exit code 1 unless a subclass says otherwise."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(AllyError):
    """The command line itself is wrong (unknown activity, bad flag value)."""

    exit_code = 2


class NotFoundError(AllyError):
    """No entry with the given id."""


class StorageError(AllyError):
    """The database cannot be opened, read or written."""


class DataFileError(AllyError):
    """An import file or a prompts file is malformed."""
