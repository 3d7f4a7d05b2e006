"""Files ally writes for the user alone: created 0600, never readable by anyone else at any
moment. `create` is the one way ally creates a file: every private file (database, backup,
draft, export, picture, the editor's text) is made by it. Exports and pictures are written
under a temporary name beside the target, synced, then moved into place, so a failed write
leaves no half file behind; backups and drafts take a new name with `claim_new`, the one
free-name picker."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from allycli.core.errors import StorageError, UsageError

# O_EXCL: the name must be new, so no other process writes into the same file and no
# check-then-create can race; O_NOFOLLOW: a symbolic link planted at the name is refused.
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def create(path: Path) -> int:
    """Create `path` as a new, empty file that only the user can open (0600), and return a
    descriptor open for writing. FileExistsError when the name is taken (by a file or a
    link); the caller says what that means."""
    return os.open(path, _NEW, 0o600)


def write_synced(fd: int, data: bytes | Path) -> None:
    """Write `data` (bytes, or the bytes of the file at that path) through the descriptor
    `fd`, synced to disk, and close it; OSError when a step fails (the caller removes the
    half-written file and says what that means)."""
    import shutil

    with os.fdopen(fd, "wb") as out:
        if isinstance(data, bytes):
            out.write(data)
        else:
            with data.open("rb") as src:
                shutil.copyfileobj(src, out)
        out.flush()
        os.fsync(out.fileno())


def open_shared(path: Path, *, make: bool = True) -> int:
    """A descriptor on a file several processes open at once (a lock file): made by `create`
    when it is missing (and `make`), else opened as it is, never through a link."""
    if make:
        try:
            return create(path)
        except FileExistsError:
            pass
    return os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))


def open_claimed(path: Path) -> int:
    """A descriptor open for writing on a file `claim_new` made (never through a link)."""
    return os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))


def claim_new(folder: Path, stem: str, suffix: str, *, sep: str = "-") -> Path:
    """A new, empty file (0600) whose name no other process holds: STEM+SUFFIX, else
    STEM-2+SUFFIX and so on (SEP between). O_EXCL makes the name this process's alone, so two
    processes at once never write into one file, and no check-then-create can race."""
    for n in range(1, 1000):
        path = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}{sep}{n}{suffix}")
        try:
            fd = create(path)
        except FileExistsError:
            continue
        except OSError as exc:
            raise StorageError(f"Cannot write {path}: {exc.strerror}.") from None
        os.close(fd)
        return path
    raise StorageError(f"{folder} holds too many files named {stem}; move some aside.")


@contextlib.contextmanager
def replacing(target: Path, option: str, *, force: bool = True) -> Iterator[IO[str]]:
    """A text stream (UTF-8) whose content becomes `target` when the block ends without error.

    `option` names the flag that gave the path, for the messages. Without `force` an existing
    `target` is refused before anything is written and left untouched; the new file is then
    linked into place, so one that appears meanwhile is not replaced either.
    """
    if target.is_dir():
        raise UsageError(f"{target} is a folder; {option} needs a file name.")
    if not force and os.path.lexists(target):
        raise _exists(target)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        fd = create(tmp)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target)
    except OSError as exc:
        raise StorageError(f"Cannot write {target}: {exc.strerror}.") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _exists(target: Path) -> StorageError:
    return StorageError(
        f"{target} already exists; add --force to replace it, or choose a new file."
    )


def _link_new(tmp: Path, target: Path) -> None:
    """Put `tmp` in place at `target` only if no file is there (a file system without hard
    links gets a plain rename, after the check made before writing)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise _exists(target) from None
    except OSError:
        if os.path.lexists(target):
            raise _exists(target) from None
        os.replace(tmp, target)


def write_text(target: Path, text: str, option: str) -> Path:
    """Write `text` to `target` (a user's path, `~` expanded) as `replacing` does; returns
    the path written. `option` names the flag that gave the path."""
    path = target.expanduser()
    with replacing(path, option) as fh:
        fh.write(text)
    return path
