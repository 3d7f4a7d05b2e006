"""Everything ally prints goes through one Rich console per stream, made here.

`out()` writes to standard output and `err()` to standard error. A message (`say`, `warn`)
is wrapped at word boundaries to a terminal's width, and piped it is one line; piped, no
line ends in spaces (tables and pictures are laid out at the width they are given:
COLUMNS, else 80). Data (an export, JSON, a completion script) is
written whole as UTF-8 through `data()`. A command whose output can be long prints it
inside `paged()`, which is Rich's pager door with ally's `Pager` behind it.

The consoles belong to the streams of the command being run: a command run in-process (as
the tests do) after another gets consoles of its own streams.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

_consoles: dict[str, tuple[Any, Console]] = {}
PIPED_WIDTH = 10_000  # wider than any line ally writes: nothing piped is wrapped
_pager_off = False
_warned: set[str] = set()


def begin() -> None:
    """A new command: consoles for the streams it runs with, the pager back on, nothing
    warned about yet."""
    global _pager_off
    _consoles.clear()
    _warned.clear()
    _pager_off = False


def out() -> Console:
    """The console on standard output."""
    return _console("out", sys.stdout)


def err() -> Console:
    """The console on standard error."""
    return _console("err", sys.stderr)


def _console(name: str, stream: Any) -> Console:
    made = _consoles.get(name)
    if made is None or made[0] is not stream:
        made = (stream, _make(stream))
        _consoles[name] = made
    return made[1]


def _make(stream: Any) -> Console:
    from rich.console import Console

    class PipeAware(Console):
        """A reader that left raises BrokenPipeError (for the boundary's quiet exit 0)
        rather than Rich's own exit 1."""

        def on_broken_pipe(self) -> None:
            exc = BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))
            exc.ally_stdout = stream is sys.stdout  # type: ignore[attr-defined]
            raise exc

    file: Any = Closed() if stream is None else stream
    if not unicode_ok(file):
        file = AsciiStream(file)
    if a_terminal(file):
        return PipeAware(file=file, highlight=False, markup=False, emoji=False)
    # piped: never wrapped, so that a note, an answer or a prompt stays one line that grep
    # finds (COLUMNS is a terminal's width, not a pipe's); and no line ends in spaces
    file = Unpadded(file)
    return PipeAware(file=file, highlight=False, markup=False, emoji=False, width=PIPED_WIDTH)


class _MarkedRaw(io.FileIO):
    """Standard output's file descriptor, marking each error of a write on it, so that the
    boundary knows an OSError came from standard output whoever wrote (click, Rich, an
    export's writer) and never takes it for a bug."""

    def write(self, data: Any, /) -> int:  # positional, as FileIO.write takes it
        try:
            return super().write(data) or 0
        except OSError as exc:
            exc.ally_stdout = True  # type: ignore[attr-defined]
            raise


