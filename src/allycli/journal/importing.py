"""`ally import`: merge a jsonl file (or standard input) into the journal by id.

The whole file is read and validated first; then, in one write transaction, each object
(entry, rhythm or pause alike) is merged with merge.decide: a new id is added, a later
`updated_at` wins, equal times with different content go to the version whose canonical
JSON sorts last (a conflict), and an id deleted here at or after the object's `updated_at`
stays deleted. Replaced entries have
their old text overwritten in the file (secure_delete, then a checkpoint), as for edit.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from allycli.core import exchange, merge, sealing
from allycli.core.errors import AllyError, DataFileError
from allycli.core.records import Patch, Record
from allycli.core.taxonomy import OwnType
from allycli.journal.context import Context
from allycli.store import entries as entrydb
from allycli.store import rhythms as rhythm_store
from allycli.store import types as type_store

STDIN = "standard input"


@dataclass(frozen=True)
class Merged:
    source: str
    added: int = 0
    updated: int = 0
    present: int = 0
    conflicts: int = 0
    deleted_here: int = 0  # deleted here at or after the object's updated_at: left out
    dry_run: bool = False
    # for "rhythm" and "pause": how many had each outcome (core/merge.OUTCOMES)
    objects: Mapping[str, Mapping[str, int]] = dataclasses.field(default_factory=dict)
    waiting: int = 0  # patch drafts whose id does not resolve to one entry (yet)
    unfinished: str = ""  # what did not happen after the import was saved

    @property
    def read(self) -> int:
        return self.added + self.updated + self.present + self.conflicts + self.deleted_here


def read(ctx: Context, path: Path | None, stdin: IO[bytes] | None = None) -> list[Any]:
    """Every object of the file (or of `stdin` when path is None), validated."""
    from allycli.journal.types import kinds as journal_kinds

    name = STDIN if path is None else str(path)
    latest = ctx.today + timedelta(days=1)  # a machine in another zone may be a day ahead
    known = journal_kinds(ctx)  # the types an entry may name without the file defining them
    if path is None:
        assert stdin is not None
        lines = decoded_lines(stdin, name)
        return list(exchange.read_jsonl(lines, name, latest=latest, kinds=known))
    try:
        with path.open("rb") as fh:
            if fh.read(len(sealing.MAGIC)) == sealing.MAGIC:  # a sealed draft
                from allycli.journal.sealed import unseal_text

                fh.seek(0)
                text = unseal_text(ctx.store, fh.read(), name)
                unsealed = decoded_lines(text.splitlines(keepends=True), name)
                return list(exchange.read_jsonl(unsealed, name, latest=latest, kinds=known))
            fh.seek(0)
            lines = decoded_lines(fh, name)
            return list(exchange.read_jsonl(lines, name, latest=latest, kinds=known))
    except FileNotFoundError:
        raise DataFileError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise DataFileError(f"{path} is a folder; give a jsonl file.") from None
    except OSError as exc:
        raise DataFileError(f"Cannot read {path}: {exc.strerror}.") from None


def decoded_lines(fh: Iterable[bytes], name: str) -> Iterator[str]:
    """UTF-8 lines; a byte-order mark at the start is accepted and dropped."""
    for number, raw in enumerate(fh, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise DataFileError(
                f"{name}, line {number} is not UTF-8 text; nothing was imported."
            ) from None


def merge_into(
    ctx: Context,
    records: list[Any],
    source: str,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Merged:
    """Merge the records into the journal (or only say what that would do).

    Entries, rhythms and pauses merge by the same rule, in one transaction.
    """
    entries = with_prompts(ctx, [r for r in records if isinstance(r, Record)])
    patches = [p for p in records if isinstance(p, Patch)]
    types = [t for t in records if isinstance(t, OwnType)]
    objects = [o for o in records if not isinstance(o, (Record, Patch, OwnType))]
    if dry_run:
        with ctx.store.reading() as conn:
            kinds = type_store.merge_types(conn, types, dry_run=True)
            merged = _merge(conn, entries, source, dry_run=True)
            merged = _patch(conn, patches, merged, dry_run=True)
            counts = rhythm_store.merge_objects(conn, objects, dry_run=True)
        counts = {**({"action_type": kinds} if types else {}), **(counts if objects else {})}
        return dataclasses.replace(merged, objects=counts)
    with ctx.store.writing() as conn:
        kinds = type_store.merge_types(conn, types)
        merged = _merge(conn, entries, source, progress=progress)
        merged = _patch(conn, patches, merged)
        counts = rhythm_store.merge_objects(conn, objects)
    counts = {**({"action_type": kinds} if types else {}), **(counts if objects else {})}
    if merged.updated or merged.conflicts:  # old text overwritten in the main file
        from allycli.journal.editing import clear_old_text

        merged = dataclasses.replace(merged, unfinished=clear_old_text(ctx))
    return dataclasses.replace(merged, objects=counts)


def with_prompts(ctx: Context, records: list[Record]) -> list[Record]:
    """Reflections kept as drafts without their prompt (it could not be loaded) get the one
    asked for by id, or else that day's prompt."""
    if all(r.prompt is not None or r.kind != "reflection" for r in records):
        return records
    from datetime import date

    from allycli.core import prompts
    from allycli.journal import practice

    found = []
    for r in records:
        if r.kind == "reflection" and r.prompt is None:
            asked = prompts.find(ctx.load_prompts(), r.prompt_id) if r.prompt_id else None
            chosen = asked or practice.todays_prompt(ctx, day=date.fromisoformat(r.day))
            r = dataclasses.replace(r, prompt_id=chosen.id, prompt=chosen.text,
                                    pillar=chosen.pillar)  # fmt: skip
        found.append(r)
    return found


