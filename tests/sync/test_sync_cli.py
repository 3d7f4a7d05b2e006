"""`ally sync` as a person runs it, in real processes against a real PostgreSQL hub."""

from __future__ import annotations

import re
import signal
import sys
import time
from pathlib import Path

import psycopg
import pytest

from allycli.core.objects import rhythm_id
from allycli.sync.cipher import new_key, show_key
from allycli.sync.hub import LOCK_KEY
from tests.sync.helpers import Journal, practice, reflection, slow_hub, stamp, wait_for_sleep
from tests.sync.pgcluster import PASSWORD, Cluster, free_port

WORDS = ("Quokkamarch", "Zanzibarquux", "Vellichorian")  # distinctive: searched for on the hub


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def no_password(*texts: str) -> None:
    for text in texts:
        assert PASSWORD not in text


def bare(url: str) -> str:
    """The URL without its password: libpq takes it from the password file (PGPASSFILE)."""
    return url.replace(f":{PASSWORD}@", "@")


def first_sync(journal: Journal, url: str) -> str:
    done = journal.ally("sync", "--url", bare(url))
    assert done.returncode == 0, done.stderr
    no_password(done.stdout, done.stderr)
    shown = journal.ally("sync", "--show-key")
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip()


def test_a_second_machine_joins_with_the_key_and_both_converge(
    a: Journal, b: Journal, hub_url: str
) -> None:
    a.add(practice(f"Marched with {WORDS[0]}", stamp(0, 1)), reflection(WORDS[1], stamp(1, 1)))
    done = a.ally("sync", "--url", bare(hub_url))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        f"Synced with {bare(hub_url)}: sent 2 changes, received 0 changes."
    )
    assert "ally sync --show-key" in done.stdout
    key = a.ally("sync", "--show-key").stdout.strip()
    assert re.fullmatch(r"[a-z2-7]{52}", key)

    # without the key, the second machine is told where to find it, and nothing changes
    refused = b.ally("sync", "--url", bare(hub_url))
    assert refused.returncode == 1
    assert "ally sync --show-key" in one_line(refused.stderr)
    assert "ALLY_SYNC_KEY" in refused.stderr
    assert b.journal() == {t: [] for t in b.journal()}

    b.add(practice(f"Listened at the {WORDS[2]} meeting", stamp(2, -5)))
    joined = b.ally("sync", env={"ALLY_SYNC_KEY": key, "ALLY_SYNC_URL": hub_url})
    assert joined.returncode == 0, joined.stderr
    assert "sent 1 change, received 2 changes" in joined.stdout
    again = a.ally("sync")  # the URL and key are remembered
    assert "sent 0 changes, received 1 change" in again.stdout
    assert b.ally("sync").returncode == 0  # and on the second machine too
    assert a.export() == b.export()
    assert len(a.export().splitlines()) == 3
    no_password(joined.stdout, joined.stderr, again.stdout, again.stderr)


def test_nothing_readable_reaches_the_hub(a: Journal, pg: Cluster, hub_url: str) -> None:
    a.add(
        practice(f"{WORDS[0]} rally with the tenants", stamp(0)),
        reflection(f"I let {WORDS[1]} speak first", stamp(1)),
    )
    entry_id = a.ids()[0]
    a.edit(entry_id, f"Edited: {WORDS[2]}", stamp(2))
    assert a.ally("sync", "--url", bare(hub_url)).returncode == 0
    db = hub_url.rsplit("/", 1)[1]
    columns = pg.admin_sql(
        "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
        db=db,
    )
    assert {(s, t) for s, t, _, _ in columns} == {("ally", "item"), ("ally", "meta")}
    found = []
    for schema, table, column, data_type in columns:
        for word in (*WORDS, "tenants", "protest", "listening", "reflection"):
            if data_type == "bytea":
                test = f"position(convert_to('{word}', 'UTF8') IN {column}) > 0"
            else:
                test = f"{column}::text ILIKE '%{word}%'"
            hits = pg.admin_sql(f"SELECT count(*) FROM {schema}.{table} WHERE {test}", db=db)
            if hits[0][0]:
                found.append((table, column, word))
    assert found == []
    items = pg.admin_sql("SELECT count(*), count(DISTINCT payload) FROM ally.item", db=db)
    assert items == [(2, 2)]
    assert {r[0] for r in pg.admin_sql("SELECT key FROM ally.meta", db=db)} == {
        "schema_version", "hub_id", "key_check"
    }  # fmt: skip


