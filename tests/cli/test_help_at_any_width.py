"""Every `--help` in a pseudo-terminal 40 and 60 columns wide, as a newcomer reads it: tables
(options, arguments, commands, the action types of `log --help`) are laid out at the
terminal's width, and a continuation line never stands in a table's first column, where
a reader looks for the next option or type; no line is wider than the terminal; a URL or
a command stands whole on its line; usage lines name arguments one way (ACTIVITY, [ID],
[CATEGORY]..., never {activity}).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from allycli.core.taxonomy import ACTION_TYPES

pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]")
COMMANDS = ["log", "reflect", "report", "calendar", "rhythm", "pause", "list", "search",
            "show", "edit", "delete", "export", "import", "backup", "restore", "doctor",
            "sync", "today", "type", "encrypt", "unlock", "lock", "passwd",
            "decrypt"]  # fmt: skip
TYPE_COMMANDS = ["add", "list", "rename", "retire"]
# What may stand in a table's first column: options, argument names, commands, types.
HEADINGS = ("Options:", "Arguments:", "Commands:", "Action types, and what each covers:")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("help")
    out = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    out.update(ALLY_DB=str(root / "ally.db"), HOME=str(root), NO_COLOR="1", TERM="xterm",
               ALLY_PAGER="cat", XDG_STATE_HOME=str(root / "state"))  # fmt: skip
    return out


def on_screen(env: dict[str, str], args: list[str], columns: int) -> str:
    child = pexpect.spawn(sys.executable, ["-m", "allycli", *args], env=env,
                          dimensions=(300, columns), encoding="utf-8", timeout=60)  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    return ANSI.sub("", child.before).replace("\r\n", "\n")


def tables(screen: str) -> list[tuple[str, list[str]]]:
    """Each table of a help screen: its heading and its lines (up to a blank line)."""
    found: list[tuple[str, list[str]]] = []
    lines = screen.split("\n")
    for i, line in enumerate(lines):
        if line.strip() in HEADINGS:
            rows = []
            for row in lines[i + 1 :]:
                if not row.strip():
                    break
                rows.append(row)
            found.append((line.strip(), rows))
    return found


def first_column_words(heading: str, usage_args: list[str]) -> set[str] | None:
    if heading == "Commands:":
        return set(COMMANDS) | set(TYPE_COMMANDS)
    if heading.startswith("Action types"):
        return set(ACTION_TYPES)
    if heading == "Arguments:":
        return set(usage_args)
    return None  # options: every key starts with "-"


def usage_arguments(screen: str) -> list[str]:
    usage = screen.split("\n\n", 1)[0].replace("\n", " ")
    return [w.strip("[].") for w in usage.split()[2:] if w != "[OPTIONS]"]


@pytest.mark.parametrize("columns", [40, 60])
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_continuation_lines_never_stand_in_a_tables_first_column(env, command, columns):
    screen = on_screen(env, ["--help"] if command is None else [command, "--help"], columns)
    for line in screen.split("\n"):
        assert len(line) <= columns, (columns, line)
    found = tables(screen)
    assert found, screen
    for heading, rows in found:
        indent = len(rows[0]) - len(rows[0].lstrip())
        allowed = first_column_words(heading, usage_arguments(screen))
        for row in rows:
            if len(row) - len(row.lstrip()) != indent:
                assert len(row) - len(row.lstrip()) > indent, (heading, row, screen)
                continue
            key = row.split()[0]
            if allowed is None:
                assert key.startswith("-"), (heading, row, screen)
            else:
                assert key.rstrip(",") in allowed, (heading, row, screen)


@pytest.mark.parametrize("columns", [40, 60])
def test_log_help_lays_out_every_action_type(env, columns):
    screen = on_screen(env, ["log", "--help"], columns)
    [(_, rows)] = [t for t in tables(screen) if t[0].startswith("Action types")]
    indent = len(rows[0]) - len(rows[0].lstrip())
    keys = [row.split()[0] for row in rows if len(row) - len(row.lstrip()) == indent]
    assert keys == list(ACTION_TYPES)
    joined = " ".join(" ".join(rows).split())
    assert "advocacy circulating learning materials and news of movements; amplifying " \
           "marginalized voices" in joined  # fmt: skip


@pytest.mark.parametrize("columns", [40, 60])
def test_a_url_in_help_stands_whole_on_its_line(env, columns):
    screen = on_screen(env, ["sync", "--help"], columns)
    lines = [line.strip() for line in screen.split("\n")]
    assert any("postgresql://user@host/database" in line for line in lines), screen
    assert any("postgresql://me@db.example.org/ally" in line for line in lines), screen
    joined = " ".join(screen.replace(" \\\n", " ").split())
    assert "ally sync --url postgresql://me@db.example.org/ally ally sync" in joined


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("log", "ally log [OPTIONS] ACTIVITY"),
        ("calendar", "ally calendar [OPTIONS] [YEAR]"),
        ("rhythm", "ally rhythm [OPTIONS] [CATEGORY] [SPEC]"),
        ("pause", "ally pause [OPTIONS] [CATEGORY]..."),
        ("search", "ally search [OPTIONS] WORDS..."),
        ("show", "ally show [OPTIONS] ID"),
        ("edit", "ally edit [OPTIONS] ID"),
        ("delete", "ally delete [OPTIONS] [ID]"),
        ("import", "ally import [OPTIONS] FILE"),
        ("restore", "ally restore [OPTIONS] BACKUP"),
    ],
)
def test_usage_lines_name_arguments_one_way(env, command, usage):
    screen = on_screen(env, [command, "--help"], 120)
    assert screen.split("\n")[0] == f"Usage: {usage}"
    section = screen.split("Arguments:\n", 1)[1].split("\n\n", 1)[0]
    names = [row.split()[0] for row in section.split("\n") if row[2:3] != " "]
    assert all(n.strip("[].").isupper() for n in names), section


def test_help_examples_are_one_command_a_line(env, tmp_path: Path):
    """At 40 columns an example longer than the line goes on with a shell continuation
    (` \\`), so that it can be copied whole; it never wraps into the next example."""
    screen = on_screen(env, ["pause", "--help"], 40)
    examples = screen.split("Examples:\n", 1)[1].rstrip("\n").split("\n")
    commands = []
    for line in examples:
        if commands and commands[-1].endswith(" \\"):
            commands[-1] = commands[-1][:-2] + " " + line.strip()
        else:
            commands.append(line.strip())
    assert commands[0] == "ally pause --since 2026-12-21 --until 2026-12-27 --note 'family'"
    assert all(c.startswith("ally pause") for c in commands), examples
