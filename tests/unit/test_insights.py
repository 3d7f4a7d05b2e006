"""Streaks, gaps and buckets: exact tables and properties over calendar days."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core import rhythms, streaks
from allycli.core.dates import Period, explicit_range, month_of, week_of, year_of
from allycli.core.insights import Bucket, Gap, bucket_plan, buckets
from allycli.core.streaks import Streak
from allycli.core.taxonomy import ACTION_TYPES, PILLARS

TODAY = date(2026, 11, 25)


# The release-1 tables, asked of the one home of each rule: the daily streak with no pause,
# and the gaps of categories that have no rhythm.
def streak(days, as_of: date, today: date) -> Streak:  # type: ignore[no-untyped-def]
    return streaks.daily_streak(days, (), as_of, today)


def current_streak_from_recent(days_desc, today: date) -> int:  # type: ignore[no-untyped-def]
    return streaks.current_streak(days_desc, (), today, today)


def gaps(by_pillar, by_type, last_pillar, last_type, as_of: date) -> tuple[Gap, ...]:  # type: ignore[no-untyped-def]
    last = {**last_pillar, **last_type}
    return rhythms.gaps({**by_pillar, **by_type}, {}, {}, last, (), as_of)


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def ago_all(*ns: int) -> list[date]:
    return [ago(n) for n in ns]


# --- streak: exact table -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "as_of", "expected"),
    [
        pytest.param([], TODAY, Streak(0, 0), id="empty"),
        pytest.param(ago_all(0), TODAY, Streak(1, 1), id="today only"),
        pytest.param(ago_all(1), TODAY, Streak(1, 1), id="yesterday only, alive through today"),
        pytest.param(ago_all(1, 2), TODAY, Streak(2, 2), id="yesterday and before, alive"),
        pytest.param(ago_all(0, 1, 2), TODAY, Streak(3, 3), id="three up to today"),
        pytest.param(ago_all(2, 3, 4), TODAY, Streak(0, 3), id="ended two days ago"),
        pytest.param(ago_all(2), TODAY, Streak(0, 1), id="single day two days ago"),
        pytest.param(ago_all(0, 2, 3), TODAY, Streak(1, 2), id="today after a missed day"),
        pytest.param(
            ago_all(0, 0, 1, 1, 1, 2), TODAY, Streak(3, 3), id="duplicates are irrelevant"
        ),
        pytest.param(
            ago_all(0, 1, 5, 6, 7, 8, 20, 21, 22),
            TODAY,
            Streak(2, 4),
            id="longest over several runs",
        ),
        pytest.param(
            ago_all(10, 11, 12, 13, 14, 30, 31),
            TODAY,
            Streak(0, 5),
            id="longest kept after streak ends",
        ),
        # as_of in the past: no grace day, since that day has ended
        pytest.param(ago_all(3, 4), ago(2), Streak(0, 2), id="past as_of without entry"),
        pytest.param(ago_all(2, 3, 4), ago(2), Streak(3, 3), id="past as_of with entry"),
        pytest.param(
            ago_all(0, 1, 3, 4), ago(2), Streak(0, 2), id="past as_of, later days ignored"
        ),
        pytest.param(
            ago_all(0, 1, 2, 3, 4, 5, 9, 10),
            ago(9),
            Streak(2, 2),
            id="days after as_of ignored for longest",
        ),
    ],
)
def test_streak_table(days: list[date], as_of: date, expected: Streak) -> None:
    assert streak(days, as_of, TODAY) == expected


def test_streak_ignores_days_after_today() -> None:
    assert streak([ago(-1), ago(-2), ago(0)], TODAY, TODAY) == Streak(1, 1)


def test_streak_accepts_any_iterable() -> None:
    assert streak(iter(ago_all(0, 1)), TODAY, TODAY) == Streak(2, 2)


def test_streak_across_month_and_year_boundaries() -> None:
    days = [date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 2)]
    assert streak(days, date(2026, 1, 2), date(2026, 1, 3)) == Streak(4, 4)
    assert streak(days, date(2026, 1, 3), date(2026, 1, 3)) == Streak(4, 4)
    assert streak(days, date(2026, 1, 3), date(2026, 1, 5)) == Streak(0, 4)


day_sets = st.sets(st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31)), max_size=60)


def longest_by_brute_force(days: set[date]) -> int:
    best = 0
    for d in days:
        n = 0
        while d + timedelta(days=n) in days:
            n += 1
        best = max(best, n)
    return best


@given(day_sets)
def test_longest_matches_a_brute_force_count(days: set[date]) -> None:
    far = date(2027, 1, 5)
    assert streak(days, far, far).longest == longest_by_brute_force(days)


@given(day_sets, st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31)))
def test_longest_at_least_current(days: set[date], as_of: date) -> None:
    result = streak(days, as_of, TODAY)
    assert result.longest >= result.current


@given(st.lists(st.dates(min_value=date(2026, 9, 1), max_value=TODAY), max_size=80))
def test_longest_at_most_distinct_days(days: list[date]) -> None:
    result = streak(days, TODAY, TODAY)
    assert result.longest <= len(set(days))
    assert result.current <= len(set(days))


@given(st.lists(st.dates(min_value=date(2026, 9, 1), max_value=TODAY), max_size=60), st.randoms())
def test_order_and_duplicates_never_matter(days: list[date], rnd: object) -> None:
    shuffled = list(days) + days[: len(days) // 2]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert streak(shuffled, TODAY, TODAY) == streak(sorted(set(days)), TODAY, TODAY)


@given(day_sets, st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31)))
def test_adding_a_day_never_decreases_longest(days: set[date], extra: date) -> None:
    as_of = date(2026, 12, 31)
    before = streak(days, as_of, as_of).longest
    after = streak(days | {extra}, as_of, as_of).longest
    assert after >= before


@given(st.sets(st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 20)), max_size=80))
def test_current_streak_from_recent_agrees_with_streak(days: set[date]) -> None:
    desc = sorted(days, reverse=True)
    assert current_streak_from_recent(desc, TODAY) == streak(days, TODAY, TODAY).current


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], 0),
        (ago_all(0), 1),
        (ago_all(1), 1),
        (ago_all(0, 1, 2), 3),
        (ago_all(1, 2, 4), 2),
        (ago_all(2, 3), 0),
        (ago_all(-3, -1, 0, 1), 2),  # future days are skipped
        (ago_all(-1, 2), 0),
    ],
)
def test_current_streak_from_recent_table(days: list[date], expected: int) -> None:
    assert current_streak_from_recent(days, TODAY) == expected


def test_current_streak_from_recent_stops_reading_at_the_first_break() -> None:
    read: list[date] = []

    def cursor():  # type: ignore[no-untyped-def]
        for d in ago_all(0, 1, 3, 4, 5, 6):
            read.append(d)
            yield d

    assert current_streak_from_recent(cursor(), TODAY) == 2
    assert read == ago_all(0, 1, 3)


# --- gaps -------------------------------------------------------------------------------

ALL_ZERO_PILLARS = dict.fromkeys(PILLARS, 0)
ALL_ZERO_TYPES = dict.fromkeys(ACTION_TYPES, 0)


def test_design_example() -> None:
    """The contract's example: period 2026-06-08..2026-06-14, voting last seen 2026-06-07."""
    by_pillar = {"action": 4, "listening": 1, "learning": 1, "yielding": 0}
    by_type = {
        "protest": 1,
        "advocacy": 1,
        "interrupting": 0,
        "volunteering": 1,
        "voting": 0,
        "training": 1,
        "children": 0,
        "money": 1,
    }
    last_pillar = {"action": date(2026, 6, 14), "listening": date(2026, 6, 13)}
    last_type = {
        "voting": date(2026, 6, 7),
        "interrupting": date(2026, 6, 1),
        "children": date(2026, 6, 7),
        "protest": date(2026, 6, 12),
    }
    assert gaps(by_pillar, by_type, last_pillar, last_type, date(2026, 6, 14)) == (
        Gap("pillar", "yielding", None, None),
        Gap("action_type", "interrupting", date(2026, 6, 1), 13),
        Gap("action_type", "voting", date(2026, 6, 7), 7),
        Gap("action_type", "children", date(2026, 6, 7), 7),
    )


