"""The error boundary: where domain errors and usage errors become one sentence on stderr
and an exit code.

Typer is handed `Boundary` as the app's group class, so the boundary never imports the app.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from allycli.shell import terminal
from allycli.shell.terminal import utf8_stdout


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
        """The command line run inside the boundary; it always ends with sys.exit."""
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
        terminal.forget_commit()  # one command, one answer (tests run many in one process)
        closed = sys.stdout is None  # started with standard output closed (`>&-`)
        if closed:
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
        from allycli.shell import signals

        try:
            with signals.ending_keeps_words():  # SIGTERM and SIGHUP keep words as Ctrl-C does
                code = super().main(*args, **kwargs)
            sys.stdout.flush()  # a full standard output is found here, not at exit
            if closed:
                raise OSError(errno.EBADF, "standard output is closed")
        except AllyError as exc:  # its message already says what to type
            if terminal.committed() and not exc.after_commit:
                terminal.saved_but(f"a later step did not finish: {exc.message}", finish=True)
            if exc.output:  # what could not be saved, for `ally import -`
                with utf8_stdout() as out:
                    out.write(exc.output)
            fail(exc.message, exc.exit_code)
        except typer.Abort:
            fail("Stopped; nothing was changed.", 130)
        except typer.TyperException as exc:  # click's usage errors, vendored by Typer
            code = getattr(exc, "exit_code", 1)
            fail(usage_message(exc), code)
        except KeyboardInterrupt as stop:  # Ctrl-C, SIGTERM or SIGHUP
            if terminal.committed():
                terminal.saved_but("then ally was stopped.", finish=True)
            fail("Stopped; nothing more was changed.", signals.exit_code_of(stop))
        except BrokenPipeError:
            # the reader (head, less) went away: stop quietly, as other Unix tools do
            terminal.silence_stdout()
            if terminal.committed():
                terminal.saved_but(
                    "the reader of standard output went away before the confirmation."
                )
            sys.exit(0 if terminal.committed() else 1)
        except OSError as exc:
            if not _from_output(exc):
                inside(exc)
            terminal.silence_stdout()  # so that Python's own flush at exit does not fail again
            if terminal.committed():  # the change is stored: the confirmation is what is missing
                terminal.saved_but(
                    f"the confirmation could not be printed on standard output ({exc.strerror}).",
                    finish=True,
                )
            fail(f"Could not write to standard output ({exc.strerror}); nothing was changed.", 1)
        except Exception as exc:  # the last resort: a bug, said in one line, no locals
            inside(exc)
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


def _from_output(exc: OSError) -> bool:
    """Whether an OSError came from writing standard output: raised where click, Rich or the
    shell's own writers write (the innermost Python frame), not by a file ally reads."""
    if exc.filename is not None or exc.errno is None:
        return False
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = tb.tb_frame.f_code.co_filename.replace(os.sep, "/") if tb is not None else ""
    writers = ("/click/", "/rich/", "/typer/", "/shell/terminal.py", "/shell/boundary.py")
    return any(w in where for w in writers)


def inside(exc: Exception) -> NoReturn:
    """The last resort for a bug: one line, no locals. After a commit it says that the change
    was saved, with exit 0: a saved change is never reported as failed."""
    if os.environ.get("ALLY_DEBUG"):
        raise exc
    if terminal.committed():
        terminal.saved_but(
            f"then a later step did not finish ({type(exc).__name__}); `ally list` shows "
            "what is stored.",
            finish=True,
        )
    fail(
        f"Something went wrong inside ally ({type(exc).__name__}), so what it was "
        "doing may not have finished; `ally list` shows what is stored. Run again with "
        "ALLY_DEBUG=1 to see the details, and report them.",
        1,
    )


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
    from allycli.core.fields import excerpt

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
            f"{name} takes {wanted}; '{excerpt(given, 12)}' is not one. "
            f"Run '{where} --help' to see the options."
        )
    if message.startswith("Got unexpected extra argument"):
        if where.endswith(" log"):
            activity = (ctx.params.get("activity") if ctx is not None else None) or "ACTIVITY"
            return (
                f"ally log takes one activity; put the rest in a note, in quotes: "
                f'ally log {excerpt(activity, 20)} --note "...".'
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
