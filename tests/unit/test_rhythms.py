"""Rhythms: specs, units, unit states, rhythm streaks, momentum and daily streaks with pauses.

Exact tables, Loop Habit Tracker's own score cases, and properties against plain day-by-day
reference implementations written here from the contract's words.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allycli.core import streaks
from allycli.core.errors import UsageError
from allycli.core.rhythms import (
    BLOCK_EPOCH,
    MET,
    NOT_MET,
    OPEN,
    PAUSED,
    Spec,
    Unit,
    covers,
    evaluate,
    momentum,
    needed,
    parse_setting,
    parse_spec,
    step,
    unit_of,
    unit_state,
)
from allycli.core.streaks import Streak


def daily_streak(days, pauses, as_of: date, today: date) -> Streak:  # type: ignore[no-untyped-def]
    """The one daily streak (core/streaks.py), given one category's pause spans."""
    rest = streaks.paused_days(pauses, date.min, as_of)
    return streaks.daily_streak(days, rest, as_of, today)


def paused_days(pauses, start: date, end: date, practiced=()) -> list[date]:  # type: ignore[no-untyped-def]
    """Paused days of one category for pictures: a practiced day is never paused."""
    return sorted(streaks.paused_days(pauses, start, end) - set(practiced))


TODAY = date(2026, 11, 25)  # a Wednesday
LATER = TODAY + timedelta(days=1000)  # a "today" far ahead: Loop's plain score, no today rule
E = 1e-6  # Loop's own tolerance


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def on(offsets: object, value: int = 1) -> list[tuple[date, int]]:
    """Loop's `check(offset)` / `addEntry(offset, value)`: days counted back from today."""
    return sorted((ago(o), value) for o in offsets)  # type: ignore[attr-defined]


def skips(offsets: object) -> list[tuple[date, date]]:
    """Loop's `addSkip(offset)`: a one-day pause."""
    return [(ago(o), ago(o)) for o in offsets]  # type: ignore[attr-defined]


def scores_back(spec: str, days: list[tuple[date, int]], pauses=(), n: int = 23) -> list[float]:
    """Loop's checkScoreValues: the score of today, yesterday, ... (no today rule)."""
    s = parse_spec(spec)
    return [momentum(s, days, pauses, ago(j), LATER) for j in range(n)]


# --- Loop: ScoreTest (Score.compute(frequency, previous, checkmark)) ------------------------
# frequency 1.0 is our `1/day`; frequency 1/3 is `1/3d`. `step` is Score.compute.


@pytest.mark.parametrize(
    ("spec", "previous", "check", "expected"),
    [
        ("1/day", 0.0, 1, 0.051922),
        ("1/day", 0.5, 1, 0.525961),
        ("1/day", 0.75, 1, 0.762981),
        ("1/day", 0.0, 0, 0.0),
        ("1/day", 0.5, 0, 0.474039),
        ("1/day", 0.75, 0, 0.711058),
        ("1/3d", 0.0, 1, 0.030314),
        ("1/3d", 0.5, 1, 0.515157),
        ("1/3d", 0.75, 1, 0.757578),
        ("1/3d", 0.0, 0, 0.0),
        ("1/3d", 0.5, 0, 0.484842),
        ("1/3d", 0.75, 0, 0.727263),
    ],
)
def test_loop_score_compute(spec: str, previous: float, check: int, expected: float) -> None:
    assert step(parse_spec(spec), previous, check) == pytest.approx(expected, abs=E)


# --- Loop: YesNoScoreListTest ------------------------------------------------------------
# Loop's habit is daily unless the test sets a frequency; Frequency(n, d) is our `n/dd`
# (or n/week for d = 7, n/month for d = 30: momentum sees the same D). A check is a day
# with practice; a skip is a one-day pause (Loop's skip replaces the check on that day,
# and in ally a day with practice is never paused, so the day has no entry).

LOOP_DAILY_20 = [
    0.655747, 0.636894, 0.617008, 0.596033, 0.573910, 0.550574, 0.525961, 0.500000,
    0.472617, 0.443734, 0.413270, 0.381137, 0.347244, 0.311495, 0.273788, 0.234017,
    0.192067, 0.147820, 0.101149, 0.051922, 0.000000, 0.000000, 0.000000,
]  # fmt: skip


def test_loop_yesno_get_value() -> None:
    # check(0, 20): practice on each of the last 20 days, today included.
    assert scores_back("1/day", on(range(20))) == pytest.approx(LOOP_DAILY_20, abs=E)


def test_loop_yesno_get_value_with_skip() -> None:
    expected = [
        0.596033, 0.573910, 0.550574, 0.525961, 0.500000, 0.472617, 0.472617, 0.443734,
        0.413270, 0.381137, 0.347244, 0.347244, 0.347244, 0.311495, 0.273788, 0.234017,
        0.192067, 0.147820, 0.101149, 0.051922, 0.000000, 0.000000, 0.000000,
    ]  # fmt: skip
    days = on(o for o in range(20) if o not in (5, 10, 11))
    assert scores_back("1/day", days, skips([5, 10, 11])) == pytest.approx(expected, abs=E)


