"""The error boundary: where domain errors and usage errors become one sentence on stderr
and an exit code.

Typer is handed `Boundary` as the app's group class and `Command` as every command's class,
so the boundary never imports the app. Help is laid out by `HelpFormatter`, which keeps
every word whole; a value the command line cannot take is refused by ally's own parsers with
ally's own `BadParameter`, whose sentence is said as it is.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from allycli.shell import output, terminal


class BadParameter(typer.BadParameter):
    """A value the command line cannot take, refused by one of ally's parsers: its message
    is the whole sentence to show (exit 2)."""

    def __init__(self, sentence: str, *, hint: bool = False) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.hint = hint

    def said(self) -> str:
        """The sentence, with where to read the options when `hint` asks for it."""
        where = self.ctx.command_path if self.ctx is not None else "ally"
        more = f" Run '{where} --help' to see the options." if self.hint else ""
        return self.sentence + more


TABLE_ROW = re.compile(r"^(\S+) {2,}(\S.*)$")  # a row of a table in help text: KEY  what


# click's formatter, reached through Typer's public Context (mypy sees a variable, not a type)
class HelpFormatter(typer.Context.formatter_class):  # type: ignore[name-defined, misc, valid-type]
    """Help laid out to the terminal's width with every word whole: a word holding a hyphen
    is never split, and on a terminal a token longer than the width (a URL, a path) stands
    alone on its lines. Widths count characters, as click's own formatter does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fold = output.a_terminal(sys.stdout)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = "Usage: " if prefix is None else prefix
        lead = f"{prefix:>{self.current_indent}}{prog} "
        width = self.width - self.current_indent
        if width >= len(lead) + 20:
            self.write(self.wrap(args, width, lead, " " * len(lead)) + "\n")
        else:
            indent = " " * (max(self.current_indent, len(prefix)) + 4)
            self.write(lead + "\n" + self.wrap(args, width, indent, indent) + "\n")

    def write_text(self, text: str) -> None:
        """Click's paragraphs; a `\b` paragraph whose lines after the first are each a key,
        two spaces and what it covers is a table, laid out as the options are."""
        indent = " " * self.current_indent
        for n, block in enumerate(text.split("\n\n")):
            lines = [line for line in block.splitlines() if line]
            if n:
                self.write("\n")
            rows = [TABLE_ROW.match(x.strip()) for x in lines[2:]]
            if len(lines) > 2 and lines[0].strip() == "\b" and all(rows):
                self.write(self.wrap(lines[1], self.width, indent, indent) + "\n")
                self.indent()
                self.write_dl([(m.group(1), m.group(2)) for m in rows if m])
                self.dedent()
            else:
                self.write(self.wrap(block, self.width, indent, indent, paragraphs=True) + "\n")

    # Below this many columns for the descriptions, a table stacks: each key on its line and
    # what it covers under it, indented (a description of 20 columns reads as a word list).
    NARROWEST = 28

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        """A table of keys and what each covers: side by side where the descriptions have
        room (continuation lines under the description, never under the keys), else each
        key on its line with its description indented under it."""
        rows = list(rows)
        first_col = min(max((len(r[0]) for r in rows), default=0), col_max) + col_spacing
        lead = " " * self.current_indent
        room = self.width - self.current_indent - first_col
        longest = max((len(w) for _, second in rows for w in (second or "").split()), default=0)
        if room < self.NARROWEST or longest > room:
            self.write_stacked(rows)
            return
        for first, second in rows:
            self.write(f"{lead}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = self.wrap(second, max(self.width - first_col - 2, 10), "", "",
                              paragraphs=True).splitlines() or [""]  # fmt: skip
            self.write(self.folded(f"{lead}{' ' * first_col}{lines[0]}")[len(lead) + first_col :])
            for line in lines[1:]:
                self.write("\n" + self.folded(f"{lead}{' ' * first_col}{line}"))
            self.write("\n")

    def write_stacked(self, rows: list[tuple[str, str]]) -> None:
        lead = " " * self.current_indent
        under = lead + " " * 4
        for first, second in rows:
            self.write(self.folded(f"{lead}{first}") + "\n")
            if second:
                self.write(self.wrap(second, self.width, under, under, paragraphs=True) + "\n")

    def wrap(
        self, text: str, width: int, first: str, rest: str, *, paragraphs: bool = False
    ) -> str:
        """Click's paragraphs (blank lines between, `\\b` before one that keeps its lines),
        each wrapped at spaces only."""
        wrapper = textwrap.TextWrapper(
            width, initial_indent=first, subsequent_indent=rest, replace_whitespace=False,
            break_long_words=False, break_on_hyphens=False,
        )  # fmt: skip
        text = text.expandtabs()
        if not paragraphs:
            return "\n".join(self.folded(line) for line in wrapper.fill(text).splitlines())
        shown = []
        for block in text.split("\n\n"):
            lines = [line for line in block.splitlines() if line]
            if not lines:
                continue
            keep = lines[0].strip() == "\b"
            lines = lines[1:] if keep else lines
            if not lines:
                continue
            inner = " " * (len(lines[0]) - len(lines[0].lstrip()))
            if keep:
                rows = [row for line in lines for row in self.continued(first + inner + line)]
            else:
                wrapper.initial_indent, wrapper.subsequent_indent = first + inner, rest + inner
                rows = wrapper.fill(" ".join(line.strip() for line in lines)).splitlines()
            shown.append("\n".join(self.folded(row) for row in rows))
        return "\n\n".join(shown)

    def continued(self, line: str) -> list[str]:
        """A command in help longer than the width, as a shell takes it over several lines:
        broken at spaces, each row but the last ending in ` \\`, the rest indented, so that
        it can be copied whole and never reads as two commands."""
        if len(line) <= self.width or not line.lstrip().startswith("ally "):
            return [line]
        indent = len(line) - len(line.lstrip())
        rows: list[str] = []
        current = line[:indent]
        for word in re.findall(r"(?:'[^']*'|\"[^\"]*\"|[^\s'\"])+", line[indent:]):
            if current.strip() and len(current) + 1 + len(word) + 2 > self.width:
                rows.append(current + " \\")
                current = " " * max(0, min(indent + 4, self.width - len(word))) + word
            else:
                current = current + (" " if current.strip() else "") + word
        return [*rows, current]

    def folded(self, line: str) -> str:
        """On a terminal, a line longer than the width broken at spaces, and a token longer
        than the width cut into rows of its own."""
        if not self.fold or len(line) <= self.width:
            return line
        from allycli.render.wrapping import wrapped

        return wrapped(line, self.width)


