"""A sync never waits without a word, and says what the hub did, against the private
PostgreSQL: a table locked by another session, a second machine's sync stopped (SIGSTOP)
inside its transaction, and rows deleted or swapped by SQL with the message checked."""

from __future__ import annotations

import contextlib
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.sync.helpers import Journal, hub_until, practice, stamp
from tests.sync.pgcluster import Cluster
from tests.sync.test_hub_faults import db, join, ok
from tests.sync.test_sync_cli import bare, first_sync

WAITING = re.compile(r"ally: waiting for .* at \S+; a lock is waited for up to 30 s and one "
                     r"step up to 120 s\.\.\.")  # fmt: skip


@pytest.fixture
def machines(tmp_path: Path) -> tuple[Journal, Journal]:
    return Journal(tmp_path / "a" / "ally.db"), Journal(tmp_path / "b" / "ally.db")


@contextlib.contextmanager
def table_locked(pg: Cluster, hub_url: str) -> Iterator[None]:
    """Another session holds an exclusive lock on the hub's items until the block ends."""
    conn = psycopg.connect(pg.admin_url(db(hub_url)))
    try:
        conn.execute("LOCK TABLE ally.item IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        conn.rollback()
        conn.close()


def one_change_waiting(a: Journal, hub_url: str, what: str) -> dict[str, list[tuple[object, ...]]]:
    """A journal synced once, with one entry added since (a sync has one change to send):
    its rows, to compare with after a sync that changed nothing."""
    a.add(practice(f"Before {what}", stamp(0)))
    first_sync(a, hub_url)
    a.add(practice(f"During {what}", stamp(1)))
    return a.journal()


@pytest.mark.slow  # a 30 s lock wait
def test_a_locked_hub_is_said_after_2_s_and_given_up_after_30_s(
    machines: tuple[Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    a, _ = machines
    before = one_change_waiting(a, hub_url, "the lock")
    with table_locked(pg, hub_url):
        done = a.ally("sync")
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 2, lines
    assert WAITING.fullmatch(lines[0]), lines
    assert lines[1] == (
        f"ally: The hub at {bare(hub_url)} stayed locked for 30 s (another machine's sync, or "
        "another session holding a lock); nothing was changed here or on the hub. Try again "
        "later."
    ), lines
    assert a.journal() == before
    assert "sent 1 change" in ok(a)


@pytest.mark.slow  # a 20 s idle limit
def test_a_stopped_sync_on_another_machine_lets_go_of_the_hub(
    machines: tuple[Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    """Machine B's sync stops (SIGSTOP, a closed lid) inside its hub transaction, holding the
    sync lock: the hub ends B's session after 20 s idle, and A's sync goes through."""
    a, b = machines
    a.add(practice("A's entry", stamp(0)))
    key = first_sync(a, hub_url)
    join(b, hub_url, key)
    b.add(*(practice(f"B {i}", stamp(10 + i)) for i in range(3000)))
    stalled = b.popen("sync")
    try:
        held = hub_until(  # B holds the sync lock once its session is in a transaction
            pg,
            db(hub_url),
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity s USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.granted AND s.application_name = 'ally'",
        )
        if not held:
            raise AssertionError("B's sync never took the lock")
        os.kill(stalled.pid, signal.SIGSTOP)
        a.add(practice("A while B sleeps", stamp(5000)))
        done = a.ally("sync")
        assert done.returncode == 0, done.stderr
        assert "sent 1 change" in done.stdout
        assert WAITING.fullmatch(done.stderr.splitlines()[0]), done.stderr
    finally:
        os.kill(stalled.pid, signal.SIGCONT)
        _, err = stalled.communicate(timeout=120)
    # its session was ended by the hub: one line, exit 1, its journal as it was
    assert stalled.returncode == 1, err  # (after its own line about waiting, if it said one)
    assert "nothing was changed" in err.splitlines()[-1].lower(), err


@pytest.mark.parametrize("harm", ["deleted", "swapped"])
def test_rows_deleted_or_swapped_by_sql_are_healed_with_a_count(
    machines: tuple[Journal, Journal], pg: Cluster, hub_url: str, harm: str
) -> None:
    a, b = machines
    a.add(*(practice(f"Seed {i}", stamp(i)) for i in range(6)))
    key = first_sync(a, hub_url)
    join(b, hub_url, key)
    if harm == "deleted":
        pg.admin_sql("DELETE FROM ally.item WHERE change IN (2, 3)", db=db(hub_url))
    else:
        for step in ("change = -2 WHERE change = 2", "change = 2 WHERE change = 3",
                     "change = 3 WHERE change = -2"):  # fmt: skip
            pg.admin_sql(f"UPDATE ally.item SET {step}", db=db(hub_url))
    said = ok(a)
    healed = re.search(r"The hub had lost or changed (\d+) rows? since the last sync here: "
                       r"everything was pulled again and (\d+) changes? (?:was|were) sent "
                       r"again\.", said)  # fmt: skip
    assert healed, said
    assert "restore" not in said
    assert int(healed.group(1)) == 2
    if harm == "deleted":
        assert int(healed.group(2)) == 2
    ok(b)
    assert a.export() == b.export()


def test_each_push_is_in_a_random_order(
    machines: tuple[Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    """Entries, then rhythms, would tell the hub by change number which rows are which:
    three rhythms pushed with 40 entries land elsewhere than the last three numbers (in
    order, they would; at random, all three last is one chance in 12,341)."""
    from allycli.sync.cipher import Sealer, parse_key

    a, _ = machines
    a.add(*(practice(f"Entry {i}", stamp(i)) for i in range(40)))
    for category, rhythm in (("money", "2/week"), ("listening", "3/week"), ("voting", "1/month")):
        assert a.ally("rhythm", category, rhythm).returncode == 0
    sealer = Sealer(parse_key(first_sync(a, hub_url)))
    hub_id = pg.admin_sql("SELECT value FROM ally.meta WHERE key = 'hub_id'", db=db(hub_url))
    rows = pg.admin_sql("SELECT ref, change, payload FROM ally.item ORDER BY change",
                        db=db(hub_url))  # fmt: skip
    assert len(rows) == 43
    kinds = [
        sealer.open(bytes(payload), str(hub_id[0][0]), str(ref), int(change)).body.get("kind")
        for ref, change, payload in rows
    ]
    assert sorted(kinds[-3:]) != ["rhythm", "rhythm", "rhythm"], kinds


def test_a_connection_reset_while_waiting_is_one_line_and_changes_nothing(
    machines: tuple[Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    """The sync connected and waits on a lock another session holds; the server ends its
    connection (pg_terminate_backend, as a restart or a dropped link would): one line,
    exit 1, the journal as it was, long before any limit."""
    a, _ = machines
    before = one_change_waiting(a, hub_url, "the reset")
    with table_locked(pg, hub_url):
        syncing = a.popen("sync")
        try:
            waiting = hub_until(  # its session waits on the lock
                pg,
                db(hub_url),
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'ally' "
                "AND wait_event_type = 'Lock'",
            )
            if not waiting:
                raise AssertionError("the sync never waited on the lock")
            ended = pg.admin_sql(f"SELECT pg_terminate_backend({waiting[0][0]})")
            assert ended == [(True,)]
            _, err = syncing.communicate(timeout=60)  # well within the 30 s lock limit + margin
        finally:
            if syncing.poll() is None:
                syncing.kill()
                syncing.communicate()
    assert syncing.returncode == 1, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert 1 <= len(lines) <= 2, lines  # (after its line about waiting, if it said one)
    if len(lines) == 2:
        assert WAITING.fullmatch(lines[0]), lines
    assert lines[-1].startswith(f"ally: The connection to the hub at {bare(hub_url)} was cut"), (
        lines
    )
    assert "nothing was changed" in lines[-1].lower(), lines
    assert a.journal() == before
    assert "sent 1 change" in ok(a)
