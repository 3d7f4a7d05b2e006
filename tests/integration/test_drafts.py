"""Drafts that always land somewhere, and a busy database that says it is waiting.

Real processes on real files: a read-only folder (as root, without the capabilities that let
root ignore file modes), a full tmpfs, a file-size limit, a held write lock.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import (
    ALLY,
    ally,
    cli_env,
    ended_within,
    export_objects,
    mode,
    modes_are_enforced,
    ok,
    one_line_error,
    reaped,
    started,
    without_root_override,
    write_lock_held,
)
from .test_faults import file_size_limit

KEPT = re.compile(r"ally: (.*); your entry was kept in (\S+), and `ally import \2` adds it later\.")
READ_ONLY = (
    "The database {db} is read-only; reading commands still work, but to record anything "
    "make the file and its folder writable"
)
FULL = (  # the file system says it is full: the plain cause, not a guess
    "The database {db} could not be written: the disk is full. Free some space and try again; "
    "earlier entries are intact"
)
IO_ERROR = (  # a file-size limit reaches SQLite as a disk I/O error
    "The database {db} could not be written or read: the system reported an input/output "
    "error, which happens when the disk is full, the file reaches a size limit, or the disk or "
    "network folder fails. Free some space or check the disk, then try again; `ally doctor` "
    "checks the file"
)
ON_STDOUT = (
    "; no draft could be written anywhere, so your entry is printed on standard output as "
    "jsonl, and `ally import -` reads it back."
)


def kept(result: subprocess.CompletedProcess[str]) -> tuple[str, Path]:
    """The refusal and the draft a refused `ally log` named; the draft checked private."""
    line = one_line_error(result)
    match = KEPT.fullmatch(line)
    assert match, line
    draft = Path(match.group(2))
    assert draft.is_file()
    assert mode(draft) == 0o600
    assert mode(draft.parent) == 0o700
    return match.group(1), draft


def read_only_setup(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    if not modes_are_enforced(tmp_path / "probe"):
        pytest.skip("cannot drop root's file-mode override here, so read-only is not real")
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = folder / "ally.db"
    env = cli_env(tmp_path, db)
    ok(ally(env, "log", "voting", "--note", "earlier"))
    for side in ("-wal", "-shm"):
        db.with_name(db.name + side).unlink(missing_ok=True)
    return db, env


def run_limited(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return ally(env, *args, preexec_fn=without_root_override)


@pytest.mark.slow
def test_a_read_only_folder_keeps_the_draft_in_the_state_folder_and_import_removes_it(
    tmp_path: Path,
) -> None:
    db, env = read_only_setup(tmp_path)
    db.parent.chmod(0o500)
    try:
        said, draft = kept(run_limited(env, "log", "protest", "--note", "kept-7731"))
        assert said == READ_ONLY.format(db=db)
        assert draft.parent == tmp_path / "home" / "state" / "ally" / "drafts"
        [obj] = [json.loads(x) for x in draft.read_text(encoding="utf-8").splitlines()]
        assert (obj["kind"], obj["action_type"], obj["note"]) == (
            "practice",
            "protest",
            "kept-7731",
        )

        doctor = run_limited(env, "doctor")
        # a waiting draft is only said (no "ok" mark): the detail follows the name
        waiting = [ln for ln in doctor.stdout.splitlines() if ln.startswith("   draft")]
        assert [ln.split(None, 1)[1] for ln in waiting] == [
            f"{draft} waits to be added: run `ally import {draft}`"
        ]
    finally:
        db.parent.chmod(0o700)

    copy = tmp_path / draft.name  # a copy elsewhere is the person's own: import keeps it
    shutil.copy(draft, copy)
    imported = ok(ally(env, "import", str(draft)))
    assert imported.stdout.splitlines() == [
        f"Imported 1 entry from {draft}; 0 updated, 0 already present, 0 kept in a conflict.",
        f"The draft {draft} was removed: what it kept is in the journal now.",
    ]
    assert not draft.exists()
    assert sorted(e["note"] for e in export_objects(env)) == ["earlier", "kept-7731"]
    assert ok(ally(env, "import", str(copy))).stdout.splitlines() == [
        f"Imported 0 entries from {copy}; 0 updated, 1 already present, 0 kept in a conflict."
    ]
    assert copy.exists()
    assert "draft" not in ok(ally(env, "doctor")).stdout


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs of its own, so that a full disk is a real full disk."""
    disk = tmp_path / "disk"
    disk.mkdir(mode=0o700)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (it needs root and CAP_SYS_ADMIN)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> None:
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


@pytest.mark.slow
def test_a_full_disk_keeps_the_draft_on_another_disk(tmp_path: Path, small_disk: Path) -> None:
    db = small_disk / "ally.db"
    env = cli_env(tmp_path, db)
    for n in range(3):
        ok(ally(env, "log", "money", "--note", f"earlier {n}"))
    ok(ally(env, "list"))
    fill(small_disk)
    note = "a long note " * 20_000  # 240 KB: it needs new pages

    said, draft = kept(ally(env, "log", "advocacy", "--note", "-", input=note))
    assert said == FULL.format(db=db)
    assert draft.parent == tmp_path / "home" / "state" / "ally" / "drafts"
    assert not (small_disk / "drafts").exists() or not list((small_disk / "drafts").iterdir())
    [obj] = [json.loads(x) for x in draft.read_text(encoding="utf-8").splitlines()]
    assert obj["note"] == note

    (small_disk / "filler").unlink()
    ok(ally(env, "import", str(draft)))
    assert not draft.exists()
    notes = [e["note"] for e in export_objects(env)]
    assert sorted(notes) == sorted([*(f"earlier {n}" for n in range(3)), note])


