"""SIGTERM and SIGHUP end ally as Ctrl-C does: words already given are kept as a draft.

The handlers raise `Ended` (a KeyboardInterrupt), so every place that keeps words on
Ctrl-C keeps them on these too, and a write waiting for the lock ends within one short
wait (the busy wait is sliced for Ctrl-C's sake already). SIGHUP means the terminal is
gone: standard input, output and error that were that terminal are pointed at /dev/null
first, so that nothing is printed to it, and no write to it fails.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from allycli.core.errors import Ended

ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def terminal_gone() -> None:
    """Point the standard streams that were the terminal at /dev/null."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    try:
        for fd in (0, 1, 2):
            with contextlib.suppress(OSError):
                if os.isatty(fd) or _hung_up(fd):
                    os.dup2(null, fd)
    finally:
        os.close(null)


def _hung_up(fd: int) -> bool:
    """A terminal that hung up no longer says it is one; its device name still shows."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}").startswith(("/dev/pts/", "/dev/tty"))
    except OSError:
        return False


# While a person types at the terminal, the line reader's own way to end with the text
# typed so far (the handler cannot raise inside its event loop without losing that text).
while_typing: Callable[[Ended], None] | None = None
typing_ended: Ended | None = None  # the signal that came while typing, if one did


def _end(signum: int, frame: FrameType | None) -> None:
    if signum == getattr(signal, "SIGHUP", None):
        terminal_gone()
    if while_typing is not None:
        global typing_ended
        typing_ended = Ended(signum)
        while_typing(typing_ended)
        return
    raise Ended(signum)


@contextlib.contextmanager
def ending_keeps_words() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise `Ended` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before: dict[int, Any] = {}
    for signum in ENDING:
        with contextlib.suppress(OSError, ValueError):
            before[signum] = signal.signal(signum, _end)
    try:
        yield
    finally:
        for signum, handler in before.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(signum, handler)


def exit_code_of(stop: BaseException) -> int:
    return int(getattr(stop, "exit_code", 130))


__all__ = ["ENDING", "ending_keeps_words", "exit_code_of", "terminal_gone"]
