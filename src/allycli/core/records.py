"""Entries as plain values, and their JSON form (the lossless jsonl and list --json shape)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from allycli.core.folding import fold, micros


@dataclass(frozen=True)
class Record:
    """One stored entry: a practice entry or a reflection."""

    id: str
    kind: str
    day: str
    created_at: str
    pillar: str
    action_type: str | None = None
    note: str | None = None
    minutes: int | None = None
    prompt_id: str | None = None
    prompt: str | None = None
    answer: str | None = None
    updated_at: str | None = None  # None: never edited, the same as created_at

    @property
    def changed_at(self) -> str:
        """When this version was made: `updated_at`, or `created_at` for a first version."""
        return self.updated_at or self.created_at

    def row(self) -> tuple[object, ...]:
        """Values in ENTRY_COLUMNS order: the fields (`updated_at` filled in), then the
        ordering and search keys derived from them."""
        values = _fields(self)
        return (
            *values[:_UPDATED_AT],
            self.changed_at,
            *values[_UPDATED_AT + 1 :],
            micros(self.created_at),
            fold(self.note, self.prompt, self.answer),
        )

    def to_json(self) -> dict[str, Any]:
        base: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "date": self.day,
            "created_at": self.created_at,
            "updated_at": self.changed_at,
        }
        if self.kind == "practice":
            base.update(
                pillar=self.pillar,
                action_type=self.action_type,
                note=self.note,
                minutes=self.minutes,
            )
        else:
            base.update(
                prompt_id=self.prompt_id,
                prompt=self.prompt,
                pillar=self.pillar,
                answer=self.answer,
            )
        return base


# The entry table's columns, known here once: a Record's fields, in order, then the keys
# derived from them (created_at as UTC microseconds, the order within a day; note, prompt
# and answer case- and accent-folded, for search). A row read as RECORD_COLUMNS is Record(*row).
RECORD_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Record))
ENTRY_COLUMNS: tuple[str, ...] = (*RECORD_COLUMNS, "created_us", "folded")
_UPDATED_AT = RECORD_COLUMNS.index("updated_at")
_fields = attrgetter(*RECORD_COLUMNS)


@dataclass(frozen=True)
class Patch:
    """A change to an entry that could not be read when it was made:
    the id or prefix as given, the fields as `ally edit` names them, and when it was made.
    `ally import` applies it once the id resolves to one entry."""

    id: str
    fields: tuple[tuple[str, Any], ...]
    updated_at: str
