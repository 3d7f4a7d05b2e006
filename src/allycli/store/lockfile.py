"""The journal's lock file, `ally.db.lock`: held shared by every open connection, and
exclusively by a swap (encrypt, decrypt, passwd).

A swap renames a new file over the journal, and a connection still open on the old file
would, as it closes, checkpoint and then delete the `-wal` by its name, which by then may be
the new file's. So no connection to the old file may outlive a swap: each holds the lock
file shared while it is open (released as it closes), and the swap waits for them to finish
and keeps new ones waiting until the new file is in place.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from allycli.core.errors import StorageError

# -- shared and exclusive -------------------------------------------------------------------------

_held: dict[str, list[int]] = {}  # lock file -> [fd, how many connections hold it]
_exclusive: set[str] = set()  # lock files this process holds exclusively (for a swap)


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def hold_shared(
    db: Path, timeout: float, on_wait: Callable[[], None] | None = None, *, create: bool = True
) -> str | None:
    """Take the journal's lock file shared for one connection; returns what to release. None
    when there is none and `create` is False, when none can be made (a read-only folder,
    where no swap can happen either), or when this process holds it exclusively."""
    import fcntl

    name = str(lock_path(db.absolute()))
    if name in _exclusive:
        return None
    if name in _held:
        _held[name][1] += 1
        return name
    from allycli.store.privatefile import open_shared

    try:
        fd = open_shared(Path(name), make=create)
    except OSError:
        return None
    try:
        _wait_for(fd, fcntl.LOCK_SH, timeout, on_wait)
    except BaseException:
        os.close(fd)
        raise
    _held[name] = [fd, 1]
    return name


def release(name: str | None) -> None:
    if name is None or name not in _held:
        return
    _held[name][1] -= 1
    if _held[name][1] <= 0:
        os.close(_held.pop(name)[0])


@contextlib.contextmanager
def exclusive(db: Path, timeout: float, on_wait: Callable[[], None] | None) -> Iterator[None]:
    """The journal to this process alone for a swap: no other ally has it open meanwhile."""
    import fcntl

    name = str(lock_path(db.absolute()))
    from allycli.store.privatefile import open_shared

    try:
        fd = open_shared(Path(name))
    except OSError as exc:
        raise StorageError(f"Cannot create {name}: {exc.strerror}; nothing was changed.") from None
    try:
        _wait_for(fd, fcntl.LOCK_EX, timeout, on_wait)
        _exclusive.add(name)
        try:
            yield
        finally:
            _exclusive.discard(name)
    finally:
        os.close(fd)


def _wait_for(fd: int, how: int, timeout: float, on_wait: Callable[[], None] | None) -> None:
    import fcntl

    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(fd, how | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise StorageError(
                "Another ally command kept the journal open for too long (an encrypt, "
                "decrypt or passwd, or a command waiting for you); nothing was changed. "
                "Try again when it has finished."
            )
        if not told and on_wait is not None:
            on_wait()
            told = True
        time.sleep(0.05)


# -- connections that hold the lock file ---------------------------------------------------

_classes: dict[type, type] = {}


def holding(base: type) -> type:
    """A subclass of a DB-API connection class that releases the lock file as it closes."""
    found = _classes.get(base)
    if found is None:

        class Holding(base):  # type: ignore[valid-type,misc]
            lock_name: str | None = None

            def close(self) -> None:
                try:
                    super().close()
                finally:
                    name, self.lock_name = self.lock_name, None
                    release(name)

            def __del__(self) -> None:  # a connection dropped without close()
                name, self.lock_name = self.lock_name, None
                release(name)

        found = _classes[base] = Holding
    return found