def _patch(
    conn: sqlite3.Connection, patches: list[Patch], merged: Merged, *, dry_run: bool = False
) -> Merged:
    """Apply each patch whose id resolves to one entry, by the edit rules, when it is later
    than the entry's version; one that does not resolve (yet) waits in its draft."""
    from allycli.journal import editing

    updated = present = waiting = 0
    for patch in patches:
        try:
            record = entrydb.get(conn, patch.id)
            if merge.Version(patch.updated_at).instant <= merge.Version(record.changed_at).instant:
                present += 1  # applied already, or the entry changed later: the later wins
                continue
            changes = editing.Changes.from_patch(dict(patch.fields))
            edited = editing.apply(record, changes, patch.updated_at, type_store.read(conn))
        except AllyError:  # no such entry (yet), several, or a field its kind does not have
            waiting += 1
            continue
        if not edited.changed:
            present += 1
            continue
        if not dry_run:
            entrydb.put(conn, [edited.after])
        updated += 1
    return dataclasses.replace(
        merged,
        updated=merged.updated + updated,
        present=merged.present + present,
        waiting=merged.waiting + waiting,
    )


def _merge(
    conn: sqlite3.Connection,
    records: list[Record],
    source: str,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Merged:
    local_times = entrydb.versions(conn)
    buried = entrydb.tombstones(conn)
    # Only equal instants need the local content; fetch those rows in bulk.
    same_time = [
        r.id
        for r in records
        if r.id in local_times
        and merge.Version(local_times[r.id]).instant == merge.Version(r.changed_at).instant
    ]
    local_rows = entrydb.by_ids(conn, same_time) if same_time else {}
    winners: dict[str, Record] = {}  # what this import writes, by id
    counts = dict.fromkeys(("added", "updated", "present", "conflicts", "deleted_here"), 0)
    for record in records:
        local = _local(record.id, winners, local_times, local_rows, buried)
        if local is None:  # the common case of a first import: no content to compare
            outcome = merge.Outcome.ADDED
        else:
            outcome = merge.decide(local, merge.of_object(record.to_json()))
        if outcome.conflict:
            counts["conflicts"] += 1
        elif outcome is merge.Outcome.ADDED or (outcome.takes_incoming and local and local.deleted):
            counts["added"] += 1
        elif outcome is merge.Outcome.UPDATED:
            counts["updated"] += 1
        elif local is not None and local.deleted:
            counts["deleted_here"] += 1
        else:
            counts["present"] += 1
        if outcome.takes_incoming:
            winners[record.id] = record
    if not dry_run and winners:
        entrydb.put_many(conn, list(winners.values()), progress)
        back = [i for i in winners if i in buried]
        if back:
            entrydb.unbury(conn, back)
    return Merged(
        source,
        added=counts["added"],
        updated=counts["updated"],
        present=counts["present"],
        conflicts=counts["conflicts"],
        deleted_here=counts["deleted_here"],
        dry_run=dry_run,
    )


def _local(
    entry_id: str,
    winners: dict[str, Record],
    local_times: dict[str, str],
    local_rows: dict[str, Record],
    buried: dict[str, str],
) -> merge.Version | None:
    """The version here that an incoming object meets: one earlier in the same file, the
    stored entry, or the tombstone of a delete."""
    if entry_id in winners:
        return merge.of_object(winners[entry_id].to_json())
    if entry_id in local_times:
        row = local_rows.get(entry_id)
        if row is None:  # a different time: the content does not decide
            return merge.Version(local_times[entry_id])
        return merge.of_object(row.to_json())
    if entry_id in buried:
        return merge.tombstone(buried[entry_id])
    return None