def test_nothing_ever_practiced_lists_everything_in_vocabulary_order() -> None:
    result = gaps({}, {}, {}, {}, TODAY)
    assert result == (
        Gap("pillar", "action", None, None),
        Gap("pillar", "listening", None, None),
        Gap("pillar", "learning", None, None),
        Gap("pillar", "yielding", None, None),
        Gap("action_type", "protest", None, None),
        Gap("action_type", "advocacy", None, None),
        Gap("action_type", "interrupting", None, None),
        Gap("action_type", "volunteering", None, None),
        Gap("action_type", "voting", None, None),
        Gap("action_type", "training", None, None),
        Gap("action_type", "children", None, None),
        Gap("action_type", "money", None, None),
    )


def test_everything_practiced_means_no_gaps() -> None:
    assert gaps(dict.fromkeys(PILLARS, 1), dict.fromkeys(ACTION_TYPES, 2), {}, {}, TODAY) == ()


def test_never_first_then_most_days_since_then_pillars_before_types() -> None:
    by_pillar = {"action": 3, "listening": 0, "learning": 0, "yielding": 0}
    by_type = {**dict.fromkeys(ACTION_TYPES, 1), "money": 0, "protest": 0, "voting": 0}
    last_pillar = {"listening": ago(10), "learning": ago(4)}
    last_type = {"money": ago(10), "protest": ago(30)}
    assert gaps(by_pillar, by_type, last_pillar, last_type, TODAY) == (
        Gap("pillar", "yielding", None, None),
        Gap("action_type", "voting", None, None),
        Gap("action_type", "protest", ago(30), 30),
        Gap("pillar", "listening", ago(10), 10),
        Gap("action_type", "money", ago(10), 10),
        Gap("pillar", "learning", ago(4), 4),
    )


