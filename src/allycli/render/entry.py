"""One entry in full (`ally show`), search hits, and the lines that name an entry.

Like render/messages.py: results in, Rich renderables (or plain lines) out; user text always goes
through words.clean, so stored text can never drive the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from allycli.core.dates import spoken
from allycli.core.highlight import spans
from allycli.core.records import Record
from allycli.render import words
from allycli.render.fit import Fit

if TYPE_CHECKING:
    from allycli.journal.importing import Merged

MATCH = "bold reverse"


def day_words(record: Record, today: date | None = None) -> str:
    """Wed 25 Nov, with the year when it is not `today`'s (always without `today`)."""
    return words.day_shown(record.day, today)


def what(record: Record) -> str:
    if record.kind == "reflection":
        return f"reflection on {record.pillar}"
    if record.action_type:
        return f"{record.action_type} ({record.pillar})"
    return record.pillar


def name(record: Record, today: date) -> str:
    """How a confirmation names an entry, as `log` and `reflect` name days:
    "the practice entry 3f2a9c1e from yesterday, Tue 24 Nov"."""
    try:
        when = spoken(date.fromisoformat(record.day), today)
    except ValueError:
        when = words.clean(record.day)
    return f"the {record.kind} entry {record.id[:8]} from {when}"


def asked(record: Record, today: date) -> str:
    """An entry as a question names it: its activity, its day and the start of its text,
    then its id: 'protest (action) from yesterday, Sun 6 Dec, "Joined the..." (id 3f2a9c1e)'."""
    try:
        when = spoken(date.fromisoformat(record.day), today)
    except ValueError:
        when = words.clean(record.day)
    text = record.answer if record.kind == "reflection" else record.note
    start = f", {words.text_start(text)}" if text and text.strip() else ""
    return f"{summary(record)} from {when}{start} (id {words.clean(record.id[:8])})"


_FIELDS = {"note": "note", "answer": "answer", "day": "date", "minutes": "minutes",
           "action_type": "action type", "pillar": "pillar"}  # fmt: skip


def changes(before: Record, after: Record, today: date) -> str:
    """What an edit changed, old -> new for each field: 'minutes 30 -> 90; note "a" -> none'."""

    def shown(field: str, record: Record) -> str:
        value = getattr(record, field)
        if field == "day":
            return words.day_and_distance(value, today)
        if value is None or value == "":
            return "none"
        if field in ("note", "answer"):
            return words.text_start(value)
        return words.clean(str(value))

    return "; ".join(
        f"{label} {shown(field, before)} -> {shown(field, after)}"
        for field, label in _FIELDS.items()
        if getattr(before, field) != getattr(after, field)
    )


def summary(record: Record) -> str:
    """What an entry is, in a few words: "protest (action)", "reflection on yielding"."""
    return words.clean(what(record))


def marked(text: str, searched: Sequence[str]) -> Text:
    """User text with the searched words highlighted."""
    shown = words.user_text(text)
    for start, stop in spans(shown.plain, searched):
        shown.stylize(MATCH, start, stop)
    return shown


def entry(
    record: Record, searched: Sequence[str] = (), today: date | None = None
) -> RenderableType:
    """Every field of one entry; its note or answer whole; times local, to the minute."""
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="dim", no_wrap=True)
    fields.add_column(overflow="fold")
    fields.add_row("id", words.user_text(record.id))
    fields.add_row("date", day_words(record, today))
    fields.add_row("kind", record.kind)
    fields.add_row("pillar", words.user_text(record.pillar))
    if record.kind == "practice":
        fields.add_row("action type", words.user_text(record.action_type or "none"))
        fields.add_row("minutes", str(record.minutes) if record.minutes else "none")
    else:
        fields.add_row("prompt id", words.user_text(record.prompt_id or "none"))
    fields.add_row("created", words.time_shown(record.created_at, today))
    fields.add_row("updated", words.time_shown(record.changed_at, today))
    lines = [Text.assemble((f"{label} ", "dim"), value) for label, value in _cells(fields)]
    parts: list[RenderableType] = [Fit(fields, Group(*lines))]  # narrow: "id VALUE" wraps
    if record.kind == "reflection":
        parts += [Text(""), Text("prompt", style="dim")]
        parts.append(Padding(marked(record.prompt or "", searched), (0, 0, 0, 2)))
        parts += [Text(""), Text("answer", style="dim")]
        parts.append(Padding(marked(record.answer or "", searched), (0, 0, 0, 2)))
    elif record.note:
        parts += [Text(""), Text("note", style="dim")]
        parts.append(Padding(marked(record.note, searched), (0, 0, 0, 2)))
    else:
        parts += [Text(""), Text("no note", style="dim")]
    return Group(*parts)


