"""Rhythm specs and their units: parsing a spec once into a small frozen value with a
canonical form, the units it judges (day, calendar week, calendar month, K-day block) and
what a unit needs when some of its days are paused. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from allycli.core.errors import UsageError
from allycli.core.fields import excerpt
from allycli.core.taxonomy import ACTION_TYPES, PILLARS

BLOCK_EPOCH = date(1970, 1, 5)  # a Monday: K-day blocks and weeks are counted from it
EPOCH_ORDINAL = BLOCK_EPOCH.toordinal()
MAX_BLOCK_DAYS = 366
UNIT_DAYS = {"day": 1, "week": 7, "month": 30}

OFF = "off"
DEFAULT = "default"
CATEGORIES: tuple[str, ...] = ("practice", *PILLARS, *ACTION_TYPES)
DEFAULT_RHYTHMS: dict[str, str] = {"practice": "1/day", **dict.fromkeys(PILLARS, "1/week")}

MET, OPEN, NOT_MET, PAUSED = "met", "open", "not met", "paused"

SPEC_HINT = (
    "Use N/day, N/week, N/month or N/Kd (days with practice, for example 3/week or 2/3d), "
    "Mmin/week and the like (minutes, for example 90min/week), off or default."
)
_SPEC = re.compile(r"^(\d{1,7})(min)?/(?:(day|week|month)|(\d{1,7})d)$")


def kind_of(category: str) -> str:
    """`practice`, `pillar` or `action_type`."""
    if category == "practice":
        return "practice"
    return "pillar" if category in PILLARS else "action_type"


@dataclass(frozen=True)
class Spec:
    """A parsed rhythm: `amount` days with practice (or minutes) in every unit."""

    amount: int
    unit: str  # day | week | month | block
    block: int = 0  # K, for blocks
    minutes: bool = False

    @property
    def days(self) -> int:
        """D: the days of the unit as momentum sees them (1, 7, 30 or K)."""
        return self.block if self.unit == "block" else UNIT_DAYS[self.unit]

    def __str__(self) -> str:
        per = f"{self.block}d" if self.unit == "block" else self.unit
        return f"{self.amount}{'min' if self.minutes else ''}/{per}"


def parse_spec(text: str) -> Spec:
    """A spec such as `3/week`, `1/month`, `2/3d` or `90min/week`; refuses anything else."""
    word = "".join(text.split()).lower()
    m = _SPEC.match(word)
    shown = excerpt(text.strip())
    if m is None:
        raise UsageError(f"'{shown}' is not a rhythm. {SPEC_HINT}")
    amount, minutes, unit, block = int(m[1]), bool(m[2]), m[3], m[4]
    spec = Spec(amount, unit or "block", int(block) if block else 0, minutes)
    if block is not None and not 1 <= spec.block <= MAX_BLOCK_DAYS:
        raise UsageError(
            f"'{shown}': a block of K days needs K from 1 to {MAX_BLOCK_DAYS}, for example 2/3d."
        )
    if minutes:
        most = 1440 * spec.days
        if not 1 <= amount <= most:
            raise UsageError(
                f"'{shown}': the minutes must be from 1 to {most} for that unit, "
                "for example 90min/week."
            )
    elif not 1 <= amount <= spec.days:
        per = f"{spec.block} days" if spec.unit == "block" else f"a {spec.unit}"
        raise UsageError(
            f"'{shown}': the days with practice in {per} must be from 1 to {spec.days}, "
            f"for example 1/{str(spec).split('/')[1]}."
        )
    return spec


def parse_setting(text: str) -> str:
    """What `ally rhythm CATEGORY SPEC` stores: a canonical spec, `off` or `default`."""
    word = "".join(text.split()).lower()
    if word in (OFF, DEFAULT):
        return word
    return str(parse_spec(text))


def effective(category: str, stored: str | None) -> str | None:
    """The rhythm in force: the stored setting, else the default (None: no rhythm)."""
    return stored if stored is not None else DEFAULT_RHYTHMS.get(category)


# -- units ---------------------------------------------------------------------------------


def unit_index(spec: Spec, ordinal: int) -> int:
    """Consecutive units have consecutive indexes."""
    if spec.unit == "day":
        return ordinal
    if spec.unit == "month":
        d = date.fromordinal(ordinal)
        return d.year * 12 + d.month - 1
    return (ordinal - EPOCH_ORDINAL) // (7 if spec.unit == "week" else spec.block)


def unit_span(spec: Spec, index: int) -> tuple[int, int]:
    """First and last ordinal of a unit."""
    if spec.unit == "day":
        return index, index
    if spec.unit == "month":
        year, month = divmod(index, 12)
        start = date(year, month + 1, 1)
        nxt = date(year + (month == 11), 1 if month == 11 else month + 2, 1)
        return start.toordinal(), nxt.toordinal() - 1
    k = 7 if spec.unit == "week" else spec.block
    first = EPOCH_ORDINAL + index * k
    return first, first + k - 1


def unit_of(spec: Spec, day: date) -> tuple[date, date]:
    start, end = unit_span(spec, unit_index(spec, day.toordinal()))
    return date.fromordinal(start), date.fromordinal(end)


def needed(spec: Spec, unpaused: int, length: int) -> int:
    """Days (or minutes) a unit needs, pro-rated for its paused days."""
    share = -(-spec.amount * unpaused // length)
    return share if spec.minutes else min(unpaused, share)
