"""Sealing for a locked journal: captures into the inbox, sealed drafts, and opening them.

A capture or a sealed draft is sealed to the journal's public key (`ally.db.pub`), so it can
be written without the key; only the private key inside the encrypted database opens it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from allycli.core.errors import Captured, StorageError
from allycli.store import encrypted as files
from allycli.store.database import Store
from allycli.store.opening import pub_path


def capture(db: Path, objects: Sequence[Mapping[str, Any]], what: str) -> NoReturn:
    """Seal what was to be written to the journal's public key, into the inbox."""
    from allycli.core import sealing
    from allycli.store import drafts

    pub = files.read_pub(db)
    if pub is None:
        raise StorageError(f"{pub_path(db)} is missing; nothing could be sealed.")
    path = drafts.keep(
        objects, [files.inbox(db)], seal=lambda text: sealing.seal(pub.public_key, text)
    )
    if path is None:
        raise StorageError(f"Cannot write in {files.inbox(db)}; nothing could be sealed.")
    raise Captured(
        f"The journal is locked, so {what} was sealed in {path.parent}; it joins the journal "
        "the next time it is unlocked."
    )


def seal_text(db: Path, text: bytes) -> bytes:
    """`text` sealed to the journal's public key (for a sealed draft)."""
    from allycli.core import sealing

    pub = files.read_pub(db)
    if pub is None:
        raise StorageError(f"{pub_path(db)} is missing; nothing could be sealed.")
    return sealing.seal(pub.public_key, text)


def unseal_text(store: Store, box: bytes, name: str) -> bytes:
    """A sealed draft's text, opened with the private key inside the encrypted journal."""
    from allycli.core import sealing
    from allycli.core.errors import DataFileError

    with store.reading() as conn:
        pair = files.capture_keys(conn)
    if pair is None:
        raise DataFileError(f"{name} is sealed, and this journal holds no key that opens it.")
    try:
        return sealing.unseal(pair[0], box)
    except ValueError:
        raise DataFileError(
            f"{name} is sealed to another journal's key (or was changed); nothing was imported."
        ) from None
