"""Sync from an encrypted journal, in real processes against the private PostgreSQL hub."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sync.helpers import Journal, practice, stamp
from tests.sync.pgcluster import PASSWORD

pytest.importorskip("sqlcipher3", reason="the encrypt extra (in the test extra)")

KEYED = {"ALLY_PASSPHRASE_CMD": "printf '%s\\n' 'sync words'"}
WORD = "Quillwortmarch"


def test_an_encrypted_journal_syncs_and_keeps_its_sync_key_inside(
    tmp_path: Path, hub_url: str
) -> None:
    a = Journal(tmp_path / "laptop" / "ally.db")
    b = Journal(tmp_path / "desktop" / "ally.db")
    a.add(practice(f"Marched with {WORD}", stamp(0, 1)))
    encrypted = a.ally("encrypt", env=KEYED)
    assert encrypted.returncode == 0, encrypted.stderr
    done = a.ally("sync", "--url", hub_url.replace(f":{PASSWORD}@", "@"), env=KEYED)
    assert done.returncode == 0, done.stderr
    key = a.ally("sync", "--show-key", env=KEYED).stdout.strip()
    assert key and key.encode() not in a.path.read_bytes()  # the sync key is inside, encrypted
    assert WORD.encode() not in a.path.read_bytes()
    locked = a.ally("sync")  # no key and no terminal: refused in one line, nothing asked
    assert locked.returncode == 1
    assert "ally unlock" in locked.stderr and len(locked.stderr.strip().splitlines()) == 1
    joined = b.ally("sync", env={"ALLY_SYNC_KEY": key, "ALLY_SYNC_URL": hub_url})
    assert joined.returncode == 0, joined.stderr
    assert WORD in b.export()
