"""Messages as `Words`: wrapped at spaces on a terminal, one line piped, styles kept."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from allycli.render.wrapping import Words, wrapped


def drawn(message: str | Text, *, terminal: bool, width: int = 30) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=width, color_system="standard",
                      highlight=False, markup=False, emoji=False)  # fmt: skip
    console.print(Words(message), crop=False)
    return out.getvalue()


def test_on_a_terminal_a_message_wraps_at_spaces_and_a_long_token_stands_alone() -> None:
    path = "/tmp/" + "a" * 40 + "/ally.db"
    assert drawn(f"Backed up {path} to the place asked for.", terminal=True) == (
        f"Backed up\n{path[:30]}\n{path[30:]}\nto the place asked for.\n"
    )


def test_piped_a_message_is_one_line() -> None:
    text = "Logged protest (action) for today: practice 1 of 1 today; streak 1 day."
    assert drawn(text, terminal=False) == text + "\n"


def test_the_messages_own_style_is_kept_under_its_spans() -> None:
    text = Text("Leave out names and details.", style="dim")
    text.stylize("bold", 0, 5)
    assert drawn(text, terminal=True) == (
        "\x1b[1;2mLeave\x1b[0m\x1b[2m out names and details.\x1b[0m\n"
    )


def test_a_help_line_puts_a_token_too_long_for_its_indentation_on_a_row_of_its_own() -> None:
    line = "              postgresql://user@host/database (or ALLY_SYNC_URL)"
    assert wrapped(line, 40) == "postgresql://user@host/database\n             (or ALLY_SYNC_URL)"
