"""Never lose a word, and never report a saved change as failed.

Through the real installed `ally` executable, as a person runs it: `edit`, `reflect` and the
editor keep the words as a draft whatever step fails, the reads before the write included;
once a change is committed, nothing reports failure. The faults are real: a small tmpfs
filled to the last byte (with no -shm beside the database, as after the last ally process
exits), strace failing one system call at a time, and a standard output that is full
(/dev/full).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest

from .helpers import cli_env, integrity, mode, write_lock_held
from .test_drafts import fill, small_disk  # noqa: F401 - small_disk is a fixture

BIN = Path(sys.executable).parent / "ally"
pytestmark = pytest.mark.skipif(
    not BIN.exists(), reason="the ally entry point is not installed beside this Python"
)

KEPT = re.compile(r"ally: (.*); your entry was kept in (\S+), and `ally import \2` adds it later\.")
INSIDE = "went wrong inside"
SAVED_BUT_NOT_SHOWN = (
    "ally: Saved; the confirmation could not be printed on standard output "
    "(No space left on device).\n"
)


# -- running the executable ------------------------------------------------------------------


def env_for(tmp_path: Path, db: Path, **extra: str) -> dict[str, str]:
    env = cli_env(tmp_path, db, PYTHONHASHSEED="0", **extra)
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    env.update(extra)
    return env


def run(
    env: dict[str, str],
    *args: str,
    input: str | None = None,
    stdout: Any = subprocess.PIPE,
    prefix: tuple[str, ...] = (),
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """`ally ARGS` through the installed executable; stdout and stderr as text."""
    proc = subprocess.run(
        [*prefix, str(BIN), *args],
        env=env,
        input=(input or "").encode("utf-8"),
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=timeout,
        check=False,
    )
    out = proc.stdout.decode("utf-8", "replace") if isinstance(proc.stdout, bytes) else ""
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, out, proc.stderr.decode("utf-8", "replace")
    )


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.args, result.returncode, result.stderr)
    return result


def exported(env: dict[str, str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ok(run(env, "export")).stdout.splitlines()]


def on_terminal(env: dict[str, str], *args: str) -> tuple[int, str]:
    """`ally ARGS` in a pseudo-terminal, nothing typed; (exit code, screen)."""
    child = pexpect.spawn(  # wide enough that no path is cut at the edge
        str(BIN), list(args), env={**env, "COLUMNS": "500"}, encoding="utf-8", timeout=60,
        dimensions=(24, 500),
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, f"ended by signal {child.signalstatus}"
    return child.exitstatus, child.before or ""


def said_on(screen: str) -> str:
    """The error at the end of a terminal's screen, its lines (wrapped at words) joined."""
    tail = screen[screen.index("ally: ") :]
    return " ".join(ln.strip() for ln in tail.splitlines() if ln.strip())


def todays_prompt_id(env: dict[str, str]) -> str:
    """The prompt of the day, as `ally reflect` shows it on a terminal (then Ctrl-C), or
    names it when it is answered already."""
    child = pexpect.spawn(str(BIN), ["reflect"], env=env, encoding="utf-8", timeout=60)
    child.expect(r"\(prompt ([a-z0-9-]+)\)|answered the prompt ([a-z0-9-]+) for")
    found = child.match.group(1) or child.match.group(2)  # (answered: it says which)
    if child.match.group(1):
        child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return str(found)


def places(tmp_path: Path, db: Path) -> list[Path]:
    """ally's drafts folders, in its order: beside the database, the state folder, $TMPDIR."""
    return [
        db.parent / "drafts",
        tmp_path / "home" / "state" / "ally" / "drafts",
        tmp_path / f"ally-{os.getuid()}",
    ]


def drafts_in(folders: list[Path]) -> list[Path]:
    return sorted(p for f in folders if f.is_dir() for p in f.iterdir())


def draft_objects(folders: list[Path], stdout: str = "") -> list[dict[str, Any]]:
    found = [json.loads(x) for p in drafts_in(folders) for x in p.read_text("utf-8").splitlines()]
    return found + [json.loads(x) for x in stdout.splitlines() if x.startswith("{")]


def holds(obj: dict[str, Any], words: str) -> bool:
    """Whether a draft object carries the words: an entry's note or answer, a patch's fields."""
    fields = obj.get("fields") or {}
    return words in (obj.get("note"), obj.get("answer"), fields.get("note"), fields.get("answer"))


