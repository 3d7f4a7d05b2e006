"""DATE words and calendar periods, all relative to a fixed `today`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core import dates
from allycli.core.dates import (
    DATE_HINT,
    WEEKDAYS,
    Period,
    explicit_range,
    month_of,
    parse_date,
    week_of,
    year_of,
)
from allycli.core.errors import UsageError

TODAY = date(2026, 11, 25)  # a Wednesday


def test_today_is_a_wednesday() -> None:
    assert TODAY.weekday() == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25", date(2026, 11, 25)),
        ("2026-11-24", date(2026, 11, 24)),
        ("2024-02-29", date(2024, 2, 29)),
        ("1999-12-31", date(1999, 12, 31)),
        ("today", date(2026, 11, 25)),
        ("yesterday", date(2026, 11, 24)),
        ("0 days ago", date(2026, 11, 25)),
        ("1 day ago", date(2026, 11, 24)),
        ("1 days ago", date(2026, 11, 24)),
        ("3 days ago", date(2026, 11, 22)),
        ("30 days ago", date(2026, 10, 26)),
        ("365 days ago", date(2025, 11, 25)),
        # weekday names: the most recent such day, today excluded
        ("monday", date(2026, 11, 23)),
        ("tuesday", date(2026, 11, 24)),
        ("wednesday", date(2026, 11, 18)),
        ("thursday", date(2026, 11, 19)),
        ("friday", date(2026, 11, 20)),
        ("saturday", date(2026, 11, 21)),
        ("sunday", date(2026, 11, 22)),
        # three-letter (or longer) prefixes
        ("mon", date(2026, 11, 23)),
        ("tue", date(2026, 11, 24)),
        ("wed", date(2026, 11, 18)),
        ("thu", date(2026, 11, 19)),
        ("thurs", date(2026, 11, 19)),
        ("fri", date(2026, 11, 20)),
        ("sat", date(2026, 11, 21)),
        ("sun", date(2026, 11, 22)),
        # case and whitespace
        ("  Today ", date(2026, 11, 25)),
        ("YESTERDAY", date(2026, 11, 24)),
        ("Friday", date(2026, 11, 20)),
        ("  3   days\tago ", date(2026, 11, 22)),
        (" 2026-11-01\n", date(2026, 11, 1)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("today", "word", "expected"),
    [
        (date(2026, 11, 23), "monday", date(2026, 11, 16)),  # on a Monday: a week back
        (date(2026, 11, 23), "sunday", date(2026, 11, 22)),
        (date(2026, 11, 22), "sunday", date(2026, 11, 15)),
        (date(2026, 11, 22), "monday", date(2026, 11, 16)),
        (date(2026, 1, 1), "wednesday", date(2025, 12, 31)),  # across a year boundary
        (date(2026, 1, 1), "thursday", date(2025, 12, 25)),
        (date(2026, 3, 1), "saturday", date(2026, 2, 28)),
        (date(2026, 1, 1), "yesterday", date(2025, 12, 31)),
        (date(2028, 3, 1), "1 day ago", date(2028, 2, 29)),
    ],
)
def test_parse_date_relative_to_other_days(today: date, word: str, expected: date) -> None:
    assert parse_date(word, today) == expected


@given(today=st.dates(min_value=date(1900, 1, 8)), index=st.integers(0, 6))
def test_weekday_is_the_most_recent_such_day_before_today(today: date, index: int) -> None:
    day = parse_date(WEEKDAYS[index], today)
    assert day.weekday() == index
    assert 1 <= (today - day).days <= 7


@given(today=st.dates(min_value=date(1930, 1, 1)), n=st.integers(0, 9999))
def test_n_days_ago(today: date, n: int) -> None:
    assert parse_date(f"{n} days ago", today) == today - timedelta(days=n)


@given(today=st.dates(min_value=date(2092, 1, 1)), n=st.integers(0, 9999))
def test_n_weeks_ago(today: date, n: int) -> None:
    assert parse_date(f"{n} weeks ago", today) == today - timedelta(weeks=n)


@given(today=st.dates(min_value=date(1900, 1, 8)), index=st.integers(0, 6))
def test_last_weekday_is_the_weekday(today: date, index: int) -> None:
    name = WEEKDAYS[index]
    assert parse_date(f"last {name}", today) == parse_date(name, today)
    assert parse_date(f"Last  {name[:3].upper()}", today) == parse_date(name, today)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 week ago", date(2026, 11, 18)),
        ("2 weeks ago", date(2026, 11, 11)),
        ("0 weeks ago", date(2026, 11, 25)),
        ("  2   Weeks\tago ", date(2026, 11, 11)),
        ("last monday", date(2026, 11, 23)),
        ("last wednesday", date(2026, 11, 18)),  # today excluded, as `wednesday`
        ("last sun", date(2026, 11, 22)),
    ],
)
def test_words_that_people_bring_from_other_journals(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("1899-12-31", "1899-12-31"),
        ("0001-01-01", "0001-01-01"),
        ("0226-12-05", "0226-12-05"),  # a typo for 2026
        ("99999 days ago", "99999 days ago (1753-02-10)"),
        ("9999 weeks ago", "9999 weeks ago (1835-04-08)"),
    ],
)
def test_days_before_1900_are_refused_with_the_range(text: str, named: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_date(text, TODAY, option="--date")
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        f"--date {named} is before 1900; ally takes days from 1900 on (1900-01-01 to today)."
    )


def test_the_first_day_is_taken_and_the_door_names_its_own_end() -> None:
    assert parse_date("1900-01-01", TODAY) == date(1900, 1, 1)
    with pytest.raises(UsageError) as caught:
        parse_date("1899-12-31", TODAY, allow_future=True, latest="366 days ahead")
    assert caught.value.message == (
        "1899-12-31 is before 1900; ally takes days from 1900 on (1900-01-01 to 366 days ahead)."
    )


@pytest.mark.parametrize(
    ("day", "today", "said"),
    [
        (date(2025, 12, 31), date(2026, 1, 1), "yesterday, Wed 31 Dec 2025"),
        (date(2027, 1, 1), date(2026, 12, 31), "tomorrow, Fri 1 Jan 2027"),
        (date(2026, 11, 24), TODAY, "yesterday, Tue 24 Nov"),
        (TODAY, TODAY, "today, Wed 25 Nov"),
        (date(2025, 12, 1), TODAY, "Mon 1 Dec 2025 (359 days ago)"),
    ],
)
def test_a_day_from_another_year_carries_its_year(day: date, today: date, said: str) -> None:
    assert dates.spoken(day, today) == said


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat(), TODAY) == day


@pytest.mark.parametrize(
    ("text", "expected_day"),
    [
        ("2026-11-26", "2026-11-26"),
        ("2027-01-01", "2027-01-01"),
    ],
)
def test_future_dates_are_usage_errors(text: str, expected_day: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_date(text, TODAY)
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        f"{expected_day} is in the future; practice can be recorded up to today."
    )


def test_tomorrow_is_a_future_day_named_as_given() -> None:
    with pytest.raises(UsageError) as caught:
        parse_date("Tomorrow", TODAY, option="--date")
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        "--date tomorrow (Thu 26 Nov) is in the future; practice can be recorded up to today."
    )
    assert parse_date("tomorrow", TODAY, allow_future=True) == date(2026, 11, 26)


def test_future_dates_are_allowed_when_asked() -> None:
    assert parse_date("2026-12-01", TODAY, allow_future=True) == date(2026, 12, 1)


@given(st.dates(min_value=TODAY + timedelta(days=1)))
def test_every_future_iso_date_is_refused(day: date) -> None:
    with pytest.raises(UsageError, match="is in the future"):
        parse_date(day.isoformat(), TODAY)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("2026-02-30", "2026-02-30"),
        ("2026-13-01", "2026-13-01"),
        ("2026-00-10", "2026-00-10"),
        ("2026-1-5", "2026-1-5"),
        ("26-11-25", "26-11-25"),
        ("2026/11/25", "2026/11/25"),
        ("soon", "soon"),
        ("", ""),
        ("   ", "   "),
        ("days ago", "days ago"),
        ("-1 days ago", "-1 days ago"),
        ("three days ago", "three days ago"),
        ("123456 days ago", "123456 days ago"),
        ("mo", "mo"),  # too short for a weekday prefix
        ("t", "t"),
        ("mondays", "mondays"),
        ("\x1b[2Jnow", "\\x1b[2Jnow"),
        ("x" * 60, "x" * 39 + "…"),
    ],
)
def test_invalid_dates_are_usage_errors_with_a_hint(text: str, named: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_date(text, TODAY)
    assert caught.value.exit_code == 2
    assert caught.value.message == f"'{named}' is not a date. {DATE_HINT}"
    assert DATE_HINT == (
        "Use YYYY-MM-DD, today, yesterday, 'N days ago', 'N weeks ago' or a weekday name "
        "(monday or 'last monday')."
    )


# --- periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 11, 25), date(2026, 11, 23), date(2026, 11, 29)),
        (date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 29)),  # a Monday
        (date(2026, 11, 29), date(2026, 11, 23), date(2026, 11, 29)),  # a Sunday
        (date(2026, 1, 1), date(2025, 12, 29), date(2026, 1, 4)),  # a Thursday, across years
        (date(2025, 12, 31), date(2025, 12, 29), date(2026, 1, 4)),
        (date(2026, 4, 30), date(2026, 4, 27), date(2026, 5, 3)),  # across months
        (date(2028, 2, 29), date(2028, 2, 28), date(2028, 3, 5)),
        (date(2026, 6, 10), date(2026, 6, 8), date(2026, 6, 14)),
    ],
)
def test_week_of_is_monday_to_sunday(day: date, start: date, end: date) -> None:
    assert week_of(day) == Period(start, end, "week")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 1)))
def test_week_of_properties(day: date) -> None:
    week = week_of(day)
    assert week.start.weekday() == 0
    assert week.end.weekday() == 6
    assert week.days == 7
    assert day in week


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 11, 25), date(2026, 11, 1), date(2026, 11, 30)),
        (date(2028, 2, 10), date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        (date(2026, 2, 28), date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        (date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 31)),
        (date(2026, 1, 31), date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 4, 15), date(2026, 4, 1), date(2026, 4, 30)),
    ],
)
def test_month_of(day: date, start: date, end: date) -> None:
    assert month_of(day) == Period(start, end, "month")


@given(st.dates(max_value=date(9999, 11, 30)))
def test_month_of_properties(day: date) -> None:
    month = month_of(day)
    assert month.start == day.replace(day=1)
    assert month.end.month == day.month
    assert (month.end + timedelta(days=1)).day == 1
    assert day in month


@pytest.mark.parametrize(
    ("day", "days"),
    [(date(2026, 11, 25), 365), (date(2028, 7, 1), 366), (date(2026, 1, 1), 365)],
)
def test_year_of(day: date, days: int) -> None:
    period = year_of(day)
    assert period == Period(date(day.year, 1, 1), date(day.year, 12, 31), "year")
    assert period.days == days


def test_explicit_range() -> None:
    period = explicit_range(date(2026, 6, 8), date(2026, 6, 14))
    assert period == Period(date(2026, 6, 8), date(2026, 6, 14), "range")
    assert period.days == 7


def test_explicit_range_of_one_day() -> None:
    period = explicit_range(date(2026, 6, 8), date(2026, 6, 8))
    assert period.days == 1
    assert date(2026, 6, 8) in period


def test_explicit_range_with_since_after_until_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        explicit_range(date(2026, 6, 15), date(2026, 6, 14))
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        "--since 2026-06-15 is after --until 2026-06-14; give the earlier date first."
    )


@pytest.mark.parametrize(
    ("value", "inside"),
    [
        (date(2026, 6, 7), False),
        (date(2026, 6, 8), True),
        (date(2026, 6, 11), True),
        (date(2026, 6, 14), True),
        (date(2026, 6, 15), False),
        ("2026-06-10", False),  # not a date
        (None, False),
    ],
)
def test_period_contains_only_days_in_range(value: object, inside: bool) -> None:
    assert (value in Period(date(2026, 6, 8), date(2026, 6, 14), "range")) is inside


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 11, 25), "today, Wed 25 Nov"),
        (date(2026, 11, 24), "yesterday, Tue 24 Nov"),
        (date(2026, 11, 26), "tomorrow, Thu 26 Nov"),
        (date(2026, 11, 23), "Mon 23 Nov (2 days ago)"),
        (date(2026, 1, 1), "Thu 1 Jan (328 days ago)"),
        (date(2025, 12, 31), "Wed 31 Dec 2025 (329 days ago)"),
        (date(2026, 12, 1), "Tue 1 Dec"),
    ],
)
def test_spoken_names_days_one_way(day: date, words: str) -> None:
    assert dates.spoken(day, date(2026, 11, 25)) == words
