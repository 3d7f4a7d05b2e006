"""Pictures: the practice calendar drawn at any width, and any renderable drawn as an SVG or
HTML document (store/privatefile.py writes it).

The calendar is a Rich renderable that reads the width and the encoding it is drawn for:
one character a day (two, with a space, where there is room), half-years stacked when a
year does not fit, ASCII shades when the terminal cannot show block characters. Shades are
characters, so the picture reads without colour.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from allycli.render import words

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from allycli.core.heatmap import Calendar, Cell

# none, 1, 2, 3 or more; then paused
SHADES = ("·", "░", "▒", "█")
ASCII_SHADES = (".", "+", "*", "#")
PAUSED = "~"
STYLES = ("dim", "green4", "green3", "bold bright_green")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LABEL = 4  # "Mon "
_REMOTE_FONT = re.compile(r',\s*url\("https?://[^"]*"\)\s*format\("[^"]*"\)')
STACK_BELOW = 60  # below 60 columns the two half-years stack


@dataclass(frozen=True)
class CalendarView:
    """The calendar with its title, legend and the lines below it."""

    cal: Calendar
    title: str
    what: str = "practice"  # "practice", or the pillar or action type it is filtered by

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # piped, the picture is drawn as at 80 columns (a pipe has no width, and a year
        # fits in 80); its words below are never wrapped
        width = options.max_width if console.is_terminal else min(options.max_width, 80)
        shades = ASCII_SHADES if options.ascii_only else SHADES
        yield Text(self.title, style="bold")
        yield Text("")
        for i, (a, b) in enumerate(chunks(len(self.cal.weeks), self.cal.months, width)):
            if i:
                yield Text("")
            cell = 2 if LABEL + 2 * (b - a) <= width else 1
            yield from self._grid(a, b, cell, shades)
        yield Text("")
        yield self._legend(shades)
        yield from self._below()

    def _grid(self, a: int, b: int, cell: int, shades: tuple[str, ...]) -> Iterator[Text]:
        length = LABEL + cell * (b - a)
        header = [" "] * length
        taken = 0
        for week, name in self.cal.months:
            if not a <= week < b:
                continue
            at = LABEL + cell * (week - a)
            at = min(at, length - len(name))
            if at < taken:
                continue
            header[at : at + len(name)] = name
            taken = at + len(name) + 1
        yield Text("".join(header).rstrip(), no_wrap=True)
        for weekday in range(7):
            line = Text(f"{_WEEKDAYS[weekday]} ", no_wrap=True)
            for days in self.cal.weeks[a:b]:
                glyph, style = _glyph(days[weekday], shades)
                line.append(glyph, style=style)
                if cell == 2:
                    line.append(" ")
            line.rstrip()
            yield line

    def _legend(self, shades: tuple[str, ...]) -> Text:
        legend = Text(no_wrap=False)
        for i, label in enumerate(("none", "1", "2", "3 or more")):
            legend.append(shades[i], style=STYLES[i])
            legend.append(f" {label}  ")
        if self.cal.paused_days:
            legend.append(PAUSED, style="cyan")
            legend.append(" paused  ")
        if any(c is not None and c.future for w in self.cal.weeks for c in w):
            legend.append("blank: to come")
        legend.rstrip()
        return legend

    def _below(self) -> Iterator[Text]:
        cal = self.cal
        entries = "practice entry" if self.what == "practice" else f"{self.what} entry"
        many = entries[: -len("entry")] + "entries"
        yield Text(
            f"{words.plural(cal.total, entries, many)} "
            f"on {words.plural(cal.days_practiced, 'day')}."
        )
        s = cal.streak
        if cal.as_of == cal.today:
            now = f"{words.days(s.current)} now" if s.current else "none now (today is still open)"
        else:
            now = f"{words.days(s.current)} on {words.short(cal.as_of)}"
        ever = "all time" if cal.as_of == cal.today else "up to then"
        yield Text(
            f"Streak (days in a row with {self.what}): {now}; "
            f"longest {words.days(s.longest)} ({ever})."
        )
        if cal.paused_days:
            paused = words.days(cal.paused_days)
            yield Text(f"Paused: {paused}, neither breaking nor extending the streak.")
        if cal.busiest is not None:
            busy = cal.busiest
            span = words.day(busy.start) if busy.start == busy.end else (
                f"{words.day(busy.start)} to {words.day(busy.end)}"
            )  # fmt: skip
            yield Text(
                f"Busiest week: {span} {busy.end.year}, "
                f"{words.plural(busy.count, 'entry', 'entries')}."
            )


def _glyph(cell: Cell | None, shades: tuple[str, ...]) -> tuple[str, str]:
    if cell is None or cell.future:
        return " ", ""
    if cell.paused:
        return PAUSED, "cyan"
    return shades[cell.level], STYLES[cell.level]


def chunks(weeks: int, months: tuple[tuple[int, str], ...], width: int) -> list[tuple[int, int]]:
    """Week ranges [a, b) drawn one below the other: as few as fit `width`, cut where
    months begin (a year below 60 columns: two half-years)."""
    capacity = max(1, width - LABEL)
    n = math.ceil(weeks / capacity)
    if width < STACK_BELOW and weeks > 27:
        n = max(n, 2)
    bounds = [0]
    starts = [week for week, _ in months if week > 0]
    for k in range(1, n):
        target = round(k * weeks / n)
        fits = [
            w
            for w in starts
            if bounds[-1] < w <= bounds[-1] + capacity and weeks - w <= capacity * (n - k)
        ]
        bounds.append(
            min(fits, key=lambda w: abs(w - target)) if fits else min(bounds[-1] + capacity, target)
        )
    bounds.append(weeks)
    return list(itertools.pairwise(bounds))


def title(cal: Calendar, year: int | None, what: str) -> str:
    head = "Practice" if what == "practice" else f"Practice: {what}"
    if year is not None:
        return f"{head} in {year}"
    return f"{head}, {words.short(cal.start)} to {words.short(cal.end)}"


# -- saving a picture ----------------------------------------------------------------------


def document(renderable: RenderableType, fmt: str, width: int) -> str:
    """`renderable` drawn on a recording console, as an SVG or HTML document."""
    import io

    from rich.console import Console

    console = Console(
        record=True,
        file=io.StringIO(),
        width=width,
        force_terminal=True,
        color_system="truecolor",
        no_color=False,
        highlight=False,
        legacy_windows=False,
    )
    console.print(renderable)
    if fmt == "svg":
        # Rich's SVG asks a CDN for its font: keep the local font only, so that opening
        # the picture tells no one anything (private by default).
        text = _REMOTE_FONT.sub("", console.export_svg(title="ally"))
    else:
        text = console.export_html(inline_styles=True)
    return text