def test_a_wrong_key_is_one_line_and_changes_nothing(a: Journal, b: Journal, hub_url: str) -> None:
    a.add(practice("First", stamp(0)))
    first_sync(a, hub_url)
    b.add(practice("Second", stamp(1)))
    before = b.dump()
    wrong = b.ally("sync", "--url", bare(hub_url), env={"ALLY_SYNC_KEY": show_key(new_key())})
    assert wrong.returncode == 1
    assert "uses another key than ALLY_SYNC_KEY" in one_line(wrong.stderr)
    assert b.dump() == before
    not_a_key = b.ally("sync", "--url", bare(hub_url), env={"ALLY_SYNC_KEY": "hunter2"})
    assert not_a_key.returncode == 2
    assert "not a sync key" in one_line(not_a_key.stderr)
    assert "hunter2" not in not_a_key.stderr


def test_an_unreachable_hub_is_one_line_and_changes_nothing(a: Journal, tmp_path: Path) -> None:
    a.add(practice("Offline", stamp(0)))
    before = a.dump()
    url = f"postgresql://ally:{PASSWORD}@127.0.0.1:{free_port()}/hub"
    done = a.ally("sync", env={"ALLY_SYNC_URL": url})
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith("ally: The hub at postgresql://ally:***@127.0.0.1:")
    assert "does not answer" in line
    no_password(done.stdout, done.stderr)
    assert a.dump() == before
    status = a.ally("sync", "--status", env={"ALLY_SYNC_URL": url})
    assert status.returncode == 0
    assert "does not answer" in status.stdout
    assert "1 change waits to be sent" in status.stdout
    no_password(status.stdout, status.stderr)


def test_a_wrong_password_is_refused_without_showing_it(a: Journal, hub_url: str) -> None:
    done = a.ally("sync", env={"ALLY_SYNC_URL": hub_url.replace(PASSWORD, PASSWORD + "x")})
    assert done.returncode == 1
    assert "refused the login" in one_line(done.stderr)
    no_password(done.stdout, done.stderr)


def test_the_password_is_in_no_log(a: Journal, pg: Cluster, hub_url: str) -> None:
    a.add(practice("Logged", stamp(0)))
    first_sync(a, hub_url)
    assert a.ally("sync", env={"ALLY_SYNC_URL": hub_url.replace(PASSWORD, "wrong")}).returncode == 1
    assert PASSWORD not in (pg.folder / "server.log").read_text()


def test_a_hub_from_a_newer_ally_is_refused(a: Journal, pg: Cluster, hub_url: str) -> None:
    a.add(practice("Before", stamp(0)))
    first_sync(a, hub_url)
    a.add(practice("After", stamp(1)))
    db = hub_url.rsplit("/", 1)[1]
    pg.admin_sql("UPDATE ally.meta SET value = '3' WHERE key = 'schema_version'", db=db)
    before = a.dump()
    done = a.ally("sync")
    assert done.returncode == 1
    assert "set up by a newer ally (hub schema 3, this one knows 2)" in one_line(done.stderr)
    assert a.dump() == before
    assert pg.admin_sql("SELECT count(*) FROM ally.item", db=db) == [(1,)]


@pytest.mark.slow  # kill -9
@pytest.mark.parametrize("when", ["mid-transfer", "at-hub-commit"])
def test_a_sync_killed_halfway_leaves_the_journal_and_the_next_sync_completes(
    a: Journal, b: Journal, pg: Cluster, hub_url: str, when: str
) -> None:
    db = hub_url.rsplit("/", 1)[1]
    a.add(practice("Set up", stamp(0)))
    key = first_sync(a, hub_url)
    a.add(*(practice(f"Entry {i}", stamp(10 + i)) for i in range(50)))
    slow_hub(pg, db, deferred=when == "at-hub-commit")
    before = a.dump()
    proc = a.popen("sync")
    wait_for_sleep(pg, db)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=120)
    assert a.dump() == before  # the journal's transaction never committed
    pg.admin_sql("DROP TRIGGER slow ON ally.item", db=db)  # waits for the hub to settle
    items = pg.admin_sql("SELECT count(*) FROM ally.item", db=db)[0][0]
    assert items == (1 if when == "mid-transfer" else 51)
    done = a.ally("sync")
    assert done.returncode == 0, done.stderr
    sent = 50 if when == "mid-transfer" else 0
    assert f"sent {sent} changes" in done.stdout
    assert a.ally("sync", "--status").stdout.count("0 changes wait") == 1
    joined = b.ally("sync", "--url", bare(hub_url), env={"ALLY_SYNC_KEY": key})
    assert "received 51 changes" in joined.stdout
    assert a.export() == b.export()


@pytest.mark.slow  # concurrent syncs
def test_two_machines_syncing_at_once_lose_nothing(
    a: Journal, b: Journal, pg: Cluster, hub_url: str
) -> None:
    a.add(practice("Seed", stamp(0)))
    key = first_sync(a, hub_url)
    env = {"ALLY_SYNC_KEY": key}
    assert b.ally("sync", "--url", bare(hub_url), env=env).returncode == 0
    for round_ in range(2):
        a.add(*(practice(f"A {round_} {i}", stamp(100 + i, 1)) for i in range(200)))
        b.add(*(practice(f"B {round_} {i}", stamp(100 + i, -5)) for i in range(200)))
        # hold the lock so that both processes are waiting for it, then let them race
        with psycopg.connect(pg.admin_url(hub_url.rsplit("/", 1)[1])) as holder:
            holder.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
            procs = [a.popen("sync"), b.popen("sync")]
            time.sleep(0.5)
            holder.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        for proc in procs:
            _out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
    for journal in (a, b, a, b):
        assert journal.ally("sync").returncode == 0
    assert a.export() == b.export()
    assert len(a.export().splitlines()) == 1 + 2 * 400


