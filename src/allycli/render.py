"""Results -> Rich renderables. Never opens the database, never exits, never reads the clock.

Every piece of text that did not come from this module (notes, answers, prompt texts from a
user's YAML, ids) goes through `user_text`: control characters are replaced and markup is
never parsed, so a note can neither crash the output nor drive the terminal. Everything
reads without colour: styles only emphasise what the words already say.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from allycli import dates
from allycli.fit import BOX, Fit, Room
from allycli.fit import table as fit_table
from allycli.sanitize import REPLACEMENT, for_terminal  # noqa: F401 - REPLACEMENT re-exported
from allycli.taxonomy import ACTION_TYPES, PILLARS

if TYPE_CHECKING:
    from rich.console import RenderableType

    from allycli.insights import Bucket, Gap
    from allycli.journal import Logged, Report
    from allycli.prompts import Prompt
    from allycli.records import Record
    from allycli.sync.commands import SyncStatus
    from allycli.sync.engine import SyncResult


_MONTHS = dates.MONTH_ABBR
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
_KIND_NAMES = {"pillar": "pillar", "action_type": "action type", "practice": "all practice"}
MAX_GAPS = 5  # the most neglected; the rest are counted
# Beyond this many slices the overview turns on its side so it still fits 80 columns.
_MAX_COLUMNS = 14
ZERO = "·"


# -- user text -----------------------------------------------------------------------------


def clean(text: str) -> str:
    """`text` with every control and bidi character but newline and tab made harmless."""
    return for_terminal(text)


def user_text(text: str, style: str = "") -> Text:
    """Text for the terminal from anything a person typed; never parsed as markup."""
    return Text(clean(text), style=style)


# -- words for numbers and days ------------------------------------------------------------


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def _days(n: int) -> str:
    return _plural(n, "day")


def _day(d: date, *, year: bool = False) -> str:
    """Wed 25 Nov, or Wed 25 Nov 2026."""
    return dates.day_name(d, year=year)


def _short(d: date) -> str:
    """1 Oct 2026."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _when(d: date, today: date) -> str:
    """How a logged day is named: today, yesterday, or its date and distance."""
    return dates.spoken(d, today)


# -- log -----------------------------------------------------------------------------------


def logged(result: Logged) -> Text:
    """One line confirming a practice entry, with the current streak."""
    record = result.record
    day = date.fromisoformat(record.day)
    what = record.pillar
    if record.action_type is not None:
        what = f"{record.action_type} ({record.pillar})"
    extras = []
    if record.minutes:
        extras.append(_plural(record.minutes, "minute"))
    if record.note:
        extras.append("with a note")
    line = Text("Logged ")
    line.append_text(user_text(what, "bold"))
    line.append(f" for {_when(day, result.today)}")
    if extras:
        line.append(": " + ", ".join(extras))
    if result.progress:
        from allycli.render_rhythms import progress

        line.append(". " + progress(result.progress))
    if result.streak:
        line.append(f". Current streak: {_days(result.streak)}.")
    else:
        line.append(". No current streak: nothing is logged for yesterday or today.")
    return line


# -- report --------------------------------------------------------------------------------


def _heading(text: str) -> Text:
    return Text(text, style="bold")


def _indent(renderable: RenderableType) -> Padding:
    return Padding(renderable, (0, 0, 0, 2), expand=False)


def period_title(r: Report) -> str:
    """The period in words and dates, e.g. "This week, Mon 23 Nov to Sun 29 Nov 2026"."""
    period = r.period
    start, end = period.start, period.end
    if period.kind == "week":
        span = f"{_day(start, year=start.year != end.year)} to {_day(end, year=True)}"
        return f"This week, {span}" if r.today in period else f"Week of {span}"
    if period.kind == "month":
        name = f"This month, {_MONTH_NAMES[start.month - 1]} {start.year}"
        return f"{name}: {_day(start)} to {_day(end)}"
    if period.kind == "year":
        return f"This year, {start.year}: {_short(start)} to {_short(end)}"
    return f"{_short(start)} to {_short(end)}"


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
        f"{_plural(r.entries, 'practice entry', 'practice entries')} and "
        f"{_plural(r.reflections, 'reflection')}"
    )
    if r.period.kind == "range":
        summary += f" over {_days(r.period.days)}"
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
        table.add_column(user_text(label), justify="right", no_wrap=True)
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
        table.add_row(user_text(b.label), *cells, total)
    return table


