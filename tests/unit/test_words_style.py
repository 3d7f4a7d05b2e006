"""A message's own style survives the word wrapping (a dim line stays dim on a terminal)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from allycli.render.wrapping import Words


def drawn(message: Text, width: int = 80) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="standard", width=width)
    console.print(Words(message), crop=False)
    return out.getvalue()


def test_a_texts_own_style_is_drawn() -> None:
    assert drawn(Text("Leave out names.", style="dim")) == "\x1b[2mLeave out names.\x1b[0m\n"


def test_the_own_style_lies_under_the_spans_on_every_folded_row() -> None:
    message = Text("one two three four", style="dim")
    message.stylize("bold", 4, 7)
    rows = drawn(message, width=10).splitlines()
    assert rows == ["\x1b[2mone \x1b[0m\x1b[1;2mtwo\x1b[0m", "\x1b[2mthree four\x1b[0m"]
