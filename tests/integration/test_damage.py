"""A journal whose pages rotted (bytes overwritten inside them), through the installed `ally`
executable as a person meets it: backup refuses it and records the damage, every write
(rhythm and pause included) then refuses at once and keeps its words as a draft, export
says "damaged" without echoing a stored byte, doctor tells the healthy backup from the
damaged one, `export --salvage` writes what can be read as jsonl that a new journal
imports, and restore ends it."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from .helpers import make_db, practice
from .test_never_lose_a_word import env_for, ok, run, settle

ENTRIES = 300
ROT = b"\xff\xfe" * 600  # not UTF-8, and not a valid cell either


def rot(db: Path, pages: int = 2) -> None:
    """Overwrite the middle of `pages` leaf pages of the entry table, near the table's
    middle."""
    conn = sqlite3.connect(db)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    leaves = [
        n for (n,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'entry' AND pagetype = 'leaf' ORDER BY pageno"
        )
    ]  # fmt: skip
    conn.close()
    assert len(leaves) > 10
    middle = len(leaves) // 2
    with db.open("r+b") as fh:
        for page in leaves[middle : middle + pages]:
            fh.seek((page - 1) * size + 1500)
            fh.write(ROT)


@pytest.fixture
def rotted(tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    """A journal of 300 entries, a rhythm and a pause; a healthy backup of it; then two of
    its entry pages rotted (and, newer, a copy of the rotted file among the backups)."""
    db = tmp_path / "data" / "ally.db"
    db.parent.mkdir(mode=0o700)
    make_db(db, (practice(n, note=f"entry {n} " + "x" * 200) for n in range(ENTRIES)))
    env = env_for(tmp_path, db)
    ok(run(env, "rhythm", "money", "2/week"))
    ok(run(env, "pause", "--since", "3 days ago", "--until", "yesterday"))
    healthy = Path(ok(run(env, "backup")).stdout.split(" to ")[-1].rstrip(".\n"))
    settle(db)
    rot(db)
    shutil.copy(db, db.parent / "backups" / "ally-29991231-000000.db")  # damaged, and newest
    return db, env, healthy


def one_line(result: object, code: int = 1) -> str:
    assert result.returncode == code, (result.args, result.returncode, result.stderr)  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0] and "went wrong inside" not in lines[0]
    return lines[0]


def no_stored_bytes(text: str) -> None:
    assert "\ufffd" not in text and "ÿþ" not in text and "decode" not in text.lower(), text


def test_a_rotted_journal_is_refused_recorded_salvaged_and_restored(
    rotted: tuple[Path, dict[str, str], Path], tmp_path: Path
) -> None:
    db, env, healthy = rotted
    marker = db.with_name("ally.db.damaged")
    before = db.read_bytes()

    # backup runs the full check: the damaged journal is refused, not copied as healthy
    said = one_line(run(env, "backup"))
    assert "damaged" in said and "ally doctor" in said, said
    assert marker.exists()
    assert sorted(p.name for p in (db.parent / "backups").iterdir()) == sorted(
        [healthy.name, "ally-29991231-000000.db"]
    )

    # every write refuses at once, keeping its words as a draft
    for args in (
        ["rhythm", "listening", "3/week"],
        ["pause", "--since", "today", "--until", "today", "--note", "rest words"],
        ["log", "protest", "--note", "log words"],
    ):
        said = one_line(run(env, *args))
        assert "is damaged" in said and "ally doctor" in said, (args, said)
        assert re.search(r"kept in \S+, and `ally import \S+` adds it later\.$", said), said
    assert db.read_bytes() == before  # nothing was written into it

    # export says "damaged" and echoes nothing stored
    result = run(env, "export")
    said = one_line(result)
    assert "damaged" in said, said
    no_stored_bytes(said)

    # doctor: the journal damaged; every backup checked; the newest healthy one named
    result = run(env, "doctor")
    assert result.returncode == 1
    out = result.stdout
    no_stored_bytes(out)
    assert re.search(r"!! integrity +damaged", out), out
    assert f"fix: run: ally restore {healthy} (the newest healthy backup)" in out, out
    damaged_copy = db.parent / "backups" / "ally-29991231-000000.db"
    assert re.search(rf"!! backup +{re.escape(str(damaged_copy))} is damaged", out), out
    assert re.search(rf"ok backup +{re.escape(str(healthy))} \({ENTRIES} entries\)", out), out
    assert re.search(rf"ok newest +{re.escape(str(healthy))} is the newest healthy", out), out

    # salvage: what can be read, as jsonl that a new journal imports
    salvage = tmp_path / "salvage.jsonl"
    result = run(env, "export", "--salvage", "--output", str(salvage))
    assert result.returncode == 0, result.stderr
    match = re.fullmatch(
        r"Salvaged (\d+) entries, 1 rhythm and 1 pause to (\S+); (\d+) rows? could not be read "
        r"\(damaged\)\. `ally import` reads the file into a new journal \(point ALLY_DB at a "
        r"new file, or move the damaged one aside\)\.\n",
        result.stderr,
    )
    assert match, result.stderr
    saved, unreadable = int(match.group(1)), int(match.group(3))
    assert ENTRIES // 2 < saved < ENTRIES
    assert unreadable >= 1
    lines = salvage.read_text("utf-8").splitlines()
    assert len(lines) == saved + 2
    no_stored_bytes(salvage.read_text("utf-8"))
    fresh = env_for(tmp_path, tmp_path / "fresh" / "ally.db")
    ok(run(fresh, "import", str(salvage)))
    objects = [json.loads(x) for x in ok(run(fresh, "export")).stdout.splitlines()]
    assert sorted(o["kind"] for o in objects).count("practice") == saved
    assert {o["kind"] for o in objects} == {"practice", "rhythm", "pause"}

    # restore takes the healthy backup, and the marker goes with the damage
    ok(run(env, "restore", str(healthy), "--yes"))
    assert not marker.exists()
    ok(run(env, "rhythm", "listening", "3/week"))
    assert len(ok(run(env, "export")).stdout.splitlines()) == ENTRIES + 3


def test_salvage_of_what_cannot_be_read_at_all_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "ally.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    db.chmod(0o600)
    env = env_for(tmp_path, db)
    result = run(env, "export", "--salvage")
    said = one_line(result)
    assert said.startswith(f"ally: Nothing could be salvaged from the damaged database {db}")
    assert result.stdout == ""


def test_a_clean_doctor_removes_a_marker_left_by_a_passing_fault(tmp_path: Path) -> None:
    db = tmp_path / "ally.db"
    env = env_for(tmp_path, db)
    ok(run(env, "log", "money"))
    marker = db.with_name("ally.db.damaged")
    marker.write_text("SQLite reported the file damaged\n")
    said = one_line(run(env, "log", "protest", "--note", "kept words"))
    assert "is damaged" in said
    result = ok(run(env, "doctor"))
    assert "removed" in result.stdout
    assert not marker.exists()
    ok(run(env, "log", "protest"))
