"""`ally import` merges by id (the merge rule of core/merge.py), through the command line run
in-process: merging is the app's logic, and a process would add nothing to it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.integration.helpers import ally_in_process, cli_env, ok, one_line_error
from tests.integration.helpers import export_objects as exported

ID = "0a0a0a0a-0000-4000-8000-000000000001"
OTHER = "0a0a0a0a-0000-4000-8000-000000000002"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path, tmp_path / "ally.db")


def obj(entry_id: str = ID, updated: str = "2026-11-20T09:00:00+00:00", **kw: Any) -> dict:
    base = {
        "id": entry_id, "kind": "practice", "date": "2026-11-20",
        "created_at": "2026-11-20T09:00:00+00:00", "updated_at": updated, "pillar": "action",
        "action_type": "protest", "note": "first", "minutes": None,
    }  # fmt: skip
    return base | kw


def write(path: Path, *objs: dict, prefix: bytes = b"") -> Path:
    path.write_bytes(prefix + "".join(json.dumps(o) + "\n" for o in objs).encode("utf-8"))
    return path


def test_a_later_version_wins_and_an_earlier_one_does_not(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok(ally_in_process(env, "import", str(write(tmp_path / "a.jsonl", obj()))))
    later = obj(updated="2026-11-20T12:00:00+02:00", note="second")  # 10:00Z: later
    earlier = obj(updated="2026-11-20T10:30:00+02:00", note="older")  # 08:30Z: earlier
    out = ok(
        ally_in_process(env, "import", str(write(tmp_path / "b.jsonl", later, obj(OTHER))))
    ).stdout
    assert out == (
        f"Imported 1 entry from {tmp_path / 'b.jsonl'}; 1 updated, 0 already present, "
        "0 kept in a conflict.\n"
    )
    assert exported(env, ally_in_process)[0]["note"] == "second"
    out = ok(ally_in_process(env, "import", str(write(tmp_path / "c.jsonl", earlier)))).stdout
    assert "Imported 0 entries" in out and "0 updated, 1 already present" in out
    assert exported(env, ally_in_process)[0]["note"] == "second"


def test_equal_times_with_different_content_is_a_conflict_settled_the_same_everywhere(
    env: dict[str, str], tmp_path: Path
) -> None:
    a, b = obj(note="apple"), obj(note="banana")  # canonical JSON: "banana" sorts last
    other = cli_env(tmp_path / "2", tmp_path / "other.db")
    ok(ally_in_process(env, "import", str(write(tmp_path / "a.jsonl", a))))
    ok(ally_in_process(other, "import", str(write(tmp_path / "b.jsonl", b))))
    out = ok(ally_in_process(env, "import", str(tmp_path / "b.jsonl"))).stdout
    assert out.endswith("0 updated, 0 already present, 1 kept in a conflict.\n")
    out = ok(ally_in_process(other, "import", str(tmp_path / "a.jsonl"))).stdout
    assert out.endswith("0 updated, 0 already present, 1 kept in a conflict.\n")
    assert exported(env, ally_in_process) == exported(other, ally_in_process)
    assert exported(env, ally_in_process)[0]["note"] == "banana"


def test_a_deleted_entry_is_not_brought_back_by_an_older_version(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok(ally_in_process(env, "log", "money", "--note", "to delete"))
    dump = tmp_path / "dump.jsonl"
    ok(ally_in_process(env, "export", "--output", str(dump)))
    entry = json.loads(dump.read_text())["id"]
    ok(ally_in_process(env, "delete", entry, "--yes"))
    out = ok(ally_in_process(env, "import", str(dump))).stdout
    assert out.startswith("Imported 0 entries")
    assert "1 left out (deleted here later)" in out
    assert exported(env, ally_in_process) == []
    newer = json.loads(dump.read_text()) | {"updated_at": "2999-01-01T00:00:00+00:00"}
    out = ok(ally_in_process(env, "import", str(write(tmp_path / "n.jsonl", newer)))).stdout
    assert out.startswith("Imported 1 entry")  # edited elsewhere after the delete
    assert [o["id"] for o in exported(env, ally_in_process)] == [entry]


def test_dry_run_says_what_would_happen_and_changes_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok(ally_in_process(env, "import", str(write(tmp_path / "a.jsonl", obj()))))
    db = tmp_path / "ally.db"
    before = db.read_bytes()
    file = write(tmp_path / "b.jsonl", obj(updated="2026-11-21T09:00:00+00:00"), obj(OTHER))
    out = ok(ally_in_process(env, "import", "--dry-run", str(file))).stdout
    assert out == (
        f"An import of {file} would add 1 entry; 1 updated, 0 already present, "
        "0 kept in a conflict. Nothing was changed (--dry-run).\n"
    )
    assert db.read_bytes() == before
    assert len(exported(env, ally_in_process)) == 1


def test_standard_input_and_a_byte_order_mark(env: dict[str, str], tmp_path: Path) -> None:
    data = write(tmp_path / "bom.jsonl", obj(), prefix=b"\xef\xbb\xbf").read_bytes()
    out = ok(ally_in_process(env, "import", "-", input=data)).stdout
    assert out.startswith("Imported 1 entry from standard input;")
    out = ok(ally_in_process(env, "import", str(tmp_path / "bom.jsonl"))).stdout
    assert "1 already present" in out


def test_a_csv_export_is_refused_saying_what_import_reads(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok(ally_in_process(env, "log", "money"))
    csv = tmp_path / "x.csv"
    ok(ally_in_process(env, "export", "--format", "csv", "--output", str(csv)))
    line = one_line_error(ally_in_process(env, "import", str(csv)))
    assert line == (
        f"ally: {csv} is not jsonl (line 1 is not a JSON object): import reads what "
        "`ally export --format jsonl` writes, one JSON object a line, and not csv or md; "
        "nothing was imported."
    )


def test_dates_up_to_tomorrow_are_taken_and_later_ones_refused(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Regression: import accepted "date": "9999-12-31"."""
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    ok(ally_in_process(env, "import", str(write(tmp_path / "t.jsonl", obj(date=tomorrow)))))
    far = write(tmp_path / "f.jsonl", obj(OTHER), obj(OTHER[:-1] + "3", date="9999-12-31"))
    line = one_line_error(ally_in_process(env, "import", str(far)))
    assert line.startswith(f"ally: {far}, line 2: 'date' 9999-12-31 is later than tomorrow")
    assert [o["date"] for o in exported(env, ally_in_process)] == [tomorrow]


def test_an_update_by_import_leaves_no_copy_of_the_old_text(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok(ally_in_process(env, "import", str(write(tmp_path / "a.jsonl", obj(note="Quixotically")))))
    later = obj(updated="2026-11-21T09:00:00+00:00", note="plain")
    ok(ally_in_process(env, "import", str(write(tmp_path / "b.jsonl", later))))
    db = tmp_path / "ally.db"
    for path in (db, db.with_name("ally.db-wal"), db.with_name("ally.db-shm")):
        if path.exists():
            data = path.read_bytes()
            assert b"Quixotically" not in data and b"quixotically" not in data, path.name
