"""The words used everywhere a person reads ally: user text made harmless, plurals, days.

Every message names things the same way because it takes them from here. No I/O.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from allycli.core import dates
from allycli.core.sanitize import for_terminal

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.padding import Padding
    from rich.text import Text


# Under a reflection prompt on a terminal: a journal can be exported, backed up and synced.
LEAVE_OUT_NAMES = "Leave out names and details that could identify anyone."


def clean(text: str) -> str:
    """`text` with every control and bidi character but newline and tab made harmless."""
    return for_terminal(text)


def user_text(text: str, style: str = "") -> Text:
    """Text for the terminal from anything a person typed; never parsed as markup."""
    from rich.text import Text

    return Text(clean(text), style=style)


def indent(renderable: RenderableType) -> Padding:
    """A renderable set in by two columns, under the line that introduces it."""
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, 2), expand=False)


def plural(n: int, word: str, many: str = "") -> str:
    """1 entry, 2 entries: `many` when the plural is not the word plus s."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def days(n: int) -> str:
    return plural(n, "day")


def day(d: date, *, year: bool = False) -> str:
    """Wed 25 Nov, or Wed 25 Nov 2026."""
    return dates.day_name(d, year=year)


def short(d: date) -> str:
    """1 Oct 2026."""
    return f"{d.day} {dates.MONTH_ABBR[d.month - 1]} {d.year}"


def when(d: date, today: date) -> str:
    """How a logged day is named: today, yesterday, or its date and distance."""
    return dates.spoken(d, today)


def day_shown(stored: str, today: date | None) -> str:
    """A stored YYYY-MM-DD day as a person reads it on a terminal: "Mon 7 Dec", with the
    year when it is not `today`'s year (always, when `today` is None)."""
    try:
        d = date.fromisoformat(stored)
    except ValueError:
        return clean(stored)
    return dates.day_name(d, year=today is None or d.year != today.year)


def time_shown(stamp: str, today: date | None) -> str:
    """A stored ISO 8601 time in local time, to the minute: "Wed 25 Nov 14:30"."""
    from datetime import datetime

    try:
        local = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return clean(stamp)
    return f"{day(local.date(), year=today is None or local.year != today.year)} {local:%H:%M}"


def day_and_distance(stored: str, today: date) -> str:
    """Sat 5 Dec, Sun 6 Dec (yesterday), Mon 7 Dec (today): a day in an old -> new change."""
    shown = day_shown(stored, today)
    try:
        ago = (today - date.fromisoformat(stored)).days
    except ValueError:
        return shown
    return shown + {0: " (today)", 1: " (yesterday)"}.get(ago, "")


def listed(parts: list[str]) -> str:
    """a, b and c."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def text_start(text: str | None, limit: int = 35) -> str:
    """The start of a note or answer, in quotes, cut at a word: "Joined the housing march..."."""
    flat = " ".join(clean(text or "").split())
    if len(flat) > limit:
        head = flat[: limit + 1]
        cut = head.rsplit(" ", 1)[0] if " " in head else flat[:limit]
        flat = cut.rstrip(",.;:") + "..."
    return f'"{flat}"'
