"""Entries as plain values, and their JSON form (the lossless jsonl and list --json shape)."""

from __future__ import annotations

from dataclasses import dataclass
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
        """Values in store.ENTRY_COLUMNS order, with the derived ordering and search keys."""
        return (
            self.id,
            self.kind,
            self.day,
            self.created_at,
            self.pillar,
            self.action_type,
            self.note,
            self.minutes,
            self.prompt_id,
            self.prompt,
            self.answer,
            self.changed_at,
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
