"""The report (`ally report`): header, overview, counts and streaks, gaps, learning prompts.

Results -> Rich renderables, with render/words.py's plurals, day names and `user_text`;
never opens the database, never exits, never reads the clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from allycli.core.dates import MONTH_NAMES
from allycli.core.rhythms import PAUSED
from allycli.core.taxonomy import PILLARS
from allycli.render import words
from allycli.render.fit import BOX, Fit, Room
from allycli.render.fit import table as fit_table

if TYPE_CHECKING:
    from datetime import date

    from rich.console import RenderableType

    from allycli.core.insights import Bucket, Gap
    from allycli.journal.reporting import Report

_KIND_NAMES = {"pillar": "pillar", "action_type": "action type", "practice": "all practice"}
MAX_GAPS = 5  # the most neglected; the rest are counted
# Beyond this many slices the overview turns on its side so it still fits 80 columns.
_MAX_COLUMNS = 14
ZERO = "·"


def _heading(text: str) -> Text:
    return Text(text, style="bold")


def period_title(r: Report) -> str:
    """The period in words and dates, e.g. "This week, Mon 23 Nov to Sun 29 Nov 2026"."""
    period = r.period
    start, end = period.start, period.end
    if period.kind == "week":
        span = f"{words.day(start, year=start.year != end.year)} to {words.day(end, year=True)}"
        return f"This week, {span}" if r.today in period else f"Week of {span}"
    if period.kind == "month":
        name = f"This month, {MONTH_NAMES[start.month - 1]} {start.year}"
        return f"{name}: {words.day(start)} to {words.day(end)}"
    if period.kind == "year":
        return f"This year, {start.year}: {words.short(start)} to {words.short(end)}"
    return f"{words.short(start)} to {words.short(end)}"


def _period_words(r: Report) -> str:
    """How a gap is named: "not yet this week" while the period runs, "unrecorded" after."""
    live = r.today in r.period
    noun = {"week": "week", "month": "month", "year": "year"}.get(r.period.kind)
    if noun is None:
        return "not yet in this period" if live else "unrecorded in this period"
    return f"not yet this {noun}" if live else f"unrecorded that {noun}"


def report(r: Report) -> RenderableType:
    """The whole report: header, overview, counts and streaks, gaps, learning prompts."""
    if _empty_journal(r):
        return Group(
            _heading(period_title(r)),
            Text(
                "Nothing recorded yet. Begin with `ally log listening --note "
                '"..."` (or any action type, such as protest), or answer today\'s prompt '
                "with `ally reflect`."
            ),
        )
    summary = (
        f"{words.plural(r.entries, 'practice entry', 'practice entries')} and "
        f"{words.plural(r.reflections, 'reflection')}"
    )
    if r.period.kind == "range":
        summary += f" over {words.days(r.period.days)}"
    parts: list[RenderableType] = [
        _heading(period_title(r)),
        Text(summary + "."),
        Text(""),
        *_overview(r),
        Text(""),
        _counts(r),
        Text(""),
        *_rhythms(r),
        _streak_line(r),
        Text(""),
        *_gaps(r),
    ]
    if r.prompts:
        parts += [Text(""), *_learning(r)]
    return Group(*parts)


def _empty_journal(r: Report) -> bool:
    """No practice and no reflection, in the period or ever before its end."""
    return (
        r.entries == 0
        and r.reflections == 0
        and all(g.last_practiced is None for g in r.gaps)
        and r.streak.longest == 0  # no practice on any day up to the period's end
    )


def _unit(buckets: tuple[Bucket, ...]) -> str:
    spans = [(b.end - b.start).days for b in buckets]
    if all(s == 0 for s in spans):
        return "day"
    return "week" if all(s < 7 for s in spans) else "month"


def _cell(n: int, bucket: Bucket, today: date) -> Text:
    if n:  # even a day still to come here: an entry from a zone ahead is counted, so shown
        return Text(str(n))
    if bucket.start > today:
        return Text("")  # not yet: the day has not come
    return Text(ZERO, style="dim")


def _overview(r: Report) -> list[RenderableType]:
    buckets = r.buckets
    if not buckets:
        return []
    unit = _unit(buckets)
    heading = _heading(f"Practice entries by {unit}")
    return [heading, Fit(*_overview_columns(r, unit), _overview_rows(r, unit), _overview_lines(r))]


def _overview_columns(r: Report, unit: str) -> list[Table]:
    """One column a slice, when there are few slices (and room for them)."""
    buckets = r.buckets
    if len(buckets) > _MAX_COLUMNS:
        return []
    # The box's column divider is a space; a second one where there is room (<= 12 columns).
    padding = (0, 0, 0, 1) if len(buckets) <= 12 else 0
    table = Table(box=BOX, padding=padding, pad_edge=False, show_edge=False)
    table.add_column("", no_wrap=True)
    for b in buckets:
        if unit == "day":
            label = f"{b.label}\n{b.start.day}"
        else:
            label = b.label.replace(" ", "\n") if len(buckets) > 7 else b.label
        table.add_column(words.user_text(label), justify="right", no_wrap=True)
    table.add_column("Total", justify="right", no_wrap=True)
    for pillar in PILLARS:
        counts = [b.by_pillar.get(pillar, 0) for b in buckets]
        cells = [_cell(n, b, r.today) for n, b in zip(counts, buckets, strict=True)]
        table.add_row(pillar, *cells, str(sum(counts)))
    table.add_section()
    totals = [_cell(b.total, b, r.today) for b in buckets]
    table.add_row("total", *totals, str(sum(b.total for b in buckets)))
    return [table]


def _overview_rows(r: Report, unit: str) -> Table:
    """The overview on its side (one row a slice), for long ranges or narrow terminals."""
    table = Table(box=BOX, padding=(0, 0, 0, 1), pad_edge=False, show_edge=False)
    table.add_column(unit.capitalize(), no_wrap=True)
    for pillar in PILLARS:
        table.add_column(pillar, justify="right", no_wrap=True)
    table.add_column("Total", justify="right", no_wrap=True)
    for b in r.buckets:
        cells = [_cell(b.by_pillar.get(p, 0), b, r.today) for p in PILLARS]
        total = "" if b.start > r.today and not b.total else str(b.total)
        table.add_row(words.user_text(b.label), *cells, total)
    return table


def _overview_lines(r: Report) -> RenderableType:
    """The overview as wrapping lines, one a slice, for the narrowest terminals."""
    lines = []
    for b in r.buckets:
        if b.start > r.today and not b.total:  # to come; an entry from a zone ahead shows
            continue
        label = f"{b.label} {b.start.day}" if b.start == b.end and len(b.label) == 3 else b.label
        line = words.user_text(f"{label}: ")
        if not b.total:
            line.append("none")
        else:
            parts = [f"{p} {b.by_pillar[p]}" for p in PILLARS if b.by_pillar.get(p)]
            line.append(f"{words.plural(b.total, 'entry', 'entries')} ({', '.join(parts)})")
        lines.append(line)
    return Group(*lines)


def _rhythms(r: Report) -> list[RenderableType]:
    """Each rhythm's unit, streak and momentum, in place of the per-pillar daily streaks."""
    if r.rhythms is None or not r.rhythms.rhythms:
        return []
    from allycli.render.rhythms import report_rhythms

    return [report_rhythms(r.rhythms.rhythms, r.today, min(r.period.end, r.today)), Text("")]


