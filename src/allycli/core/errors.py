"""Domain errors: each carries one complete sentence for the user and an exit code.

Messages never contain note or answer text: they are printed on stderr, and
stderr ends up in logs and bug reports.
"""

from __future__ import annotations


class AllyError(Exception):
    """A refused input or an unusable file. Exit code 1 unless a subclass says otherwise."""

    exit_code = 1

    def __init__(self, message: str, output: str = "", *, after_commit: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.output = output  # for standard output, before the message (an unsaved entry)
        # raised knowingly after a commit, its message saying what was and was not done (a
        # sync that applied what opened and refused the rest exits 1): the boundary says it
        # as it is rather than "Saved; ..." with exit 0
        self.after_commit = after_commit


class UsageError(AllyError):
    """The command line itself is wrong (unknown activity, bad flag value)."""

    exit_code = 2


class NotFoundError(AllyError):
    """No entry with the given id."""


class Interrupted(AllyError):
    """The person pressed Ctrl-C (while a write waited, say); exit 130 as a shell expects."""

    exit_code = 130


class StorageError(AllyError):
    """The database cannot be opened, read or written."""


class DataFileError(AllyError):
    """An import file or a prompts file is malformed."""


def storage_error(path: object, exc: BaseException) -> StorageError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StorageError(
            f"The database {path} stayed locked by another program for too long; "
            "nothing was saved. Try again in a moment."
        )
    # SQLITE_IOERR: a full disk or a file-size limit can cause it, and so can a failing disk
    if "disk i/o" in text:
        return StorageError(
            f"The database {path} could not be written or read: the system reported an "
            "input/output error, which happens when the disk is full, the file reaches a size "
            "limit, or the disk or network folder fails. Free some space or check the disk, "
            "then try again; `ally doctor` checks the file."
        )
    if "full" in text or "too large" in text:
        return StorageError(
            f"The database {path} could not be written: the disk is full or the file is "
            "too large. Free some space and try again; earlier entries are intact."
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(
            f"The database {path} is read-only; reading commands still work, but to record "
            "anything make the file and its folder writable."
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StorageError(
            f"The database {path} is damaged. Restore a backup (`ally doctor` lists them) "
            "or move it aside to start a new one; ally left it as it is."
        )
    if "unable to open" in text:
        return StorageError(
            f"The database {path} cannot be opened; check that its folder exists and is yours."
        )
    return StorageError(f"The database {path} could not be used ({first_words(exc)}).")


def first_words(exc: BaseException) -> str:
    # sqlite3 messages name the failing operation, never bound values.
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


class SyncError(AllyError):
    """The hub cannot be reached, refuses, or holds something this journal cannot use."""


class Locked(StorageError):
    """An encrypted journal whose key this command does not have. `capture`: no one could
    be asked (no terminal), so `log` and `reflect` seal the entry into the inbox instead."""

    def __init__(self, message: str, *, capture: bool = True) -> None:
        super().__init__(message)
        self.capture = capture


class Captured(AllyError):
    """An entry sealed into the inbox of a locked journal: stored, to be merged later."""

    exit_code = 0