def test_ties_keep_vocabulary_order_among_action_types() -> None:
    by_type = {**dict.fromkeys(ACTION_TYPES, 0), "training": 1}
    last_type = dict.fromkeys(ACTION_TYPES, ago(5))
    result = gaps(dict.fromkeys(PILLARS, 1), by_type, {}, last_type, TODAY)
    assert [g.category for g in result] == [
        "protest",
        "advocacy",
        "interrupting",
        "volunteering",
        "voting",
        "children",
        "money",
    ]
    assert {g.days_since for g in result} == {5}


def test_categories_with_counts_are_not_gaps_even_if_missing_from_last() -> None:
    by_pillar = {"action": 1, "listening": 2, "learning": 0, "yielding": 5}
    result = gaps(by_pillar, dict.fromkeys(ACTION_TYPES, 1), {}, {}, TODAY)
    assert result == (Gap("pillar", "learning", None, None),)


def test_missing_count_keys_are_zero() -> None:
    result = gaps({"action": 1, "listening": 1, "learning": 1}, dict.fromkeys(ACTION_TYPES, 1),
                  {"yielding": ago(3)}, {}, TODAY)  # fmt: skip
    assert result == (Gap("pillar", "yielding", ago(3), 3),)


def test_last_practiced_after_as_of_is_treated_as_never() -> None:
    as_of = date(2026, 6, 14)
    result = gaps(
        {**dict.fromkeys(PILLARS, 1), "yielding": 0},
        {**dict.fromkeys(ACTION_TYPES, 1), "voting": 0},
        {"yielding": date(2026, 6, 20)},
        {"voting": date(2026, 6, 15)},
        as_of,
    )
    assert result == (
        Gap("pillar", "yielding", None, None),
        Gap("action_type", "voting", None, None),
    )