def mark_stdout_errors() -> None:
    """Put standard output on a descriptor whose errors are marked (a real file only; the
    same encoding, errors and buffering as before)."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    raw = buffer if isinstance(buffer, io.FileIO) else getattr(buffer, "raw", None)
    if not isinstance(stream, io.TextIOWrapper) or not isinstance(raw, io.FileIO):
        return
    if isinstance(raw, _MarkedRaw):
        return
    try:
        fd = stream.fileno()
        stream.flush()
        marked = _MarkedRaw(fd, "w", closefd=False)
    except (OSError, ValueError):
        return
    sys.stdout = io.TextIOWrapper(
        marked if buffer is raw else io.BufferedWriter(marked),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
        write_through=stream.write_through,
    )


def output_error(exc: BaseException) -> bool:
    """Whether an error came from writing standard output (marked by _MarkedRaw or Rich)."""
    return bool(getattr(exc, "ally_stdout", False))


def say(message: object, *, end: str = "\n") -> None:
    """One message on standard output: on a terminal wrapped at words, piped one line."""
    _print(out(), message, end)


def plain(text: str) -> None:
    """A line laid out already (the version): written as it is, without loading Rich, so
    that `--version` stays as fast as `--help`."""
    with data() as stream:
        stream.write(text + "\n")


def warn(message: object) -> None:
    """One message on standard error (a line that starts with "ally: ", as a rule)."""
    _print(err(), message, "\n")


def warn_once(message: str) -> None:
    """A warning said once in a command, however often its cause is met."""
    if message not in _warned:
        _warned.add(message)
        warn(message)


def ask_hidden(question: str) -> str:
    """A line typed at the terminal and never shown (a passphrase): the question on standard
    error's console, on one line that the terminal folds (a long path in it is never cut
    from its words), and the answer read by `getpass` from the terminal with echo off.
    Ctrl-D stops as Ctrl-C does."""
    import getpass

    from allycli.core.sanitize import one_line
    from allycli.render.wrapping import Words

    err().print(Words(one_line(question), end=""), crop=False, soft_wrap=True)
    try:
        return getpass.getpass("")
    except EOFError:
        raise KeyboardInterrupt from None


def _print(console: Console, message: object, end: str) -> None:
    from rich.text import Text

    from allycli.render.wrapping import Words

    try:
        if isinstance(message, (str, Text)):
            console.print(Words(message, end=end), crop=False)
        else:
            console.print(message)
    except BaseException:
        # a signal (Ctrl-C, SIGTERM) can land after Rich wrote the line but before it
        # emptied its buffer: that console would write the line again with the next message,
        # so the stream gets a new console
        for name, (_stream, made) in list(_consoles.items()):
            if made is console:
                del _consoles[name]
        raise


@contextlib.contextmanager
def data() -> Iterator[IO[str]]:
    """Standard output as UTF-8 text, whatever the locale: an export or JSON is data, and
    `ally export > file` must write all of it, never wrapped."""
    stream: Any = Closed() if sys.stdout is None else sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a stream without bytes underneath: it takes text as it is
        yield stream
        return
    stream.flush()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        yield text
        text.flush()
    finally:
        with contextlib.suppress(ValueError, OSError):
            text.detach()


def print_json(obj: object) -> None:
    """JSON on standard output: through the console on a terminal (so a pager can take
    it), else as data."""
    from allycli.core.sanitize import json_text

    shown = json_text(obj, indent=2)
    console = out()
    if console.is_terminal:
        from rich.text import Text

        console.print(Text(shown), soft_wrap=True)
        return
    with data() as stream:
        stream.write(shown + "\n")


# -- the pager -------------------------------------------------------------------------------


def no_pager() -> None:
    """`ally --no-pager`: this command prints straight to the terminal."""
    global _pager_off
    _pager_off = True


def paged() -> contextlib.AbstractContextManager[Any]:
    """Where a command prints what can be long: through the pager on a terminal (never when
    piped, never with --no-pager or without a pager chosen), else straight out."""
    console = out()
    if _pager_off or not console.is_terminal:
        return contextlib.nullcontext()
    from allycli.shell.pager import Pager

    pager = Pager.chosen(os.environ, console.file)
    if pager is None:
        return contextlib.nullcontext()
    return console.pager(pager, styles=pager.colors)


# -- the streams under the consoles ----------------------------------------------------------


def a_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def unicode_ok(stream: Any) -> bool:
    return (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").startswith("utf")


def terminal_width() -> int:
    """The width of standard output as Rich reads it, without loading Rich (help is laid
    out to it): COLUMNS when set, else the terminal's width, else 80."""
    named = os.environ.get("COLUMNS", "")
    if named.isdigit() and int(named) > 0:
        return int(named)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return 80


def silence_stdout() -> None:
    """Point standard output at /dev/null: what could not be written is dropped, and the
    interpreter's last flush at exit succeeds."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


class Unpadded:
    """A piped stream on which no line ends in spaces (a table pads its last column)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.encoding = getattr(raw, "encoding", "utf-8")

    def write(self, text: str) -> int:
        if " \n" in text:
            text = "\n".join(line.rstrip(" ") for line in text.split("\n"))
        return int(self.raw.write(text))

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return int(self.raw.fileno())


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
        self.raw = raw
        self.encoding = "ascii"

    def write(self, text: str) -> int:
        return int(self.raw.write(text.translate(self.GLYPHS)))

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return a_terminal(self.raw)

    def fileno(self) -> int:
        return int(self.raw.fileno())


class Closed:
    """Standard output when ally was started with it closed (`>&-`): writing is the output
    error EBADF, said like any other."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def writelines(self, lines: Any) -> None:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False
