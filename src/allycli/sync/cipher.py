"""End-to-end encryption of what goes to the hub: AES-256-GCM, a random nonce per item.

The id, `updated_at` and deleted flag travel in clear beside the ciphertext (the hub needs
them to order changes) and are bound to it as associated data, so the hub can neither
forge a deletion nor move an item to another id or time. The key is 32 random bytes, shown
as 52 base32 characters: one word, so a double click selects it whole.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from allycli.core.errors import SyncError, UsageError
from allycli.store.synced import Item

KEY_BYTES = 32
NONCE_BYTES = 12
_ITEM_AD = b"ally-hub-item-1\x00"
_CHECK_AD = b"ally-hub-key-check-1"
_CHECK_TEXT = b"ally: this hub's key"


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


def _aead(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def associated_data(item_id: str, updated_at: str, deleted: bool) -> bytes:
    return b"\x00".join(
        (_ITEM_AD, item_id.encode(), updated_at.encode(), b"1" if deleted else b"0")
    )


def canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


class Sealer:
    """Encrypts and decrypts items with one key."""

    def __init__(self, key: bytes) -> None:
        self._aead = _aead(key)

    def seal(self, item: Item) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        ad = associated_data(item.id, item.updated_at, item.deleted)
        return nonce + self._aead.encrypt(nonce, canonical(item.body), ad)

    def open(self, item_id: str, updated_at: str, deleted: bool, payload: bytes) -> Item:
        from cryptography.exceptions import InvalidTag

        ad = associated_data(item_id, updated_at, deleted)
        try:
            plain = self._aead.decrypt(payload[:NONCE_BYTES], payload[NONCE_BYTES:], ad)
            body = json.loads(plain)
        except (InvalidTag, ValueError):
            raise SyncError(
                f"The hub holds an item ({item_id[:8]}) that does not match its encryption: "
                "it was changed on the hub by something other than ally. Nothing was changed "
                "here."
            ) from None
        if not isinstance(body, dict) or body.get("id") != item_id:
            raise SyncError(
                f"The hub holds an item ({item_id[:8]}) whose content names another id. "
                "Nothing was changed here."
            )
        return Item(item_id, updated_at, deleted, body)

    def key_check(self) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, _CHECK_TEXT, _CHECK_AD)

    def matches(self, check: bytes) -> bool:
        from cryptography.exceptions import InvalidTag

        try:
            return self._aead.decrypt(check[:NONCE_BYTES], check[NONCE_BYTES:], _CHECK_AD) == (
                _CHECK_TEXT
            )
        except (InvalidTag, ValueError):
            return False
