"""Typing at a terminal, as a person would: the real `ally` in a pseudo-terminal (pexpect).

Each test sends the exact bytes a terminal sends for the keys pressed (arrows as escape
sequences, Ctrl-D as 0x04, Ctrl-C as 0x03) and checks what was stored, byte for byte,
through `ally export` (each of these once went wrong: escape codes were stored, Ctrl-D on a
partial line did nothing, the end of a long answer went missing, Ctrl-C left no word and no
new line, `--note -` waited in silence).
"""

from __future__ import annotations

import io
import re
import shlex
import sys
from pathlib import Path

import pexpect
import pytest

from tests.integration.helpers import ally, cli_env, export_objects, ok

LEFT, RIGHT, UP, DOWN = "\x1b[D", "\x1b[C", "\x1b[A", "\x1b[B"
HOME, END, DELETE, F5 = "\x1b[H", "\x1b[F", "\x1b[3~", "\x1b[15~"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"  # a paste, as a terminal brackets it
CTRL_C, CTRL_D, ENTER = "\x03", "\x04", "\r"
READY = "\x1b[?2004h"  # prompt_toolkit turns on bracketed paste once it reads keys
ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|[()][A-Z0-9]|[=>])")
FINISH = "finish with Ctrl-D or a line with just a dot; Ctrl-C stops without saving"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path, tmp_path / "ally.db", TERM="xterm-256color")


def typed(env: dict[str, str], args: list[str], keys: list[str]) -> tuple[int, str]:
    """Run `ally ARGS` in a pseudo-terminal, press `keys` once it reads; (exit code, screen)."""
    screen = io.StringIO()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "allycli", *args],
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    child.logfile_read = screen
    child.expect_exact(READY)
    for key in keys:
        child.send(key)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, f"ended by signal {child.signalstatus}"
    return child.exitstatus, screen.getvalue()


def visible(screen: str) -> str:
    """What the person saw, roughly: the terminal's text without its escape sequences."""
    return ESCAPES.sub("", screen).replace("\r", "")


def answers(env: dict[str, str]) -> list[str]:
    return [o["answer"] for o in export_objects(env) if o["kind"] == "reflection"]


def notes(env: dict[str, str]) -> list[str | None]:
    return [o["note"] for o in export_objects(env) if o["kind"] == "practice"]


@pytest.mark.parametrize(
    ("keys", "stored"),
    [
        (["helo", LEFT, "l", CTRL_D], "hello"),  # the issue's own example
        (["bc", HOME, "a", END, "d", CTRL_D], "abcd"),
        (["fist", LEFT, LEFT, "r", RIGHT, RIGHT, "!", CTRL_D], "first!"),
        (["first line", ENTER, "secnd", UP, END, DOWN, LEFT * 2, "o", CTRL_D],
         "first line\nsecond"),
        (["line one", ENTER, "partial, no Enter", CTRL_D], "line one\npartial, no Enter"),
        (["one", ENTER, "two", ENTER, ".", ENTER], "one\ntwo"),
        (["  indented\tand tabbed", ENTER, " . not a dot line", ENTER, ".", ENTER],
         "  indented\tand tabbed\n . not a dot line"),
        (["abxc", LEFT, LEFT, DELETE, F5, CTRL_D], "abc"),
        ([PASTE_START, "pasted\r\n.\r\nlines", PASTE_END, CTRL_D], "pasted\n.\nlines"),
    ],
    ids=["left-arrow", "home-end", "right-arrow", "up-down", "ctrl-d-partial", "dot-line",
         "spaces-tabs", "delete-f5", "bracketed-paste"],
)  # fmt: skip
def test_reflect_stores_exactly_what_was_typed(
    env: dict[str, str], keys: list[str], stored: str
) -> None:
    code, screen = typed(env, ["reflect"], keys)
    assert code == 0, screen
    assert answers(env) == [stored]
    assert "Reflection recorded for " in visible(screen)


def test_reflect_shows_the_prompt_id_and_how_to_finish(env: dict[str, str]) -> None:
    code, screen = typed(env, ["reflect", "--prompt", "reflect-listening-01"], ["x", CTRL_D])
    assert code == 0
    shown = " ".join(visible(screen).split())
    assert "(prompt reflect-listening-01)" in shown
    assert f"Write your answer; {FINISH}. An empty answer records nothing." in shown
    assert "Reflection recorded for " in shown and "(prompt reflect-listening-01)." in shown


