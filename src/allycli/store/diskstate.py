"""What the file system under a path says of itself: mounted read-only, or full.

SQLite's errors name neither ("attempt to write a readonly database", "unable to open
database file", "disk I/O error"); statvfs of the nearest existing folder does, so a
message can name the plain cause rather than guess at modes and owners.
"""

from __future__ import annotations

import os
from pathlib import Path

READ_ONLY = "read-only"
FULL = "full"


def state(path: Path) -> str:
    """READ_ONLY, FULL, or "" (writable with room, or unknown)."""
    folder = next((p for p in (path, *path.parents) if p.exists()), None)
    statvfs = getattr(os, "statvfs", None)
    if folder is None or statvfs is None:
        return ""
    try:
        info = statvfs(folder)
    except OSError:
        return ""
    if info.f_flag & getattr(os, "ST_RDONLY", 1):
        return READ_ONLY
    if info.f_bavail == 0 or (info.f_files and info.f_favail == 0):
        return FULL
    return ""