LOOP_SKIP2 = [0.041949, 0.044247, 0.046670, 0.049226, 0.051922, 0.051922, 0.0]


def test_loop_yesno_get_value_with_skip2() -> None:
    # check(5); addSkip(4)
    assert scores_back("1/day", on([5]), skips([4]), n=7) == pytest.approx(LOOP_SKIP2, abs=E)


def test_today_rule_departs_from_loop_on_a_decaying_score() -> None:
    """On the current day momentum is the larger of yesterday's and today's
    value. Loop shows 0.041949 for today in the case above; ally shows yesterday's 0.044247
    until the day is over."""
    value = momentum(parse_spec("1/day"), on([5]), skips([4]), TODAY, TODAY)
    assert value == pytest.approx(0.044247, abs=E)
    # A day later, as of that past day, Loop's value stands.
    assert momentum(parse_spec("1/day"), on([5]), skips([4]), TODAY, TODAY + timedelta(1)) == (
        pytest.approx(0.041949, abs=E)
    )


def test_loop_imperfect_non_daily() -> None:
    # Frequency(3, 7) with two checks a week (offsets 7k and 7k + 1) converges to 2/3;
    # Frequency(4, 7) on the same days converges to 1/2.
    days = on(7 * k + i for k in range(100) for i in (0, 1))
    assert momentum(parse_spec("3/week"), days, [], TODAY, LATER) == pytest.approx(2 / 3, abs=E)
    assert momentum(parse_spec("4/week"), days, [], TODAY, LATER) == pytest.approx(0.5, abs=E)


def test_loop_irregular_non_daily() -> None:
    # Frequency(1, 7), once a week on different weekdays (offsets 14k and 14k + 13).
    days = on(14 * k + i for k in range(100) for i in (0, 13))
    assert momentum(parse_spec("1/week"), days, [], TODAY, LATER) == pytest.approx(1.0, abs=1e-3)


def test_loop_high_score_in_reasonable_time() -> None:
    assert momentum(parse_spec("1/day"), on(range(90)), [], TODAY, LATER) > 0.99
    weekly = [7 * i for i in range(39)]
    assert momentum(parse_spec("1/week"), on(weekly), [], TODAY, LATER) > 0.99
    # Loop's test keeps the weekly checks and adds monthly ones to the same habit.
    both = on(sorted(set(weekly) | {30 * i for i in range(18)}))
    assert momentum(parse_spec("1/30d"), both, [], TODAY, LATER) > 0.99
    assert momentum(parse_spec("1/month"), both, [], TODAY, LATER) > 0.99


def test_loop_recompute() -> None:
    assert momentum(parse_spec("1/day"), [], [], TODAY, LATER) == 0.0
    assert momentum(parse_spec("1/day"), on(range(2)), [], TODAY, LATER) == pytest.approx(
        0.101149, abs=E
    )
    # Frequency(1, 2)
    assert momentum(parse_spec("1/2d"), on(range(2)), [], TODAY, LATER) == pytest.approx(
        0.054816, abs=E
    )


def test_loop_add_then_remove() -> None:
    assert momentum(parse_spec("1/day"), on([0]), [], TODAY, LATER) == pytest.approx(
        0.051922, abs=E
    )
    assert momentum(parse_spec("1/day"), [], [], TODAY, LATER) == 0.0


# --- Loop: NumericalAtLeastScoreListTest --------------------------------------------------
# A numerical habit with target 2.0 and Frequency(1, d) is our `2min/dd` (2min/day for
# daily, 2min/week, 2min/month); Loop stores value x 1000, so 2000 is 2 minutes. Loop's
# AT_MOST habits and a zero target have no counterpart in ally (minutes rhythms ask for
# at least M >= 1 minutes), so NumericalAtMostScoreListTest and test_withZeroTarget are left
# out.


def test_loop_numerical_get_value() -> None:
    assert scores_back("2min/day", on(range(20), 2)) == pytest.approx(LOOP_DAILY_20, abs=E)


def test_loop_numerical_recompute() -> None:
    days = on(range(2), 2)
    assert momentum(parse_spec("2min/day"), days, [], TODAY, LATER) == pytest.approx(
        0.101149, abs=E
    )
    assert momentum(parse_spec("2min/2d"), days, [], TODAY, LATER) == pytest.approx(0.072631, abs=E)


def test_loop_numerical_high_score_in_reasonable_time() -> None:
    assert momentum(parse_spec("2min/day"), on(range(90), 2), [], TODAY, LATER) > 0.99
    weekly = [7 * i for i in range(39)]
    assert momentum(parse_spec("2min/week"), on(weekly, 2), [], TODAY, LATER) > 0.99
    both = on(sorted(set(weekly) | {30 * i for i in range(18)}), 2)
    assert momentum(parse_spec("2min/month"), both, [], TODAY, LATER) > 0.99


