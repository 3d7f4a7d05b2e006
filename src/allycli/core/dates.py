"""DATE words and calendar periods. Pure: every function takes `today`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from allycli.core.errors import UsageError
from allycli.core.fields import excerpt

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_AGO = re.compile(r"^(\d{1,5})\s+(day|week)s?\s+ago$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# The first day a person can type: anything earlier is a typo (0226 for 2026) or a test of
# the tool, and a report from year 1 would print for minutes. Stored rows from earlier
# (an import of an old export) are still read, exported, imported and synced.
FIRST_DAY = date(1900, 1, 1)

DATE_HINT = (
    "Use YYYY-MM-DD, today, yesterday, 'N days ago', 'N weeks ago' or a weekday name "
    "(monday or 'last monday')."
)


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar days, with a name for people."""

    start: date
    end: date
    kind: str  # week | month | year | range

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def parse_date(
    text: str,
    today: date,
    *,
    allow_future: bool = False,
    option: str = "",
    latest: str = "today",
) -> date:
    """Parse a DATE word as the user's local calendar day, from 1900-01-01 on.

    A future day is refused by the words that named it ("--date tomorrow is in the future"),
    never as "not a date"; `option` names the flag in that message. With `allow_future` the
    caller keeps its own end, and `latest` says what that end is in the refusal of a day
    before 1900 ("days from 1900 on, up to today").
    """
    word = " ".join(text.strip().lower().split())
    if word.startswith("last "):  # "last monday" is the most recent Monday, as "monday" is
        rest = word[len("last ") :]
        word = rest if rest in WEEKDAYS or _weekday_prefix(rest) is not None else word
    day: date | None = None
    if word == "today":
        day = today
    elif word == "tomorrow":
        day = today + timedelta(days=1)
    elif word == "yesterday":
        day = today - timedelta(days=1)
    elif (m := _AGO.match(word)) is not None:
        back = int(m.group(1)) * (7 if m.group(2) == "week" else 1)
        day = today - timedelta(days=back) if back < today.toordinal() else date.min
    elif word in WEEKDAYS or (len(word) >= 3 and _weekday_prefix(word) is not None):
        wanted = WEEKDAYS.index(word) if word in WEEKDAYS else _weekday_prefix(word)
        assert wanted is not None
        back = (today.weekday() - wanted) % 7 or 7  # the most recent one, today excluded
        day = today - timedelta(days=back)
    elif _ISO.match(word):
        try:
            day = date.fromisoformat(word)
        except ValueError:
            day = None
    flag = option + " " if option else ""
    if day is None:
        raise UsageError(f"'{excerpt(text)}' is not a date. {DATE_HINT}")
    if day < FIRST_DAY:
        named = word if _ISO.match(word) else f"{word} ({day.isoformat()})"
        raise UsageError(
            f"{flag}{named} is before 1900; ally takes days from 1900 on "
            f"({FIRST_DAY.isoformat()} to {latest})."
        )
    if day > today and not allow_future:
        named = (
            word if _ISO.match(word) else f"{word} ({day_name(day, year=day.year != today.year)})"
        )
        raise UsageError(f"{flag}{named} is in the future; practice can be recorded up to today.")
    return day


def _weekday_prefix(word: str) -> int | None:
    found = [i for i, name in enumerate(WEEKDAYS) if name.startswith(word)]
    return found[0] if len(found) == 1 else None


def week_of(day: date) -> Period:
    start = day - timedelta(days=day.weekday())
    return Period(start, start + timedelta(days=6), "week")


def month_of(day: date) -> Period:
    start = day.replace(day=1)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return Period(start, nxt - timedelta(days=1), "month")


def year_of(day: date) -> Period:
    return Period(date(day.year, 1, 1), date(day.year, 12, 31), "year")


def explicit_range(since: date, until: date) -> Period:
    if since > until:
        raise UsageError(
            f"--since {since.isoformat()} is after --until {until.isoformat()}; "
            "give the earlier date first."
        )
    return Period(since, until, "range")


# -- naming days for people ----------------------------------------------------------------

WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def day_name(d: date, *, year: bool = False) -> str:
    """Wed 25 Nov, or Wed 25 Nov 2026."""
    text = f"{WEEKDAY_ABBR[d.weekday()]} {d.day} {MONTH_ABBR[d.month - 1]}"
    return f"{text} {d.year}" if year else text


def spoken(d: date, today: date) -> str:
    """How every confirmation names a day: "today, Wed 25 Nov", "yesterday, Tue 24 Nov",
    "Fri 13 Nov (12 days ago)", with the year when it is not this year's."""
    shown = day_name(d, year=d.year != today.year)
    if d == today:
        return f"today, {shown}"
    if d == today - timedelta(days=1):
        return f"yesterday, {shown}"  # on 1 January: "yesterday, Thu 31 Dec 2026"
    if d == today + timedelta(days=1):
        return f"tomorrow, {shown}"
    ago = (today - d).days
    if ago > 0:
        return f"{shown} ({ago} day{'' if ago == 1 else 's'} ago)"
    return shown


def stamp(now: datetime) -> str:
    """A time as stored (created_at, updated_at, deleted_at): ISO 8601 with its offset, to
    the microsecond. Every write names its time through here."""
    return now.isoformat(timespec="microseconds")