class Context(typer.Context):
    """Typer's context, with ally's help formatter."""

    formatter_class = HelpFormatter


class Command(TyperCommand):
    """Every ally command: ally's context, and more words than it takes refused in one
    sentence (`ally log` says to put the rest in a note)."""

    context_class = Context

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        extra_allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = extra_allowed
        if ctx.args and not extra_allowed and not ctx.resilient_parsing:
            raise BadParameter(too_many_words(ctx))
        return rest

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line names arguments one way: ACTIVITY when it must be given, [ID]
        when it may be, WORDS... or [CATEGORY]... when several may follow."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name != "argument":
                pieces += param.get_usage_pieces(ctx)
                continue
            name = argument_name(param)
            shown = name if param.required else f"[{name}]"
            pieces.append(shown + ("..." if param.nargs != 1 else ""))
        return pieces


def argument_name(param: Any) -> str:
    """An argument's name as help shows it: its metavar or its name, in capitals, without
    the brackets and dots that the usage line adds."""
    return (param.metavar or param.name or "").strip("[]{}.").upper()


def too_many_words(ctx: Any) -> str:
    where = ctx.command_path
    if ctx.command.name == "log":
        from allycli.core.fields import excerpt

        activity = ctx.params.get("activity") or "ACTIVITY"
        return (
            f"ally log takes one activity; put the rest in a note, in quotes: "
            f'ally log {excerpt(activity, 20)} --note "...".'
        )
    return f"{where} was given more words than it takes. Run '{where} --help' to see its usage."


