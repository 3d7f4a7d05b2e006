"""SIGTERM and SIGHUP keep the words as Ctrl-C does, through the installed executable with
real signals: during a write that waits for a lock another process holds, and while a
person types an answer at a terminal (where Ctrl-C still cancels)."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pexpect
import pytest

from .helpers import started, write_lock_held
from .test_never_lose_a_word import BIN, drafts_in, env_for, ok, places, run
from .test_typing import CTRL_C, READY

WAITING = "another program is using the database; waiting for it to finish"


def draft_words(tmp_path: Path, db: Path) -> list[str]:
    found = []
    for draft in drafts_in(places(tmp_path, db)):
        for line in draft.read_text("utf-8").splitlines():
            obj = json.loads(line)
            found.append(obj.get("note") or obj.get("answer"))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_signal_during_a_waiting_write_keeps_the_words(tmp_path: Path, signum: int) -> None:
    db = tmp_path / "ally.db"
    env = env_for(tmp_path, db, ALLY_BUSY_TIMEOUT="120")
    ok(run(env, "log", "money"))
    with write_lock_held(db):
        proc = started([str(BIN), "log", "protest", "--note", "words to keep"], env)
        assert proc.stderr is not None
        assert WAITING in proc.stderr.readline()  # it waits for the lock now
        proc.send_signal(signum)
        # it ends while the lock is still held: it did not wait for the lock to go
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err and "went wrong inside" not in err
    assert err.startswith("ally: Stopped; your entry was kept in "), err
    assert draft_words(tmp_path, db) == ["words to keep"]
    assert [o.get("note") for o in map(json.loads, ok(run(env, "export")).stdout.splitlines())] == [
        None
    ]


def spawn_reflect(env: dict[str, str]) -> pexpect.spawn:
    child = pexpect.spawn(
        str(BIN), ["reflect"], env={**env, "TERM": "xterm-256color"}, dimensions=(24, 80),
        encoding="utf-8", timeout=60,
    )  # fmt: skip
    child.expect_exact(READY)
    child.send("half of an answer")
    child.expect_exact("answer")
    time.sleep(0.5)  # the keys reach the reader's buffer
    return child


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_signal_while_typing_keeps_what_was_typed(tmp_path: Path, signum: int) -> None:
    db = tmp_path / "ally.db"
    env = env_for(tmp_path, db)
    child = spawn_reflect(env)
    child.kill(signum)
    child.expect(pexpect.EOF)  # (on SIGHUP ally lets go of the terminal before it ends)
    assert child.wait() == 128 + signum, child.signalstatus
    assert draft_words(tmp_path, db) == ["half of an answer"]
    if signum == signal.SIGHUP:  # the terminal is gone: nothing more is written to it
        assert "Stopped" not in (child.before or "")


@pytest.mark.slow
def test_ctrl_c_while_typing_still_cancels(tmp_path: Path) -> None:
    db = tmp_path / "ally.db"
    env = env_for(tmp_path, db)
    child = spawn_reflect(env)
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Stopped; nothing was saved." in (child.before or "")
    assert draft_words(tmp_path, db) == []
