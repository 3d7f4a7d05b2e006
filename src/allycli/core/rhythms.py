"""Rhythms: specs, units and their states, rhythm streaks, momentum, and daily streaks with
pauses. Pure: every function takes the days, the pauses and `today` as arguments.

A category's days are a sorted sequence of (day, value): every day with at least one practice
entry in the category, its value the number of entries (count rhythms) or the sum of their
minutes (minutes rhythms; 0 when none of them gave minutes). A day counts when its value is
above 0. Pauses are (since, until) pairs already chosen for the category; a day with practice
is never paused.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from allycli.core.insights import Gap
from allycli.core.rhythm_specs import (  # noqa: F401 - re-exported: rhythms is the one door
    BLOCK_EPOCH,
    CATEGORIES,
    DEFAULT,
    DEFAULT_RHYTHMS,
    EPOCH_ORDINAL,
    MAX_BLOCK_DAYS,
    MET,
    NOT_MET,
    OFF,
    OPEN,
    PAUSED,
    SPEC_HINT,
    UNIT_DAYS,
    Spec,
    effective,
    kind_of,
    needed,
    parse_setting,
    parse_spec,
    unit_index,
    unit_of,
    unit_span,
)
from allycli.core.streaks import Streak

MOMENTUM_TOLERANCE = 1e-13  # how far history is followed back: see _scores


@dataclass(frozen=True)
class Unit:
    start: date
    end: date
    state: str  # met | open | not met | paused
    done: int
    needed: int


@dataclass(frozen=True)
class Status:
    """A category's rhythm as of a day: the as-of day's unit, the streak and momentum."""

    spec: Spec
    unit: Unit
    streak: Streak
    momentum: float
    new: bool = False  # fewer than two units since the first counted day: momentum says little


class _Days:
    """A category's days as ordinals, up to the as-of day, and its paused days."""

    def __init__(
        self,
        days: Sequence[tuple[date, int]],
        pauses: Iterable[tuple[date, date]],
        as_of: date,
        horizon: date | None = None,
    ) -> None:
        limit = as_of.toordinal()
        values = [(d.toordinal(), v) for d, v in days if d <= as_of]
        values.sort()  # linear when sorted already, as the store gives them
        self.counted = [ov for ov in values if ov[1] > 0]
        last = (horizon or as_of).toordinal()
        paused: set[int] = set()
        for since, until in pauses:
            paused.update(range(since.toordinal(), min(until.toordinal(), last) + 1))
        if paused:
            paused.difference_update(o for o, _ in values)  # practiced days are never paused
        self.paused = sorted(paused)
        self.as_of = limit

    def paused_in(self, first: int, last: int) -> int:
        """Paused days from `first` to `last`, inclusive."""
        if last < first:
            return 0
        return bisect_right(self.paused, last) - bisect_left(self.paused, first)

    def is_paused(self, ordinal: int) -> bool:
        return self.paused_in(ordinal, ordinal) == 1


def evaluate(
    spec: Spec,
    days: Sequence[tuple[date, int]],
    pauses: Iterable[tuple[date, date]],
    as_of: date,
    today: date,
) -> Status:
    """Unit, rhythm streak and momentum of one category as of `as_of`."""
    pauses = list(pauses)
    data = _Days(days, pauses, as_of, horizon=unit_of(spec, as_of)[1])
    unit, streak = _units(spec, data, today)
    new = (
        bool(data.counted)
        and unit_index(spec, data.as_of) - unit_index(spec, data.counted[0][0]) < 1
    )
    return Status(spec, unit, streak, _momentum(spec, data, as_of, today), new)


def unit_state(
    spec: Spec,
    days: Sequence[tuple[date, int]],
    pauses: Iterable[tuple[date, date]],
    as_of: date,
    today: date,
) -> Unit:
    """The as-of day's unit only (the write path of `ally log`)."""
    data = _Days(days, list(pauses), as_of, horizon=unit_of(spec, as_of)[1])
    return _unit(spec, data, _done_by_unit(spec, data), today)


def _state(spec: Spec, data: _Days, index: int, done: int, today: date) -> tuple[str, int]:
    start, end = unit_span(spec, index)
    length = end - start + 1
    need = needed(spec, length - data.paused_in(start, end), length)
    if need == 0:
        return PAUSED, need
    if done >= need:
        return MET, need
    if end > data.as_of or (end == data.as_of and data.as_of == today.toordinal()):
        return OPEN, need
    return NOT_MET, need


