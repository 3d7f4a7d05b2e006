"""Use cases for rhythms and pauses: set and list rhythms, pause and resume, and the
rhythm part of reports and of `ally log`'s confirmation. Each takes a Context.

Reads and writes go through rhythm_store (sqlite3), so none of this imports SQLModel.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from allycli.core import fields, rhythms, streaks, taxonomy
from allycli.core.dates import stamp
from allycli.core.errors import UsageError
from allycli.core.fields import MAX_PAUSE_DAYS, FieldError, excerpt
from allycli.core.insights import Gap
from allycli.core.objects import Pause, RhythmSetting
from allycli.core.rhythms import CATEGORIES, OFF, Status, kind_of
from allycli.core.streaks import Streak
from allycli.store import rhythms as rhythm_store

if TYPE_CHECKING:
    from allycli.journal.context import Context

T = TypeVar("T")


def resolve_category(word: str) -> str:
    """`practice`, a pillar or an action type (aliases and prefixes work)."""
    w = word.strip().lower()
    if w and "practice".startswith(w) and len(w) >= 3:
        return "practice"
    try:
        found = taxonomy.resolve_activity(word)
    except UsageError as exc:
        if "could be" in exc.message:
            raise UsageError(exc.message.replace("The activity", "The category", 1)) from None
        found = None
    if found is None:
        raise UsageError(
            f"No category '{excerpt(word)}'. Choose practice, a pillar "
            f"({', '.join(taxonomy.PILLARS)}) or an action type "
            f"({', '.join(taxonomy.ACTION_TYPES)})."
        ) from None
    return found.action_type or found.pillar


# -- rhythms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RhythmView:
    """One category in `ally rhythm`: its rhythm and, with one, how it stands."""

    category: str
    rhythm: str | None  # a spec, "off", or None (no rhythm)
    status: Status | None

    @property
    def kind(self) -> str:
        return kind_of(self.category)

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


def in_force(stored: Mapping[str, RhythmSetting]) -> dict[str, str | None]:
    """Every category's rhythm: the stored setting, else the default, else None."""
    return {c: rhythms.effective(c, stored[c].rhythm if c in stored else None) for c in CATEGORIES}


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
    for category in CATEGORIES:
        setting = settings.get(category)
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
    with ctx.store.reading() as conn:
        settings = in_force(rhythm_store.read_rhythms(conn))
        days = rhythm_store.category_days(
            conn, ctx.today, _with_rhythm(settings), _minutes_categories(settings)
        )
        pauses = rhythm_store.read_pauses(conn)
    return views(settings, days, pauses, ctx.today, ctx.today)


@dataclass(frozen=True)
class RhythmChange:
    category: str
    before: str | None
    after: str | None
    changed: bool


def set_rhythm(ctx: Context, category_word: str, spec_word: str) -> RhythmChange:
    category = resolve_category(category_word)
    setting = rhythms.parse_setting(spec_word)
    now = stamp(ctx.now)

    def write() -> RhythmChange:
        with ctx.store.writing() as conn:
            before = in_force(rhythm_store.read_rhythms(conn))[category]
            changed = rhythm_store.write_rhythm(conn, category, setting, now)
            after = in_force(rhythm_store.read_rhythms(conn))[category]
        return RhythmChange(category, before, after, changed)

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
        resolved = [resolve_category(w) for w in category_words]
        categories = tuple(c for c in CATEGORIES if c in resolved)
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
    with ctx.store.reading() as conn:
        stored = rhythm_store.read_rhythms(conn)
        found: list[RhythmSetting | Pause] = [stored[c] for c in CATEGORIES if c in stored]
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
) -> RhythmReport:
    """Rhythms, pauses, daily streaks (paused days passed over), gaps and minutes."""
    settings = in_force(rhythm_store.read_rhythms(conn))
    needed = {"practice", *taxonomy.PILLARS, *_with_rhythm(settings)}  # streaks need pillars
    days = rhythm_store.category_days(conn, as_of, needed, _minutes_categories(settings))
    pauses = rhythm_store.read_pauses(conn)
    minutes_by_pillar, minutes_by_type = rhythm_store.period_minutes(conn, start, end)
    all_views = views(settings, days, pauses, as_of, today)
    with_rhythm = tuple(v for v in all_views if v.status is not None)

    def streak(category: str) -> Streak:
        rest = streaks.paused_days(pauses_for(pauses, category), date.min, as_of)
        return streaks.daily_streak((d for d, _ in days[category]), rest, as_of, today)

    last = rhythm_store.last_days(conn, as_of, [c for c in CATEGORIES if c not in days])
    last.update({c: ds[-1][0] for c, ds in days.items() if ds})
    practiced_on_as_of = {c for c, d in last.items() if d == as_of}
    paused_now = {
        c
        for c in CATEGORIES
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
