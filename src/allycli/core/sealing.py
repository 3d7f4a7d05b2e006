"""Sealed boxes: what is written for an encrypted journal while it is locked.

A capture (an entry logged without the key) and a sealed draft are sealed to the journal's
X25519 public key, as libsodium's sealed box does it, built from `cryptography`: a fresh
ephemeral key pair for each box, X25519 between it and the journal's public key, HKDF-SHA256
over the shared secret (salted with both public keys) for a ChaCha20-Poly1305 key and nonce,
and the AEAD over the text. Only the holder of the private key, kept inside the encrypted
database, opens a box; whoever writes one cannot read it back.

The box is MAGIC, the ephemeral public key (32 bytes), then the ciphertext with its tag.
"""

from __future__ import annotations

MAGIC = b"ally sealed box 1\n"
KEY_SIZE = 32


def new_key_pair() -> tuple[bytes, bytes]:
    """A new X25519 key pair as raw bytes: (private, public)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def public_of(private: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def seal(public: bytes, text: bytes) -> bytes:
    """`text` sealed to `public` (raw X25519 public key)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    ephemeral = X25519PrivateKey.generate()
    sender = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    key, nonce = _derive(shared, sender, public)
    return MAGIC + sender + ChaCha20Poly1305(key).encrypt(nonce, text, MAGIC)


def unseal(private: bytes, box: bytes) -> bytes:
    """The text of a box sealed to `private`'s public key; ValueError when it is not one,
    was sealed to another key, or was changed."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    if not is_sealed(box) or len(box) < len(MAGIC) + KEY_SIZE + 16:
        raise ValueError("not a sealed box")
    sender = box[len(MAGIC) : len(MAGIC) + KEY_SIZE]
    me = X25519PrivateKey.from_private_bytes(private)
    try:
        shared = me.exchange(X25519PublicKey.from_public_bytes(sender))
    except ValueError:
        raise ValueError("not a sealed box") from None
    key, nonce = _derive(shared, sender, me.public_key().public_bytes_raw())
    try:
        return ChaCha20Poly1305(key).decrypt(nonce, box[len(MAGIC) + KEY_SIZE :], MAGIC)
    except InvalidTag:
        raise ValueError("sealed to another key, or changed") from None


def _derive(shared: bytes, sender: bytes, recipient: bytes) -> tuple[bytes, bytes]:
    """A key and nonce used for one box only (the ephemeral key is new for each box)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    out = HKDF(
        algorithm=hashes.SHA256(), length=44, salt=sender + recipient, info=b"ally sealed box"
    ).derive(shared)
    return out[:32], out[32:]
