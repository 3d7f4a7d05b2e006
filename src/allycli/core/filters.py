"""Which entries a command asks for: a plain value, shared by the readers of store/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    kind: str | None = None
    pillar: str | None = None
    action_type: str | None = None
    limit: int | None = None
    newest_first: bool = True
