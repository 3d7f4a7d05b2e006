"""Gaps and buckets: a gap's shape, and a period sliced into buckets of counts (pure)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from allycli.core.dates import MONTH_ABBR, WEEKDAY_ABBR, Period
from allycli.core.taxonomy import PILLARS


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


def bucket_plan(period: Period) -> list[tuple[str, date, date]]:
    """How a period is sliced for its overview: days for a week, weeks for a month..."""
    if period.kind == "week" or (period.kind == "range" and period.days <= 14):
        return [
            (WEEKDAY_ABBR[(d := period.start + timedelta(days=i)).weekday()], d, d)
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
        month = MONTH_ABBR[start.month - 1]
        label = month if period.kind == "year" else f"{month} {start.year}"
        plan.append((label, start, end))
        start = end + timedelta(days=1)
    return plan


def week_label(start: date, end: date) -> str:
    """A week's slice in words: "2-8 Nov", "28 Sep-4 Oct", or "Sun 1 Nov" for one day."""
    if start == end:
        return f"{WEEKDAY_ABBR[start.weekday()]} {start.day} {MONTH_ABBR[start.month - 1]}"
    if start.month == end.month:
        return f"{start.day}-{end.day} {MONTH_ABBR[end.month - 1]}"
    return f"{start.day} {MONTH_ABBR[start.month - 1]}-{end.day} {MONTH_ABBR[end.month - 1]}"


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
