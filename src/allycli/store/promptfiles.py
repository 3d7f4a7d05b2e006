"""The prompts files: the built-in one shipped with ally, and the person's own.

Reading them is I/O and lives here; what their text means is core/prompts.py's. A file of
one's own that cannot serve (missing, not a file, over 1 MiB, not UTF-8, not valid) is left
aside by `load` and said in one sentence naming it; the built-in prompts serve meanwhile.
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from allycli.core.errors import DataFileError
from allycli.core.prompts import Prompt, parse


def builtin_path() -> Path:
    """Where the shipped prompts live: inside the installed package, or the source tree."""
    package = Path(__file__).resolve().parents[1]  # allycli/, above store/
    packaged = package / "data" / "prompts.yaml"
    if packaged.is_file():
        return packaged
    return package.parents[1] / "data" / "prompts.yaml"


LARGEST = 2**20  # bytes: a prompts file of one's own is a list of prompts, not a book


def load(
    paths: Iterable[Path], left_aside: Callable[[str], None] | None = None
) -> tuple[Prompt, ...]:
    """Prompts from each file in turn; a later file's id replaces an earlier one's.

    A file of one's own that cannot serve is left aside, and `left_aside` is given the
    sentence that says why (without it, the error is raised); a fault in the built-in file
    is always raised.
    """
    merged: dict[str, Prompt] = {}
    builtin = builtin_path()
    for path in paths:
        try:
            found = load_file(path)
        except DataFileError as exc:
            if left_aside is None or path == builtin:
                raise
            left_aside(exc.message)
            continue
        for prompt in found:
            merged[prompt.id] = prompt
    return tuple(merged.values())


def load_file(path: Path) -> list[Prompt]:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a folder; a FIFO would block the read
            raise DataFileError(f"The prompts file {path} is not a file.")
        if info.st_size > LARGEST:
            raise DataFileError(f"The prompts file {path} is over 1 MiB.")
        with path.open("rb") as fh:
            data = fh.read(LARGEST + 1)
        if len(data) > LARGEST:  # it grew since
            raise DataFileError(f"The prompts file {path} is over 1 MiB.")
        raw = data.decode("utf-8")
    except FileNotFoundError:
        raise DataFileError(f"The prompts file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not UTF-8 text"
        raise DataFileError(f"The prompts file {path} cannot be read: {reason}.") from None
    return parse(raw.replace("\r\n", "\n"), path)
