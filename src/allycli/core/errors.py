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


class Ended(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a closed terminal): the process is asked to end. Handled where
    Ctrl-C is, so words already given are kept as a draft; the exit status is the shell's
    128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__()
        self.signum = signum
        self.exit_code = 128 + signum


class StorageError(AllyError):
    """The database cannot be opened, read or written."""


class Drafted(StorageError):
    """A write could not be completed, and what was to be written was kept as a draft, which
    the message names."""


class DamagedError(StorageError):
    """The journal's pages are damaged (SQLite's corruption error, or a failed integrity
    check); recorded beside the journal, so every later write refuses at once."""


class DataFileError(AllyError):
    """An import file or a prompts file is malformed."""


def storage_error(path: object, exc: BaseException, disk: str = "") -> StorageError:
    """One sentence for an sqlite3 error on the database; `disk` is what the file system
    says of itself ("read-only", "full" or ""), the plain cause when it is one."""
    text = str(exc).lower()
    if disk == "read-only" and not ("locked" in text or "busy" in text):
        return StorageError(
            f"The database {path} is on a read-only file system; reading commands still work, "
            "but to record anything remount it read-write or point ALLY_DB at a file elsewhere."
        )
    if disk == "full" and not ("locked" in text or "busy" in text):
        return StorageError(
            f"The database {path} could not be written: the disk is full. Free some space and "
            "try again; earlier entries are intact."
        )
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
    if any(sign in text for sign in ("malformed", "not a database", "corrupt", "decode")):
        return damaged(path)
    if "unable to open" in text:
        return StorageError(
            f"The database {path} cannot be opened; check that its folder exists and is yours."
        )
    return StorageError(f"The database {path} could not be used ({first_words(exc)}).")


def damaged(path: object) -> DamagedError:
    """SQLite found the journal's pages damaged (the message never repeats stored bytes)."""
    return DamagedError(
        f"The database {path} is damaged, so nothing was written to it. Run `ally doctor`: it "
        "names the newest healthy backup to restore, and `ally export --salvage` saves what "
        "can still be read."
    )


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
