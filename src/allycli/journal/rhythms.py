"""Use cases for rhythms and pauses: set and list rhythms, pause and resume, and the
rhythm part of reports and of `ally log`'s confirmation. Each takes a Context.

Reads and writes go through rhythm_store (sqlite3), so none of this imports SQLModel.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from allycli.core import fields, rhythms, streaks, taxonomy
from allycli.core.dates import stamp
from allycli.core.errors import UsageError
from allycli.core.fields import MAX_PAUSE_DAYS, FieldError
from allycli.core.insights import Gap
from allycli.core.objects import Pause, RhythmSetting
from allycli.core.rhythms import CATEGORIES, OFF, Status, kind_of
from allycli.core.streaks import Streak
from allycli.store import rhythms as rhythm_store

if TYPE_CHECKING:
    from allycli.journal.context import Context

T = TypeVar("T")


def resolve_category(word: str, kinds: taxonomy.Kinds = taxonomy.BUILT_IN) -> str:
    """`practice`, a pillar or an action type (aliases and prefixes work)."""
    return kinds.resolve_category(word)


def _categories(ctx: Context, word: str) -> tuple[str, taxonomy.Kinds]:
    """The key a word names, and the journal's types (read only when the word needs them)."""
    from allycli.journal import types

    return types.resolve(ctx, lambda known: (known.resolve_category(word), known))  # type: ignore[no-any-return]


def active(kinds: taxonomy.Kinds) -> tuple[str, ...]:
    """The categories that are judged: practice, pillars and every type not retired."""
    return ("practice", *taxonomy.PILLARS, *kinds.active_types)


def named(view: RhythmView, kinds: taxonomy.Kinds) -> RhythmView:
    """A rhythm as a person reads it: an own type under its current name."""
    name = kinds.name_of(view.category)
    return view if name == view.category else dataclasses.replace(view, category=name)


# -- rhythms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RhythmView:
    """One category in `ally rhythm`: its rhythm and, with one, how it stands."""

    category: str
    rhythm: str | None  # a spec, "off", or None (no rhythm)
    status: Status | None
    kind: str = ""  # practice, pillar or action_type; "" means: from the category

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", kind_of(self.category))

    def to_json(self) -> dict[str, Any]:
        s = self.status
        return {
            "category": self.category,
            "kind": self.kind,
            "rhythm": self.rhythm,
            "unit": None
            if s is None
            else {
                "start": s.unit.start.isoformat(),
                "end": s.unit.end.isoformat(),
                "state": s.unit.state,
                "done": s.unit.done,
                "needed": s.unit.needed,
            },
            "streak": None
            if s is None
            else {"current": s.streak.current, "longest": s.streak.longest},
            "momentum": None if s is None else s.momentum,
            **({"new": True} if s is not None and s.new else {}),
        }


def in_force(
    stored: Mapping[str, RhythmSetting], categories: Sequence[str] = CATEGORIES
) -> dict[str, str | None]:
    """Every category's rhythm: the stored setting, else the default, else None."""
    return {c: rhythms.effective(c, stored[c].rhythm if c in stored else None) for c in categories}


def pauses_for(pauses: Iterable[Pause], category: str) -> list[tuple[date, date]]:
    return [(p.since, p.until) for p in pauses if p.covers(category)]


def views(
    settings: Mapping[str, str | None],
    days: Mapping[str, Sequence[tuple[date, int]]],
    pauses: Sequence[Pause],
    as_of: date,
    today: date,
) -> tuple[RhythmView, ...]:
    """Every category in `ally rhythm --json` order: practice, pillars, action types."""
    found = []
    for category, setting in settings.items():
        status = None
        if setting is not None and setting != OFF:
            status = rhythms.evaluate(
                rhythms.parse_spec(setting),
                days.get(category, ()),
                pauses_for(pauses, category),
                as_of,
                today,
            )
        found.append(RhythmView(category, setting, status))
    return tuple(found)


def _with_rhythm(settings: Mapping[str, str | None]) -> list[str]:
    return [c for c, s in settings.items() if s not in (None, OFF)]


def _minutes_categories(settings: Mapping[str, str | None]) -> list[str]:
    return [c for c, s in settings.items() if s not in (None, OFF) and "min/" in str(s)]


def list_rhythms(ctx: Context) -> tuple[RhythmView, ...]:
    """Every category but retired types, own types under their current names."""
    from allycli.store import types as type_store

    with ctx.store.reading() as conn:
        kinds = type_store.read(conn)
        settings = in_force(rhythm_store.read_rhythms(conn), active(kinds))
        days = rhythm_store.category_days(
            conn, ctx.today, _with_rhythm(settings), _minutes_categories(settings)
        )
        pauses = rhythm_store.read_pauses(conn)
    return tuple(named(v, kinds) for v in views(settings, days, pauses, ctx.today, ctx.today))


@dataclass(frozen=True)
class RhythmChange:
    category: str
    before: str | None
    after: str | None
    changed: bool


