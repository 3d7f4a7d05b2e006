"""Two journals and one hub converge, whatever the interleaving (a Hypothesis state machine).

Each step logs, edits or deletes on one machine, syncs one machine, or makes the hub forget
(a snapshot of its rows taken and later put back, as a restore from a backup does, or one
row lost), against a real PostgreSQL hub. A shared clock moves forward at every step,
written in each machine's own offset, so `updated_at` orders the operations as instants. At
the end each machine syncs twice: both exports are identical, and equal to the operations
applied in `updated_at` order, however the hub forgot (per id, the latest operation decides:
a delete removes, a log or edit sets the text).
"""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from allycli.sync.cipher import new_key, show_key
from allycli.sync.engine import sync
from tests.sync.helpers import BASE, Journal, practice, stamp
from tests.sync.pgcluster import Cluster

OFFSETS = {"a": 1, "b": -5}  # the two machines' time zones, in hours
_hubs = itertools.count(1)

notes = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


def make_machine(pg: Cluster) -> type[RuleBasedStateMachine]:
    class TwoMachines(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.folder = Path(tempfile.mkdtemp(prefix="ally-converge-"))
            self.url = pg.create_db(f"converge{next(_hubs)}")
            self.key = show_key(new_key())
            self.journals = {m: Journal(self.folder / f"{m}.db") for m in OFFSETS}
            self.clock = 0
            # what each machine holds, as the model sees it: id -> note
            self.known: dict[str, dict[str, str | None]] = {m: {} for m in OFFSETS}
            # per id, the latest operation: (instant, "set" or "delete", note, updated_at)
            self.latest: dict[str, tuple[int, str, str | None, str]] = {}
            self.created: dict[str, str] = {}
            self.db = self.url.rsplit("/", 1)[1]
            self.snapshot: list[tuple[object, ...]] | None = None

        def tick(self, machine: str) -> tuple[int, str]:
            self.clock += 1
            return self.clock, stamp(self.clock, OFFSETS[machine])

        @rule(machine=st.sampled_from(sorted(OFFSETS)), note=notes)
        def log(self, machine: str, note: str) -> None:
            t, at = self.tick(machine)
            record = practice(note or None, at)
            self.journals[machine].add(record)
            self.known[machine][record.id] = note or None
            self.latest[record.id] = (t, "set", note or None, at)
            self.created[record.id] = at

        @precondition(lambda self: any(self.known.values()))
        @rule(machine=st.sampled_from(sorted(OFFSETS)), pick=st.integers(0, 10**6), note=notes)
        def edit(self, machine: str, pick: int, note: str) -> None:
            ids = sorted(self.known[machine])
            if not ids:
                return
            entry_id = ids[pick % len(ids)]
            t, at = self.tick(machine)
            self.journals[machine].edit(entry_id, note, at)
            self.known[machine][entry_id] = note
            self.latest[entry_id] = (t, "set", note, at)

        @precondition(lambda self: any(self.known.values()))
        @rule(machine=st.sampled_from(sorted(OFFSETS)), pick=st.integers(0, 10**6))
        def delete(self, machine: str, pick: int) -> None:
            ids = sorted(self.known[machine])
            if not ids:
                return
            entry_id = ids[pick % len(ids)]
            t, at = self.tick(machine)
            self.journals[machine].delete(entry_id, at)
            del self.known[machine][entry_id]
            self.latest[entry_id] = (t, "delete", None, at)

        @rule(machine=st.sampled_from(sorted(OFFSETS)))
        def sync(self, machine: str) -> None:
            self.run_sync(machine)

        def run_sync(self, machine: str) -> None:
            journal = self.journals[machine]
            sync(journal.store, self.url, self.key, BASE)
            self.known[machine] = {
                row[0]: row[6] for row in journal.rows("entry")
            }  # id, ..., note (column 7)

        @invariant()
        def a_sync_changes_nothing_it_should_not(self) -> None:
            for machine, journal in self.journals.items():
                assert sorted(journal.ids()) == sorted(self.known[machine])

        def teardown(self) -> None:
            try:
                for machine in ("a", "b", "a", "b"):
                    self.run_sync(machine)
                exports = {m: j.export() for m, j in self.journals.items()}
                assert exports["a"] == exports["b"]
                got = {obj["id"]: obj["note"] for obj in map(json.loads, exports["a"].splitlines())}
                expected = {i: v[2] for i, v in self.latest.items() if v[1] == "set"}
                assert got == expected
                for obj in map(json.loads, exports["a"].splitlines()):
                    assert obj["created_at"] == self.created[obj["id"]]
                    assert obj["updated_at"] == self.latest[obj["id"]][3]
            finally:
                shutil.rmtree(self.folder, ignore_errors=True)
                pg.admin_sql(f"DROP DATABASE IF EXISTS {self.url.rsplit('/', 1)[1]}")

    return TwoMachines


def make_forgetful_machine(pg: Cluster) -> type[RuleBasedStateMachine]:
    """The same machines, with a hub that forgets: restored from a snapshot, or losing a row."""

    class ForgetfulHub(make_machine(pg)):  # type: ignore[misc,valid-type]
        @precondition(lambda self: self.snapshot is None)
        @rule()
        def take_snapshot(self) -> None:
            if pg.admin_sql("SELECT to_regclass('ally.item') IS NOT NULL", db=self.db)[0][0]:
                self.snapshot = pg.admin_sql(
                    "SELECT ref, change, digest, payload FROM ally.item", db=self.db
                )

        @precondition(lambda self: self.snapshot is not None)
        @rule()
        def restore_snapshot(self) -> None:
            """The hub put back as it was at the snapshot (its change numbers given again)."""
            assert self.snapshot is not None
            import psycopg

            with psycopg.connect(pg.admin_url(self.db)) as conn:
                conn.execute("DELETE FROM ally.item")
                with conn.cursor().copy(
                    "COPY ally.item (ref, change, digest, payload) FROM STDIN"
                ) as copy:
                    for row in self.snapshot:
                        copy.write_row(row)
            self.snapshot = None

        @rule(pick=st.integers(0, 10**6))
        def lose_row(self, pick: int) -> None:
            if not pg.admin_sql("SELECT to_regclass('ally.item') IS NOT NULL", db=self.db)[0][0]:
                return
            changes = [r[0] for r in pg.admin_sql("SELECT change FROM ally.item", db=self.db)]
            if changes:
                lost = sorted(changes)[pick % len(changes)]
                pg.admin_sql(f"DELETE FROM ally.item WHERE change = {lost}", db=self.db)

    return ForgetfulHub


@pytest.mark.slow  # many sync processes against the hub
def test_two_journals_converge_through_one_hub(pg: Cluster) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    machine = make_machine(pg)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


@pytest.mark.slow
def test_two_journals_converge_through_a_hub_that_forgets(pg: Cluster) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        make_forgetful_machine(pg),
        settings=settings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
