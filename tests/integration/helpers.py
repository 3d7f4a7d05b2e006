"""Shared helpers for the fault and migration tests: real processes on real SQLite files."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from allycli.core.records import Record
from allycli.shell.session import isolated_env
from allycli.store.database import Store

ALLY = (sys.executable, "-m", "allycli")


def cli_env(root: Path, db: Path, **extra: str) -> dict[str, str]:
    """The environment for an ally subprocess: its own database, home and XDG folders."""
    env = dict(os.environ)
    for name in ("ALLY_PROMPTS", "ALLY_DEBUG", "ALLY_BUSY_TIMEOUT", "PYTHONWARNINGS"):
        env.pop(name, None)
    env.update(isolated_env(root / "home", db))
    env.update(
        NO_COLOR="1",
        COLUMNS="80",
        PYTHONDONTWRITEBYTECODE="1",
        TMPDIR=str(root),  # the last place for a draft is $TMPDIR/ally-<uid>: keep it here
    )
    env.update(extra)
    return env


def ally(
    env: dict[str, str],
    *args: str,
    input: str | bytes | None = None,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float = 300,  # a ceiling for a loaded machine, not a measure
) -> subprocess.CompletedProcess[str]:
    """Run `python -m allycli ARGS` in a new process; stdout and stderr as text."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    proc = subprocess.run(
        [*ALLY, *args],
        env=env,
        input=data if data is not None else b"",
        capture_output=True,
        preexec_fn=preexec_fn,
        timeout=timeout,
        check=False,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def ally_in_process(
    env: dict[str, str], *args: str, input: str | bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """`ally ARGS` in this process through Typer's CliRunner, with env as the whole
    environment: the result `ally()` gives, for tests where a process adds nothing (no
    terminal, signal, locale, import or file-descriptor question). An exception that escapes
    the app gives exit 1 and its traceback on stderr, as a process would."""
    import tempfile
    import traceback

    from typer.testing import CliRunner

    from allycli.cli.app import app

    data = input.encode("utf-8") if isinstance(input, str) else input
    whole = {**env, **{name: None for name in os.environ if name not in env}}
    saved_tempdir = tempfile.tempdir
    tempfile.tempdir = env.get("TMPDIR")  # tempfile caches $TMPDIR at its first use
    try:
        result = CliRunner().invoke(app, list(args), input=data, env=whole, prog_name="ally")
    finally:
        tempfile.tempdir = saved_tempdir
    stderr = result.stderr
    code = result.exit_code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        stderr += "".join(traceback.format_exception(*result.exc_info))
        code = 1
    return subprocess.CompletedProcess([*ALLY, *args], code, result.stdout, stderr)


@contextlib.contextmanager
def reaped(procs: list[subprocess.Popen[str]]) -> Iterator[list[subprocess.Popen[str]]]:
    """Processes killed and their pipes closed however the block ends: a test that fails
    halfway (a wait that reached its ceiling) leaks no open file into the tests after it."""
    try:
        yield procs
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            for pipe in (proc.stdin, proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
            proc.wait()


# A second process that takes the database's write lock, says so, and keeps it until a line
# arrives on its stdin.
LOCK_HOLDER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
"""


@contextlib.contextmanager
def another_process(script: str, db: Path, ready: str) -> Iterator[subprocess.Popen[str]]:
    """Python running `script` on the database `db` in a second process for as long as the
    block runs: the script prints `ready` once it holds what it holds, and lets go when a
    line comes on its stdin."""
    other = subprocess.Popen(
        [sys.executable, "-c", script, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert other.stdout is not None and other.stdout.readline() == ready + "\n"
    try:
        yield other
    finally:
        other.communicate("let go\n", timeout=120)
        assert other.returncode == 0


def write_lock_held(db: Path) -> contextlib.AbstractContextManager[subprocess.Popen[str]]:
    """Another process holding the database's write lock until the block ends."""
    return another_process(LOCK_HOLDER, db, "locked")


def started(argv: Sequence[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """A command left running (stdin closed, stdout and stderr piped as text), for a test
    that reads what it says while it waits, or sends it a signal. It gets Ctrl-C's SIGINT
    as a command typed at a terminal does, however the suite was started: a shell without
    job control (a script's `&`, some CI runners) starts its jobs with SIGINT ignored, the
    children inherit that, and Python then leaves SIGINT ignored."""
    return subprocess.Popen(
        list(argv),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_sigint_as_at_a_terminal,
    )


def _sigint_as_at_a_terminal() -> None:
    """In the child, before exec: SIGINT back to its default disposition."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


# linux/capability.h and linux/prctl.h
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24


def without_root_override() -> None:
    """In the child, before exec: drop the capabilities that let root ignore file modes."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def modes_are_enforced(probe: Path) -> bool:
    """Whether a child made by without_root_override really cannot write a 0400 file."""
    probe.write_text("probe")
    probe.chmod(0o400)
    try:
        result = subprocess.run(
            [sys.executable, "-c", f"open({str(probe)!r}, 'a')"],
            preexec_fn=without_root_override,
            capture_output=True,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        probe.unlink()
    return result.returncode == 1 and b"PermissionError" in result.stderr


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.args[3:], result.returncode, result.stderr)
    return result


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The single line of a refused command, checked: exit code, one line, no traceback."""
    assert result.returncode == code, (result.args[3:], result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ally: "), result.stderr
    return lines[0]


def export_jsonl(env: dict[str, str], run: Callable[..., Any] = ally) -> list[str]:
    """`ally export` (jsonl) as its lines, through a real process (or `run`)."""
    return ok(run(env, "export")).stdout.splitlines()


def export_objects(env: dict[str, str], run: Callable[..., Any] = ally) -> list[dict[str, Any]]:
    return [json.loads(line) for line in export_jsonl(env, run)]


def integrity(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def stored_notes(db: Path) -> list[str]:
    """Every note in the file, read with plain sqlite3 (an empty list before the schema)."""
    conn = sqlite3.connect(db)
    try:
        has_table = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'entry'"
        ).fetchone()[0]
        if not has_table:
            return []
        return [row[0] for row in conn.execute("SELECT note FROM entry")]
    finally:
        conn.close()


def rows(db: Path) -> list[tuple[object, ...]]:
    """Every entry row, ordered by id, read read-only with plain sqlite3."""
    conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute("SELECT * FROM entry ORDER BY id").fetchall()
    finally:
        conn.close()


def pragma(db: Path, name: str) -> object:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def tables(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
    finally:
        conn.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def practice(n: int, note: str | None = None, day: str = "2026-11-20") -> Record:
    """A practice entry with a fixed id (uuid with int n), for databases built in-process."""
    return Record(
        id=str(uuid.UUID(int=n)),
        kind="practice",
        day=day,
        created_at=f"{day}T09:00:00+00:00",
        pillar="action",
        action_type="protest",
        note=f"entry {n}" if note is None else note,
    )


def make_db(db: Path, records: Iterable[Record]) -> list[Record]:
    """A real ally database holding these records, checkpointed (no -wal left behind)."""
    made = list(records)
    store = Store(db)
    store.insert([r.row() for r in made])
    store.checkpoint()
    return made


def run_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder shared by every pytest-xdist worker of this run (this run's own without -n)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-N/popen-gwK -> pytest-N, which only this run uses
    folder = base / name
    folder.mkdir(exist_ok=True)
    return folder


@contextlib.contextmanager
def first_to_build(folder: Path) -> Iterator[bool]:
    """Whether this process is to build what `folder` holds: True for the first worker of the
    run to come (which builds inside the block), False once one has; the others wait at the
    block until it is done. A build that fails is tried again by the next one."""
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done = folder / ".built"
            build = not done.exists()
            yield build
            if build:
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ended_within(proc: subprocess.Popen[str], timeout: float) -> tuple[str, str]:
    """(stdout, stderr) of a process that must end within `timeout` seconds. If it has not,
    it is sent SIGABRT, and a process started with PYTHONFAULTHANDLER=1 prints where each of
    its threads stood, which the failure shows: a hang says where it hung."""
    import signal

    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        signals = _signal_masks(proc.pid)
        proc.send_signal(signal.SIGABRT)
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        raise AssertionError(
            f"still running after {timeout} s; {signals}; its stacks:\n{err}"
        ) from None


def _signal_masks(pid: int) -> str:
    """The signals a process and this one block, ignore, catch and have pending (hex masks,
    bit n-1 for signal n), from /proc: a signal that never took effect shows why here."""
    import signal

    def masks(where: str) -> str:
        try:
            lines = Path(f"/proc/{where}/status").read_text().splitlines()
        except OSError:
            return "?"
        return " ".join(
            line.replace("\t", "") for line in lines if line.startswith(("Sig", "ShdPnd"))
        )

    return (
        f"its signals: {masks(str(pid))}; this test's: {masks('self')}, "
        f"SIGINT handler {signal.getsignal(signal.SIGINT)!r}"
    )
