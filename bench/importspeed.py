"""`ally import` of N entries against a bare sqlite3 insert of the same rows, in one run.

    python bench/importspeed.py [--entries 100000] [--runs 5]

Both read the same jsonl file in a new process: `ally import FILE` into an empty ally
database, and the reference, a bare sqlite3 insert of the same rows: each line parsed with
json, the row ally stores (its ordering and search keys included) inserted with
executemany in one transaction into a table of the same columns with only its primary key
(no secondary index, trigger, merge, check or practice_day). Whole-process wall time,
alternating runs after a warm-up pair, the median of each and their ratio. Needs the
`ally` of the current Python.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

REFERENCE = r"""
import json, sqlite3, sys, unicodedata
from datetime import datetime

def fold(*texts):
    text = " ".join(t for t in texts if t)
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))

def micros(text):
    return int(datetime.fromisoformat(text).timestamp() * 1_000_000)

db, source = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
columns = [r[1] for r in conn.execute("PRAGMA table_info(entry)")]
rows = []
with open(source, encoding="utf-8") as fh:
    for line in fh:
        o = json.loads(line)
        values = {"id": o["id"], "kind": o["kind"], "day": o["date"],
                  "created_at": o["created_at"], "updated_at": o.get("updated_at"),
                  "pillar": o.get("pillar"), "action_type": o.get("action_type"),
                  "note": o.get("note"), "minutes": o.get("minutes"),
                  "prompt_id": o.get("prompt_id"), "prompt": o.get("prompt"),
                  "answer": o.get("answer"), "created_us": micros(o["created_at"]),
                  "folded": fold(o.get("note"), o.get("prompt"), o.get("answer"))}
        rows.append(tuple(values.get(c) for c in columns))
conn.execute("BEGIN IMMEDIATE")
conn.executemany(f"INSERT INTO entry ({', '.join(columns)}) "
                 f"VALUES ({', '.join('?' for _ in columns)})", rows)
conn.execute("COMMIT")
conn.close()
print(len(rows))
"""


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import benchdata

    from allycli.store.database import Store

    work = Path(tempfile.mkdtemp(prefix="ally-import-bench-"))
    try:
        records = benchdata.practice_records(args.entries, benchdata.SEED, date.today())
        source = work / "entries.jsonl"
        benchdata.write_jsonl(source, records)
        empty = work / "empty.db"
        Store(empty).connect(write=True).close()
        bare = work / "bare.db"
        with contextlib.closing(sqlite3.connect(empty)) as ally_db:
            columns = [r[1] for r in ally_db.execute("PRAGMA table_info(entry)")]
        conn = sqlite3.connect(bare)
        rest = ", ".join(c for c in columns if c != "id")
        conn.execute(f"CREATE TABLE entry (id TEXT PRIMARY KEY, {rest})")
        conn.commit()
        conn.close()
        ally = str(Path(sys.executable).parent / "ally")
        env = {**os.environ, "HOME": str(work), "XDG_STATE_HOME": str(work / "state")}
        env.pop("PYTHONUNBUFFERED", None)
        times: dict[str, list[float]] = {"ally": [], "sqlite3": []}
        for n in range(args.runs + 1):
            for name in ("ally", "sqlite3"):
                db = work / f"{name}.db"
                for side in ("", "-wal", "-shm"):
                    Path(f"{db}{side}").unlink(missing_ok=True)
                shutil.copy(empty if name == "ally" else bare, db)
                os.sync()
                if name == "ally":
                    took = timed([ally, "import", str(source)], {**env, "ALLY_DB": str(db)})
                else:
                    took = timed([sys.executable, "-c", REFERENCE, str(db), str(source)], env)
                if n:  # the first pair warms the caches
                    times[name].append(took)
        a, r = statistics.median(times["ally"]), statistics.median(times["sqlite3"])
        print(f"entries {args.entries}, {args.runs} runs each (median, whole process):")
        print(f"  ally import      {a:6.2f} s   {' '.join(f'{t:.2f}' for t in times['ally'])}")
        print(f"  sqlite3 insert   {r:6.2f} s   {' '.join(f'{t:.2f}' for t in times['sqlite3'])}")
        print(f"  ratio            {a / r:6.2f}x (target <= 3x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