class Boundary(TyperGroup):
    """Where domain errors and usage errors become one sentence on stderr and an exit code."""

    context_class = Context

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """The command line run inside the boundary; it always ends with sys.exit."""
        kwargs["standalone_mode"] = False
        from allycli.core.errors import AllyError

        output.begin()
        self.context_settings["terminal_width"] = help_width()
        plain_metavars(self)

        from allycli.shell import completion

        argv = list(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
        shell_option = completion.shell_option(argv)
        if shell_option is not None and "_ALLY_COMPLETE" not in os.environ:
            try:
                sys.exit(completion.handle_shell_option(*shell_option))
            except AllyError as exc:
                fail(exc.message, exc.exit_code)
        terminal.forget_commit()  # one command, one answer (tests run many in one process)
        output.mark_stdout_errors()  # an error writing it is known as such, whoever wrote
        from allycli.shell import signals

        try:
            with signals.ending_keeps_words():  # SIGTERM and SIGHUP keep words as Ctrl-C does
                code = super().main(*args, **kwargs)
            if sys.stdout is not None:
                sys.stdout.flush()  # a full standard output is found here, not at exit
        except AllyError as exc:  # its message already says what to type
            if terminal.committed() and not exc.after_commit:
                terminal.saved_but(f"a later step did not finish: {exc.message}", finish=True)
            if exc.output:  # what could not be saved, for `ally import -`
                with output.data() as out:
                    out.write(exc.output)
            fail(exc.message, exc.exit_code)
        except typer.Abort:
            fail("Stopped; nothing was changed.", 130)
        except BadParameter as exc:
            fail(exc.said(), 2)
        except typer.TyperException as exc:  # the command-line parser's usage errors
            code = getattr(exc, "exit_code", 1)
            fail(usage_message(exc), code)
        except KeyboardInterrupt as stop:  # Ctrl-C, SIGTERM or SIGHUP
            if terminal.committed():
                terminal.saved_but("then ally was stopped.", finish=True)
            fail("Stopped; nothing more was changed.", signals.exit_code_of(stop))
        except OutputFailed as failed:
            output_failed(failed.error)
        except OSError as exc:
            if not (output.output_error(exc) or _from_output(exc)):
                inside(exc)
            output_failed(exc)
        except Exception as exc:  # the last resort: a bug, said in one line, no locals
            inside(exc)
        sys.exit(code if isinstance(code, int) else 0)

    order: tuple[str, ...] = ()  # the order of `ally --help`'s commands, set by the app

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands in `order` (a group of commands, such as `ally type`, among them)."""
        names: list[str] = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(self.order)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))

    def invoke(self, ctx: Any) -> Any:
        """Run the command; an error writing standard output leaves as OutputFailed, which
        click does not take for its own (it ends a broken pipe with exit 1)."""
        with _output_failures():
            return super().invoke(ctx)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Parse the command line (`--help` and `--version` print here), as `invoke` does."""
        with _output_failures():
            return super().make_context(*args, **kwargs)

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
        if command is not group and hasattr(command, "commands"):
            plain_metavars(command)  # a group of its own (`ally type add`)
        for param in command.params:
            if param.param_type_name == "argument":
                param.metavar = argument_name(param)  # ACTIVITY, ID: as the usage line says
                continue
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
    return min(output.terminal_width(), 80)


def whole_number(option: str, what: str, example: str = "") -> Callable[[Any], int]:
    """The parser of a whole-number option or argument: 1 or more, said in words (never the
    parser's `x>=1`). `what` names the number ("a whole number of minutes"); `example`
    shows one ("such as --minutes 90")."""

    def parse(given: Any) -> int:
        if isinstance(given, int):  # a default value
            return given
        from allycli.core.fields import excerpt

        try:
            value = int(str(given).strip())
        except ValueError:
            wanted = f"{what}, {example}" if example else what
            raise BadParameter(f"{option} takes {wanted}; '{excerpt(str(given), 12)}' is not one.",
                               hint=True) from None  # fmt: skip
        if value < 1:
            raise BadParameter(f"{option} takes {what}, 1 or more; {value} is not one.")
        return value

    return parse


MINUTES = whole_number(
    "--minutes", "a whole number of minutes", "1 or more, such as --minutes 90 (an hour and a half)"
)
LIMIT = whole_number("--limit", "a whole number", "1 or more, such as --limit 20")


def year(given: Any) -> int:
    """The parser of a YEAR argument: a whole number (its range is the command's to check)."""
    if isinstance(given, int):
        return given
    from allycli.core.fields import excerpt

    try:
        return int(str(given).strip())
    except ValueError:
        raise BadParameter(f"YEAR takes a year, such as 2026; '{excerpt(str(given), 12)}' is not "
                           "one.", hint=True) from None  # fmt: skip


@contextlib.contextmanager
def _output_failures() -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        if output.output_error(exc) or _from_output(exc):
            raise OutputFailed(exc) from exc
        raise


class OutputFailed(Exception):
    """Writing standard output failed (`error`): the reader left, or the output is full or
    unusable."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror)
        self.error = error


def output_failed(exc: OSError) -> NoReturn:
    """Standard output could not be written (the reader went away, a full disk, a closed
    stream): said in one line, or not at all for a reader that left (exit 0, as other
    Unix tools do)."""
    output.silence_stdout()  # so that Python's own flush at exit does not fail again
    if isinstance(exc, BrokenPipeError):  # the reader (head, less) went away: stop quietly
        if terminal.committed():
            terminal.saved_but("the reader of standard output went away before the confirmation.")
        sys.exit(0)
    if terminal.committed():  # the change is stored: the confirmation is what is missing
        terminal.saved_but(
            f"the confirmation could not be printed on standard output ({exc.strerror}).",
            finish=True,
        )
    fail(f"Could not write to standard output ({exc.strerror}); nothing was changed.", 1)


def _from_output(exc: OSError) -> bool:
    """Whether an OSError came from writing standard output: raised where click, Rich or the
    shell's own writers write (the innermost Python frame), not by a file ally reads."""
    if exc.filename is not None or exc.errno is None:
        return False
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = tb.tb_frame.f_code.co_filename.replace(os.sep, "/") if tb is not None else ""
    writers = ("/click/", "/rich/", "/typer/", "/shell/output.py", "/shell/boundary.py")
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


def usage_message(exc: Exception) -> str:
    """One sentence for a usage error from the command-line parser (an unknown option or
    command, a missing argument), with where to read the usage."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    code = getattr(exc, "exit_code", 1)
    ctx = getattr(exc, "ctx", None)
    end = "" if message.endswith((".", "?", "!")) else "."
    if code != 2:
        return message + end
    if ctx is None or ctx.parent is None:  # an unknown command, or a wrong top-level option
        return f"{message}{end} Run 'ally --help' to see the commands."
    return f"{message}{end} Run '{ctx.command_path} --help' to see the options."


def fail(message: str, code: int) -> NoReturn:
    from allycli.core.sanitize import one_line

    output.warn(f"ally: {one_line(message)}")  # a path or a word may hold anything
    sys.exit(code)
