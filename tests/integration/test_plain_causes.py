"""Plain causes: a journal on a file system mounted read-only, or on a full disk, is named as
such (through the installed executable, on a real tmpfs), not "check that its folder
exists and is yours"."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .test_drafts import fill, small_disk  # noqa: F401 - small_disk is a fixture
from .test_never_lose_a_word import env_for, ok, run


def test_a_read_only_file_system_is_named(tmp_path: Path, small_disk: Path) -> None:  # noqa: F811
    db = small_disk / "ally.db"
    env = env_for(tmp_path, db)
    ok(run(env, "log", "money", "--note", "before"))
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run(env, "log", "protest", "--note", "kept words")
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"ally: The database {db} is on a read-only file system; reading commands still work, "
        "but to record anything remount it read-write or point ALLY_DB at a file elsewhere; "
        "your entry was kept in "
    ), result.stderr
    assert "before" in ok(run(env, "list")).stdout  # reads still work
    doctor = run(env, "doctor")
    assert "no: it is on a read-only file system" in doctor.stdout, doctor.stdout
    assert "chmod" not in doctor.stdout
    backup = run(env, "backup")
    assert "read-only file system" in backup.stderr.lower(), backup.stderr


def test_a_full_disk_is_named_by_doctor(tmp_path: Path, small_disk: Path) -> None:  # noqa: F811
    db = small_disk / "ally.db"
    env = env_for(tmp_path, db)
    ok(run(env, "log", "money", "--note", "before"))
    fill(small_disk)
    doctor = run(env, "doctor")
    assert doctor.returncode == 1
    assert "full: nothing can be recorded until there is room" in doctor.stdout, doctor.stdout
    assert "are yours" not in doctor.stdout
