"""Piped output is never wrapped or padded: what a person wrote (a note, an answer, a
prompt) stands whole on one line, so `grep` finds it, and no line ends in spaces, so
`cat -A` shows none. Real processes, piped, with COLUMNS as narrow as 40 (piped output
does not follow it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NOTE = (
    "Stopped a colleague's joke about accents in the planning meeting and talked it through "
    "with the whole team afterwards, then wrote to the district office about interpreters"
)
ANSWER = (
    "They asked for rides to the hearing and for someone to mind the children, not for "
    "advice about strategy; I offered the car on Thursday and stayed quiet in the meeting"
)
PAUSE_NOTE = "Family visit across the border, back after the holidays with the grandparents"


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("piped")
    env = {k: v for k, v in os.environ.items() if k not in ("ALLY_PROMPTS", "LINES")}
    env.update(ALLY_DB=str(root / "ally.db"), HOME=str(root), NO_COLOR="1", COLUMNS="40",
               XDG_STATE_HOME=str(root / "state"), XDG_CONFIG_HOME=str(root / "cfg"))  # fmt: skip
    for args in (
        ("log", "interrupting", "--note", NOTE, "--minutes", "20"),
        ("reflect", "--answer", ANSWER),
        ("pause", "voting", "--since", "today", "--until", "today", "--note", PAUSE_NOTE),
        ("rhythm", "learning", "90min/week"),
    ):
        ally(env, *args)
    return env


def ally(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "allycli", *args], env=env, stdin=subprocess.DEVNULL,
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


def _entry_id(env: dict[str, str], kind: str) -> str:
    return next(e["id"] for e in json.loads(ally(env, "list", "--json")) if e["kind"] == kind)


def _no_padding(out: str) -> None:
    padded = [line for line in out.splitlines() if line != line.rstrip()]
    assert not padded, padded


def _whole_on_a_line(out: str, text: str) -> None:
    assert any(text in line for line in out.splitlines()), (text, out)


@pytest.mark.parametrize(
    ("args", "texts"),
    [
        (("list",), [NOTE, ANSWER]),
        (("search", "district"), [NOTE]),
        (("search", "hearing"), [ANSWER]),
        (("reflect", "--list"), [ANSWER]),
        (("pause", "--list"), [PAUSE_NOTE]),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, tuple) else "",
)
def test_what_a_person_wrote_is_one_line(journal, args, texts):
    out = ally(journal, *args)
    for text in texts:
        _whole_on_a_line(out, text)
    _no_padding(out)


def test_show_gives_the_note_whole(journal):
    out = ally(journal, "show", _entry_id(journal, "practice")[:8])
    _whole_on_a_line(out, NOTE)
    _no_padding(out)


def test_every_prompt_is_one_line_of_reflect_prompts(journal):
    """`ally reflect --prompts | grep district` finds whole prompts, never fragments."""
    out = ally(journal, "reflect", "--prompts")
    shipped = yaml.safe_load((ROOT / "data" / "prompts.yaml").read_text(encoding="utf-8"))
    texts = [" ".join(p["text"].split()) for p in shipped["prompts"]]
    lines = out.splitlines()
    missing = [t for t in texts if not any(t in line for line in lines)]
    assert not missing, missing[:3]
    _no_padding(out)


@pytest.mark.parametrize(
    "args",
    [("report",), ("report", "--month"), ("rhythm",), ("calendar",), ("doctor",), ("--help",)],
    ids=" ".join,
)
def test_reviews_are_not_padded_and_their_prompts_whole(journal, args):
    out = ally(journal, *args)
    _no_padding(out)
    if args[0] == "report":
        shipped = yaml.safe_load((ROOT / "data" / "prompts.yaml").read_text(encoding="utf-8"))
        texts = {" ".join(p["text"].split()) for p in shipped["prompts"]}
        prompts = [line.strip() for line in out.split("Learning prompts for the biggest gaps")[1]
                   .splitlines() if line.strip()]  # fmt: skip
        shown = [p for p in prompts if not p.endswith(")")]  # "protest (action type)" heads
        assert shown and all(any(p == t or p.endswith(t) for t in texts) for p in shown), shown
