"""One entry in full (`ally show`), search hits, and the lines that name an entry.

Like render.py: results in, Rich renderables (or plain lines) out; user text always goes
through render.clean, so stored text can never drive the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from allycli.dates import spoken
from allycli.fit import Fit
from allycli.highlight import spans
from allycli.records import Record
from allycli.render import _day, clean, day_shown, user_text

if TYPE_CHECKING:
    from allycli.importing import Merged

MATCH = "bold reverse"


def day_words(record: Record, today: date | None = None) -> str:
    """Wed 25 Nov, with the year when it is not `today`'s (always without `today`)."""
    return day_shown(record.day, today)


def time_words(stamp: str, today: date | None = None) -> str:
    """A stored ISO 8601 time as local time, to the minute: "Wed 25 Nov 14:30"."""
    from datetime import datetime

    try:
        local = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return clean(stamp)
    day = _day(local.date(), year=today is None or local.year != today.year)
    return f"{day} {local:%H:%M}"


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
        when = clean(record.day)
    return f"the {record.kind} entry {record.id[:8]} from {when}"


def text_start(text: str | None, limit: int = 35) -> str:
    """The start of a note or answer, in quotes, cut at a word: "Joined the housing march..."."""
    flat = " ".join(clean(text or "").split())
    if len(flat) > limit:
        cut = flat[: limit + 1].rsplit(" ", 1)[0] if " " in flat[: limit + 1] else flat[:limit]
        flat = cut.rstrip(",.;:") + "..."
    return f'"{flat}"'


def asked(record: Record, today: date) -> str:
    """An entry as a question names it: its activity, its day and the start of its text,
    then its id: 'protest (action) from yesterday, Sun 6 Dec, "Joined the..." (id 3f2a9c1e)'."""
    try:
        when = spoken(date.fromisoformat(record.day), today)
    except ValueError:
        when = clean(record.day)
    text = record.answer if record.kind == "reflection" else record.note
    start = f", {text_start(text)}" if text and text.strip() else ""
    return f"{summary(record)} from {when}{start} (id {clean(record.id[:8])})"


def _day_and_distance(day: str, today: date) -> str:
    """Sat 5 Dec, Sun 6 Dec (yesterday), Mon 7 Dec (today), with the year when not this one."""
    try:
        d = date.fromisoformat(day)
    except ValueError:
        return clean(day)
    shown = _day(d, year=d.year != today.year)
    near = {0: " (today)", 1: " (yesterday)"}.get((today - d).days, "")
    return shown + near


def changes(before: Record, after: Record, today: date) -> str:
    """What an edit changed, old -> new for each field: "minutes 30 -> 90; note "a" -> none"."""

    def shown(name: str, record: Record) -> str:
        value = getattr(record, name)
        if name == "day":
            return _day_and_distance(value, today)
        if value is None or value == "":
            return "none"
        if name in ("note", "answer"):
            return text_start(value)
        return clean(str(value))

    words = {"note": "note", "answer": "answer", "day": "date", "minutes": "minutes",
             "action_type": "action type", "pillar": "pillar"}  # fmt: skip
    return "; ".join(
        f"{words[name]} {shown(name, before)} -> {shown(name, after)}"
        for name in words
        if getattr(before, name) != getattr(after, name)
    )


def summary(record: Record) -> str:
    """What an entry is, in a few words: "protest (action)", "reflection on yielding"."""
    return clean(what(record))


def marked(text: str, words: Sequence[str]) -> Text:
    """User text with the searched words highlighted."""
    shown = user_text(text)
    for start, stop in spans(shown.plain, words):
        shown.stylize(MATCH, start, stop)
    return shown


