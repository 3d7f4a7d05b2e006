"""The `ally sync` command: exchange changes with a PostgreSQL hub (the work is in sync/).

app.py calls `register(app)`; psycopg and cryptography load only inside the command.
"""

from __future__ import annotations

import os

import typer

from allycli.shell import boundary, output, session


def sync_(
    url: str | None = typer.Option(
        None,
        "--url",
        help="The hub, postgresql://user@host/database (or ALLY_SYNC_URL; the password in "
        "~/.pgpass); remembered, without a password, after a sync.",
        show_default=False,
    ),
    show_key: bool = typer.Option(
        False, "--show-key", help="Print the key, to set as ALLY_SYNC_KEY on another machine."
    ),
    status: bool = typer.Option(
        False,
        "--status",
        help="When the last sync was, what waits, whether the hub answers and accepts the key, "
        "and a fingerprint of the journal to compare with other machines.",
    ),
    forget: bool = typer.Option(False, "--forget", help="Drop the stored URL and key."),
    repair: bool = typer.Option(
        False,
        "--repair",
        help="After a sync, remove from the hub the rows that do not open here (asks first).",
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="With --repair: do not ask first."),
) -> None:
    """Exchange changes with your other machines through a PostgreSQL hub (end-to-end
    encrypted: the hub holds ciphertext only)."""
    from allycli.cli.common import able_to_ask, ask_or_refuse
    from allycli.core.errors import SyncError, UsageError
    from allycli.render import messages as render
    from allycli.sync import commands

    if sum((show_key, status, forget, repair)) > 1:
        raise UsageError("Choose one of --show-key, --status, --forget or --repair.")
    ctx = session.context()
    if commands.password_in(url):
        output.warn(render.sync_password_warning())
    url = url or os.environ.get("ALLY_SYNC_URL") or None
    key = os.environ.get("ALLY_SYNC_KEY") or None
    if show_key:
        shown = commands.show_key(ctx, key)
        output.say(shown.key)
        if not shown.confirmed:
            output.warn(render.sync_key_unconfirmed(shown.other_hub))
    elif forget:
        had = commands.forget(ctx)
        output.say(render.sync_forgotten(had))
    elif status:
        output.say(render.sync_status(commands.status(ctx, url, key)))
    else:
        if repair:
            able_to_ask(yes)  # the question comes after the sync: refuse before it starts
        result = commands.run(ctx, url, key, lambda what: output.warn(f"ally: {what}"))
        output.say(render.synced(result))
        question = render.sync_repair_question(result.refused)
        if result.refused and repair and ask_or_refuse(question, yes):
            output.say(render.sync_repaired(commands.repair(ctx, url, key)))
            return
        if result.refused:
            raise SyncError(render.sync_refused(result.refused), after_commit=True)


def register(app: typer.Typer) -> None:
    app.command(
        "sync",
        epilog=boundary.examples(
            "ally sync --url postgresql://me@db.example.org/ally", "ally sync", "ally sync --status"
        ),
    )(sync_)
