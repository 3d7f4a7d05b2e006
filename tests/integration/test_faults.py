"""Faults with real processes on real SQLite files: concurrent writers, a held lock, kill -9,
a full disk, damaged and foreign files, a read-only database, and privacy of every file.

Each test runs `python -m allycli` (or allycli.cli.main inside a worker process) against its
own database under tmp_path; nothing is mocked.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from allycli.store.database import APP_ID, SCHEMA_VERSION

from .helpers import (
    ALLY,
    ally,
    another_process,
    cli_env,
    export_jsonl,
    export_objects,
    integrity,
    make_db,
    mode,
    modes_are_enforced,
    ok,
    one_line_error,
    practice,
    reaped,
    sha256,
    stored_notes,
    without_root_override,
    write_lock_held,
)


def umask_022() -> None:
    os.umask(0o022)


def refused(line: str, message: str, command: str) -> None:
    """`log` keeps its entry as a draft and says where; other commands say just the message."""
    if command == "log":
        assert line.startswith(message.rstrip(".") + "; your entry was kept in "), line
        kept = re.fullmatch(r".*; your entry was kept in (\S+), and `ally import \1` adds it "
                            r"later\.", line)  # fmt: skip
        assert kept, line
        draft = Path(kept.group(1))
        assert draft.is_file()
        assert mode(draft) == 0o600
    else:
        assert line == message


# -- 1. concurrent writers --------------------------------------------------------------------

WRITER = r"""
import sys
from allycli.cli.app import main
# imported before the start signal
import allycli.journal.practice, allycli.render.messages, allycli.store.database