def kept(result: subprocess.CompletedProcess[str]) -> tuple[str, Path]:
    """The one-line refusal and the private draft it names."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert INSIDE not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    match = KEPT.fullmatch(lines[0])
    assert match, lines[0]
    draft = Path(match.group(2))
    assert draft.is_file()
    assert mode(draft) == 0o600
    return match.group(1), draft


def settle(db: Path) -> None:
    """Fold the WAL into the database and leave no -wal or -shm: the state a journal is in
    after the last ally process exits, and the one where a read must create the -shm."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    conn.close()
    for side in ("-wal", "-shm"):
        path = db.with_name(db.name + side)
        if path.exists():
            assert side == "-shm" or path.stat().st_size == 0
            path.unlink()


# -- a full disk, with no -shm ---------------------------------------------------------------


@pytest.fixture
def full_journal(tmp_path: Path, small_disk: Path) -> Iterator[tuple[Path, dict[str, str]]]:  # noqa: F811
    """A journal on a 1 MB tmpfs with a practice entry and a reflection, settled (no -shm),
    then the disk filled to its last byte."""
    db = small_disk / "ally.db"
    env = env_for(tmp_path, db)
    ok(run(env, "log", "money", "--note", "first words"))
    ok(run(env, "reflect", "--prompt", "reflect-listening-01", "--answer", "first answer"))
    settle(db)
    fill_up(small_disk)
    yield db, env


def fill_up(disk: Path) -> None:
    """Fill the disk in pages, then to the last byte."""
    fill(disk)
    fd = os.open(disk / "filler-tail", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        while os.write(fd, b"\0"):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def free(db: Path) -> None:
    for filler in db.parent.glob("filler*"):
        filler.unlink()


def entry_id(env: dict[str, str], kind: str) -> str:
    [found] = [o["id"] for o in exported(env) if o["kind"] == kind]
    return str(found)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["--answer", "piped", "answer-dash"])
def test_reflect_on_a_full_disk_keeps_the_answer_and_import_gives_it_the_days_prompt(
    tmp_path: Path, full_journal: tuple[Path, dict[str, str]], how: str
) -> None:
    db, env = full_journal
    words = "What I heard, kept-8841"
    if how == "--answer":
        result = run(env, "reflect", "--answer", words)
    elif how == "piped":
        result = run(env, "reflect", input=words + "\n")
    else:
        result = run(env, "reflect", "--answer", "-", input=words + "\n")
    _, draft = kept(result)
    assert words not in result.stderr
    [obj] = draft_objects(places(tmp_path, db))
    assert (obj["kind"], obj["answer"], obj["prompt_id"], obj["date"]) == (
        "reflection",
        words,
        None,  # the prompt of the day could not be chosen: import chooses it
        time.strftime("%Y-%m-%d"),
    )
    assert not db.with_name("ally.db-shm").exists() or True  # (SQLite may have made one)

    free(db)
    ok(run(env, "import", str(draft)))
    assert not draft.exists()
    [answered] = [o for o in exported(env) if o.get("answer") == words]
    assert answered["prompt_id"] == todays_prompt_id(env)
    assert answered["prompt"] and answered["pillar"] in ("action", "listening", "learning",
                                                         "yielding")  # fmt: skip
    assert integrity(db) == ["ok"]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["--note", "note-dash", "--answer"])
def test_edit_on_a_full_disk_keeps_the_words_as_a_patch_that_import_applies(
    tmp_path: Path, full_journal: tuple[Path, dict[str, str]], how: str
) -> None:
    db, env = full_journal
    free(db)  # ids first, then fill again
    kind = "reflection" if how == "--answer" else "practice"
    target = entry_id(env, kind)
    settle(db)
    fill_up(db.parent)
    words = "Better words, kept-3307"
    prefix = target[:6]
    if how == "--note":
        result = run(env, "edit", prefix, "--note", words)
    elif how == "note-dash":
        result = run(env, "edit", prefix, "--note", "-", input=words)
    else:
        result = run(env, "edit", prefix, "--answer", words)
    _, draft = kept(result)
    assert words not in result.stderr
    [obj] = draft_objects(places(tmp_path, db))
    field = "answer" if how == "--answer" else "note"
    assert (obj["kind"], obj["id"], obj["fields"]) == ("patch", prefix, {field: words})
    assert obj["updated_at"] > "2026"

    free(db)
    ok(run(env, "import", str(draft)))
    assert not draft.exists()
    [after] = [o for o in exported(env) if o["id"] == target]
    assert after[field] == words
    assert after["updated_at"] == obj["updated_at"]
    assert integrity(db) == ["ok"]


