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
unconfirmed; a hub that shows another key never makes this journal delete it); killed
between the hub's commit and the journal's, the next sync pulls back this journal's own
versions and settles them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from allycli.core import merge
from allycli.core.errors import SyncError
from allycli.store import synced as local
from allycli.store.database import Store
from allycli.store.synced import SeenRow
from allycli.sync import urls
from allycli.sync.cipher import (
    Item,
    Refused,
    Sealer,
    check_fingerprint,
    digest,
    key_fingerprint,
    mark,
    new_key,
    parse_key,
    show_key,
)

if TYPE_CHECKING:
    from allycli.sync.hub import Hub, HubRow, HubState


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
    lost: int = 0  # when healed: rows the record holds that the hub lost or changed
    restored: bool = False  # when healed: the hub's change numbers went back (a restore)
    recreated: bool = False  # the hub's schema was made again (a new hub id)


@dataclass
class _Pulled:
    """What one sync saw on the hub: the items that opened, and every row for the record."""

    items: dict[str, Item] = field(default_factory=dict)
    rows: dict[str, SeenRow] = field(default_factory=dict)  # by reference


@dataclass
class _Journal:
    """What the journal holds before the hub is reached, read in one transaction."""

    stored: dict[str, str]  # the sync settings
    mine: dict[str, Item]  # what waits to be sent; the versions to weigh join it later
    seen: int  # the last change number seen on the hub
    at_seen: SeenRow | None  # the row recorded at that change number
    count: int  # the record's checksum: how many rows ...
    total: int  # ... and the sum of their marks
    refused: list[SeenRow]  # the rows that did not open at the last sync


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
            into.rows[row.ref] = SeenRow(row.ref, None, row.change, row.digest, share)
            continue
        local.check(item)  # a newer ally's object: an error, before the hub commits
        into.items[item.id] = item
        into.rows[row.ref] = SeenRow(row.ref, item.id, row.change, row.digest, share)


def sync(
    store: Store,
    url: str,
    key_text: str | None,
    now: datetime,
    on_wait: Callable[[str], None] | None = None,
) -> SyncResult:
    """Exchange changes with the hub at `url`; the key from ALLY_SYNC_KEY wins over a stored one.
    `on_wait` is told what the sync waits for, once it has waited a while on the hub."""
    import random

    from allycli.sync import hub

    url = urls.check(url)
    where = urls.redact(url)
    journal = _read_journal(store)
    with hub.session(url, on_wait=on_wait) as h:
        state = h.prepare()
        assert state is not None
        key, made_key = _negotiate_key(store, h, state, journal, key_text, where)
        sealer = Sealer(key)
        upgraded, left_out = _upgrade(h, state, sealer)
        pulled, full = _pull(store, h, state, sealer, journal, upgraded is not None)
        bad = _weigh(store, sealer, journal, pulled, full)
        chosen = plan(journal.mine, pulled.items)
        send = _to_send(chosen, journal.mine, bad, sealer)
        # in a random order, so change numbers do not tell entries, rhythms, pauses and
        # deletes apart
        random.SystemRandom().shuffle(send)
        healed = full and journal.seen > 0 and journal.stored.get(local.HUB) == state.hub_id
        lost, restored = _healed(store, pulled, journal, h.max_change()) if healed else (0, False)
        pushed, last = _push(h, sealer, state.hub_id, send)
    for item, row in zip(send, pushed, strict=True):
        pulled.rows[row.ref] = SeenRow(
            row.ref, item.id, row.change, row.digest, mark(row.digest, row.change)
        )
    record = _Record(url, key, state.hub_id, last, now)
    take, refused = _write_back(store, chosen, pulled, full, record)
    if take:
        store.checkpoint()  # replaced text leaves no copy in the write-ahead log
    return SyncResult(
        hub=where,
        sent=len(send),
        received=len(take),
        conflicts=chosen.conflicts,
        new_key=made_key,
        refused=refused,
        healed=healed,
        upgraded=upgraded,
        left_out=left_out,
        lost=lost,
        restored=restored,
        recreated=journal.stored.get(local.HUB) not in (None, state.hub_id) and upgraded is None,
    )