@pytest.mark.parametrize(
    ("last", "as_of", "days_since"),
    [
        (date(2026, 6, 7), date(2026, 6, 14), 7),
        (date(2026, 6, 14), date(2026, 6, 14), 0),
        (date(2026, 6, 7), date(2026, 6, 10), 3),
        (date(2025, 12, 31), date(2026, 1, 1), 1),
        (date(2025, 6, 14), date(2026, 6, 14), 365),
    ],
)
def test_days_since_is_counted_against_as_of(last: date, as_of: date, days_since: int) -> None:
    result = gaps(
        {**dict.fromkeys(PILLARS, 1), "listening": 0},
        dict.fromkeys(ACTION_TYPES, 1),
        {"listening": last},
        {},
        as_of,
    )
    assert result == (Gap("pillar", "listening", last, days_since),)


@given(
    st.dictionaries(st.sampled_from(PILLARS), st.integers(0, 3)),
    st.dictionaries(st.sampled_from(tuple(ACTION_TYPES)), st.integers(0, 3)),
    st.dictionaries(st.sampled_from(PILLARS), st.dates(date(2026, 1, 1), date(2026, 12, 31))),
    st.dictionaries(
        st.sampled_from(tuple(ACTION_TYPES)), st.dates(date(2026, 1, 1), date(2026, 12, 31))
    ),
)
def test_gaps_properties(
    by_pillar: dict[str, int],
    by_type: dict[str, int],
    last_pillar: dict[str, date],
    last_type: dict[str, date],
) -> None:
    result = gaps(by_pillar, by_type, last_pillar, last_type, TODAY)
    expected_pillars = {p for p in PILLARS if not by_pillar.get(p)}
    expected_types = {t for t in ACTION_TYPES if not by_type.get(t)}
    assert {g.category for g in result if g.kind == "pillar"} == expected_pillars
    assert {g.category for g in result if g.kind == "action_type"} == expected_types
    for g in result:
        if g.last_practiced is None:
            assert g.days_since is None
        else:
            assert g.last_practiced <= TODAY
            assert g.days_since == (TODAY - g.last_practiced).days
    # most neglected first: never, then non-increasing days since
    rank = [float("inf") if g.days_since is None else g.days_since for g in result]
    assert rank == sorted(rank, reverse=True)


# --- buckets --------------------------------------------------------------------------------


def test_a_week_is_seven_day_buckets_monday_to_sunday() -> None:
    plan = bucket_plan(week_of(date(2026, 11, 25)))
    assert plan == [
        ("Mon", date(2026, 11, 23), date(2026, 11, 23)),
        ("Tue", date(2026, 11, 24), date(2026, 11, 24)),
        ("Wed", date(2026, 11, 25), date(2026, 11, 25)),
        ("Thu", date(2026, 11, 26), date(2026, 11, 26)),
        ("Fri", date(2026, 11, 27), date(2026, 11, 27)),
        ("Sat", date(2026, 11, 28), date(2026, 11, 28)),
        ("Sun", date(2026, 11, 29), date(2026, 11, 29)),
    ]


def test_a_week_across_a_year_boundary() -> None:
    plan = bucket_plan(week_of(date(2026, 1, 1)))
    assert [(start, end) for _, start, end in plan] == [
        (date(2025, 12, 29) + timedelta(days=i),) * 2 for i in range(7)
    ]
    assert [label for label, _, _ in plan] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_a_month_is_week_slices_clipped_to_the_month() -> None:
    assert bucket_plan(month_of(date(2026, 11, 25))) == [
        ("Sun 1 Nov", date(2026, 11, 1), date(2026, 11, 1)),
        ("2-8 Nov", date(2026, 11, 2), date(2026, 11, 8)),
        ("9-15 Nov", date(2026, 11, 9), date(2026, 11, 15)),
        ("16-22 Nov", date(2026, 11, 16), date(2026, 11, 22)),
        ("23-29 Nov", date(2026, 11, 23), date(2026, 11, 29)),
        ("Mon 30 Nov", date(2026, 11, 30), date(2026, 11, 30)),
    ]