def editor_that_fills(tmp_path: Path, db: Path, text: str) -> Path:
    """A stand-in editor that writes `text`, then fills the disk the journal is on, with no
    -wal or -shm left (ally holds no connection while the editor runs)."""
    script = tmp_path / "fills.sh"
    disk = db.parent
    script.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do last="$a"; done\n'
        f"printf '%s\\n' '{text}' > \"$last\"\n"
        f"rm -f '{db}-wal' '{db}-shm'\n"
        f"cat /dev/zero > '{disk}/filler' 2>/dev/null\n"
        f"while printf x >> '{disk}/filler-tail' 2>/dev/null; do :; done\n"
        "exit 0\n",
        encoding="utf-8",
    )
    script.chmod(0o700)
    return script


@pytest.mark.slow
def test_the_editor_path_keeps_what_was_written_when_the_disk_fills_meanwhile(
    tmp_path: Path,
    small_disk: Path,  # noqa: F811
) -> None:
    db = small_disk / "ally.db"
    env = env_for(tmp_path, db)
    ok(run(env, "log", "money", "--note", "typo'd note"))
    target = entry_id(env, "practice")
    settle(db)
    words = "Written in the editor, kept-5512"
    env["VISUAL"] = str(editor_that_fills(tmp_path, db, words))
    code, screen = on_terminal(env, "edit", target[:8])
    assert code == 1, screen
    assert INSIDE not in screen
    [obj] = draft_objects(places(tmp_path, db))
    assert (obj["kind"], obj["id"], obj["fields"]) == ("patch", target[:8], {"note": words})
    line = said_on(screen)
    _, draft = kept(subprocess.CompletedProcess([], 1, "", line + "\n"))

    free(db)
    ok(run(env, "import", str(draft)))
    [after] = exported(env)
    assert after["note"] == words
    assert integrity(db) == ["ok"]


def test_the_editor_path_keeps_what_was_written_when_the_entry_goes_meanwhile(
    tmp_path: Path, journal: tuple[Path, dict[str, str]]
) -> None:
    """Another `ally delete` removes the entry while its text is in the editor."""
    db, env = journal
    ok(run(env, "log", "money", "--note", "to be deleted"))
    target = entry_id(env, "practice")
    words = "Written while it went, kept-7781"
    script = tmp_path / "deletes.sh"
    script.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do last="$a"; done\n'
        f"printf '%s\\n' '{words}' > \"$last\"\n"
        f"'{BIN}' delete {target} --yes > /dev/null\n",
        encoding="utf-8",
    )
    script.chmod(0o700)
    code, screen = on_terminal({**env, "VISUAL": str(script)}, "edit", target[:8])
    assert code == 1, screen
    assert INSIDE not in screen
    [obj] = draft_objects(places(tmp_path, db))
    assert (obj["kind"], obj["id"], obj["fields"]) == ("patch", target[:8], {"note": words})
    line = said_on(screen)
    assert line.startswith(f"ally: No entry has the id {target[:8]}")
    assert exported(env) == []


@pytest.mark.slow
@pytest.mark.parametrize("command", ["log", "reflect"])
def test_edit_flag_keeps_what_was_written_when_the_disk_fills_meanwhile(
    tmp_path: Path,
    small_disk: Path,  # noqa: F811
    command: str,
) -> None:
    db = small_disk / "ally.db"
    env = env_for(tmp_path, db)
    ok(run(env, "log", "money", "--note", "earlier"))
    settle(db)
    words = "Written with --edit, kept-6620"
    env["VISUAL"] = str(editor_that_fills(tmp_path, db, words))
    args = ["log", "listening", "--edit"] if command == "log" else ["reflect", "--edit"]
    code, screen = on_terminal(env, *args)
    assert code == 1, screen
    assert INSIDE not in screen
    [obj] = draft_objects(places(tmp_path, db))
    assert obj[("note" if command == "log" else "answer")] == words

    free(db)
    line = said_on(screen)
    _, draft = kept(subprocess.CompletedProcess([], 1, "", line + "\n"))
    ok(run(env, "import", str(draft)))
    assert holds(exported(env)[-1], words) or any(holds(o, words) for o in exported(env))


# -- a confirmation that cannot be printed --------------------------------------------------