def set_rhythm(ctx: Context, category_word: str, spec_word: str) -> RhythmChange:
    category, kinds = _categories(ctx, category_word)
    setting = rhythms.parse_setting(spec_word)
    now = stamp(ctx.now)
    name = kinds.name_of(category)

    def write() -> RhythmChange:
        with ctx.store.writing() as conn:
            before = in_force(rhythm_store.read_rhythms(conn), (category,))[category]
            changed = rhythm_store.write_rhythm(conn, category, setting, now)
            after = in_force(rhythm_store.read_rhythms(conn), (category,))[category]
        return RhythmChange(name, before, after, changed)

    if setting == rhythms.DEFAULT:
        return write()  # a return to the default is a delete: there is no object to keep
    return _kept(ctx, RhythmSetting(category, setting, now), "rhythm", write)


def _kept(ctx: Context, obj: RhythmSetting | Pause, what: str, write: Callable[[], T]) -> T:
    """Run a write; if the database refuses it, keep the object as a draft and say where."""
    from allycli.journal.context import write_or_draft

    return write_or_draft(ctx, [obj.to_json()], write, f"your {what}")


# -- pauses --------------------------------------------------------------------------------


def add_pause(
    ctx: Context,
    category_words: Sequence[str],
    since: date | None,
    until: date | None,
    note: str | None,
) -> Pause:
    if since is None or until is None:
        raise UsageError(
            "A pause needs --since and --until, for example "
            "`ally pause --since 2026-12-21 --until 2026-12-27`."
        )
    if until < since:
        raise UsageError(
            f"--until {until.isoformat()} is before --since {since.isoformat()}; "
            "give the earlier date to --since."
        )
    try:
        fields.pause_days(since, until)
    except FieldError as exc:
        raise UsageError(f"A pause {exc.why}. Pause again for the time after.") from None
    horizon = timedelta(days=MAX_PAUSE_DAYS)
    if since < ctx.today - horizon or until > ctx.today + horizon:
        raise UsageError(
            f"A pause starts and ends within {MAX_PAUSE_DAYS} days of today; choose dates "
            f"from {(ctx.today - horizon).isoformat()} to {(ctx.today + horizon).isoformat()}."
        )
    categories: tuple[str, ...] | None = None
    if category_words:
        pairs = [_categories(ctx, w) for w in category_words]
        resolved = [c for c, _ in pairs]
        order = max((k for _, k in pairs), key=lambda k: len(k.own)).categories
        categories = tuple(c for c in order if c in resolved)
    if note is not None:
        note = fields.storable(note, "note").strip() or None
    now = stamp(ctx.now)
    pause = Pause(str(uuid.uuid4()), since, until, categories, note, now, now)

    def write() -> Pause:
        with ctx.store.writing() as conn:
            rhythm_store.put(conn, pause)
        return pause

    return _kept(ctx, pause, "pause", write)


def list_pauses(ctx: Context) -> list[Pause]:
    with ctx.store.reading() as conn:
        return rhythm_store.read_pauses(conn)


@dataclass(frozen=True)
class PauseChange:
    pause: Pause
    action: str  # ended | cancelled | unchanged


def end_pause(ctx: Context, id_prefix: str) -> PauseChange:
    """End a pause yesterday: the days already rested stay paused."""
    yesterday = ctx.today - timedelta(days=1)
    now = stamp(ctx.now)
    with ctx.store.writing() as conn:
        pause = rhythm_store.find_pause(conn, id_prefix)
        if pause.since > yesterday:
            raise UsageError(
                f"The pause {pause.id[:8]} begins on {pause.since.isoformat()}, so ending it "
                f"yesterday would leave no day of it; `ally pause --cancel {pause.id[:8]}` "
                "removes it."
            )
        if pause.until <= yesterday:
            return PauseChange(pause, "unchanged")
        rhythm_store.end_pause(conn, pause.id, yesterday, now)
    return PauseChange(Pause(pause.id, pause.since, yesterday, pause.categories, pause.note,
                             pause.created_at, now), "ended")  # fmt: skip


def cancel_pause(ctx: Context, id_prefix: str) -> PauseChange:
    now = stamp(ctx.now)
    with ctx.store.writing() as conn:
        pause = rhythm_store.find_pause(conn, id_prefix)
        rhythm_store.delete_pause(conn, pause.id, now)
    return PauseChange(pause, "cancelled")


def objects(ctx: Context) -> list[RhythmSetting | Pause]:
    """The stored rhythms (in category order) and pauses, as export writes them."""
    from allycli.store import types as type_store

    with ctx.store.reading() as conn:
        stored = rhythm_store.read_rhythms(conn)
        order = type_store.read(conn).categories
        found: list[RhythmSetting | Pause] = [stored[c] for c in order if c in stored]
        found += [s for c, s in stored.items() if c not in order]
        found += rhythm_store.read_pauses(conn)
    return found


