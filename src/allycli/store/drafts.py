"""Drafts: what a write could not store, kept as a jsonl file that `ally import` reads back.

A draft goes to the first folder that works of: `drafts/` beside the database, ally's user
state folder, and `$TMPDIR/ally-<uid>`. A folder is used only when it is a real folder (not a
link) owned by this user that no one else can enter; the shared temp folder's is made 0700
when absent and checked after, so another user cannot prepare it. Each draft is a new file
(0600, never one that already exists). If no folder works, the caller prints the objects on
standard output instead: one jsonl line each, which `ally import -` reads.

The store's doors: `folders` (where drafts go), `keep` (write a draft of objects; `keep_bytes`
writes a draft's bytes as they are, for a draft in another form), `waiting` (the drafts not
yet imported) and `settle` (remove one once imported). `lines` is a draft's text.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from allycli.core.errors import StorageError
from allycli.core.sanitize import json_text

SUFFIX = ".jsonl"
_ID = re.compile(r"[0-9a-f-]{1,64}")  # what an id (or its prefix) may hold in a draft's name
_NAME = re.compile(r"draft-[0-9a-f-]{1,64}\.jsonl(\.sealed)?")


def folders(db: Path, state: Path | None, tmp: Path | None) -> tuple[Path, ...]:
    """Where drafts go, in order of preference."""
    return tuple(f for f in (db.parent / "drafts", state, tmp) if f is not None)


def lines(objects: Sequence[Mapping[str, Any]]) -> str:
    """The objects as jsonl, as a draft file and `ally import` hold them."""
    return "".join(json_text(dict(obj)) + "\n" for obj in objects)


def keep(
    objects: Sequence[Mapping[str, Any]],
    places: Sequence[Path],
    seal: Callable[[bytes], bytes] | None = None,
) -> Path | None:
    """Write the objects as a new private jsonl file in the first place that works; with
    `seal` (an encrypted journal's), sealed, as a `.jsonl.sealed` file. None when no place
    works (or there is nothing to keep)."""
    if not objects:
        return None
    text = lines(objects).encode("utf-8")
    suffix = SUFFIX
    if seal is not None:
        text, suffix = seal(text), SUFFIX + ".sealed"
    return keep_bytes(text, _stem(objects[0]), places, suffix)


def keep_bytes(data: bytes, stem: str, places: Sequence[Path], suffix: str = SUFFIX) -> Path | None:
    """Write `data` as a new private file STEM+SUFFIX in the first place that works."""
    for folder in places:
        # ally's own drafts/ folders may need their parents made; $TMPDIR/ally-<uid> never
        if not _usable(folder, create_parents=folder.name == "drafts"):
            continue
        path = _write_new(folder, stem, data, suffix)
        if path is not None:
            return path
    return None


def waiting(places: Sequence[Path]) -> list[Path]:
    """Drafts not yet imported, in ally's drafts folders (for `ally doctor`)."""
    found: list[Path] = []
    for folder in places:
        if _ours(folder):
            with contextlib.suppress(OSError):
                found += sorted(p for p in folder.iterdir() if _NAME.fullmatch(p.name))
    return found


def settle(path: Path, places: Sequence[Path]) -> bool:
    """After a successful import: remove the file if it is a draft in one of ally's drafts
    folders (a draft elsewhere, copied or moved by the person, is theirs to keep)."""
    if not _NAME.fullmatch(path.name):
        return False
    try:
        folder = path.resolve().parent
        if not any(_ours(p) and folder == p.resolve() for p in places):
            return False
        path.unlink()
    except OSError:
        return False
    return True


# -- helpers -------------------------------------------------------------------------------


def _stem(first: Mapping[str, Any]) -> str:
    """A draft's name: its first object's id when it has one (a rhythm has none), else a
    fresh one; never anything that could name another folder."""
    given = first.get("id")
    return f"draft-{given if isinstance(given, str) and _ID.fullmatch(given) else uuid.uuid4()}"


def _uid() -> int | None:
    getuid = getattr(os, "getuid", None)
    return getuid() if getuid is not None else None


def _ours(folder: Path) -> bool:
    """A real folder (not a link), owned by this user, that no one else can enter."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    uid = _uid()
    return (
        stat.S_ISDIR(info.st_mode)
        and (uid is None or info.st_uid == uid)
        and not info.st_mode & 0o077
    )


def _usable(folder: Path, *, create_parents: bool) -> bool:
    try:
        folder.mkdir(mode=0o700, parents=create_parents, exist_ok=True)
    except OSError:
        return False
    return _ours(folder)  # checked after: it may have been there already, made by anyone


def _write_new(folder: Path, stem: str, text: bytes, suffix: str) -> Path | None:
    from allycli.store.privatefile import claim_new, open_claimed, write_synced

    try:
        path = claim_new(folder, stem, suffix)
    except StorageError:
        return None
    try:
        write_synced(open_claimed(path), text)
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()  # never leave half a private note behind
        return None
    return path