def test_loop_numerical_comparable_to_progress() -> None:
    # Target 2.0 with values 1.0 and then 0.5: minutes are whole, so both sides are doubled
    # (4min/day with 2 and then 1 minutes a day); the ratio done / needed is the same.
    spec = parse_spec("4min/day")
    assert momentum(spec, on(range(500), 2), [], TODAY, LATER) == pytest.approx(0.5, abs=E)
    assert momentum(spec, on(range(500), 1), [], TODAY, LATER) == pytest.approx(0.25, abs=E)


def test_loop_numerical_overachieving_is_not_relevant() -> None:
    assert momentum(parse_spec("2min/day"), on([0], 10000), [], TODAY, LATER) == pytest.approx(
        0.051922, abs=E
    )


def test_loop_numerical_with_skip_get_value() -> None:
    expected = [
        0.617008, 0.596033, 0.573910, 0.550574, 0.525961, 0.500000, 0.472617, 0.443734,
        0.413270, 0.381137, 0.347244, 0.347244, 0.311495, 0.273788, 0.234017, 0.192067,
        0.192067, 0.147820, 0.101149, 0.051922, 0.000000, 0.000000, 0.000000,
    ]  # fmt: skip
    days = on([*range(0, 10), *range(11, 15), *range(16, 20)], 2)
    assert scores_back("2min/day", days, skips([10, 15])) == pytest.approx(expected, abs=E)


def test_loop_numerical_skips_do_not_affect_score() -> None:
    spec = parse_spec("2min/day")
    initial = momentum(spec, on(range(500), 1), [], TODAY, LATER)
    rest = [(ago(999), ago(500))]
    assert momentum(spec, on(range(500), 1), rest, TODAY, LATER) == pytest.approx(initial, abs=E)
    days = on([*range(0, 300), *range(500, 700)], 1)
    pauses = [(ago(499), ago(300)), (ago(999), ago(700))]
    assert momentum(spec, days, pauses, TODAY, LATER) == pytest.approx(initial, abs=E)


# --- specs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical", "spec"),
    [
        ("3/week", "3/week", Spec(3, "week")),
        ("1/DAY", "1/day", Spec(1, "day")),
        (" 1 / month ", "1/month", Spec(1, "month")),
        ("2/3d", "2/3d", Spec(2, "block", 3)),
        ("3/7d", "3/7d", Spec(3, "block", 7)),
        ("7/7D", "7/7d", Spec(7, "block", 7)),
        ("03/week", "3/week", Spec(3, "week")),
        ("90min/week", "90min/week", Spec(90, "week", minutes=True)),
        ("20MIN/day", "20min/day", Spec(20, "day", minutes=True)),
        ("120min/14d", "120min/14d", Spec(120, "block", 14, minutes=True)),
        ("30/month", "30/month", Spec(30, "month")),
        ("1/366d", "1/366d", Spec(1, "block", 366)),
        ("1440min/day", "1440min/day", Spec(1440, "day", minutes=True)),
    ],
)
def test_parse_spec(text: str, canonical: str, spec: Spec) -> None:
    assert parse_spec(text) == spec
    assert str(parse_spec(text)) == canonical
    assert parse_setting(text) == canonical


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("3/wek", "is not a rhythm"),
        ("8/week", "from 1 to 7"),
        ("0/week", "from 1 to 7"),
        ("2/day", "from 1 to 1"),
        ("31/month", "from 1 to 30"),
        ("-1min/day", "is not a rhythm"),
        ("0min/day", "from 1 to 1440"),
        ("1441min/day", "from 1 to 1440"),
        ("3/0d", "K from 1 to 366"),
        ("1/367d", "K from 1 to 366"),
        ("4/3d", "from 1 to 3"),
        ("3", "is not a rhythm"),
        ("week", "is not a rhythm"),
        ("3/week/2", "is not a rhythm"),
        ("", "is not a rhythm"),
        ("1.5/week", "is not a rhythm"),
        ("3x/week", "is not a rhythm"),
        ("99999999/week", "is not a rhythm"),
    ],
)
def test_parse_spec_refuses(text: str, words: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_spec(text)
    assert words in err.value.message
    assert err.value.exit_code == 2
    assert "\n" not in err.value.message


@pytest.mark.parametrize(
    ("text", "setting"), [("off", "off"), ("OFF", "off"), (" default", "default")]
)
def test_parse_setting_words(text: str, setting: str) -> None:
    assert parse_setting(text) == setting


# --- units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "day", "start", "end"),
    [
        ("1/day", date(2026, 11, 25), date(2026, 11, 25), date(2026, 11, 25)),
        ("3/week", date(2026, 11, 25), date(2026, 11, 23), date(2026, 11, 29)),
        ("3/week", date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 29)),
        ("3/week", date(2026, 11, 29), date(2026, 11, 23), date(2026, 11, 29)),
        ("1/month", date(2026, 11, 25), date(2026, 11, 1), date(2026, 11, 30)),
        ("1/month", date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),
        ("1/month", date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        ("1/3d", BLOCK_EPOCH, BLOCK_EPOCH, date(1970, 1, 7)),
        ("1/3d", date(1970, 1, 8), date(1970, 1, 8), date(1970, 1, 10)),
        ("1/3d", date(1970, 1, 4), date(1970, 1, 2), date(1970, 1, 4)),  # before the epoch
        # 2026-11-25 is day 20,778 after the epoch: 20,778 = 3 x 6,926, so a block starts.
        ("1/3d", date(2026, 11, 25), date(2026, 11, 25), date(2026, 11, 27)),
        ("1/3d", date(2026, 11, 24), date(2026, 11, 22), date(2026, 11, 24)),
        ("1/7d", date(2026, 11, 25), date(2026, 11, 23), date(2026, 11, 29)),  # weeks align
        ("1/14d", date(2026, 11, 25), date(2026, 11, 23), date(2026, 12, 6)),
    ],
)
def test_unit_of(spec: str, day: date, start: date, end: date) -> None:
    assert unit_of(parse_spec(spec), day) == (start, end)


