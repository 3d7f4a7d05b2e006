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
