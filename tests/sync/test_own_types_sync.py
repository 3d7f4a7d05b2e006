"""Action types of one's own travel by sync: real `ally` processes, a real PostgreSQL hub."""

from __future__ import annotations

import json

from tests.sync.helpers import Journal


def ok(done: object) -> str:
    assert done.returncode == 0, done.stderr  # type: ignore[attr-defined]
    return str(done.stdout)  # type: ignore[attr-defined]


def test_a_type_added_on_one_machine_and_renamed_on_the_other_is_one_type_under_the_later_name(
    a: Journal, b: Journal, hub_url: str
) -> None:
    ok(a.ally("type", "add", "mutual-aid", "--pillar", "action", "--alias", "aid"))
    ok(a.ally("type", "add", "care", "--pillar", "action"))
    ok(a.ally("log", "mutual-aid", "--note", "Rides to the clinic"))
    ok(a.ally("log", "aid"))
    ok(a.ally("sync", "--url", hub_url))
    key = ok(a.ally("sync", "--show-key")).strip()
    env = {"ALLY_SYNC_KEY": key, "ALLY_SYNC_URL": hub_url}
    ok(b.ally("type", "add", "care", "--pillar", "listening"))  # the same name, added here too
    ok(b.ally("sync", env=env))
    ok(b.ally("type", "rename", "mutual-aid", "solidarity"))
    ok(b.ally("log", "solidarity"))
    ok(a.ally("log", "mutual-aid"))  # made on the laptop before it hears of the rename
    ok(b.ally("sync", env=env))
    ok(a.ally("sync"))
    ok(b.ally("sync", env=env))
    for journal in (a, b):
        listed = json.loads(ok(journal.ally("list", "--json")))
        assert len(listed) == 4
        assert {e["action_type"] for e in listed} == {"solidarity"}
        types = json.loads(ok(journal.ally("type", "list", "--json")))
        mine = [(t["key"], t["name"]) for t in types if t["own"]]
        assert mine == [("care", "care"), ("mutual-aid", "solidarity")]
    assert ok(a.ally("export")) == ok(b.ally("export"))
    assert ok(a.ally("log", "aid")).startswith("Logged solidarity (action)")
