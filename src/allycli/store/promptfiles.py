"""The prompts files: the built-in one shipped with ally, and the person's own.

Reading them is I/O and lives here; what their text means is core/prompts.py's.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def load(paths: Iterable[Path]) -> tuple[Prompt, ...]:
    """Prompts from each file in turn; a later file's id replaces an earlier one's."""
    merged: dict[str, Prompt] = {}
    for path in paths:
        for prompt in load_file(path):
            merged[prompt.id] = prompt
    return tuple(merged.values())


def load_file(path: Path) -> list[Prompt]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"The prompts file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not UTF-8 text"
        raise DataFileError(f"The prompts file {path} cannot be read: {reason}.") from None
    return parse(raw, path)
