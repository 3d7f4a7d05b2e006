"""Files ally writes for the user alone (exports, pictures): created 0600 under a temporary
name beside the target, synced, then moved into place, so that no one else can read them at
any moment and a failed write leaves no half file behind."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from allycli.core.errors import StorageError, UsageError


@contextlib.contextmanager
def replacing(target: Path, option: str) -> Iterator[IO[str]]:
    """A text stream (UTF-8) whose content becomes `target` when the block ends without error.

    `option` names the flag that gave the path, for the message when it is a folder.
    """
    if target.is_dir():
        raise UsageError(f"{target} is a folder; {option} needs a file name.")
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise StorageError(f"Cannot write {target}: {exc.strerror}.") from None
    finally:
        if tmp.exists():
            tmp.unlink()