@pytest.mark.parametrize(
    ("spec", "unpaused", "length", "expected"),
    [
        ("3/week", 7, 7, 3),
        ("3/week", 4, 7, 2),  # ceil(12/7)
        ("3/week", 1, 7, 1),  # ceil(3/7)
        ("3/week", 0, 7, 0),
        ("6/week", 2, 7, 2),  # ceil(12/7) = 2, at most the unpaused days
        ("7/week", 3, 7, 3),
        ("1/month", 15, 30, 1),
        ("30/month", 28, 28, 28),  # February: never more than its days
        ("30/month", 31, 31, 30),
        ("30/month", 10, 31, 10),  # ceil(300/31) = 10
        ("90min/week", 7, 7, 90),
        ("90min/week", 3, 7, 39),  # ceil(270/7)
        ("90min/week", 0, 7, 0),
        ("100min/day", 1, 1, 100),
    ],
)
def test_needed_is_pro_rated(spec: str, unpaused: int, length: int, expected: int) -> None:
    assert needed(parse_spec(spec), unpaused, length) == expected


# Week of 2026-11-23 (Mon) to 2026-11-29 (Sun); TODAY is Wednesday 2026-11-25.
MON, TUE, WED, THU, SUN = (date(2026, 11, d) for d in (23, 24, 25, 26, 29))
WEEK = (MON, SUN)


@pytest.mark.parametrize(
    ("spec", "days", "pauses", "as_of", "today", "expected"),
    [
        pytest.param(
            "3/week", [(MON, 1), (TUE, 2)], [], WED, WED, Unit(*WEEK, OPEN, 2, 3), id="open"
        ),
        pytest.param(
            "3/week", [(MON, 1), (TUE, 1), (WED, 1)], [], WED, WED, Unit(*WEEK, MET, 3, 3), id="met"
        ),
        pytest.param("3/week", [(MON, 1)], [], SUN, SUN, Unit(*WEEK, OPEN, 1, 3), id="ends today"),
        pytest.param(
            "3/week",
            [(MON, 1)],
            [],
            SUN,
            SUN + timedelta(1),
            Unit(*WEEK, NOT_MET, 1, 3),
            id="ended yesterday",
        ),
        pytest.param(
            "3/week", [], [(MON, SUN)], WED, WED, Unit(*WEEK, PAUSED, 0, 0), id="all paused"
        ),
        pytest.param(
            "3/week",
            [(MON, 1)],
            [(THU, SUN)],
            WED,
            WED,
            Unit(*WEEK, OPEN, 1, 2),
            id="future pause lowers what is needed",
        ),
        pytest.param(
            "3/week",
            [(MON, 1), (TUE, 1)],
            [(THU, SUN)],
            WED,
            WED,
            Unit(*WEEK, MET, 2, 2),
            id="met with a pause",
        ),
        pytest.param(
            "1/week",
            [(MON, 1)],
            [(MON, SUN)],
            WED,
            WED,
            Unit(*WEEK, MET, 1, 1),
            id="a practiced day is never paused",
        ),
        pytest.param(
            "3/week",
            [(MON, 1), (TUE, 1), (THU, 1)],
            [],
            WED,
            WED,
            Unit(*WEEK, OPEN, 2, 3),
            id="entries after the as-of day are ignored",
        ),
        pytest.param(
            "90min/week",
            [(MON, 30), (TUE, 0)],
            [],
            WED,
            WED,
            Unit(*WEEK, OPEN, 30, 90),
            id="minutes",
        ),
        pytest.param(
            "90min/week",
            [(MON, 60), (TUE, 30)],
            [],
            WED,
            WED,
            Unit(*WEEK, MET, 90, 90),
            id="minutes met",
        ),
        pytest.param("1/day", [], [], WED, WED, Unit(WED, WED, OPEN, 0, 1), id="today is open"),
        pytest.param(
            "1/day", [], [], TUE, WED, Unit(TUE, TUE, NOT_MET, 0, 1), id="yesterday not met"
        ),
    ],
)
def test_unit_state(spec, days, pauses, as_of, today, expected) -> None:
    assert unit_state(parse_spec(spec), days, pauses, as_of, today) == expected
    assert evaluate(parse_spec(spec), days, pauses, as_of, today).unit == expected


