"""The commands of encryption at rest: encrypt, decrypt, passwd, unlock and lock."""

from __future__ import annotations

import time

import typer

from allycli.shell import boundary, session


def _say(text: str) -> None:
    from allycli.shell import output

    output.say(text)


def _cache_again(path: object, key: bytes) -> None:
    """After a new key: a journal that was unlocked stays unlocked, under its new key."""
    from pathlib import Path

    from allycli.shell import keyring

    db = Path(str(path))
    found = keyring.find(db)
    if found is None:
        return
    left = int(found[1] - time.time())
    if left > 0:
        try:
            keyring.store(db, key, found[1], left)
        except keyring.Refused:
            keyring.drop(db)


def _backups_said(count: int) -> str:
    return "" if not count else f" and {count} backup{'s' if count != 1 else ''}"


def _entries_said(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def encrypt() -> None:
    """Encrypt the journal and its backups with a passphrase (asked twice, or read from
    ALLY_PASSPHRASE_CMD)."""
    from allycli.journal import locking
    from allycli.shell import unlocking
    from allycli.store.opening import cipher_module

    ctx = session.context()
    cipher_module()  # the missing extra is said before a passphrase is asked
    if ctx.store.encrypted():
        from allycli.core.errors import AllyError

        raise AllyError(f"The journal {ctx.store.path} is already encrypted; nothing was changed.")
    passphrase = unlocking.new_passphrase(unlocking.PASSPHRASE_CMD)
    done = locking.encrypt(ctx, passphrase)
    _say(
        f"Encrypted the journal {done.path}: {_entries_said(done.entries)}"
        f"{_backups_said(done.backups)}; {locking.SSD_NOTE}. `ally unlock` keeps it open for "
        "15 minutes."
    )


def decrypt(
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask first."),
) -> None:
    """Store the journal and its backups in clear again (asks first)."""
    import sys

    from allycli.core.errors import AllyError, UsageError
    from allycli.journal import locking
    from allycli.shell import keyring

    ctx = session.context()
    if not ctx.store.encrypted():
        raise AllyError(f"The journal {ctx.store.path} is not encrypted; nothing was changed.")
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("decrypt stores the journal in clear; add --yes to go ahead.")
        answer = typer.prompt(
            f"Store the journal {ctx.store.path} and its backups in clear? [y/N]",
            default="",
            show_default=False,
        )
        if answer.strip().lower() not in ("y", "yes"):
            _say("Nothing was changed; the journal stays encrypted.")
            return
    done = locking.decrypt(ctx)
    keyring.drop(ctx.store.path)
    left = (
        f" {len(done.left)} backup(s) did not open with the journal's key and stay encrypted."
        if done.left
        else ""
    )
    _say(
        f"The journal {done.path} is stored in clear again: {_entries_said(done.entries)}"
        f"{_backups_said(done.backups)}.{left}"
    )


def passwd() -> None:
    """Change the journal's passphrase (the new one asked twice, or read from
    ALLY_NEW_PASSPHRASE_CMD); its backups follow."""
    from allycli.core.errors import AllyError
    from allycli.journal import locking
    from allycli.shell import unlocking

    ctx = session.context()
    if not ctx.store.encrypted():
        raise AllyError(
            f"The journal {ctx.store.path} is not encrypted; `ally encrypt` gives it a passphrase."
        )
    ctx.store.key()  # the old passphrase first
    passphrase = unlocking.new_passphrase(unlocking.NEW_PASSPHRASE_CMD)
    done = locking.passwd(ctx, passphrase)
    _cache_again(done.path, done.key)
    left = (
        f" {len(done.left)} backup(s) did not open with the old passphrase and were left as "
        "they were; `ally doctor` names them."
        if done.left
        else ""
    )
    _say(
        f"The journal {done.path}{_backups_said(done.backups)} now "
        f"open{'' if done.backups else 's'} with the new passphrase, and no longer with the old "
        f"one.{left}"
    )


def unlock(
    duration: str = typer.Option(
        "15m", "--for", metavar="DURATION", help="How long: 30s, 15m, 8h or 1d (at most a day)."
    ),
) -> None:
    """Keep the journal's key for a while, so that commands do not ask for the passphrase."""
    from allycli.core.durations import parse_duration
    from allycli.core.errors import AllyError
    from allycli.shell import keyring, unlocking
    from allycli.store.opening import cipher_module

    seconds = parse_duration(duration)
    ctx = session.context()
    if not ctx.store.encrypted():
        raise AllyError(f"The journal {ctx.store.path} is not encrypted; nothing to unlock.")
    cipher_module()
    db = ctx.store.path
    key = ctx.store.key()
    with ctx.store.reading():  # the key opens it (and waiting captures are merged)
        pass
    expires = int(time.time()) + seconds
    try:
        keyring.store(db, key, expires, seconds)
    except keyring.Refused as exc:
        raise AllyError(
            f"The key cannot be kept here ({exc}); set {unlocking.PASSPHRASE_CMD} to a command "
            "that prints the passphrase (such as `pass show ally`) instead."
        ) from None
    if not keyring.seen_by_child(db):
        keyring.drop(db)
        raise AllyError(
            "This terminal has no lasting session keyring, so the next command would not find "
            f"the key; set {unlocking.PASSPHRASE_CMD} to a command that prints the passphrase "
            "(such as `pass show ally`) instead."
        )
    until = time.strftime("%H:%M", time.localtime(expires))
    _say(f"Unlocked until {until}; `ally lock` locks it sooner.")


def lock() -> None:
    """Forget the journal's key at once."""
    from allycli.shell import keyring

    db = session.db_path()
    if keyring.drop(db):
        _say("Locked; the key was dropped from the key cache.")
    else:
        _say("The key was not cached; the journal is locked.")


def register(app: typer.Typer) -> None:
    app.command(epilog=boundary.examples("ally encrypt"))(encrypt)
    app.command(epilog=boundary.examples("ally decrypt", "ally decrypt --yes"))(decrypt)
    app.command(epilog=boundary.examples("ally passwd"))(passwd)
    app.command(epilog=boundary.examples("ally unlock", "ally unlock --for 8h"))(unlock)
    app.command(epilog=boundary.examples("ally lock"))(lock)
