"""Rhythm and pause objects: their values, their jsonl form, and reading them back.

A rhythm's id is derived from its category (UUID5 in a fixed namespace), so two machines
that set the same category's rhythm agree on it. Pure: no I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from allycli.core import fields
from allycli.core.errors import DataFileError, UsageError
from allycli.core.fields import FieldError, from_file
from allycli.core.rhythms import CATEGORIES, OFF, covers, parse_spec

# Fixed forever: changing it would give every rhythm a new id on every machine.
RHYTHM_NAMESPACE = uuid.UUID("7d4c1f5e-2b8a-5e3c-9a61-0f2d8b4e6a17")
RHYTHM_KEYS = {"id", "kind", "category", "rhythm", "updated_at"}
PAUSE_KEYS = {"id", "kind", "since", "until", "categories", "note", "created_at", "updated_at"}
OBJECT_KINDS = ("rhythm", "pause")


def rhythm_id(category: str) -> str:
    return str(uuid.uuid5(RHYTHM_NAMESPACE, category))


@dataclass(frozen=True)
class RhythmSetting:
    """A category's stored rhythm: a canonical spec or `off`."""

    category: str
    rhythm: str
    updated_at: str

    @property
    def id(self) -> str:
        return rhythm_id(self.category)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": "rhythm",
            "category": self.category,
            "rhythm": self.rhythm,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class Pause:
    id: str
    since: date
    until: date
    categories: tuple[str, ...] | None  # None: every category
    note: str | None
    created_at: str
    updated_at: str

    def covers(self, category: str) -> bool:
        return covers(self.categories, category)

    def overlaps(self, start: date, end: date) -> bool:
        return self.since <= end and self.until >= start

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": "pause",
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "categories": list(self.categories) if self.categories is not None else None,
            "note": self.note,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def is_object(obj: Any) -> bool:
    """A jsonl line that holds a rhythm or a pause rather than an entry."""
    return isinstance(obj, dict) and obj.get("kind") in OBJECT_KINDS


def parse_object(obj: dict[str, Any], where: str) -> RhythmSetting | Pause:
    """Validate a rhythm or pause object from a jsonl file; DataFileError names the line."""

    def bad(why: str) -> DataFileError:
        return DataFileError(f"{where}: {why}; nothing was imported.")

    kind = obj["kind"]
    allowed = RHYTHM_KEYS if kind == "rhythm" else PAUSE_KEYS
    missing = allowed - set(obj)
    if missing:
        raise bad(f"missing {', '.join(sorted(missing))}")
    unknown = set(obj) - allowed
    if unknown:
        raise bad(f"unknown field {', '.join(sorted(map(str, unknown)))}")
    updated = from_file(obj, "updated_at", fields.instant, where)
    if kind == "rhythm":
        category = obj["category"]
        if not _category(category):
            raise bad("'category' must be practice, a pillar or an action type")
        if category in CATEGORIES and obj["id"] != rhythm_id(category):
            raise bad("a rhythm's 'id' must be the one derived from its category")
        setting = obj["rhythm"]
        if not isinstance(setting, str):
            raise bad("'rhythm' must be off or a spec such as 3/week, in lower case")
        try:
            canonical = setting == OFF or str(parse_spec(setting)) == setting
            if not canonical:
                raise UsageError("not canonical")
        except UsageError:
            raise bad("'rhythm' must be off or a spec such as 3/week, in lower case") from None
        return RhythmSetting(category, setting, updated)
    pause_id = from_file(obj, "id", fields.object_id, where)
    since = from_file(obj, "since", fields.day, where)
    until = from_file(obj, "until", fields.day, where)
    if until < since:
        raise bad("'until' comes before 'since'")
    try:
        fields.pause_days(since, until)
    except FieldError as exc:
        raise bad(f"a pause {exc.why}") from None
    categories = obj["categories"]
    if categories is not None:
        if (
            not isinstance(categories, list)
            or not categories
            or not all(_category(c) for c in categories)
            or len(set(categories)) != len(categories)
        ):
            raise bad("'categories' must be null or a list of categories without repeats")
        categories = tuple(categories)
    note = from_file(obj, "note", fields.optional_text, where)
    created = from_file(obj, "created_at", fields.instant, where)
    return Pause(pause_id, since, until, categories, note, created, updated)


def _category(value: Any) -> bool:
    """practice, a pillar, a built-in action type, or a word that may name one's own type
    (resolved to its key by the reader of the file)."""
    from allycli.core.taxonomy import NAME_RULE

    return isinstance(value, str) and (value in CATEGORIES or bool(NAME_RULE.fullmatch(value)))
