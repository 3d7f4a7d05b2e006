"""What several commands share: the option help for dates and ids, the filters that list,
search and export read, and asking before a change that cannot be undone."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from allycli.shell import completion, session, terminal

if TYPE_CHECKING:
    from allycli.core.filters import Filters
    from allycli.journal.context import Context

DATES = completion.complete_date
DATE_HELP = (
    "YYYY-MM-DD (from 1900), today, yesterday, 'N days ago', 'N weeks ago' or a weekday name."
)
ID_HELP = "The entry's id as `ally list` shows it (4 or more of its first characters)."
HOW = "finish with Ctrl-D or a line with just a dot; Ctrl-C stops without saving"


def spoken(day: str, today: date) -> str:
    """A stored YYYY-MM-DD day as every confirmation names days ("today, Wed 25 Nov")."""
    from allycli.core.dates import spoken as spoken_day

    try:
        return spoken_day(date.fromisoformat(day), today)
    except ValueError:
        return day


def entry_filters(
    ctx: Context,
    since: str | None,
    until: str | None,
    pillar: str | None,
    action_type: str | None,
    kind: str | None,
    limit: int | None,
    *,
    newest_first: bool,
) -> Filters:
    from allycli.core import taxonomy
    from allycli.core.dates import explicit_range
    from allycli.core.errors import UsageError
    from allycli.core.fields import excerpt
    from allycli.core.filters import Filters

    start = session.parse_day(since, ctx.today, "--since")
    end = session.parse_day(until, ctx.today, "--until")
    if start and end:
        explicit_range(start, end)
    if kind is not None and kind not in ("practice", "reflection"):
        raise UsageError(f"--kind is practice or reflection, not '{excerpt(kind)}'.")
    return Filters(
        since=start,
        until=end,
        kind=kind,
        pillar=taxonomy.resolve_pillar(pillar) if pillar else None,
        action_type=resolve_type(ctx, action_type) if action_type else None,
        limit=limit,
        newest_first=newest_first,
    )


def resolve_type(ctx: Context, word: str) -> str:
    """The key of the action type a filter names (`--type`): built-in or one's own."""
    from allycli.journal import types

    return str(types.resolve(ctx, lambda known: known.resolve_action_type(word)))


def able_to_ask(yes: bool) -> None:
    """Refuse now, before any work, when a question will need a terminal that is not there."""
    from allycli.core.errors import UsageError

    if not yes and not terminal.interactive():
        raise UsageError(
            "Standard input is not a terminal, so ally cannot ask first; add --yes to go ahead."
        )


def ask_or_refuse(question: str, yes: bool) -> bool:
    """--yes, or a `y`/`yes` at the terminal; with no terminal to ask on, a usage error."""
    able_to_ask(yes)
    return yes or terminal.confirm(question)