def to_dev_full(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    with open("/dev/full", "wb") as full:
        return run(env, *args, stdout=full)


@pytest.fixture
def journal(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    db = tmp_path / "ally.db"
    return db, env_for(tmp_path, db)


def test_log_to_a_full_stdout_is_saved_once_and_says_so(
    tmp_path: Path, journal: tuple[Path, dict[str, str]]
) -> None:
    db, env = journal
    result = to_dev_full(env, "log", "protest", "--note", "x")
    assert (result.returncode, result.stderr) == (0, SAVED_BUT_NOT_SHOWN)
    assert [(o["action_type"], o["note"]) for o in exported(env)] == [("protest", "x")]
    assert drafts_in(places(tmp_path, db)) == []


def test_log_with_standard_output_closed_is_saved_once_and_says_so(
    tmp_path: Path, journal: tuple[Path, dict[str, str]]
) -> None:
    db, env = journal
    proc = subprocess.run(
        [str(BIN), "log", "protest", "--note", "x"],
        env=env,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),  # as `ally log ... >&-`
        check=False,
    )
    assert (proc.returncode, proc.stderr.decode()) == (
        0,
        "ally: Saved; the confirmation could not be printed on standard output "
        "(standard output is closed).\n",
    )
    assert [(o["action_type"], o["note"]) for o in exported(env)] == [("protest", "x")]
    assert drafts_in(places(tmp_path, db)) == []


def test_edit_to_a_full_stdout_is_saved_and_says_so(
    tmp_path: Path, journal: tuple[Path, dict[str, str]]
) -> None:
    db, env = journal
    ok(run(env, "log", "protest", "--note", "before"))
    target = entry_id(env, "practice")
    result = to_dev_full(env, "edit", target[:6], "--note", "after")
    assert (result.returncode, result.stderr) == (0, SAVED_BUT_NOT_SHOWN)
    assert [o["note"] for o in exported(env)] == ["after"]
    assert drafts_in(places(tmp_path, db)) == []


def test_delete_to_a_full_stdout_is_saved_and_says_so(
    tmp_path: Path, journal: tuple[Path, dict[str, str]]
) -> None:
    _, env = journal
    ok(run(env, "log", "protest", "--note", "keep"))
    ok(run(env, "log", "money", "--note", "remove"))
    [target] = [o["id"] for o in exported(env) if o["note"] == "remove"]
    result = to_dev_full(env, "delete", target, "--yes")
    assert (result.returncode, result.stderr) == (0, SAVED_BUT_NOT_SHOWN)
    assert [o["note"] for o in exported(env)] == ["keep"]


def test_reflect_to_a_full_stdout_is_saved_once_and_says_so(
    tmp_path: Path, journal: tuple[Path, dict[str, str]]
) -> None:
    db, env = journal
    result = to_dev_full(env, "reflect", "--answer", "heard")
    assert (result.returncode, result.stderr) == (0, SAVED_BUT_NOT_SHOWN)
    assert [o["answer"] for o in exported(env)] == ["heard"]
    assert drafts_in(places(tmp_path, db)) == []


# -- restore's errors are one line, and its kept copy never blocks it -------------------------


def strace_available() -> bool:
    return shutil.which("strace") is not None and (
        subprocess.run(["strace", "-qq", "-o", "/dev/null", "true"], check=False).returncode == 0
    )


needs_strace = pytest.mark.skipif(not strace_available(), reason="strace is not usable here")


@pytest.fixture
def with_backup(tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    db = tmp_path / "ally.db"
    env = env_for(tmp_path, db)
    ok(run(env, "log", "money", "--note", "in the backup"))
    backup = tmp_path / "b.db"
    ok(run(env, "backup", "--output", str(backup)))
    ok(run(env, "log", "protest", "--note", "after the backup"))
    settle(db)
    return db, env, backup


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("error", ["EIO", "EACCES"])
def test_restore_says_in_one_line_when_the_backup_cannot_be_opened(
    with_backup: tuple[Path, dict[str, str], Path], error: str
) -> None:
    """Every opening of the backup file fails in turn: each a one-line answer."""
    db, env, backup = with_backup
    before = sorted(o["note"] for o in exported(env))
    settle(db)
    pristine = db.read_bytes()

    def reset() -> None:
        for side in ("-wal", "-shm"):
            db.with_name(db.name + side).unlink(missing_ok=True)
        db.write_bytes(pristine)

    trace = ["strace", "-f", "-qq", "-o", "/dev/null", "-P", str(backup), "-e", "trace=openat"]
    opens = count_calls(env, ["restore", str(backup), "--yes"], "openat", paths=[backup])
    assert opens >= 2
    for n in range(1, opens + 1):
        reset()
        inject = [*trace, "-e", f"inject=openat:error={error}:when={n}"]
        result = run(env, "restore", str(backup), "--yes", prefix=tuple(inject))
        assert INSIDE not in result.stderr, (n, result.stderr)
        assert "Traceback" not in result.stderr
        notes = sorted(o["note"] for o in exported(env))
        if result.returncode == 0:  # restored: the journal is the backup's
            assert notes == ["in the backup"], n
        else:
            assert result.returncode == 1, (n, result.stderr)
            assert len(result.stderr.splitlines()) == 1, (n, result.stderr)
            assert notes == before, n
        assert integrity(db) == ["ok"]


@needs_strace
@pytest.mark.slow
def test_restore_with_a_half_written_copy_of_the_journal_still_keeps_one_and_restores(
    tmp_path: Path, with_backup: tuple[Path, dict[str, str], Path]
) -> None:
    """The copy of the current journal fails half-way (a write to it fails): the raw copy
    that follows takes a name of its own, and the restore goes on."""
    _, env, backup = with_backup
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o700)
    trace = ["strace", "-f", "-qq", "-o", str(tmp_path / "t"), "-e", "trace=pwrite64"]
    # the before-restore copy is the first file VACUUM INTO writes with pwrite64 after the
    # pages of the live database's -shm; fail its second page
    result = run(
        env, "restore", str(backup), "--yes",
        prefix=(*trace, "-e", "inject=pwrite64:error=ENOSPC:when=2"),
    )  # fmt: skip
    assert INSIDE not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert sorted(o["note"] for o in exported(env)) == ["in the backup"]
    copies = sorted(folder.glob("*-before-restore*.db"))
    assert len(copies) == 1, copies
    assert f"kept in {copies[0]}" in result.stdout
    conn = sqlite3.connect(copies[0].resolve().as_uri() + "?mode=ro", uri=True)
    assert [r[0] for r in conn.execute("SELECT note FROM entry ORDER BY note")] == [
        "after the backup",
        "in the backup",
    ]
    conn.close()
    ok(run(env, "restore", str(backup), "--yes"))  # again: a retry never fails on a name


# -- strace: one failing system call at a time ----------------------------------------------


def main_pid_calls(log: Path, *syscalls: str) -> list[str]:
    """The calls of these syscalls made by the first process in an strace -f log, in order."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    calls = [ln for ln in lines if "resumed>" not in ln
             and any(f" {name}(" in ln for name in syscalls)]  # fmt: skip
    if not calls:
        return []
    first = calls[0].split()[0]
    return [ln for ln in calls if ln.split()[0] == first]


def count_calls(
    env: dict[str, str], args: list[str], syscall: str, paths: list[Path], input: str = ""
) -> int:
    log = Path(env["TMPDIR"]) / "count.trace"
    trace = ("strace", "-f", "-qq", "-o", str(log), *[f"-P{p}" for p in paths],
             "-e", f"trace={syscall}")  # fmt: skip
    run(env, *args, input=input, prefix=trace)
    found = len(main_pid_calls(log, syscall))
    log.unlink()
    return found


class Journal:
    """A journal to fail commands on: a practice entry and a reflection, settled, restored
    to the same bytes before every trial (no -wal, no -shm, no drafts)."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path
        self.db = tmp_path / "data" / "ally.db"
        self.env = env_for(tmp_path, self.db)
        ok(run(self.env, "log", "money", "--note", "first words"))
        ok(run(self.env, "reflect", "--prompt", "reflect-listening-01", "--answer", "first"))
        self.practice = entry_id(self.env, "practice")
        self.reflection = entry_id(self.env, "reflection")
        settle(self.db)
        self.pristine = self.db.read_bytes()
        self.places = places(tmp_path, self.db)
        self.busy = False

    def reset(self) -> None:
        if not self.busy:  # (while another process holds the lock, nothing was written)
            for side in ("-wal", "-shm"):
                self.db.with_name(self.db.name + side).unlink(missing_ok=True)
            self.db.write_bytes(self.pristine)
        for folder in [*self.places, self.root / "home" / "state" / "ally" / "editing"]:
            shutil.rmtree(folder, ignore_errors=True)

    def answers(self, words: str) -> int:
        conn = sqlite3.connect(self.db)
        try:
            return int(
                conn.execute(
                    "SELECT count(*) FROM entry WHERE answer = ? OR note = ?", (words, words)
                ).fetchone()[0]
            )
        finally:
            conn.close()

    def journal_files(self) -> list[str]:
        """Path prefixes of the journal's own files: everything under the test's folder
        (database, -wal, -shm, drafts, state), and the prompts files."""
        return [str(self.root) + "/", "prompts.yaml"]


COMMANDS = {
    "edit": lambda j, w: (["edit", j.practice[:8], "--note", w], ""),
    "edit-stdin": lambda j, w: (["edit", j.reflection[:8], "--answer", "-"], w),
    "reflect": lambda j, w: (["reflect", "--answer", w], ""),
    "reflect-piped": lambda j, w: (["reflect"], w + "\n"),
}


BUDGET = 36  # calls failed per command and kind of call, each with ENOSPC and with EIO


def site(line: str) -> str:
    """A call's site: the call with its file (strace -y), without the data, offset or
    result, so that calls from the same place in SQLite or ally share a site."""
    body = line.split(None, 1)[1]
    body = re.sub(r"\s+= .*$", "", body)  # the result
    body = re.sub(r"<[^>]*/([^/>]+)>", r"<\1>", body)  # a file by its name alone
    if body.startswith("pwrite64("):
        body = re.sub(r'"(?:[^"\\]|\\.)*"(\.\.\.)?', '""', body)
        body = re.sub(r", \d+\)$", ")", body)  # the offset
    return body


def selected(calls: list[str], syscall: str, journal: Journal, begun: int) -> list[int]:
    """Which calls (1-based) a sweep fails. For openat, those of the journal's own files,
    not Python's module imports. Of the others, those after Python's own start-up (the
    first `begun` calls, before ally's code loads: outside the promise, which covers ally's
    own code): every one
    when there are at most BUDGET; else a sample: the first call of every site, then the
    last ones, then calls spread evenly over the run, up to BUDGET."""
    if syscall == "openat":
        chosen = []
        for n, line in enumerate(calls, start=1):
            match = re.search(r'openat\([^,]+, "([^"]*)"', line)
            path = match.group(1) if match else ""
            ours = path.startswith(str(journal.root) + "/") or path.endswith("prompts.yaml")
            if ours and "site-packages" not in path and not path.endswith((".py", ".pyc")):
                chosen.append(n)
        return chosen
    if len(calls) - begun <= BUDGET:
        return list(range(begun + 1, len(calls) + 1))
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for n, line in enumerate(calls[begun:], start=begun + 1):
        first.setdefault(site(line), n)
        last[site(line)] = n
    chosen_set = set(first.values())  # every site at least once
    step = (len(calls) - begun) / BUDGET
    spread = [begun + int(i * step) + 1 for i in range(BUDGET)]
    for n in [*last.values(), *spread]:
        if len(chosen_set) >= BUDGET:
            break
        chosen_set.add(n)
    return sorted(chosen_set)


def sweep(
    journal: Journal, command: str, syscall: str, *, busy: bool = False
) -> tuple[int, int, int, dict[str, int]]:
    """Fail each chosen call of `syscall` once with ENOSPC and once with EIO; judge every
    trial. Returns (trials, calls chosen, calls made, outcomes)."""
    words_for = COMMANDS[command]
    env = dict(journal.env)
    if busy:
        env["ALLY_BUSY_TIMEOUT"] = "0.1"
    log = journal.root / "trial.trace"
    journal.reset()
    args, stdin = words_for(journal, "dry run words")
    traced = syscall if syscall == "openat" else f"openat,{syscall}"
    run(env, *args, input=stdin, prefix=("strace", "-f", "-qq", "-y", "-o", str(log),
                                          "-e", f"trace={traced}"))  # fmt: skip
    both = main_pid_calls(log, syscall, "openat")
    start = next(i for i, ln in enumerate(both) if "/allycli/__" in ln)  # its first module
    begun = sum(1 for ln in both[:start] if f" {syscall}(" in ln)
    calls = [ln for ln in both if f" {syscall}(" in ln]
    chosen = selected(calls, syscall, journal, begun)
    trace = ("strace", "-f", "-qq", "-y", "-o", str(log), "-e", f"trace={syscall}")
    outcomes: dict[str, int] = {}
    trials = 0
    for n in chosen:
        for error in ("ENOSPC", "EIO"):
            journal.reset()
            words = f"words {command} {syscall} {n} {error} kept-{trials:04d}"
            args, stdin = words_for(journal, words)
            inject = (*trace, "-e", f"inject={syscall}:error={error}:when={n}")
            result = run(env, *args, input=stdin, prefix=inject)
            injected = [ln for ln in main_pid_calls(log, syscall) if "(INJECTED)" in ln]
            assert len(injected) == 1, (command, syscall, n, error)
            outcome = judge(journal, result, words, (command, syscall, n, error, injected[0]))
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            trials += 1
    journal.reset()
    return trials, len(chosen), len(calls), outcomes


def judge(journal: Journal, result: subprocess.CompletedProcess[str], words: str,
          trial: tuple[object, ...]) -> str:  # fmt: skip
    """One trial: the words are in the database or in a draft (never both, never neither);
    a saved change exits 0; a refusal is one line; never "went wrong inside"; the database
    passes its integrity check."""
    where = (trial, result.returncode, result.stderr)
    assert INSIDE not in result.stderr, where
    assert "Traceback" not in result.stderr, where
    assert integrity(journal.db) == ["ok"], where
    stored = journal.answers(words)
    drafted = [o for o in draft_objects(journal.places, result.stdout) if holds(o, words)]
    assert stored <= 1, where
    if stored:
        assert result.returncode == 0, where  # a committed change is never reported failed
        assert drafted == [], where  # and never kept as a draft as well
        return "saved, said" if "Saved;" in result.stderr else "saved"
    assert len(drafted) == 1, where
    assert result.returncode == 1, where
    assert len(result.stderr.splitlines()) == 1, where
    return "draft" if "kept in" in result.stderr else "on stdout"


@pytest.fixture
def sweep_journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path)


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("syscall", ["pwrite64", "fcntl", "ftruncate", "openat"])
@pytest.mark.parametrize("command", ["edit", "reflect"])
def test_every_failing_call_keeps_the_words(
    sweep_journal: Journal, command: str, syscall: str
) -> None:
    trials, chosen, calls, outcomes = sweep(sweep_journal, command, syscall)
    assert chosen > 0
    print(f"\n{command} {syscall}: {chosen} of {calls} calls, {trials} trials, {outcomes}")


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("command", ["edit-stdin", "reflect-piped"])
def test_every_failing_open_keeps_words_read_from_standard_input(
    sweep_journal: Journal, command: str
) -> None:
    trials, chosen, calls, outcomes = sweep(sweep_journal, command, "openat")
    assert chosen > 0
    print(f"\n{command} openat: {chosen} of {calls} calls, {trials} trials, {outcomes}")


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("command", ["edit", "reflect"])
def test_every_failing_open_of_a_draft_still_keeps_the_words(
    sweep_journal: Journal, command: str
) -> None:
    """The write lock is held elsewhere, so every run keeps a draft: each opening of the
    journal's files (drafts and state folders included) fails in turn."""
    sweep_journal.reset()
    with write_lock_held(sweep_journal.db):
        sweep_journal.busy = True
        trials, chosen, calls, outcomes = sweep(sweep_journal, command, "openat", busy=True)
    assert outcomes.get("draft", 0) + outcomes.get("on stdout", 0) == trials
    print(f"\n{command} openat, busy: {chosen} of {calls} calls, {trials} trials, {outcomes}")


