"""The terminal: Rich consoles, standard input and output, asking, and text a person writes
(typed with line editing, or in their own editor).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if not unicode_ok(stream):
        return Console(file=AsciiStream(stream), highlight=False, soft_wrap=False)  # type: ignore[arg-type]
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def interactive() -> bool:
    """Whether a person is at the keyboard: standard input is a terminal."""
    return sys.stdin.isatty()


def confirm(question: str) -> bool:
    """Ask on the terminal; `y` or `yes`, in any case, confirms and anything else declines."""
    sys.stdout.write(f"{question} [y/N] ")  # through the terminal's word wrapping
    sys.stdout.flush()
    try:
        answer = input()
    except EOFError:
        sys.stdout.write("\n")
        return False
    return answer.strip().lower() in ("y", "yes")


def unicode_ok(stream: Any) -> bool:
    return (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").startswith("utf")


def prepare_streams() -> None:
    """Under a locale that cannot show every character (LC_ALL=C, PYTHONUTF8=0), replace
    what the terminal cannot show instead of failing (a note is never lost to an encoding error)."""
    for stream in (sys.stdout, sys.stderr):
        if not unicode_ok(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    from allycli.shell import screen

    screen.wrap_terminal_streams()  # on a terminal, every line wraps at word boundaries


class AsciiStream:
    """A text stream for a terminal without Unicode: ally's own glyphs become ASCII look-alikes;
    Rich sees an ASCII encoding and draws its tables with ASCII boxes."""

    GLYPHS = str.maketrans(
        {"\N{MIDDLE DOT}": ".", "\N{HORIZONTAL ELLIPSIS}": "...", "\N{EM DASH}": "-",
         "\N{EN DASH}": "-", "\N{LIGHT SHADE}": "+", "\N{MEDIUM SHADE}": "*",
         "\N{FULL BLOCK}": "#", "\N{RIGHT SINGLE QUOTATION MARK}": "'",
         "\N{LEFT DOUBLE QUOTATION MARK}": '"', "\N{RIGHT DOUBLE QUOTATION MARK}": '"',
         "\N{RIGHTWARDS ARROW}": "->", "\N{REPLACEMENT CHARACTER}": "?",
         "\N{PILCROW SIGN}": "|"}
    )  # fmt: skip

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self.encoding = "ascii"

    def write(self, text: str) -> int:
        return int(self._raw.write(text.translate(self.GLYPHS)))

    def flush(self) -> None:
        self._raw.flush()

    def isatty(self) -> bool:
        return bool(self._raw.isatty())

    def fileno(self) -> int:
        return int(self._raw.fileno())


@contextlib.contextmanager
def utf8_stdout() -> Iterator[IO[str]]:
    """Standard output as UTF-8 text, whatever the locale: an export or JSON is data, and
    `ally export > file` must write all of it."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes underneath: it takes text as it is
        yield sys.stdout
        return
    sys.stdout.flush()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        yield out
        out.flush()
    finally:
        with contextlib.suppress(ValueError, OSError):
            out.detach()


def print_json(obj: object) -> None:
    from allycli.core.sanitize import json_text

    with utf8_stdout() as out:
        out.write(json_text(obj, indent=2) + "\n")


def read_stdin() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    if isinstance(data, bytes):
        from allycli.core.errors import UsageError

        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError("Standard input is not UTF-8 text; nothing was saved.") from None
    return data.removesuffix("\n").removesuffix("\r")


def ask_text(lead: str) -> str:
    """Text typed at the terminal with line editing, after `lead` (which says how to finish).

    Drawn on standard output when it is a terminal, else on standard error (so that
    `ally reflect > file` still shows what is being typed).
    """
    from allycli.shell import reader

    on_stdout = sys.stdout.isatty()
    console(stderr=not on_stdout).print(lead, style="dim", markup=False)  # wrapped at words
    from allycli.shell.screen import raw_stream

    return reader.read_text(raw_stream(sys.stdout if on_stdout else sys.stderr))


def editor_command() -> str:
    """$VISUAL, else $EDITOR, else nano when it is installed, else vi."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    import shutil

    return "nano" if shutil.which("nano") else "vi"


def edit_folder() -> Path:
    """Where texts being edited wait: a private folder in ally's own state folder."""
    import platformdirs

    return platformdirs.user_state_path("ally") / "editing"


def edit_text(initial: str, *, about: tuple[str, ...] = (), name: str = "entry") -> str | None:
    """The text written in the person's editor (None when empty); see editor.edit."""
    from allycli.shell import editor
    from allycli.store.privatefile import create

    sys.stdout.flush()
    return editor.edit(
        initial,
        command=editor_command(),
        folder=edit_folder(),
        create=create,
        about=about,
        name=name,
    )


# -- a change that is saved is never reported as failed ------------------------------------

_COMMITTED = False  # a change was stored in this command: nothing may report it failed


def forget_commit() -> None:
    global _COMMITTED
    _COMMITTED = False


def committed() -> bool:
    return _COMMITTED


def note_commit() -> None:
    """The store's on_commit: from now on a failure is said after "Saved;", with exit 0."""
    global _COMMITTED
    _COMMITTED = True


def saved_but(what: str, *, finish: bool = False) -> None:
    """Say on stderr that the change was saved and what did not happen; with `finish`, exit
    0 at once."""
    from allycli.core.sanitize import one_line

    if what:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"ally: Saved; {one_line(what)}\n")
            sys.stderr.flush()
    if finish:
        sys.exit(0)


def silence_stdout() -> None:
    """Point standard output at /dev/null: what could not be written is dropped, and the
    interpreter's last flush at exit succeeds."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
