"""What the shell reads to build a use case's Context: the environment, the clock, the
folders ally keeps things in, and the DATE words of the command line (parsed against today).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from allycli.journal.context import Context


def db_path() -> Path:
    named = os.environ.get("ALLY_DB")
    if named:
        return Path(named).expanduser()
    import platformdirs

    return platformdirs.user_data_path("ally") / "ally.db"


def isolated_env(home: Path, db: Path) -> dict[str, str]:
    """The environment variables that decide where ally keeps its files, every one pointed
    under `home`, and the journal at `db`: how a test or a benchmark runs ally (in a process
    or in this one) without touching a person's journal, settings or drafts."""
    return {
        "ALLY_DB": str(db),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


def prompt_paths() -> tuple[Path, ...]:
    """The built-in prompts file, then one's own: ALLY_PROMPTS, else prompts.yaml in ally's
    config folder when there is one. Nothing is read here (`ally log` reads no prompts)."""
    from allycli.store.promptfiles import builtin_path

    named = os.environ.get("ALLY_PROMPTS")
    if named:
        return (builtin_path(), Path(named).expanduser())
    import platformdirs

    user = platformdirs.user_config_path("ally") / "prompts.yaml"
    return (builtin_path(), user) if os.path.lexists(user) else (builtin_path(),)


def context(*, ask: bool = True) -> Context:
    """The use cases' context. `ask`: an encrypted journal's key may come from the passphrase
    command or a question at the terminal, not only from the key cache (completion, plain
    `ally` and `today` pass False: they never ask)."""
    from allycli.journal.context import Context
    from allycli.shell.terminal import edits_in_memory, note_commit
    from allycli.shell.unlocking import Unlocker
    from allycli.store.database import DEFAULT_BUSY_TIMEOUT, Store
    from allycli.store.opening import encrypted

    os.umask(0o077)  # everything ally creates is for the user alone
    timeout = os.environ.get("ALLY_BUSY_TIMEOUT")  # seconds; for tests of lock waits
    now = datetime.now().astimezone()
    db = db_path()
    warn_if_shared(db)
    edits_in_memory(encrypted(db))
    built: list[Context] = []
    ctx = Context(
        store=Store(
            db,
            busy_timeout=float(timeout) if timeout else DEFAULT_BUSY_TIMEOUT,
            on_wait=say_waiting,
            on_commit=note_commit,
            keys=Unlocker(ask=ask),
            on_unlocked=lambda: settle_inbox(built),
        ),
        today=now.date(),
        now=now,
        prompt_paths=prompt_paths(),
        prompts_left_aside=prompts_left_aside,
        drafts_dir=state_path() / "drafts",
        tmp_drafts_dir=tmp_drafts_dir(),
        warn=say_warning,
    )
    built.append(ctx)
    return ctx


def settle_inbox(built: list[Context]) -> None:
    """Once per command, the first time an encrypted journal opens with its key: merge the
    captures sealed while it was locked. A failure is said and leaves them for next time;
    the command goes on."""
    if len(built) != 1:
        return
    ctx = built[0]
    built.append(ctx)  # done for this command (and no second run from within the merge)
    from allycli.store.encrypted import captures

    if not captures(ctx.store.path):  # the usual case: nothing more to read or import
        return
    from allycli.core.errors import AllyError
    from allycli.journal.locking import settle_inbox as merge
    from allycli.shell import output

    try:
        settled = merge(ctx)
    except AllyError as exc:
        output.warn(f"ally: captures waiting in the inbox were not merged: {exc.message}")
        return
    if settled.warning:
        output.warn(f"ally: warning: {settled.warning}")
    if settled.merged:
        n = settled.merged
        said = "1 sealed capture" if n == 1 else f"{n} sealed captures"
        output.warn(f"ally: {said} from the inbox joined the journal.")


def say_warning(text: str) -> None:
    """A one-line warning on stderr (the command goes on)."""
    from allycli.shell import output

    output.warn(f"ally: warning: {text}")


def prompts_left_aside(why: str) -> None:
    """One warning, once a command, for a prompts file of one's own that cannot serve."""
    from allycli.render.messages import prompts_left_aside as said
    from allycli.shell import output

    output.warn_once(said(why))


def say_waiting() -> None:
    """The store's on_wait: a wait for the write lock is said once a command, however many
    of its steps wait (on a loaded machine a checkpoint's timer may fire too)."""
    from allycli.shell import output

    output.warn_once("ally: another program is using the database; waiting for it to finish...")


def state_path() -> Path:
    import platformdirs

    return platformdirs.user_state_path("ally")


def tmp_drafts_dir() -> Path | None:
    """$TMPDIR/ally-<uid>: the last place for a draft (drafts.py checks it is the user's)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return None
    return Path(os.environ.get("TMPDIR") or "/tmp") / f"ally-{getuid()}"


def draft_folders(db: Path) -> tuple[Path, ...]:
    from allycli.store.drafts import folders

    return folders(db, state_path() / "drafts", tmp_drafts_dir())


def warn_if_shared(db: Path) -> None:
    import stat

    from allycli.store.database import SQLITE_HEADER

    try:
        info = db.stat()
        if not stat.S_ISREG(info.st_mode):
            return  # not a file to read (a FIFO would block): the store refuses it
        shared = info.st_mode & 0o077
        with db.open("rb") as fh:
            ours = fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return
    if shared and ours:
        from allycli.shell import output

        output.warn(f"ally: warning: {db} can be read by other users; run `chmod 600 {db}`.")


def parse_day(text: str | None, today: date, option: str = "--date") -> date | None:
    from allycli.core.dates import parse_date

    return None if text is None else parse_date(text, today, option=option)


def parse_since(text: str, today: date) -> date:
    """A range's first day: a day up to today."""
    from allycli.core.dates import parse_date
    from allycli.core.errors import UsageError

    day = parse_date(text, today, allow_future=True, option="--since")
    if day > today:
        raise UsageError(
            f"--since {day.isoformat()} is in the future; a range starts on a day up to today "
            f"({today.isoformat()})."
        )
    return day


def parse_until(text: str, today: date) -> date:
    """A range's last day: a day up to today (a future day is refused)."""
    from allycli.core.dates import parse_date
    from allycli.core.errors import UsageError

    day = parse_date(text, today, allow_future=True, option="--until")
    if day > today:
        raise UsageError(
            f"--until {day.isoformat()} is in the future; a range ends on a day up to today "
            f"({today.isoformat()}). Leave --until out to end today."
        )
    return day
