"""The imperative shell of the command line: the environment, the clock, the terminal.

With cli.py, the only code that reads them. `Boundary` is the one place where domain
errors and usage errors become a sentence on stderr and an exit code. Imports stay light:
everything heavy loads inside the functions that need it.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from rich.console import Console

    from allycli.journal import Context


class Boundary(TyperGroup):
    """Where domain errors and usage errors become one sentence on stderr and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        from allycli.errors import AllyError

        try:
            code = super().main(*args, **kwargs)
        except AllyError as exc:
            fail(exc.message, exc.exit_code)
        except typer.Abort:
            fail("Stopped; nothing was changed.", 130)
        except typer.TyperException as exc:  # click's usage errors, vendored by Typer
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            code = getattr(exc, "exit_code", 1)
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else "ally"
            hint = f" Run '{where} --help' to see the options." if code == 2 else ""
            fail(f"{message.rstrip('.')}.{hint}", code)
        except KeyboardInterrupt:
            fail("Stopped; nothing more was changed.", 130)
        except BrokenPipeError:
            # the reader (head, less) went away: stop quietly, as other Unix tools do
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:  # the last resort: a bug, said in one line, no locals
            if os.environ.get("ALLY_DEBUG"):
                raise
            fail(
                f"Something went wrong inside ally ({type(exc).__name__}), so what it was "
                "doing may not have finished; `ally list` shows what is stored. Run again with "
                "ALLY_DEBUG=1 to see the details, and report them.",
                1,
            )
        sys.exit(code if isinstance(code, int) else 0)


def fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"ally: {message}\n")
    sys.exit(code)


def db_path() -> Path:
    named = os.environ.get("ALLY_DB")
    if named:
        return Path(named).expanduser()
    import platformdirs

    return platformdirs.user_data_path("ally") / "ally.db"


def prompt_paths() -> tuple[Path, ...]:
    from allycli.errors import DataFileError
    from allycli.prompts import builtin_path

    named = os.environ.get("ALLY_PROMPTS")
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise DataFileError(f"ALLY_PROMPTS names {path}, which is not a file.")
        return (builtin_path(), path)
    import platformdirs

    user = platformdirs.user_config_path("ally") / "prompts.yaml"
    return (builtin_path(), user) if user.is_file() else (builtin_path(),)


def context() -> Context:
    from allycli.journal import Context
    from allycli.store import DEFAULT_BUSY_TIMEOUT, Store

    os.umask(0o077)  # everything ally creates is for the user alone
    timeout = os.environ.get("ALLY_BUSY_TIMEOUT")  # seconds; for tests of lock waits
    now = datetime.now().astimezone()
    db = db_path()
    warn_if_shared(db)
    return Context(
        store=Store(db, busy_timeout=float(timeout) if timeout else DEFAULT_BUSY_TIMEOUT),
        today=now.date(),
        now=now,
        prompt_paths=prompt_paths(),
    )


def warn_if_shared(db: Path) -> None:
    from allycli.store import SQLITE_HEADER

    try:
        shared = db.stat().st_mode & 0o077
        with db.open("rb") as fh:
            ours = fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return
    if shared and ours:
        sys.stderr.write(f"ally: warning: {db} can be read by other users; run `chmod 600 {db}`.\n")


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def parse_day(text: str | None, today: date) -> date | None:
    from allycli.dates import parse_date

    return None if text is None else parse_date(text, today)


def complete_activity(incomplete: str) -> list[str]:
    from allycli.taxonomy import ACTION_TYPES, ALIASES, PILLARS

    words = [*ACTION_TYPES, *(p for p in PILLARS if p not in ACTION_TYPES), *ALIASES]
    return [w for w in words if w.startswith(incomplete.lower())]


def complete_pillar(incomplete: str) -> list[str]:
    from allycli.taxonomy import PILLARS

    return [p for p in PILLARS if p.startswith(incomplete.lower())]


def complete_type(incomplete: str) -> list[str]:
    from allycli.taxonomy import ACTION_TYPES

    return [t for t in ACTION_TYPES if t.startswith(incomplete.lower())]


def read_stdin() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    if isinstance(data, bytes):
        from allycli.errors import UsageError

        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError("Standard input is not UTF-8 text; nothing was saved.") from None
    return data.removesuffix("\n").removesuffix("\r")


# -- text a person writes: typed at the terminal, or in their editor -------------------------


def ask_text(lead: str) -> str:
    """Text typed at the terminal with line editing, after `lead` (which says how to finish).

    Drawn on standard output when it is a terminal, else on standard error (so that
    `ally reflect > file` still shows what is being typed).
    """
    from allycli import reader

    on_stdout = sys.stdout.isatty()
    console(stderr=not on_stdout).print(lead, style="dim", markup=False)  # wrapped at words
    return reader.read_text(sys.stdout if on_stdout else sys.stderr)


def editor_command() -> str:
    """$VISUAL, else $EDITOR, else nano when it is installed, else vi."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    import shutil

    return "nano" if shutil.which("nano") else "vi"


def edit_folder() -> Path:
    """Where texts being edited wait: a private folder in ally's own state folder."""
    import platformdirs

    return platformdirs.user_state_path("ally") / "editing"


def edit_text(initial: str, *, about: tuple[str, ...] = (), name: str = "entry") -> str | None:
    """The text written in the person's editor (None when empty); see editor.edit."""
    from allycli import editor

    sys.stdout.flush()
    return editor.edit(
        initial, command=editor_command(), folder=edit_folder(), about=about, name=name
    )