def _done_by_unit(spec: Spec, data: _Days) -> dict[int, int]:
    done_by: dict[int, int] = {}
    if spec.unit == "day" and not spec.minutes:
        return dict.fromkeys((o for o, _ in data.counted), 1)
    if spec.unit == "month":
        keys = [unit_index(spec, o) for o, _ in data.counted]
    else:  # weeks and blocks: counted from the epoch, as unit_index does
        k = {"day": 1, "week": 7}.get(spec.unit, spec.block)
        base = 0 if spec.unit == "day" else EPOCH_ORDINAL
        keys = [(o - base) // k for o, _ in data.counted]
    for i, (_, v) in zip(keys, data.counted, strict=True):
        done_by[i] = done_by.get(i, 0) + (v if spec.minutes else 1)
    return done_by


def _unit(spec: Spec, data: _Days, done_by: dict[int, int], today: date) -> Unit:
    index = unit_index(spec, data.as_of)
    done = done_by.get(index, 0)
    state, need = _state(spec, data, index, done, today)
    start, end = unit_span(spec, index)
    return Unit(date.fromordinal(start), date.fromordinal(end), state, done, need)


def _units(spec: Spec, data: _Days, today: date) -> tuple[Unit, Streak]:
    """The as-of unit, and met units in a row, passing over open and paused ones.

    Only units with something done or something paused can be met, open or paused; any
    other unit between the first counted day and the as-of day is not met. A unit with no
    paused day needs the whole of N (or M), so only units that touch a pause, and the as-of
    unit, are judged in full.
    """
    done_by = _done_by_unit(spec, data)
    current_unit = _unit(spec, data, done_by, today)
    if not data.counted:
        return current_unit, Streak(0, 0)
    first_index = unit_index(spec, data.counted[0][0])
    last_index = unit_index(spec, data.as_of)
    first_ord = unit_span(spec, first_index)[0]
    special = {
        unit_index(spec, o)
        for o in data.paused[bisect_left(data.paused, first_ord) :]
        if o <= data.as_of
    }
    special.add(last_index)
    long_months = spec.unit == "month" and not spec.minutes and spec.amount > 28
    run = longest = 0
    previous = first_index - 1
    for i in sorted(set(done_by) | special):
        if i < first_index or i > last_index:
            continue
        if i - previous > 1:
            run = 0  # the units between had nothing done and nothing paused: not met
        previous = i
        done = done_by.get(i, 0)
        if i in special or long_months:
            state = current_unit.state if i == last_index else _state(spec, data, i, done, today)[0]
        else:
            state = MET if done >= spec.amount else NOT_MET
        if state == MET:
            run += 1
            if run > longest:
                longest = run
        elif state == NOT_MET:
            run = 0
    return current_unit, Streak(run, longest)


# -- momentum ------------------------------------------------------------------------------


def frequency(spec: Spec) -> float:
    """f = N/D (1/D for minutes rhythms); N = D is daily, as in Loop."""
    if spec.minutes:
        return 1.0 / spec.days
    return 1.0 if spec.amount == spec.days else spec.amount / spec.days


def multiplier(spec: Spec) -> float:
    return 0.5 ** (math.sqrt(frequency(spec)) / 13.0)


def step(spec: Spec, previous: float, ratio: float) -> float:
    """One unpaused day: Loop's Score.compute(frequency, previous score, checkmark value)."""
    m = multiplier(spec)
    return previous * m + ratio * (1.0 - m)


def window(spec: Spec) -> tuple[int, int]:
    """(days in the window, what it needs): Loop's doubled window unless N = D."""
    if spec.minutes:
        return spec.days, spec.amount
    if spec.amount == spec.days:
        return 1, 1
    return 2 * spec.days, 2 * spec.amount


def momentum(
    spec: Spec,
    days: Sequence[tuple[date, int]],
    pauses: Iterable[tuple[date, date]],
    as_of: date,
    today: date,
) -> float:
    """Loop Habit Tracker's score as of `as_of`; on today, the larger of yesterday's and today's."""
    return _momentum(spec, _Days(days, list(pauses), as_of), as_of, today)


def _horizon_start(m: float, paused: list[int], last: int) -> int:
    """The first day of the last ceil(log(1e-13) / log(m)) unpaused days before `last`."""
    steps = math.ceil(math.log(MOMENTUM_TOLERANCE) / math.log(m))
    start = last - steps
    while (missing := steps - (last - start - _count(paused, start, last - 1))) > 0:
        start -= missing
    return start


def _count(sorted_ords: list[int], first: int, last: int) -> int:
    return bisect_right(sorted_ords, last) - bisect_left(sorted_ords, first)


def _momentum(spec: Spec, data: _Days, as_of: date, today: date) -> float:
    if not data.counted:
        return 0.0
    yesterday, last = _scores(spec, data, as_of.toordinal())
    return max(yesterday, last) if as_of == today else last


def _scores(spec: Spec, data: _Days, last: int) -> tuple[float, float]:
    """The score at the end of the day before `last`, and at the end of `last`.

    The window's sum changes only where a counted day enters or leaves it, so between two
    such points every unpaused day applies the same step, and k of them at once are
    x * m**k + r * (1 - m**k). The start counts as 0 for a value from 0 to 1, so a start
    HORIZON unpaused days back changes the result by at most m**HORIZON <= 1e-13: the
    score starts there instead of at the first counted day when that is earlier.
    """
    width, need = window(spec)
    m = multiplier(spec)
    ords = [o for o, _ in data.counted]
    vals = [v for _, v in data.counted] if spec.minutes else [1] * len(ords)
    paused = data.paused
    n = len(ords)
    stop = last - 1
    cur = max(ords[0], _horizon_start(m, paused, last))
    i = bisect_left(ords, cur)  # entered before cur
    j = bisect_left(ords, cur - width)  # left before cur
    total = sum(vals[j:i])
    x = 0.0
    while cur <= stop:
        while i < n and ords[i] == cur:
            total += vals[i]
            i += 1
        while j < n and ords[j] + width == cur:
            total -= vals[j]
            j += 1
        nxt = stop + 1
        if i < n and ords[i] < nxt:
            nxt = ords[i]
        if j < n and ords[j] + width < nxt:
            nxt = ords[j] + width
        k = nxt - cur
        if paused:
            k -= bisect_left(paused, nxt) - bisect_left(paused, cur)
        if k:
            mk = m**k
            x = x * mk + (min(1.0, total / need) * (1.0 - mk) if total else 0.0)
        cur = nxt
    while i < n and ords[i] == last:
        total += vals[i]
        i += 1
    while j < n and ords[j] + width == last:
        total -= vals[j]
        j += 1
    if data.is_paused(last):
        return x, x
    return x, x * m + min(1.0, total / need) * (1.0 - m)


def covers(categories: Sequence[str] | None, category: str) -> bool:
    """A pause naming no category covers all of them; otherwise exactly those it names."""
    return categories is None or category in categories


# -- gaps ----------------------------------------------------------------------------------


def gaps(
    in_period: Mapping[str, int],
    rhythms: Mapping[str, str | None],
    units: Mapping[str, Unit],
    last: Mapping[str, date],
    paused_on_as_of: Container[str],
    as_of: date,
    categories: Sequence[str] = CATEGORIES,
) -> tuple[Gap, ...]:
    """Categories that need attention, most neglected first.

    With a rhythm: its unit is not met, or open with nothing done. Without one: no entry in
    the period. Never a category whose rhythm is off or that is paused on the as-of day.
    Never-practiced ones come first, then the longest since; ties keep vocabulary order.
    `categories` are those that may be gaps, in order (a retired own type is never one).
    """
    found: list[tuple[int, Gap]] = []
    for order, category in enumerate(categories):
        rhythm = rhythms.get(category)
        if rhythm == OFF or category in paused_on_as_of:
            continue
        unit = units.get(category)
        if rhythm is not None and unit is not None:
            if not (unit.state == NOT_MET or (unit.state == OPEN and unit.done == 0)):
                continue
        elif category == "practice" or in_period.get(category, 0):
            continue
        when = last.get(category)
        if when is not None and when > as_of:
            when = None
        since = (as_of - when).days if when is not None else None
        found.append((order, Gap(kind_of(category), category, when, since)))
    found.sort(key=lambda og: (og[1].days_since is not None, -(og[1].days_since or 0), og[0]))
    return tuple(g for _, g in found)
