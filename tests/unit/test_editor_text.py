"""What is kept of an edited file: the text above the scissors line (pure, exact cases)."""

from __future__ import annotations

import pytest

from allycli.shell.editor import GUIDE, SCISSORS, without_guide
from allycli.shell.reader import without_dot_line

ABOUT = "# Yielding (reflect-yielding-01): Whose plan did you follow?"
GUIDE_LINES = [*GUIDE, ABOUT]
BELOW = "\n".join(GUIDE_LINES) + "\n"


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("\n" + BELOW, ""),
        ("My answer\n\n" + BELOW, "My answer"),
        ("\n\n  indented first\nsecond  \n\n" + BELOW, "  indented first\nsecond"),
        ("#hashtag stays\n# so does this\n" + BELOW, "#hashtag stays\n# so does this"),
        ("crlf\r\nline\r\n" + BELOW.replace("\n", "\r\n"), "crlf\nline"),
        ("above\n" + SCISSORS + "\nbelow is dropped\n", "above"),
        # the scissors line removed: the guide's own lines are dropped, the rest kept
        ("kept\n" + "\n".join(GUIDE_LINES[1:]) + "\nalso kept\n", "kept\nalso kept"),
        ("no guide at all\n", "no guide at all"),
        ("", ""),
    ],
    ids=["untouched", "answer", "indent", "hash-lines", "crlf", "scissors-only",
         "scissors-removed", "no-guide", "empty"],
)  # fmt: skip
def test_without_guide(raw: str, kept: str) -> None:
    assert without_guide(raw, GUIDE_LINES) == kept


@pytest.mark.parametrize(
    ("lines", "row", "text"),
    [
        (["one", "two", "."], 2, "one\ntwo"),
        (["."], 0, ""),
        (["one", " . ", "three"], 1, "one\nthree"),
    ],
)
def test_without_dot_line(lines: list[str], row: int, text: str) -> None:
    assert without_dot_line(lines, row) == text