def entry(record: Record, words: Sequence[str] = (), today: date | None = None) -> RenderableType:
    """Every field of one entry; its note or answer whole."""
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="dim", no_wrap=True)
    fields.add_column(overflow="fold")
    fields.add_row("id", user_text(record.id))
    fields.add_row("date", day_words(record, today))
    fields.add_row("kind", record.kind)
    fields.add_row("pillar", user_text(record.pillar))
    if record.kind == "practice":
        fields.add_row("action type", user_text(record.action_type or "none"))
        fields.add_row("minutes", str(record.minutes) if record.minutes else "none")
    else:
        fields.add_row("prompt id", user_text(record.prompt_id or "none"))
    fields.add_row("created", time_words(record.created_at, today))
    fields.add_row("updated", time_words(record.changed_at, today))
    lines = [Text.assemble((f"{label} ", "dim"), value) for label, value in _cells(fields)]
    parts: list[RenderableType] = [Fit(fields, Group(*lines))]  # narrow: "id VALUE" wraps
    if record.kind == "reflection":
        parts += [Text(""), Text("prompt", style="dim")]
        parts.append(Padding(marked(record.prompt or "", words), (0, 0, 0, 2)))
        parts += [Text(""), Text("answer", style="dim")]
        parts.append(Padding(marked(record.answer or "", words), (0, 0, 0, 2)))
    elif record.note:
        parts += [Text(""), Text("note", style="dim")]
        parts.append(Padding(marked(record.note, words), (0, 0, 0, 2)))
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
    records: Iterable[Record], words: Sequence[str], today: date | None = None
) -> RenderableType:
    """Search results for a terminal: a heading line per entry, its text with the words marked."""
    parts: list[RenderableType] = []
    for record in records:
        if parts:
            parts.append(Text(""))
        head = user_text(f"{record.id[:8]}  {day_words(record, today)}  ", "bold")
        head.append_text(user_text(what(record), "bold"))
        parts.append(head)
        if record.kind == "reflection":
            parts.append(Padding(marked(record.prompt or "", words), (0, 0, 0, 2), style="dim"))
            parts.append(Padding(marked(record.answer or "", words), (0, 0, 0, 2)))
        elif record.note:
            parts.append(Padding(marked(record.note, words), (0, 0, 0, 2)))
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
            head = heads[key] = f"  {day_words(record, today)}  {clean(what(record))}\n"
        yield record.id[:8] + head
        texts = [record.prompt, record.answer] if record.kind == "reflection" else [record.note]
        for text in texts:
            if text:
                yield "  " + clean(text).replace("\n", "\n  ") + "\n"


def merged(m: Merged) -> str:
    """The one-line summary of an import (or of what a dry run would do)."""

    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    counts = f"{m.updated} updated, {m.present} already present, {m.conflicts} kept in a conflict"
    if m.deleted_here:
        counts += f", {n(m.deleted_here, 'left out', 'left out')} (deleted here later)"
    if m.objects:
        counts += f"; {n(m.objects, 'rhythm or pause', 'rhythms and pauses')} " + (
            "read (added when new)" if m.dry_run else "added"
        )
    source = clean(m.source)
    if m.dry_run:
        return (
            f"An import of {source} would add {n(m.added, 'entry', 'entries')}; {counts}. "
            "Nothing was changed (--dry-run)."
        )
    return f"Imported {n(m.added, 'entry', 'entries')} from {source}; {counts}."


def entry_plain(record: Record, today: date | None = None) -> Iterable[str]:
    """`ally show` for a pipe or a file: the same fields, each text whole, no styles."""
    fields = [("id", record.id), ("date", day_words(record, today)),
              ("kind", record.kind), ("pillar", record.pillar)]  # fmt: skip
    if record.kind == "practice":
        fields += [("action type", record.action_type or "none"),
                   ("minutes", str(record.minutes) if record.minutes else "none")]  # fmt: skip
    else:
        fields.append(("prompt id", record.prompt_id or "none"))
    fields += [("created", time_words(record.created_at, today)),
               ("updated", time_words(record.changed_at, today))]  # fmt: skip
    for label, value in fields:
        yield f"{label.ljust(13)}{clean(value)}\n"
    texts = (
        [("prompt", record.prompt), ("answer", record.answer)]
        if record.kind == "reflection"
        else [("note", record.note)]
    )
    for label, text in texts:
        if text:
            yield f"\n{label}\n" + "".join(f"  {line}\n" for line in clean(text).split("\n"))
        else:
            yield f"\nno {label}\n"