def _noun(r: Report) -> str:
    """The period as the counts' headers name it: "this week", "that month", "in range"."""
    noun = {"week": "week", "month": "month", "year": "year"}.get(r.period.kind)
    if noun is None:
        return "in range"
    return f"this {noun}" if r.today in r.period else f"that {noun}"


def _counts(r: Report) -> RenderableType:
    """Entries and minutes by pillar (with daily streaks) and by action type.

    "Entries" and "Minutes" are the period's; "Longest" is over all time up to the period's
    end, and the headers say so.
    """
    live = r.today in r.period
    noun = _noun(r)
    daily = r.rhythms is None  # with rhythms, their units and streaks are shown instead
    pillar_headers = [
        "Pillar",
        f"Entries\n{noun}",
        f"Minutes\n{noun}",
        *(("Streak\nnow" if live else "Streak\nat end",
           "Longest\nall time" if live else "Longest\nto then") if daily else ()),
    ]  # fmt: skip
    pillar_rows = []
    for pillar in PILLARS:
        streak = r.pillar_streaks.get(pillar)
        current, longest = (streak.current, streak.longest) if streak else (0, 0)
        pillar_rows.append([
            pillar, str(r.by_pillar.get(pillar, 0)), str(r.minutes_by_pillar.get(pillar, 0)),
            *((words.days(current), words.days(longest)) if daily else ()),
        ])  # fmt: skip
    type_headers = ["Action type", f"Entries\n{noun}", f"Minutes\n{noun}"]
    type_rows = [
        [type_label(t, r), str(n), str(r.minutes_by_action_type.get(t, 0))]
        for t, n in r.by_action_type.items()
    ]
    right = (1, 2, 3, 4) if daily else (1, 2)
    by_pillar = fit_table(pillar_headers, pillar_rows, right=right, title="By pillar")
    by_type = fit_table(type_headers, type_rows, right=(1, 2), title="By action type")
    side = Table.grid(padding=(0, 4))
    side.add_row(by_pillar, by_type)
    lines: list[RenderableType] = [_heading(f"By pillar, {noun}")]
    for pillar, entries, minutes, *streaks in pillar_rows:
        line = f"{pillar}: {words.plural(int(entries), 'entry', 'entries')}, {minutes} min"
        if streaks:
            current, longest = streaks
            now = "now" if live else "at the end"
            line += (f"; streak {current} {now}, longest {longest} "
                     f"({'all time' if live else 'up to then'})")  # fmt: skip
        lines.append(Text(line))
    lines += [Text(""), _heading(f"By action type, {noun}")]
    for action_type, entries, minutes in type_rows:
        lines.append(
            Text(f"{action_type}: {words.plural(int(entries), 'entry', 'entries')}, {minutes} min")
        )
    notes = own_notes(r)
    return Group(Fit(side, Group(by_pillar, Text(""), by_type), Group(*lines)), *notes)