def _healed(store: Store, pulled: _Pulled, journal: _Journal, top: int) -> tuple[int, bool]:
    """When everything was pulled because the hub no longer held what the record says: how
    many recorded rows it lost or holds changed (content or change number), and whether
    what the checks saw is a restore (its change numbers went back, or the last one seen
    here now holds a row that no machine wrote before: numbers given out again), rather
    than rows deleted, swapped or renumbered in place."""
    with store.reading() as conn:
        record = local.recorded(conn)
    rows = pulled.rows
    lost = sum(
        1 for ref, seen in record.items()
        if ref not in rows or (rows[ref].digest, rows[ref].change) != seen
    )  # fmt: skip
    known = {d for d, _ in record.values()}
    at_seen = [row for row in rows.values() if row.change == journal.seen]
    reused = any(row.digest not in known for row in at_seen)
    return lost, top < journal.seen or reused


def _read_journal(store: Store) -> _Journal:
    """What waits to be sent and the record of the hub (a read transaction)."""
    with store.reading() as conn:
        stored = local.settings(conn)
        seen = _int(stored.get(local.SEEN))
        count, total = local.checksum(conn)
        return _Journal(
            stored=stored,
            mine=local.pending(conn),
            seen=seen,
            at_seen=local.row_at(conn, seen) if seen else None,
            count=count,
            total=total,
            refused=local.refused(conn),
        )


def _negotiate_key(
    store: Store, h: Hub, state: HubState, journal: _Journal, key_text: str | None, where: str
) -> tuple[bytes, bool]:
    """The key this sync uses, and whether it was made now (for an empty hub: stored here,
    unconfirmed, before the hub commits anything, so no hub ever holds a key nobody has)."""
    text = key_text or journal.stored.get(local.KEY)
    key = parse_key(text) if text else None
    if state.key_check is None:
        if state.items:
            raise SyncError(
                f"The hub at {where} holds items but no key check; it was changed by "
                "something other than ally. Nothing was changed."
            )
        made = key is None
        if key is None:
            key = new_key()
            with store.writing() as conn:  # before the hub commits: never a lost key
                local.save(conn, {local.KEY: show_key(key), local.UNCONFIRMED: "1"})
        h.set_key_check(Sealer(key).key_check())
        return key, made
    if key is None:
        raise SyncError(
            f"The hub at {where} already has a key. Run `ally sync --show-key` on a "
            "machine that syncs with it, and pass the key here with ALLY_SYNC_KEY. "
            "Nothing was changed."
        )
    if not Sealer(key).matches(state.key_check):
        if not key_text and journal.stored.get(local.UNCONFIRMED):
            # never deleted: it may be the only copy of the key of a hub set up elsewhere
            hub_check = check_fingerprint(state.key_check)
            with store.writing() as conn:
                local.mark_not_the_hubs(conn, hub_check)
            raise SyncError(
                f"Another machine set up the hub at {where} first, with another key (its key "
                f"check {hub_check}); the unconfirmed key made here ({key_fingerprint(key)}) "
                "is kept. Run `ally sync --show-key` on a machine that syncs with that hub, "
                "and pass its key here with ALLY_SYNC_KEY. Nothing else was changed.",
                after_commit=True,
            )
        source = "ALLY_SYNC_KEY" if key_text else "the key stored here"
        raise SyncError(
            f"The hub at {where} uses another key than {source}; run `ally sync "
            "--show-key` on a machine that syncs with it and pass that key with "
            "ALLY_SYNC_KEY. Nothing was changed."
        )
    return key, False


def _upgrade(h: Hub, state: HubState, sealer: Sealer) -> tuple[int | None, int]:
    """A schema-1 hub sealed again under this schema: (rows upgraded or None, rows left out)."""
    from allycli.sync.hubmodel import HUB_VERSION

    if state.version >= HUB_VERSION:
        return None, 0
    left_out = h.upgrade(sealer.open_v1, state.hub_id, sealer)
    return state.items - left_out, left_out


def _pull(
    store: Store, h: Hub, state: HubState, sealer: Sealer, journal: _Journal, upgraded: bool
) -> tuple[_Pulled, bool]:
    """The rows that changed since the last sync and those holding what waits here; or,
    when the hub lost or changed rows, every row (and every version here joins what is
    weighed). Returns what was pulled and whether it was everything."""
    pulled = _Pulled()
    there = h.digest_at(journal.seen) if journal.seen else None
    full = _pull_all_first(state.hub_id, journal, there, upgraded)
    if not full:
        _open(sealer, state.hub_id, h.pull(journal.seen), pulled)
        full = _hub_forgot(store, h, journal, pulled, there)
    if full:
        pulled = _Pulled()
        _open(sealer, state.hub_id, h.pull(0), pulled)
        if journal.stored.get(local.HUB) is not None:  # else everything waits already
            with store.reading() as conn:
                journal.mine = local.current(conn, local.ids(conn))
    else:
        unseen = [sealer.ref(i) for i in journal.mine if i not in pulled.items]
        _open(sealer, state.hub_id, h.rows(unseen), pulled)
    return pulled, full