worker, count = int(sys.argv[1]), int(sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
refused = []
for j in range(count):
    sys.argv = ["ally", "log", "protest", "--note", f"w{worker}-{j}"]
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            refused.append(f"w{worker}-{j}")
sys.stderr.write(" ".join(refused))
sys.exit(1 if refused else 0)
"""


@pytest.mark.slow
def test_eight_writers_two_hundred_logs_each_every_entry_once(tmp_path: Path) -> None:
    """8 worker processes, released together, each running `ally log` 200 times.

    A `python -m allycli log` process start costs ~0.2 s (400 of them took ~50 s on 2 cores),
    so each worker runs the CLI's own entry point in a loop: every call opens its own
    connections, takes the write lock with BEGIN IMMEDIATE and commits, as a separate
    `ally log` does. 1,600 writes take a few seconds.
    """
    writers, each = 8, 200
    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w), str(each)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(writers)
    ]
    with reaped(procs):
        for p in procs:
            assert p.stdout is not None and p.stdout.readline() == "ready\n"
        for p in procs:  # release them together, on a database that does not exist yet
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        results = [p.communicate(timeout=900) for p in procs]  # a ceiling, loaded machine
    waiting = "ally: another program is using the database; waiting for it to finish..."
    assert [
        (p.returncode, [ln for ln in err.splitlines() if ln != waiting])
        for p, (_, err) in zip(procs, results, strict=True)
    ] == [(0, [])] * writers  # a wait of over a second is said, and is no refusal
    for out, _ in results:
        assert out.count("Logged protest (action)") == each

    notes = Counter(e["note"] for e in export_objects(env))
    assert notes == Counter({f"w{w}-{j}": 1 for w in range(writers) for j in range(each)})
    assert integrity(db) == ["ok"]


# -- 2. a lock held past the timeout ------------------------------------------------------------


@pytest.mark.slow
def test_a_lock_held_past_the_timeout_keeps_the_entry_as_a_private_draft(tmp_path: Path) -> None:
    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db, ALLY_BUSY_TIMEOUT="2")
    ok(ally(env, "log", "listening", "--note", "before the lock"))
    before = export_jsonl(env)
    assert len(before) == 1

    with write_lock_held(db):
        started = time.monotonic()
        result = ally(env, "log", "protest", "--note", "secret-text", preexec_fn=umask_022)
        waited = time.monotonic() - started
        assert export_jsonl(env) == before  # readers are not blocked, and see no new row
    assert waited >= 2.0  # it waited its busy timeout out before giving up

    waiting, line = result.stderr.splitlines()  # after a second it says it is waiting
    assert waiting == "ally: another program is using the database; waiting for it to finish..."
    assert result.returncode == 1
    assert "secret-text" not in result.stderr
    assert result.stdout == ""
    match = re.fullmatch(r".*kept in (\S+/drafts/draft-([0-9a-f-]{36})\.jsonl),.*", line)
    assert match, line
    draft, entry_id = Path(match.group(1)), match.group(2)
    assert line == (
        f"ally: The database {db} stayed locked by another program for too long; nothing was "
        f"saved. Try again in a moment; your entry was kept in {draft}, and "
        f"`ally import {draft}` adds it later."
    )
    assert draft.parent == tmp_path / "drafts"
    assert mode(draft) == 0o600
    assert mode(draft.parent) == 0o700
    [kept] = draft.read_text(encoding="utf-8").splitlines()
    obj = json.loads(kept)
    assert (obj["id"], obj["kind"], obj["pillar"], obj["action_type"], obj["note"]) == (
        entry_id,
        "practice",
        "action",
        "protest",
        "secret-text",
    )

    assert export_jsonl(env) == before  # the lock is gone: still no ghost row
    assert stored_notes(db) == ["before the lock"]
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(draft.read_bytes())
    ok(ally(env, "import", str(draft)))
    assert not draft.exists()  # imported from ally's drafts folder: removed
    assert sorted(export_jsonl(env)) == sorted([*before, kept])  # same second: order by id
    ok(ally(env, "import", str(copy)))  # a second import adds nothing
    assert sorted(export_jsonl(env)) == sorted([*before, kept])
    assert integrity(db) == ["ok"]


# -- 3. kill -9 at random moments ----------------------------------------------------------------


def _has_open(pid: int, db: Path) -> bool:
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == os.path.realpath(db):
                    return True
    except OSError:
        pass
    return False


def _log_and_kill(env: dict[str, str], db: Path, note: str, how: str, delay: float) -> int:
    """Start `ally log`; SIGKILL it `delay` seconds after it starts ("clock") or after it
    opens the database ("open"), unless it has exited by then. Returns its exit status."""
    proc = subprocess.Popen(
        [*ALLY, "log", "protest", "--note", note],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    started = time.monotonic()
    if how == "open":
        while proc.poll() is None and not _has_open(proc.pid, db):
            if time.monotonic() - started > 20:
                break
            time.sleep(0.0005)
        started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < delay:
        time.sleep(0.001)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, -signal.SIGKILL), (note, proc.returncode, err)
    return proc.returncode


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_no_acknowledged_entry(tmp_path: Path) -> None:
    """60 trials; in each, two `ally log` run at once and are killed at seeded random
    moments: one on the clock (from start-up to the end), one just after it opens the
    database (in the middle of its transaction and commit)."""
    rng = random.Random(20261125)
    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db)
    durations = []
    for n in range(3):  # how long one `ally log` takes here
        started = time.monotonic()
        ok(ally(env, "log", "listening", "--note", f"calibration {n}"))
        durations.append(time.monotonic() - started)
    typical = sorted(durations)[1]
    acknowledged = {f"calibration {n}" for n in range(3)}
    killed = present_though_killed = 0

    trials = 60
    with ThreadPoolExecutor(max_workers=2) as pool:
        for trial in range(trials):
            plan = [
                (f"t{trial}-clock", "clock", rng.uniform(0.3, 1.5) * typical),
                (f"t{trial}-open", "open", rng.uniform(0.0, 0.004)),
            ]
            codes = list(pool.map(lambda p: _log_and_kill(env, db, *p), plan))
            assert integrity(db) == ["ok"], trial
            notes = Counter(stored_notes(db))
            for (note, _, _), code in zip(plan, codes, strict=True):
                if code == 0:
                    acknowledged.add(note)
                else:
                    killed += 1
                    present_though_killed += notes[note]
            assert acknowledged <= set(notes), (trial, acknowledged - set(notes))
            assert max(notes.values()) == 1, trial

    exported = Counter(e["note"] for e in export_objects(env))
    assert all(exported[note] == 1 for note in acknowledged)
    assert max(exported.values()) == 1
    assert len(exported) == len(acknowledged) + present_though_killed
    assert killed >= trials // 2  # the test killed processes, not only watched them exit
    print(
        f"\nkill -9: {trials} trials, {2 * trials} processes, {killed} killed "
        f"({present_though_killed} of those had committed), {len(acknowledged)} acknowledged, "
        f"0 lost, integrity ok after every trial"
    )


@pytest.mark.slow
def test_kill_9_while_ally_creates_the_database_leaves_a_usable_file(tmp_path: Path) -> None:
    """The first `ally log` creates the file, the schema and WAL mode; killed in the middle
    of that, the next `ally log` must find a database it can use, as if nothing happened."""
    rng = random.Random(7)
    modes = Counter()
    for trial in range(24):
        db = tmp_path / f"trial{trial}" / "ally.db"
        env = cli_env(tmp_path, db)
        code = _log_and_kill(env, db, "first", "open", rng.uniform(0.0, 0.004))
        ok(ally(env, "log", "protest", "--note", "second"))
        notes = Counter(stored_notes(db))
        assert notes["second"] == 1
        assert notes["first"] == (1 if code == 0 else notes["first"]) <= 1
        assert integrity(db) == ["ok"]
        conn = sqlite3.connect(db)
        version, app_id, journal = (
            conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("user_version", "application_id", "journal_mode")
        )
        conn.close()
        assert (version, app_id) == (SCHEMA_VERSION, APP_ID)
        modes[journal] += 1
    assert modes == Counter({"wal": 24})


# -- 4. disk full ----------------------------------------------------------------------------------


def file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.fixture
def full_disk(tmp_path: Path) -> tuple[Path, dict[str, str], list[str]]:
    """A database with three entries, and `ally log` of a 2 MB note with files capped at 1 MB."""
    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db)
    for n in range(3):
        ok(ally(env, "log", "money", "--note", f"earlier {n}"))
    return db, env, export_jsonl(env)


def _log_big_note(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return ally(
        env, "log", "advocacy", "--note", "-", input="n" * 2_000_000,
        preexec_fn=file_size_limit(1_000_000),
    )  # fmt: skip


@pytest.mark.slow
def test_a_full_disk_refuses_clearly_and_keeps_earlier_entries(
    full_disk: tuple[Path, dict[str, str], list[str]],
) -> None:
    db, env, before = full_disk
    result = _log_big_note(env)
    assert one_line_error(result) == (  # a file-size limit reaches SQLite as a disk I/O error
        f"ally: The database {db} could not be written or read: the system reported an "
        "input/output error, which happens when the disk is full, the file reaches a size limit, "
        "or the disk or network folder fails. Free some space or check the disk, then try again; "
        "`ally doctor` checks the file; no draft could be written anywhere, so your entry is "
        "printed on standard output as jsonl, and `ally import -` reads it back."
    )  # every file is capped here, drafts too: test_drafts.py has a full disk of its own
    assert export_jsonl(env) == before
    assert integrity(db) == ["ok"]
    ok(ally(env, "log", "money", "--note", "after"))  # room again: ally works as before
    after = export_jsonl(env)
    assert [line for line in after if line in before] == before
    assert len(after) == 4


@pytest.mark.slow
def test_a_full_disk_leaves_no_partial_draft(
    full_disk: tuple[Path, dict[str, str], list[str]],
) -> None:
    db, env, _ = full_disk
    line = one_line_error(_log_big_note(env))
    named = set(re.findall(r"kept in (\S+),", line))
    drafts = db.parent / "drafts"
    found = {str(p) for p in drafts.iterdir()} if drafts.exists() else set()
    assert found == named


# -- 5. damaged files and files that are not ally databases ----------------------------------------

DAMAGED = (
    "The database {db} is damaged, so nothing was written to it. Run `ally doctor`: it names "
    "the newest healthy backup to restore, and `ally export --salvage` saves what can still be "
    "read."
)
NOT_SQLITE = (
    "{db} is not an ally database (it is not a SQLite file); point ALLY_DB at another file "
    "or move this one aside."
)
FOREIGN = (
    "{db} is a SQLite database that ally did not create; point ALLY_DB at another file or "
    "move this one aside."
)


def _real_db(db: Path) -> None:
    make_db(db, (practice(n, note=f"entry {n} " + "x" * 200) for n in range(300)))
    db.chmod(0o600)


def _truncated_mid_page(db: Path, rng: random.Random) -> None:
    _real_db(db)
    size = db.stat().st_size
    with db.open("r+b") as fh:
        fh.truncate(size - 2 * 4096 - 1000)


def _roots_overwritten(db: Path, rng: random.Random) -> None:
    _real_db(db)
    conn = sqlite3.connect(db)
    roots = [
        r
        for (r,) in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE rootpage > 1 AND tbl_name = 'entry'"
        )
    ]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(roots) == 8  # the entry table, its primary key and six indexes
    with db.open("r+b") as fh:
        for root in roots:
            fh.seek((root - 1) * page)
            fh.write(rng.randbytes(page))


def _header_then_noise(db: Path, rng: random.Random) -> None:
    db.write_bytes(b"SQLite format 3\x00" + rng.randbytes(3 * 4096 - 16))


def _text(db: Path, rng: random.Random) -> None:
    words = ["practice", "listening", "learning", "yielding", "notes", "\n"]
    db.write_text(" ".join(rng.choice(words) for _ in range(2000)), encoding="utf-8")


def _foreign(db: Path, rng: random.Random) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('bread')")
    conn.commit()
    conn.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_truncated_mid_page, DAMAGED),
        (_roots_overwritten, DAMAGED),
        (_header_then_noise, DAMAGED),
        (_text, NOT_SQLITE),
        (_foreign, FOREIGN),
    ],
    ids=["truncated", "roots-overwritten", "header-then-noise", "text", "foreign-sqlite"],
)
def test_a_damaged_or_foreign_file_is_refused_and_left_as_it_is(
    tmp_path: Path, damage: Callable[[Path, random.Random], None], message: str
) -> None:
    db = tmp_path / "ally.db"
    damage(db, random.Random(3))
    db.chmod(0o600)
    digest = sha256(db)
    env = cli_env(tmp_path, db)
    commands = {
        "log": ["log", "protest", "--note", "private words"],
        "list": ["list"],
        "report": ["report"],
        "export": ["export"],
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(
            zip(commands, pool.map(lambda c: ally(env, *c), commands.values()), strict=True)
        )
    expected = "ally: " + message.format(db=db)
    for command, result in results.items():
        line = one_line_error(result)
        refused(line, expected, command)
        assert "private words" not in line
        assert result.stdout == ""
    assert sha256(db) == digest
    assert not list(tmp_path.glob("*.bak"))


# -- 6. a read-only database --------------------------------------------------------------------

READ_ONLY = (
    "ally: The database {db} is read-only; reading commands still work, but to record "
    "anything make the file and its folder writable."
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("folder_writable", "side_files"),
    [(True, False), (False, True), (False, False)],
    ids=["file-0400", "folder-0500-with-wal-files", "folder-0500-file-alone"],
)
def test_a_read_only_database_still_reads_and_refuses_writes_clearly(
    tmp_path: Path, folder_writable: bool, side_files: bool
) -> None:
    """As root, the commands run without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so the
    kernel enforces the file modes on root as it does on the owner of the file."""
    if not modes_are_enforced(tmp_path / "probe"):
        pytest.skip("cannot drop root's file-mode override here, so read-only is not real")
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = folder / "ally.db"
    env = cli_env(tmp_path, db)
    for n in range(4):
        ok(ally(env, "log", "voting", "--note", f"read me {n}"))
    before = export_jsonl(env)  # a reader: it leaves -wal and -shm beside the database
    if not side_files:
        for side in ("-wal", "-shm"):
            db.with_name(db.name + side).unlink()
    db.chmod(0o400)
    if not folder_writable:
        folder.chmod(0o500)
    digest = sha256(db)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return ally(env, *args, preexec_fn=without_root_override)

    try:
        assert ok(run("export")).stdout.splitlines() == before
        listed = json.loads(ok(run("list", "--json")).stdout)
        assert sorted(e["note"] for e in listed) == [f"read me {n}" for n in range(4)]
        report = json.loads(ok(run("report", "--json")).stdout)
        assert (report["entries"], report["by_action_type"]["voting"]) == (4, 4)

        result = run("log", "protest", "--note", "not stored")
        line = one_line_error(result)
        refused(line, READ_ONLY.format(db=db), "log")
        drafts = db.parent if folder_writable else tmp_path / "home" / "state" / "ally"
        assert f"kept in {drafts / 'drafts'}/draft-" in line, line
        assert "not stored" not in result.stderr
    finally:
        folder.chmod(0o700)
    assert sha256(db) == digest
    assert export_jsonl(env) == before


# -- 7. privacy ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_file_and_folder_ally_creates_is_private(tmp_path: Path) -> None:
    root = tmp_path / "made"  # ally creates this folder and everything below it
    db = root / "by" / "ally" / "ally.db"
    env = cli_env(tmp_path, db)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return ok(ally(env, *args, preexec_fn=umask_022))

    run("log", "protest", "--note", "private")
    run("list")  # a reader leaves -wal and -shm behind
    run("backup")
    run("backup", "--output", str(root / "by" / "copy.db"))
    for fmt in ("jsonl", "csv", "md"):
        run("export", "--format", fmt, "--output", str(root / f"export.{fmt}"))

    made = {p.relative_to(root).as_posix(): mode(p) for p in [root, *root.rglob("*")]}
    [backup] = [name for name in made if name.startswith("by/ally/backups/")]
    assert re.fullmatch(r"by/ally/backups/ally-\d{8}-\d{6}\.db", backup)
    assert made == {
        ".": 0o700,
        "by": 0o700,
        "by/ally": 0o700,
        "by/ally/ally.db": 0o600,
        "by/ally/ally.db-wal": 0o600,
        "by/ally/ally.db-shm": 0o600,
        "by/ally/ally.db.lock": 0o600,  # held by every connection, so a swap can wait them out
        "by/ally/backups": 0o700,
        backup: 0o600,
        "by/copy.db": 0o600,
        "export.jsonl": 0o600,
        "export.csv": 0o600,
        "export.md": 0o600,
    }
    conn = sqlite3.connect(root / backup)
    assert conn.execute("SELECT note FROM entry").fetchall() == [("private",)]
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APP_ID
    conn.close()


@pytest.mark.slow
def test_a_database_others_can_read_gets_a_warning_and_doctor_says_how_to_fix(
    tmp_path: Path,
) -> None:
    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db)
    ok(ally(env, "log", "learning", "--note", "workshop"))

    healthy = ally(env, "doctor")
    assert (healthy.returncode, healthy.stderr) == (0, "")
    assert "!!" not in healthy.stdout
    listed = ok(ally(env, "list"))
    assert listed.stderr == ""

    db.chmod(0o644)
    warning = f"ally: warning: {db} can be read by other users; run `chmod 600 {db}`.\n"
    listed = ok(ally(env, "list"))
    assert listed.stderr == warning
    assert "workshop" in listed.stdout

    # SQLite gives a new or emptied -wal the database's own mode: it is shared now too
    wal = db.with_name("ally.db-wal")
    assert mode(wal) == 0o644
    sick = ally(env, "doctor")
    assert sick.returncode == 1
    assert sick.stderr == "ally: 2 problems found; see the fixes above.\n"
    problems = [ln.split() for ln in sick.stdout.splitlines() if ln.startswith("!!")]
    assert problems == [
        ["!!", "mode", "ally.db", "644", "(other", "users", "can", "open", "it", "too)"],
        ["!!", "mode", "ally.db-wal", "644", "(other", "users", "can", "open", "it", "too)"],
    ]
    fixes = [ln.split("fix: ")[1] for ln in sick.stdout.splitlines() if "fix: " in ln]
    assert fixes == [f"run: chmod 600 {db}", f"run: chmod 600 {wal}"]

    db.chmod(0o600)
    wal.chmod(0o600)
    assert (ally(env, "doctor").returncode, ok(ally(env, "list")).stderr) == (0, "")


IDLE_READER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("SELECT count(*) FROM entry").fetchall()
print("open", flush=True)
sys.stdin.readline()
conn.close()
"""


@contextlib.contextmanager
def held_open(db: Path, really: bool) -> Iterator[None]:
    """Another program with the database open (and idle), as a second terminal may have:
    then closing ally's connection no longer checkpoints the WAL by itself."""
    if not really:
        yield
        return
    with another_process(IDLE_READER, db, "open"):
        yield


@pytest.mark.slow
@pytest.mark.parametrize("other_reader", [False, True], ids=["alone", "another-reader-open"])
def test_delete_leaves_no_copy_of_the_text_in_the_database_or_its_wal(
    tmp_path: Path, other_reader: bool
) -> None:
    db = tmp_path / "ally.db"
    env = cli_env(tmp_path, db)
    short = "MARKER-3f9c2a-short"
    long = "MARKER-77e1d0-long " * 600  # ~11 KB: stored in overflow pages
    ok(ally(env, "log", "listening", "--note", "keep this one"))
    ok(ally(env, "log", "protest", "--note", short))
    ok(ally(env, "log", "advocacy", "--note", "-", input=long))
    ok(ally(env, "log", "money", "--note", "keep this too"))
    entries = export_objects(env)
    ids = {e["note"]: e["id"] for e in entries}

    def files_holding(marker: bytes) -> list[str]:
        return sorted(p.name for p in tmp_path.iterdir() if p.is_file() and
                      marker in p.read_bytes())  # fmt: skip

    assert files_holding(b"MARKER-3f9c2a") != []  # the test can see the text before
    assert files_holding(b"MARKER-77e1d0") != []

    with held_open(db, other_reader):
        ok(ally(env, "delete", ids[short], "--yes"))
        ok(ally(env, "delete", ids[long][:8], "--yes"))
        assert files_holding(b"MARKER-3f9c2a") == []
        assert files_holding(b"MARKER-77e1d0") == []
    assert files_holding(b"keep this one") != []
    assert sorted(e["note"] for e in export_objects(env)) == ["keep this one", "keep this too"]
    assert integrity(db) == ["ok"]