@pytest.mark.slow
def test_when_no_draft_can_be_written_the_entry_goes_to_standard_output(tmp_path: Path) -> None:
    """Files capped at 1 MB and a 2 MB note: the database, every drafts folder refuse it."""
    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db)
    ok(ally(env, "log", "money", "--note", "earlier"))
    note = "n" * 2_000_000
    result = ally(
        env, "log", "advocacy", "--note", "-", input=note, preexec_fn=file_size_limit(1_000_000)
    )
    line = one_line_error(result)
    assert line == "ally: " + IO_ERROR.format(db=db) + ON_STDOUT
    [obj] = [json.loads(x) for x in result.stdout.splitlines()]
    assert (obj["kind"], obj["action_type"], obj["note"]) == ("practice", "advocacy", note)
    drafts = [
        tmp_path / "drafts",
        tmp_path / "home" / "state" / "ally" / "drafts",
        tmp_path / f"ally-{os.getuid()}",
    ]
    assert [p for folder in drafts if folder.exists() for p in folder.iterdir()] == []

    back = tmp_path / "back.jsonl"
    back.write_text(result.stdout, encoding="utf-8")
    ok(ally(env, "import", str(back)))
    assert sorted(e["note"] for e in export_objects(env)) == sorted(["earlier", note])


@pytest.mark.slow
@pytest.mark.parametrize("tmp_state", ["absent", "shared-mode", "a-link"])
def test_the_temp_folder_is_the_last_place_and_only_when_private(
    tmp_path: Path, tmp_state: str
) -> None:
    db, env = read_only_setup(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    env["XDG_STATE_HOME"] = str(locked / "state")  # cannot be created
    spare = tmp_path / f"ally-{os.getuid()}"
    if tmp_state == "shared-mode":
        spare.mkdir(mode=0o755)
        spare.chmod(0o755)
    elif tmp_state == "a-link":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        spare.symlink_to(tmp_path / "elsewhere")
    db.parent.chmod(0o500)
    try:
        result = run_limited(env, "log", "protest", "--note", "kept-5120")
    finally:
        db.parent.chmod(0o700)
        locked.chmod(0o700)
    if tmp_state == "absent":
        said, draft = kept(result)
        assert said == READ_ONLY.format(db=db)
        assert draft.parent == spare
        assert result.stdout == ""
    else:
        assert one_line_error(result) == "ally: " + READ_ONLY.format(db=db) + ON_STDOUT
        [obj] = [json.loads(x) for x in result.stdout.splitlines()]
        assert obj["note"] == "kept-5120"
        assert [p.name for p in spare.iterdir()] == []  # for a link: nothing where it points


# -- a busy database says so -----------------------------------------------------------------

WAITING = "ally: another program is using the database; waiting for it to finish..."


@pytest.mark.slow
def test_a_wait_for_a_busy_database_is_said_after_a_second(tmp_path: Path) -> None:
    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db, ALLY_BUSY_TIMEOUT="30")
    ok(ally(env, "log", "listening", "--note", "first"))
    with write_lock_held(db):
        proc = started([*ALLY, "log", "protest", "--note", "second"], env)
        assert proc.stderr is not None
        said = proc.stderr.readline()  # said while the lock is held, however slow the start
        assert proc.poll() is None  # still waiting for the lock
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert [said.rstrip("\n"), *err.splitlines()] == [WAITING]
    assert out.startswith("Logged protest (action)")
    assert sorted(e["note"] for e in export_objects(env)) == ["first", "second"]


@pytest.mark.slow
def test_a_quick_write_says_nothing_about_waiting(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    result = ok(ally(env, "log", "protest"))
    assert result.stderr == ""


@pytest.mark.slow
def test_ctrl_c_while_waiting_keeps_the_entry_as_a_draft(tmp_path: Path) -> None:
    """Told that ally waits, a person may press Ctrl-C: what they wrote is kept all the same."""
    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db, ALLY_BUSY_TIMEOUT="600", PYTHONFAULTHANDLER="1")
    ok(ally(env, "log", "listening", "--note", "first"))
    with write_lock_held(db), reaped([]) as procs:
        proc = started([*ALLY, "log", "protest", "--note", "typed-4410"], env)
        procs.append(proc)
        assert proc.stderr is not None
        assert proc.stderr.readline() == WAITING + "\n"
        proc.send_signal(signal.SIGINT)
        # Ctrl-C takes effect, not after the 600 s the lock would still be waited for
        out, err = ended_within(proc, 120)
    assert (proc.returncode, out) == (130, "")
    match = re.fullmatch(
        r"ally: Stopped; your entry was kept in (\S+), and `ally import \1` adds it later\.\n", err
    )
    assert match, err
    draft = Path(match.group(1))
    assert (draft.parent, mode(draft)) == (tmp_path / "drafts", 0o600)
    [obj] = [json.loads(x) for x in draft.read_text(encoding="utf-8").splitlines()]
    assert obj["note"] == "typed-4410"
    assert [e["note"] for e in export_objects(env)] == ["first"]