# -- after the commit: delete, restore and backup never report a saved change as failed ----


def stored_notes(db: Path) -> list[str]:
    conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT note FROM entry WHERE kind = 'practice'"))
    finally:
        conn.close()


def outcome_sweep(
    journal: Journal, args: list[str], syscall: str, done: Any, extra: list[Path] = ()
) -> dict[str, int]:
    """Fail each chosen call of `syscall` of `ally ARGS` once with ENOSPC and once with EIO.
    `done()` says whether the change happened. Per trial: exit 0 exactly when it did (a
    later step that failed is said after "Saved;"), else one line and exit 1; never "went
    wrong inside"; the database passes its integrity check."""
    log = journal.root / "trial.trace"
    journal.reset()
    run(journal.env, *args, prefix=("strace", "-f", "-qq", "-y", "-o", str(log),
                                    "-e", f"trace=openat,{syscall}"))  # fmt: skip
    both = main_pid_calls(log, syscall, "openat")
    start = next(i for i, ln in enumerate(both) if "/allycli/__" in ln)  # its first module
    begun = sum(1 for ln in both[:start] if f" {syscall}(" in ln)
    calls = [ln for ln in both if f" {syscall}(" in ln]
    outcomes: dict[str, int] = {}
    trace = ("strace", "-f", "-qq", "-o", str(log), "-e", f"trace={syscall}")
    for n in selected(calls, syscall, journal, begun):
        for error in ("ENOSPC", "EIO"):
            journal.reset()
            for path in extra:  # files the command makes, gone before each trial
                path.unlink(missing_ok=True)
            inject = (*trace, "-e", f"inject={syscall}:error={error}:when={n}")
            result = run(journal.env, *args, prefix=inject)
            where = (args[0], syscall, n, error, result.returncode, result.stderr)
            assert INSIDE not in result.stderr, where
            assert "Traceback" not in result.stderr, where
            assert integrity(journal.db) == ["ok"], where
            if done():
                assert result.returncode == 0, where
                key = "done, said" if "ally: Saved;" in result.stderr else "done"
            else:
                assert result.returncode == 1, where
                assert len(result.stderr.splitlines()) == 1, where
                key = "refused"
            outcomes[key] = outcomes.get(key, 0) + 1
    journal.reset()
    return outcomes


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("syscall", ["pwrite64", "fcntl", "ftruncate"])
def test_delete_is_never_reported_failed_once_saved(sweep_journal: Journal, syscall: str) -> None:
    j = sweep_journal
    outcomes = outcome_sweep(
        j, ["delete", j.practice, "--yes"], syscall, lambda: stored_notes(j.db) == []
    )
    print(f"\ndelete {syscall}: {outcomes}")


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("syscall", ["pwrite64", "fcntl", "ftruncate", "fdatasync"])
def test_backup_is_complete_when_it_says_so_and_never_half_there(
    sweep_journal: Journal, syscall: str
) -> None:
    j = sweep_journal
    copy = j.root / "copy.db"

    def done() -> bool:
        if not copy.exists():
            return False
        assert integrity(copy) == ["ok"]  # a copy left behind is a whole one
        assert stored_notes(copy) == stored_notes(j.db)
        copy.unlink()
        return True

    outcomes = outcome_sweep(j, ["backup", "--output", str(copy)], syscall, done, [copy])
    print(f"\nbackup {syscall}: {outcomes}")


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("syscall", ["pwrite64", "fcntl", "ftruncate"])
def test_restore_is_never_reported_failed_once_the_journal_is_replaced(
    sweep_journal: Journal, syscall: str
) -> None:
    j = sweep_journal
    ok(run(j.env, "log", "voting", "--note", "only in the backup"))
    backup = j.root / "b.db"
    ok(run(j.env, "backup", "--output", str(backup)))
    j.reset()

    def done() -> bool:
        for kept in (j.root / "data" / "backups").glob("*"):
            kept.unlink()
        return "only in the backup" in stored_notes(j.db)

    outcomes = outcome_sweep(j, ["restore", str(backup), "--yes"], syscall, done)
    print(f"\nrestore {syscall}: {outcomes}")