def test_february_of_a_leap_year() -> None:
    assert bucket_plan(month_of(date(2028, 2, 10))) == [
        ("1-6 Feb", date(2028, 2, 1), date(2028, 2, 6)),
        ("7-13 Feb", date(2028, 2, 7), date(2028, 2, 13)),
        ("14-20 Feb", date(2028, 2, 14), date(2028, 2, 20)),
        ("21-27 Feb", date(2028, 2, 21), date(2028, 2, 27)),
        ("28-29 Feb", date(2028, 2, 28), date(2028, 2, 29)),
    ]


def test_a_year_is_twelve_months() -> None:
    plan = bucket_plan(year_of(date(2028, 5, 5)))
    assert [label for label, _, _ in plan] == [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]  # fmt: skip
    assert [(start, end) for _, start, end in plan][:3] == [
        (date(2028, 1, 1), date(2028, 1, 31)),
        (date(2028, 2, 1), date(2028, 2, 29)),
        (date(2028, 3, 1), date(2028, 3, 31)),
    ]
    assert plan[-1] == ("Dec", date(2028, 12, 1), date(2028, 12, 31))


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (
            date(2026, 6, 12),
            date(2026, 6, 14),
            [
                ("Fri", date(2026, 6, 12), date(2026, 6, 12)),
                ("Sat", date(2026, 6, 13), date(2026, 6, 13)),
                ("Sun", date(2026, 6, 14), date(2026, 6, 14)),
            ],
        ),
        (
            date(2026, 6, 10),
            date(2026, 6, 30),
            [
                ("10-14 Jun", date(2026, 6, 10), date(2026, 6, 14)),
                ("15-21 Jun", date(2026, 6, 15), date(2026, 6, 21)),
                ("22-28 Jun", date(2026, 6, 22), date(2026, 6, 28)),
                ("29-30 Jun", date(2026, 6, 29), date(2026, 6, 30)),
            ],
        ),
        (
            date(2025, 11, 15),
            date(2026, 2, 20),
            [
                ("Nov 2025", date(2025, 11, 15), date(2025, 11, 30)),
                ("Dec 2025", date(2025, 12, 1), date(2025, 12, 31)),
                ("Jan 2026", date(2026, 1, 1), date(2026, 1, 31)),
                ("Feb 2026", date(2026, 2, 1), date(2026, 2, 20)),
            ],
        ),
    ],
)
def test_ranges_are_sliced_by_length(
    since: date, until: date, expected: list[tuple[str, date, date]]
) -> None:
    assert bucket_plan(explicit_range(since, until)) == expected


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(0, 800),
)
def test_bucket_plan_tiles_the_period(start: date, length: int) -> None:
    period = explicit_range(start, start + timedelta(days=length))
    plan = bucket_plan(period)
    assert plan[0][1] == period.start
    assert plan[-1][2] == period.end
    for (_, _, end), (_, nxt, _) in itertools.pairwise(plan):
        assert nxt == end + timedelta(days=1)
    assert all(s <= e for _, s, e in plan)


