"""Reading a multi-line text at the terminal, with line editing (prompt_toolkit).

The reader edits in the terminal's raw mode, so arrow keys, Home and End move the cursor
and never land in the text, and a line is not cut at the terminal's line-buffer limit.
It finishes on Ctrl-D (anywhere, keeping a partial last line) or on Enter on a line that
holds only a dot (that line is dropped). Ctrl-C raises `Stopped`. prompt_toolkit is
imported inside `read_text`, so no other command pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from allycli.core.errors import AllyError

if TYPE_CHECKING:
    from prompt_toolkit.key_binding import KeyBindings


class Typed(Exception):
    """SIGTERM or SIGHUP while the person typed: `text` is what was typed so far, to keep."""

    def __init__(self, text: str, stop: KeyboardInterrupt) -> None:
        super().__init__("ended while typing")
        self.text = text
        self.stop = stop


class Stopped(AllyError):
    """Ctrl-C while reading: nothing is saved, and the shell gets 130 as for any SIGINT."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__("Stopped; nothing was saved.")


def without_dot_line(lines: list[str], row: int) -> str:
    """The text once the dot line at `row`, which finished it, is taken out."""
    return "\n".join(lines[:row] + lines[row + 1 :])


def _bindings() -> KeyBindings:
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

    keys = KeyBindings()

    @keys.add("c-d")
    def _finish(event: KeyPressEvent) -> None:
        event.app.exit(result=event.current_buffer.text)

    @keys.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        document = buffer.document
        if document.current_line.strip() == ".":
            event.app.exit(result=without_dot_line(document.lines, document.cursor_position_row))
        else:
            buffer.newline(copy_margin=False)

    @keys.add("tab")
    def _tab(event: KeyPressEvent) -> None:
        event.current_buffer.insert_text("\t")

    @keys.add("c-c")
    def _stop(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt())

    return keys


def read_text(terminal: TextIO) -> str:
    """What the person types at the terminal, exactly; raises `Stopped` on Ctrl-C.

    `terminal` is where the text being edited is drawn (standard output when it is a
    terminal, else standard error).
    """
    drawn = False  # whether prompt_toolkit drew the text (and so left the line after it)
    try:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.output import create_output
        from prompt_toolkit.output.vt100 import Vt100_Output

        output = create_output(terminal)
        if isinstance(output, Vt100_Output):
            # Cursor position requests only serve completion menus, which this reader has
            # none of; a terminal that does not answer them would cost a wait and a warning.
            output.enable_cpr = False
        session: PromptSession[str] = PromptSession(
            output=output,
            multiline=True,
            key_bindings=_bindings(),
            prompt_continuation="",
            enable_history_search=False,
            complete_while_typing=False,
        )
        drawn = True
        return session.prompt("", pre_run=lambda: _end_with_text(session.app))
    except (KeyboardInterrupt, EOFError):
        from allycli.shell import signals

        if signals.typing_ended is not None:  # the hung-up terminal's end of input came first
            raise Typed(session.default_buffer.text, signals.typing_ended) from None
        if not drawn:  # Ctrl-C came while the terminal still echoed "^C" after the text
            terminal.write("\n")
            terminal.flush()
        raise Stopped() from None
    finally:
        from allycli.shell import signals

        signals.while_typing = None


def _end_with_text(app: Any) -> None:
    """From now until the reader returns, SIGTERM and SIGHUP end it with the text typed."""
    import asyncio

    from allycli.shell import signals

    loop = asyncio.get_running_loop()

    def ended(stop: KeyboardInterrupt) -> None:
        def finish() -> None:
            if not app.future.done():
                app.exit(exception=Typed(app.current_buffer.text, stop))

        loop.call_soon_threadsafe(finish)

    signals.while_typing = ended
