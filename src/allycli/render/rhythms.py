"""Rhythms and pauses as Rich renderables: the rhythm table, pauses, `ally log`'s progress,
and the report's rhythm section. Never opens the database, never exits.

Momentum is shown as a practice measure (a small bar and a percentage), not a grade.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from allycli.core.dates import MONTH_NAMES
from allycli.core.rhythm_specs import needed
from allycli.core.rhythms import MET, NOT_MET, OFF, OPEN, PAUSED, Spec, Status, Unit
from allycli.render import words

# What a category without a rhythm gets: said as what it does ("none" read like "off").
# JSON keeps null.
NO_RHYTHM = "default: a gap when absent"

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from allycli.core.objects import Pause
    from allycli.journal.rhythms import PauseChange, Progress, RhythmChange, RhythmView

_STATE_STYLE = {MET: "bold", OPEN: "", NOT_MET: "", PAUSED: "dim"}  # no colours: legible anywhere
_BAR = 5
_KIND = {"practice": "all practice", "pillar": "pillar", "action_type": "action type"}


def momentum_bar(value: float) -> Text:
    """A small bar and a whole percentage, legible without colour: ██████·· 74%."""
    filled = min(_BAR, max(0, round(value * _BAR)))
    bar = Text("█" * filled)
    bar.append("·" * (_BAR - filled), style="dim")
    bar.append(f"{round(value * 100):>4d}%")
    return bar


def momentum_shown(status: Status) -> Text:
    """The bar and percentage, or "new" while fewer than two units have passed since the
    category's first counted day (a percentage then reads as a grade and says little)."""
    if status.new:
        return Text(f"{'new':>{_BAR + 5}}")
    return momentum_bar(status.momentum)


def unit_words(spec: Spec, unit: Unit, today: date) -> str:
    """this week, today, this month, these 3 days; or the unit's dates when it is past (with
    the year when it is not this one: "in the week of Mon 1 Dec 2025")."""
    current = unit.start <= today <= unit.end

    def named(d: date) -> str:
        return words.day(d, year=d.year != today.year)

    if spec.unit == "day":
        return "today" if current else f"on {named(unit.start)}"
    if spec.unit == "week":
        return "this week" if current else f"in the week of {named(unit.start)}"
    if spec.unit == "month":
        month = MONTH_NAMES[unit.start.month - 1]
        return "this month" if current else f"in {month} {unit.start.year}"
    span = (unit.end - unit.start).days + 1
    if current:
        return f"in these {span} days ({named(unit.start)} to {named(unit.end)})"
    return f"in the {span} days from {named(unit.start)}"


def done_words(spec: Spec, unit: Unit) -> str:
    """What a unit holds, naming what it counts: "5 of 5 days", "30 of 90 min"."""
    if unit.state == PAUSED:
        return "paused"
    if spec.minutes:
        return f"{unit.done} of {unit.needed} min"
    return f"{unit.done} of {words.plural(unit.needed, 'day')}"


def full_need(spec: Spec, unit: Unit) -> int:
    """What the unit would need without its paused days."""
    length = (unit.end - unit.start).days + 1
    return needed(spec, length, length)


def prorated_words(spec: Spec, unit: Unit) -> str | None:
    """ "30 of 78 min needed, 90 pro-rated for the pause", when a pause lowered the need."""
    full = full_need(spec, unit)
    if unit.state == PAUSED or unit.needed >= full:
        return None
    return f"{done_words(spec, unit)} needed, {full} pro-rated for the pause"


def _prorated_notes(views: Sequence[RhythmView]) -> list[Text]:
    notes = []
    for v in views:
        if v.status is not None:
            said = prorated_words(v.status.spec, v.status.unit)
            if said is not None:
                notes.append(Text(f"{v.category}: {said}.", style="dim"))
    return notes


def _state(unit: Unit) -> Text:
    return Text(unit.state, style=_STATE_STYLE.get(unit.state, ""))


# -- ally rhythm ---------------------------------------------------------------------------


def rhythm_table(views: Sequence[RhythmView]) -> RenderableType:
    note = Text(
        "Streak: units met in a row (open and paused units neither extend nor break it). "
        "Momentum: how steadily the rhythm has been kept lately. Off: never a gap. "
        f"{NO_RHYTHM.capitalize()} from a report's period.",
        style="dim",
    )
    return Group(_Fit(views, None), note)


def _unit_name(spec: Spec) -> str:
    return {"day": "day", "week": "week", "month": "month"}.get(spec.unit, "block")


