"""Renderables that fit the width they are drawn at: tables stack instead of cutting.

`Fit` draws the first of its candidates whose narrowest form fits the width, so a table
is shown whole where there is room and a stacked (wrapping) form where there is not; no
number, date, id or word is ever cut. `BOX` is a table box with an ASCII twin for
terminals that cannot show box-drawing characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

UNBOUNDED = 100_000


class _Box(box.Box):
    """SIMPLE_HEAD on a Unicode terminal; the same lines drawn with '-' otherwise."""

    def substitute(self, options: ConsoleOptions, safe: bool = True) -> box.Box:
        return ASCII_BOX if options.ascii_only else self


BOX = _Box("    \n    \n ── \n    \n    \n ── \n    \n    \n")
ASCII_BOX = box.Box("    \n    \n -- \n    \n    \n -- \n    \n    \n", ascii=True)


def narrowest(console: Console, options: ConsoleOptions, renderable: RenderableType) -> int:
    """The fewest columns `renderable` needs without cutting anything.

    Rich measures a column's minimum by its longest word even when the column may not
    wrap, so a table counts at its natural width; a `Room` (a table whose wrapping columns
    may wrap) at its minimum plus the room it asks for.
    """
    wide = options.update(width=UNBOUNDED)
    measured = Measurement.get(console, wide, renderable)
    return measured.minimum if isinstance(renderable, Room) else measured.maximum


class Fit:
    """The first candidate that fits the width; the last one always (it should wrap)."""

    def __init__(self, *candidates: RenderableType) -> None:
        self.candidates = candidates

    def choose(self, console: Console, options: ConsoleOptions) -> RenderableType:
        for candidate in self.candidates[:-1]:
            if narrowest(console, options, candidate) <= options.max_width:
                return candidate
        return self.candidates[-1]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.choose(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.choose(console, options))


class Room:
    """A renderable that asks for `extra` columns beyond its narrowest, so that `Fit` only
    picks it where its wrapping column gets room to read (Rich's min_width crops instead)."""

    def __init__(self, renderable: RenderableType, extra: int) -> None:
        self.renderable, self.extra = renderable, extra

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.renderable

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        inner = Measurement.get(console, options, self.renderable)
        return Measurement(
            inner.minimum + self.extra, max(inner.maximum, inner.minimum + self.extra)
        )


def table(
    headers: Sequence[str | Text],
    rows: Iterable[Sequence[str | Text]],
    *,
    right: Iterable[int] = (),
    wrap: Iterable[int] = (),
    title: str | None = None,
) -> Table:
    """A simple-headed table; columns in `wrap` may wrap at spaces, the others never do."""
    right, wrap = set(right), set(wrap)
    t = Table(
        box=BOX,
        pad_edge=False,
        show_edge=False,
        title=title,
        title_justify="left",
        title_style="bold",
    )
    for i, header in enumerate(headers):
        t.add_column(
            header,
            justify="right" if i in right else "left",
            no_wrap=i not in wrap,
            overflow="fold",
        )
    for row in rows:
        t.add_row(*row)
    return t


def stacked(
    headers: Sequence[str],
    rows: Iterable[Sequence[str | Text]],
    *,
    title: str | None = None,
    skip_empty: bool = True,
) -> RenderableType:
    """A table as lines that wrap: "first cell: header value, header value, ..."."""
    from rich.console import Group

    lines: list[RenderableType] = []
    if title:
        lines.append(Text(title, style="bold"))
    for row in rows:
        line = Text()
        line.append_text(_text(row[0]).copy())
        parts = []
        for header, cell in zip(headers[1:], row[1:], strict=True):
            value = _text(cell)
            if skip_empty and not value.plain.strip():
                continue
            part = Text(f"{header.replace(chr(10), ' ')} ".lstrip())
            part.append_text(value)
            parts.append(part)
        if parts:
            line.append(": ")
            line.append_text(Text(", ").join(parts))
        lines.append(line)
    return Group(*lines)


def _text(cell: str | Text) -> Text:
    return cell if isinstance(cell, Text) else Text(cell)
