"""The one merge rule, for `ally import` and for sync. Pure: no I/O.

Per id, the version with the later `updated_at` wins, times compared as instants. A
tombstone (a delete) wins at equal times. At equal times with different content, the
version whose canonical JSON sorts last wins, so that every machine picks the same one,
and it counts as a conflict.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar


class Outcome(enum.Enum):
    ADDED = "added"  # the id was unknown here
    UPDATED = "updated"  # the incoming version is later
    PRESENT = "present"  # the same version, or an older one, is here already
    CONFLICT_TAKEN = "conflict_taken"  # equal times, different content: the incoming won
    CONFLICT_KEPT = "conflict_kept"  # equal times, different content: the local one won

    @property
    def takes_incoming(self) -> bool:
        return self in (Outcome.ADDED, Outcome.UPDATED, Outcome.CONFLICT_TAKEN)

    @property
    def conflict(self) -> bool:
        return self in (Outcome.CONFLICT_TAKEN, Outcome.CONFLICT_KEPT)


@dataclass(frozen=True)
class Version:
    """One version of an object: when it was made, whether it is a delete, and its content."""

    updated_at: str  # ISO 8601 with offset
    deleted: bool = False
    canonical: str = ""  # canonical JSON of the object without updated_at; "" for a delete

    @property
    def instant(self) -> datetime:
        return datetime.fromisoformat(self.updated_at)


def canonical(obj: Mapping[str, Any]) -> str:
    """The content of an object as one string: sorted keys, no updated_at, no spaces."""
    content = {k: v for k, v in obj.items() if k != "updated_at"}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def of_object(obj: Mapping[str, Any]) -> Version:
    """The version of an exported object (a missing updated_at means created_at)."""
    return Version(str(obj.get("updated_at") or obj["created_at"]), False, canonical(obj))


def tombstone(deleted_at: str) -> Version:
    return Version(deleted_at, True, "")


def decide(local: Version | None, incoming: Version) -> Outcome:
    """What merging `incoming` into a place that holds `local` (or nothing) does."""
    if local is None:
        return Outcome.ADDED
    mine, theirs = local.instant, incoming.instant
    if theirs != mine:
        return Outcome.UPDATED if theirs > mine else Outcome.PRESENT
    if local.deleted or incoming.deleted:
        # a delete wins at equal times; two deletes are the same delete
        return Outcome.UPDATED if incoming.deleted and not local.deleted else Outcome.PRESENT
    if incoming.canonical == local.canonical:
        return Outcome.PRESENT
    return Outcome.CONFLICT_TAKEN if incoming.canonical > local.canonical else Outcome.CONFLICT_KEPT


# What a merge of objects (rhythms, pauses, own types) counts: "deleted_here" is an incoming
# object that a delete here, at the same time or later, keeps out.
OUTCOMES = ("added", "updated", "present", "conflicts", "deleted_here")


class Mergeable(Protocol):
    @property
    def id(self) -> str: ...

    def to_json(self) -> dict[str, Any]: ...


M = TypeVar("M", bound=Mergeable)


def merge_each(
    here: dict[str, M], incoming: Iterable[M], buried: Mapping[str, str] | None = None
) -> Iterator[tuple[M, str, bool]]:
    """Each incoming object merged by `decide` into `here` (by id; `here` takes the winners
    as it goes, so a second version of one id in the same batch meets the first), against
    `buried` (id: deleted_at of the objects deleted here). Yields the object, which of
    OUTCOMES it counts as, and whether it is to be written."""
    for obj in incoming:
        mine = here.get(obj.id)
        if mine is not None:
            local: Version | None = of_object(mine.to_json())
        else:
            local = tombstone(buried[obj.id]) if buried and obj.id in buried else None
        outcome = decide(local, of_object(obj.to_json()))
        if outcome.conflict:
            counted = "conflicts"
        elif outcome is Outcome.PRESENT:
            counted = "present" if mine is not None else "deleted_here"
        else:
            counted = outcome.value
        if outcome.takes_incoming:
            here[obj.id] = obj
        yield obj, counted, outcome.takes_incoming
