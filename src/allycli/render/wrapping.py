"""Text wrapped at spaces to fit a width, keeping every word whole: `Words`, the renderable
every message is printed as, and `breaks`, where a line breaks.

Light: Rich is imported inside the functions, so help can be laid out without loading it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement
    from rich.text import Text


def breaks(
    line: str,
    width: int,
    cells: Callable[[str], int] = len,
    chop: Callable[[str, int], list[str]] | None = None,
    hang: int = 0,
) -> list[tuple[int, int]]:
    """Where `line` breaks into rows of at most `width` columns, at spaces: each break as
    (offset in `line`, indentation of the row it starts). A row after the first keeps the
    line's own indentation, `hang` columns more (an item of a list goes on under its text),
    up to a third of the width. A word longer than the width starts a row of its own, is cut
    into rows of `width` columns, and the next word starts a row. `cells` measures a text's
    columns and `chop` cuts it into pieces of a width (by default one column a character,
    for help, which must not load Rich's tables of wide characters)."""
    chop_cells = chop or _chop

    lead = len(line) - len(line.lstrip(" "))
    indent = min(lead + hang, width // 3)
    cuts: list[tuple[int, int]] = []
    column, alone, words_on_row, previous_end = 0, False, 0, 0
    for word in re.finditer(r"\S+", line):
        start, end = word.span()
        size = cells(word.group())
        gap = cells(line[previous_end:start])
        previous_end = end
        if words_on_row and (alone or column + gap + size > width):
            here = indent if indent + size <= width else 0
            cuts.append((start, here))
            column, alone, words_on_row, gap = here, False, 0, 0
        if column + gap + size <= width:
            column += gap + size
            words_on_row += 1
            continue
        if words_on_row:  # a word longer than the room: a row of its own
            cuts.append((start, 0))
            column = 0
        elif cuts and cuts[-1][0] == start:  # a new row: no indentation for it
            cuts[-1] = (start, 0)
            column = 0
        elif column + gap:  # after the line's own indentation: dropped (the first row is blank)
            cuts.append((start, 0))
            column = 0
        text = word.group()
        first = chop_cells(text, max(width - column, 1))[0]
        rest = text[len(first) :]
        pieces = [first, *chop_cells(rest, width)] if rest else [first]
        at = start
        for piece in pieces[:-1]:
            at += len(piece)
            cuts.append((at, 0))
        column, alone, words_on_row = cells(pieces[-1]), True, 1
    return [cut for cut in cuts if 0 < cut[0] < len(line)]


def _chop(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def wrapped(line: str, width: int) -> str:
    """`line` broken into rows of at most `width` characters at spaces (see `breaks`)."""
    cuts = breaks(line, width)
    if not cuts:
        return line
    rows, start = [], 0
    for at, _ in [*cuts, (len(line), 0)]:
        rows.append(line[start:at].rstrip(" "))
        start = at
    firsts = [0, *(indent for _, indent in cuts)]
    shown = [" " * indent + row for indent, row in zip(firsts, rows, strict=True)]
    return "\n".join(shown[1:] if not shown[0] else shown)


class Words:
    """A message drawn at the width it is given, wrapped only at spaces: no word is split
    across lines, a token longer than the width (a path, a URL, a key) stands alone on its
    lines, and continuation lines keep the line's indentation, `hang` columns more (up to a
    third of the width): an item of a list hangs under its own text. Piped (or where nothing
    may wrap, `soft_wrap`), each line of the text is one line. `end` follows the last line
    ("" for a question waiting for its answer)."""

    def __init__(self, text: str | Text, end: str = "\n", *, hang: int = 0) -> None:
        from rich.text import Text

        self.text = text if isinstance(text, Text) else Text(text)
        self.end = end
        self.hang = hang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        lines = list(self.text.split("\n", allow_blank=True))
        if console.is_terminal and not options.no_wrap:
            lines = [row for line in lines for row in fold(line, options.max_width, self.hang)]
        for i, line in enumerate(lines):
            # a Text's own style (words.user_text(..., "dim")) is not among its spans, and
            # Text.render draws only the spans: lay it under them
            base = console.get_style(line.style) if line.style else None
            yield from Segment.apply_style(line.render(console), base)
            last = i == len(lines) - 1
            if not last or self.end:
                yield Segment(self.end if last else "\n")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement.get(console, options, self.text)


def fold(line: Text, width: int, hang: int = 0) -> list[Text]:
    """One line of text as the rows of `Words` at `width` columns (styles kept)."""
    from rich.cells import cell_len, chop_cells
    from rich.text import Text

    if cell_len(line.plain) <= width:
        return [line]
    cuts = breaks(line.plain, width, cell_len, chop_cells, hang)
    rows = list(line.divide([at for at, _ in cuts]))
    shown = [rows[0]]
    for (_, indent), row in zip(cuts, rows[1:], strict=True):
        shown[-1].rstrip()
        shown.append(Text(" " * indent) + row if indent else row)
    return shown[1:] if not shown[0].plain else shown