def test_a_long_answer_keeps_its_last_characters(env: dict[str, str]) -> None:
    # more than a terminal's 4096-byte line buffer in one line, then a second line
    words = " ".join(f"word{n}" for n in range(900))
    ending = "...while Sam was still talking"
    long_line = words + ending
    assert len(long_line) > 6000
    keys = [long_line[i : i + 500] for i in range(0, len(long_line), 500)]
    code, _ = typed(env, ["reflect"], [*keys, ENTER, "and after it", ENTER, ".", ENTER])
    assert code == 0
    assert answers(env) == [long_line + "\nand after it"]


def test_an_empty_answer_records_nothing(env: dict[str, str]) -> None:
    code, screen = typed(env, ["reflect"], [CTRL_D])
    assert code == 0
    assert "Nothing recorded: the answer was empty." in visible(screen)
    assert export_objects(env) == []


def test_ctrl_c_saves_nothing_and_says_so_on_a_line_of_its_own(env: dict[str, str]) -> None:
    ok(ally(env, "log", "protest", "--note", "kept"))
    code, screen = typed(env, ["reflect"], ["a private thought", ENTER, "more", CTRL_C])
    assert code == 130
    lines = visible(screen).split("\n")
    assert "ally: Stopped; nothing was saved." in lines  # the whole line, nothing before it
    assert lines[-2:] == ["ally: Stopped; nothing was saved.", ""]
    assert answers(env) == []
    assert notes(env) == ["kept"]


def test_an_answered_prompt_says_so_before_anything_is_typed(env: dict[str, str]) -> None:
    ok(ally(env, "reflect", "--answer", "first answer"))
    child = pexpect.spawn(sys.executable, ["-m", "allycli", "reflect"], env=env,
                          dimensions=(24, 80), encoding="utf-8", timeout=30)  # fmt: skip
    child.expect(pexpect.EOF)  # it asks nothing: the refusal comes before any typing
    child.close()
    assert child.exitstatus == 1
    shown = " ".join(visible(child.before).split())
    assert "You already answered the prompt " in shown
    assert "so nothing was recorded; add --another to answer a different prompt." in shown
    assert answers(env) == ["first answer"]


def test_a_fresh_prompt_does_not_say_it_was_answered(env: dict[str, str]) -> None:
    code, screen = typed(env, ["reflect"], ["an answer", CTRL_D])
    assert code == 0
    assert "already" not in visible(screen)


def test_note_dash_at_a_terminal_uses_the_reader_and_says_how_to_finish(
    env: dict[str, str],
) -> None:
    code, screen = typed(
        env,
        ["log", "listening", "--note", "-"],
        ["Heard out", ENTER, "the meeing", LEFT * 3, "t", CTRL_D],
    )
    assert code == 0, screen
    assert f"Write your note; {FINISH}." in " ".join(visible(screen).split())
    assert notes(env) == ["Heard out\nthe meeting"]


def test_note_dash_at_a_terminal_ctrl_c_logs_nothing(env: dict[str, str]) -> None:
    code, screen = typed(env, ["log", "listening", "--note", "-"], ["half a note", CTRL_C])
    assert code == 130
    assert visible(screen).split("\n")[-2:] == ["ally: Stopped; nothing was saved.", ""]
    assert export_objects(env) == []


def test_answer_dash_at_a_terminal_uses_the_reader(env: dict[str, str]) -> None:
    code, _ = typed(env, ["reflect", "--answer", "-"], ["typed", LEFT, "x", CTRL_D])
    assert code == 0
    assert answers(env) == ["typexd"]


def test_with_stdout_redirected_the_reader_draws_on_stderr(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out.txt"
    screen = io.StringIO()
    command = f"{shlex.quote(sys.executable)} -m allycli log protest --note - > {out}"
    child = pexpect.spawn("sh", ["-c", command], env=env, encoding="utf-8", timeout=30)
    child.logfile_read = screen
    child.expect_exact(READY)
    child.send("to a file" + LEFT + "X" + CTRL_D)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert f"Write your note; {FINISH}." in " ".join(visible(screen.getvalue()).split())
    assert out.read_text(encoding="utf-8").startswith("Logged protest (action) for today")
    assert "\x1b" not in out.read_text(encoding="utf-8")
    assert notes(env) == ["to a filXe"]