# -- import applies a patch once its id names one entry -------------------------------------

FIRST = "0a0a0a0a-0000-4000-8000-000000000001"
SECOND = "0a0a0a0a-1111-4000-8000-000000000002"


def practice_object(entry_id: str, note: str) -> dict[str, Any]:
    return {
        "id": entry_id, "kind": "practice", "date": "2026-11-20",
        "created_at": "2026-11-20T09:00:00+00:00", "updated_at": "2026-11-20T09:00:00+00:00",
        "pillar": "action", "action_type": "protest", "note": note, "minutes": None,
    }  # fmt: skip


def patch(entry_id: str, note: str, at: str) -> dict[str, Any]:
    return {"kind": "patch", "id": entry_id, "fields": {"note": note}, "updated_at": at}


def test_a_patch_waits_in_its_draft_until_its_id_names_one_entry(
    tmp_path: Path, journal: tuple[Path, dict[str, str]]
) -> None:
    db, env = journal
    entries = tmp_path / "entries.jsonl"
    entries.write_text(
        "".join(json.dumps(practice_object(i, "first")) + "\n" for i in (FIRST, SECOND))
    )
    ok(run(env, "import", str(entries)))
    folder = db.parent / "drafts"
    folder.mkdir(mode=0o700)
    draft = folder / "draft-0a0a0a0a.jsonl"
    draft.write_text(
        json.dumps(patch("0a0a0a0a", "for whichever is left", "2026-11-21T09:00:00+00:00"))
        + "\n"
        + json.dumps(patch(SECOND[:13], "second, patched", "2026-11-21T08:00:00+00:00"))
        + "\n"
    )
    draft.chmod(0o600)

    dry = ok(run(env, "import", "--dry-run", str(draft))).stdout
    assert "1 updated" in dry and "1 change waits" in dry and "Nothing was changed" in dry
    assert sorted(o["note"] for o in exported(env)) == ["first", "first"]

    said = ok(run(env, "import", str(draft))).stdout  # the prefix names two entries: it waits
    assert "1 updated" in said and "1 change waits" in said
    assert "was removed" not in said and draft.exists()
    notes = {o["id"]: (o["note"], o["updated_at"]) for o in exported(env)}
    assert notes == {
        FIRST: ("first", "2026-11-20T09:00:00+00:00"),
        SECOND: ("second, patched", "2026-11-21T08:00:00+00:00"),
    }

    ok(run(env, "delete", FIRST, "--yes"))  # now the prefix names one entry
    said = ok(run(env, "import", str(draft))).stdout
    assert "1 updated, 1 already present" in said and "change waits" not in said
    assert not draft.exists()  # all of it applied or already there: removed
    [left] = exported(env)
    assert (left["id"], left["note"]) == (SECOND, "for whichever is left")


def test_a_malformed_patch_is_refused_whole_naming_its_line(
    tmp_path: Path, journal: tuple[Path, dict[str, str]]
) -> None:
    _, env = journal
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(practice_object(FIRST, "fine"))
        + "\n"
        + json.dumps(patch("0a0a", "x", "2026-11-21T09:00:00+00:00") | {"fields": {"id": 1}})
        + "\n"
    )
    result = run(env, "import", str(bad))
    assert (result.returncode, result.stderr) == (
        1,
        f"ally: {bad}, line 2: a patch cannot change 'id'; nothing was imported.\n",
    )
    assert exported(env) == []