def type_label(name: str, r: Report) -> str:
    """An action type's row: "mutual-aid (own)", "old-one (own, retired)" or the name."""
    if name not in r.own_types:
        return name
    return f"{name} (own, retired)" if r.own_types[name] else f"{name} (own)"


def own_notes(r: Report) -> list[Text]:
    """What "own" and "retired" mean, in plain words, under the table that uses them."""
    if not r.own_types:
        return []
    from allycli.render.types import OWN_WORDS, RETIRED_WORDS

    notes = [Text(""), Text(OWN_WORDS, style="dim")]
    if any(r.own_types.values()):
        shown = "stays (shown here for the entries this period holds)"
        notes.append(Text(RETIRED_WORDS.replace("stays", shown, 1), style="dim"))
    return notes


def _streak_line(r: Report) -> Text:
    s = r.streak
    if r.today in r.period:
        now = f"{words.days(s.current)} now" if s.current else "none now (today is still open)"
        return Text(
            f"Streak (days in a row with practice): {now}, "
            f"longest {words.days(s.longest)} (all time)."
        )
    end = words.day(r.period.end, year=r.period.end.year != r.today.year)
    return Text(
        f"Streak on {end}: {words.days(s.current)}, longest up to then {words.days(s.longest)}."
    )


def gap_words(gap: Gap, r: Report) -> str:
    """When a gap's category was last logged, named as confirmations name days; a minutes
    rhythm whose unit holds entries but no minutes says so."""
    if gap.last_practiced is None or gap.days_since is None:
        return "never recorded"
    if _without_minutes(gap, r):
        return f"logged without minutes, last {words.when(gap.last_practiced, r.today)}"
    if r.period.end >= r.today:
        return f"last logged {words.when(gap.last_practiced, r.today)}"
    when = words.day(gap.last_practiced, year=gap.last_practiced.year != r.today.year)
    end = words.day(r.period.end, year=r.period.end.year != r.today.year)
    return f"last logged {when}, {words.days(gap.days_since)} before {end}"


