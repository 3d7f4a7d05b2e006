"""Writing a text in the person's own editor, on a private file.

The file is made for the user alone (0600) in a folder of ally's own (0700), never in a
shared temp folder. The editor's exit status is checked: on success the file is removed;
when the editor does not finish well, or what it left cannot be stored, the file is kept
and the message names it, so that nothing written is lost. The caller passes the editor
command (shell/terminal.py reads $VISUAL and $EDITOR), so this module reads no environment.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from allycli.core.errors import AllyError, UsageError
from allycli.core.fields import excerpt

# Everything from this line down is left out of the text, as git's "scissors" line does.
SCISSORS = "# ------------------------ >8 ------------------------"
GUIDE = (
    SCISSORS,
    "# Write above the line; everything from it down is left out.",
    "# Save and quit to record; an empty text records nothing.",
)


class EditorError(AllyError):
    """The editor could not be started or did not finish well.

    When a file was kept, `kept` names it, `text` is what it held above the guide (as
    text, whatever the editor saved) and `reason` is the message without the file's name:
    enough for a caller that must not leave the text in clear to seal it and remove the file.
    """

    def __init__(
        self, message: str, *, kept: Path | None = None, text: str = "", reason: str = ""
    ) -> None:
        super().__init__(message)
        self.kept = kept
        self.text = text
        self.reason = reason or message


def edit(
    initial: str,
    *,
    command: str,
    folder: Path,
    create: Callable[[Path], int],
    about: Sequence[str] = (),
    name: str = "entry",
) -> str | None:
    """Open `command` on a private file holding `initial`; the text written, or None if empty.

    `create` makes the file (store/privatefile.create, handed in so that this module stays
    light). `about` lines (the prompt being answered, say) are shown below the scissors line
    and are not part of the text. `name` starts the file's name (`note`, `answer`).
    """
    argv = shlex.split(command)
    if not argv:
        raise UsageError("The editor command is empty; set VISUAL or EDITOR to your editor.")
    guide = [*GUIDE, *(f"# {_printable(line)}" for line in about)]
    body = initial if initial.endswith("\n") or not initial else initial + "\n"
    path = _private_file(folder, name, body + "\n" + "\n".join(guide) + "\n", create)
    try:
        done = subprocess.run([*argv, str(path)], check=False)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise EditorError(
            f"The editor '{excerpt(argv[0], 200)}' could not be started ({exc.strerror}); "
            "set VISUAL or EDITOR to an editor you have. Nothing was saved."
        ) from None
    if done.returncode != 0:
        how = (
            f"was stopped by signal {-done.returncode}"
            if done.returncode < 0
            else f"exited with status {done.returncode}"
        )
        raise _kept(path, guide, f"The editor {how}, so nothing was saved", "what you wrote")
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise _kept(
            path, guide, "The editor saved text that is not UTF-8, so nothing was saved"
        ) from None
    except OSError as exc:
        raise EditorError(
            f"The edited file {path} cannot be read ({exc.strerror}); nothing was saved."
        ) from None
    text = without_guide(raw, guide)
    if "\x00" in text:
        raise _kept(
            path,
            guide,
            "The text contains a NUL character, which ally does not store, so nothing was saved",
        )
    path.unlink(missing_ok=True)
    return text if text.strip() else None


def _kept(path: Path, guide: Sequence[str], reason: str, what: str = "it") -> EditorError:
    """The error for a text the editor left that could not be taken: the file stays, and
    the error carries what it holds, with any byte that is not UTF-8 and any NUL replaced
    by U+FFFD so that it can be kept elsewhere as a draft."""
    try:
        raw = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        raw = ""
    text = without_guide(raw, guide).replace("\x00", "\ufffd")
    return EditorError(f"{reason}; {what} is kept in {path}.", kept=path, text=text,
                       reason=f"{reason}.")  # fmt: skip


def without_guide(raw: str, guide: Sequence[str]) -> str:
    """The text above the scissors line (or, if it was removed, without the guide's lines).

    CRLF becomes LF; blank lines at the start and whitespace at the end are dropped.
    """
    lines = raw.replace("\r\n", "\n").split("\n")
    if SCISSORS in lines:
        lines = lines[: lines.index(SCISSORS)]
    else:
        ours = set(guide)
        lines = [line for line in lines if line not in ours]
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip()


def _private_file(folder: Path, name: str, content: str, create: Callable[[Path], int]) -> Path:
    """A new file, mode 0600, in `folder` (made 0700, and checked to be the user's)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            raise EditorError(
                f"{folder} is not a folder of yours, so ally will not write a private text "
                "there; move it aside and try again."
            )
        if stat.S_IMODE(info.st_mode) != 0o700:
            folder.chmod(0o700)
        path = folder / f"{name}-{uuid.uuid4().hex[:12]}.txt"
        fd = create(path)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
    except OSError as exc:
        raise EditorError(
            f"Cannot make a private file for the editor in {folder} ({exc.strerror}); "
            "nothing was saved."
        ) from None
    return path


def _printable(text: str) -> str:
    """Text without control characters (a prompt from a file may hold escape sequences)."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)
