"""Use cases for action types of one's own: add, list, rename, retire and bring back.

An own type's key is the name it was added with and never changes: entries, rhythms and
pauses store it. A rename changes the name shown and keeps the old name as an alias, so no
entry is rewritten (a rename costs the same with twenty thousand entries as with none) and
no edit made on another machine is lost; two renames settle by the merge rule on the type.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from allycli.core import taxonomy
from allycli.core.dates import stamp
from allycli.core.errors import UsageError
from allycli.core.records import Record
from allycli.core.taxonomy import ACTION_TYPES, Kinds, OwnType
from allycli.journal.context import Context, write_or_draft
from allycli.store import types as type_store


def kinds(ctx: Context) -> Kinds:
    """The action types the journal knows (the built-in ones alone when it has no file)."""
    if not ctx.store.exists():
        return taxonomy.BUILT_IN
    with ctx.store.reading() as conn:
        return type_store.read(conn)


def resolve(ctx: Context, resolve_with: Any) -> Any:
    """`resolve_with(kinds)` with the built-in types alone, and only when they do not know
    the word, with the journal's own types too: a built-in word costs no read."""
    try:
        return resolve_with(taxonomy.BUILT_IN)
    except UsageError:
        known = kinds(ctx)
        if not known.own:
            raise
        return resolve_with(known)


def shown_record(known: Kinds, r: Record) -> Record:
    """The entry as a person reads it: an own type under its current name."""
    if r.action_type is None or r.action_type in ACTION_TYPES:
        return r
    name = known.name_of(r.action_type)
    return r if name == r.action_type else dataclasses.replace(r, action_type=name)


def for_file(known: Kinds, obj: Any) -> Any:
    """An object as an export writes it: the types it names under their current names
    (or keys, where a name could be read as another type); every other object as it is."""
    from allycli.core.objects import Pause, RhythmSetting

    if isinstance(obj, Record):
        if obj.action_type is None or obj.action_type in ACTION_TYPES:
            return obj
        name = known.file_name(obj.action_type)
        return obj if name == obj.action_type else dataclasses.replace(obj, action_type=name)
    if isinstance(obj, RhythmSetting) and known.own_type(obj.category) is not None:
        return _Shown(obj.to_json(), category=known.file_name(obj.category))
    if isinstance(obj, Pause) and obj.categories and any(map(known.own_type, obj.categories)):
        return _Shown(obj.to_json(), categories=[known.file_name(c) for c in obj.categories])
    return obj


class _Shown:
    """An exported object with some fields named as shown (to_json is all export needs)."""

    def __init__(self, body: dict[str, Any], **shown: Any) -> None:
        self.body = {**body, **shown}

    def to_json(self) -> dict[str, Any]:
        return self.body


def _about(text: str | None) -> str | None:
    if text is None:
        return None
    from allycli.core.fields import storable

    about = " ".join(storable(text, "--about").split())
    if len(about) > taxonomy.ABOUT_LIMIT:
        raise UsageError(
            f"--about is at most {taxonomy.ABOUT_LIMIT} characters; say it in fewer words."
        )
    return about or None


def _kept(ctx: Context, t: OwnType, write: Any) -> OwnType:
    """Write, or keep the type as a draft (a jsonl object that `ally import` reads)."""
    return write_or_draft(ctx, [t.to_json()], write, "your action type")  # type: ignore[no-any-return]


def add(ctx: Context, name: str, pillar: str, about: str | None, aliases: Sequence[str]) -> OwnType:
    """A new action type of one's own; its name is its key forever."""
    chosen_pillar = taxonomy.resolve_pillar(pillar)
    text = _about(about)
    now = stamp(ctx.now)

    def checked(known: Kinds) -> OwnType:
        key = known.check_name(name)
        words: list[str] = []
        for alias in aliases:
            w = known.check_name(alias, what="alias")
            if w == key or w in words:
                raise UsageError(f"The alias '{w}' is given twice; give each word once.")
            words.append(w)
        if len(known.own) >= taxonomy.MAX_OWN_TYPES:
            raise UsageError(
                f"A journal holds at most {taxonomy.MAX_OWN_TYPES} action types of one's own; "
                "`ally type retire` keeps an old one's history out of the way, or rename one."
            )
        return OwnType(key, key, chosen_pillar, text, tuple(words), False, now)

    new = checked(kinds(ctx))  # refused before anything is written

    def write() -> OwnType:
        with ctx.store.writing() as conn:
            t = checked(type_store.read(conn))  # another process may have added one
            type_store.put(conn, t)
        return t

    return _kept(ctx, new, write)


@dataclass(frozen=True)
class Changed:
    before: OwnType
    after: OwnType
    changed: bool


def _change(ctx: Context, word: str, make: Any) -> Changed:
    """Change one own type (named exactly): `make(type, kinds)` gives its new version."""
    now = stamp(ctx.now)
    known = kinds(ctx)
    before = known.resolve_own(word)
    after = make(before, known)
    if after == before:
        return Changed(before, before, False)
    after = dataclasses.replace(after, updated_at=now)

    def write() -> Changed:
        with ctx.store.writing() as conn:
            fresh = type_store.read(conn)
            current = fresh.resolve_own(before.key)
            new = dataclasses.replace(make(current, fresh), updated_at=now)
            if new == dataclasses.replace(current, updated_at=now):
                return Changed(current, current, False)
            type_store.put(conn, new)
        return Changed(current, new, True)

    return write_or_draft(ctx, [after.to_json()], write, "your change to the action type")


def rename(ctx: Context, old: str, new: str) -> Changed:
    def make(t: OwnType, known: Kinds) -> OwnType:
        name = known.check_name(new, owner=t.key)
        if name == t.name:
            return t
        aliases = tuple(a for a in dict.fromkeys((*t.aliases, t.name)) if a not in (name, t.key))
        return dataclasses.replace(t, name=name, aliases=aliases)

    return _change(ctx, old, make)


def retire(ctx: Context, word: str, *, undo: bool = False) -> Changed:
    return _change(ctx, word, lambda t, _: dataclasses.replace(t, retired=not undo))


@dataclass(frozen=True)
class TypeRow:
    """One action type in `ally type list`: built-in or own, with its history."""

    key: str
    name: str
    pillar: str
    meaning: str
    entries: int
    last: str | None  # YYYY-MM-DD of the last entry, or None
    own: bool
    retired: bool
    aliases: tuple[str, ...] = ()

    @property
    def state(self) -> str:
        if self.retired:
            return "retired"
        return "own" if self.own else "built-in"

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "pillar": self.pillar,
            "meaning": self.meaning,
            "aliases": list(self.aliases),
            "entries": self.entries,
            "last_logged": self.last,
            "own": self.own,
            "retired": self.retired,
            "state": self.state,
        }


def listing(ctx: Context) -> tuple[TypeRow, ...]:
    """Every action type: the built-in ones in the vocabulary's order, then one's own."""
    known = taxonomy.BUILT_IN
    counts: dict[str, tuple[int, str]] = {}
    if ctx.store.exists():
        with ctx.store.reading() as conn:
            known = type_store.read(conn)
            counts = type_store.entry_counts(conn)
    rows = []
    for key in known.action_types:
        own = known.own_type(key)
        n, last = counts.get(key, (0, None))
        rows.append(
            TypeRow(
                key=key,
                name=known.name_of(key),
                pillar=known.pillar_of(key),
                meaning=known.meaning(key),
                entries=n,
                last=last,
                own=own is not None,
                retired=own is not None and own.retired,
                aliases=own.aliases if own is not None else (),
            )
        )
    return tuple(rows)