def _overview_lines(r: Report) -> RenderableType:
    """The overview as wrapping lines, one a slice, for the narrowest terminals."""
    lines = []
    for b in r.buckets:
        if b.start > r.today and not b.total:  # to come; an entry from a zone ahead shows
            continue
        label = f"{b.label} {b.start.day}" if b.start == b.end and len(b.label) == 3 else b.label
        line = user_text(f"{label}: ")
        if not b.total:
            line.append("none")
        else:
            parts = [f"{p} {b.by_pillar[p]}" for p in PILLARS if b.by_pillar.get(p)]
            line.append(f"{_plural(b.total, 'entry', 'entries')} ({', '.join(parts)})")
        lines.append(line)
    return Group(*lines)


def _rhythms(r: Report) -> list[RenderableType]:
    """Each rhythm's unit, streak and momentum, in place of the per-pillar daily streaks."""
    if r.rhythms is None or not r.rhythms.rhythms:
        return []
    from allycli.render_rhythms import report_rhythms

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
            *((_days(current), _days(longest)) if daily else ()),
        ])  # fmt: skip
    type_headers = ["Action type", f"Entries\n{noun}", f"Minutes\n{noun}"]
    type_rows = [
        [t, str(r.by_action_type.get(t, 0)), str(r.minutes_by_action_type.get(t, 0))]
        for t in ACTION_TYPES
    ]
    right = (1, 2, 3, 4) if daily else (1, 2)
    by_pillar = fit_table(pillar_headers, pillar_rows, right=right, title="By pillar")
    by_type = fit_table(type_headers, type_rows, right=(1, 2), title="By action type")
    side = Table.grid(padding=(0, 4))
    side.add_row(by_pillar, by_type)
    lines: list[RenderableType] = [_heading(f"By pillar, {noun}")]
    for pillar, entries, minutes, *streaks in pillar_rows:
        line = f"{pillar}: {_plural(int(entries), 'entry', 'entries')}, {minutes} min"
        if streaks:
            current, longest = streaks
            now = "now" if live else "at the end"
            line += (f"; streak {current} {now}, longest {longest} "
                     f"({'all time' if live else 'up to then'})")  # fmt: skip
        lines.append(Text(line))
    lines += [Text(""), _heading(f"By action type, {noun}")]
    for action_type, entries, minutes in type_rows:
        lines.append(
            Text(f"{action_type}: {_plural(int(entries), 'entry', 'entries')}, {minutes} min")
        )
    return Fit(side, Group(by_pillar, Text(""), by_type), Group(*lines))


def _streak_line(r: Report) -> Text:
    s = r.streak
    if r.today in r.period:
        now = f"{_days(s.current)} now" if s.current else "none now (today is still open)"
        return Text(
            f"Streak (days in a row with practice): {now}, longest {_days(s.longest)} (all time)."
        )
    end = _day(r.period.end)
    return Text(f"Streak on {end}: {_days(s.current)}, longest up to then {_days(s.longest)}.")


def gap_words(gap: Gap, r: Report) -> str:
    """When a gap's category was last logged, named as confirmations name days."""
    if gap.last_practiced is None or gap.days_since is None:
        return "never recorded"
    if r.period.end >= r.today:
        return f"last logged {_when(gap.last_practiced, r.today)}"
    when = _day(gap.last_practiced, year=gap.last_practiced.year != r.period.end.year)
    return f"last logged {when}, {_days(gap.days_since)} before {_day(r.period.end)}"


