"""The command line: the Typer app, and the order in which each group registers its commands.

Each module of cli/ holds one group of thin commands (parse flags, call a use case of
journal/, hand its result to render/) and a `register(app)`. shell/ holds the error boundary
and what reads the environment, clock and terminal. Nothing heavy is imported at module
level, so `--help`, `--version` and TAB completion stay fast.
"""

from __future__ import annotations

import typer

from allycli import __version__
from allycli.cli import entries, files, locking, practice, review, rhythms, sync, today, types
from allycli.shell import boundary, output, session, terminal

app = typer.Typer(
    cls=boundary.Boundary,
    name="ally",
    help="Practice allyship daily: log what you do, reflect on a prompt, and review your "
    "practice, its streaks and its gaps. Everything stays on this machine.",
    invoke_without_command=True,
    epilog=(
        "\b\nExamples:\n"
        '  ally log listening --note "Heard out a colleague"\n'
        "  ally log protest --minutes 90\n"
        "  ally reflect\n"
        "  ally report --month\n"
        "  ally calendar\n"
        "\n"
        "Run 'ally COMMAND --help' for a command's options and an example."
    ),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        output.plain(f"ally {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", help="Show the version and exit.", callback=_version, is_eager=True
    ),
    no_pager: bool = typer.Option(
        False, "--no-pager", help="Print long output straight to the terminal, without a pager."
    ),
) -> None:
    """Practice allyship daily: log, reflect, review. Everything stays on this machine."""
    if no_pager:
        output.no_pager()
    if ctx.invoked_subcommand is None:
        from allycli.journal.today import has_entries

        if has_entries(session.context(ask=False)):  # the day at a glance, once there is a journal
            today.show()
            return
        output.say(OVERVIEW)


# Each command on a line of its own and what it does under it, so that at 40 columns
# a wrapped description never reads as another command.
OVERVIEW = """\
ally: practice allyship daily, and see where it has gaps.
Everything stays on this machine.

Start with:
  ally log listening --note "..."
      record what you did
  ally reflect
      answer today's prompt
  ally report
      review this week

Then: ally calendar, ally list, and ally --help for more."""


for group in (practice, review, today, files, sync, rhythms, entries, locking, types):
    group.register(app)

# `ally --help` lists the commands in the order a person meets them: log, reflect and report,
# then the rest grouped as the README groups them (review, rhythms, finding and fixing, files,
# looking after the journal, sync). A command not named here comes last.
HELP_ORDER = [
    "log",
    "reflect",
    "report",
    "today",
    "calendar",
    "rhythm",
    "pause",
    "type",
    "list",
    "search",
    "show",
    "edit",
    "delete",
    "export",
    "import",
    "backup",
    "restore",
    "doctor",
    "sync",
    "encrypt",
    "unlock",
    "lock",
    "passwd",
    "decrypt",
]


def _help_rank(name: str) -> int:
    return HELP_ORDER.index(name) if name in HELP_ORDER else len(HELP_ORDER)


boundary.Boundary.order = tuple(HELP_ORDER)  # groups of commands (`ally type`) too
for command in app.registered_commands:
    command.cls = boundary.Command
app.registered_commands.sort(
    # every command here is registered with its function, so the callback is never None
    key=lambda c: _help_rank(c.name or c.callback.__name__.rstrip("_"))  # type: ignore[union-attr]
)


def main() -> None:
    terminal.prepare_streams()
    app(prog_name="ally")
