"""`ally type`: action types of one's own (add, list, rename, retire, retire --undo).

app.py calls `register(app)`; nothing heavy is imported at module level.
"""

from __future__ import annotations

from typing import Any

import typer

from allycli.shell import boundary, completion, output, session

NAME_HELP = "2 to 32 lower-case letters, digits and hyphens, starting with a letter."


def own_type_argument(metavar: str) -> Any:
    """The argument that names one of one's own types, completed on TAB."""
    return typer.Argument(
        ...,
        metavar=metavar,
        help="The type's name (or key, or alias).",
        show_default=False,
        autocompletion=completion.complete_own_type,
    )


types_app = typer.Typer(
    cls=boundary.Boundary,  # its command list: whole first sentences, never cut
    name="type",
    help="Add action types of your own, and list, rename or retire them.",
    no_args_is_help=True,
    rich_markup_mode=None,
    epilog=boundary.examples(
        "ally type add mutual-aid --pillar action --alias aid",
        "ally type list",
        "ally type rename mutual-aid solidarity",
        "ally type retire solidarity",
    ),
)


@types_app.command(
    "add",
    epilog=boundary.examples(
        "ally type add mutual-aid --pillar action --about 'food, rides, rent' --alias aid"
    ),
)
def add(
    name: str = typer.Argument(..., metavar="NAME", help=NAME_HELP, show_default=False),
    pillar: str = typer.Option(
        ...,
        "--pillar",
        "-p",
        help="Its pillar: action, listening, learning or yielding.",
        autocompletion=completion.complete_pillar,
    ),
    about: str | None = typer.Option(None, "--about", help="What it covers, in a few words."),
    aliases: list[str] | None = typer.Option(
        None, "--alias", help="Another word for it (give --alias again for more)."
    ),
) -> None:
    """Add an action type of your own: log it, report it and give it a rhythm like any other."""
    from allycli.journal import types as cases
    from allycli.render import types as render

    ctx = session.context()
    added = cases.add(ctx, name, pillar, about, aliases or ())
    output.say(render.added(added))


@types_app.command("list", epilog=boundary.examples("ally type list", "ally type list --json"))
def list_types(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """Every action type, built-in and your own: name, pillar, meaning, entries and state."""
    from allycli.journal import types as cases

    ctx = session.context()
    rows = cases.listing(ctx)
    from allycli.render import types as render

    with output.paged():
        if as_json:
            output.print_json([r.to_json() for r in rows])
        else:
            output.say(render.type_list(rows, ctx.today))


@types_app.command("rename", epilog=boundary.examples("ally type rename mutual-aid solidarity"))
def rename(
    old: str = own_type_argument("OLD"),
    new: str = typer.Argument(..., metavar="NEW", help=NAME_HELP, show_default=False),
) -> None:
    """Show one of your own types under a new name; the old one stays a word for it."""
    from allycli.journal import types as cases
    from allycli.render import types as render

    ctx = session.context()
    changed = cases.rename(ctx, old, new)
    output.say(render.renamed(changed))


@types_app.command(
    "retire",
    epilog=boundary.examples("ally type retire solidarity", "ally type retire --undo solidarity"),
)
def retire(
    name: str = own_type_argument("NAME"),
    undo: bool = typer.Option(False, "--undo", help="Bring a retired type back."),
) -> None:
    """Retire one of your own types: no new entries and no gap; its history stays."""
    from allycli.journal import types as cases
    from allycli.render import types as render

    ctx = session.context()
    changed = cases.retire(ctx, name, undo=undo)
    output.say(render.retired(changed, undo=undo))


def register(app: typer.Typer) -> None:
    for command in types_app.registered_commands:
        command.cls = boundary.Command  # output errors said as for every other command
    app.add_typer(types_app)
