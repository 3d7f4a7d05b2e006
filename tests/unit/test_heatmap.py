"""heatmap.layout: exact grids, labels, levels, busiest week and streaks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core import heatmap, streaks
from allycli.core.streaks import Streak


def paused_days(rests, category: str, start: date, end: date) -> frozenset[date]:  # type: ignore[no-untyped-def]
    """The calendar's paused days: the spans of the pauses that cover `category`."""
    spans = [(s, u) for s, u, cats in rests if cats is None or category in cats]
    return streaks.paused_days(spans, start, end)


D = date


def test_a_calendar_year_starts_on_the_monday_before_new_year_and_ends_on_a_sunday() -> None:
    cal = heatmap.layout({}, D(2026, 1, 1), D(2026, 12, 31), D(2026, 11, 25))
    assert len(cal.weeks) == 53
    assert all(len(w) == 7 for w in cal.weeks)
    # 2026-01-01 is a Thursday: Monday to Wednesday of the first week lie outside the year
    assert cal.weeks[0][:3] == (None, None, None)
    assert cal.weeks[0][3] is not None and cal.weeks[0][3].day == D(2026, 1, 1)
    # 2026-12-31 is a Thursday too
    assert cal.weeks[-1][3] is not None and cal.weeks[-1][3].day == D(2026, 12, 31)
    assert cal.weeks[-1][4:] == (None, None, None)


def test_a_year_can_take_54_weeks() -> None:
    # 2012 is a leap year from a Sunday to a Monday: 54 week columns
    cal = heatmap.layout({}, D(2012, 1, 1), D(2012, 12, 31), D(2026, 12, 31))
    assert len(cal.weeks) == 54


def test_month_labels_sit_on_the_week_holding_the_first() -> None:
    cal = heatmap.layout({}, D(2026, 1, 1), D(2026, 12, 31), D(2026, 12, 31))
    assert cal.months == (
        (0, "Jan"), (4, "Feb"), (8, "Mar"), (13, "Apr"), (17, "May"), (22, "Jun"),
        (26, "Jul"), (30, "Aug"), (35, "Sep"), (39, "Oct"), (43, "Nov"), (48, "Dec"),
    )  # fmt: skip


@pytest.mark.parametrize(("count", "level"), [(0, 0), (1, 1), (2, 2), (3, 3), (17, 3)])
def test_levels_are_none_one_two_three_or_more(count: int, level: int) -> None:
    assert heatmap.level(count) == level


def test_cells_carry_counts_paused_and_future() -> None:
    counts = {D(2026, 6, 1): 2, D(2026, 6, 3): 5}
    cal = heatmap.layout(
        counts, D(2026, 6, 1), D(2026, 6, 14), D(2026, 6, 10), paused={D(2026, 6, 2), D(2026, 6, 3)}
    )
    first = cal.weeks[0]
    assert first[0] == heatmap.Cell(D(2026, 6, 1), 2, 2, False, False)
    assert first[1] == heatmap.Cell(D(2026, 6, 2), 0, 0, True, False)
    # a day with practice is never paused
    assert first[2] == heatmap.Cell(D(2026, 6, 3), 5, 3, False, False)
    second = cal.weeks[1]
    assert second[2] == heatmap.Cell(D(2026, 6, 10), 0, 0, False, False)
    assert second[3] == heatmap.Cell(D(2026, 6, 11), 0, 0, False, True)
    assert cal.total == 7
    assert cal.days_practiced == 2
    assert cal.paused_days == 1


def test_busiest_week_is_the_week_with_most_entries_earliest_on_ties() -> None:
    counts = {D(2026, 3, 2): 2, D(2026, 3, 4): 1, D(2026, 3, 10): 3, D(2026, 3, 20): 1}
    cal = heatmap.layout(counts, D(2026, 3, 1), D(2026, 3, 31), D(2026, 12, 1))
    assert cal.busiest == heatmap.Busiest(D(2026, 3, 2), D(2026, 3, 8), 3)
    # the first week of the range is clipped to the range
    cal = heatmap.layout({D(2026, 3, 1): 4}, D(2026, 3, 1), D(2026, 3, 31), D(2026, 12, 1))
    assert cal.busiest == heatmap.Busiest(D(2026, 3, 1), D(2026, 3, 1), 4)


