"""What `ally type` says: confirmations and the list of every action type."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from allycli.render import words
from allycli.render.fit import Fit
from allycli.render.fit import table as fit_table

if TYPE_CHECKING:
    from rich.console import RenderableType

    from allycli.core.taxonomy import OwnType
    from allycli.journal.types import Changed, TypeRow

# What the states mean, in plain words, under the list and the report's table.
OWN_WORDS = "own: a type you added (`ally type add`); it is logged and reported like any other."
RETIRED_WORDS = (
    "retired: a type of your own that takes no new entries and is never a gap; its history "
    "stays, and `ally type retire --undo NAME` brings it back."
)


def added(t: OwnType) -> Text:
    also = f" (also: {', '.join(t.aliases)})" if t.aliases else ""
    return words.user_text(
        f"Added the action type {t.name}{also}, in the pillar {t.pillar}. "
        f"`ally log {t.name}` records it."
    )


def renamed(c: Changed) -> Text:
    if not c.changed:
        return words.user_text(f"The action type {c.after.name} already has that name.")
    return words.user_text(
        f"Renamed the action type {c.before.name} -> {c.after.name}; its entries now show "
        f"the new name, and '{c.before.name}' still works as a word for it."
    )


def retired(c: Changed, *, undo: bool) -> Text:
    name = c.after.name
    if undo:
        if not c.changed:
            return words.user_text(f"The action type {name} is not retired; nothing changed.")
        return words.user_text(f"The action type {name} is back: it takes new entries again.")
    if not c.changed:
        return words.user_text(f"The action type {name} is retired already; nothing changed.")
    return words.user_text(
        f"Retired the action type {name}: it takes no new entries and is no gap; its history "
        f"stays. `ally type retire --undo {name}` brings it back."
    )


def type_list(rows: Sequence[TypeRow], today: date) -> RenderableType:
    headers = ["Type", "Pillar", "State", "Entries", "Last logged", "Meaning"]
    table_rows = []
    lines: list[RenderableType] = []
    for r in rows:
        last = words.when(date.fromisoformat(r.last), today) if r.last else "never"
        name = r.name if not r.aliases else f"{r.name} (also {', '.join(r.aliases)})"
        table_rows.append([name, r.pillar, r.state, str(r.entries), last, r.meaning])
        lines.append(
            words.user_text(
                f"{name}: {r.pillar}, {r.state}, "
                f"{words.plural(r.entries, 'entry', 'entries')}, last logged {last}"
                + (f"; {r.meaning}" if r.meaning else "")
            )
        )
    table = fit_table(headers, table_rows, right=(3,), wrap=(5,))
    notes = [Text("")]
    if any(r.own for r in rows):
        notes.append(Text(OWN_WORDS))
    else:
        notes.append(Text("Add one of your own: ally type add NAME --pillar PILLAR."))
    if any(r.retired for r in rows):
        notes.append(Text(RETIRED_WORDS))
    return Group(Fit(table, Group(*lines)), *notes)
