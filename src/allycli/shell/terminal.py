"""The terminal: standard input, asking, and text a person writes
(typed with line editing, or in their own editor).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from allycli.shell import output

if TYPE_CHECKING:
    from allycli.core.errors import AllyError


def interactive() -> bool:
    """Whether a person is at the keyboard: standard input is a terminal."""
    return sys.stdin.isatty()


def confirm(question: str) -> bool:
    """Ask on the terminal; `y` or `yes`, in any case, confirms and anything else declines."""
    output.say(f"{question} [y/N] ", end="")
    try:
        answer = input()
    except EOFError:
        output.say("")
        return False
    return answer.strip().lower() in ("y", "yes")


def prepare_streams() -> None:
    """Under a locale that cannot show every character (LC_ALL=C, PYTHONUTF8=0), replace
    what the terminal cannot show instead of failing (a note is never lost to an encoding error)."""
    for stream in (sys.stdout, sys.stderr):
        if not output.unicode_ok(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


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
    from rich.text import Text

    from allycli.shell import reader

    on_stdout = sys.stdout.isatty()
    (output.say if on_stdout else output.warn)(Text(lead, style="dim"))
    return reader.read_text(sys.stdout if on_stdout else sys.stderr)


def editor_command() -> str:
    """$VISUAL, else $EDITOR, else nano when it is installed, else vi."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    import shutil

    return "nano" if shutil.which("nano") else "vi"


def edit_folder() -> Path:
    """Where texts being edited wait: a private folder in ally's own state folder; for an
    encrypted journal, in $XDG_RUNTIME_DIR when there is one (a memory file system, emptied
    at logout), so its words never reach the disk in clear."""
    import platformdirs

    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir() and _EDITS_IN_MEMORY:
        return Path(runtime) / "ally-editing"
    return platformdirs.user_state_path("ally") / "editing"


_EDITS_IN_MEMORY = False  # the journal is encrypted: texts being edited stay off the disk


def edits_in_memory(flag: bool) -> None:
    """Set by the context: whether the journal of this command is encrypted."""
    global _EDITS_IN_MEMORY
    _EDITS_IN_MEMORY = flag


def edit_text(
    initial: str,
    *,
    about: tuple[str, ...] = (),
    name: str = "entry",
    keep: Callable[[str, AllyError], NoReturn] | None = None,
) -> str | None:
    """The text written in the person's editor (None when empty); see editor.edit.

    On an encrypted journal, a text the editor left but could not hand back is given to
    `keep` (which keeps it as a sealed draft and raises the error that names the draft),
    and the editor's file is removed: no plaintext of such a journal stays on disk.
    """
    from allycli.core.errors import Drafted
    from allycli.shell import editor
    from allycli.store.privatefile import create

    sys.stdout.flush()
    try:
        return editor.edit(
            initial,
            command=editor_command(),
            folder=edit_folder(),
            create=create,
            about=about,
            name=name,
        )
    except editor.EditorError as failed:
        if keep is None or failed.kept is None or not _EDITS_IN_MEMORY:
            raise
        if not failed.text.strip():  # nothing written: nothing to keep
            failed.kept.unlink(missing_ok=True)
            raise editor.EditorError(failed.reason) from None
        try:
            keep(failed.text, editor.EditorError(failed.reason))
        except Drafted:
            failed.kept.unlink(missing_ok=True)
            raise


# -- a change that is saved is never reported as failed ------------------------------------------

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
            output.warn(f"ally: Saved; {one_line(what)}")
    if finish:
        sys.exit(0)
