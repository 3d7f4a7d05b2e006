"""`ally today` on a narrow terminal: a note too long for the line goes on under the text of
its item, one indent further in, so the list's first column holds only the items. In this
process, with standard output on a real pseudo-terminal; piped, the note stays one line.
"""

from __future__ import annotations

import os
import pty
import select
import sys

import pytest

from allycli.cli.app import app

from .conftest import Run

NOTE = (
    "Stopped a colleague's joke about accents in the planning meeting and talked it through "
    "with the whole team afterwards"
)


def on_terminal(monkeypatch: pytest.MonkeyPatch, columns: int, *args: str) -> list[str]:
    """The lines `ally ARGS` draws on a terminal `columns` wide."""
    main, child = pty.openpty()
    try:
        with monkeypatch.context() as patch, open(child, "w", encoding="utf-8") as tty:
            patch.setenv("COLUMNS", str(columns))
            patch.setattr(sys, "stdout", tty)
            with pytest.raises(SystemExit) as ended:
                app(list(args), prog_name="ally")
            assert ended.value.code in (0, None)
        chunks = []
        while select.select([main], [], [], 0)[0]:
            try:
                chunks.append(os.read(main, 65536))
            except OSError:  # EIO: all read, and the terminal's other end is closed
                break
    finally:
        os.close(main)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n").splitlines()


def logged_items(lines: list[str]) -> list[str]:
    """The lines under "Logged today:", up to the next line that is not indented."""
    start = next(i for i, line in enumerate(lines) if line.startswith("Logged today:")) + 1
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith(" "))
    return lines[start:end]


@pytest.mark.parametrize("columns", [40, 60])
def test_a_wrapped_note_hangs_under_its_item(
    run: Run, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    run("log", "protest", "--note", NOTE)
    run("log", "listening", "--note", "Heard out a neighbour")
    lines = on_terminal(monkeypatch, columns, "today")
    assert all(len(line) <= columns for line in lines), lines
    items = logged_items(lines)
    starts = [line for line in items if not line.startswith("    ")]
    assert [line.split(":")[0] for line in starts] == ["  protest (action)", "  listening"], items
    assert all(line.startswith("    ") and line[4] != " " for line in items if line not in starts)
    assert len(items) > 2, items  # the long note did wrap
    joined = " ".join(" ".join(items).split())
    assert joined == f"protest (action): {NOTE} listening: Heard out a neighbour"


def test_piped_the_note_stays_one_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    run("log", "protest", "--note", NOTE)
    out = run("today").stdout.splitlines()
    assert f"  protest (action): {NOTE}" in out
