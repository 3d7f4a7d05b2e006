"""Standard output that cannot be written, for every command that prints, through the installed
executable: a reader that left (EPIPE) is a quiet exit 0; a full (ENOSPC), failing (EIO) or
closed (EBADF) standard output is one line and exit 1 (exit 0 with "Saved" after a commit);
never "went wrong inside". Both with Python's output buffered and unbuffered."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .test_never_lose_a_word import BIN, INSIDE, env_for, needs_strace, ok, run

FULL = "ally: Could not write to standard output (No space left on device); nothing was changed.\n"

PRINTING = [
    ["list"],
    ["list", "--json"],
    ["export"],
    ["export", "--format", "csv"],
    ["export", "--format", "md"],
    ["show", "ID"],
    ["show", "ID", "--json"],
    ["search", "note"],
    ["report"],
    ["report", "--json"],
    ["calendar"],
    ["reflect", "--list"],
    ["reflect", "--prompts"],
    ["rhythm"],
    ["pause", "--list"],
    ["doctor"],
    ["sync", "--status"],
    ["--help"],
    ["--version"],
]


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], str]:
    """A journal with enough entries that an export fills a pipe's buffer."""
    root = tmp_path_factory.mktemp("output")
    db = root / "ally.db"
    env = env_for(root, db)
    lines = [
        json.dumps({"id": f"00000000-0000-4000-8000-{n:012d}", "kind": "practice",
                    "date": "2026-11-01", "created_at": f"2026-11-01T10:{n // 60 % 60:02d}:"
                    f"{n % 60:02d}+00:00", "pillar": "action", "action_type": "money",
                    "note": f"note {n} " + "x" * 200, "minutes": None})
        for n in range(400)
    ]  # fmt: skip
    ok(run(env, "import", "-", input="\n".join(lines) + "\n"))
    ok(run(env, "reflect", "--answer", "an answer"))
    return env, "00000000-0000-4000-8000-000000000007"


def ally_to(
    env: dict[str, str], args: list[str], stdout: Any, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(BIN), *args], env=env, stdin=subprocess.DEVNULL, stdout=stdout,
        stderr=subprocess.PIPE, timeout=120, check=False, preexec_fn=preexec,
    )  # fmt: skip


def envs(env: dict[str, str]) -> list[dict[str, str]]:
    buffered = {k: v for k, v in env.items() if k != "PYTHONUNBUFFERED"}
    return [buffered, {**buffered, "PYTHONUNBUFFERED": "1"}]


def command(args: list[str], entry: str) -> list[str]:
    return [entry if a == "ID" else a for a in args]


@pytest.mark.slow
def test_a_full_standard_output_is_one_line_for_every_command(
    journal: tuple[dict[str, str], str],
) -> None:
    env, entry = journal
    for each in envs(env):
        for args in PRINTING:
            with open("/dev/full", "wb") as full:
                result = ally_to(each, command(args, entry), full)
            said = result.stderr.decode()
            assert (result.returncode, said) == (1, FULL), (args, said)


@pytest.mark.slow
def test_a_reader_that_left_is_a_quiet_exit_0_for_every_command(
    journal: tuple[dict[str, str], str],
) -> None:
    env, entry = journal
    for each in envs(env):
        for args in PRINTING:
            read, write = os.pipe()
            os.close(read)  # the reader left before ally wrote anything
            try:
                result = ally_to(each, command(args, entry), write)
            finally:
                os.close(write)
            assert (result.returncode, result.stderr.decode()) == (0, ""), args


@pytest.mark.slow
def test_a_commit_then_a_full_or_gone_output_still_says_saved(tmp_path: Path) -> None:
    env = env_for(tmp_path, tmp_path / "ally.db")
    with open("/dev/full", "wb") as full:
        result = ally_to(env, ["log", "money", "--note", "kept"], full)
    assert result.returncode == 0
    assert result.stderr.decode() == (
        "ally: Saved; the confirmation could not be printed on standard output "
        "(No space left on device).\n"
    )
    read, write = os.pipe()
    os.close(read)
    try:
        result = ally_to(env, ["log", "protest"], write)
    finally:
        os.close(write)
    assert result.returncode == 0
    assert len(json.loads(ok(run(env, "list", "--json")).stdout)) == 2


@needs_strace
@pytest.mark.slow
def test_a_failing_or_closed_standard_output_is_one_line(
    journal: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, entry = journal
    out = tmp_path / "out"
    for args in (["export"], ["show", entry]):
        with out.open("wb") as fh:
            traced = subprocess.run(
                ["strace", "-f", "-qq", "-o", "/dev/null", "-P", str(out), "-e", "trace=write",
                 "-e", "inject=write:error=EIO", str(BIN), *args],
                env=env, stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.PIPE,
                timeout=120, check=False,
            )  # fmt: skip
        said = traced.stderr.decode()
        assert INSIDE not in said
        assert (traced.returncode, said) == (
            1,
            "ally: Could not write to standard output (Input/output error); nothing was changed.\n",
        ), args
        closed = ally_to(env, args, subprocess.DEVNULL, preexec=lambda: os.close(1))
        said = closed.stderr.decode()
        assert (closed.returncode, said) == (
            1,
            "ally: Could not write to standard output (standard output is closed); nothing was "
            "changed.\n",
        ), args
