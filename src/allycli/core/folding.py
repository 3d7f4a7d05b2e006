"""Text as search sees it, and times as instants. Pure: no I/O.

`fold` makes the copy of an entry's words that `ally search` scans: case-folded, accents
removed (NFKD, combining marks dropped), so `cafe` finds `Café`. `micros` turns an ISO 8601
time with an offset into integer UTC microseconds, the key that keeps entries of one day in
the order they were made, whatever the offsets.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICRO = timedelta(microseconds=1)


def fold(*texts: str | None) -> str:
    """One searchable string from several texts (None skipped), joined by newlines."""
    joined = "\n".join(t for t in texts if t)
    if joined.isascii():
        return joined.casefold()
    decomposed = unicodedata.normalize("NFKD", joined.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def micros(iso: str) -> int:
    """Integer UTC microseconds of an ISO 8601 time with an offset."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        raise ValueError("a time without an offset is not an instant")
    return (moment - _EPOCH) // _MICRO
