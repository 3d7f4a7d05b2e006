"""Every test runs against its own files: no test can touch a real journal."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("ALLY_DB", str(tmp_path / "ally.db"))
    monkeypatch.delenv("ALLY_PROMPTS", raising=False)
    monkeypatch.delenv("ALLY_PASSPHRASE_CMD", raising=False)
    monkeypatch.delenv("ALLY_NEW_PASSPHRASE_CMD", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    # a test on a pseudo-terminal reads ally's output itself: no pager waits for a key
    # (tests/cli/test_pager.py sets its own)
    monkeypatch.setenv("ALLY_PAGER", "cat")
    return tmp_path


@pytest.fixture
def db_path(isolated: Path) -> Path:
    return isolated / "ally.db"