def _gaps(r: Report) -> list[RenderableType]:
    if not r.gaps:
        if r.rhythms is not None:
            return [Text("No gaps: every rhythm is met or under way, and every other category "
                         "has entries in this period.")]  # fmt: skip
        return [Text("Every pillar and action type has entries in this period.")]
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="dim")
    table.add_column()
    lines = []
    for gap in r.gaps[:MAX_GAPS]:
        kind = _KIND_NAMES.get(gap.kind, gap.kind)
        table.add_row(gap.category, kind, gap_words(gap, r))
        lines.append(Text(f"{gap.category} ({kind}): {gap_words(gap, r)}"))
    if len(r.gaps) > MAX_GAPS:
        more = f"and {len(r.gaps) - MAX_GAPS} more"
        table.add_row(Text(more, style="dim"), "", "")
        lines.append(Text(more, style="dim"))
    return [_heading(f"Gaps: {_period_words(r)}"), _indent(Fit(Room(table, 21), Group(*lines)))]


def _learning(r: Report) -> list[RenderableType]:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="dim")
    table.add_column()
    lines: list[RenderableType] = []
    for p in r.prompts:
        kind = "pillar" if p.action_type is None else "action type"
        table.add_row(user_text(p.action_type or p.pillar), kind, user_text(p.text))
        head = user_text(p.action_type or p.pillar)
        head.append(f" ({kind})", style="dim")
        lines += [head, _indent(user_text(p.text))]
    return [
        _heading("Learning prompts for the biggest gaps"),
        _indent(Fit(Room(table, 21), Group(*lines))),
    ]


# -- list, reflections, prompts ------------------------------------------------------------


def _what(record: Record) -> Text:
    if record.kind == "reflection":
        return user_text(f"reflection {record.prompt_id or ''}".rstrip())
    if record.action_type:
        return user_text(f"{record.action_type} ({record.pillar})")
    return user_text(record.pillar)


