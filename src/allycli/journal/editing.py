"""Fixing and finding entries: show, edit, delete (by id or the last one), search.

Use cases over a Context, through plain sqlite3 (entrydb.py), so these commands start as
fast as `ally log`. `apply` is the pure edit rule; nothing here reads the clock or the
terminal.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from allycli.core import fields as field_rules
from allycli.core import taxonomy
from allycli.core.dates import stamp
from allycli.core.errors import AllyError, NotFoundError, StorageError, UsageError
from allycli.core.fields import storable
from allycli.core.filters import Filters
from allycli.core.folding import fold
from allycli.core.records import Record
from allycli.journal.context import Context, after_commit, keep_as_draft, write_or_draft
from allycli.store import entries as entrydb
from allycli.store import types as type_store


@dataclass(frozen=True)
class Changes:
    """What `ally edit` was asked to change; None means "leave it"."""

    note: str | None = None  # "" clears the note
    answer: str | None = None
    day: date | None = None
    action_type: str | None = None  # a key, or "none" to remove the action type
    pillar: str | None = None
    minutes: int | None = None  # CLEAR (0) removes the minutes, as `--minutes none` asks

    @property
    def empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in dataclasses.fields(self))

    def patch(self, id_prefix: str, updated_at: str) -> dict[str, object]:
        """The change as a draft that `ally import` applies once the id resolves to one
        entry: kept when the entry itself could not be read."""
        fields: dict[str, object] = {}
        for name, value in dataclasses.asdict(self).items():
            if value is not None:
                fields[PATCH_FIELDS[name]] = value.isoformat() if name == "day" else value
        if self.minutes == CLEAR:
            fields["minutes"] = None  # a patch clears minutes with null
        return {"kind": "patch", "id": id_prefix, "fields": fields, "updated_at": updated_at}

    @classmethod
    def from_patch(cls, fields: dict[str, object]) -> Changes:
        """The change a patch draft holds (its fields checked by exchange_objects)."""
        names = {v: k for k, v in PATCH_FIELDS.items()}
        values = {names[k]: v for k, v in fields.items()}
        if "minutes" in values and values["minutes"] is None:
            values["minutes"] = CLEAR
        if isinstance(values.get("day"), str):
            values["day"] = date.fromisoformat(str(values["day"]))
        # import checked each field's shape (core/fields), which a dict's type cannot say
        return cls(**values)  # type: ignore[arg-type]


CLEAR = 0  # Changes.minutes that removes an entry's minutes

PATCH_FIELDS = {  # Changes' fields, as a patch draft names them
    "note": "note",
    "answer": "answer",
    "day": "date",
    "action_type": "action_type",
    "pillar": "pillar",
    "minutes": "minutes",
}


@dataclass(frozen=True)
class Edited:
    before: Record
    after: Record
    changed: tuple[str, ...]  # the fields that changed, in words
    unfinished: str = ""  # what did not happen after the change was saved, said by the shell


def show(ctx: Context, id_prefix: str) -> Record:
    from allycli.journal.types import shown_record

    with ctx.store.reading() as conn:
        return shown_record(type_store.read(conn), entrydb.get(conn, id_prefix))


def apply(
    record: Record, changes: Changes, updated_at: str, kinds: taxonomy.Kinds = taxonomy.BUILT_IN
) -> Edited:
    """The entry as edited: `--type` brings its default pillar unless
    `--pillar` is given, `--type none` removes it, and `--note ""` clears a note."""
    practice = record.kind == "practice"
    if practice and changes.answer is not None:
        raise UsageError("--answer is for reflections; this is a practice entry: use --note.")
    if not practice:
        for flag, value in (("--note", changes.note), ("--type", changes.action_type),
                            ("--minutes", changes.minutes)):  # fmt: skip
            if value is not None:
                raise UsageError(
                    f"{flag} is for practice entries; this is a reflection: use --answer, "
                    "--date or --pillar."
                )
    fields: dict[str, object] = {}
    if changes.note is not None:
        note = storable(changes.note, "note")
        fields["note"] = note if note.strip() else None
    if changes.answer is not None:
        answer = storable(changes.answer, "answer").strip("\n")
        if not answer.strip():
            raise UsageError("A reflection needs an answer; to remove it, `ally delete` it.")
        fields["answer"] = answer
    if changes.day is not None:
        fields["day"] = changes.day.isoformat()
    if changes.minutes == CLEAR:
        fields["minutes"] = None
    elif changes.minutes is not None:
        fields["minutes"] = field_rules.from_flag("--minutes", changes.minutes, field_rules.minutes)
    if changes.action_type is not None:
        if changes.action_type.strip().lower() == "none":
            fields["action_type"] = None
        else:
            action_type = kinds.resolve_action_type(changes.action_type)
            if action_type != record.action_type:
                kinds.refuse_retired(action_type)
            fields["action_type"] = action_type
            fields["pillar"] = kinds.pillar_of(action_type)
    if changes.pillar is not None:
        fields["pillar"] = taxonomy.resolve_pillar(changes.pillar)
    changed = tuple(
        _WORDS[name] for name, value in fields.items() if getattr(record, name) != value
    )
    if not changed:
        return Edited(record, record, ())
    # each value has its field's type, set above; a dict of them cannot say so
    after = dataclasses.replace(record, **fields, updated_at=updated_at)  # type: ignore[arg-type]
    return Edited(record, after, tuple(dict.fromkeys(changed)))


_WORDS = {
    "note": "note",
    "answer": "answer",
    "day": "date",
    "minutes": "minutes",
    "action_type": "action type",
    "pillar": "pillar",
}


def edit(ctx: Context, id_prefix: str, changes: Changes, *, written: bool = False) -> Edited:
    """Change an entry and its updated_at; the old text is overwritten in the file.

    Whatever step fails, the change is kept as a draft: a patch when the entry cannot be
    read (the id as given, and the fields), else the entry's new version. `written`: the
    text was written in the editor, and is kept even when the entry is gone meanwhile.
    """
    id_prefix = entrydb.checked_prefix(id_prefix)
    kinds = taxonomy.BUILT_IN
    try:
        with ctx.store.reading() as conn:
            record = entrydb.get(conn, id_prefix)
            kinds = type_store.read(conn)
    except StorageError as exc:
        keep_as_draft(ctx, [changes.patch(id_prefix, stamp(ctx.now))], exc)
    except NotFoundError as exc:
        if not written:
            raise
        keep_as_draft(ctx, [changes.patch(id_prefix, stamp(ctx.now))], exc)
    edited = apply(record, changes, later_than(record.changed_at, stamp(ctx.now)), kinds)
    if not edited.changed:
        return _shown(kinds, edited)
    write_or_draft(ctx, [edited.after.to_json()], lambda: _write(ctx, edited.after))
    return _shown(kinds, dataclasses.replace(edited, unfinished=clear_old_text(ctx)))


def _shown(kinds: taxonomy.Kinds, edited: Edited) -> Edited:
    """The edit as a person reads it: own types under their current names."""
    from allycli.journal.types import shown_record

    return dataclasses.replace(
        edited, before=shown_record(kinds, edited.before), after=shown_record(kinds, edited.after)
    )


def clear_old_text(ctx: Context) -> str:
    """After an edit or a delete is saved: overwrite the old text in the main file and
    empty the write-ahead file; what did not happen, if it fails."""
    return after_commit(
        ctx.store.checkpoint,
        "the old text could not yet be cleared from the database's write-ahead file; the "
        "next edit or delete clears it",
    )


def later_than(previous: str, now: str) -> str:
    """`now`, or a microsecond after `previous` when this machine's clock is behind the one
    that made it: an edit is always the later version, so every merge keeps it."""
    from datetime import datetime, timedelta

    before, at = datetime.fromisoformat(previous), datetime.fromisoformat(now)
    if at > before:
        return now
    return stamp((before + timedelta(microseconds=1)).astimezone(at.tzinfo))


def _write(ctx: Context, record: Record) -> None:
    with ctx.store.writing() as conn:
        entrydb.get(conn, record.id)  # still there (a NotFoundError otherwise)
        entrydb.put(conn, [record])


def text_of(record: Record) -> str:
    """The text the editor opens: a note or an answer."""
    return (record.note if record.kind == "practice" else record.answer) or ""


def with_text(record: Record, text: str) -> Changes:
    """The change that an editor's text makes."""
    return Changes(note=text) if record.kind == "practice" else Changes(answer=text)


