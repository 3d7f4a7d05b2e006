"""The daily streak: days in a row with practice, alive through today, paused days passed over.

This is the one home of the rule. The report (overall and per pillar), the calendar and
`ally log` all ask here, so they give the same number for the same day.

- A day counts when it holds at least one practice entry (callers pass those days).
- Today is still open: when the as-of day is today and has no entry yet, the current
  streak counts back from yesterday.
- A paused day without practice neither extends nor breaks a streak; a day that is neither
  practiced nor paused ends it. A day with practice is never paused.
- The longest streak is over every day up to the as-of day, bridged by paused days alike.
Pure: `today` is passed in.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int


def paused_days(spans: Iterable[tuple[date, date]], start: date, end: date) -> frozenset[date]:
    """The days from `start` to `end` inside any of the (since, until) spans of one category's
    pauses (the spans of the pauses that cover it)."""
    found: set[date] = set()
    for since, until in spans:
        d = max(since, start)
        while d <= min(until, end):
            found.add(d)
            d += ONE_DAY
    return frozenset(found)


def current_streak(
    days_desc: Iterable[date], paused: Container[date], as_of: date, today: date
) -> int:
    """The current streak as of `as_of`, from practiced days newest first; it reads only as
    far back as the streak goes, so the write path can hand it a cursor."""
    count = 0
    cursor = as_of
    for d in days_desc:
        if d > cursor:  # after the as-of day, or a day already counted
            continue
        while cursor > d:
            if (cursor == as_of == today) or cursor in paused:  # open today; rest
                cursor -= ONE_DAY
                continue
            return count
        count += 1
        cursor = d - ONE_DAY
    return count


def daily_streak(days: Iterable[date], paused: Iterable[date], as_of: date, today: date) -> Streak:
    """Current and longest streak as of `as_of` (days after it are ignored)."""
    practiced = sorted({d for d in days if d <= as_of})
    rest = sorted({d for d in paused if d <= as_of} - set(practiced))
    longest = run = 0
    previous: date | None = None
    for d in practiced:
        bridged = False
        if previous is not None:  # the days between are all paused: the run goes on
            between = (d - previous).days - 1
            bridged = bisect_left(rest, d) - bisect_right(rest, previous) == between
        run = run + 1 if bridged else 1
        longest = max(longest, run)
        previous = d
    return Streak(current_streak(reversed(practiced), set(rest), as_of, today), longest)
