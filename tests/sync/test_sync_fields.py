"""Sync takes from the hub only what import would take: a rhythm or pause is read by the
same parser (core/objects.parse_object), so one that import refuses is refused here too.

The object is sealed with the hub's own key, as a machine running a different ally (or a
person holding the key) could write it: it opens, and only its content is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from allycli.store.synced import Item
from allycli.sync import hub
from allycli.sync.cipher import Sealer, parse_key
from tests.sync.helpers import Journal, practice, stamp
from tests.sync.test_sync_cli import bare, first_sync, one_line

PAUSE_ID = "3f2a9c1e-0000-4000-8000-0000000000aa"


def _pause(**fields: Any) -> dict[str, Any]:
    return {
        "id": PAUSE_ID, "kind": "pause", "since": "2026-01-01", "until": "2026-01-10",
        "categories": None, "note": None, "created_at": stamp(5), "updated_at": stamp(5),
        **fields,
    }  # fmt: skip


def _rhythm(spec: str) -> dict[str, Any]:
    from allycli.core.objects import rhythm_id

    return {"id": rhythm_id("listening"), "kind": "rhythm", "category": "listening",
            "rhythm": spec, "updated_at": stamp(5)}  # fmt: skip


def _put_on_hub(url: str, key: str, body: dict[str, Any]) -> None:
    """Seal `body` with the hub's key and write it as the hub's newest row."""
    item = Item(body["id"], body["updated_at"], False, body)
    with hub.session(url) as h:
        state = h.prepare(create=False)
        assert state is not None
        h.push(hub.seal_all(Sealer(parse_key(key)), state.hub_id, [item], h.max_change()))


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        (_pause(until="2027-02-05"), "a pause lasts at most 366 days (this one would last 401)"),
        (_pause(note="rest\x00"), "'note' contains a NUL character, which ally does not store"),
        (_rhythm("3/Week"), "'rhythm' must be off or a spec such as 3/week, in lower case"),
    ],
    ids=["pause-401-days", "pause-note-nul", "rhythm-not-canonical"],
)
def test_sync_refuses_a_rhythm_or_pause_that_import_refuses(
    tmp_path: Path, hub_url: str, body: dict[str, Any], refused: str
) -> None:
    a = Journal(tmp_path / "a" / "ally.db")
    b = Journal(tmp_path / "b" / "ally.db")
    a.add(practice("Kept", stamp(0)))
    key = first_sync(a, hub_url)
    _put_on_hub(hub_url, key, body)
    b.add(practice("Here", stamp(1)))
    before = b.dump()

    synced = b.ally("sync", "--url", bare(hub_url), env={"ALLY_SYNC_KEY": key})
    assert synced.returncode == 1, synced.stderr
    said = one_line(synced.stderr)
    assert said.startswith(f"ally: The hub holds an object ({body['id'][:8]}) that this ally")
    assert said.endswith("Nothing was changed here.")
    assert b.dump() == before

    path = tmp_path / "object.jsonl"
    path.write_text(json.dumps(body) + "\n", encoding="utf-8")
    imported = b.ally("import", str(path))
    assert imported.returncode == 1
    assert one_line(imported.stderr) == f"ally: {path}, line 1: {refused}; nothing was imported."
    assert b.dump() == before