def _pull_all_first(hub_id: str, journal: _Journal, there: bytes | None, upgraded: bool) -> bool:
    """Whether everything is pulled before any row is read: another hub, an upgraded one,
    or one whose row at the last change number seen (`there`: its digest) is not the one
    recorded."""
    if journal.stored.get(local.HUB) != hub_id or upgraded:
        return True
    if not journal.seen:
        return False
    # a restore gives that number out again; a row moved up was overwritten since
    return journal.at_seen is None or there not in (None, journal.at_seen.digest)


def _hub_forgot(
    store: Store, h: Hub, journal: _Journal, pulled: _Pulled, there: bytes | None
) -> bool:
    """Whether the hub no longer holds what this journal saw: the row at the last change
    number seen is gone and no change just pulled overwrote it, or the hub's checksum
    differs from the record's once the rows just pulled are counted in."""
    at_seen = journal.at_seen
    if journal.seen and at_seen is not None and there is None and at_seen.ref not in pulled.rows:
        return True  # lost, not overwritten by a later change
    with store.reading() as conn:
        old = local.marks(conn, pulled.rows)
    count = journal.count + len(pulled.rows) - len(old)
    total = journal.total + sum(row.mark for row in pulled.rows.values()) - sum(old.values())
    return h.checksum() != (count, total)


def _weigh(
    store: Store, sealer: Sealer, journal: _Journal, pulled: _Pulled, full: bool
) -> set[str]:
    """Add to `journal.mine` this journal's version of every id the hub brought, and of every
    id whose row does not open (overwritten by this machine's version, if it has one);
    returns the references of those rows."""
    mine = journal.mine
    with store.reading() as conn:
        mine.update(local.current(conn, (i for i in pulled.items if i not in mine)))
        bad = {ref for ref, row in pulled.rows.items() if row.id is None}
        if not full:
            bad |= {row.ref for row in journal.refused if row.ref not in pulled.rows}
        if bad:
            holds = [i for i in local.ids(conn) if sealer.ref(i) in bad]
            mine.update(local.current(conn, holds))
    return bad


def _to_send(chosen: Plan, mine: Mapping[str, Item], bad: set[str], sealer: Sealer) -> list[Item]:
    """What wins here, and this journal's version of each row that does not open."""
    send = list(chosen.send)
    sending = {i.id for i in send}
    send += [mine[i] for i in mine if sealer.ref(i) in bad and i not in sending]
    return send


def _push(h: Hub, sealer: Sealer, hub_id: str, send: list[Item]) -> tuple[list[HubRow], int]:
    """Seal and write `send` above the hub's top change number; returns the rows written
    and the new top."""
    from allycli.sync import hub

    pushed: list[HubRow] = []
    top = h.max_change()  # read before the COPY starts: one statement at a time

    def sealed() -> Iterator[HubRow]:
        for row in hub.seal_all(sealer, hub_id, send, top):
            pushed.append(row)
            yield row

    h.push(sealed())
    return pushed, top + len(pushed)


@dataclass(frozen=True)
class _Record:
    """The settings a sync that went through leaves in the journal."""

    url: str
    key: bytes
    hub_id: str
    last: int  # the hub's top change number after the push
    now: datetime


def _write_back(
    store: Store, chosen: Plan, pulled: _Pulled, full: bool, record: _Record
) -> tuple[list[Item], int]:
    """After the hub committed: write what came back, merged again against the journal as
    it is now (an edit made during the sync is never overwritten by an older version), and
    the record of what the hub holds. Returns what was written and how many rows of the
    hub remain refused."""
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
        local.record(conn, pulled.rows.values())
        refused = len(local.refused(conn))
        local.save(
            conn,
            {
                local.URL: urls.without_password(record.url),
                local.KEY: show_key(record.key),
                local.HUB: record.hub_id,
                local.SEEN: str(record.last),
                local.LAST: record.now.isoformat(timespec="seconds"),
            },
        )
        local.confirm_key(conn)
    return take, refused


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
