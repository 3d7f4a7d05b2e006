"""The imperative shell of the command line: the environment, the clock, the terminal.

With cli.py, the only code that reads them. `Boundary` is the one place where domain
errors and usage errors become a sentence on stderr and an exit code. Imports stay light:
everything heavy loads inside the functions that need it.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from rich.console import Console

    from allycli.journal.context import Context


class Boundary(TyperGroup):
    """Where domain errors and usage errors become one sentence on stderr and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from allycli.shell import screen

        argv = list(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
        pager = screen.pager_for(argv)
        if pager is None:
            return self.guarded(argv, *args, **kwargs)
        paging = screen.Paging(pager)
        shown = False
        try:
            return self.guarded(argv, *args, **kwargs)
        except SystemExit as exc:
            shown = exc.code in (0, None)
            raise
        finally:
            paging.finish(show=shown)

    def guarded(self, argv: list[str], *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        from allycli.core.errors import AllyError

        self.context_settings["terminal_width"] = help_width()
        whole_words_in_help()
        plain_metavars(self)

        from allycli.shell import completion

        shell_option = completion.shell_option(argv)
        if shell_option is not None and "_ALLY_COMPLETE" not in os.environ:
            try:
                sys.exit(completion.handle_shell_option(*shell_option))
            except AllyError as exc:
                fail(exc.message, exc.exit_code)
        try:
            code = super().main(*args, **kwargs)
        except AllyError as exc:  # its message already says what to type
            if exc.output:  # what could not be saved, for `ally import -`
                with utf8_stdout() as out:
                    out.write(exc.output)
            fail(exc.message, exc.exit_code)
        except typer.Abort:
            fail("Stopped; nothing was changed.", 130)
        except typer.TyperException as exc:  # click's usage errors, vendored by Typer
            code = getattr(exc, "exit_code", 1)
            fail(usage_message(exc), code)
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

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Every command with its whole first sentence, wrapped, never cut with "..."."""
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


METAVARS = {"output": "FILE", "svg": "FILE", "html": "FILE", "since": "DATE", "until": "DATE"}


def plain_metavars(group: Any) -> None:
    """Options name what they take in words (--note NOTE, --output FILE), not the parser's
    type names (`<str>`, `<path>`)."""
    for command in [group, *group.commands.values()]:
        for param in command.params:
            if getattr(param, "is_flag", True) or param.metavar is not None:
                continue
            longest = max(param.opts, key=len).lstrip("-")
            param.metavar = METAVARS.get(longest, longest.upper())


def examples(*lines: str) -> str:
    """A help epilog with one example a line (never joined with `|`, which reads as a pipe)."""
    head = "Example:" if len(lines) == 1 else "Examples:"
    return "\b\n" + head + "\n" + "\n".join(f"  {line}" for line in lines)


def help_width() -> int:
    """Help is laid out to the terminal's width (at most 80 columns, for reading)."""
    from allycli.shell.screen import terminal_width

    return min(terminal_width(sys.stdout), 80)


def whole_words_in_help() -> None:
    """Click's help wraps with textwrap, which splits words that hold a hyphen and cuts a
    token longer than the width; help text keeps every word whole instead."""
    from typer._click import _textwrap

    base = _textwrap.TextWrapper
    if getattr(base, "whole_words", False):
        return

    class WholeWords(base):  # type: ignore[misc, valid-type]
        whole_words = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.update(break_long_words=False, break_on_hyphens=False)
            super().__init__(*args, **kwargs)

    _textwrap.TextWrapper = WholeWords  # type: ignore[misc]


def at_least_one(option: str, what: str) -> Any:
    """A callback for a whole-number option: 1 or more, said in words (not `x>=1`)."""

    def check(value: int | None) -> int | None:
        if value is not None and value < 1:
            from allycli.core.errors import UsageError

            raise UsageError(f"{option} takes {what}, 1 or more; {value} is not one.")
        return value

    return check


# What to type, for options that take a number.
NUMBER_EXAMPLES = {
    "minutes": "a whole number of minutes, 1 or more, such as --minutes 90 (an hour and a half)",
    "limit": "a whole number, 1 or more, such as --limit 20",
    "year": "a year, such as 2026",
}


def usage_message(exc: Exception) -> str:
    """One sentence for a usage error from the command-line parser, saying what to type.

    Never repeats more of an argument than a short, sanitized excerpt (a stray word may be
    the start of a note).
    """
    from allycli.core.taxonomy import shown

    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    code = getattr(exc, "exit_code", 1)
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "ally"
    param = getattr(exc, "param", None)
    kind = getattr(getattr(param, "type", None), "name", "")
    if param is not None and kind in ("int", "int range") and "is not a valid" in message:
        opts = getattr(param, "opts", None) or [param.name]
        name = opts[0] if opts[0].startswith("-") else opts[0].upper()
        wanted = NUMBER_EXAMPLES.get(param.name or "", "a whole number")
        given = message.split("'")[-2] if message.count("'") >= 2 else ""
        return (
            f"{name} takes {wanted}; '{shown(given, 12)}' is not one. "
            f"Run '{where} --help' to see the options."
        )
    if message.startswith("Got unexpected extra argument"):
        if where.endswith(" log"):
            activity = (ctx.params.get("activity") if ctx is not None else None) or "ACTIVITY"
            return (
                f"ally log takes one activity; put the rest in a note, in quotes: "
                f'ally log {shown(activity, 20)} --note "...".'
            )
        return f"{where} was given more words than it takes. Run '{where} --help' to see its usage."
    end = "" if message.endswith((".", "?", "!")) else "."
    if code != 2:
        return message + end
    if ctx is None or ctx.parent is None:  # an unknown command, or a wrong top-level option
        return f"{message}{end} Run 'ally --help' to see the commands."
    return f"{message}{end} Run '{where} --help' to see the options."


def fail(message: str, code: int) -> NoReturn:
    from allycli.core.sanitize import one_line

    sys.stderr.write(f"ally: {one_line(message)}\n")  # a path or a word may hold anything
    sys.exit(code)


@contextlib.contextmanager
def utf8_stdout() -> Iterator[IO[str]]:
    """Standard output as UTF-8 text, whatever the locale: an export or JSON is data, and
    `ally export > file` must write all of it."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes underneath: it takes text as it is
        yield sys.stdout
        return
    sys.stdout.flush()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        yield out
        out.flush()
    finally:
        with contextlib.suppress(ValueError, OSError):
            out.detach()


def print_json(obj: object) -> None:
    from allycli.core.sanitize import json_text

    with utf8_stdout() as out:
        out.write(json_text(obj, indent=2) + "\n")


def db_path() -> Path:
    named = os.environ.get("ALLY_DB")
    if named:
        return Path(named).expanduser()
    import platformdirs

    return platformdirs.user_data_path("ally") / "ally.db"


def prompt_paths() -> tuple[Path, ...]:
    from allycli.core.errors import DataFileError
    from allycli.core.prompts import builtin_path

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
    from allycli.journal.context import Context
    from allycli.store.database import DEFAULT_BUSY_TIMEOUT, Store

    os.umask(0o077)  # everything ally creates is for the user alone
    timeout = os.environ.get("ALLY_BUSY_TIMEOUT")  # seconds; for tests of lock waits
    now = datetime.now().astimezone()
    db = db_path()
    warn_if_shared(db)
    return Context(
        store=Store(
            db,
            busy_timeout=float(timeout) if timeout else DEFAULT_BUSY_TIMEOUT,
            on_wait=say_waiting,
        ),
        today=now.date(),
        now=now,
        prompt_paths=prompt_paths(),
        drafts_dir=state_path() / "drafts",
        tmp_drafts_dir=tmp_drafts_dir(),
    )


def say_waiting() -> None:
    sys.stderr.write("ally: another program is using the database; waiting for it to finish...\n")
    sys.stderr.flush()


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
        sys.stderr.write(f"ally: warning: {db} can be read by other users; run `chmod 600 {db}`.\n")


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if not unicode_ok(stream):
        from allycli.shell.screen import AsciiStream

        return Console(file=AsciiStream(stream), highlight=False, soft_wrap=False)  # type: ignore[arg-type]
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def interactive() -> bool:
    """Whether a person is at the keyboard: standard input is a terminal."""
    return sys.stdin.isatty()


def confirm(question: str) -> bool:
    """Ask on the terminal; `y` or `yes`, in any case, confirms and anything else declines."""
    sys.stdout.write(f"{question} [y/N] ")  # through the terminal's word wrapping
    sys.stdout.flush()
    try:
        answer = input()
    except EOFError:
        sys.stdout.write("\n")
        return False
    return answer.strip().lower() in ("y", "yes")


def unicode_ok(stream: Any) -> bool:
    return (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").startswith("utf")


def prepare_streams() -> None:
    """Under a locale that cannot show every character (LC_ALL=C, PYTHONUTF8=0), replace
    what the terminal cannot show instead of failing (DESIGN.md, output that cannot harm);
    on a terminal, every line is wrapped at word boundaries to its width."""
    for stream in (sys.stdout, sys.stderr):
        if not unicode_ok(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    from allycli.shell import screen

    screen.wrap_terminal_streams()


def parse_day(text: str | None, today: date, option: str = "--date") -> date | None:
    from allycli.core.dates import parse_date

    return None if text is None else parse_date(text, today, option=option)


def parse_since(text: str, today: date) -> date:
    """A range's first day: a day up to today."""
    from allycli.core.dates import parse_date
    from allycli.core.errors import UsageError

    day = parse_date(text, today, allow_future=True)
    if day > today:
        raise UsageError(
            f"--since {day.isoformat()} is in the future; a range starts on a day up to today "
            f"({today.isoformat()})."
        )
    return day


def parse_until(text: str, today: date) -> date:
    """A range's last day: a day up to today (DESIGN.md: a future DATE is an error)."""
    from allycli.core.dates import parse_date
    from allycli.core.errors import UsageError

    day = parse_date(text, today, allow_future=True)
    if day > today:
        raise UsageError(
            f"--until {day.isoformat()} is in the future; a range ends on a day up to today "
            f"({today.isoformat()}). Leave --until out to end today."
        )
    return day


def complete_activity(incomplete: str) -> list[str]:
    from allycli.core.taxonomy import ACTION_TYPES, ALIASES, PILLARS

    words = [*ACTION_TYPES, *(p for p in PILLARS if p not in ACTION_TYPES), *ALIASES]
    return [w for w in words if w.startswith(incomplete.lower())]


def complete_pillar(incomplete: str) -> list[str]:
    from allycli.core.taxonomy import PILLARS

    return [p for p in PILLARS if p.startswith(incomplete.lower())]


def complete_type(incomplete: str) -> list[str]:
    from allycli.core.taxonomy import ACTION_TYPES

    return [t for t in ACTION_TYPES if t.startswith(incomplete.lower())]


def complete_date(incomplete: str) -> list[str]:
    from allycli.shell.completion import dates

    return dates(incomplete)


def complete_format(incomplete: str) -> list[tuple[str, str]]:
    from allycli.shell.completion import formats

    return formats(incomplete)


def complete_prompt(incomplete: str) -> list[tuple[str, str]]:
    from allycli.core.errors import AllyError
    from allycli.shell.completion import prompt_ids

    try:
        paths = prompt_paths()
    except AllyError:
        return []
    return prompt_ids(incomplete, paths)


def complete_entry_id(incomplete: str) -> list[tuple[str, str]]:
    """Entry ids for `delete` (and `show`, `edit`): `autocompletion=shell.complete_entry_id`."""
    from allycli.shell.completion import entry_ids

    return entry_ids(incomplete, db_path())


def complete_rhythm_spec(incomplete: str) -> list[tuple[str, str]]:
    from allycli.shell.completion import rhythm_specs

    return rhythm_specs(incomplete)


def read_stdin() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    if isinstance(data, bytes):
        from allycli.core.errors import UsageError

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
    from allycli.shell import reader

    on_stdout = sys.stdout.isatty()
    console(stderr=not on_stdout).print(lead, style="dim", markup=False)  # wrapped at words
    from allycli.shell.screen import raw_stream

    return reader.read_text(raw_stream(sys.stdout if on_stdout else sys.stderr))


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
    from allycli.shell import editor

    sys.stdout.flush()
    return editor.edit(
        initial, command=editor_command(), folder=edit_folder(), about=about, name=name
    )
