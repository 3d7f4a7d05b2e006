"""The sync figures: a private PostgreSQL hub, and the syncs measured on it.

The hub is the cluster the sync tests use (tests/sync/pgcluster.py: Debian's server
binaries, run as an unprivileged user, 127.0.0.1 only). Without those binaries, or
without the sync extra, the figures are skipped with a line that says why.
"""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from benchdata import Data, practice_records, remove_db
from benchmeasure import Case, Figure

REPO = Path(__file__).resolve().parent.parent


def _pgcluster() -> Any:
    if "pgcluster" in sys.modules:
        return sys.modules["pgcluster"]
    spec = importlib.util.spec_from_file_location(
        "pgcluster", REPO / "tests" / "sync" / "pgcluster.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pgcluster"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def unavailable() -> str | None:
    """Why the sync figures cannot run here, or None."""
    missing = [m for m in ("psycopg", "cryptography") if importlib.util.find_spec(m) is None]
    if missing:
        return f"skipped: the sync extra is not installed ({', '.join(missing)})"
    if _pgcluster().find_bindir() is None:
        return (
            "skipped: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin or initdb on "
            "PATH); install Debian's postgresql package to measure sync"
        )
    return None


@contextlib.contextmanager
def hub_server() -> Iterator[Any]:
    pg = _pgcluster()
    cluster = pg.start_cluster(pg.find_bindir())
    try:
        yield cluster
    finally:
        cluster.stop()


@dataclass(frozen=True)
class SyncData:
    first_url: str  # an empty database: the first sync of the big journal creates the hub
    synced: Path  # the big journal after its first sync with the second hub
    synced_plus: Path  # the same with 10 new entries
    small_synced: Path  # the small journal after its first sync with a third hub
    reset_first: Any
    reset_second: Any
    env: Mapping[str, str]  # the children's, with PGPASSFILE: no password on a command line


def prepare(cluster: Any, data: Data, ally: tuple[str, ...], env: Mapping[str, str],
            today: date) -> SyncData:  # fmt: skip
    """Three hubs: one left empty, one holding the big journal after a first sync, one
    holding the small journal after a first sync."""
    pgpass = data.root / "pgpass"
    pgpass.write_text(f"127.0.0.1:*:*:{_pgcluster().USER}:{_pgcluster().PASSWORD}\n")
    pgpass.chmod(0o600)
    env = {**env, "PGPASSFILE": str(pgpass)}
    first = _bare(cluster.create_db("bench_first"))
    synced = _first_sync(cluster, data.big_db, data.root / "synced.db", "bench_second", ally, env)
    small_synced = _first_sync(
        cluster, data.small_db, data.root / "small-synced.db", "bench_third", ally, env
    )
    (last,) = cluster.admin_sql("SELECT max(change) FROM ally.item", db="bench_second")[0]
    plus = data.root / "synced-plus-10.db"
    remove_db(plus)
    shutil.copyfile(synced, plus)
    from allycli.store.database import Store

    Store(plus).insert([r.row() for r in practice_records(10, 11, today)])
    Store(plus).checkpoint()

    def reset_first() -> None:
        cluster.admin_sql("DROP SCHEMA IF EXISTS ally CASCADE", db="bench_first")

    def reset_second() -> None:
        cluster.admin_sql(f"DELETE FROM ally.item WHERE change > {int(last)}", db="bench_second")

    return SyncData(first, synced, plus, small_synced, reset_first, reset_second, env)


def _bare(url: str) -> str:
    """The URL without its password (libpq reads it from PGPASSFILE)."""
    return url.replace(f":{_pgcluster().PASSWORD}@", "@")


def _first_sync(cluster: Any, source: Path, synced: Path, db: str, ally: tuple[str, ...],
                env: Mapping[str, str]) -> Path:  # fmt: skip
    """A copy of `source` after its first (untimed) sync with a new hub in database `db`."""
    url = _bare(cluster.create_db(db))
    remove_db(synced)
    shutil.copyfile(source, synced)
    done = subprocess.run(
        [*ally, "sync", "--url", url], env={**env, "ALLY_DB": str(synced)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"bench: the first sync of the prepared journal did not complete: {done.stderr}")
    return synced


def figures(sync: SyncData, data: Data, ally: tuple[str, ...], env: Mapping[str, str]
            ) -> list[Figure]:  # fmt: skip
    db = data.work / "ally.db"
    big, small = f"{data.big:,}", f"{data.small:,}"

    def case(source: Path, *argv: str, check: str, before: Any = None) -> Case:
        return Case((*ally, *argv), sync.env, ((source, db),), _has(check), before)

    return [
        Figure(f"sync first ({big}) vs import ({big})",
               case(data.big_db, "sync", "--url", sync.first_url,
                    check=f"sent {data.big} changes", before=sync.reset_first),
               case(data.empty_db, "import", str(data.big_jsonl), check=f"Imported {data.big}"),
               "<= 5x", max_ratio=5.0),
        Figure(f"sync 10 new vs nothing new (hub of {big})",
               case(sync.synced_plus, "sync", check="sent 10 changes", before=sync.reset_second),
               case(sync.synced, "sync", check="sent 0 changes", before=sync.reset_second),
               "<= 1.5x", max_ratio=1.5),
        Figure(f"sync nothing new ({big}) vs ({small})",
               case(sync.synced, "sync", check="sent 0 changes", before=sync.reset_second),
               case(sync.small_synced, "sync", check="sent 0 changes"),
               "<= 2x", max_ratio=2.0),
    ]  # fmt: skip


def targets(data: Data) -> list[tuple[str, str]]:
    """(name, target) of each sync figure, for the rows of a run that skips them."""
    big, small = f"{data.big:,}", f"{data.small:,}"
    return [
        (f"sync first ({big}) vs import ({big})", "<= 5x"),
        (f"sync 10 new vs nothing new (hub of {big})", "<= 1.5x"),
        (f"sync nothing new ({big}) vs ({small})", "<= 2x"),
    ]


def _has(text: str) -> Any:
    return lambda out: None if text in out else f"output lacks {text!r}"