def _note(record: Record) -> str:
    text = record.answer if record.kind == "reflection" else record.note
    return clean((text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n"))


def entries_table(records: Iterable[Record], *, piped: bool = False) -> RenderableType:
    """The rows of `ally list`, the caller orders them; notes whole, wrapped on a terminal.

    Piped, one line an entry with the whole note (its line breaks shown as ¶), so that
    `ally list | grep WORD` finds every entry whose note holds WORD.
    """
    records = list(records)
    if piped:
        return _entries_lines(records)
    table = Table(box=BOX, pad_edge=False, show_edge=False)
    table.add_column("ID", no_wrap=True, style="dim")
    table.add_column("Date", no_wrap=True)
    table.add_column("What")  # wraps at its space: "volunteering (action)"
    table.add_column("Min", justify="right", no_wrap=True)
    table.add_column("Note or answer")  # wraps; with less room than Room asks, entries stack
    blocks: list[RenderableType] = []
    for record in records:
        minutes = str(record.minutes) if record.minutes else ""
        table.add_row(
            user_text(record.id[:8]), user_text(record.day), _what(record), minutes,
            Text(_note(record)),
        )  # fmt: skip
        head = user_text(record.id[:8], "dim")
        head.append_text(user_text(f"  {record.day}  "))
        head.append_text(_what(record))
        if minutes:
            head.append(f"  {minutes} min")
        blocks.append(head)
        if _note(record):
            blocks.append(_indent(Text(_note(record))))
    return Fit(Room(table, 18), Group(*blocks))


def _entries_lines(records: list[Record]) -> RenderableType:
    whats = [_what(r) for r in records]
    width = max((w.cell_len for w in whats), default=0)
    lines = []
    for record, what in zip(records, whats, strict=True):
        line = user_text(f"{record.id[:8]}  {record.day}  ")
        line.append_text(what)
        line.append(" " * (width - what.cell_len))
        line.append(f"  {record.minutes or '':>4}")
        note = _note(record).replace("\n", " ¶ ")
        if note:
            line.append("  " + note)
        line.rstrip()
        lines.append(line)
    return Group(*lines)


def reflections(records: Iterable[Record]) -> RenderableType:
    """Past reflections, each with its day, prompt and whole answer."""
    parts: list[RenderableType] = []
    for record in records:
        if record.kind != "reflection":
            continue
        if parts:
            parts.append(Text(""))
        try:
            day = _day(date.fromisoformat(record.day), year=True)
        except ValueError:
            day = record.day
        head = user_text(f"{day} · {record.pillar}", "bold")
        if record.prompt_id:
            head.append_text(user_text(f" ({record.prompt_id})", "dim"))
        parts.append(head)
        if record.prompt:
            parts.append(user_text(record.prompt, "dim italic"))
        parts.append(user_text(record.answer or ""))
    if not parts:
        return Text("No reflections recorded yet.")
    return Group(*parts)


def prompt(p: Prompt) -> Text:
    """The prompt to reflect on, as shown before asking."""
    topic = p.pillar.capitalize() + (f" ({p.action_type})" if p.action_type else "")
    line = user_text(topic, "bold")
    line.append(": ")
    line.append_text(user_text(p.text))
    return line


def prompt_table(ps: Iterable[Prompt]) -> RenderableType:
    """Every prompt under two headings: its id with what it is for, and its text."""
    rows = list(ps)
    if not rows:
        return Text("No prompts match.")
    table = Table(box=BOX, pad_edge=False, show_edge=False, show_lines=True)
    table.add_column("ID (kind, pillar, type)")
    table.add_column("Prompt")  # wraps; with less room than Room asks, the prompts stack
    stacked: list[RenderableType] = []
    for p in rows:
        topic = f"{p.kind}, {p.pillar}" + (f", {p.action_type}" if p.action_type else "")
        head = user_text(p.id, "bold")
        head.append_text(user_text(f"\n{topic}", "dim"))
        table.add_row(head, user_text(p.text))
        line = user_text(p.id, "bold")
        line.append_text(user_text(f" ({topic})", "dim"))
        stacked += [line, _indent(user_text(p.text)), Text("")]
    return Fit(Room(table, 20), Group(*stacked[:-1]))


# -- sync ----------------------------------------------------------------------------------


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def synced(result: SyncResult) -> str:
    """One line for `ally sync`, two when a key was made."""
    line = (
        f"Synced with {result.hub}: sent {_n(result.sent, 'change', 'changes')}, "
        f"received {_n(result.received, 'change', 'changes')}."
    )
    if result.conflicts:
        line += (
            f" {_n(result.conflicts, 'conflict', 'conflicts')} (equal times, different "
            "content) settled the same way on every machine."
        )
    if result.new_key:
        line += (
            "\nA key for this hub was made now. Your other machines need it: run "
            "`ally sync --show-key` here and set ALLY_SYNC_KEY there for their first sync."
        )
    return line


def sync_status(status: SyncStatus) -> str:
    """`ally sync --status`: the hub, the last sync, what waits, how the hub answered."""
    waiting = _n(status.waiting, "change waits", "changes wait") + " to be sent"
    if status.hub is None:
        return (
            f"Sync is not set up; {waiting}. Start with "
            "`ally sync --url postgresql://user:password@host/database`."
        )
    hub = {
        "answers": f"Hub: {status.hub} (it answers)",
        "answers, empty": f"Hub: {status.hub} (it answers; the first sync sets it up)",
    }.get(status.answer, f"Hub: {status.hub}\n{status.answer}")
    last = status.last_sync or "never"
    return f"{hub}\nLast sync: {last}\n{waiting[0].upper()}{waiting[1:]}."


def sync_forgotten(had: bool) -> str:
    if not had:
        return "Nothing to forget: no hub URL or key is stored here."
    return (
        "Forgot the hub's URL and key here; the journal's entries stay. Other machines that "
        "sync keep the key (`ally sync --show-key` there)."
    )
