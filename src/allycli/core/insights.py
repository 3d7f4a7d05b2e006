"""Streaks, gaps and buckets: pure functions over calendar days and counts."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from allycli.core.dates import Period
from allycli.core.taxonomy import ACTION_TYPES, PILLARS


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int


@dataclass(frozen=True)
class Gap:
    kind: str  # "pillar" | "action_type"
    category: str
    last_practiced: date | None
    days_since: int | None


@dataclass(frozen=True)
class Bucket:
    """A slice of a period (a day, a week, a month) with practice counts by pillar."""

    label: str
    start: date
    end: date
    by_pillar: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_pillar.values())


def streak(days: Iterable[date], as_of: date, today: date) -> Streak:
    """Current and longest runs of consecutive practiced days, up to `as_of`.

    The current streak stays alive through today until the day ends: when `as_of`
    is today and today has no entry yet, it counts back from yesterday. Days after
    `as_of` are ignored.
    """
    practiced = {d for d in days if d <= as_of}
    longest = run = 0
    previous: date | None = None
    for d in sorted(practiced):
        run = run + 1 if previous is not None and d - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = d
    anchor = as_of
    if anchor not in practiced and as_of == today:
        anchor = as_of - timedelta(days=1)
    current = 0
    while anchor in practiced:
        current += 1
        anchor -= timedelta(days=1)
    return Streak(current=current, longest=longest)


def current_streak_from_recent(days_desc: Iterable[date], today: date) -> int:
    """The current streak from distinct practiced days, newest first (stops reading early).

    Used by the write path, which reads days from a cursor and should not read them all.
    """
    expected: date | None = None
    count = 0
    for d in days_desc:
        if d > today:
            continue
        if expected is None:
            if d == today:
                expected = today
            elif d == today - timedelta(days=1):
                expected = d
            else:
                return 0
        if d != expected:
            break
        count += 1
        expected = d - timedelta(days=1)
    return count


def gaps(
    by_pillar: Mapping[str, int],
    by_action_type: Mapping[str, int],
    last_pillar: Mapping[str, date],
    last_action_type: Mapping[str, date],
    as_of: date,
) -> tuple[Gap, ...]:
    """Every pillar and action type with nothing in the period, most neglected first.

    Never-practiced categories come first, then the longest since last practiced;
    ties keep pillars before action types, each in vocabulary order.
    """
    found: list[Gap] = []
    for kind, keys, counts, last in (
        ("pillar", PILLARS, by_pillar, last_pillar),
        ("action_type", tuple(ACTION_TYPES), by_action_type, last_action_type),
    ):
        for key in keys:
            if counts.get(key, 0):
                continue
            when = last.get(key)
            if when is not None and when > as_of:
                when = None
            since = (as_of - when).days if when is not None else None
            found.append(Gap(kind, key, when, since))
    order = {id(g): i for i, g in enumerate(found)}
    return tuple(
        sorted(
            found,
            key=lambda g: (g.days_since is not None, -(g.days_since or 0), order[id(g)]),
        )
    )


def bucket_plan(period: Period) -> list[tuple[str, date, date]]:
    """How a period is sliced for its overview: days for a week, weeks for a month..."""
    if period.kind == "week" or (period.kind == "range" and period.days <= 14):
        return [
            ((d := period.start + timedelta(days=i)).strftime("%a"), d, d)
            for i in range(period.days)
        ]
    if period.kind == "month" or (period.kind == "range" and period.days <= 93):
        plan: list[tuple[str, date, date]] = []
        start = period.start
        while start <= period.end:
            end = min(start + timedelta(days=6 - start.weekday()), period.end)
            plan.append((week_label(start, end), start, end))
            start = end + timedelta(days=1)
        return plan
    plan = []
    start = period.start
    while start <= period.end:
        nxt = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(nxt - timedelta(days=1), period.end)
        # a year's months need no year; elsewhere "Jun 2026", never "Jun 26" (a date?)
        label = start.strftime("%b") if period.kind == "year" else start.strftime("%b %Y")
        plan.append((label, start, end))
        start = end + timedelta(days=1)
    return plan


def week_label(start: date, end: date) -> str:
    """A week's slice in words: "2-8 Nov", "28 Sep-4 Oct", or "Sun 1 Nov" for one day."""
    if start == end:
        return start.strftime("%a ") + f"{start.day} " + start.strftime("%b")
    if start.month == end.month:
        return f"{start.day}-{end.day} " + end.strftime("%b")
    return f"{start.day} " + start.strftime("%b") + f"-{end.day} " + end.strftime("%b")


def buckets(period: Period, daily: Mapping[tuple[date, str], int]) -> tuple[Bucket, ...]:
    """Sum per-day, per-pillar counts into the period's slices."""
    plan = bucket_plan(period)
    starts = [start for _, start, _ in plan]
    counts: list[dict[str, int]] = [dict.fromkeys(PILLARS, 0) for _ in plan]
    for (day, pillar), n in daily.items():
        if day in period and pillar in PILLARS:
            counts[bisect_right(starts, day) - 1][pillar] += n
    return tuple(
        Bucket(label, start, end, c) for (label, start, end), c in zip(plan, counts, strict=True)
    )