def test_no_busiest_week_without_entries() -> None:
    cal = heatmap.layout({}, D(2026, 1, 1), D(2026, 12, 31), D(2026, 11, 25))
    assert cal.busiest is None
    assert cal.streak == Streak(0, 0)


def test_streak_is_as_of_the_year_end_and_counts_history_before_the_range() -> None:
    history = {D(2025, 12, 30), D(2025, 12, 31)}
    counts = {D(2026, 1, 1): 1, D(2026, 1, 2): 1}
    cal = heatmap.layout(counts, D(2026, 1, 1), D(2026, 1, 2), D(2026, 6, 1), history=history)
    assert cal.as_of == D(2026, 1, 2)
    assert cal.streak == Streak(4, 4)


def test_streak_stays_alive_through_today() -> None:
    counts = {D(2026, 11, 23): 1, D(2026, 11, 24): 1}
    cal = heatmap.layout(counts, D(2026, 1, 1), D(2026, 12, 31), D(2026, 11, 25))
    assert cal.as_of == D(2026, 11, 25)
    assert cal.streak == Streak(2, 2)


def test_paused_days_are_passed_over_by_the_streak() -> None:
    counts = {D(2026, 5, 1): 1, D(2026, 5, 2): 1, D(2026, 5, 6): 1, D(2026, 5, 7): 1}
    paused = {D(2026, 5, 3), D(2026, 5, 4), D(2026, 5, 5)}
    cal = heatmap.layout(counts, D(2026, 5, 1), D(2026, 5, 7), D(2026, 6, 1), paused=paused)
    assert cal.streak == Streak(4, 4)
    unpaused = heatmap.layout(counts, D(2026, 5, 1), D(2026, 5, 7), D(2026, 6, 1))
    assert unpaused.streak == Streak(2, 2)


@given(
    st.dictionaries(
        st.dates(D(2026, 1, 1), D(2026, 12, 31)), st.integers(min_value=1, max_value=9)
    ),
    st.sets(st.dates(D(2026, 1, 1), D(2026, 12, 31))),
)
def test_every_day_of_the_range_appears_once_in_order(
    counts: dict[date, int], paused: set[date]
) -> None:
    cal = heatmap.layout(counts, D(2026, 1, 1), D(2026, 12, 31), D(2026, 12, 31), paused=paused)
    days = [c.day for w in cal.weeks for c in w if c is not None]
    assert days == [D(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    assert cal.total == sum(counts.values())
    assert cal.streak.longest <= len(counts)
    assert cal.streak.current <= cal.streak.longest


def test_paused_days_cover_the_named_categories_or_all() -> None:
    rests = [
        (D(2026, 5, 1), D(2026, 5, 3), None),
        (D(2026, 5, 10), D(2026, 5, 11), ("listening",)),
        (D(2026, 4, 28), D(2026, 5, 1), ("protest", "money")),
    ]
    assert paused_days(rests, "practice", D(2026, 5, 2), D(2026, 5, 31)) == {
        D(2026, 5, 2), D(2026, 5, 3),
    }  # fmt: skip
    assert paused_days(rests, "listening", D(2026, 5, 1), D(2026, 5, 31)) == {
        D(2026, 5, 1), D(2026, 5, 2), D(2026, 5, 3), D(2026, 5, 10), D(2026, 5, 11),
    }  # fmt: skip
    # pausing an action type does not pause its pillar
    assert paused_days(rests, "action", D(2026, 4, 1), D(2026, 4, 30)) == frozenset()
    assert paused_days(rests, "money", D(2026, 4, 1), D(2026, 4, 30)) == {
        D(2026, 4, 28), D(2026, 4, 29), D(2026, 4, 30),
    }  # fmt: skip


def test_a_day_to_come_with_an_entry_from_a_zone_ahead_is_shown_as_it_is_counted() -> None:
    today = D(2026, 6, 10)
    cal = heatmap.layout({D(2026, 6, 11): 1}, D(2026, 6, 1), D(2026, 6, 14), today)
    assert cal.weeks[1][3] == heatmap.Cell(D(2026, 6, 11), 1, 1, False, False)
    assert cal.weeks[1][4] == heatmap.Cell(D(2026, 6, 12), 0, 0, False, True)
    assert cal.total == 1
