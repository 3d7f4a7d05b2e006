"""One sync: pull what changed on the hub, merge by the one rule, push what wins here.

Three steps, so the journal's write lock is never held while the network is in use:
1. read what waits to be sent and the record of the hub (a read transaction);
2. on the hub, in one transaction under the sync lock: check the key, check that the hub
   still holds what the record says (the row at the last change number seen, then a
   checksum the hub computes), pull what is new (everything, when the hub lost or changed
   rows), decide by the merge rule, and push what wins here;
3. after the hub commits, write what came back, merged again against the journal as it is
   now (an edit made during the sync is never overwritten by an older version), and the
   record of what the hub holds.
Killed before the hub commits, neither changed (except a new key, stored first, marked
unconfirmed); killed between the hub's commit and the journal's, the next sync pulls back
this journal's own versions and settles them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from allycli.core import merge
from allycli.core.errors import SyncError
from allycli.store import synced as local
from allycli.store.database import Store
from allycli.sync import urls
from allycli.sync.cipher import Item, Refused, Sealer, digest, mark, new_key, parse_key, show_key

if TYPE_CHECKING:
    from allycli.sync.hub import HubRow


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
    refused: int = 0  # rows on the hub that do not open here: not applied
    healed: bool = False  # the hub had lost or changed rows: everything was pulled again
    upgraded: int | None = None  # rows of a schema-1 hub sealed again (None: no upgrade)
    left_out: int = 0  # rows of a schema-1 hub that did not open, left out of the upgrade


@dataclass
class _Pulled:
    """What one sync saw on the hub: the items that opened, and every row for the record."""

    items: dict[str, Item] = field(default_factory=dict)
    rows: dict[str, tuple[str | None, int, bytes, int]] = field(default_factory=dict)


def version(item: Item) -> merge.Version:
    if item.deleted:
        return merge.tombstone(item.updated_at)
    return merge.Version(item.updated_at, False, merge.canonical(item.body))


def same(a: Item, b: Item) -> bool:
    """The whole version: time (as written), deleted flag and content."""
    return a.updated_at == b.updated_at and version(a) == version(b)


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
        if not same(here, there):
            send.append(here)  # the hub holds an older or a losing version
        settled.append(here)
    return Plan(tuple(take), tuple(send), tuple(settled), conflicts)


def _open(sealer: Sealer, hub_id: str, rows: Iterable[HubRow], into: _Pulled) -> None:
    """Open each row; one that does not open is recorded as refused and never applied."""
    for row in rows:
        share = mark(row.digest, row.change)
        try:
            if digest(row.payload) != row.digest:
                raise Refused
            item = sealer.open(row.payload, hub_id, row.ref, row.change)
        except Refused:
            into.rows[row.ref] = (None, row.change, row.digest, share)
            continue
        local.check(item)  # a newer ally's object: an error, before the hub commits
        into.items[item.id] = item
        into.rows[row.ref] = (item.id, row.change, row.digest, share)


def sync(store: Store, url: str, key_text: str | None, now: datetime) -> SyncResult:
    """Exchange changes with the hub at `url`; the key from ALLY_SYNC_KEY wins over a stored one."""
    from allycli.sync import hub
    from allycli.sync.hubmodel import HUB_VERSION

    url = urls.check(url)
    where = urls.redact(url)
    with store.reading() as conn:
        stored = local.settings(conn)
        mine = local.pending(conn)
        seen = _int(stored.get(local.SEEN))
        at_seen = local.row_at(conn, seen) if seen else None
        count, total = local.checksum(conn)
        was_refused = local.refused(conn)
    text = key_text or stored.get(local.KEY)
    key = parse_key(text) if text else None
    made_key = False
    upgraded: int | None = None
    left_out = 0
    with hub.session(url) as h:
        state = h.prepare()
        assert state is not None
        if state.key_check is None:
            if state.items:
                raise SyncError(
                    f"The hub at {where} holds items but no key check; it was changed by "
                    "something other than ally. Nothing was changed."
                )
            if key is None:
                key, made_key = new_key(), True
                with store.writing() as conn:  # before the hub commits: never a lost key
                    local.save(conn, {local.KEY: show_key(key), local.UNCONFIRMED: "1"})
            h.set_key_check(Sealer(key).key_check())
        elif key is None:
            raise SyncError(
                f"The hub at {where} already has a key. Run `ally sync --show-key` on a "
                "machine that syncs with it, and pass the key here with ALLY_SYNC_KEY. "
                "Nothing was changed."
            )
        elif not Sealer(key).matches(state.key_check):
            if not key_text and stored.get(local.UNCONFIRMED):
                with store.writing() as conn:
                    local.drop_key(conn)
                raise SyncError(
                    f"Another machine set up the hub at {where} first, so the key made here "
                    "was dropped. Run `ally sync --show-key` on that machine, and pass the key "
                    "here with ALLY_SYNC_KEY. Nothing else was changed.",
                    after_commit=True,
                )
            source = "ALLY_SYNC_KEY" if key_text else "the key stored here"
            raise SyncError(
                f"The hub at {where} uses another key than {source}; run `ally sync "
                "--show-key` on a machine that syncs with it and pass that key with "
                "ALLY_SYNC_KEY. Nothing was changed."
            )
        sealer = Sealer(key)
        if state.version < HUB_VERSION:
            left_out = h.upgrade(sealer.open_v1, state.hub_id, sealer)
            upgraded = state.items - left_out
        pulled = _Pulled()
        # the hub still holds what this journal saw, or everything is pulled again
        full = stored.get(local.HUB) != state.hub_id or upgraded is not None
        there = h.digest_at(seen) if seen else None
        if not full and seen:
            # a restore gives that number out again; a row moved up was overwritten since
            full = at_seen is None or there not in (None, at_seen[1])
        if not full:
            _open(sealer, state.hub_id, h.pull(seen), pulled)
            if seen and at_seen is not None and there is None:
                full = at_seen[0] not in pulled.rows  # lost, not overwritten by a later change
        if not full:
            with store.reading() as conn:
                old = local.marks(conn, pulled.rows)
            count += len(pulled.rows) - len(old)
            total += sum(r[3] for r in pulled.rows.values()) - sum(old.values())
            full = h.checksum() != (count, total)
        if full:
            pulled = _Pulled()
            _open(sealer, state.hub_id, h.pull(0), pulled)
            if stored.get(local.HUB) is not None:  # else everything waits already
                with store.reading() as conn:
                    mine = local.current(conn, local.ids(conn))
        else:
            unseen = [sealer.ref(i) for i in mine if i not in pulled.items]
            _open(sealer, state.hub_id, h.rows(unseen), pulled)
        with store.reading() as conn:
            mine.update(local.current(conn, (i for i in pulled.items if i not in mine)))
            # a row that does not open is overwritten by this machine's version, if it has one
            bad = {r for r, row in pulled.rows.items() if row[0] is None}
            bad |= {r for r, _, _ in was_refused if r not in pulled.rows and not full}
            if bad:
                holds = [i for i in local.ids(conn) if sealer.ref(i) in bad]
                mine.update(local.current(conn, holds))
        chosen = plan(mine, pulled.items)
        send = list(chosen.send)
        sending = {i.id for i in send}
        send += [mine[i] for i in mine if sealer.ref(i) in bad and i not in sending]
        pushed: list[hub.HubRow] = []

        top = h.max_change()  # read before the COPY starts: one statement at a time

        def sealed() -> Iterator[hub.HubRow]:
            for row in hub.seal_all(sealer, state.hub_id, send, top):
                pushed.append(row)
                yield row

        h.push(sealed())
        last = top + len(pushed)
    for item, row in zip(send, pushed, strict=True):
        pulled.rows[row.ref] = (item.id, row.change, row.digest, mark(row.digest, row.change))
    with store.writing() as conn:
        fresh = local.current(conn, [i.id for i in chosen.take])
        take = [
            item
            for item in chosen.take
            if merge.decide(
                version(fresh[item.id]) if item.id in fresh else None, version(item)
            ).takes_incoming
        ]
        local.apply(conn, take)
        now_held = local.current(conn, [i.id for i in chosen.settled])
        local.mark_synced(
            conn, [i for i in chosen.settled if i.id in now_held and same(now_held[i.id], i)]
        )
        if full:
            local.clear_record(conn)
        local.record(conn, ((ref, *row) for ref, row in pulled.rows.items()))
        refused = len(local.refused(conn))
        local.save(
            conn,
            {
                local.URL: urls.without_password(url),
                local.KEY: show_key(key),
                local.HUB: state.hub_id,
                local.SEEN: str(last),
                local.LAST: now.isoformat(timespec="seconds"),
            },
        )
        local.confirm_key(conn)
    if take:
        store.checkpoint()  # replaced text leaves no copy in the write-ahead log
    return SyncResult(
        hub=where,
        sent=len(send),
        received=len(take),
        conflicts=chosen.conflicts,
        new_key=made_key,
        refused=refused,
        healed=full and seen > 0 and stored.get(local.HUB) == state.hub_id,
        upgraded=upgraded,
        left_out=left_out,
    )


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
