"""`ally today`: the day at a glance, from one read of the journal.

What was logged today; each rhythm whose current unit is still open, the one that ends
soonest first (then the larger remaining need); the day's reflection prompt and whether it
is answered; the daily streak as the report gives it; any pause that holds today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from allycli.core import prompts, rhythms, streaks
from allycli.core.errors import DataFileError
from allycli.core.objects import Pause
from allycli.core.prompts import Prompt
from allycli.core.records import Record
from allycli.core.streaks import Streak

if TYPE_CHECKING:
    import sqlite3

    from allycli.core.taxonomy import Kinds
    from allycli.journal.context import Context


@dataclass(frozen=True)
class OpenUnit:
    """A rhythm whose current unit is still open: what remains, and until when."""

    category: str  # as shown: an own type under its current name
    kind: str
    spec: rhythms.Spec
    unit: rhythms.Unit

    @property
    def remaining(self) -> int:
        return max(0, self.unit.needed - self.unit.done)

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "kind": self.kind,
            "rhythm": str(self.spec),
            "done": self.unit.done,
            "needed": self.unit.needed,
            "until": self.unit.end.isoformat(),
        }


@dataclass(frozen=True)
class Today:
    day: date
    entries: tuple[Record, ...]  # today's, oldest first, own types under their names
    open: tuple[OpenUnit, ...]
    prompt: Prompt | None  # None: no prompt could be chosen (no reflection prompts)
    answered: bool
    streak: Streak
    pauses: tuple[Pause, ...]
    own_types: dict[str, bool]  # the own types named above: name -> retired

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "entries": [r.to_json() for r in self.entries],
            "open": [u.to_json() for u in self.open],
            "prompt": None
            if self.prompt is None
            else {"id": self.prompt.id, "text": self.prompt.text, "answered": self.answered},
            "streak": {"current": self.streak.current, "longest": self.streak.longest},
            "pauses": [p.to_json() for p in self.pauses],
        }

    @property
    def quiet(self) -> bool:
        """Nothing open and the prompt answered (or none to answer): `--short` says nothing."""
        return not self.open and (self.answered or self.prompt is None)


def has_entries(ctx: Context) -> bool:
    """Whether the journal holds a practice entry or a reflection (plain `ally` shows today
    then, and the overview otherwise); a missing file holds none and is never created."""
    if not ctx.store.exists():
        return False
    with ctx.store.reading() as conn:
        return conn.execute("SELECT 1 FROM entry LIMIT 1").fetchone() is not None


def today(ctx: Context, *, with_entries: bool = True) -> Today:
    """The day at a glance; `with_entries` False leaves today's entries out (`--short`)."""
    from allycli.journal.practice import day_began
    from allycli.journal.rhythms import active, in_force, pauses_for
    from allycli.journal.types import shown_record
    from allycli.store import queries
    from allycli.store import rhythms as rhythm_store
    from allycli.store import types as type_store

    day = ctx.today
    with ctx.store.reading() as conn:
        kinds = type_store.read(conn)
        entries: tuple[Record, ...] = ()
        if with_entries:
            found = queries.records(conn, queries.Filters(since=day, until=day, newest_first=False))
            entries = tuple(shown_record(kinds, r) for r in found)
        pauses = rhythm_store.read_pauses(conn)
        settings = in_force(rhythm_store.read_rhythms(conn), active(kinds))
        open_units = _open(conn, settings, pauses, day, kinds)
        practiced = rhythm_store.category_days(conn, day, ["practice"])["practice"]
        last, logged = queries.last_practiced(conn, day - timedelta(days=1), day_began(ctx, day))
        answered_ids = queries.answered_prompts(conn, day, day + timedelta(days=1))
    rest = streaks.paused_days(pauses_for(pauses, "practice"), date.min, day)
    streak = streaks.daily_streak((d for d, _ in practiced), rest, day, day)
    try:
        pool = ctx.prompts_for(kinds)
        prompt: Prompt | None = prompts.prompt_of_the_day(pool, day, last, logged)
    except DataFileError:  # no reflection prompt at all: nothing to answer
        prompt = None
    return Today(
        day=day,
        entries=entries,
        open=open_units,
        prompt=prompt,
        answered=prompt is not None and prompt.id in answered_ids,
        streak=streak,
        pauses=tuple(_named(p, kinds) for p in pauses if p.since <= day <= p.until),
        own_types={t.name: t.retired for t in kinds.own},
    )


def _named(p: Pause, kinds: Kinds) -> Pause:
    """A pause as a person reads it: the own types it names under their current names."""
    if not p.categories or not kinds.own:
        return p
    import dataclasses

    return dataclasses.replace(p, categories=tuple(map(kinds.name_of, p.categories)))


def _open(
    conn: sqlite3.Connection,
    settings: dict[str, str | None],
    pauses: list[Pause],
    day: date,
    kinds: Kinds,
) -> tuple[OpenUnit, ...]:
    """Each rhythm's unit that holds today and is still open: the soonest end first, then
    the larger remaining need, then the categories' order."""
    from allycli.journal.rhythms import pauses_for
    from allycli.store import rhythms as rhythm_store

    found = []
    for order, (category, setting) in enumerate(settings.items()):
        if setting is None or setting == rhythms.OFF:
            continue
        spec = rhythms.parse_spec(setting)
        start, _ = rhythms.unit_of(spec, day)
        days = rhythm_store.unit_days(conn, category, start, day, spec.minutes)
        unit = rhythms.unit_state(spec, days, pauses_for(pauses, category), day, day)
        if unit.state == rhythms.OPEN:
            shown = OpenUnit(kinds.name_of(category), rhythms.kind_of(category), spec, unit)
            found.append((unit.end, -shown.remaining, order, shown))
    found.sort(key=lambda f: f[:3])
    return tuple(f[3] for f in found)
