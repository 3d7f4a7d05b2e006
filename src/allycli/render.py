"""Results -> Rich renderables. Never opens the database, never exits, never reads the clock.

Every piece of text that did not come from this module (notes, answers, prompt texts from a
user's YAML, ids) goes through `user_text`: control characters are replaced and markup is
never parsed, so a note can neither crash the output nor drive the terminal. Everything
reads without colour: styles only emphasise what the words already say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from allycli import dates
from allycli.taxonomy import ACTION_TYPES, PILLARS

if TYPE_CHECKING:
    from rich.console import RenderableType

    from allycli.insights import Bucket, Gap
    from allycli.journal import Logged, Report
    from allycli.prompts import Prompt
    from allycli.records import Record
    from allycli.sync.commands import SyncStatus
    from allycli.sync.engine import SyncResult

REPLACEMENT = "\ufffd"
# C0 controls but tab and newline, DEL, and C1 controls (CSI, OSC, ... in 8-bit form).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_MONTHS = dates.MONTH_ABBR
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
_KIND_NAMES = {"pillar": "pillar", "action_type": "action type"}
# Beyond this many slices the overview turns on its side so it still fits 80 columns.
_MAX_COLUMNS = 14
ZERO = "·"


# -- user text -----------------------------------------------------------------------------


def clean(text: str) -> str:
    """`text` with every control character but newline and tab made visible and harmless."""
    return _CONTROL.sub(REPLACEMENT, text.replace("\r\n", "\n"))


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
        _streak_line(r),
        Text(""),
        *_gaps(r),
    ]
    if r.prompts:
        parts += [Text(""), *_learning(r)]
    return Group(*parts)


def _unit(buckets: tuple[Bucket, ...]) -> str:
    spans = [(b.end - b.start).days for b in buckets]
    if all(s == 0 for s in spans):
        return "day"
    return "week" if all(s < 7 for s in spans) else "month"


def _cell(n: int, bucket: Bucket, today: date) -> Text:
    if bucket.start > today:
        return Text("")  # not yet: the day has not come
    return Text(str(n)) if n else Text(ZERO, style="dim")


def _overview(r: Report) -> list[RenderableType]:
    buckets = r.buckets
    if not buckets:
        return []
    unit = _unit(buckets)
    heading = _heading(f"Practice entries by {unit}")
    if len(buckets) > _MAX_COLUMNS:
        return [heading, _overview_rows(r, unit)]
    # The box's column divider is a space; a second one where there is room (<= 12 columns).
    padding = (0, 0, 0, 1) if len(buckets) <= 12 else 0
    table = Table(box=box.SIMPLE_HEAD, padding=padding, pad_edge=False, show_edge=False)
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
    return [heading, table]


def _overview_rows(r: Report, unit: str) -> Table:
    """The overview on its side (one row a slice), for long ranges."""
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1), pad_edge=False, show_edge=False)
    table.add_column(unit.capitalize(), no_wrap=True)
    for pillar in PILLARS:
        table.add_column(pillar, justify="right", no_wrap=True)
    table.add_column("Total", justify="right", no_wrap=True)
    for b in r.buckets:
        cells = [_cell(b.by_pillar.get(p, 0), b, r.today) for p in PILLARS]
        total = "" if b.start > r.today else str(b.total)
        table.add_row(user_text(b.label), *cells, total)
    return table


def _titled(title: str) -> Table:
    return Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False
    )


def _counts(r: Report) -> Table:
    live = r.today in r.period
    by_pillar = _titled("By pillar")
    by_pillar.add_column("Pillar", no_wrap=True)
    by_pillar.add_column("Entries", justify="right", no_wrap=True)
    by_pillar.add_column("Current" if live else "At end", justify="right", no_wrap=True)
    by_pillar.add_column("Longest", justify="right", no_wrap=True)
    for pillar in PILLARS:
        streak = r.pillar_streaks.get(pillar)
        current, longest = (streak.current, streak.longest) if streak else (0, 0)
        by_pillar.add_row(pillar, str(r.by_pillar.get(pillar, 0)), _days(current), _days(longest))
    by_type = _titled("By action type")
    by_type.add_column("Action type", no_wrap=True)
    by_type.add_column("Entries", justify="right", no_wrap=True)
    for action_type in ACTION_TYPES:
        by_type.add_row(action_type, str(r.by_action_type.get(action_type, 0)))
    side = Table.grid(padding=(0, 4))
    side.add_row(by_pillar, by_type)
    return side


def _streak_line(r: Report) -> Text:
    s = r.streak
    if r.today in r.period:
        now = f"{_days(s.current)} now" if s.current else "none now (today is still open)"
        return Text(f"Streak (days in a row with practice): {now}, longest {_days(s.longest)}.")
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
        return [Text("Every pillar and action type has entries in this period.")]
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="dim")
    table.add_column()
    for gap in r.gaps:
        table.add_row(gap.category, _KIND_NAMES.get(gap.kind, gap.kind), gap_words(gap, r))
    return [_heading(f"Gaps: {_period_words(r)}"), _indent(table)]


def _learning(r: Report) -> list[RenderableType]:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="dim")
    table.add_column()
    for p in r.prompts:
        kind = "pillar" if p.action_type is None else "action type"
        table.add_row(user_text(p.action_type or p.pillar), kind, user_text(p.text))
    return [_heading("Learning prompts for the biggest gaps"), _indent(table)]


# -- list, reflections, prompts ------------------------------------------------------------


def _what(record: Record) -> Text:
    if record.kind == "reflection":
        return user_text(f"reflection {record.prompt_id or ''}".rstrip())
    if record.action_type:
        return user_text(f"{record.action_type} ({record.pillar})")
    return user_text(record.pillar)


def _first_line(text: str | None) -> Text:
    head = (text or "").strip("\r\n")
    more = "\n" in head or "\r" in head or len(head) > 300
    first = clean(head.replace("\r", "\n").split("\n", 1)[0][:300]) + (" …" if more else "")
    return Text(first, no_wrap=True, overflow="ellipsis")


def entries_table(records: Iterable[Record]) -> Table:
    """The rows of `ally list`; the caller orders them."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("ID", no_wrap=True, style="dim")
    table.add_column("Date", no_wrap=True)
    table.add_column("What", no_wrap=True)
    table.add_column("Min", justify="right", no_wrap=True)
    table.add_column("Note or answer", min_width=10)  # wrappable: it shrinks first
    for record in records:
        text = record.answer if record.kind == "reflection" else record.note
        table.add_row(
            user_text(record.id[:8]),
            user_text(record.day),
            _what(record),
            str(record.minutes) if record.minutes else "",
            _first_line(text),
        )
    return table


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
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, show_lines=True)
    table.add_column("ID (kind, pillar, type)", overflow="fold")
    table.add_column("Prompt", min_width=20)
    for p in rows:
        topic = f"{p.kind}, {p.pillar}" + (f", {p.action_type}" if p.action_type else "")
        head = user_text(p.id, "bold")
        head.append_text(user_text(f"\n{topic}", "dim"))
        table.add_row(head, user_text(p.text))
    return table


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
