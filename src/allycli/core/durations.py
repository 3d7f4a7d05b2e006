"""How long `ally unlock --for` keeps the key: `30s`, `15m`, `8h`, `1d`."""

from __future__ import annotations

import re

from allycli.core.errors import UsageError

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
LONGEST = 86400  # a day
_SPAN = re.compile(r"([1-9][0-9]{0,5})([smhd])")


def parse_duration(text: str) -> int:
    """Seconds, from 1 second to a day."""
    found = _SPAN.fullmatch(text.strip().lower())
    if found is None:
        raise UsageError("--for takes a number and a unit: 30s, 15m, 8h or 1d (at most a day).")
    seconds = int(found.group(1)) * UNITS[found.group(2)]
    if seconds > LONGEST:
        raise UsageError("--for is at most a day (1d or 24h); the key cache is for a session.")
    return seconds
