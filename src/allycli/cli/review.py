"""The commands that review the journal: `ally report` and `ally calendar`.

app.py calls `register(app)` and lists the commands in the order of `ally --help`; as
thin as the other commands, and nothing heavy is imported at module level.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from allycli.cli.common import DATE_HELP, DATES
from allycli.shell import boundary, completion, output, session

if TYPE_CHECKING:
    from rich.console import RenderableType


def report(
    week: bool = typer.Option(False, "--week", help="This calendar week, Monday to Sunday."),
    month: bool = typer.Option(False, "--month", help="This calendar month."),
    year: bool = typer.Option(False, "--year", help="This calendar year."),
    since: str | None = typer.Option(
        None, "--since", help=f"Start of a range: {DATE_HELP}", autocompletion=DATES
    ),
    until: str | None = typer.Option(
        None, "--until", help="End of the range (default today).", autocompletion=DATES
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    svg: Path | None = typer.Option(None, "--svg", help="Write the report to an SVG file."),
    html: Path | None = typer.Option(None, "--html", help="Write the report to an HTML file."),
) -> None:
    """Review a period: counts, streaks, gaps and learning prompts (default: this week)."""
    from allycli.core import dates
    from allycli.core.errors import UsageError
    from allycli.journal import reporting

    if as_json and (svg is not None or html is not None):
        raise UsageError(f"Choose --json or {'--svg' if svg is not None else '--html'}, not both.")
    ctx = session.context()
    if sum((week, month, year, since is not None)) > 1:
        raise UsageError("Choose one of --week, --month, --year or --since.")
    if until is not None and since is None:
        raise UsageError("--until goes with --since; add --since DATE.")
    if since is not None:
        start = session.parse_since(since, ctx.today)
        end = session.parse_until(until, ctx.today) if until else ctx.today
        period = dates.explicit_range(start, end)
    elif month:
        period = dates.month_of(ctx.today)
    elif year:
        period = dates.year_of(ctx.today)
    else:
        period = dates.week_of(ctx.today)
    result = reporting.report(ctx, period)
    if as_json:
        with output.paged():
            output.print_json(result.to_json())
        return
    from allycli.render import report as render_report

    _show_picture(render_report.report(result), svg, html, width=100)


def calendar(
    year: int | None = typer.Argument(
        None,
        help="A calendar year from 1900 to this one (default: this year).",
        show_default=False,
        parser=boundary.year,
    ),
    since: str | None = typer.Option(
        None, "--since", help=f"Start of a range: {DATE_HELP}", autocompletion=DATES
    ),
    until: str | None = typer.Option(
        None, "--until", help="End of the range (default today).", autocompletion=DATES
    ),
    pillar: str | None = typer.Option(
        None, "--pillar", "-p", help="Only this pillar.", autocompletion=completion.complete_pillar
    ),
    action_type: str | None = typer.Option(
        None, "--type", "-t", help="Only this action type.", autocompletion=completion.complete_type
    ),
    svg: Path | None = typer.Option(None, "--svg", help="Write the picture to an SVG file."),
    html: Path | None = typer.Option(None, "--html", help="Write the picture to an HTML file."),
) -> None:
    """A year of practice as a grid of days, shaded by how many entries each holds."""
    from datetime import date

    from allycli.core import dates, taxonomy
    from allycli.core.errors import UsageError
    from allycli.journal import reporting
    from allycli.render import picture

    ctx = session.context()
    if pillar and action_type:
        raise UsageError("Choose --pillar or --type, not both.")
    if year is not None and since is not None:
        raise UsageError("Give a YEAR or --since, not both.")
    if until is not None and since is None:
        raise UsageError("--until goes with --since; add --since DATE.")
    if since is not None:
        start = session.parse_since(since, ctx.today)
        end = session.parse_until(until, ctx.today) if until else ctx.today
        dates.explicit_range(start, end)
    else:
        chosen = ctx.today.year if year is None else year
        if not dates.FIRST_DAY.year <= chosen <= ctx.today.year:
            raise UsageError(
                f"{chosen} is not a year ally can show; give a year from "
                f"{dates.FIRST_DAY.year} to {ctx.today.year}."
            )
        start, end = date(chosen, 1, 1), date(chosen, 12, 31)
    key_pillar = taxonomy.resolve_pillar(pillar) if pillar else None
    from allycli.cli.common import resolve_type
    from allycli.journal.types import kinds

    key_type = resolve_type(ctx, action_type) if action_type else None
    cal = reporting.calendar(ctx, start, end, pillar=key_pillar, action_type=key_type)
    what = key_pillar or (kinds(ctx).name_of(key_type) if key_type else None) or "practice"
    view = picture.CalendarView(cal, picture.title(cal, None if since else start.year, what), what)
    _show_picture(view, svg, html, width=120)


def _show_picture(view: RenderableType, svg: Path | None, html: Path | None, width: int) -> None:
    """Print the picture, or write it to the files asked for (and say so on stderr)."""
    from allycli.render import picture
    from allycli.store.privatefile import write_text

    if svg is None and html is None:
        with output.paged():
            output.say(view)
        return
    for fmt, path in (("svg", svg), ("html", html)):
        if path is not None:
            # 0600 under a temporary name, then renamed: no other user can ever read it
            written = write_text(path, picture.document(view, fmt, width), f"--{fmt}")
            output.warn(f"Wrote the picture to {written}.")


def register(app: typer.Typer) -> None:
    app.command(
        epilog=boundary.examples(
            "ally report",
            "ally report --month",
            "ally report --since 2026-01-01 --until 2026-03-31 --json",
        ),
    )(report)
    app.command(
        epilog=boundary.examples(
            "ally calendar",
            "ally calendar 2025 --pillar listening",
            "ally calendar --svg practice.svg",
        ),
    )(calendar)
