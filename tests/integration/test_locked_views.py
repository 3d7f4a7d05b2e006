"""Plain `ally` and `ally today` on a locked journal never ask: they say it is locked and how
to unlock it, and `today --short` (for a shell prompt) prints nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import pytest

from tests.integration.helpers import ALLY, ally
from tests.integration.test_encryption import (
    PASS,
    env,  # noqa: F401  (the fixture)
    journal_with_markers,
    keyed,
    run_ok,
)

pytest.importorskip("sqlcipher3", reason="the encrypt extra (in the test extra)")


@pytest.mark.parametrize("args", [(), ("today",)], ids=["ally", "today"])
def test_a_locked_journal_is_named_never_asked_for(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
    args: tuple[str, ...],
) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    asked = tmp_path / "asked"
    command = {**env, "ALLY_PASSPHRASE_CMD": f"touch {asked}; echo '{PASS}'"}
    # at a terminal too: nothing asks for the passphrase
    child = pexpect.spawn(sys.executable, [*ALLY[1:], *args], env=command, timeout=120,
                          dimensions=(24, 200), encoding="utf-8")  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    said = child.before or ""
    assert child.exitstatus == 1, said
    assert "Passphrase" not in said
    assert "locked" in said and "ally unlock" in said
    assert "vigilmarker" not in said
    assert not asked.exists()


def test_today_short_prints_nothing_while_locked(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    asked = tmp_path / "asked"
    done = ally({**env, "ALLY_PASSPHRASE_CMD": f"touch {asked}; echo '{PASS}'"}, "today", "--short")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert not asked.exists()
    # the passphrase command is not asked either; a key cached by `ally unlock` is used
    assert ally(keyed(env), "today", "--short").stdout == ""
    unlocked = ally(keyed(env), "unlock")
    if unlocked.returncode != 0:  # a kernel keyring that keeps no key: nothing more to see
        assert "session keyring" in unlocked.stderr, unlocked.stderr
        return
    try:
        assert run_ok(env, "today", "--short").strip() != ""
    finally:
        run_ok(env, "lock")


def test_doctor_runs_the_passphrase_command_and_never_asks(
    env: dict[str, str],  # noqa: F811
) -> None:
    """Locked, doctor checks what it can and says what it cannot know; with the passphrase
    command it checks the journal and each backup; at a terminal it asks nothing."""
    journal_with_markers(env)  # three entries, a backup of two
    run_ok(keyed(env), "encrypt")
    locked = ally(env, "doctor").stdout
    assert "not checked while locked" in locked
    assert "not known while the journal is locked" in locked
    assert "no backup is healthy" not in locked
    checked = ally(keyed(env), "doctor").stdout
    assert "no damage found" in checked and "(2 entries)" in checked
    assert "is the newest healthy backup" in checked
    assert "(locked)" not in checked
    child = pexpect.spawn(sys.executable, [*ALLY[1:], "doctor"], env=env, timeout=120,
                          dimensions=(24, 200), encoding="utf-8")  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert "Passphrase" not in (child.before or "")
    assert "not checked while locked" in (child.before or "")