def test_deletes_rhythms_and_pauses_travel(a: Journal, b: Journal, hub_url: str) -> None:
    kept, gone = practice("Kept", stamp(0)), practice("Gone", stamp(1))
    a.add(kept, gone)
    with a.store.writing() as conn:
        conn.execute(  # a rhythm's id is derived from its category, as import checks
            "INSERT INTO rhythm (id, category, spec, updated_at) VALUES (?, 'listening', "
            "'3/week', ?)",
            (rhythm_id("listening"), stamp(2)),
        )
        conn.execute(
            "INSERT INTO pause (id, since, until, categories, note, created_at, updated_at) "
            "VALUES ('7c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f', '2026-12-20', '2026-12-31', "
            "'[\"money\"]', 'Holidays', ?, ?)",
            (stamp(3), stamp(3)),
        )
    key = first_sync(a, hub_url)
    assert b.ally("sync", "--url", bare(hub_url), env={"ALLY_SYNC_KEY": key}).returncode == 0
    assert b.journal() == a.journal()
    b.delete(gone.id, stamp(10))
    assert b.ally("sync").returncode == 0
    assert a.ally("sync").returncode == 0
    assert a.ids() == [kept.id]
    assert a.rows("tombstone") == [(gone.id, "entry", stamp(10))]
    assert b.journal() == a.journal()
    # an older version of a deleted entry, synced from a third journal, does not come back
    assert a.rows("pause")[0][4] == "Holidays"


def test_status_show_key_and_forget(a: Journal, hub_url: str) -> None:
    fresh = a.ally("sync", "--status", "--url", bare(hub_url))
    assert fresh.stdout.splitlines()[0].endswith("(it answers; the first sync sets it up)")
    not_set = a.ally("sync", "--status")
    assert not_set.stdout.startswith("Sync is not set up; 0 changes wait to be sent.")
    no_key = a.ally("sync", "--show-key")
    assert no_key.returncode == 1
    assert "no sync key here yet" in one_line(no_key.stderr)
    a.add(practice("One", stamp(0)))
    key = first_sync(a, hub_url)
    status = a.ally("sync", "--status")
    lines = status.stdout.splitlines()
    assert lines[0] == f"Hub: {bare(hub_url)} (it answers and accepts this key)"
    assert re.fullmatch(r"Last sync: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", lines[1])
    assert lines[2] == "0 changes wait to be sent."
    assert re.fullmatch(r"Journal fingerprint: (\w{4}-){3}\w{4} \(.*\)", lines[3])
    assert key not in status.stdout
    env_key = a.ally("sync", "--show-key", env={"ALLY_SYNC_KEY": key.upper()})
    assert env_key.stdout.strip() == key
    forgot = a.ally("sync", "--forget")
    assert forgot.stdout.startswith("Forgot the hub's URL and key here")
    assert a.ally("sync", "--show-key").returncode == 1
    assert a.ally("sync").returncode == 2  # no URL any more: a usage error naming --url
    assert a.ids() != []


def test_without_the_sync_extra_it_says_how_to_install_it(a: Journal, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "psycopg.py").write_text("raise ImportError('blocked for the test')\n")
    (blocker / "sitecustomize.py").write_text(
        "import importlib.util, sys\n"
        "_real = importlib.util.find_spec\n"
        "def find_spec(name, *a, **k):\n"
        "    return None if name == 'psycopg' else _real(name, *a, **k)\n"
        "importlib.util.find_spec = find_spec\n"
    )
    done = a.ally("sync", "--url", "postgresql://u@h/d", env={"PYTHONPATH": str(blocker)})
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        "ally: `ally sync` needs packages that are not installed here (psycopg); install them "
        f"into this ally's own Python with `{sys.executable} -m pip install "
        "'psycopg[binary]>=3.1' 'cryptography>=42'`."
    )
    assert "allycli[sync]" not in done.stderr
    status = a.ally("sync", "--status", "--url", "postgresql://u@h/d",
                    env={"PYTHONPATH": str(blocker)})  # fmt: skip
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines()[:2] == [
        "Hub: postgresql://u@h/d",
        "`ally sync` needs packages that are not installed here (psycopg); install them "
        f"into this ally's own Python with `{sys.executable} -m pip install "
        "'psycopg[binary]>=3.1' 'cryptography>=42'`.",
    ]