def test_monthly_donation_met_and_week_of_rest_paused() -> None:
    """The issue's 'done when': a monthly donation that was made is met, a week of rest is
    paused, and streaks survive both."""
    donations = [(date(2026, m, 3), 1) for m in (8, 9, 10, 11)]
    status = evaluate(parse_spec("1/month"), donations, [], TODAY, TODAY)
    assert status.unit == Unit(date(2026, 11, 1), date(2026, 11, 30), MET, 1, 1)
    assert status.streak == Streak(4, 4)
    listening = [(date(2026, 11, 10), 1), (date(2026, 11, 25), 1)]
    rest = [(date(2026, 11, 16), date(2026, 11, 22))]
    weekly = evaluate(parse_spec("1/week"), listening, rest, date(2026, 11, 22), TODAY)
    assert weekly.unit == Unit(date(2026, 11, 16), date(2026, 11, 22), PAUSED, 0, 0)
    assert weekly.streak == Streak(1, 1)
    assert evaluate(parse_spec("1/week"), listening, rest, TODAY, TODAY).streak == Streak(2, 2)


# --- rhythm streaks ------------------------------------------------------------------------


def weeks_ago(n: int, weekday: int = 0) -> date:
    return MON - timedelta(days=7 * n) + timedelta(days=weekday)


@pytest.mark.parametrize(
    ("spec", "days", "pauses", "as_of", "expected"),
    [
        pytest.param("1/week", [], [], TODAY, Streak(0, 0), id="nothing"),
        pytest.param(
            "1/week",
            [(weeks_ago(n), 1) for n in (1, 2, 3)],
            [],
            TODAY,
            Streak(3, 3),
            id="open week passed over",
        ),
        pytest.param(
            "1/week",
            [(weeks_ago(n), 1) for n in (0, 1, 2, 3)],
            [],
            TODAY,
            Streak(4, 4),
            id="met this week",
        ),
        pytest.param(
            "1/week",
            [(weeks_ago(n), 1) for n in (1, 3, 4)],
            [],
            TODAY,
            Streak(1, 2),
            id="a week not met breaks it",
        ),
        pytest.param(
            "1/week",
            [(weeks_ago(n), 1) for n in (1, 3, 4)],
            [(weeks_ago(2), weeks_ago(2, 6))],
            TODAY,
            Streak(3, 3),
            id="a paused week is passed over",
        ),
        pytest.param(
            "1/week",
            [(weeks_ago(n), 1) for n in (1, 3, 4)],
            [(weeks_ago(2), weeks_ago(2, 5))],
            TODAY,
            Streak(1, 2),
            id="six paused days still need one",
        ),
        pytest.param(
            "2/week",
            [(weeks_ago(1), 1), (weeks_ago(2), 1), (weeks_ago(2, 1), 1)],
            [(weeks_ago(1, 1), weeks_ago(1, 6))],
            TODAY,
            Streak(2, 2),
            id="pro-rated: one unpaused day needs one",
        ),
        pytest.param(
            "1/week",
            [(weeks_ago(n), 1) for n in (5, 6)],
            [],
            TODAY,
            Streak(0, 2),
            id="weeks with nothing since",
        ),
        pytest.param(
            "1/day",
            [(ago(n), 1) for n in (1, 2, 3, 6, 7)],
            [(ago(5), ago(4))],
            TODAY,
            Streak(5, 5),
            id="daily units with a pause",
        ),
        pytest.param(
            "1/day",
            [(ago(n), 1) for n in (1, 2, 3, 6, 7)],
            [],
            ago(1),
            Streak(3, 3),
            id="as of a past day",
        ),
        pytest.param(
            "1/month",
            [(date(2026, m, 15), 1) for m in (1, 2, 3, 5, 6, 7, 8, 9, 10)],
            [],
            TODAY,
            Streak(6, 6),
            id="months, November still open",
        ),
        pytest.param(
            "90min/week",
            [(weeks_ago(1), 90), (weeks_ago(2), 60), (weeks_ago(3), 120)],
            [],
            TODAY,
            Streak(1, 1),
            id="minutes",
        ),
    ],
)
def test_rhythm_streak(spec, days, pauses, as_of, expected) -> None:
    assert evaluate(parse_spec(spec), days, pauses, as_of, TODAY).streak == expected


# --- momentum: the contract's rules ----------------------------------------------------------


def test_n_equal_d_is_daily() -> None:
    days = on([0, 1, 2, 5, 6, 9])
    for spec in ("7/week", "30/month", "3/3d"):
        assert momentum(parse_spec(spec), days, [], TODAY, LATER) == pytest.approx(
            momentum(parse_spec("1/day"), days, [], TODAY, LATER), abs=1e-15
        )


