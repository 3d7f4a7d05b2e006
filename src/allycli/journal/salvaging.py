"""`ally export --salvage`: what a damaged journal can still give, as importable jsonl.

The rows come from store/salvage.py (rowid probes, row by row); each becomes the object an
export writes and is read back by import's own parser before it is written, so the file
holds only lines that `ally import` takes. What fails to read or to parse is counted,
never shown. An encrypted journal is read with its key, from where every command takes it
(the key cache, the passphrase command, the terminal), before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from allycli.journal.context import Context


@dataclass(frozen=True)
class Salvaged:
    """What a salvage wrote, by kind, and how many rows it could not read or parse."""

    entries: int
    rhythms: int
    pauses: int
    unreadable: int
    types: int = 0  # action types of one's own

    @property
    def written(self) -> int:
        return self.entries + self.rhythms + self.pauses + self.types


def salvage(ctx: Context, output: Path | None, stdout: IO[str], *, force: bool = False) -> Salvaged:
    from allycli.core.errors import StorageError
    from allycli.store import salvage as rows_of

    path = ctx.store.path
    if not path.is_file():
        raise StorageError(f"There is no database at {path}; nothing to salvage.")
    key = None
    if ctx.store.encrypted():
        from allycli.store.opening import cipher_module

        cipher_module()  # without the extra: refused before a passphrase is asked
        key = ctx.store.key()
    conn = rows_of.open_damaged(path, key)
    if output is None:
        return _write(ctx, conn, stdout)
    from allycli.store.privatefile import replacing

    with replacing(output.expanduser(), "--output", force=force) as fh:
        done = _write(ctx, conn, fh)
        if not done.written:
            raise StorageError(_nothing(path, done))
    return done


def _nothing(path: Path, done: Salvaged) -> str:
    rows = "no row" if not done.unreadable else f"none of its {done.unreadable} rows"
    return (
        f"The database {path} is damaged beyond reading: {rows} could be read, so nothing "
        "was written. Run `ally doctor` to see the backups."
    )


def _write(ctx: Context, conn: Any, out: IO[str]) -> Salvaged:
    from allycli.core.objects import RhythmSetting
    from allycli.core.records import Record
    from allycli.store import salvage as rows_of
    from allycli.store.rhythms import pause_of_row

    tally = rows_of.Tally()
    from allycli.store.types import own_of

    counts = {"action_type": 0, "entry": 0, "rhythm": 0, "pause": 0}
    if conn is None:
        return Salvaged(0, 0, 0, 0)
    makers: dict[str, Any] = {
        "action_type": own_of,
        "entry": lambda row: Record(*row),
        "rhythm": lambda row: RhythmSetting(*row),
        "pause": pause_of_row,
    }
    latest = ctx.today + timedelta(days=1)
    try:
        for table, make in makers.items():
            for row in rows_of.rows(conn, table, tally):
                line = _importable(make, row, latest)
                if line is None:
                    tally.miss(table)
                    continue
                out.write(line + "\n")
                counts[table] += 1
    finally:
        conn.close()
    return Salvaged(
        counts["entry"], counts["rhythm"], counts["pause"], sum(tally.unreadable.values()),
        counts["action_type"],
    )  # fmt: skip


def _importable(make: Any, row: tuple[object, ...], latest: Any) -> str | None:
    """The row as one jsonl line that import's parser takes, or None."""
    from allycli.core.errors import AllyError
    from allycli.core.exchange import read_jsonl
    from allycli.core.sanitize import json_text

    try:
        line = json_text(make(row).to_json())
        list(read_jsonl([line], "salvage", latest))
    except (AllyError, ValueError, TypeError, AttributeError, KeyError):
        return None
    return line
