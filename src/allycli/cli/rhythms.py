"""The `ally rhythm` and `ally pause` commands.

app.py calls `register(app)`; nothing heavy is imported at module level.
"""

from __future__ import annotations

import typer

from allycli.cli.common import DATE_HELP
from allycli.shell import boundary, completion, output, session, terminal


def rhythm(
    category: str | None = typer.Argument(
        None,
        help="practice, a pillar or an action type (aliases and prefixes work).",
        autocompletion=completion.complete_category,
        show_default=False,
    ),
    spec: str | None = typer.Argument(
        None,
        help="N/day, N/week, N/month, N/Kd, Mmin/week (and the like), off or default.",
        autocompletion=completion.complete_rhythm_spec,
        show_default=False,
    ),
    as_json: bool = typer.Option(False, "--json", help="Print every category as JSON."),
) -> None:
    """Say how often you mean to practice a category, or list every rhythm."""
    from allycli.journal import rhythms as rhythm_cases
    from allycli.render import rhythms as render_rhythms

    ctx = session.context()
    if spec is not None:
        assert category is not None
        if as_json:
            from allycli.core.errors import UsageError

            raise UsageError("--json lists rhythms; leave it out when setting one.")
        change = rhythm_cases.set_rhythm(ctx, category, spec)
        output.say(render_rhythms.rhythm_changed(change))
        return
    views = rhythm_cases.list_rhythms(ctx)
    if category is not None:
        wanted = rhythm_cases.resolve_category(category)
        views = tuple(v for v in views if v.category == wanted)
    with output.paged():
        if as_json:
            output.print_json([v.to_json() for v in views])
        else:
            output.say(render_rhythms.rhythm_table(views))


def pause(
    categories: list[str] | None = typer.Argument(
        None,
        metavar="[CATEGORY]...",
        help="The categories to pause (practice, pillars, action types); none: all of them.",
        show_default=False,
    ),
    since: str | None = typer.Option(None, "--since", help=f"First day of rest: {DATE_HELP}"),
    until: str | None = typer.Option(None, "--until", help="Last day of rest (YYYY-MM-DD)."),
    note: str | None = typer.Option(None, "--note", "-n", help="Why, in a few words."),
    show_list: bool = typer.Option(False, "--list", help="Show every pause and its id."),
    as_json: bool = typer.Option(False, "--json", help="With --list: print JSON."),
    end: str | None = typer.Option(None, "--end", metavar="ID", help="End a pause yesterday."),
    cancel: str | None = typer.Option(
        None, "--cancel", metavar="ID", help="Remove a pause entirely."
    ),
) -> None:
    """Pause categories (or all of them) from one day to another: a paused day is never a
    gap, and streaks and momentum wait for you. Rest is part of a practice that lasts."""
    from allycli.core import dates
    from allycli.core.errors import UsageError
    from allycli.journal import rhythms as rhythm_cases
    from allycli.render import rhythms as render_rhythms

    ctx = session.context()
    modes = sum((show_list, end is not None, cancel is not None))
    adding = bool(categories) or since is not None or until is not None or note is not None
    if modes > 1 or (modes and adding):
        raise UsageError(
            "Choose one of: a new pause (--since/--until), --list, --end ID or --cancel ID."
        )
    if as_json and not show_list:
        raise UsageError("--json goes with --list: `ally pause --list --json`.")
    if show_list:
        found = rhythm_cases.list_pauses(ctx)
        with output.paged():
            if as_json:
                output.print_json([p.to_json() for p in found])
            elif not found:
                output.say("No pauses. `ally pause --since DATE --until DATE` adds one.")
            else:
                output.say(render_rhythms.pause_table(found, ctx.today))
        return
    if end is not None:
        output.say(render_rhythms.pause_changed(rhythm_cases.end_pause(ctx, end), ctx.today))
        return
    if cancel is not None:
        output.say(render_rhythms.pause_changed(rhythm_cases.cancel_pause(ctx, cancel), ctx.today))
        return
    ahead = f"{rhythm_cases.MAX_PAUSE_DAYS} days ahead"  # the use case keeps that end
    start = stop = None
    if since is not None:
        start = dates.parse_date(
            since, ctx.today, allow_future=True, option="--since", latest=ahead
        )
    if until is not None:
        stop = dates.parse_date(until, ctx.today, allow_future=True, option="--until", latest=ahead)
    text = terminal.read_stdin() if note == "-" else note
    added = rhythm_cases.add_pause(ctx, categories or [], start, stop, text)
    output.say(render_rhythms.pause_added(added, ctx.today))


def register(app: typer.Typer) -> None:
    app.command(
        # a spec such as -1min/day is an argument to refuse with a hint, not an option
        context_settings={"ignore_unknown_options": True},
        epilog=boundary.examples(
            "ally rhythm",
            "ally rhythm listening 3/week",
            "ally rhythm money 1/month",
            "ally rhythm voting off",
            "ally rhythm --json",
        ),
    )(rhythm)
    app.command(
        epilog=boundary.examples(
            "ally pause --since 2026-12-21 --until 2026-12-27 --note 'family'",
            "ally pause protest --since today --until 2026-12-31",
            "ally pause --list",
            "ally pause --end 3f2a9c1e",
        ),
    )(pause)
