"""Export and import: jsonl (lossless), csv and a readable markdown journal.

Export streams entries oldest first; import reads a whole jsonl file, validates every
line, and only then writes, in one transaction, so a bad file is refused whole.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import IO, Any

from allycli.core import fields
from allycli.core.errors import DataFileError
from allycli.core.fields import FieldError, excerpt, from_file
from allycli.core.records import Patch, Record
from allycli.core.sanitize import csv_cell, json_text, markdown
from allycli.core.taxonomy import (
    ACTION_TYPES,
    LEGACY_ACTION_TYPES,
    NAME_RULE,
    PILLARS,
    Kinds,
    OwnType,
    merged_kinds,
    parse_type,
)

FORMATS = ("jsonl", "csv", "md")
CSV_COLUMNS = (
    "id", "kind", "date", "created_at", "updated_at", "pillar", "action_type", "minutes", "note",
    "prompt_id", "prompt", "answer",
)  # fmt: skip

_PRACTICE_KEYS = {"id", "kind", "date", "created_at", "pillar", "action_type", "note", "minutes"}
PERSONS = ("note", "answer")  # the texts a person writes: NUL is refused in them
_REFLECTION_KEYS = {"id", "kind", "date", "created_at", "prompt_id", "prompt", "pillar", "answer"}


def write(records: Iterable[Record], fmt: str, out: IO[str]) -> int:
    """Write records in a format; returns how many were written."""
    writer = {"jsonl": _jsonl, "csv": _csv, "md": _markdown}[fmt]
    return writer(records, out)


def _jsonl(records: Iterable[Record], out: IO[str]) -> int:
    n = 0
    for n, record in enumerate(records, start=1):  # noqa: B007 - n is the count afterwards
        out.write(json_text(record.to_json()))
        out.write("\n")
    return n


def _csv(records: Iterable[Record], out: IO[str]) -> int:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    n = 0
    for n, r in enumerate(records, start=1):  # noqa: B007
        w.writerow(
            csv_cell(str(cell)) for cell in
            (r.id, r.kind, r.day, r.created_at, r.changed_at, r.pillar, r.action_type or "",
             "" if r.minutes is None else r.minutes, r.note or "", r.prompt_id or "",
             r.prompt or "", r.answer or "")
        )  # fmt: skip
    return n


def _markdown(records: Iterable[Record], out: IO[str]) -> int:
    out.write("# ally journal\n")
    current: str | None = None
    n = 0
    for n, r in enumerate(records, start=1):  # noqa: B007
        if r.day != current:
            current = r.day
            out.write(f"\n## {date.fromisoformat(r.day).strftime('%A %d %B %Y')}\n\n")
        if r.kind == "practice":
            what = r.action_type or r.pillar
            extra = f" ({r.pillar})" if r.action_type else ""
            minutes = f", {r.minutes} min" if r.minutes else ""
            line = f"- **{what}**{extra}{minutes}"
            out.write(line + (": " + _indent(markdown(r.note)) if r.note else "") + "\n")
        else:
            prompt = markdown(r.prompt or "").replace("\n", " ")
            out.write(f"- *Reflection on {r.pillar}*: {prompt}\n\n")
            answer = markdown(r.answer or "").split("\n")
            out.write("".join(f"  > {ln}\n" for ln in answer) + "\n")
    return n


def _indent(text: str) -> str:
    return "\n  ".join(text.split("\n"))


# -- import --------------------------------------------------------------------------------


def read_jsonl(
    lines: Iterable[str], name: str, latest: date | None = None, kinds: Kinds | None = None
) -> Iterator[Any]:
    """Parse and validate each line; raises DataFileError naming the first bad line.

    Yields Records, and rhythm, pause and action type objects for their lines. `latest` is
    the last day an entry may have (import takes dates up to tomorrow). With `kinds` (the
    journal's action types), a type named by an entry, a rhythm or a pause is resolved to
    its key, by the file's action type objects or the journal's: one that neither defines
    is refused, naming its line. Without, the names are taken as stored keys (sync).
    """
    from allycli.core.objects import is_object, parse_object

    first = True
    types: list[OwnType] = []
    held: list[tuple[str, Any]] = []  # (where, object) naming a type that is not built in
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}, line {number}"
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):  # bad JSON, absurd numbers, absurd nesting
            if first:  # a csv or md export, or something else altogether
                raise DataFileError(
                    f"{name} is not jsonl (line {number} is not a JSON object): import reads "
                    "what `ally export --format jsonl` writes, one JSON object a line, and "
                    "not csv or md; nothing was imported."
                ) from None
            raise DataFileError(f"{where} is not valid JSON; nothing was imported.") from None
        first = False
        if isinstance(obj, dict) and obj.get("kind") == "patch":
            yield _patch(obj, where, latest)
            continue
        if isinstance(obj, dict) and obj.get("kind") == "action_type":
            own = parse_type(obj, where)
            types.append(own)
            yield own
            continue
        item = parse_object(obj, where) if is_object(obj) else _record(obj, where)
        if isinstance(item, Record) and latest is not None and item.day > latest.isoformat():
            raise DataFileError(
                f"{where}: 'date' {item.day} is later than tomorrow ({latest.isoformat()}); "
                "ally takes dates up to tomorrow. Nothing was imported."
            )
        if kinds is not None and _own_types_named(item):
            held.append((where, item))
            continue
        yield item
    if held:
        assert kinds is not None
        known = merged_kinds(kinds, types)
        for where, item in held:
            yield _resolved(item, known, where)


def _own_types_named(item: Any) -> bool:
    from allycli.core.objects import Pause, RhythmSetting

    if isinstance(item, Record):
        return item.action_type is not None and item.action_type not in ACTION_TYPES
    if isinstance(item, RhythmSetting):
        return _not_built_in(item.category)
    if isinstance(item, Pause):
        return any(_not_built_in(c) for c in item.categories or ())
    return False


def _not_built_in(category: str) -> bool:
    return category != "practice" and category not in PILLARS and category not in ACTION_TYPES


def _resolved(item: Any, known: Kinds, where: str) -> Any:
    """The object with each type it names as its stored key (by key, name or alias)."""
    import dataclasses

    from allycli.core.objects import Pause, RhythmSetting

    def key(word: str) -> str:
        if not _not_built_in(word):
            return word
        found = known.file_key(word)
        if found is None:
            raise DataFileError(
                f"{where}: the action type '{excerpt(word)}' is not built in, and neither this "
                "file nor the journal defines it (an `action_type` line, as `ally export` "
                "writes); nothing was imported."
            )
        return found

    if isinstance(item, Record):
        assert item.action_type is not None
        return dataclasses.replace(item, action_type=key(item.action_type))
    if isinstance(item, RhythmSetting):
        # its id is derived from the key (the file's may be derived from a name shown)
        return RhythmSetting(key(item.category), item.rhythm, item.updated_at)
    assert isinstance(item, Pause) and item.categories is not None
    return dataclasses.replace(item, categories=tuple(dict.fromkeys(map(key, item.categories))))


def _record(obj: Any, where: str) -> Record:
    def bad(why: str) -> DataFileError:
        return DataFileError(f"{where}: {why}; nothing was imported.")

    if not isinstance(obj, dict):
        raise bad("expected an object as written by `ally export --format jsonl`")
    kind = obj.get("kind")
    if kind not in ("practice", "reflection"):
        raise bad('\'kind\' must be "practice", "reflection", "rhythm" or "pause"')
    allowed = _PRACTICE_KEYS if kind == "practice" else _REFLECTION_KEYS
    missing = allowed - set(obj)
    if missing:
        raise bad(f"missing {', '.join(sorted(missing))}")
    unknown = set(obj) - allowed - {"updated_at"}  # written since release 2
    if unknown:
        shown = ", ".join(excerpt(str(k)) for k in sorted(map(str, unknown))[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        raise bad(f"unknown field {shown}{more}")
    entry_id = from_file(obj, "id", fields.object_id, where)
    day = from_file(obj, "date", fields.day, where).isoformat()
    created = from_file(obj, "created_at", fields.instant, where)
    updated = from_file({"updated_at": created, **obj}, "updated_at", fields.instant, where)
    pillar = obj["pillar"]
    unprompted = kind == "reflection" and pillar is None and obj["prompt"] is None
    if pillar not in PILLARS and not unprompted:  # (a draft kept without its prompt)
        raise bad(f"'pillar' must be one of {', '.join(PILLARS)}")
    texts = {  # a person's note or answer; a prompt and its id as a prompts file gave them
        key: from_file(
            obj, key, fields.optional_text if key in PERSONS else fields.copied_text, where
        )
        for key in ("note", "prompt_id", "prompt", "answer")
        if key in allowed
    }
    if kind == "practice":
        action_type = LEGACY_ACTION_TYPES.get(obj["action_type"], obj["action_type"])
        if action_type is not None and (
            not isinstance(action_type, str) or not NAME_RULE.fullmatch(action_type)
        ):
            raise bad(
                f"'action_type' must be null, one of {', '.join(ACTION_TYPES)}, "
                "or the name of an action type of one's own"
            )
        minutes = obj["minutes"]
        if minutes is not None:
            try:
                fields.minutes(minutes)
            except FieldError as exc:
                raise bad(f"'minutes' {exc.why}, or null") from None
        return Record(entry_id, kind, day, created, pillar, action_type=action_type,
                      note=texts["note"], minutes=minutes, updated_at=updated)  # fmt: skip
    if not texts["answer"]:
        raise bad("a reflection needs an 'answer'")
    return Record(entry_id, kind, day, created, pillar, prompt_id=texts["prompt_id"],
                  prompt=texts["prompt"], answer=texts["answer"], updated_at=updated)  # fmt: skip


PATCH_KEYS = {"id", "kind", "fields", "updated_at"}
_PATCH_TEXTS = ("note", "answer", "action_type", "pillar")


def _patch(obj: dict[str, Any], where: str, latest: date | None) -> Patch:
    """A patch draft: `{"kind": "patch", "id": ID-OR-PREFIX, "fields": {...}, "updated_at"}`."""

    def bad(why: str) -> DataFileError:
        return DataFileError(f"{where}: {why}; nothing was imported.")

    if set(obj) != PATCH_KEYS:
        raise bad(f"a patch has exactly the fields {', '.join(sorted(PATCH_KEYS))}")
    given = from_file(obj, "id", fields.id_prefix, where, "a patch's ")
    changes = obj["fields"]
    if not isinstance(changes, dict) or not changes:
        raise bad("a patch's 'fields' must be an object with at least one field")
    for key, value in changes.items():
        if key in _PATCH_TEXTS:
            if not isinstance(value, str):
                raise bad(f"a patch's '{excerpt(str(key))}' must be text")
            from_file(changes, key, fields.text, where, "a patch's ")
        elif key == "minutes":  # null clears them
            if value is not None:
                try:
                    fields.minutes(value)
                except FieldError as exc:
                    raise bad(f"a patch's 'minutes' {exc.why}, or null") from None
        elif key == "date":
            day = from_file(changes, key, fields.day, where, "a patch's ")
            if latest is not None and day > latest:
                raise bad("a patch's 'date' must be YYYY-MM-DD, up to tomorrow")
        else:
            raise bad(f"a patch cannot change '{excerpt(str(key))}'")
    updated = from_file(obj, "updated_at", fields.instant, where)
    return Patch(given, tuple(sorted(changes.items())), updated)


Progress = Callable[[int], None]
