"""Every test runs against its own files: no test can touch a real journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from allycli.shell.session import isolated_env


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    for name, value in isolated_env(home, tmp_path / "ally.db").items():
        monkeypatch.setenv(name, value)
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
