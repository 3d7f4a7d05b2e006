"""Speed of own action types and of `ally today`, as ratios measured in one run.

    python bench/owntypes.py                  # 100,000 entries, 7 alternating runs each
    python bench/owntypes.py --entries 2000 --runs 3     # a quick look

Runs the `ally` of the current Python environment (install this checkout first). Each figure
is whole-process wall time, the median of alternating runs (ally, reference, ally, ...) after
one warm-up pair, against a reference run in the same invocation (bench/benchmeasure.py):

- `ally today` against `ally search WORD` for a word with no hits (target: 1.3x at most);
- `ally today --short` against `ally today` (no slower: 1.0x);
- `ally report` on a journal with 20 own types (2% of its entries under them) against the
  same report on the same entries with no own type (1.1x);
- `ally type rename` of a type with 20,000 entries against one with none (as fast: it
  rewrites no entry; judged at 1.05x for the noise of a busy machine; a fresh copy of the
  journal before every run).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sqlite3
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from benchdata import SEED, practice_records, write_ally_db, write_rhythms
from benchmeasure import Case, Figure, measure, table

OWN = 20
MOVED_EVERY = 50  # one practice entry in 50 (2%) goes under an own type


def _own_types(db: Path, names: list[str], moved: dict[str, list[str]]) -> None:
    """Add own types (through ally's store) and put the given entries under them."""
    from allycli.core.taxonomy import OwnType
    from allycli.store import entries
    from allycli.store import types as type_store
    from allycli.store.database import Store

    now = datetime.now().astimezone().isoformat(timespec="microseconds")
    store = Store(db)
    with store.writing() as conn:
        for name in names:
            type_store.put(conn, OwnType(name, name, "action", updated_at=now))
        for name, ids in moved.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                found = entries.by_ids(conn, chunk)
                moved = [dataclasses.replace(r, action_type=name) for r in found.values()]
                entries.put(conn, moved)
    store.checkpoint()


def build(folder: Path, n: int) -> dict[str, Path]:
    today = date.today()
    records = practice_records(n, SEED, today)
    practice = [r for r in records if r.kind == "practice"]
    plain = folder / "plain.db"
    write_ally_db(plain, records)
    write_rhythms(plain, today)
    names = [f"own-type-{i:02d}" for i in range(OWN)]
    moved = practice[::MOVED_EVERY]
    owned = folder / "owned.db"
    owned.write_bytes(plain.read_bytes())
    _own_types(owned, names, {name: [r.id for r in moved[i::OWN]] for i, name in enumerate(names)})
    # the same entries under built-in types, and no own type: the reference report
    unowned = folder / "unowned.db"
    unowned.write_bytes(plain.read_bytes())
    # renames: a type with 20,000 entries, and one with none, in one journal
    renames = folder / "renames.db"
    renames.write_bytes(plain.read_bytes())
    big = [r.id for r in practice[: min(20_000, len(practice))]]
    _own_types(renames, ["crowded", "empty-one"], {"crowded": big})
    with sqlite3.connect(renames) as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM entry WHERE action_type = 'crowded'"
        ).fetchone()
    print(f"{len(records)} entries; {len(moved)} under {OWN} own types; "
          f"{count} under the type renamed", file=sys.stderr)  # fmt: skip
    return {"plain": plain, "owned": owned, "unowned": unowned, "renames": renames}


def main() -> int:
    from allycli.shell.session import isolated_env

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ally = str(Path(sys.executable).parent / "ally")
    with tempfile.TemporaryDirectory(prefix="ally-bench-types-") as tmp:
        root = Path(tmp)
        (root / "data").mkdir()
        data = build(root / "data", args.entries)
        work = root / "work"
        work.mkdir()
        home = root / "home"
        home.mkdir()
        live = work / "ally.db"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            **isolated_env(home, live),
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
        }

        def case(db: str, *argv: str) -> Case:
            return Case((ally, *argv), env, fresh=((data[db], live),))

        figures = [
            Figure("today vs search (no hits)", case("plain", "today"),
                   case("plain", "search", "zzqxjv"), "<= 1.3x", max_ratio=1.3),
            Figure("today --short vs today", case("plain", "today", "--short"),
                   case("plain", "today"), "<= 1.0x", max_ratio=1.0),
            Figure("report, 20 own types vs none", case("owned", "report"),
                   case("unowned", "report"), "<= 1.1x", max_ratio=1.1),
            Figure("rename: 20,000 entries vs none",
                   case("renames", "type", "rename", "crowded", "packed"),
                   case("renames", "type", "rename", "empty-one", "still-empty"),
                   "about 1x (<= 1.05x)", max_ratio=1.05),
        ]  # fmt: skip
        rows = [measure(f, args.runs, 1, work) for f in figures]
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
