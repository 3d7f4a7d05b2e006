"""The sync package's pure parts: the cipher's contract and URL redaction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core.errors import UsageError
from allycli.sync import cipher, urls
from allycli.sync.engine import plan

ITEM = cipher.Item(
    "0b0e8f3e-5c1a-4b8e-9a57-3f7d2c1e9a10",
    "2026-11-20T08:15:00.123456+01:00",
    False,
    {"id": "0b0e8f3e-5c1a-4b8e-9a57-3f7d2c1e9a10", "kind": "practice", "note": "Café"},
)


HUB = "5a0c7f55-61c2-4b3e-9d0e-0c6f3f9e2b11"


def _sealed(sealer: cipher.Sealer, change: int = 7) -> tuple[str, bytes]:
    ref = sealer.ref(ITEM.id)
    return ref, sealer.seal(ITEM, HUB, ref, change)


def test_an_item_comes_back_as_it_was_sealed() -> None:
    sealer = cipher.Sealer(cipher.new_key())
    ref, payload = _sealed(sealer)
    assert b"Caf" not in payload and ITEM.id.encode() not in payload
    assert sealer.open(payload, HUB, ref, 7) == ITEM


def test_two_seals_of_one_item_differ() -> None:
    sealer = cipher.Sealer(cipher.new_key())
    assert _sealed(sealer)[1] != _sealed(sealer)[1]


def test_a_reference_is_keyed_and_reveals_nothing_of_the_id() -> None:
    key = cipher.new_key()
    ref = cipher.Sealer(key).ref(ITEM.id)
    assert ref == cipher.Sealer(key).ref(ITEM.id)  # stable: one row per object
    assert ref != cipher.Sealer(cipher.new_key()).ref(ITEM.id)  # no key, no link to the id
    assert len(ref) == 32 and ITEM.id.replace("-", "")[:8] not in ref


@pytest.mark.parametrize(
    ("hub", "ref", "change"),
    [
        ("another hub", None, 7),  # copied to another hub
        (HUB, "0" * 32, 7),  # moved to another reference
        (HUB, None, 8),  # replayed with another change number
    ],
    ids=["hub", "reference", "change"],
)
def test_a_row_moved_replayed_or_copied_does_not_open(
    hub: str, ref: str | None, change: int
) -> None:
    sealer = cipher.Sealer(cipher.new_key())
    own_ref, payload = _sealed(sealer)
    with pytest.raises(cipher.Refused):
        sealer.open(payload, hub, ref or own_ref, change)


def test_a_flipped_bit_is_refused() -> None:
    sealer = cipher.Sealer(cipher.new_key())
    ref, payload = _sealed(sealer)
    flipped = bytearray(payload)
    flipped[-1] ^= 1
    with pytest.raises(cipher.Refused):
        sealer.open(bytes(flipped), HUB, ref, 7)


@pytest.mark.parametrize(
    ("note_length", "size"), [(0, 1024), (500, 1024), (1000, 2048), (2000, 4096), (5000, 8192)]
)
def test_payloads_come_in_size_classes_from_1_kib_doubling(note_length: int, size: int) -> None:
    sealer = cipher.Sealer(cipher.new_key())
    body = {**ITEM.body, "note": "x" * note_length}
    item = cipher.Item(ITEM.id, ITEM.updated_at, False, body)
    payload = sealer.seal(item, HUB, sealer.ref(item.id), 1)
    assert len(payload) == size + cipher.NONCE_BYTES + cipher.TAG_BYTES


def test_a_mark_is_what_the_hub_computes() -> None:
    # md5(digest || int8send(change)), its first 10 hex digits, as hub.Hub.checksum says
    assert cipher.mark(bytes(range(16)), 7) == int("686cc73adc", 16)


def test_the_key_check_tells_the_right_key_from_another() -> None:
    key = cipher.new_key()
    check = cipher.Sealer(key).key_check()
    assert cipher.Sealer(key).matches(check)
    assert not cipher.Sealer(cipher.new_key()).matches(check)
    assert not cipher.Sealer(key).matches(b"short")


@given(st.binary(min_size=32, max_size=32))
def test_a_shown_key_reads_back_whatever_its_case_and_spacing(key: bytes) -> None:
    shown = cipher.show_key(key)
    assert len(shown) == 52
    assert shown.isalnum() and shown == shown.lower()
    assert cipher.parse_key(shown) == key
    assert (
        cipher.parse_key(" " + "-".join(shown[i : i + 4] for i in range(0, 52, 4)).upper()) == key
    )


@pytest.mark.parametrize("text", ["", "abc", "a" * 51, "a" * 53, "!" * 52, "1" * 52])
def test_what_is_not_a_key_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="not a sync key") as caught:
        cipher.parse_key(text)
    assert text not in caught.value.message or not text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://ally:s3cret@db.example.org:5433/journal",
         "postgresql://ally:***@db.example.org:5433/journal"),
        ("postgres://ally@localhost/journal", "postgres://ally@localhost/journal"),
        ("postgresql:///journal?host=/run/postgresql", "postgresql:///journal?host=/run/postgresql"),
        ("postgresql://ally:p%40ss@[::1]/j?sslmode=require&password=x",
         "postgresql://ally:***@[::1]/j?sslmode=require&password=***"),
        ("postgresql://ally:pw@host:notaport/j", "the sync URL"),
    ],
)  # fmt: skip
def test_a_url_is_shown_without_its_password(url: str, shown: str) -> None:
    assert urls.redact(url) == shown


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("postgresql://ally:s3cret@db.example.org:5433/journal",
         "postgresql://ally@db.example.org:5433/journal"),
        ("postgresql://ally@db/j?sslmode=require&password=x", "postgresql://ally@db/j?sslmode=require"),
        ("postgresql:///journal?host=/run/postgresql", "postgresql:///journal?host=/run/postgresql"),
    ],
)  # fmt: skip
def test_a_url_is_kept_without_its_password(url: str, kept: str) -> None:
    assert urls.without_password(url) == kept


def test_scrub_removes_the_password_in_every_form() -> None:
    url = "postgresql://ally:p%40ss%20word@host/j?password=other"
    message = "login p@ss word / p%40ss%20word / other refused"
    assert urls.scrub(message, url) == "login *** / *** / *** refused"


@pytest.mark.parametrize("url", ["mysql://u:pw@h/d", "not a url", "postgresql://u:pw@h:port/d"])
def test_a_url_that_is_not_postgresql_is_refused_without_showing_it(url: str) -> None:
    with pytest.raises(UsageError) as caught:
        urls.check(url)
    assert "pw" not in caught.value.message


# -- the plan: the merge rule applied to both sides ----------------------------------------

T1, T2 = "2026-11-20T09:00:00.000000+01:00", "2026-11-20T08:30:00.000000+00:00"  # T1 < T2


def _item(item_id: str, at: str, note: str = "n", deleted: bool = False) -> cipher.Item:
    body = {"id": item_id, "kind": "entry", "deleted_at": at} if deleted else {
        "id": item_id, "kind": "practice", "note": note, "updated_at": at
    }  # fmt: skip
    return cipher.Item(item_id, at, deleted, body)


@pytest.mark.parametrize(
    ("mine", "theirs", "take", "send"),
    [
        ([_item("a", T1)], [], [], ["a"]),  # only here: send
        ([], [_item("a", T1)], ["a"], []),  # only on the hub: take
        ([_item("a", T2)], [_item("a", T1)], [], ["a"]),  # later here: send
        ([_item("a", T1)], [_item("a", T2)], ["a"], []),  # later on the hub: take
        ([_item("a", T1)], [_item("a", T1)], [], []),  # the same version: nothing
        ([_item("a", T1)], [_item("a", T1, deleted=True)], ["a"], []),  # a delete wins a tie
        ([_item("a", T1, deleted=True)], [_item("a", T1)], [], ["a"]),
        ([_item("a", T2)], [_item("a", T1, deleted=True)], [], ["a"]),  # a later edit wins
        ([_item("a", T1, "zz")], [_item("a", T1, "aa")], [], ["a"]),  # tie: the later JSON
        ([_item("a", T1, "aa")], [_item("a", T1, "zz")], ["a"], []),
    ],
)
def test_the_plan_follows_the_merge_rule(
    mine: list[cipher.Item], theirs: list[cipher.Item], take: list[str], send: list[str]
) -> None:
    chosen = plan({i.id: i for i in mine}, {i.id: i for i in theirs})
    assert [i.id for i in chosen.take] == take
    assert [i.id for i in chosen.send] == send
    assert len(chosen.settled) == len({i.id for i in [*mine, *theirs]})
    assert chosen.conflicts == (1 if "aa" in repr(mine + theirs) else 0)
