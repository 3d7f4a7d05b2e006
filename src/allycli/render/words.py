"""The words used everywhere a person reads ally: user text made harmless, plurals, days.

Every message names things the same way because it takes them from here. No I/O.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from allycli.core import dates
from allycli.core.sanitize import for_terminal

if TYPE_CHECKING:
    from rich.padding import Padding
    from rich.text import Text


def clean(text: str) -> str:
    """`text` with every control and bidi character but newline and tab made harmless."""
    return for_terminal(text)


def user_text(text: str, style: str = "") -> Text:
    """Text for the terminal from anything a person typed; never parsed as markup."""
    from rich.text import Text

    return Text(clean(text), style=style)


def indent(renderable: object) -> Padding:
    """A renderable set in by two columns, under the line that introduces it."""
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, 2), expand=False)  # type: ignore[arg-type]


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
