"""Use cases that review the journal: the report of a period and the calendar of days.

Like journal/practice.py, each takes a Context from the shell and reads nothing of the
clock, the environment or the terminal; they read through store/queries.py on
Store.reading().
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from allycli.core import insights, prompts, taxonomy
from allycli.core.dates import Period
from allycli.core.prompts import Prompt
from allycli.core.streaks import Streak

if TYPE_CHECKING:
    from allycli.journal.context import Context
    from allycli.journal.rhythms import RhythmReport


@dataclass(frozen=True)
class Report:
    period: Period
    today: date
    entries: int
    reflections: int
    by_pillar: Mapping[str, int]
    by_action_type: Mapping[str, int]
    streak: Streak
    pillar_streaks: Mapping[str, Streak]
    gaps: tuple[insights.Gap, ...]
    prompts: tuple[Prompt, ...]
    buckets: tuple[insights.Bucket, ...]
    minutes_by_pillar: Mapping[str, int] = dataclasses.field(default_factory=dict)
    minutes_by_action_type: Mapping[str, int] = dataclasses.field(default_factory=dict)
    rhythms: RhythmReport | None = None
    # the own types among by_action_type's names: name -> whether it is retired
    own_types: Mapping[str, bool] = dataclasses.field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "entries": self.entries,
            "reflections": self.reflections,
            "by_pillar": dict(self.by_pillar),
            "by_action_type": dict(self.by_action_type),
            "streak": {"current": self.streak.current, "longest": self.streak.longest},
            "pillar_streaks": {
                p: {"current": s.current, "longest": s.longest}
                for p, s in self.pillar_streaks.items()
            },
            "gaps": [
                {
                    "kind": g.kind,
                    "category": g.category,
                    "last_practiced": g.last_practiced.isoformat() if g.last_practiced else None,
                    "days_since": g.days_since,
                }
                for g in self.gaps
            ],
            "prompts": [
                {
                    "id": p.id,
                    "pillar": p.pillar,
                    "action_type": p.action_type,
                    "themes": list(p.themes),
                    "text": p.text,
                }
                for p in self.prompts
            ],
            "buckets": [
                {
                    "label": b.label,
                    "start": b.start.isoformat(),
                    "end": b.end.isoformat(),
                    "by_pillar": dict(b.by_pillar),
                }
                for b in self.buckets
            ],
            "minutes_by_pillar": {p: self.minutes_by_pillar.get(p, 0) for p in taxonomy.PILLARS},
            "minutes_by_action_type": {
                t: self.minutes_by_action_type.get(t, 0) for t in self.by_action_type
            },
            **(self.rhythms.to_json() if self.rhythms is not None else {}),
        }


def report(ctx: Context, period: Period) -> Report:
    from allycli.journal import rhythms as rhythm_cases
    from allycli.store import queries
    from allycli.store import types as type_store

    as_of = min(period.end, ctx.today)
    with ctx.store.reading() as conn:
        kinds = type_store.read(conn)
        counts = queries.period_counts(conn, period.start, period.end)
        by_pillar = dict.fromkeys(taxonomy.PILLARS, 0)
        for (_, pillar), n in counts.daily.items():
            if pillar in by_pillar:
                by_pillar[pillar] += n
        # every built-in and active own type; a retired one only when the period holds it
        by_type = {
            t: counts.by_action_type.get(t, 0)
            for t in kinds.action_types
            if not kinds.is_retired(t) or counts.by_action_type.get(t, 0)
        }
        rhythm_part = rhythm_cases.for_report(
            conn, period.start, period.end, as_of, ctx.today,
            {**by_pillar, **by_type}, kinds,
        )  # fmt: skip
    gaps = rhythm_part.gaps
    chosen = prompts.learning_for(
        ctx.prompts_for(kinds),
        [(g.kind, g.category) for g in gaps],
        seed=period.start.toordinal(),
        pillar_of={t.key: t.pillar for t in kinds.own},
    )
    report = Report(
        period=period,
        today=ctx.today,
        entries=sum(counts.daily.values()),
        reflections=counts.reflections,
        by_pillar=by_pillar,
        by_action_type=by_type,
        streak=rhythm_part.streak,
        pillar_streaks=rhythm_part.pillar_streaks,
        gaps=gaps,
        prompts=chosen,
        buckets=insights.buckets(period, counts.daily),
        minutes_by_pillar=rhythm_part.minutes_by_pillar,
        minutes_by_action_type=rhythm_part.minutes_by_action_type,
        rhythms=rhythm_part,
    )
    return _named(report, kinds) if kinds.own else report


def _named(r: Report, kinds: taxonomy.Kinds) -> Report:
    """The report as a person reads it: own types under their current names, and which
    of its types are one's own (and retired)."""
    from allycli.journal.rhythms import named

    name = kinds.name_of
    part = r.rhythms
    if part is not None:
        part = dataclasses.replace(
            part,
            rhythms=tuple(named(v, kinds) for v in part.rhythms),
            pauses=tuple(
                dataclasses.replace(p, categories=tuple(map(name, p.categories)))
                if p.categories else p
                for p in part.pauses
            ),
            gaps=tuple(dataclasses.replace(g, category=name(g.category)) for g in part.gaps),
            minutes_by_action_type={
                name(t): n for t, n in part.minutes_by_action_type.items()
            },
            off=tuple(map(name, part.off)),
        )  # fmt: skip
    return dataclasses.replace(
        r,
        by_action_type={name(t): n for t, n in r.by_action_type.items()},
        minutes_by_action_type={name(t): n for t, n in r.minutes_by_action_type.items()},
        gaps=part.gaps if part is not None else r.gaps,
        prompts=tuple(
            dataclasses.replace(p, action_type=name(p.action_type)) if p.action_type else p
            for p in r.prompts
        ),
        rhythms=part,
        own_types={t.name: t.retired for t in kinds.own if t.key in r.by_action_type},
    )


def calendar(
    ctx: Context,
    start: date,
    end: date,
    *,
    pillar: str | None = None,
    action_type: str | None = None,
) -> Any:
    """The practice calendar of `start`..`end` (heatmap.Calendar), filtered by pillar or type,
    with the days paused for that category (or for all practice) marked."""
    from allycli.core import heatmap, streaks
    from allycli.journal.rhythms import pauses_for
    from allycli.store import queries
    from allycli.store import rhythms as rhythm_store

    kinds = {"pillar": pillar, "action_type": action_type}
    as_of = min(end, ctx.today)
    with ctx.store.reading() as conn:
        counts = queries.day_counts(conn, start, end, **kinds)
        history = queries.practiced_days(conn, min(as_of, start - timedelta(days=1)), **kinds)
        # the streak looks back before `start`, so pauses before it count too
        rests = rhythm_store.read_pauses(conn, date.min, end)
    category = pillar or action_type or "practice"
    first = min([start, *history]) if history else start
    paused = streaks.paused_days(pauses_for(rests, category), first, end)
    return heatmap.layout(counts, start, end, ctx.today, history=history, paused=paused)
