"""The terminal: every line wrapped at word boundaries, and long output through a pager.

`WordWrap` stands in for standard output and standard error when they are a terminal, so
that no message, help text or confirmation is ever split mid-word at the terminal's edge.
`Paging` collects a command's output and hands it to `$ALLY_PAGER`, else `$PAGER`, else
`less -FRX`, as git does. Part of the shell: it reads the
environment and the terminal. Imports stay light.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any


def terminal_width(stream: Any) -> int:
    """COLUMNS when set (as Rich reads it), else the terminal's width, else 80."""
    named = os.environ.get("COLUMNS", "")
    if named.isdigit() and int(named) > 0:
        return int(named)
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return 80


def _a_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def raw_stream(stream: Any) -> Any:
    """The terminal stream under a WordWrap (a line editor places its text itself)."""
    return getattr(stream, "raw", stream)


class WordWrap:
    """A terminal's text stream that wraps each line longer than the terminal at word
    boundaries, so that no word is ever split at the terminal's edge: messages, help and
    confirmations alike. Lines that fit (tables, which Rich lays out to the width) pass
    unchanged; a token longer than the width (a path, a URL, a key) stands alone on its
    lines; escape sequences (bold, colour) take no room. A line editor writes to the
    terminal itself (`raw_stream`). Joining the wrapped lines with a space gives back the
    line."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.width = max(terminal_width(raw), 20)
        self.encoding = getattr(raw, "encoding", "utf-8")
        self.errors = getattr(raw, "errors", "strict")
        self.pending = ""
        self.column = 0

    @property
    def buffer(self) -> Any:
        return self.raw.buffer

    def write(self, text: str) -> int:
        self.pending += text
        while "\n" in self.pending:
            line, self.pending = self.pending.split("\n", 1)
            self._emit(line)
            self.raw.write("\n")
            self.column = 0
        return len(text)

    def _emit(self, text: str) -> None:
        if not text:
            return
        wrapped = wrap_line(text, self.width, self.column)
        self.raw.write(wrapped)
        last = wrapped.rsplit("\n", 1)
        self.column = cells(last[-1]) if len(last) == 2 else self.column + cells(wrapped)

    def flush(self) -> None:
        self._emit(self.pending)
        self.pending = ""
        self.raw.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return int(self.raw.fileno())

    def writable(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def cells(text: str) -> int:
    """The columns `text` takes on a terminal: escape sequences none, wide characters two."""
    import unicodedata

    plain = ESCAPE.sub("", text)
    if plain.isascii():
        return len(plain)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in plain)


def wrap_line(line: str, width: int, start: int = 0) -> str:
    """`line` wrapped at spaces to `width` columns, the first row starting at `start`;
    continuation rows keep the line's indentation (up to a third of the width)."""
    if start + cells(line) <= width:
        return line
    indent = " " * min(len(line) - len(line.lstrip(" ")), width // 3)
    rows: list[str] = []
    row, space, room, alone = "", "", width - start, False
    for token in re.findall(r"[^ ]+| +", line):
        if token.startswith(" "):
            if ESCAPE.sub("", row).strip():
                space = token
            else:
                row += token
            continue
        if alone:  # after a token longer than the width, which stands alone
            rows.append(row)
            row, room, alone = indent + token, width, False
        elif cells(row) + len(space) + cells(token) <= room:
            row += space + token
        elif not ESCAPE.sub("", row).strip() and cells(row) + cells(token) <= room:
            row += token
        else:
            if ESCAPE.sub("", row).strip() or start:
                rows.append(row)
                room = width
            row = indent + token if len(indent) + cells(token) <= width else token
        space = ""
        if cells(row) > room and " " not in ESCAPE.sub("", row).strip():
            row = ESCAPE.sub("", row)  # longer than the width: fold it, plainly
            while cells(row) > room:
                rows.append(row[:room])
                row, room = row[room:], width
            alone = True
    if space and cells(row) + len(space) <= room:
        row += space  # a question's trailing space, before the answer
    rows.append(row)
    return "\n".join(rows)


def wrap_terminal_streams() -> None:
    """Wrap standard output and standard error at words when they are a terminal."""
    if _a_terminal(sys.stdout):
        sys.stdout = WordWrap(sys.stdout)  # type: ignore[assignment]
    if _a_terminal(sys.stderr):
        sys.stderr = WordWrap(sys.stderr)  # type: ignore[assignment]


# -- the pager -------------------------------------------------------------------------------

ROOT_OPTIONS_WITH_VALUE = ("--show-completion",)


def pager_for(argv: list[str]) -> str | None:
    """The pager command for this command line, or None: only on a terminal, only for the
    commands whose output can be long, and not with `ally --no-pager`."""
    if not _a_terminal(raw_stream(sys.stdout)):
        return None
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        if rest[0] == "--no-pager":
            return None
        rest.pop(0)
    if not rest or not long_output(rest[0], rest[1:]):
        return None
    return pager_command()


def long_output(command: str, args: list[str]) -> bool:
    """Whether `ally COMMAND ARGS` prints what may be long (never an interactive command)."""
    if "--help" in args or "-h" in args:
        return False
    if command in ("list", "search", "show", "report", "calendar"):
        return True
    if command == "reflect":
        return "--list" in args or "--prompts" in args
    if command == "pause":
        return "--list" in args
    if command == "rhythm":
        return all(a.startswith("-") for a in args)  # listing, not setting
    return False


def pager_command() -> str | None:
    """$ALLY_PAGER, else $PAGER, else `less -FRX`; `cat` or an empty value means none."""
    for name in ("ALLY_PAGER", "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            value = value.strip()
            return None if value in ("", "cat") else value
    return "less -FRX"


class _Collected:
    """What a paged command writes, kept until it ends; it looks like the terminal."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.parts: list[str] = []
        self.encoding = getattr(real, "encoding", "utf-8")
        self.errors = getattr(real, "errors", "strict")

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return int(self.real.fileno())

    def writable(self) -> bool:
        return True


class Paging:
    """Collect standard output while a command runs, then show it through the pager."""

    def __init__(self, command: str) -> None:
        self.command = command
        wrapped = sys.stdout if isinstance(sys.stdout, WordWrap) else None
        self.real = wrapped.raw if wrapped is not None else sys.stdout
        self.collected = _Collected(self.real)
        if wrapped is not None:
            wrapped.raw = self.collected
            self.wrapped: WordWrap | None = wrapped
        else:
            self.wrapped = None
            sys.stdout = self.collected  # type: ignore[assignment]

    def finish(self, *, show: bool) -> None:
        """Put standard output back and show what was collected: through the pager when
        the command succeeded, else plainly (an error message stands on its own)."""
        if self.wrapped is not None:
            self.wrapped.flush()
            self.wrapped.raw = self.real
        else:
            sys.stdout = self.real
        text = "".join(self.collected.parts)
        if not text:
            return
        if not (show and page(text, self.command, self.collected.encoding)):
            self.real.write(text)
            self.real.flush()


def page(text: str, command: str, encoding: str) -> bool:
    """Run the pager on `text`; False when it cannot be started (then print plainly).
    Quitting the pager early is no error: what it did not read is dropped."""
    import shlex
    import subprocess

    try:
        words = shlex.split(command)
        proc = subprocess.Popen(words, stdin=subprocess.PIPE)
    except (OSError, ValueError):
        return False
    try:
        assert proc.stdin is not None
        proc.stdin.write(text.encode(encoding or "utf-8", errors="replace"))
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass
    while True:
        try:
            proc.wait()
            return True
        except KeyboardInterrupt:  # the pager deals with Ctrl-C; wait for it to end
            continue