def paused_days(ctx: Context, category: str, start: date, end: date) -> list[date]:
    """The days from start to end on which `category` is paused (for pictures).

    A day with practice in the category is never paused for it.
    """
    with ctx.store.reading() as conn:
        pauses = pauses_for(rhythm_store.read_pauses(conn, start, end), category)
        if not pauses:
            return []
        practiced = [d for d, _ in rhythm_store.unit_days(conn, category, start, end, False)]
    return sorted(streaks.paused_days(pauses, start, end) - set(practiced))


# -- reports -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RhythmReport:
    """The rhythm part of a report, as of its as-of day."""

    rhythms: tuple[RhythmView, ...]  # categories with a rhythm (not off)
    pauses: tuple[Pause, ...]  # those overlapping the period
    streak: Streak
    pillar_streaks: Mapping[str, Streak]
    gaps: tuple[Gap, ...]
    minutes_by_pillar: Mapping[str, int]
    minutes_by_action_type: Mapping[str, int]
    off: tuple[str, ...] = ()  # categories whose rhythm is off: never a gap

    def to_json(self) -> dict[str, Any]:
        return {
            "rhythms": [v.to_json() for v in self.rhythms],
            "pauses": [p.to_json() for p in self.pauses],
        }  # the report writes minutes_by_pillar and minutes_by_action_type itself


def for_report(
    conn: sqlite3.Connection,
    start: date,
    end: date,
    as_of: date,
    today: date,
    in_period: Mapping[str, int],
    kinds: taxonomy.Kinds = taxonomy.BUILT_IN,
) -> RhythmReport:
    """Rhythms, pauses, daily streaks (paused days passed over), gaps and minutes; a retired
    own type has no rhythm here and is never a gap."""
    judged = active(kinds)
    settings = in_force(rhythm_store.read_rhythms(conn), judged)
    needed = {"practice", *taxonomy.PILLARS, *_with_rhythm(settings)}  # streaks need pillars
    days = rhythm_store.category_days(conn, as_of, needed, _minutes_categories(settings))
    pauses = rhythm_store.read_pauses(conn)
    minutes_by_pillar, minutes_by_type = rhythm_store.period_minutes(conn, start, end)
    all_views = views(settings, days, pauses, as_of, today)
    with_rhythm = tuple(v for v in all_views if v.status is not None)

    def streak(category: str) -> Streak:
        rest = streaks.paused_days(pauses_for(pauses, category), date.min, as_of)
        return streaks.daily_streak((d for d, _ in days[category]), rest, as_of, today)

    last = rhythm_store.last_days(conn, as_of, [c for c in judged if c not in days])
    last.update({c: ds[-1][0] for c, ds in days.items() if ds})
    practiced_on_as_of = {c for c, d in last.items() if d == as_of}
    paused_now = {
        c
        for c in judged
        if c not in practiced_on_as_of
        and any(p.since <= as_of <= p.until and p.covers(c) for p in pauses)
    }
    gaps = rhythms.gaps(
        in_period,
        settings,
        {v.category: v.status.unit for v in with_rhythm if v.status is not None},
        last,
        paused_now,
        as_of,
        judged,
    )
    return RhythmReport(
        rhythms=with_rhythm,
        pauses=tuple(p for p in pauses if p.overlaps(start, end)),
        streak=streak("practice"),
        pillar_streaks={p: streak(p) for p in taxonomy.PILLARS},
        gaps=gaps,
        minutes_by_pillar=minutes_by_pillar,
        minutes_by_action_type=minutes_by_type,
        off=tuple(c for c, s in settings.items() if s == OFF),
    )


# -- ally log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How a unit touched by a new entry stands: "listening: 2 of 3 this week"."""

    category: str
    spec: rhythms.Spec
    unit: rhythms.Unit
    today: date


def progress(
    conn: sqlite3.Connection, categories: Sequence[str], day: date, today: date
) -> tuple[tuple[Progress, ...], int]:
    """Progress of each touched category's unit that holds `day`, and the current daily
    streak (core/streaks.py, paused days passed over)."""
    settings = in_force(rhythm_store.read_rhythms(conn))
    pauses = rhythm_store.read_pauses(conn)
    found = []
    for category in categories:
        setting = settings.get(category)
        if setting is None or setting == OFF:
            continue
        spec = rhythms.parse_spec(setting)
        start, end = rhythms.unit_of(spec, day)
        as_of = min(end, today)
        days = rhythm_store.unit_days(conn, category, start, as_of, spec.minutes)
        unit = rhythms.unit_state(spec, days, pauses_for(pauses, category), as_of, today)
        found.append(Progress(category, spec, unit, today))
    rest = streaks.paused_days(pauses_for(pauses, "practice"), date.min, today)
    recent = rhythm_store.practiced_days_desc(conn, today)
    return tuple(found), streaks.current_streak(recent, rest, today, today)