def _without_minutes(gap: Gap, r: Report) -> bool:
    if r.rhythms is None or gap.last_practiced is None:
        return False
    for v in r.rhythms.rhythms:
        s = v.status
        if v.category == gap.category and s is not None and s.spec.minutes:
            return s.unit.done == 0 and s.unit.start <= gap.last_practiced <= s.unit.end
    return False


def no_gaps_words(r: Report) -> str:
    """Why nothing is a gap, in words that are true of this report: a pause over everything
    on the as-of day, or rhythms kept and the other categories logged, off or paused."""
    if r.rhythms is None:
        return "Every pillar and action type has entries in this period."
    as_of = min(r.period.end, r.today)
    day = words.day(as_of, year=as_of.year != r.today.year)
    if any(p.categories is None and p.since <= as_of <= p.until for p in r.rhythms.pauses):
        return f"Paused on {day}: nothing is counted as a gap."
    states = {v.status.unit.state for v in r.rhythms.rhythms if v.status is not None}
    kept = "met, under way or paused" if PAUSED in states else "met or under way"
    counts = {**r.by_pillar, **r.by_action_type}
    with_rhythm = {v.category for v in r.rhythms.rhythms}
    empty = [c for c in counts if not counts[c] and c not in with_rhythm]
    off = [c for c in empty if c in r.rhythms.off]
    paused = [c for c in empty if c not in r.rhythms.off]
    clause = "has entries in this period"
    if off:
        clause += f" or is off ({', '.join(off)})"
    if paused:
        clause += f" or is paused on {day} ({', '.join(paused)})"
    return f"No gaps: every rhythm is {kept}, and every other category {clause}."


def gap_heading(gap: Gap, r: Report) -> str:
    """The unit that makes a category a gap: its rhythm's unit ("not yet this week" for a
    weekly rhythm, whatever the report's period), else the report's period."""
    from allycli.render.rhythms import unit_words

    status = next(
        (v.status for v in (r.rhythms.rhythms if r.rhythms else ()) if v.category == gap.category),
        None,
    )
    if status is None:
        return _period_words(r)
    unit = status.unit
    live = unit.start <= r.today <= unit.end
    return f"{'not yet' if live else 'unrecorded'} {unit_words(status.spec, unit, r.today)}"


def _gaps(r: Report) -> list[RenderableType]:
    """The most neglected gaps under headings that name what makes each one a gap."""
    if not r.gaps:
        return [Text(no_gaps_words(r))]
    groups: dict[str, list[Gap]] = {}
    for gap in r.gaps[:MAX_GAPS]:
        groups.setdefault(gap_heading(gap, r), []).append(gap)
    parts: list[RenderableType] = []
    for n, (heading, found) in enumerate(groups.items()):
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, style="dim")
        table.add_column()
        lines = []
        for gap in found:
            kind = _KIND_NAMES.get(gap.kind, gap.kind)
            if gap.category in r.own_types:
                kind = "own type"
            table.add_row(gap.category, kind, gap_words(gap, r))
            lines.append(Text(f"{gap.category} ({kind}): {gap_words(gap, r)}"))
        if n == len(groups) - 1 and len(r.gaps) > MAX_GAPS:
            more = f"and {len(r.gaps) - MAX_GAPS} more"
            table.add_row(Text(more, style="dim"), "", "")
            lines.append(Text(more, style="dim"))
        parts += [_heading(f"Gaps: {heading}"), words.indent(Fit(Room(table, 21), Group(*lines)))]
    return parts


def _learning(r: Report) -> list[RenderableType]:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="dim")
    table.add_column()
    lines: list[RenderableType] = []
    for p in r.prompts:
        kind = "pillar" if p.action_type is None else "action type"
        table.add_row(words.user_text(p.action_type or p.pillar), kind, words.user_text(p.text))
        head = words.user_text(p.action_type or p.pillar)
        head.append(f" ({kind})", style="dim")
        lines += [head, words.indent(words.user_text(p.text))]
    return [
        _heading("Learning prompts for the biggest gaps"),
        words.indent(Fit(Room(table, 21), Group(*lines))),
    ]