def test_doubled_window_for_non_daily() -> None:
    # 1/week: window 14 days needing 2. One check 13 days ago still counts half today.
    m = 0.5 ** (math.sqrt(1 / 7) / 13)
    value = momentum(parse_spec("1/week"), on([13]), [], TODAY, LATER)
    assert value == pytest.approx(0.5 * (1 - m**14), abs=1e-12)  # 14 days at 1 of 2
    # On the 15th day the check has left the window: the score only decays.
    later = momentum(parse_spec("1/week"), on([14]), [], TODAY, LATER)
    assert later == pytest.approx(value * m, abs=1e-12)


def test_minutes_window_is_d_days() -> None:
    m = 0.5 ** (math.sqrt(1 / 7) / 13)
    # 60 of 90 minutes a week, one entry 6 days ago: 7 days at 2/3, then out of the window.
    assert momentum(parse_spec("90min/week"), on([6], 60), [], TODAY, LATER) == pytest.approx(
        (2 / 3) * (1 - m**7), abs=1e-12
    )
    assert momentum(parse_spec("90min/week"), on([7], 60), [], TODAY, LATER) == pytest.approx(
        (2 / 3) * (1 - m**7) * m, abs=1e-12
    )


def test_paused_days_leave_momentum_unchanged() -> None:
    spec = parse_spec("1/day")
    base = momentum(spec, on([10]), [], ago(10), LATER)
    assert momentum(spec, on([10]), [(ago(9), ago(0))], TODAY, LATER) == base


def test_zero_before_the_first_counted_day() -> None:
    spec = parse_spec("1/day")
    assert momentum(spec, on([3]), [(ago(30), ago(4))], ago(4), LATER) == 0.0
    assert momentum(spec, on([0], 0), [], TODAY, LATER) == 0.0  # minutes days need above 0


@pytest.mark.parametrize("spec", ["1/day", "3/week", "1/month", "30min/day", "2/3d"])
def test_today_rule(spec: str) -> None:
    s = parse_spec(spec)
    before = on([1, 2, 4, 8], 20)
    yesterday = momentum(s, before, [], ago(1), LATER)
    # Not logged yet today: the larger of yesterday's and today's plain value (a window
    # that still holds earlier days can raise it; a decay never shows before the day ends).
    plain = momentum(s, before, [], TODAY, LATER)
    assert momentum(s, before, [], TODAY, TODAY) == max(yesterday, plain)
    if spec == "1/day":
        assert plain < yesterday  # a daily rhythm decays on an unlogged day: not shown yet
    # Logged today: never lower than yesterday's, and today's when that is higher.
    after = on([0, 1, 2, 4, 8], 20)
    assert momentum(s, after, [], TODAY, TODAY) == max(
        yesterday, momentum(s, after, [], TODAY, LATER)
    )
    assert momentum(s, after, [], TODAY, TODAY) >= yesterday


# --- daily streaks with pauses -------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "pauses", "as_of", "expected"),
    [
        pytest.param([], [], TODAY, Streak(0, 0), id="empty"),
        pytest.param([ago(1), ago(2)], [], TODAY, Streak(2, 2), id="alive through today"),
        pytest.param([ago(2), ago(3)], [], TODAY, Streak(0, 2), id="ended"),
        pytest.param(
            [ago(3), ago(4)], [(ago(2), ago(1))], TODAY, Streak(2, 2), id="pause to yesterday"
        ),
        pytest.param(
            [ago(3), ago(4)], [(ago(2), ago(0))], TODAY, Streak(2, 2), id="pause through today"
        ),
        pytest.param(
            [ago(0), ago(3), ago(4)],
            [(ago(2), ago(1))],
            TODAY,
            Streak(3, 3),
            id="bridged by a pause",
        ),
        pytest.param(
            [ago(0), ago(3), ago(4)],
            [(ago(2), ago(2))],
            TODAY,
            Streak(1, 2),
            id="a pause too short",
        ),
        pytest.param(
            [ago(0), ago(1), ago(2)],
            [(ago(5), ago(0))],
            TODAY,
            Streak(3, 3),
            id="practiced days in a pause count",
        ),
        pytest.param(
            [ago(5), ago(6)],
            [(ago(4), ago(3))],
            ago(2),
            Streak(0, 2),
            id="as of a past day, not alive",
        ),
        pytest.param(
            [ago(5), ago(6)], [(ago(4), ago(2))], ago(2), Streak(2, 2), id="as of a paused day"
        ),
        pytest.param([ago(0)], [], ago(1), Streak(0, 0), id="later days ignored"),
    ],
)
def test_daily_streak(days, pauses, as_of, expected) -> None:
    assert daily_streak(days, pauses, as_of, TODAY) == expected


