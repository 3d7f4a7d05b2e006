"""The pager that long output goes through on a terminal, as git's does.

`Pager.chosen` holds every rule of which pager runs and how: `$ALLY_PAGER`, else `$PAGER`,
else `less -FRX` (which returns at once when the text fits the screen); `cat` or an empty
value means none; `less` with `LESS` unset gets `LESS=FRX`, as git sets it, so `PAGER=less`
shows colours rather than `ESC[1m`; `less` and `most` get colours, any other pager plain
text. A command chooses to page where it prints (`output.paged()`, Rich's `console.pager()`
door); whether the output is a terminal and `--no-pager` are decided there.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
from collections.abc import Mapping
from typing import Any

from rich.pager import Pager as RichPager

DEFAULT = "less -FRX"
COLOURED = ("less", "most")  # pagers that show escape sequences as colours


class Pager(RichPager):
    """Runs the chosen pager on what a command printed. A pager that cannot be started means
    plain output on `fallback`; quitting the pager early is no error (what it did not read
    is dropped)."""

    def __init__(
        self, words: list[str], *, env: Mapping[str, str], colors: bool, fallback: Any
    ) -> None:
        self.words = words
        self.env = dict(env)
        self.colors = colors
        self.fallback = fallback

    @classmethod
    def chosen(cls, environ: Mapping[str, str], fallback: Any) -> Pager | None:
        """The pager the environment asks for, or None for none."""
        command = DEFAULT
        for name in ("ALLY_PAGER", "PAGER"):
            value = environ.get(name)
            if value is not None:
                command = value.strip()
                break
        try:
            words = shlex.split(command)
        except ValueError:  # unbalanced quotes: not a command that can run
            return None
        if not words or words == ["cat"]:
            return None
        program = os.path.basename(words[0])
        env = dict(environ)
        if program == "less" and "LESS" not in environ:
            env["LESS"] = "FRX"
        return cls(words, env=env, colors=program in COLOURED, fallback=fallback)

    def show(self, content: str) -> None:
        encoding = getattr(self.fallback, "encoding", None) or "utf-8"
        try:
            proc = subprocess.Popen(self.words, stdin=subprocess.PIPE, env=self.env)
        except (OSError, ValueError):
            self.fallback.write(content)
            self.fallback.flush()
            return
        assert proc.stdin is not None
        with contextlib.suppress(OSError):  # the pager quit before reading everything
            proc.stdin.write(content.encode(encoding, errors="replace"))
        with contextlib.suppress(OSError):
            proc.stdin.close()
        while True:
            try:
                proc.wait()
                return
            except KeyboardInterrupt:  # the pager deals with Ctrl-C; wait for it to end
                continue
