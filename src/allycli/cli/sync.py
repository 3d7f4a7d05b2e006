"""The `ally sync` command: exchange changes with a PostgreSQL hub (the work is in sync/).

app.py calls `register(app)`; psycopg and cryptography load only inside the command.
"""

from __future__ import annotations

import os

import typer

from allycli.shell import boundary, session


def sync_(
    url: str | None = typer.Option(
        None,
        "--url",
        help="The hub, postgresql://user:password@host/database (or ALLY_SYNC_URL); "
        "remembered after a sync.",
        show_default=False,
    ),
    show_key: bool = typer.Option(
        False, "--show-key", help="Print the key, to set as ALLY_SYNC_KEY on another machine."
    ),
    status: bool = typer.Option(
        False, "--status", help="When the last sync was, what waits, whether the hub answers."
    ),
    forget: bool = typer.Option(False, "--forget", help="Drop the stored URL and key."),
) -> None:
    """Exchange changes with your other machines through a PostgreSQL hub (end-to-end
    encrypted: the hub holds ciphertext only)."""
    from allycli.core.errors import UsageError
    from allycli.render import messages as render
    from allycli.sync import commands

    if sum((show_key, status, forget)) > 1:
        raise UsageError("Choose one of --show-key, --status or --forget.")
    ctx = session.context()
    url = url or os.environ.get("ALLY_SYNC_URL") or None
    key = os.environ.get("ALLY_SYNC_KEY") or None
    if show_key:
        typer.echo(commands.show_key(ctx, key))
    elif forget:
        had = commands.forget(ctx)
        typer.echo(render.sync_forgotten(had))
    elif status:
        typer.echo(render.sync_status(commands.status(ctx, url)))
    else:
        typer.echo(render.synced(commands.run(ctx, url, key)))


def register(app: typer.Typer) -> None:
    app.command(
        "sync",
        epilog=boundary.examples(
            "ally sync --url postgresql://me@db.example.org/ally", "ally sync", "ally sync --status"
        ),
    )(sync_)