def _cells(grid: Table) -> list[tuple[str, Text]]:
    labels, values = grid.columns[0].cells, grid.columns[1].cells
    return [
        (str(label), value if isinstance(value, Text) else Text(str(value)))
        for label, value in zip(labels, values, strict=True)
    ]


def hits(
    records: Iterable[Record], searched: Sequence[str], today: date | None = None
) -> RenderableType:
    """Search results for a terminal: a heading line per entry, its text with the words marked."""
    parts: list[RenderableType] = []
    for record in records:
        if parts:
            parts.append(Text(""))
        head = words.user_text(f"{record.id[:8]}  {day_words(record, today)}  ", "bold")
        head.append_text(words.user_text(what(record), "bold"))
        parts.append(head)
        if record.kind == "reflection":
            parts.append(Padding(marked(record.prompt or "", searched), (0, 0, 0, 2), style="dim"))
            parts.append(Padding(marked(record.answer or "", searched), (0, 0, 0, 2)))
        elif record.note:
            parts.append(Padding(marked(record.note, searched), (0, 0, 0, 2)))
    return Group(*parts)


def hits_plain(records: Iterable[Record], today: date | None = None) -> Iterable[str]:
    """Search results for a pipe or a file: the same blocks, no styles, texts whole."""
    first = True
    heads: dict[tuple[str, str, str | None, str], str] = {}  # days and kinds repeat
    for record in records:
        if not first:
            yield "\n"
        first = False
        key = (record.kind, record.pillar, record.action_type, record.day)
        head = heads.get(key)
        if head is None:
            head = heads[key] = f"  {day_words(record, today)}  {words.clean(what(record))}\n"
        yield record.id[:8] + head
        texts = [record.prompt, record.answer] if record.kind == "reflection" else [record.note]
        for text in texts:
            if text:
                yield "  " + words.clean(text).replace("\n", "\n  ") + "\n"


OBJECT_OUTCOMES = (
    ("added", "added"),
    ("updated", "updated"),
    ("present", "already present"),
    ("conflicts", "kept in a conflict"),
    ("deleted_here", "left out (deleted here later)"),
)


def merged(m: Merged) -> str:
    """The one-line summary of an import (or of what a dry run would do): entries, then
    rhythms and pauses, each counted apart."""
    counts = f"{m.updated} updated, {m.present} already present, {m.conflicts} kept in a conflict"
    if m.deleted_here:
        counts += f", {m.deleted_here} left out (deleted here later)"
    for kind, many in (("action_type", "action types"), ("rhythm", "rhythms"),
                       ("pause", "pauses")):  # fmt: skip
        found = m.objects.get(kind, {})
        said = [f"{found[key]} {label}" for key, label in OBJECT_OUTCOMES if found.get(key)]
        if said:
            counts += f"; {many}: " + ", ".join(said)
    if m.waiting:
        waits = words.plural(m.waiting, "change waits", "changes wait")
        counts += f"; {waits} for the entry its id names (it stays in the file)"
    source = words.clean(m.source)
    if m.dry_run:
        return (
            f"An import of {source} would add {words.plural(m.added, 'entry', 'entries')}; "
            f"{counts}. "
            "Nothing was changed (--dry-run)."
        )
    return f"Imported {words.plural(m.added, 'entry', 'entries')} from {source}; {counts}."


def entry_plain(record: Record, today: date | None = None) -> Iterable[str]:
    """`ally show` for a pipe or a file: the same fields, each text whole, no styles."""
    fields = [("id", record.id), ("date", day_words(record, today)),
              ("kind", record.kind), ("pillar", record.pillar)]  # fmt: skip
    if record.kind == "practice":
        fields += [("action type", record.action_type or "none"),
                   ("minutes", str(record.minutes) if record.minutes else "none")]  # fmt: skip
    else:
        fields.append(("prompt id", record.prompt_id or "none"))
    fields += [("created", words.time_shown(record.created_at, today)),
               ("updated", words.time_shown(record.changed_at, today))]  # fmt: skip
    for label, value in fields:
        yield f"{label.ljust(13)}{words.clean(value)}\n"
    texts = (
        [("prompt", record.prompt), ("answer", record.answer)]
        if record.kind == "reflection"
        else [("note", record.note)]
    )
    for label, text in texts:
        if text:
            yield f"\n{label}\n" + "".join(f"  {line}\n" for line in words.clean(text).split("\n"))
        else:
            yield f"\nno {label}\n"