def keep_text(ctx: Context, record: Record, text: str, reason: AllyError) -> NoReturn:
    """The editor of `ally edit ID` failed with a text in it: keep the change as a patch
    draft (sealed, on an encrypted journal), later than the entry as it stands."""
    patch = with_text(record, text).patch(record.id, later_than(record.changed_at, stamp(ctx.now)))
    keep_as_draft(ctx, [patch], reason, "your change")


# -- delete --------------------------------------------------------------------------------


def find(ctx: Context, id_prefix: str | None) -> Record:
    """The entry to delete: by id prefix, or (None) the one created most recently."""
    from allycli.core.errors import NotFoundError
    from allycli.journal.types import shown_record

    with ctx.store.reading() as conn:
        kinds = type_store.read(conn)
        found = entrydb.get(conn, id_prefix) if id_prefix is not None else entrydb.newest(conn)
    if found is None:
        raise NotFoundError("There are no entries yet, so there is nothing to delete.")
    return shown_record(kinds, found)  # named as shown; deleted by its id


def delete(ctx: Context, record: Record) -> str:
    """Remove one entry, leaving a tombstone and no copy of its text in the file; returns
    what did not happen after the delete was saved ("" when everything did)."""
    ctx.store.delete(record.id, deleted_at=stamp(ctx.now))
    return clear_old_text(ctx)


# -- search --------------------------------------------------------------------------------


def search_words(words: list[str]) -> tuple[str, ...]:
    """The folded words to look for: every argument split on spaces, duplicates once."""
    folded = [fold(w) for arg in words for w in arg.split()]
    found = tuple(dict.fromkeys(w for w in folded if w))
    if not found:
        raise UsageError("Give at least one word to search for.")
    return found


def search(ctx: Context, words: tuple[str, ...], filters: Filters) -> list[Record]:
    from allycli.journal.types import shown_record

    with ctx.store.reading() as conn:
        found = entrydb.search(conn, words, filters)
        if not found:
            return found
        kinds = type_store.read(conn)
    return [shown_record(kinds, r) for r in found]
