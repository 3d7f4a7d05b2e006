"""`ally today` (and plain `ally` once the journal holds an entry): the day at a glance.

app.py calls `register(app)`; nothing heavy is imported at module level.
"""

from __future__ import annotations

import typer

from allycli.shell import boundary, output, session


def today(
    as_json: bool = typer.Option(False, "--json", help="Print the day as JSON."),
    short: bool = typer.Option(
        False,
        "--short",
        help="One line of at most 40 characters for a shell prompt or a status bar; nothing "
        "when no unit is open and the prompt is answered.",
    ),
) -> None:
    """The day at a glance: what you logged, what is still open, today's prompt, your streak."""
    if short:
        if as_json:
            from allycli.core.errors import UsageError

            raise UsageError("Choose --json or --short, not both.")
        show_short()
        return
    show(as_json=as_json)


def show(*, as_json: bool = False) -> None:
    from allycli.journal import today as cases

    ctx = session.context(ask=False)  # never asks for a passphrase
    result = cases.today(ctx)
    if as_json:
        output.print_json(result.to_json())
        return
    from allycli.render import today as render

    for line in render.today(result):  # each a message: wrapped on a terminal, whole piped
        output.say(line)


def show_short() -> None:
    """The short line, or nothing; it never asks and never fails loudly: a shell prompt or
    a status bar runs it all day, so a journal it cannot read prints nothing, exit 0."""
    from allycli.core.errors import AllyError
    from allycli.journal import today as cases
    from allycli.render import today as render

    try:
        ctx = session.context(ask=False)
        line = render.short(cases.today(ctx, with_entries=False))
    except AllyError:
        return
    if line:
        output.plain(line)


def register(app: typer.Typer) -> None:
    app.command(epilog=boundary.examples("ally today", "ally today --short", "ally today --json"))(
        today
    )