class _Fit:
    """A table of rhythms as wide as the terminal allows: one row a category, or, where
    that does not fit, two lines a category, so that no number or word is ever cut."""

    def __init__(self, views: Sequence[RhythmView], title: str | None) -> None:
        self.views = views
        self.title = title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = self._wide()
        needs = Measurement.get(console, options.update_width(10_000), wide).maximum
        if needs <= options.max_width:
            yield wide
        else:
            yield self._narrow()
        yield from _prorated_notes(self.views)

    def _wide(self) -> Table:
        table = Table(title=self.title, title_justify="left", box=box.SIMPLE_HEAD,
                      pad_edge=False, show_edge=False)  # fmt: skip
        table.add_column("Category", no_wrap=True)
        table.add_column("Rhythm", no_wrap=True)
        table.add_column("Unit", no_wrap=True)
        table.add_column("Done", justify="right", no_wrap=True)
        table.add_column("Streak", justify="right", no_wrap=True)
        table.add_column("Momentum", no_wrap=True)
        for v in self.views:
            s = v.status
            if s is None:
                if self.title is None:  # `ally rhythm` lists every category
                    shown = "off" if v.rhythm == OFF else "default"  # the note says what
                    table.add_row(v.category, Text(shown, style="dim"), "", "", "", "")
                continue
            table.add_row(v.category, str(s.spec), _state(s.unit), done_words(s.spec, s.unit),
                          words.plural(s.streak.current, _unit_name(s.spec)),
                          momentum_shown(s))  # fmt: skip
        return table

    def _narrow(self) -> RenderableType:
        grid = Table.grid(padding=(0, 1))
        grid.add_column()
        for v in self.views:
            s = v.status
            if s is None:
                if self.title is None:
                    grid.add_row(Text(f"{v.category}: {'off' if v.rhythm == OFF else NO_RHYTHM}"))
                continue
            line = Text(f"{v.category}: {s.spec}, ")
            line.append_text(_state(s.unit))
            line.append(f", {done_words(s.spec, s.unit)}")
            grid.add_row(line)
            detail = Text(
                f"  streak {words.plural(s.streak.current, _unit_name(s.spec))}, momentum "
            )
            detail.append_text(momentum_shown(s))
            grid.add_row(detail)
        if self.title is None:
            return grid
        return Group(Text(self.title, style="bold"), grid)


def rhythm_changed(change: RhythmChange) -> Text:
    after = change.after
    if after is None:
        now = f"{NO_RHYTHM} from a report's period"
    elif after == OFF:
        now = "off, never a gap"
    else:
        now = after
    if not change.changed:
        return Text(f"{change.category} already has that rhythm: {now}.")
    return Text(f"{change.category}: {now} (was {change.before or NO_RHYTHM}).")


# -- ally pause ----------------------------------------------------------------------------


def _covers(p: Pause) -> str:
    return "everything" if p.categories is None else ", ".join(p.categories)


def _named(d: date, today: date | None) -> str:
    """A pause's day as a terminal names days: Mon 21 Dec, with the year when not today's."""
    return words.day(d, year=today is None or d.year != today.year)


def _span(p: Pause, today: date | None) -> str:
    length = words.days((p.until - p.since).days + 1)
    return f"{_named(p.since, today)} to {_named(p.until, today)} ({length})"


def pause_table(pauses: Sequence[Pause], today: date) -> RenderableType:
    """Every pause as a table where it fits whole, else two lines a pause (no word is cut:
    at 60 columns the table cropped "everything" to "every…")."""
    from allycli.render.fit import Fit, Room

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("Id", no_wrap=True)
    table.add_column("From", no_wrap=True)
    table.add_column("To", no_wrap=True)
    table.add_column("Covers", overflow="fold")
    table.add_column("When", no_wrap=True, style="dim")
    table.add_column("Note", overflow="fold")
    lines: list[RenderableType] = []
    for p in pauses:
        when = "now" if p.since <= today <= p.until else ("ahead" if p.since > today else "past")
        table.add_row(p.id[:8], _named(p.since, today), _named(p.until, today), _covers(p), when,
                      words.user_text(p.note or ""))  # fmt: skip
        lines.append(Text(f"{p.id[:8]}  {_covers(p)}"))
        lines.append(words.indent(Text(f"{_span(p, today)}, {when}")))
        if p.note:
            lines.append(words.indent(words.user_text(p.note)))
    return Fit(Room(table, 10), Group(*lines))


def pause_added(p: Pause, today: date | None = None) -> Text:
    return Text(
        f"Paused {_covers(p)} from {_span(p, today)}; id {p.id[:8]}. Rest is part of a practice "
        "that lasts: paused days are no gap, and streaks and momentum wait for you."
    )


def pause_changed(change: PauseChange, today: date | None = None) -> Text:
    p = change.pause
    if change.action == "cancelled":
        return Text(f"Cancelled the pause {p.id[:8]} ({_covers(p)}, {_span(p, today)}).")
    if change.action == "ended":
        return Text(f"Ended the pause {p.id[:8]}: {_covers(p)} rested {_span(p, today)}.")
    return Text(f"The pause {p.id[:8]} had already ended on {_named(p.until, today)}.")


# -- ally log ------------------------------------------------------------------------------


def progress(found: Sequence[Progress], *, without_minutes: bool = False) -> str:
    """listening: 2 of 3 this week; practice: 1 of 1 today; a minutes rhythm that the entry
    did not move says why, and a need lowered by a pause says so."""
    parts = []
    for p in found:
        when = unit_words(p.spec, p.unit, p.today)
        prorated = prorated_words(p.spec, p.unit)
        part = (
            f"{p.category} {when}: {prorated}"
            if prorated
            else f"{p.category}: {done_words(p.spec, p.unit)} {when}"
        )
        if p.spec.minutes and without_minutes:
            part += " (logged without minutes)"
        parts.append(part)
    return "; ".join(parts)


# -- the report ----------------------------------------------------------------------------


def report_rhythms(views: Sequence[RhythmView], today: date, as_of: date) -> RenderableType:
    title = (
        "Rhythms"
        if as_of >= today
        else f"Rhythms on {words.day(as_of, year=as_of.year != today.year)}"
    )
    return _Fit([v for v in views if v.status is not None], title)
