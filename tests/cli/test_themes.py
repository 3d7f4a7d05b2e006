"""Themes at the command line: `reflect --prompts --theme`, `reflect --theme`, the report's JSON,
exports (which never carry themes) and a prompts file of one's own that names a theme."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from allycli.core import prompts
from allycli.store import promptfiles

BUILTIN = promptfiles.load([promptfiles.builtin_path()])
ID = re.compile(r"^((?:reflect-)?(?:type-)?[a-z]+(?:-[a-z]+)?-\d\d)\b", re.MULTILINE)


def test_prompts_theme_lists_every_prompt_of_the_theme(run) -> None:
    out = run("--no-pager", "reflect", "--prompts", "--theme", "Misogyny").stdout
    listed = ID.findall(out)
    expected = [p.id for p in BUILTIN if "misogyny" in p.themes]
    assert listed == expected
    assert sum(p.kind == "reflection" for p in BUILTIN if p.id in listed) >= 5


def test_prompts_theme_goes_with_pillar_and_type(run) -> None:
    out = run("--no-pager", "reflect", "--prompts", "--theme", "safety", "-t", "protest").stdout
    expected = [p.id for p in BUILTIN if "safety" in p.themes and p.action_type == "protest"]
    assert ID.findall(out) == expected and expected


@pytest.mark.parametrize(
    "args",
    [
        ("reflect", "--theme", "kindness"),
        ("reflect", "--prompts", "--theme", "kindness"),
        ("reflect", "--theme", "kindness", "--answer", "words"),
    ],
)
def test_an_unknown_theme_is_a_usage_error_listing_the_themes(run, export, args) -> None:
    result = run(*args, ok=False)
    assert result.exit_code == 2
    assert result.stderr == (
        f"ally: No theme 'kindness'. Choose one of: {', '.join(prompts.THEMES)}.\n"
    )
    assert export() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--prompt", "reflect-action-05"), "Choose --prompt or --theme, not both."),
        (("--list",), "--theme goes with answering or with --prompts, not with --list."),
    ],
)
def test_theme_with_prompt_or_list_is_refused(run, args, message) -> None:
    result = run("reflect", "--theme", "rest", *args, ok=False)
    assert result.exit_code == 2 and result.stderr == f"ally: {message}\n"


def test_reflect_theme_answers_the_themes_prompt_and_exports_no_themes(run, export) -> None:
    done = run("reflect", "--theme", "xenophobia", "--answer", "Used their own words.")
    [reflection] = export()
    assert reflection["prompt_id"] in {p.id for p in prompts.of_theme(BUILTIN, "xenophobia")}
    assert f"(prompt {reflection['prompt_id']})" in done.stdout
    assert "themes" not in reflection


def test_report_json_prompts_carry_their_themes(run) -> None:
    data = json.loads(run("report", "--json").stdout)
    by_id = {p.id: p for p in BUILTIN}
    assert data["prompts"]
    for shown in data["prompts"]:
        assert shown["themes"] == list(by_id[shown["id"]].themes)


OWN = """prompts:
  - id: own-01
    kind: reflection
    pillar: listening
    action_type: null
    themes: [{theme}]
    text: Whose words stayed with you?
"""


def test_an_own_prompts_file_may_use_the_themes(run, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(OWN.format(theme="ableism"), encoding="utf-8")
    monkeypatch.setenv("ALLY_PROMPTS", str(path))
    out = run("--no-pager", "reflect", "--prompts", "--theme", "ableism").stdout
    assert "own-01" in ID.findall(out)


def test_an_own_prompts_file_with_an_unknown_theme_is_named_with_the_theme(
    run, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(OWN.format(theme="patience"), encoding="utf-8")
    monkeypatch.setenv("ALLY_PROMPTS", str(path))
    result = run("reflect", "--prompts", ok=False)
    assert str(path) in result.stderr and "no theme 'patience'" in result.stderr
    assert result.stderr.count("\n") == 1
