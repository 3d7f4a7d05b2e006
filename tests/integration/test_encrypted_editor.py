"""An editor that fails on an encrypted journal: what was written is sealed as a draft, the
editor's file is removed, and no word of it stays in clear anywhere ally writes."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import pytest

from tests.integration.helpers import ALLY, ally
from tests.integration.test_encryption import (
    env,  # noqa: F401  (the fixture)
    journal_with_markers,
    keyed,
    run_ok,
    scanned,
)

pytest.importorskip("sqlcipher3", reason="the encrypt extra (in the test extra)")


def stand_in(tmp_path: Path, written: bytes, status: int) -> str:
    """A stand-in editor that writes `written` over the file and exits with `status`; the
    script spells every byte as an octal escape, so it holds no marker word itself."""
    script = tmp_path / f"editor-{status}.sh"
    escaped = "".join(f"\\{byte:03o}" for byte in written)
    script.write_text(
        '#!/bin/sh\nfor a in "$@"; do last="$a"; done\n'
        f"printf '{escaped}' > \"$last\"; exit {status}\n",
        encoding="utf-8",
    )
    script.chmod(0o700)
    return str(script)


def failing_editor(tmp_path: Path, written: str) -> str:
    return stand_in(tmp_path, written.encode(), 3)


def sealed_draft(said: str) -> str:
    """The draft that the one line on stderr names."""
    assert said.count("\n") == 1, said
    (path,) = {w.strip("`.,;") for w in said.split() if w.strip("`.,;").endswith(".sealed")}
    return path


def nothing_in_clear(journal_env: dict[str, str]) -> None:
    runtime = Path(journal_env["XDG_RUNTIME_DIR"])
    assert [p for p in runtime.rglob("*") if p.is_file()] == []  # the editor's file went
    assert scanned(journal_env) == []


@pytest.mark.parametrize(
    ("command", "written", "status", "why", "kept"),
    [
        (("log", "protest", "--edit"), b"answermarker half of it", 3,
         "The editor exited with status 3", "answermarker half of it"),
        (("reflect", "--edit"), b"answermarker half of it", 3,
         "The editor exited with status 3", "answermarker half of it"),
        (("log", "money", "--edit"), b"answermarker one\x00two", 0,
         "The text contains a NUL character", "answermarker one\ufffdtwo"),
    ],
    ids=["log", "reflect", "nul"],
)  # fmt: skip
def test_a_failed_editor_seals_the_text_as_a_draft(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
    command: tuple[str, ...],
    written: bytes,
    status: int,
    why: str,
    kept: str,
) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    done = ally({**keyed(env), "EDITOR": stand_in(tmp_path, written, status)}, *command)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"ally: {why}")
    what = "note" if command[0] == "log" else "answer"
    assert f"your {what} was kept in " in done.stderr
    draft = sealed_draft(done.stderr)
    nothing_in_clear(env)
    run_ok(keyed(env), "import", draft)
    assert kept in run_ok(keyed(env), "list", "--limit", "100")


def test_edit_at_the_terminal_seals_the_changed_text(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    entry_id = run_ok(keyed(env), "list").split()[0]
    editing = {**keyed(env), "EDITOR": failing_editor(tmp_path, "answermarker rewritten"),
               "COLUMNS": "2000"}  # fmt: skip
    child = pexpect.spawn(
        sys.executable, [*ALLY[1:], "edit", entry_id], env=editing, timeout=120,
        dimensions=(24, 2000), encoding="utf-8",
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    said = (child.before or "").replace("\r\n", "\n").strip() + "\n"
    assert child.exitstatus == 1, said
    assert "your change was kept in " in said
    draft = sealed_draft(said)
    nothing_in_clear(env)
    run_ok(keyed(env), "import", draft)
    listed = run_ok(keyed(env), "list", "--limit", "100")
    assert "answermarker rewritten" in listed
    assert listed.count("vigilmarker") == 0  # the newest entry's note was replaced, not added
