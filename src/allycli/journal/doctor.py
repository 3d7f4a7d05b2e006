"""`ally doctor`: what ally uses, and whether it is healthy, with a fix for each problem."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from allycli.core.errors import AllyError
from allycli.store.database import Store
from allycli.store.health import Check, backup_checks, database_checks

__all__ = ["Check", "checkup"]


def checkup(
    store: Store,
    prompt_paths: Sequence[Path],
    draft_folders: Sequence[Path] = (),
    key_cache: str = "",
) -> list[Check]:
    from allycli.store import drafts, promptfiles

    checks: list[Check] = []
    db = store.path
    checks.append(Check("database", None, str(db)))
    if not db.exists():
        blocker = next((p for p in db.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            checks.append(
                Check("file", False, f"cannot be created: {blocker} is a file, not a folder",
                      "point ALLY_DB at a file in a folder")
            )  # fmt: skip
        else:
            checks.append(Check("file", None, "not created yet; `ally log` creates it"))
    else:
        checks += database_checks(store, key_cache)
    for path in prompt_paths:
        try:
            n = len(promptfiles.load_file(path))
            count = "1 prompt" if n == 1 else f"{n} prompts"
            checks.append(Check("prompts", True, f"{path} ({count})"))
        except AllyError as exc:
            checks.append(Check("prompts", False, exc.message, "fix or move aside that file"))
    for draft in drafts.waiting(draft_folders):
        checks.append(Check("draft", None, f"{draft} waits to be added: run `ally import {draft}`"))
    checks += backup_checks(store)
    return checks