def test_paused_days_and_covers() -> None:
    pauses = [(ago(10), ago(8)), (ago(9), ago(5))]
    assert paused_days(pauses, ago(7), ago(0), practiced=[ago(6)]) == [ago(7), ago(5)]
    assert paused_days(pauses, ago(20), ago(0)) == [ago(n) for n in range(10, 4, -1)]
    assert covers(None, "money") and covers(["money"], "money")
    assert not covers(["action"], "money")


# --- properties against day-by-day references -----------------------------------------------

FIRST = date(2026, 1, 1)
offsets = st.lists(st.integers(0, 120), max_size=40)
spec_texts = st.sampled_from(
    ["1/day", "1/week", "3/week", "7/week", "1/month", "2/month", "2/3d", "1/10d", "3/3d",
     "1/1d", "30min/day", "90min/week", "100min/month", "45min/4d", "20min/1d"]
)  # fmt: skip
pause_lists = st.lists(
    st.tuples(st.integers(0, 120), st.integers(0, 15)).map(
        lambda t: (FIRST + timedelta(t[0]), FIRST + timedelta(t[0] + t[1]))
    ),
    max_size=4,
)
values = st.integers(0, 90)


def _inputs(offs: list[int], vals: list[int]) -> list[tuple[date, int]]:
    merged: dict[date, int] = {}
    for o, v in zip(offs, vals * (len(offs) // max(1, len(vals)) + 1), strict=False):
        merged[FIRST + timedelta(o)] = merged.get(FIRST + timedelta(o), 0) + max(v, 1)
    return sorted(merged.items())


def reference_momentum(spec: Spec, days, pauses, as_of: date) -> float:
    """The contract's words, day by day, with no cleverness."""
    value = dict(d for d in days if d[0] <= as_of)
    counted = sorted(d for d, v in value.items() if v > 0)
    if not counted:
        return 0.0

    def paused(d: date) -> bool:
        return d not in value and any(s <= d <= u for s, u in pauses)

    f = 1 / spec.days if spec.minutes else spec.amount / spec.days
    m = 0.5 ** (math.sqrt(f) / 13)
    if spec.minutes:
        width, need = spec.days, spec.amount
    elif spec.amount == spec.days:
        width, need = 1, 1
    else:
        width, need = 2 * spec.days, 2 * spec.amount
    x = 0.0
    d = counted[0]
    while d <= as_of:
        if not paused(d):
            inside = [value.get(d - timedelta(i), 0) for i in range(width)]
            done = sum(inside) if spec.minutes else sum(1 for v in inside if v > 0)
            x = x * m + min(1, done / need) * (1 - m)
        d += timedelta(1)
    return x


def reference_units(spec: Spec, days, pauses, as_of: date, today: date):
    value = {d: v for d, v in days if d <= as_of}
    counted = sorted(d for d, v in value.items() if v > 0)

    def state(start: date, end: date) -> tuple[str, int, int]:
        span = [start + timedelta(i) for i in range((end - start).days + 1)]
        unpaused = [d for d in span if d in value or not any(s <= d <= u for s, u in pauses)]
        if spec.minutes:
            need = math.ceil(spec.amount * len(unpaused) / len(span))
            done = sum(value.get(d, 0) for d in span)
        else:
            need = min(len(unpaused), math.ceil(spec.amount * len(unpaused) / len(span)))
            done = sum(1 for d in span if value.get(d, 0) > 0)
        if need == 0:
            return PAUSED, done, need
        if done >= need:
            return MET, done, need
        if end > as_of or (end == as_of == today):
            return OPEN, done, need
        return NOT_MET, done, need

    start, end = unit_of(spec, as_of)
    current = Unit(start, end, *state(start, end))
    if not counted:
        return current, Streak(0, 0)
    units = []
    d = unit_of(spec, counted[0])[0]
    while d <= as_of:
        s, e = unit_of(spec, d)
        units.append(state(s, e)[0])
        d = e + timedelta(1)
    run = longest = 0
    for u in units:
        if u == MET:
            run += 1
            longest = max(longest, run)
        elif u == NOT_MET:
            run = 0
    return current, Streak(run, longest)


@settings(max_examples=150, deadline=None)
@given(spec_texts, offsets, st.lists(values, min_size=1, max_size=5), pause_lists,
       st.integers(0, 130))  # fmt: skip
def test_momentum_matches_day_by_day_reference(text, offs, vals, pauses, as_of_offset) -> None:
    spec = parse_spec(text)
    days = _inputs(offs, vals)
    as_of = FIRST + timedelta(as_of_offset)
    got = momentum(spec, days, pauses, as_of, LATER)
    assert got == pytest.approx(reference_momentum(spec, days, pauses, as_of), abs=1e-9)
    assert 0.0 <= got <= 1.0


@settings(max_examples=150, deadline=None)
@given(spec_texts, offsets, st.lists(values, min_size=1, max_size=5), pause_lists,
       st.integers(0, 130), st.integers(0, 2))  # fmt: skip
def test_units_and_streaks_match_reference(text, offs, vals, pauses, as_of_offset, later) -> None:
    spec = parse_spec(text)
    days = _inputs(offs, vals)
    as_of = FIRST + timedelta(as_of_offset)
    today = as_of + timedelta(later)
    status = evaluate(spec, days, pauses, as_of, today)
    assert (status.unit, status.streak) == reference_units(spec, days, pauses, as_of, today)
    assert status.streak.current <= status.streak.longest


@settings(max_examples=100, deadline=None)
@given(spec_texts, offsets, pause_lists, st.integers(0, 130))
def test_logging_today_never_lowers_momentum(text, offs, pauses, as_of_offset) -> None:
    spec = parse_spec(text)
    today = FIRST + timedelta(as_of_offset)
    days = _inputs(offs, [30])
    logged = sorted({**dict(days), today: dict(days).get(today, 0) + 30}.items())
    assert momentum(spec, logged, pauses, today, today) >= momentum(
        spec, days, pauses, today, today
    )


@settings(max_examples=150, deadline=None)
@given(offsets, pause_lists, st.integers(0, 130), st.integers(0, 1))
def test_daily_streak_matches_reference(offs, pauses, as_of_offset, later) -> None:
    days = [FIRST + timedelta(o) for o in offs]
    as_of = FIRST + timedelta(as_of_offset)
    today = as_of + timedelta(later)
    got = daily_streak(reversed(days), pauses, as_of, today)
    assert got == evaluate(parse_spec("1/day"), _inputs(offs, [1]), pauses, as_of, today).streak
    assert got.current <= got.longest <= len({d for d in days if d <= as_of})


@given(spec_texts)
def test_canonical_form_round_trips(text: str) -> None:
    spec = parse_spec(text)
    assert parse_spec(str(spec)) == spec
    assert parse_spec(str(spec).upper()) == spec


@pytest.mark.parametrize("text", ["1/day", "1/week", "3/week", "1/month", "60min/week"])
def test_long_history_agrees_with_the_full_day_by_day_score(text: str) -> None:
    """_scores starts where older history can change the value by at most 1e-13."""
    import random

    rng = random.Random(9)
    days = sorted((ago(o), rng.choice((1, 30, 45))) for o in rng.sample(range(3000), 1800))
    pauses = [(ago(400), ago(380)), (ago(90), ago(60))]
    spec = parse_spec(text)
    expected = reference_momentum(spec, days, pauses, TODAY)
    assert momentum(spec, days, pauses, TODAY, LATER) == pytest.approx(expected, abs=1e-12)


# --- gaps under rhythms --------------------------------------------------------------------


def test_gaps_follow_the_rhythm_rule() -> None:
    from allycli.core.insights import Gap
    from allycli.core.rhythms import gaps

    week = (date(2026, 11, 23), date(2026, 11, 29))
    settings = {
        "practice": "1/day", "action": "1/week", "listening": "3/week", "learning": "1/week",
        "yielding": "1/week", "money": "1/month", "voting": "off",
    }  # fmt: skip
    units = {
        "practice": Unit(TODAY, TODAY, OPEN, 0, 1),  # open with nothing done: a gap
        "action": Unit(*week, OPEN, 0, 1),  # likewise
        "listening": Unit(*week, OPEN, 1, 3),  # open, under way: no gap
        "learning": Unit(*week, MET, 1, 1),
        "yielding": Unit(*week, OPEN, 0, 1),  # but paused on the as-of day
        "money": Unit(date(2026, 10, 1), date(2026, 10, 31), NOT_MET, 0, 1),
    }
    last = {"practice": ago(1), "action": ago(9), "money": ago(60), "protest": ago(3)}
    in_period = {"protest": 0, "advocacy": 2}
    found = gaps(in_period, settings, units, last, {"yielding"}, TODAY)
    assert found == (
        Gap("action_type", "interrupting", None, None),
        Gap("action_type", "volunteering", None, None),
        Gap("action_type", "training", None, None),
        Gap("action_type", "children", None, None),
        Gap("action_type", "money", ago(60), 60),
        Gap("pillar", "action", ago(9), 9),
        Gap("action_type", "protest", ago(3), 3),
        Gap("practice", "practice", ago(1), 1),
    )


@pytest.mark.parametrize(
    ("days", "paused", "expected"),
    [
        ([], [], 0),
        ([ago(0), ago(1)], [], 2),
        ([ago(1), ago(2)], [], 2),  # alive through today
        ([ago(2), ago(3)], [], 0),
        ([ago(3), ago(4)], [ago(1), ago(2)], 2),
        ([ago(0), ago(3)], [ago(1), ago(2)], 2),
        ([ago(0), ago(3)], [ago(2)], 1),
        ([ago(3)], [ago(0), ago(1), ago(2)], 1),
    ],
)
def test_current_streak_from_newest_days_passes_over_pauses(days, paused, expected) -> None:
    assert streaks.current_streak(iter(days), set(paused), TODAY, TODAY) == expected
    pauses = [(d, d) for d in paused]
    assert daily_streak(days, pauses, TODAY, TODAY).current == expected
