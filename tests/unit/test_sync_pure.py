"""The sync package's pure parts: the cipher's contract and URL redaction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core.errors import SyncError, UsageError
from allycli.sync import cipher, urls
from allycli.sync.engine import plan

ITEM = cipher.Item(
    "0b0e8f3e-5c1a-4b8e-9a57-3f7d2c1e9a10",
    "2026-11-20T08:15:00.123456+01:00",
    False,
    {"id": "0b0e8f3e-5c1a-4b8e-9a57-3f7d2c1e9a10", "kind": "practice", "note": "Café"},
)


def test_an_item_comes_back_as_it_was_sealed() -> None:
    sealer = cipher.Sealer(cipher.new_key())
    payload = sealer.seal(ITEM)
    assert b"Caf" not in payload
    assert sealer.open(ITEM.id, ITEM.updated_at, ITEM.deleted, payload) == ITEM


def test_two_seals_of_one_item_differ() -> None:
    sealer = cipher.Sealer(cipher.new_key())
    assert sealer.seal(ITEM) != sealer.seal(ITEM)


@pytest.mark.parametrize(
    ("item_id", "updated_at", "deleted"),
    [
        ("0b0e8f3e-5c1a-4b8e-9a57-3f7d2c1e9a11", ITEM.updated_at, False),  # moved to another id
        (ITEM.id, "2026-11-20T08:15:00.123457+01:00", False),  # moved in time
        (ITEM.id, ITEM.updated_at, True),  # a forged deletion
    ],
    ids=["id", "updated_at", "deleted"],
)
def test_the_hub_cannot_move_or_delete_an_item(
    item_id: str, updated_at: str, deleted: bool
) -> None:
    sealer = cipher.Sealer(cipher.new_key())
    payload = sealer.seal(ITEM)
    with pytest.raises(SyncError, match="does not match its encryption"):
        sealer.open(item_id, updated_at, deleted, payload)


def test_a_flipped_bit_is_refused() -> None:
    sealer = cipher.Sealer(cipher.new_key())
    payload = bytearray(sealer.seal(ITEM))
    payload[-1] ^= 1
    with pytest.raises(SyncError):
        sealer.open(ITEM.id, ITEM.updated_at, ITEM.deleted, bytes(payload))


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
