"""End-to-end encryption of what goes to the hub (hub schema 2): nothing readable in clear.

Per object the hub holds an opaque reference, a change number and a sealed payload:
- the reference is HMAC-SHA256 of the object's id under a key derived from the sync key
  (HKDF), so the hub cannot link a row to an id, not even a rhythm's id, which anyone can
  derive from its category;
- the payload is AES-256-GCM (under another derived key, a random nonce per seal) of the
  object's id, `updated_at`, deleted flag and body, padded to a size class (1 KiB, doubling)
  so that notes and reflections of ordinary length look alike;
- the associated data binds the hub's id, the reference and the change number, so a row
  copied to another reference, another change number (a replay) or another hub does not
  open.

The key is 32 random bytes, shown as 52 base32 characters: one word, so a double click
selects it whole. The key check (a known text sealed with the key itself) is the same for
schema 1 and 2, so a key opens the hubs of both.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from typing import Any

from allycli.core.errors import UsageError
from allycli.store.synced import Item

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
PAD_START = 1024  # the smallest size class of a payload's plaintext
DIGEST_BYTES = 16
_ITEM_AD = b"ally-hub-item-2"
_ITEM_AD_1 = b"ally-hub-item-1\x00"  # schema 1, read only to upgrade a hub in place
_CHECK_AD = b"ally-hub-key-check-1"
_CHECK_TEXT = b"ally: this hub's key"


class Refused(Exception):
    """A row that does not open: changed, moved, replayed or written without the key."""


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def show_key(key: bytes) -> str:
    return base64.b32encode(key).decode("ascii").rstrip("=").lower()


def parse_key(text: str) -> bytes:
    """A key as `show_key` printed it (case, spaces and dashes do not matter)."""
    cleaned = "".join(c for c in text if c not in " -\t\r\n").upper()
    try:
        key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise UsageError(
            "That is not a sync key: a key is the 52 letters and digits that "
            "`ally sync --show-key` prints on a machine that syncs."
        )
    return key


def key_fingerprint(key: bytes) -> str:
    """A short digest that names a key without showing it (the key cannot be found from it)."""
    return _grouped(hashlib.sha256(b"ally sync key fingerprint\x00" + key).hexdigest())


def check_fingerprint(check: bytes) -> str:
    """A short digest of a hub's key check: how a machine without that key names it."""
    return _grouped(hashlib.sha256(b"ally hub key check fingerprint\x00" + check).hexdigest())


def _grouped(hexed: str) -> str:
    return "-".join(hexed[i : i + 4] for i in range(0, 16, 4))


def digest(payload: bytes) -> bytes:
    """What a machine records of a row it saw: unique per seal, since each nonce is fresh."""
    return hashlib.sha256(payload).digest()[:DIGEST_BYTES]


def mark(digest_: bytes, change: int) -> int:
    """A row's share of the checksum (40 bits, so a million of them sum within 64 bits).

    hub.Hub.checksum computes the same in SQL: md5 of the digest and the change number as
    8 big-endian bytes, its first 10 hex digits.
    """
    return int(hashlib.md5(digest_ + change.to_bytes(8, "big", signed=True)).hexdigest()[:10], 16)


def canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def padded(plain: bytes) -> bytes:
    """The plaintext behind a 4-byte length, zero-padded to its size class."""
    framed = len(plain).to_bytes(4, "big") + plain
    size = PAD_START
    while size < len(framed):
        size *= 2
    return framed + bytes(size - len(framed))


def unpadded(framed: bytes) -> bytes:
    length = int.from_bytes(framed[:4], "big")
    if length > len(framed) - 4 or any(framed[4 + length :]):
        raise Refused
    return framed[4 : 4 + length]


def _derive(key: bytes, purpose: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(key)


def _item_ad(hub_id: str, ref: str, change: int) -> bytes:
    return b"\x00".join((_ITEM_AD, hub_id.encode(), ref.encode(), str(change).encode()))


class Sealer:
    """Seals and opens items with one sync key."""

    def __init__(self, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._check = AESGCM(key)
        self._aead = AESGCM(_derive(key, b"ally hub 2: items"))
        self._ref_key = _derive(key, b"ally hub 2: references")

    def ref(self, item_id: str) -> str:
        """The opaque reference of an id (128 bits of HMAC-SHA256, in hex)."""
        mac = hmac.new(self._ref_key, item_id.encode(), hashlib.sha256)
        return mac.hexdigest()[: 2 * DIGEST_BYTES]

    def seal(self, item: Item, hub_id: str, ref: str, change: int) -> bytes:
        plain = canonical(
            {"id": item.id, "updated_at": item.updated_at, "deleted": item.deleted,
             "body": item.body}
        )  # fmt: skip
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, padded(plain), _item_ad(hub_id, ref, change))

    def open(self, payload: bytes, hub_id: str, ref: str, change: int) -> Item:
        """The item in a row; Refused unless it opens, at this reference and change number."""
        from cryptography.exceptions import InvalidTag

        try:
            framed = self._aead.decrypt(
                payload[:NONCE_BYTES], payload[NONCE_BYTES:], _item_ad(hub_id, ref, change)
            )
            obj = json.loads(unpadded(framed))
        except (InvalidTag, ValueError):
            raise Refused from None
        if not (
            isinstance(obj, dict)
            and isinstance(obj.get("id"), str)
            and isinstance(obj.get("updated_at"), str)
            and isinstance(obj.get("deleted"), bool)
            and isinstance(obj.get("body"), dict)
            and obj["body"].get("id") == obj["id"]
            and self.ref(obj["id"]) == ref
        ):
            raise Refused
        return Item(obj["id"], obj["updated_at"], obj["deleted"], obj["body"])

    def open_v1(self, item_id: str, updated_at: str, deleted: bool, payload: bytes) -> Item:
        """A row of a schema-1 hub (id, time and flag in clear beside the ciphertext)."""
        from cryptography.exceptions import InvalidTag

        ad = b"\x00".join(
            (_ITEM_AD_1, item_id.encode(), updated_at.encode(), b"1" if deleted else b"0")
        )
        try:
            body = json.loads(self._check.decrypt(payload[:NONCE_BYTES], payload[NONCE_BYTES:], ad))
        except (InvalidTag, ValueError):
            raise Refused from None
        if not isinstance(body, dict) or body.get("id") != item_id:
            raise Refused
        return Item(item_id, updated_at, deleted, body)

    def key_check(self) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._check.encrypt(nonce, _CHECK_TEXT, _CHECK_AD)

    def matches(self, check: bytes) -> bool:
        from cryptography.exceptions import InvalidTag

        try:
            return self._check.decrypt(check[:NONCE_BYTES], check[NONCE_BYTES:], _CHECK_AD) == (
                _CHECK_TEXT
            )
        except (InvalidTag, ValueError):
            return False
