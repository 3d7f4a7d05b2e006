"""Every command's output and every `--help`, on a pseudo-terminal 40, 60 and 120 columns wide
(pexpect sets the window size; no COLUMNS), compared with the same command piped:

- no line on the screen is wider than the terminal;
- every word of the piped output appears whole on the screen (a token longer than the width,
  such as a path, stands alone on its lines);
- prose joined across its screen lines gives the piped text;
- no help summary is cut with "...", and no parser jargon shows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from allycli.shell.session import isolated_env

pytestmark = pytest.mark.slow

WIDTHS = (40, 60, 120)
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]")
LONG_NOTE = (
    "Stopped a colleague's joke about accents in the planning meeting and talked it through "
    "with the team afterwards this week"
)
ID = "aaaa0001"


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    env.update(isolated_env(tmp / "home", tmp / "ally.db"))
    env.update(
        NO_COLOR="1",
        PYTHONIOENCODING="utf-8",
        TERM="xterm",
        ALLY_PAGER="cat",
    )
    env.pop("ALLY_PROMPTS", None)
    return env


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal with long notes, a reflection, rhythms and a pause, made through ally."""
    folder = tmp_path_factory.mktemp("journal")
    env = _env(folder)
    rows = [
        {"id": f"{ID}-0000-4000-8000-000000000000", "kind": "practice", "date": _ago(1),
         "created_at": f"{_ago(1)}T09:00:00+00:00", "pillar": "action",
         "action_type": "volunteering", "note": "Spoke at the city council about rent control "
         "with the tenants union organizers", "minutes": 95},
        {"id": "aaaa0002-0000-4000-8000-000000000000", "kind": "practice", "date": _ago(2),
         "created_at": f"{_ago(2)}T09:00:00+00:00", "pillar": "listening", "action_type": None,
         "note": "Listened at the elders circle", "minutes": None},
        {"id": "aaaa0003-0000-4000-8000-000000000000", "kind": "reflection", "date": _ago(1),
         "created_at": f"{_ago(1)}T10:00:00+00:00", "pillar": "yielding",
         "prompt_id": "reflect-yielding-02", "prompt": "Where did you take up space?",
         "answer": "In the planning meeting, where I spoke before the organizers had finished"},
    ]  # fmt: skip
    for row in rows:
        row.setdefault("updated_at", row["created_at"])
    source = folder / "seed.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for args in (["import", str(source)], ["rhythm", "learning", "90min/week"],
                 ["pause", "voting", "--since", "today", "--until", "today"],
                 ["type", "add", "accessibility-and-disability-jus", "--pillar", "action",
                  "--about", LONG_NOTE, "--alias", "access-work"],
                 ["log", "access-work", "--note", LONG_NOTE],
                 ["rhythm", "access-work", "3/week"],
                 ["type", "add", "old-practice", "--pillar", "learning"],
                 ["log", "old-practice"],
                 ["type", "retire", "old-practice"]):  # fmt: skip
        subprocess.run([sys.executable, "-m", "allycli", *args], env=env, check=True,
                       capture_output=True, timeout=60)  # fmt: skip
    return folder / "ally.db"


def _ago(days: int) -> str:
    from datetime import date, timedelta

    return (date.today() - timedelta(days=days)).isoformat()