def test_buckets_sum_counts_and_ignore_days_outside_the_period() -> None:
    period = week_of(date(2026, 11, 25))
    daily = {
        (date(2026, 11, 23), "action"): 2,
        (date(2026, 11, 23), "listening"): 1,
        (date(2026, 11, 25), "yielding"): 3,
        (date(2026, 11, 29), "learning"): 1,
        (date(2026, 11, 22), "action"): 9,  # the Sunday before
        (date(2026, 11, 30), "action"): 9,  # the Monday after
        (date(2026, 11, 24), "sleeping"): 9,  # not a pillar
    }
    result = buckets(period, daily)
    zero = dict.fromkeys(PILLARS, 0)
    assert result == (
        Bucket(
            "Mon", date(2026, 11, 23), date(2026, 11, 23), {**zero, "action": 2, "listening": 1}
        ),
        Bucket("Tue", date(2026, 11, 24), date(2026, 11, 24), zero),
        Bucket("Wed", date(2026, 11, 25), date(2026, 11, 25), {**zero, "yielding": 3}),
        Bucket("Thu", date(2026, 11, 26), date(2026, 11, 26), zero),
        Bucket("Fri", date(2026, 11, 27), date(2026, 11, 27), zero),
        Bucket("Sat", date(2026, 11, 28), date(2026, 11, 28), zero),
        Bucket("Sun", date(2026, 11, 29), date(2026, 11, 29), {**zero, "learning": 1}),
    )
    assert [b.total for b in result] == [3, 0, 3, 0, 0, 0, 1]


def test_month_buckets_sum_across_days_of_each_week() -> None:
    period = month_of(date(2026, 11, 25))
    daily = {
        (date(2026, 10, 31), "action"): 5,  # outside
        (date(2026, 11, 1), "action"): 1,
        (date(2026, 11, 2), "action"): 1,
        (date(2026, 11, 8), "action"): 2,
        (date(2026, 11, 8), "listening"): 4,
        (date(2026, 11, 9), "learning"): 1,
        (date(2026, 11, 30), "yielding"): 2,
        (date(2026, 12, 1), "yielding"): 7,  # outside
    }
    result = buckets(period, daily)
    assert [b.label for b in result] == [
        "Sun 1 Nov", "2-8 Nov", "9-15 Nov", "16-22 Nov", "23-29 Nov", "Mon 30 Nov",
    ]  # fmt: skip
    assert [dict(b.by_pillar) for b in result] == [
        {"action": 1, "listening": 0, "learning": 0, "yielding": 0},
        {"action": 3, "listening": 4, "learning": 0, "yielding": 0},
        {"action": 0, "listening": 0, "learning": 1, "yielding": 0},
        {"action": 0, "listening": 0, "learning": 0, "yielding": 0},
        {"action": 0, "listening": 0, "learning": 0, "yielding": 0},
        {"action": 0, "listening": 0, "learning": 0, "yielding": 2},
    ]
    assert [b.total for b in result] == [1, 7, 1, 0, 0, 2]


def test_year_buckets() -> None:
    period = year_of(date(2026, 11, 25))
    daily = {
        (date(2026, 1, 1), "action"): 1,
        (date(2026, 1, 31), "action"): 1,
        (date(2026, 2, 1), "listening"): 1,
        (date(2026, 12, 31), "yielding"): 3,
        (date(2025, 12, 31), "yielding"): 8,  # outside
        (date(2027, 1, 1), "yielding"): 8,  # outside
    }
    result = buckets(period, daily)
    assert len(result) == 12
    assert [b.total for b in result] == [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]
    assert result[0].by_pillar["action"] == 2
    assert result[11].by_pillar["yielding"] == 3


@given(
    st.dictionaries(
        st.tuples(
            st.dates(min_value=date(2026, 10, 1), max_value=date(2027, 2, 28)),
            st.sampled_from(PILLARS),
        ),
        st.integers(0, 5),
        max_size=60,
    ),
    st.sampled_from(["week", "month", "year"]),
)
def test_buckets_total_is_the_sum_of_days_inside(
    daily: dict[tuple[date, str], int], kind: str
) -> None:
    period: Period = {"week": week_of, "month": month_of, "year": year_of}[kind](TODAY)
    result = buckets(period, daily)
    assert sum(b.total for b in result) == sum(n for (d, _), n in daily.items() if d in period)
    for b in result:
        assert set(b.by_pillar) == set(PILLARS)
        assert b.total == sum(n for (d, _), n in daily.items() if b.start <= d <= b.end)
