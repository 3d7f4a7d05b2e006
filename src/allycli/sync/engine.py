"""One sync: pull what changed on the hub, merge by the one rule, push what wins here.

The journal's write lock is held from start to end, and the hub's work is one transaction
under the sync lock. The hub commits first, then the journal: killed before the hub
commits, neither changed; killed between the two, the hub holds this journal's changes
and the next sync pulls them back as versions the journal already has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from allycli.core import merge
from allycli.core.errors import SyncError
from allycli.store import synced as local
from allycli.store.database import Store
from allycli.sync import urls
from allycli.sync.cipher import Item, Sealer, new_key, parse_key, show_key


@dataclass(frozen=True)
class Plan:
    """What a sync does with the versions on both sides."""

    take: tuple[Item, ...]  # the hub's version wins: write it here
    send: tuple[Item, ...]  # this journal's version wins: send it
    settled: tuple[Item, ...]  # the version both sides hold afterwards, per id
    conflicts: int


@dataclass(frozen=True)
class SyncResult:
    hub: str  # the URL without its password
    sent: int
    received: int
    conflicts: int
    new_key: bool


def version(item: Item) -> merge.Version:
    if item.deleted:
        return merge.tombstone(item.updated_at)
    return merge.Version(item.updated_at, False, merge.canonical(item.body))


def plan(mine: Mapping[str, Item], theirs: Mapping[str, Item]) -> Plan:
    """Pure: per id, the merge rule's choice between this journal's and the hub's version."""
    take: list[Item] = []
    send: list[Item] = []
    settled: list[Item] = []
    conflicts = 0
    for item_id in dict.fromkeys([*theirs, *mine]):
        here, there = mine.get(item_id), theirs.get(item_id)
        if there is None:
            assert here is not None
            send.append(here)
            settled.append(here)
            continue
        outcome = merge.decide(None if here is None else version(here), version(there))
        conflicts += outcome.conflict
        if outcome.takes_incoming:
            take.append(there)
            settled.append(there)
            continue
        assert here is not None
        if merge.decide(version(there), version(here)).takes_incoming:
            send.append(here)  # the hub holds an older or a losing version
        settled.append(here)
    return Plan(tuple(take), tuple(send), tuple(settled), conflicts)


def sync(store: Store, url: str, key_text: str | None, now: datetime) -> SyncResult:
    """Exchange changes with the hub at `url`; the key from ALLY_SYNC_KEY wins over a stored one."""
    from allycli.sync import hub

    url = urls.check(url)
    made_key = False
    with store.writing() as conn:
        stored = local.settings(conn)
        text = key_text or stored.get(local.KEY)
        key = parse_key(text) if text else None
        with hub.session(url) as h:
            state = h.prepare(url)
            assert state is not None
            if state.key_check is None:
                if state.items:
                    raise SyncError(
                        f"The hub at {urls.redact(url)} holds items but no key check; it was "
                        "changed by something other than ally. Nothing was changed."
                    )
                if key is None:
                    key, made_key = new_key(), True
                h.set_key_check(Sealer(key).key_check())
            elif key is None:
                raise SyncError(
                    f"The hub at {urls.redact(url)} already has a key. Run `ally sync "
                    "--show-key` on a machine that syncs with it, and pass the key here with "
                    "ALLY_SYNC_KEY. Nothing was changed."
                )
            elif not Sealer(key).matches(state.key_check):
                source = "ALLY_SYNC_KEY" if key_text else "the key stored here"
                raise SyncError(
                    f"The hub at {urls.redact(url)} uses another key than {source}; run "
                    "`ally sync --show-key` on a machine that syncs with it and pass that "
                    "key with ALLY_SYNC_KEY. Nothing was changed."
                )
            sealer = Sealer(key)
            seen = int(stored.get(local.SEEN, "0"))
            if stored.get(local.HUB) != state.hub_id or h.max_change() < seen:
                # another hub, or this one put back from an older copy: start afresh
                local.restart(conn)
                seen = 0
            theirs: dict[str, Item] = {}
            for row in h.pull(seen):
                theirs[row.id] = sealer.open(row.id, row.updated_at, row.deleted, row.payload)
            mine = local.pending(conn)
            unseen = [i for i in mine if i not in theirs]
            for row in h.rows(unseen):
                theirs[row.id] = sealer.open(row.id, row.updated_at, row.deleted, row.payload)
            mine.update(local.current(conn, (i for i in theirs if i not in mine)))
            chosen = plan(mine, theirs)
            local.apply(conn, chosen.take)  # checked and written here before the hub commits
            last = h.push((i.id, i.updated_at, i.deleted, sealer.seal(i)) for i in chosen.send)
        local.mark_synced(conn, chosen.settled)
        local.save(
            conn,
            {
                local.URL: url,
                local.KEY: show_key(key),
                local.HUB: state.hub_id,
                local.SEEN: str(last),
                local.LAST: now.isoformat(timespec="seconds"),
            },
        )
    if chosen.take:
        store.checkpoint()  # replaced text leaves no copy in the write-ahead log
    return SyncResult(
        hub=urls.redact(url),
        sent=len(chosen.send),
        received=len(chosen.take),
        conflicts=chosen.conflicts,
        new_key=made_key,
    )
