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
from allycli.sanitize import REPLACEMENT, for_terminal  # noqa: F401 - REPLACEMENT re-exported

if TYPE_CHECKING:
    from rich.console import RenderableType

    from allycli.journal import Exported, Logged
    from allycli.prompts import Prompt
    from allycli.records import Record
    from allycli.sync.commands import SyncStatus
    from allycli.sync.engine import SyncResult


_MONTHS = dates.MONTH_ABBR


# -- user text -----------------------------------------------------------------------------


def clean(text: str) -> str:
    """`text` with every control and bidi character but newline and tab made harmless."""
    return for_terminal(text)


def user_text(text: str, style: str = "") -> Text:
    """Text for the terminal from anything a person typed; never parsed as markup."""
    return Text(clean(text), style=style)


def _indent(renderable: RenderableType) -> Padding:
    return Padding(renderable, (0, 0, 0, 2), expand=False)


# -- words for numbers and days ------------------------------------------------------------


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def listed(parts: list[str]) -> str:
    """a, b and c."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def counted(done: Exported) -> str:
    """ "246 entries, 5 rhythms and 3 pauses": what an export wrote, each kind named."""
    parts = [_plural(done.entries, "entry", "entries")]
    if done.rhythms:
        parts.append(_plural(done.rhythms, "rhythm"))
    if done.pauses:
        parts.append(_plural(done.pauses, "pause"))
    return listed(parts)


def _days(n: int) -> str:
    return _plural(n, "day")


def _day(d: date, *, year: bool = False) -> str:
    """Wed 25 Nov, or Wed 25 Nov 2026."""
    return dates.day_name(d, year=year)


def day_shown(day: str, today: date | None) -> str:
    """A stored YYYY-MM-DD day as a person reads it on a terminal: "Mon 7 Dec", with the
    year when it is not `today`'s year (always, when `today` is None)."""
    try:
        d = date.fromisoformat(day)
    except ValueError:
        return clean(day)
    return dates.day_name(d, year=today is None or d.year != today.year)


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

        line.append(". " + progress(result.progress, without_minutes=not record.minutes))
    if result.streak:  # a streak of zero is no news; the day logged for is named above
        line.append(f". Current streak: {_days(result.streak)}.")
    else:
        line.append(".")
    return line


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


def entries_table(
    records: Iterable[Record], *, piped: bool = False, today: date | None = None
) -> RenderableType:
    """The rows of `ally list`, the caller orders them; notes whole, wrapped on a terminal.

    Piped, one line an entry with the whole note (its line breaks shown as ¶), so that
    `ally list | grep WORD` finds every entry whose note holds WORD.
    """
    records = list(records)
    if piped:
        return _entries_lines(records, today)
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
            user_text(record.id[:8]), day_shown(record.day, today), _what(record), minutes,
            Text(_note(record)),
        )  # fmt: skip
        head = user_text(record.id[:8], "dim")
        head.append_text(user_text(f"  {day_shown(record.day, today)}  "))
        head.append_text(_what(record))
        if minutes:
            head.append(f"  {minutes} min")
        blocks.append(head)
        if _note(record):
            blocks.append(_indent(Text(_note(record))))
    return Fit(Room(table, 18), Group(*blocks))


def _entries_lines(records: list[Record], today: date | None) -> RenderableType:
    whats = [_what(r) for r in records]
    width = max((w.cell_len for w in whats), default=0)
    days = [day_shown(r.day, today) for r in records]
    day_width = max((len(d) for d in days), default=0)
    lines = []
    for record, what, day in zip(records, whats, days, strict=True):
        line = user_text(f"{record.id[:8]}  {day.ljust(day_width)}  ")
        line.append_text(what)
        line.append(" " * (width - what.cell_len))
        line.append(f"  {record.minutes or '':>4}")
        note = _note(record).replace("\n", " ¶ ")
        if note:
            line.append("  " + note)
        line.rstrip()
        lines.append(line)
    return Group(*lines)


def reflections(records: Iterable[Record], today: date | None = None) -> RenderableType:
    """Past reflections, each with its day, prompt and whole answer."""
    parts: list[RenderableType] = []
    for record in records:
        if record.kind != "reflection":
            continue
        if parts:
            parts.append(Text(""))
        head = user_text(f"{day_shown(record.day, today)} · {record.pillar}", "bold")
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
