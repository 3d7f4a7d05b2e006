"""The practice calendar as plain values: days -> a grid of weeks x weekdays. Pure: no I/O.

`layout` decides everything the picture shows (which day sits where, its shade level, the
month labels, the busiest week and the streak); picture.py only draws it at a width.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from allycli.core.dates import MONTH_ABBR
from allycli.core.streaks import Streak, daily_streak

# Shade levels: none, 1, 2, 3 or more practice entries on a day.
LEVELS = 4


@dataclass(frozen=True)
class Cell:
    """One day of the grid."""

    day: date
    count: int
    level: int  # 0..3
    paused: bool  # paused and without practice
    future: bool  # after today and empty: not yet lived


@dataclass(frozen=True)
class Busiest:
    start: date  # the week's Monday, or the range's first day
    end: date
    count: int


@dataclass(frozen=True)
class Calendar:
    start: date
    end: date
    today: date
    as_of: date  # the range's last day, or today when the range ends later
    weeks: tuple[tuple[Cell | None, ...], ...]  # one tuple of 7 (Monday first) a week
    months: tuple[tuple[int, str], ...]  # (week index, "Jan") where each month begins
    total: int  # practice entries in the range
    days_practiced: int
    paused_days: int
    busiest: Busiest | None
    streak: Streak  # as of `as_of`, paused days passed over; longest over all history


def level(count: int) -> int:
    return 0 if count <= 0 else min(count, LEVELS - 1)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def layout(
    counts: Mapping[date, int],
    start: date,
    end: date,
    today: date,
    *,
    history: Iterable[date] = (),
    paused: Iterable[date] = (),
) -> Calendar:
    """The calendar of `start`..`end` (inclusive) from per-day practice counts.

    `history` holds every practiced day up to the as-of day (for the streak, which may begin
    before `start`); the days of `counts` count too. `paused` days without practice are
    marked, and the streak passes over them.
    """
    if start > end:
        raise ValueError("start after end")
    paused_set = set(paused)
    first = monday(start)
    last = monday(end) + timedelta(days=6)
    weeks: list[tuple[Cell | None, ...]] = []
    months: list[tuple[int, str]] = []
    week_totals: list[tuple[int, date, int]] = []  # (entries, first day, week number)
    day = first
    while day <= last:
        row: list[Cell | None] = []
        week_total = 0
        for _ in range(7):
            if start <= day <= end:
                n = counts.get(day, 0)
                week_total += n
                # a day to come holding entries (from a zone ahead) is shown, as it is counted
                to_come = day > today and n == 0
                row.append(Cell(day, n, level(n), day in paused_set and n == 0, to_come))
                if day.day == 1 or day == start:
                    months.append((len(weeks), MONTH_ABBR[day.month - 1]))
            else:
                row.append(None)
            day += timedelta(days=1)
        week_totals.append(
            (week_total, max(first + timedelta(weeks=len(weeks)), start), len(weeks))
        )
        weeks.append(tuple(row))
    as_of = min(end, today)
    busiest = None
    best = max(week_totals, key=lambda w: (w[0], -w[2]))
    if best[0] > 0:
        week_end = min(best[1] + timedelta(days=6 - best[1].weekday()), end)
        busiest = Busiest(best[1], week_end, best[0])
    in_range = {d for d, n in counts.items() if n > 0 and start <= d <= end}
    practiced = {d for d in history if d <= as_of} | {d for d in in_range if d <= as_of}
    return Calendar(
        start=start,
        end=end,
        today=today,
        as_of=as_of,
        weeks=tuple(weeks),
        months=tuple(months),
        total=sum(n for d, n in counts.items() if start <= d <= end),
        days_practiced=len(in_range),
        # the paused days the grid draws: a day still to come is blank, paused or not
        paused_days=sum(1 for w in weeks for c in w if c is not None and c.paused and not c.future),
        busiest=busiest,
        streak=daily_streak(practiced, paused_set, as_of, today),
    )
