"""A backup is whole or absent: through the installed `ally` executable, strace fails each
unlink, fsync, fdatasync and link of `ally backup` in turn. Whatever ally then says, a
backup it reports opens read-write in Python's sqlite3 (any SQLite client) with every row,
and nothing else is left in the backups folder: no rollback journal, no half copy."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from .test_never_lose_a_word import INSIDE, env_for, main_pid_calls, needs_strace, ok, run

BACKED_UP = re.compile(r"Backed up (\S+) \((\d+) entries?[^)]*\) to (\S+)\.")


def journal(tmp_path: Path, entries: int = 3) -> tuple[Path, dict[str, str]]:
    db = tmp_path / "data" / "ally.db"
    env = env_for(tmp_path, db)
    for n in range(entries):
        ok(run(env, "log", "money", "--note", f"backed up {n}"))
    ok(run(env, "rhythm", "money", "2/week"))
    return db, env


def opened_read_write(copy: Path) -> int:
    """Open the copy as any SQLite client would (read-write, rolling back a hot journal
    if one is beside it), and count its entries."""
    conn = sqlite3.connect(copy)
    try:
        assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
        return int(conn.execute("SELECT count(*) FROM entry").fetchone()[0])
    finally:
        conn.close()


def judge(folder: Path, result: subprocess.CompletedProcess[str], made: set[str],
          trial: object) -> str:  # fmt: skip
    where = (trial, result.returncode, result.stderr)
    assert INSIDE not in result.stderr, where
    assert "Traceback" not in result.stderr, where
    names = {p.name for p in folder.iterdir()} if folder.exists() else set()
    new = names - made
    if result.returncode == 0:
        match = BACKED_UP.search(result.stdout)
        assert match, where
        copy = Path(match.group(3))
        assert new == {copy.name}, (where, new)  # the copy, and nothing beside it
        assert opened_read_write(copy) == int(match.group(2)) == 3, where
        made.add(copy.name)
        return "backed up"
    assert result.returncode == 1, where
    lines = result.stderr.splitlines()
    assert len(lines) == 1, where
    assert re.fullmatch(r"ally: The backup \S+/backups/ally-\S+\.db could not be written.*"
                        r"; no backup was made\.", lines[0]), where  # fmt: skip
    assert new == set(), (where, new)
    return "refused"


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("syscall", ["unlink", "fsync", "fdatasync", "link"])
def test_every_failing_call_of_a_backup_leaves_a_whole_copy_or_none(
    tmp_path: Path, syscall: str
) -> None:
    db, env = journal(tmp_path)
    folder = db.parent / "backups"
    log = tmp_path / "backup.trace"
    ok(run(env, "backup", prefix=("strace", "-f", "-qq", "-o", str(log), "-e", f"trace={syscall}")))
    calls = len(main_pid_calls(log, syscall))
    assert calls >= 1
    made = {p.name for p in folder.iterdir()}
    outcomes: dict[str, int] = {}
    errors = ["EACCES", "EIO", "EROFS"] if syscall == "unlink" else ["EIO"]
    for n in range(1, calls + 1):
        for error in errors:
            inject = ("strace", "-f", "-qq", "-o", str(log), "-e", f"trace={syscall}",
                      "-e", f"inject={syscall}:error={error}:when={n}")  # fmt: skip
            result = run(env, "backup", prefix=inject)
            outcome = judge(folder, result, made, (syscall, n, error))
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes.get("backed up", 0) + outcomes.get("refused", 0) == calls * len(errors)


@needs_strace
def test_a_rollback_journal_that_cannot_be_removed_is_a_failed_backup(tmp_path: Path) -> None:
    """The copy's rollback journal cannot be removed: a reported backup would be rolled back
    to nothing by the first read-write open, so no backup is reported, and none is left."""
    db, env = journal(tmp_path)
    folder = db.parent / "backups"
    inject = ("strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=unlink",
              "-e", "inject=unlink:error=EACCES:when=1")  # fmt: skip
    result = run(env, "backup", prefix=inject)
    assert judge(folder, result, set(), "first unlink") == "refused"
    ok(run(env, "backup"))  # and the next one works
    (copy,) = folder.iterdir()
    assert opened_read_write(copy) == 3


def test_a_backup_is_in_delete_mode_and_names_what_it_holds(tmp_path: Path) -> None:
    db, env = journal(tmp_path)
    out = tmp_path / "copy.db"
    result = ok(run(env, "backup", "--output", str(out)))
    assert result.stdout == f"Backed up {db} (3 entries, 1 rhythm and 0 pauses) to {out}.\n"
    conn = sqlite3.connect(out.resolve().as_uri() + "?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("copy", "."))) == [
        "copy.db"
    ]
    taken = one_more = run(env, "backup", "--output", str(out))
    assert taken.returncode == 1
    assert one_more.stderr == f"ally: {out} already exists; choose a new file for the backup.\n"
