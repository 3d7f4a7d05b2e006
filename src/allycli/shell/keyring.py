"""The key cache: the Linux kernel's session keyring, through the add_key and keyctl system
calls (ctypes on libc's `syscall`; no extra library, and nothing written to disk).

`ally unlock` keeps a journal's raw key as a "user" key named after the journal's path, with
a timeout after which the kernel drops it; every process of the same login session finds it
(a process without a session keyring of its own uses the user's default session keyring, which
all such processes of the user share). The payload is the expiry time (8 bytes, big-endian
seconds since the epoch, for `ally doctor`) and then the key.

Where the calls are refused (another system, a container that filters them) or the key cannot
be found again, the cache is simply absent: `unlock` says so and names ALLY_PASSPHRASE_CMD.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import struct
import sys
from pathlib import Path

# system call numbers: (add_key, keyctl)
_CALLS = {
    "x86_64": (248, 250),
    "amd64": (248, 250),
    "aarch64": (217, 219),
    "arm64": (217, 219),
    "i386": (286, 288),
    "i686": (286, 288),
    "armv7l": (309, 311),
    "ppc64le": (269, 271),
    "riscv64": (217, 219),
    "s390x": (278, 280),
}
SESSION = -3  # KEY_SPEC_SESSION_KEYRING
KEYCTL_GET_KEYRING_ID = 0
KEYCTL_REVOKE = 3
KEYCTL_UNLINK = 9
KEYCTL_SEARCH = 10
KEYCTL_READ = 11
KEYCTL_SET_TIMEOUT = 15
MAX_PAYLOAD = 256


class Refused(Exception):
    """The kernel keyring cannot be used here; `str()` says why, in a few words."""


def description(db: Path) -> bytes:
    """The key's name: ally's, with the journal's absolute path (hashed, so the name says
    nothing of where the journal is)."""
    digest = hashlib.sha256(str(db.absolute()).encode("utf-8", "surrogateescape")).hexdigest()
    return f"ally:journal:{digest[:32]}".encode("ascii")


def _calls() -> tuple[ctypes.CDLL, int, int]:
    if not sys.platform.startswith("linux"):
        raise Refused("the kernel keyring is Linux's")
    numbers = _CALLS.get(platform.machine().lower())
    if numbers is None:
        raise Refused(f"no keyring system call numbers are known for {platform.machine()}")
    libc = ctypes.CDLL(None, use_errno=True)  # the process's own symbols: libc's syscall
    libc.syscall.restype = ctypes.c_long
    return libc, numbers[0], numbers[1]


def _failed(what: str) -> Refused:
    return Refused(f"{what}: {os.strerror(ctypes.get_errno())}")


def store(db: Path, key: bytes, expires: int, seconds: int) -> None:
    """Keep `key` for `seconds` in the session keyring (replacing an earlier one)."""
    libc, add_key, keyctl = _calls()
    # The session keyring's id, asked for without creating one: a process of a login without
    # a session keyring of its own gets the user's default session keyring, which the next
    # command shares. (add_key on the special id would instead start a new, private session
    # keyring for this process alone, which only its children would see.)
    ring = libc.syscall(
        ctypes.c_long(keyctl),
        ctypes.c_long(KEYCTL_GET_KEYRING_ID),
        ctypes.c_long(SESSION),
        ctypes.c_long(0),
    )
    if ring < 0:
        raise _failed("the session keyring cannot be found")
    payload = struct.pack(">Q", expires) + key
    buffer = ctypes.create_string_buffer(payload, len(payload))
    key_id = libc.syscall(
        ctypes.c_long(add_key),
        ctypes.c_char_p(b"user"),
        ctypes.c_char_p(description(db)),
        buffer,
        ctypes.c_size_t(len(payload)),
        ctypes.c_long(ring),
    )
    ctypes.memset(buffer, 0, len(payload))
    if key_id < 0:
        raise _failed("add_key was refused")
    done = libc.syscall(
        ctypes.c_long(keyctl),
        ctypes.c_long(KEYCTL_SET_TIMEOUT),
        ctypes.c_long(key_id),
        ctypes.c_ulong(seconds),
    )
    if done < 0:
        err = _failed("setting the key's timeout was refused")
        libc.syscall(ctypes.c_long(keyctl), ctypes.c_long(KEYCTL_REVOKE), ctypes.c_long(key_id))
        raise err


def _find(db: Path) -> tuple[ctypes.CDLL, int, int] | None:
    libc, _add_key, keyctl = _calls()
    key_id = libc.syscall(
        ctypes.c_long(keyctl),
        ctypes.c_long(KEYCTL_SEARCH),
        ctypes.c_long(SESSION),
        ctypes.c_char_p(b"user"),
        ctypes.c_char_p(description(db)),
        ctypes.c_long(0),
    )
    return None if key_id < 0 else (libc, keyctl, int(key_id))


def _found(db: Path) -> tuple[ctypes.CDLL, int, int] | None:
    try:
        return _find(db)
    except Refused:
        return None


def find(db: Path) -> tuple[bytes, int] | None:
    """The cached key and its expiry (seconds since the epoch), or None."""
    found = _found(db)
    if found is None:
        return None
    libc, keyctl, key_id = found
    buffer = ctypes.create_string_buffer(MAX_PAYLOAD)
    size = libc.syscall(
        ctypes.c_long(keyctl),
        ctypes.c_long(KEYCTL_READ),
        ctypes.c_long(key_id),
        buffer,
        ctypes.c_size_t(MAX_PAYLOAD),
    )
    if size < 9 or size > MAX_PAYLOAD:
        return None
    payload = buffer.raw[:size]
    ctypes.memset(buffer, 0, MAX_PAYLOAD)
    return payload[8:], struct.unpack(">Q", payload[:8])[0]


def drop(db: Path) -> bool:
    """Drop the cached key at once; whether there was one."""
    found = _found(db)
    if found is None:
        return False
    libc, keyctl, key_id = found
    libc.syscall(ctypes.c_long(keyctl), ctypes.c_long(KEYCTL_REVOKE), ctypes.c_long(key_id))
    libc.syscall(
        ctypes.c_long(keyctl), ctypes.c_long(KEYCTL_UNLINK), ctypes.c_long(key_id),
        ctypes.c_long(SESSION),
    )  # fmt: skip
    return True


def seen_by_child(db: Path) -> bool:
    """Whether another process (a child, as the next command will be) finds the key: it
    prints only whether it found one, never the key."""
    import subprocess

    code = (
        "import sys; from pathlib import Path; from allycli.shell import keyring; "
        "print('found' if keyring.find(Path(sys.argv[1])) else 'absent')"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code, str(db.absolute())],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return out.stdout.strip() == "found"
