"""Where an encrypted journal's key comes from, in order: the key cache (the kernel keyring,
filled by `ally unlock`), the command in ALLY_PASSPHRASE_CMD (the first line it prints), a
question at the terminal (three tries). A passphrase is turned into the raw key once, here;
the store opens the file with the raw key.

The passphrase and the key never reach output, files, a child's environment or its command
line: the passphrase command gets no input and its output is read through a pipe.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from allycli.core.errors import Locked, UsageError
from allycli.shell import output

TRIES = 3
PASSPHRASE_CMD = "ALLY_PASSPHRASE_CMD"
NEW_PASSPHRASE_CMD = "ALLY_NEW_PASSPHRASE_CMD"


def how_to_unlock(db: Path) -> str:
    return (
        f"The journal {db} is encrypted and locked; `ally unlock` opens it for 15 minutes, "
        f"or set {PASSPHRASE_CMD} to a command that prints the passphrase."
    )


class Unlocker:
    """The store's key source for one command. `ask`: whether it may run the passphrase
    command and ask at the terminal (completion, plain `ally` and `today` never do);
    `terminal`: whether it may ask at the terminal (doctor runs the command, never asks)."""

    def __init__(self, *, ask: bool = True, terminal: bool = True) -> None:
        self.ask = ask
        self.terminal = terminal
        self.keys: dict[Path, bytes] = {}
        self.wrong_tries = 0

    def key(self, db: Path) -> bytes:
        where = db.absolute()
        if where not in self.keys:
            self.keys[where] = self._find(where)
        return self.keys[where]

    def cached(self, db: Path) -> bytes | None:
        """The key from the cache alone, when it opens the journal."""
        from allycli.shell import keyring
        from allycli.store.encrypted import read_pub
        from allycli.store.opening import file_salt

        found = keyring.find(db)
        if found is None:
            return None
        pub = read_pub(db)
        if pub is not None and not pub.opens(found[0], file_salt(db)):
            return None  # a key from before `ally passwd`
        return found[0]

    def _find(self, db: Path) -> bytes:
        key = self.cached(db)
        if key is not None:
            return key
        if not self.ask:
            raise Locked(how_to_unlock(db))
        return self.from_passphrase(db)

    def from_passphrase(self, db: Path) -> bytes:
        """The key from ALLY_PASSPHRASE_CMD, else from the terminal (three tries)."""
        from allycli.store.encrypted import derive, read_pub
        from allycli.store.opening import file_salt

        salt = file_salt(db)
        pub = read_pub(db)
        command = os.environ.get(PASSPHRASE_CMD)
        said = ""
        if command:
            passphrase = run_passphrase_command(command, PASSPHRASE_CMD)
            if passphrase is not None:
                key = derive(passphrase, salt)
                if pub is None or pub.opens(key, salt):
                    return key
                said = f"The passphrase that {PASSPHRASE_CMD} printed does not open the journal"
            else:
                said = f"{PASSPHRASE_CMD} failed"
        if not (self.terminal and sys.stdin.isatty()):
            told = how_to_unlock(db)
            raise Locked(f"{said}; {told[0].lower()}{told[1:]}" if said else told)
        if said:
            output.warn(f"ally: {said}.")
        for _ in range(TRIES):
            passphrase = output.ask_hidden(f"Passphrase for {db}: ")
            key = derive(passphrase, salt)
            if pub is None or pub.opens(key, salt):
                return key
            self.wrong_tries += 1
            output.warn("That passphrase does not open this journal.")
        raise Locked(
            f"Three passphrases did not open the journal {db}; nothing was written to it.",
            capture=False,
        )


def run_passphrase_command(command: str, variable: str) -> str | None:
    """The first line the command prints, or None when it fails or prints nothing."""
    try:
        done = subprocess.run(
            command,
            shell=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    first = done.stdout.decode("utf-8", "replace").split("\n", 1)[0].rstrip("\r")
    return first or None


def new_passphrase(variable: str) -> str:
    """A new passphrase: from the command in `variable`, or asked twice at the terminal."""
    command = os.environ.get(variable)
    if command:
        passphrase = run_passphrase_command(command, variable)
        if passphrase is None:
            raise UsageError(f"{variable} failed or printed nothing; nothing was changed.")
        return passphrase
    if not sys.stdin.isatty():
        raise UsageError(
            f"A new passphrase is asked at a terminal; without one, set {variable} to a "
            "command that prints it. Nothing was changed."
        )
    for _ in range(TRIES):
        first = output.ask_hidden("New passphrase: ")
        if not first:
            output.warn("An empty passphrase protects nothing; type one.")
            continue
        if output.ask_hidden("The same passphrase again: ") == first:
            return first
        output.warn("The two passphrases differ; once more.")
    raise UsageError("No new passphrase was given; nothing was changed.")


def cache_said(db: Path) -> str:
    """Whether the key cache holds the journal's key, and until when (for `ally doctor`)."""
    import time

    from allycli.shell import keyring

    found = keyring.find(db)
    if found is None:  # with a passphrase command the journal may open all the same
        return "no key cached" if os.environ.get(PASSPHRASE_CMD) else "no key cached (locked)"
    return f"key cached until {time.strftime('%H:%M', time.localtime(found[1]))}"
