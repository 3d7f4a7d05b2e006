"""Results -> Rich renderables. Never opens the database, never exits, never reads the clock.

Every piece of text that did not come from this module (notes, answers, prompt texts from a
user's YAML, ids) goes through `user_text`: control characters are replaced and markup is
never parsed, so a note can neither crash the output nor drive the terminal. Everything
reads without colour: styles only emphasise what the words already say.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from allycli.render import words
from allycli.render.fit import BOX, Fit, Room

if TYPE_CHECKING:
    from rich.console import RenderableType

    from allycli.core.prompts import Prompt
    from allycli.core.records import Record
    from allycli.journal.practice import Exported, Logged
    from allycli.store.health import Check
    from allycli.sync.commands import SyncStatus
    from allycli.sync.engine import SyncResult


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
        extras.append(words.plural(record.minutes, "minute"))
    if record.note:
        extras.append("with a note")
    line = Text("Logged ")
    line.append_text(words.user_text(what, "bold"))
    line.append(f" for {words.when(day, result.today)}")
    if extras:
        line.append(": " + ", ".join(extras))
    if result.progress:
        from allycli.render.rhythms import progress

        line.append(". " + progress(result.progress, without_minutes=not record.minutes))
    if result.streak:  # a streak of zero is no news; the day logged for is named above
        line.append(f". Current streak: {words.days(result.streak)}.")
    else:
        line.append(".")
    return line


def answered_another(recorded: Record, p: Prompt, today: date) -> Text:
    """The confirmation of `--another --answer`: it names the prompt the person never saw."""
    line = Text(f"Reflection recorded for {words.when(date.fromisoformat(recorded.day), today)}, ")
    line.append("answering ")
    line.append_text(words.user_text(f'"{" ".join(p.text.split())}"'))
    line.append(f" (prompt {p.id}).")
    return line


def counted(done: Exported) -> str:
    """ "246 entries, 5 rhythms and 3 pauses": what an export wrote, each kind named."""
    parts = [words.plural(done.entries, "entry", "entries")]
    if done.types:
        parts.append(words.plural(done.types, "action type"))
    if done.rhythms:
        parts.append(words.plural(done.rhythms, "rhythm"))
    if done.pauses:
        parts.append(words.plural(done.pauses, "pause"))
    return words.listed(parts)


# -- list, reflections, prompts ------------------------------------------------------------


def _what(record: Record) -> Text:
    if record.kind == "reflection":
        return words.user_text(f"reflection {record.prompt_id or ''}".rstrip())
    if record.action_type:
        return words.user_text(f"{record.action_type} ({record.pillar})")
    return words.user_text(record.pillar)


def _note(record: Record) -> str:
    text = record.answer if record.kind == "reflection" else record.note
    return words.clean((text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n"))


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
            words.user_text(record.id[:8]), words.day_shown(record.day, today), _what(record),
            minutes,
            Text(_note(record)),
        )  # fmt: skip
        # the id, and beside it the rest: wrapped under itself, never under the ids; an
        # activity name too long to stand whole beside the id gets a line of its own
        rest = words.user_text(f"{words.day_shown(record.day, today)}  ")
        rest.append_text(_what(record))
        if minutes:
            rest.append(f"  {minutes} min")
        day = words.user_text(words.day_shown(record.day, today))
        if minutes:
            day.append(f"  {minutes} min")
        blocks.append(
            Fit(
                Room(_beside_id(record, rest), 0),
                Group(_beside_id(record, day), words.indent(_what(record))),
            )
        )
        if _note(record):
            blocks.append(words.indent(Text(_note(record))))
    return Fit(Room(table, 18), Group(*blocks))


def _beside_id(record: Record, rest: Text) -> Table:
    head = Table.grid(padding=(0, 2))
    head.add_column(no_wrap=True, style="dim")
    head.add_column()
    head.add_row(words.user_text(record.id[:8]), rest)
    return head


def _entries_lines(records: list[Record], today: date | None) -> RenderableType:
    whats = [_what(r) for r in records]
    width = max((w.cell_len for w in whats), default=0)
    days = [words.day_shown(r.day, today) for r in records]
    day_width = max((len(d) for d in days), default=0)
    lines = []
    for record, what, day in zip(records, whats, days, strict=True):
        line = words.user_text(f"{record.id[:8]}  {day.ljust(day_width)}  ")
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
        head = words.user_text(f"{words.day_shown(record.day, today)} · {record.pillar}", "bold")
        if record.prompt_id:
            head.append_text(words.user_text(f" ({record.prompt_id})", "dim"))
        parts.append(head)
        if record.prompt:
            parts.append(words.user_text(record.prompt, "dim italic"))
        parts.append(words.user_text(record.answer or ""))
    if not parts:
        return Text("No reflections recorded yet.")
    return Group(*parts)


def prompt(p: Prompt) -> Text:
    """The prompt to reflect on, as shown before asking."""
    topic = p.pillar.capitalize() + (f" ({p.action_type})" if p.action_type else "")
    line = words.user_text(topic, "bold")
    line.append(": ")
    line.append_text(words.user_text(p.text))
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
        topic = f"{p.kind} prompt, {p.pillar}" + (f", {p.action_type}" if p.action_type else "")
        head = words.user_text(p.id, "bold")
        head.append_text(words.user_text(f"\n{topic}", "dim"))
        table.add_row(head, words.user_text(p.text))
        line = words.user_text(p.id, "bold")
        line.append_text(words.user_text(f" ({topic})", "dim"))
        stacked += [line, words.indent(words.user_text(p.text)), Text("")]
    return Fit(Room(table, 20), Group(*stacked[:-1]))


# -- sync ----------------------------------------------------------------------------------


def synced(result: SyncResult) -> str:
    """One line for `ally sync`, two when a key was made."""
    line = (
        f"Synced with {result.hub}: sent {words.plural(result.sent, 'change', 'changes')}, "
        f"received {words.plural(result.received, 'change', 'changes')}."
    )
    if result.conflicts:
        line += (
            f" {words.plural(result.conflicts, 'conflict', 'conflicts')} (equal times, different "
            "content) settled the same way on every machine."
        )
    if result.upgraded is not None:
        line += (
            "\nThe hub was upgraded to hub schema 2: "
            f"{words.plural(result.upgraded, 'object', 'objects')} sealed again"
            + (
                f", {words.plural(result.left_out, 'row', 'rows')} that did not open left out."
                if result.left_out
                else "."
            )
        )
    elif result.recreated:
        line += (
            f"\nThe hub is not the one this journal synced with before (its tables were made "
            f"again): everything was pulled again and "
            f"{words.plural(result.sent, 'change was', 'changes were')} sent to it."
        )
    elif result.healed:
        why = " (its change numbers went back: a restore from a backup)" if result.restored else ""
        line += (
            f"\nThe hub had lost or changed {words.plural(result.lost, 'row', 'rows')} since the "
            f"last sync here{why}: everything was pulled again and "
            f"{words.plural(result.sent, 'change was', 'changes were')} sent again."
        )
    if result.new_key:
        line += (
            "\nA key for this hub was made now. Your other machines need it: run "
            "`ally sync --show-key` here and set ALLY_SYNC_KEY there for their first sync."
        )
    return line


def sync_status(status: SyncStatus) -> str:
    """`ally sync --status`: the hub, the last sync, what waits, how the hub answered."""
    waiting = words.plural(status.waiting, "change waits", "changes wait") + " to be sent"
    if status.hub is None:
        return (
            f"Sync is not set up; {waiting}. Start with "
            "`ally sync --url postgresql://user@host/database` (the password in ~/.pgpass)."
        )
    hub = {
        "answers": f"Hub: {status.hub} (it answers and accepts this key)",
        "answers, empty": f"Hub: {status.hub} (it answers; the first sync sets it up)",
        "answers, no key here": f"Hub: {status.hub} (it answers; it has a key and none is "
        "here: pass it with ALLY_SYNC_KEY)",
        "answers, another key": f"Hub: {status.hub} (it answers, but it uses another key "
        "than this one: run `ally sync --show-key` on a machine that syncs with it)",
    }.get(status.answer, f"Hub: {status.hub}\n{status.answer}")
    last = status.last_sync or "never"
    lines = [hub]
    if status.keys is not None:
        hub_check, here = status.keys
        which = "the key kept here, not confirmed by any hub," if status.kept else "the key here"
        lines.append(f"Keys: the hub's key check is {hub_check}; {which} is {here}.")
    lines += [f"Last sync: {last}", f"{waiting[0].upper()}{waiting[1:]}."]
    if status.refused:
        lines.append(sync_refused(status.refused))
    lines.append(
        f"Journal fingerprint: {status.fingerprint} (equal on machines that hold the same journal)"
    )
    return "\n".join(lines)


def sync_password_warning() -> str:
    return (
        "ally: warning: a password in --url shows in the process list and the shell history, "
        "and it is not stored; keep it in ~/.pgpass or ALLY_SYNC_URL instead."
    )


def sync_key_unconfirmed(other_hub: str | None = None) -> str:
    if other_hub is not None:
        return (
            "ally: this key is not confirmed: the hub it was made for uses another key (its "
            f"key check {other_hub}); it is kept here in case another hub needs it. Pass "
            "the hub's key with ALLY_SYNC_KEY to sync."
        )
    return (
        "ally: this key is not confirmed yet: the sync that made it did not finish, so no hub "
        "holds it yet; run `ally sync` to confirm it."
    )


def sync_refused(count: int) -> str:
    return (
        f"The hub holds {words.plural(count, 'row', 'rows')} that did not open with this key "
        "(changed, moved or replayed on the hub, not by ally); they were not applied. "
        "`ally sync --repair` removes them from the hub."
    )


def sync_repair_question(count: int) -> str:
    return f"Remove the {words.plural(count, 'row', 'rows')} that did not open from the hub?"


def sync_repaired(count: int) -> str:
    return (
        f"Removed {words.plural(count, 'row', 'rows')} that did not open from the hub; other "
        "machines send again what they hold at their next sync."
    )


def sync_forgotten(had: bool) -> str:
    if not had:
        return "Nothing to forget: no hub URL or key is stored here."
    return (
        "Forgot the hub's URL and key here; the journal's entries stay. Other machines that "
        "sync keep the key (`ally sync --show-key` there)."
    )


def doctor_lines(checks: Sequence[Check]) -> list[str]:
    """`ally doctor` piped: one line a finding, "ok" only of what was checked and found ok
    ("!!" a problem, blank what is only said), and its fix on the next line."""
    width = max((len(c.name) for c in checks), default=0)
    lines = []
    for c in checks:
        lines.append(f"{_MARKS[c.ok]}{c.name.ljust(width)}  {c.detail}")
        if c.fix:
            lines.append(f"   {' ' * width}  fix: {c.fix}")
    return lines


def doctor_findings(checks: Sequence[Check]) -> RenderableType:
    """`ally doctor` on a terminal: the findings as a table where the details have room,
    else each finding on its line with its details indented under it; a wrapped detail
    never stands in the column of marks and names."""
    width = max((len(c.name) for c in checks), default=0)
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column()
    stacked: list[RenderableType] = []
    for c in checks:
        head = Text(f"{_MARKS[c.ok]}{c.name}")
        table.add_row(Text(f"{_MARKS[c.ok]}{c.name.ljust(width)}"), words.user_text(c.detail))
        stacked += [head, _under(c.detail)]
        if c.fix:
            table.add_row("", words.user_text(f"fix: {c.fix}"))
            stacked.append(_under(f"fix: {c.fix}"))
    return Fit(Room(table, 30), Group(*stacked))


def _under(text: str) -> RenderableType:
    """A finding's detail under its name: wrapped at spaces, a path longer than the line
    alone on its rows."""
    from allycli.render.wrapping import Words

    return Padding(Words(words.user_text(text)), (0, 0, 0, 5))


_MARKS = {True: "ok ", False: "!! ", None: "   "}


def prompts_left_aside(why: str) -> str:
    """The one-line warning for a prompts file of one's own that cannot serve: `why` names
    the file (and the line, when known); the built-in prompts serve meanwhile."""
    return f"ally: warning: {why} Meanwhile ally leaves it aside and uses its built-in prompts."
