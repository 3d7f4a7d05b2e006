"""The prompt of the day over a year and over one day, through the journal and a real SQLite file.

A pillar's pool is its own reflection prompts plus those of the action types the person has
logged, the day's prompt the pool's entry at the day's number modulo its size, and the pillar is
judged from entries created before the day began: so nobody meets a reflection prompt twice
within 14 days, answered or not, and the prompt stays the same all day whatever is logged.
"""

from __future__ import annotations

import itertools
import uuid
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from allycli.core import prompts
from allycli.core.records import Record
from allycli.core.taxonomy import ACTION_TYPES, PILLARS
from allycli.journal import practice
from allycli.journal.context import Context
from allycli.store import promptfiles
from allycli.store.database import Store

ZONE = timezone(timedelta(hours=-5))
START = date(2026, 1, 1)  # a Thursday; the simulated year is 2026
# What the person has logged, before the year begins: a type of each pillar but the neglected
# one (training is the learning pillar's type; the others are action's).
TYPES = {"action": ("protest", "money"), "learning": ("training",)}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


BUILTIN = promptfiles.load([promptfiles.builtin_path()])


class _Context(Context):
    """The journal's context with the built-in prompts read once, not once a day."""

    def load_prompts(self) -> tuple[prompts.Prompt, ...]:
        return BUILTIN


def context(db: Path, now: datetime) -> Context:
    return _Context(store=Store(db), today=now.date(), now=now)


def practice_row(day: date, made: datetime, pillar: str, action_type: str | None = None) -> tuple:
    return Record(
        id=str(uuid.uuid4()),
        kind="practice",
        day=day.isoformat(),
        created_at=made.isoformat(timespec="microseconds"),
        pillar=pillar,
        action_type=action_type,
    ).row()


def history(db: Path, neglected: str) -> None:
    """A month before the year: every pillar but `neglected` logged daily, with its types."""
    rows = []
    for back in range(1, 31):
        day = START - timedelta(days=back)
        for pillar in PILLARS:
            if pillar != neglected:
                rows.append(practice_row(day, at(day, 19), pillar))
                for action_type in TYPES.get(pillar, ()):
                    rows.append(practice_row(day, at(day, 19), pillar, action_type))
    Store(db).insert(rows)


def shortest_return(days: list[str]) -> int | None:
    """The fewest days between two showings of one prompt."""
    last: dict[str, int] = {}
    shortest = None
    for i, pid in enumerate(days):
        if pid in last and (shortest is None or i - last[pid] < shortest):
            shortest = i - last[pid]
        last[pid] = i
    return shortest


def a_year(db: Path, neglected: str, answers: bool) -> list[prompts.Prompt]:
    """The prompt of each day of 2026 for a person who logs every pillar but `neglected` each
    evening and, if `answers`, answers the morning's prompt."""
    history(db, neglected)
    store = Store(db)
    shown = []
    for i in range(365):
        day = START + timedelta(days=i)
        ctx = context(db, at(day, 8))
        prompt = practice.todays_prompt(ctx)
        shown.append(prompt)
        if answers:
            practice.reflect(ctx, prompt, f"Answer {i}")
        store.insert([practice_row(day, at(day, 19), p) for p in PILLARS if p != neglected])
    return shown


@pytest.mark.slow
@pytest.mark.parametrize("neglected", PILLARS)
def test_a_year_never_repeats_a_prompt_within_14_days_answered_or_not(
    tmp_path: Path, neglected: str
) -> None:
    answered = a_year(tmp_path / "answers.db", neglected, answers=True)
    silent = a_year(tmp_path / "silent.db", neglected, answers=False)
    assert [p.id for p in answered] == [p.id for p in silent]
    ids = [p.id for p in answered]
    shortest = shortest_return(ids)
    assert shortest is not None and shortest >= 14
    # the lean still brings the neglected pillar most days, and its prompts take turns
    by_pillar = Counter(p.pillar for p in answered)
    assert by_pillar[neglected] > 0.4 * 365
    assert by_pillar[neglected] > 2 * max(n for p, n in by_pillar.items() if p != neglected)
    # the neglected pillar's types were never logged either: its pool is its own prompts,
    # and each comes back only a whole number of turns through that pool later
    pool = [p for p in BUILTIN if p.kind == "reflection" and p.pillar == neglected]
    pool = [p for p in pool if p.action_type is None]
    for pid in {p.id for p in pool}:
        days = [i for i, shown in enumerate(ids) if shown == pid]
        assert days, pid
        assert {(b - a) % len(pool) for a, b in itertools.pairwise(days)} <= {0}, pid
    # only logged types bring their prompts; a type of the neglected pillar never does
    types = {p.action_type for p in answered if p.action_type}
    logged = {t for p, ts in TYPES.items() if p != neglected for t in ts}
    assert types <= logged
    assert all(ACTION_TYPES[t] != neglected for t in types)


def test_the_rule_gives_each_day_the_pools_entry_at_its_number(tmp_path: Path) -> None:
    """Yielding never logged, protest and money logged: the journal hands the rule exactly
    the pillars' last days and the logged types, as of the day's start."""
    db = tmp_path / "ally.db"
    history(db, "yielding")
    for i in range(20):
        day = START + timedelta(days=i)
        ctx = context(db, at(day, 12))
        last = {p: START - timedelta(days=1) for p in PILLARS if p != "yielding"}
        expected = prompts.prompt_of_the_day(BUILTIN, day, last, {"protest", "money", "training"})
        assert practice.todays_prompt(ctx) == expected


def test_the_prompt_stays_the_same_all_day_whatever_is_logged(tmp_path: Path) -> None:
    db = tmp_path / "ally.db"
    history(db, "yielding")
    day = START + timedelta(days=40)
    morning = practice.todays_prompt(context(db, at(day, 0, 1)))
    store = Store(db)
    changes = [
        # the neglected pillar, a never-logged type, back-dated practice, a reflection
        [practice_row(day, at(day, 9), "yielding")],
        [practice_row(day, at(day, 10), "action", "children")],
        [practice_row(day - timedelta(days=3), at(day, 11), "yielding")],
        [practice_row(day - timedelta(days=1), at(day, 11), "action", "voting")],
        [practice_row(day, at(day, 12), p, t) for p, t in itertools.product(PILLARS, [None])],
    ]
    for hour, rows in zip(range(13, 18), changes, strict=True):
        store.insert(rows)
        assert practice.todays_prompt(context(db, at(day, hour))) == morning
    ctx = context(db, at(day, 23, 59))
    practice.reflect(ctx, morning, "Answered.")
    assert practice.todays_prompt(ctx) == morning
    # the next day judges from all of it: yielding is no longer the least recent pillar
    tomorrow = day + timedelta(days=1)
    assert practice.todays_prompt(context(db, at(tomorrow, 8))) == prompts.prompt_of_the_day(
        BUILTIN,
        tomorrow,
        dict.fromkeys(PILLARS, day),
        {"protest", "money", "training", "children", "voting"},
    )
