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

if TYPE_CHECKING:
    from allycli.journal.importing import Merged

MATCH = "bold reverse"


def day_words(record: Record) -> str:
    """Wed 25 Nov 2026."""
    try:
        return words.day(date.fromisoformat(record.day), year=True)
    except ValueError:
        return words.clean(record.day)


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


def summary(record: Record) -> str:
    """What an entry is, in a few words: "protest (action)", "reflection on yielding"."""
    return words.clean(what(record))


def marked(text: str, searched: Sequence[str]) -> Text:
    """User text with the searched words highlighted."""
    shown = words.user_text(text)
    for start, stop in spans(shown.plain, searched):
        shown.stylize(MATCH, start, stop)
    return shown


def entry(record: Record, searched: Sequence[str] = ()) -> RenderableType:
    """Every field of one entry; its note or answer whole."""
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="dim", no_wrap=True)
    fields.add_column()
    fields.add_row("id", words.user_text(record.id))
    fields.add_row("date", f"{day_words(record)} ({words.clean(record.day)})")
    fields.add_row("kind", record.kind)
    fields.add_row("pillar", words.user_text(record.pillar))
    if record.kind == "practice":
        fields.add_row("action type", words.user_text(record.action_type or "none"))
        fields.add_row("minutes", str(record.minutes) if record.minutes else "none")
    else:
        fields.add_row("prompt id", words.user_text(record.prompt_id or "none"))
    fields.add_row("created", words.user_text(record.created_at))
    fields.add_row("updated", words.user_text(record.changed_at))
    parts: list[RenderableType] = [fields]
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


def hits(records: Iterable[Record], searched: Sequence[str]) -> RenderableType:
    """Search results for a terminal: a heading line per entry, its text with the words marked."""
    parts: list[RenderableType] = []
    for record in records:
        if parts:
            parts.append(Text(""))
        head = words.user_text(f"{record.id[:8]}  {day_words(record)}  ", "bold")
        head.append_text(words.user_text(what(record), "bold"))
        parts.append(head)
        if record.kind == "reflection":
            parts.append(Padding(marked(record.prompt or "", searched), (0, 0, 0, 2), style="dim"))
            parts.append(Padding(marked(record.answer or "", searched), (0, 0, 0, 2)))
        elif record.note:
            parts.append(Padding(marked(record.note, searched), (0, 0, 0, 2)))
    return Group(*parts)


def hits_plain(records: Iterable[Record]) -> Iterable[str]:
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
            head = heads[key] = f"  {day_words(record)}  {words.clean(what(record))}\n"
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
    for kind, many in (("rhythm", "rhythms"), ("pause", "pauses")):
        found = m.objects.get(kind, {})
        said = [f"{found[key]} {label}" for key, label in OBJECT_OUTCOMES if found.get(key)]
        if said:
            counts += f"; {many}: " + ", ".join(said)
    source = words.clean(m.source)
    if m.dry_run:
        return (
            f"An import of {source} would add {words.plural(m.added, 'entry', 'entries')}; "
            f"{counts}. "
            "Nothing was changed (--dry-run)."
        )
    return f"Imported {words.plural(m.added, 'entry', 'entries')} from {source}; {counts}."


def entry_plain(record: Record) -> Iterable[str]:
    """`ally show` for a pipe or a file: the same fields, each text whole, no styles."""
    fields = [("id", record.id), ("date", f"{day_words(record)} ({record.day})"),
              ("kind", record.kind), ("pillar", record.pillar)]  # fmt: skip
    if record.kind == "practice":
        fields += [("action type", record.action_type or "none"),
                   ("minutes", str(record.minutes) if record.minutes else "none")]  # fmt: skip
    else:
        fields.append(("prompt id", record.prompt_id or "none"))
    fields += [("created", record.created_at), ("updated", record.changed_at)]
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
