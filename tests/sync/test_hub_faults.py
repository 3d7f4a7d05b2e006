"""A hub that forgets or lies cannot split the machines (the tests are numbered by fault).

Each test does to a real PostgreSQL hub what its admin, a restore or an intruder could
(pg_dump and a restore, rows deleted, renumbered or replayed by SQL as a superuser,
damaged metadata) and runs `ally` as a person would, in real processes.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

from allycli.sync.cipher import new_key, show_key
from tests.sync.helpers import (
    Journal,
    hub_until,
    practice,
    reflection,
    slow_hub,
    stamp,
    wait_for_sleep,
)
from tests.sync.pgcluster import PASSWORD, Cluster
from tests.sync.test_sync_cli import bare, first_sync, one_line


def db(url: str) -> str:
    return url.rsplit("/", 1)[1]


def ok(journal: Journal, *args: str, env: dict[str, str] | None = None) -> str:
    done = journal.ally("sync", *args, env=env)
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout


def join(journal: Journal, url: str, key: str) -> str:
    return ok(journal, "--url", bare(url), env={"ALLY_SYNC_KEY": key})


def notes(journal: Journal) -> dict[str, str | None]:
    return {o["id"]: o.get("note") for o in map(json.loads, journal.export().splitlines())}


def waiting(journal: Journal) -> str:
    return journal.ally("sync", "--status").stdout.splitlines()[2]


@pytest.fixture
def machines(tmp_path: Path) -> tuple[Journal, Journal, Journal]:
    return tuple(Journal(tmp_path / name / "ally.db") for name in ("a", "b", "c"))  # type: ignore[return-value]


# -- 1. a hub restored from a backup -------------------------------------------------------


def test_1_a_hub_restored_from_a_dump_heals_once_every_machine_synced(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str, tmp_path: Path
) -> None:
    a, b, c = machines
    seeds = [practice(f"Seed {i}", stamp(i, 1)) for i in range(8)]
    a.add(*seeds)
    key = first_sync(a, hub_url)
    join(b, hub_url, key)
    join(c, hub_url, key)
    dump = tmp_path / "hub.dump"
    subprocess.run(
        [str(pg.bindir / "pg_dump"), "-Fc", "-f", str(dump), pg.admin_url(db(hub_url))],
        check=True, capture_output=True,
    )  # fmt: skip
    first, second = practice("A one", stamp(100, 1)), practice("A two", stamp(101, 1))
    a.add(first, second)
    a.edit(seeds[0].id, "A edited", stamp(102, 1))
    assert "sent 3 changes" in ok(a)
    pg.admin_sql("DROP SCHEMA ally CASCADE", db=db(hub_url))
    subprocess.run(
        [str(pg.bindir / "pg_restore"), "-d", pg.admin_url(db(hub_url)), str(dump)],
        check=True, capture_output=True,
    )  # fmt: skip
    b.add(*(practice(f"B {i}", stamp(200 + i, -5)) for i in range(4)))
    assert "sent 4 changes" in ok(b)  # the change numbers A was given are given out again
    healed = ok(a)
    assert "sent 3 changes, received 4 changes" in healed
    assert re.search(
        r"The hub had lost or changed \d+ rows? since the last sync here \(its change numbers "
        r"went back: a restore from a backup\): everything was pulled again and 3 changes were "
        r"sent again\.",
        healed,
    ), healed
    for journal in (c, a, b, c):
        ok(journal)
    assert a.export() == b.export() == c.export()
    assert len(notes(a)) == 8 + 2 + 4
    assert "A edited" in notes(b).values()
    for journal in (a, b, c):
        assert waiting(journal) == "0 changes wait to be sent."


# -- 2. the first sync killed between the hub's commit and the journal's ---------------------


def test_2_a_first_sync_killed_after_the_hub_committed_keeps_the_key(
    machines: tuple[Journal, Journal, Journal], hub_url: str, tmp_path: Path
) -> None:
    a, b, _ = machines
    a.add(practice("Before the crash", stamp(0)))
    crash = tmp_path / "crash"
    crash.mkdir()
    (crash / "sitecustomize.py").write_text(
        "import os\n"
        "from allycli.store import synced\n"
        "def _die(*args, **kwargs):\n"
        "    os._exit(9)\n"
        "synced.mark_synced = _die\n"
    )
    killed = a.ally("sync", "--url", bare(hub_url), env={"PYTHONPATH": str(crash)})
    assert killed.returncode == 9
    shown = a.ally("sync", "--show-key")
    assert shown.returncode == 0
    key = shown.stdout.strip()
    assert re.fullmatch(r"[a-z2-7]{52}", key)
    assert "not confirmed yet" in one_line(shown.stderr)
    assert "sent 0 changes" in ok(a, "--url", bare(hub_url))  # the hub had it already
    confirmed = a.ally("sync", "--show-key")
    assert (confirmed.stdout.strip(), confirmed.stderr) == (key, "")
    assert "received 1 change" in join(b, hub_url, key)
    assert a.export() == b.export()


def test_2_a_machine_that_lost_the_race_for_an_empty_hub_keeps_its_key(
    machines: tuple[Journal, Journal, Journal], hub_url: str
) -> None:
    """Its key is never deleted because the hub shows another key check: it is kept and
    marked, the sync is refused in one line, and --status names both keys by fingerprint."""
    a, b, _ = machines
    b.add(practice("Mine", stamp(0)))
    key = first_sync(a, hub_url)
    lost_key = show_key(new_key())
    with b.store.writing() as conn:  # what a first sync that lost the race leaves behind
        conn.execute(
            "INSERT INTO setting (key, value) VALUES ('sync.key', ?), "
            "('sync.key_unconfirmed', '1')",
            (lost_key,),
        )
    before = b.journal()
    lost = b.ally("sync", "--url", bare(hub_url))
    assert lost.returncode == 1
    said = one_line(lost.stderr)
    assert "Another machine set up the hub" in said
    assert "is kept" in said
    assert lost_key not in said and key not in said
    assert b.journal() == before
    kept = b.ally("sync", "--show-key")
    assert kept.returncode == 0  # kept: the only copy of a key is never thrown away
    assert kept.stdout.strip() == lost_key
    assert "another key" in one_line(kept.stderr)
    status = b.ally("sync", "--status", "--url", bare(hub_url))
    assert status.returncode == 0, status.stderr
    assert lost_key not in status.stdout and key not in status.stdout
    keys = status.stdout.splitlines()[1]
    found = re.fullmatch(
        r"Keys: the hub's key check is ((?:\w{4}-){3}\w{4}); the key kept here, not "
        r"confirmed by any hub, is ((?:\w{4}-){3}\w{4})\.",
        keys,
    )
    assert found, status.stdout
    assert found.group(1) != found.group(2)
    again = b.ally("sync", "--url", bare(hub_url))
    assert again.returncode == 1 and b.ally("sync", "--show-key").stdout.strip() == lost_key
    assert "sent 1 change" in join(b, hub_url, key)
    assert b.ally("sync", "--show-key").stdout.strip() == key


# -- 3. rows the hub loses or renumbers ----------------------------------------------------


def test_3_a_row_the_hub_lost_is_sent_again(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    a, b, c = machines
    a.add(*(practice(f"Kept {i}", stamp(i)) for i in range(3)))
    key = first_sync(a, hub_url)
    join(b, hub_url, key)
    pg.admin_sql("DELETE FROM ally.item WHERE change = 2", db=db(hub_url))
    assert "sent 1 change, received 0 changes" in ok(a)
    assert "sent 0 changes" in ok(b)
    join(c, hub_url, key)
    assert len(notes(c)) == 3
    assert a.export() == b.export() == c.export()


def test_3_an_edit_the_hub_renumbered_reaches_every_machine(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    a, b, c = machines
    a.add(*(practice(f"Note {i}", stamp(i)) for i in range(3)))
    key = first_sync(a, hub_url)
    join(b, hub_url, key)
    a.edit(a.ids()[1], "The edit", stamp(10))
    assert "sent 1 change" in ok(a)
    pg.admin_sql(
        "UPDATE ally.item SET change = -1 WHERE change = (SELECT max(change) FROM ally.item)",
        db=db(hub_url),
    )
    # the renumbered row no longer opens (its change number is sealed in): b refuses it,
    # and writes its own version over it; a then sends the edit again, as the later version
    assert "everything was pulled again" in ok(b)
    ok(a)
    ok(b)
    join(c, hub_url, key)
    assert "The edit" in notes(b).values()
    assert a.export() == b.export() == c.export()


# -- 4. replayed old ciphertext -------------------------------------------------------------


def test_4_replayed_rows_never_bring_back_deleted_or_stale_text(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    a, _, c = machines
    gone, kept = practice("Deleted words", stamp(0)), practice("Stale words", stamp(1))
    a.add(gone, kept)
    key = first_sync(a, hub_url)
    old = pg.admin_sql("SELECT ref, digest, payload FROM ally.item ORDER BY change", db=db(hub_url))
    a.delete(gone.id, stamp(10))
    a.edit(kept.id, "Fresh words", stamp(11))
    assert "sent 2 changes" in ok(a)
    for ref, digest, payload in old:  # the old rows put back, with fresh change numbers
        pg.admin_sql(
            "UPDATE ally.item SET change = (SELECT max(change) + 1 FROM ally.item), "
            f"digest = '\\x{bytes(digest).hex()}', payload = '\\x{bytes(payload).hex()}' "
            f"WHERE ref = '{ref}'",
            db=db(hub_url),
        )
    joined = c.ally("sync", "--url", bare(hub_url), env={"ALLY_SYNC_KEY": key})
    assert joined.returncode == 1
    assert "2 rows that did not open" in one_line(joined.stderr)
    assert "ally sync --repair" in joined.stderr
    assert notes(c) == {}  # neither the deleted text nor the stale note
    ok(a)  # sends its versions over the refused rows
    assert "received 2 changes" in ok(c)
    assert notes(c) == {kept.id: "Fresh words"}
    assert c.rows("tombstone") == [(gone.id, "entry", stamp(10))]


def test_4_repair_removes_refused_rows_that_no_machine_holds(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    a, b, _ = machines
    a.add(practice("Real", stamp(0)))
    key = first_sync(a, hub_url)
    pg.admin_sql(
        "INSERT INTO ally.item (ref, change, digest, payload) VALUES "
        f"('{'ab' * 16}', 99, '\\x{'00' * 16}', '\\x{'11' * 1052}')",
        db=db(hub_url),
    )
    refused = b.ally("sync", "--url", bare(hub_url), env={"ALLY_SYNC_KEY": key})
    assert refused.returncode == 1
    assert notes(b) == notes(a)  # what did open was applied
    asked = b.ally("sync", "--repair")
    assert asked.returncode == 2  # no terminal to ask on, and no --yes
    repaired = b.ally("sync", "--repair", "--yes")
    assert repaired.returncode == 0, repaired.stderr
    assert "Removed 1 row that did not open from the hub" in repaired.stdout
    assert pg.admin_sql("SELECT count(*) FROM ally.item", db=db(hub_url)) == [(1,)]
    assert b.ally("sync").returncode == 0
    assert a.ally("sync").returncode == 0


# -- 5. two versions with the same updated_at -----------------------------------------------


def test_5_equal_time_imports_on_two_machines_converge(
    machines: tuple[Journal, Journal, Journal], hub_url: str, tmp_path: Path
) -> None:
    a, b, _ = machines
    same_id, at = str(uuid.uuid4()), stamp(0)
    files = []
    for note in ("aaa first", "zzz second"):
        source = Journal(tmp_path / note.split()[0] / "ally.db")
        source.add(practice(note, at, id=same_id))
        path = tmp_path / f"{note.split()[0]}.jsonl"
        path.write_text(source.export())
        files.append(path)
    assert a.ally("import", str(files[0])).returncode == 0
    key = first_sync(a, hub_url)
    join(b, hub_url, key)
    assert b.ally("import", str(files[1])).returncode == 0  # wins the tie: the later JSON
    assert notes(b) == {same_id: "zzz second"}
    assert waiting(b) == "1 change waits to be sent."
    for journal in (b, a, b, a):
        ok(journal)
    assert a.export() == b.export()
    assert notes(a) == {same_id: "zzz second"}


# -- 6. damaged metadata --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "what"),
    [
        ("key_check", "not base64 at all!", "its key check is not readable"),
        ("schema_version", "one", "its schema version is not a number"),
    ],
)
def test_6_damaged_metadata_is_one_line_and_changes_nothing(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str, key: str,
    value: str, what: str,
) -> None:  # fmt: skip
    a, _, _ = machines
    a.add(practice("One", stamp(0)))
    first_sync(a, hub_url)
    a.add(practice("Two", stamp(1)))
    pg.admin_sql(f"UPDATE ally.meta SET value = '{value}' WHERE key = '{key}'", db=db(hub_url))
    before = a.dump()
    done = a.ally("sync")
    assert done.returncode == 1
    assert f"has damaged metadata ({what})" in one_line(done.stderr)
    assert a.dump() == before
    status = a.ally("sync", "--status")
    assert status.returncode == 0
    assert f"has damaged metadata ({what})" in status.stdout
    assert "Traceback" not in status.stderr


# -- 7. what the hub learns ----------------------------------------------------------------

RHYTHM_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "ally:rhythm:listening"))


def test_7_the_hub_sees_no_ids_no_times_no_flags_and_only_size_classes(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    a, _, _ = machines
    short, longer = practice("Hi", stamp(0, 9)), practice("x" * 600, stamp(1, 9))
    answer = reflection("I listened first, and asked what they needed.", stamp(2, 9))
    a.add(short, longer, answer)
    a.delete(short.id, stamp(3, 9))
    with a.store.writing() as conn:
        conn.execute(
            "INSERT INTO rhythm (id, category, spec, updated_at) VALUES (?, 'listening', "
            "'3/week', ?)",
            (RHYTHM_ID, stamp(4, 9)),
        )
    first_sync(a, hub_url)
    columns = pg.admin_sql(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'ally' AND table_name = 'item' ORDER BY ordinal_position",
        db=db(hub_url),
    )
    assert columns == [("ref", "character varying"), ("change", "bigint"),
                       ("digest", "bytea"), ("payload", "bytea")]  # fmt: skip
    rows = pg.admin_sql("SELECT ref, length(payload) FROM ally.item", db=db(hub_url))
    ids = {short.id, longer.id, answer.id, RHYTHM_ID}
    assert not {r for r, _ in rows} & ids
    assert not any(i.replace("-", "")[:12] in r for r, _ in rows for i in ids)
    assert sorted(n for _, n in rows) == [1024 + 28] * 4  # one size class for all four
    dumped = str(pg.admin_sql("SELECT * FROM ally.item", db=db(hub_url)))
    assert "+09:00" not in dumped and "2026-11-20" not in dumped


# -- 8. secrets and waiting -----------------------------------------------------------------


def test_8_a_password_in_url_is_warned_about_and_never_stored(
    machines: tuple[Journal, Journal, Journal], hub_url: str, tmp_path: Path
) -> None:
    a, _, _ = machines
    nowhere = str(tmp_path / "no-pgpass")
    a.add(practice("One", stamp(0)))
    done = a.ally("sync", "--url", hub_url, env={"PGPASSFILE": nowhere})
    assert done.returncode == 0, done.stderr
    assert "shows in the process list and the shell history" in one_line(done.stderr)
    assert PASSWORD not in done.stdout + done.stderr
    assert PASSWORD not in str(a.dump())
    assert dict(a.rows("setting"))["sync.url"] == bare(hub_url)
    no_password = a.ally("sync", env={"PGPASSFILE": nowhere})
    assert no_password.returncode == 1  # the stored URL has none: ~/.pgpass or ALLY_SYNC_URL
    assert "refused the login" in one_line(no_password.stderr)
    assert a.ally("sync", env={"PGPASSFILE": nowhere, "ALLY_SYNC_URL": hub_url}).returncode == 0
    assert a.ally("sync").returncode == 0  # with the password file


def test_8_status_says_when_the_hub_does_not_accept_the_key(
    machines: tuple[Journal, Journal, Journal], hub_url: str
) -> None:
    a, b, _ = machines
    a.add(practice("One", stamp(0)))
    key = first_sync(a, hub_url)
    join(b, hub_url, key)
    other = a.ally("sync", "--status", env={"ALLY_SYNC_KEY": show_key(new_key())})
    assert other.stdout.splitlines()[0].endswith("(it answers, but it uses another key than "
                                                 "this one: run `ally sync --show-key` on a "
                                                 "machine that syncs with it)")  # fmt: skip
    prints = [j.ally("sync", "--status").stdout.splitlines()[3] for j in (a, b)]
    assert prints[0] == prints[1]  # the same journal: the same fingerprint
    b.add(practice("Only on b", stamp(1)))
    assert b.ally("sync", "--status").stdout.splitlines()[3] != prints[0]


def test_8_a_log_during_a_long_sync_is_saved_at_once(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    a, _, _ = machines
    a.add(practice("Set up", stamp(0)))
    first_sync(a, hub_url)
    a.add(*(practice(f"Entry {i}", stamp(10 + i)) for i in range(20)))
    # the hub takes 8 s to commit: long enough for a log to start and end on a loaded machine
    slow_hub(pg, db(hub_url), deferred=True, seconds=8)
    proc = a.popen("sync")
    try:
        wait_for_sleep(pg, db(hub_url))
        logged = a.ally("log", "protest", "--note", "Logged during the sync")
        still_syncing = proc.poll() is None
    finally:
        out, err = proc.communicate(timeout=60)
    assert logged.returncode == 0, logged.stderr
    assert "waiting" not in logged.stderr
    assert still_syncing  # the log did not wait for the sync to end
    assert proc.returncode == 0, err
    assert "sent 20 changes" in out
    assert "Logged during the sync" in notes(a).values()
    assert waiting(a) == "1 change waits to be sent."


def test_8_an_edit_during_a_sync_is_not_overwritten_by_an_older_version(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    a, b, _ = machines
    entry = practice("First words", stamp(0))
    a.add(entry)
    key = first_sync(a, hub_url)
    join(b, hub_url, key)
    b.edit(entry.id, "Words from b", stamp(5))
    ok(b)
    a.add(practice("Pending", stamp(6)))  # so a's sync writes, and the slow commit holds it
    slow_hub(pg, db(hub_url), deferred=True)
    proc = a.popen("sync")
    try:
        wait_for_sleep(pg, db(hub_url))
        a.edit(entry.id, "Words from a, later", stamp(7))
    finally:
        proc.send_signal(signal.SIGCONT)
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert notes(a)[entry.id] == "Words from a, later"
    ok(a)
    ok(b)
    assert notes(b)[entry.id] == "Words from a, later"


# -- the in-place upgrade of a hub of schema 1 ----------------------------------------------


def _schema_1_hub(pg: Cluster, url: str, key: bytes, journal: Journal) -> str:
    """A hub as the ally before hub schema 2 left it: ids, times and flags in clear."""
    import base64
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from allycli.store import synced
    from allycli.sync.cipher import Sealer, canonical

    hub_id = str(uuid.uuid4())
    check = base64.b64encode(Sealer(key).key_check()).decode()
    pg.admin_sql(
        "CREATE SCHEMA ally AUTHORIZATION ally; "
        "CREATE TABLE ally.item (id varchar PRIMARY KEY, updated_at varchar NOT NULL, "
        "deleted boolean NOT NULL, change bigint NOT NULL, payload bytea NOT NULL); "
        "CREATE UNIQUE INDEX ix_item_change ON ally.item (change); "
        "CREATE TABLE ally.meta (key varchar PRIMARY KEY, value varchar NOT NULL); "
        f"INSERT INTO ally.meta VALUES ('schema_version', '1'), ('hub_id', '{hub_id}'), "
        f"('key_check', '{check}'); "
        "ALTER TABLE ally.item OWNER TO ally; ALTER TABLE ally.meta OWNER TO ally",
        db=db(url),
    )
    with journal.store.reading() as conn:
        items = list(synced.current(conn, synced.ids(conn)).values())
    for change, item in enumerate(items, start=1):
        ad = b"\x00".join((b"ally-hub-item-1\x00", item.id.encode(), item.updated_at.encode(),
                           b"1" if item.deleted else b"0"))  # fmt: skip
        nonce = os.urandom(12)
        payload = nonce + AESGCM(key).encrypt(nonce, canonical(item.body), ad)
        pg.admin_sql(
            f"INSERT INTO ally.item VALUES ('{item.id}', '{item.updated_at}', {item.deleted}, "
            f"{change}, '\\x{payload.hex()}')",
            db=db(url),
        )
    pg.admin_sql(
        f"INSERT INTO ally.item VALUES ('{uuid.uuid4()}', '{stamp(9)}', false, 99, '\\x00ff')",
        db=db(url),
    )  # a row that does not open
    return hub_id


def test_a_schema_1_hub_is_upgraded_in_place(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    a, b, _ = machines
    gone = practice("Gone", stamp(1))
    a.add(practice("Kept", stamp(0)), gone)
    a.delete(gone.id, stamp(2))
    key = new_key()
    hub_id = _schema_1_hub(pg, hub_url, key, a)
    with a.store.writing() as conn:  # what a sync by the older ally left in the journal
        conn.execute(
            "INSERT INTO setting (key, value) VALUES ('sync.hub', ?), ('sync.seen', '2'), "
            "('sync.key', ?)",
            (hub_id, show_key(key)),
        )
        conn.executemany(
            "INSERT INTO synced (id, updated_at, deleted) VALUES (?, ?, ?)",
            [(a.ids()[0], stamp(0), 0), (gone.id, stamp(2), 1)],
        )
    upgraded = ok(a, "--url", bare(hub_url))
    assert "sent 0 changes, received 0 changes" in upgraded
    assert (
        "The hub was upgraded to hub schema 2: 2 objects sealed again, 1 row that did not open "
        "left out."
    ) in upgraded
    assert pg.admin_sql(
        "SELECT value FROM ally.meta WHERE key = 'schema_version'", db=db(hub_url)
    ) == [("2",)]
    assert pg.admin_sql("SELECT count(*) FROM ally.item", db=db(hub_url)) == [(2,)]
    assert "received 2 changes" in join(b, hub_url, show_key(key))
    assert a.export() == b.export()
    assert b.rows("tombstone") == [(gone.id, "entry", stamp(2))]
    assert ok(a).split(": ", 1)[1].strip() == "sent 0 changes, received 0 changes."


@pytest.mark.slow
def test_8_a_log_during_a_first_sync_of_20000_entries_finishes_before_it(
    machines: tuple[Journal, Journal, Journal], pg: Cluster, hub_url: str
) -> None:
    a, _, _ = machines
    a.add(*(practice(f"Entry {i}", stamp(i)) for i in range(20_000)))
    proc = a.popen("sync", "--url", bare(hub_url))
    try:
        hub_until(  # until the sync is at work on the hub, for 8 s at the most
            pg,
            db(hub_url),
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ally' "
            "AND state <> 'idle'",
            seconds=8,
            pause=0.02,
        )
        logged = a.ally("log", "protest", "--note", "Logged during the first sync")
        logged_first = proc.poll() is None
    finally:
        out, err = proc.communicate(timeout=300)
    assert logged.returncode == 0, logged.stderr
    assert "waiting" not in logged.stderr
    assert logged_first
    assert proc.returncode == 0, err
    assert "sent 20000 changes" in out
    assert len(notes(a)) == 20_001


def test_an_ordinary_sync_never_pulls_everything_again(
    machines: tuple[Journal, Journal, Journal], hub_url: str
) -> None:
    a, b, _ = machines
    first, last = practice("First", stamp(0)), practice("Last", stamp(1))
    a.add(first, last)
    key = first_sync(a, hub_url)
    join(b, hub_url, key)  # b saw up to the row of `last`
    a.edit(last.id, "Last, edited", stamp(2))  # that row moves up: overwritten, not lost
    a.delete(first.id, stamp(3))
    outputs = [ok(a), ok(b), ok(b), ok(a)]
    assert "received 2 changes" in outputs[1]
    assert not any("pulled again" in out for out in outputs)
    assert a.export() == b.export()