def _fresh(journal: Path, tmp_path: Path) -> dict[str, str]:
    for companion in ("ally.db-wal", "ally.db-shm"):
        (tmp_path / companion).unlink(missing_ok=True)
    shutil.copy(journal, tmp_path / "ally.db")
    (tmp_path / "home").mkdir(exist_ok=True)
    (tmp_path / "seed.jsonl").write_text(
        json.dumps({"id": "bbbb0001-0000-4000-8000-000000000000", "kind": "practice",
                    "date": _ago(3), "created_at": f"{_ago(3)}T09:00:00+00:00",
                    "updated_at": f"{_ago(3)}T09:00:00+00:00", "pillar": "action",
                    "action_type": "money", "note": None, "minutes": None}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    return _env(tmp_path)


def on_screen(env: dict[str, str], args: list[str], columns: int, cwd: Path) -> str:
    child = pexpect.spawn(sys.executable, ["-m", "allycli", *args], env=env, cwd=str(cwd),
                          dimensions=(200, columns), encoding="utf-8", timeout=60)  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    lines = ANSI.sub("", child.before).replace("\r\n", "\n").split("\n")
    return "\n".join(line.rsplit("\r", 1)[-1] for line in lines)  # what a return overwrote


def piped(env: dict[str, str], args: list[str], columns: int, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "allycli", *args], env={**env, "COLUMNS": str(columns)},
        cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        timeout=60, check=False,
    )  # fmt: skip
    return done.stdout.decode("utf-8")


# What changes from one run to the next: a backup's time, a new pause's id.
VARYING = re.compile(r"ally-\d{8}-\d{6}(-\d+)?\.db|\b[0-9a-f]{8}\b(?= \(|\)|;|:|\.)")


def _unfolded(screen: str, columns: int, pipe: str) -> list[str]:
    """The screen's lines, a token longer than the width put back together: a full line
    without a space is joined to the next while it is still the start of one of the piped
    text's long tokens (a token that ends exactly at the edge is not joined to what follows)."""
    digits = str.maketrans("123456789", "000000000")  # a backup's time may differ by a second
    long_tokens = [w.translate(digits) for w in pipe.split() if len(w) > columns]
    lines: list[str] = []
    folding = False
    for line in screen.split("\n"):
        if folding:
            lines[-1] += line.strip()  # a folded token goes on at its line's indentation
        else:
            lines.append(line)
        so_far = lines[-1].strip().translate(digits)
        folding = (
            len(line) == columns
            and " " not in line.strip()
            and not set(line.strip()) <= set("─-")
            and any(w.startswith(so_far) and w != so_far for w in long_tokens)
        )
    return lines


def _norm(text: str) -> str:
    return " ".join(VARYING.sub("X", text).split())


def check(screen: str, pipe: str, columns: int, *, same: bool) -> None:
    for line in screen.split("\n"):
        assert len(line.rstrip()) <= columns, (columns, line, screen)
    lines = _unfolded(screen, columns, pipe)
    for line in lines:  # a token longer than the width stands alone on its line
        if len(line.rstrip()) > columns:
            assert " " not in line.strip(), (line, screen)
    on_screen_words = set(VARYING.sub("X", "\n".join(lines)).split())  # in their order
    missing = [w for w in VARYING.sub("X", pipe).split() if w not in on_screen_words]
    assert not missing, (missing, screen, pipe)
    if same:
        assert _norm("\n".join(lines)) == _norm(pipe), (screen, pipe)
    assert "<int range>" not in screen and "x>=1" not in screen


MESSAGES = [
    ["log", "interrupting", "--note", LONG_NOTE, "--minutes", "5"],
    ["log", "foo"],
    ["log", "protest", "--minutes", "0"],
    ["log", "vote", "--date", "tomorrow"],
    ["doctor"],
    ["backup"],
    ["export", "--output", "everything.jsonl", "--force"],  # run twice: on screen, piped
    ["rhythm", "listening", "3/week"],
    ["pause", "protest", "--since", "3 days ago", "--until", "today", "--note", "family visit"],
    ["edit", ID, "--date", "today", "--minutes", "90", "--note", LONG_NOTE],
    ["delete", ID, "--yes"],
    ["reflect", "--answer", LONG_NOTE],
    ["report", "--json", "--html", "x.html"],
    ["type", "add", "language-justice", "--pillar", "listening", "--about", LONG_NOTE],
    ["type", "rename", "access-work", "accessibility-work"],
    ["type", "retire", "access-work"],
    ["today", "--short"],
    [],
]
TABLES = [
    ["report"],
    ["report", "--month"],
    ["rhythm"],
    ["pause", "--list"],
    ["reflect", "--list"],
    ["reflect", "--prompts", "--pillar", "yielding"],
    ["calendar"],
    ["today"],
    ["type", "list"],
]
# a terminal layout of their own (import: a progress bar on a terminal)
WORDS_ONLY = [["list"], ["search", "council"], ["show", ID], ["import", "seed.jsonl"]]
COMMANDS = ["log", "reflect", "report", "calendar", "list", "show", "edit", "delete",
            "search", "export", "import", "backup", "restore", "doctor", "rhythm", "pause",
            "sync", "today", "type"]  # fmt: skip


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("args", MESSAGES + TABLES, ids=lambda a: " ".join(a)[:40] or "ally")
def test_output_fits_and_reads_as_piped(journal, tmp_path, args, columns):
    env = _fresh(journal, tmp_path)
    screen = on_screen(env, args, columns, tmp_path)
    _fresh(journal, tmp_path)
    pipe = piped(env, args, columns, tmp_path)
    # piped output is never wrapped: a table is laid out as wide as it needs there, so
    # only messages read the same; a table on the screen fits and keeps its tokens whole
    if args in TABLES or args == ["doctor"]:
        check(screen, "", columns, same=False)
    else:
        check(screen, pipe, columns, same=True)


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("args", WORDS_ONLY, ids=lambda a: " ".join(a))
def test_tables_of_their_own_keep_every_word_whole(journal, tmp_path, args, columns):
    env = _fresh(journal, tmp_path)
    screen = on_screen(env, args, columns, tmp_path)
    _fresh(journal, tmp_path)
    check(screen, piped(env, args, columns, tmp_path), columns, same=False)


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_fits_and_keeps_every_summary_whole(journal, tmp_path, command, columns):
    env = _fresh(journal, tmp_path)
    args = ["--help"] if command is None else [command, "--help"]
    screen = on_screen(env, args, columns, tmp_path)
    check(screen, piped(env, args, columns, tmp_path), columns, same=True)
    if columns >= 60:
        shown = re.sub(r"(\[[A-Z]+\]|[A-Z]+)\.\.\.", "", screen)  # a metavar's "more may follow"
        assert "..." not in shown
    assert "   |   " not in screen  # one example a line, never joined with a pipe sign


@pytest.mark.parametrize("columns", WIDTHS)
def test_another_prompt_is_named_whole_on_screen(journal, tmp_path, columns):
    env = _fresh(journal, tmp_path)
    screen = on_screen(env, ["reflect", "--another", "--answer", LONG_NOTE], columns, tmp_path)
    answered = [
        r for r in json.loads(piped(env, ["list", "--json"], columns, tmp_path))
        if r["kind"] == "reflection" and r["answer"] == LONG_NOTE
    ]  # fmt: skip
    [reflection] = answered
    expected = f'answering "{reflection["prompt"]}" (prompt {reflection["prompt_id"]}).'
    check(screen, "", columns, same=False)
    assert " ".join(expected.split()) in " ".join(screen.split())


def test_piped_messages_are_one_line(journal, tmp_path):
    env = _fresh(journal, tmp_path)
    out = piped(env, MESSAGES[0], 40, tmp_path)
    assert out.count("\n") == 1 and LONG_NOTE not in out  # the note is not repeated
    err = piped(env, ["log", "foo"], 40, tmp_path)
    assert err.count("\n") == 1 and err.startswith("ally: ")
