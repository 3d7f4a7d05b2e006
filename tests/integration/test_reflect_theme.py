"""`ally reflect --theme` through the real executable, in a pseudo-terminal as a person types.

The day's prompt comes from one theme's reflection prompts in turn; under the prompt, one dim
line asks to leave out what could identify anyone (a journal is exported, backed up, synced).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from allycli.core import prompts
from allycli.store import promptfiles
from tests.integration.helpers import ally, export_objects
from tests.integration.test_typing import CTRL_D, env, typed, visible

__all__ = ["env"]  # the pseudo-terminal's environment, a fixture shared with test_typing

LEAVE_OUT = "Leave out names and details that could identify anyone."
DIM = "\x1b[2m"
BUILTIN = promptfiles.load([promptfiles.builtin_path()])


def joined(screen: str) -> str:
    return " ".join(visible(screen).split())


def days_theme_prompts(theme: str) -> set[str]:
    """The theme's prompt for today, or for the day around it should midnight pass."""
    today = date.today()
    return {
        prompts.theme_of_the_day(BUILTIN, today + timedelta(days=d), theme).id for d in (-1, 0, 1)
    }


def test_reflect_theme_asks_the_themes_prompt_of_the_day_with_the_privacy_line(
    env: dict[str, str],
) -> None:
    code, screen = typed(
        env, ["reflect", "--theme", "transphobia"], ["Used the right name.", CTRL_D]
    )
    assert code == 0, screen
    shown = joined(screen)
    [answered] = [o for o in export_objects(env) if o["kind"] == "reflection"]
    assert answered["answer"] == "Used the right name."
    assert answered["prompt_id"] in days_theme_prompts("transphobia")
    prompt = next(p for p in BUILTIN if p.id == answered["prompt_id"])
    assert "transphobia" in prompt.themes
    # the prompt, its id, then the privacy line, then how to answer
    at = [shown.index(prompt.text), shown.index(f"(prompt {prompt.id})"), shown.index(LEAVE_OUT),
          shown.index("Write your answer;")]  # fmt: skip
    assert at == sorted(at)
    assert "themes" not in answered  # themes live in the prompts files, not in a reflection


def test_the_privacy_line_is_dim_and_shown_on_a_plain_reflect_too(env: dict[str, str]) -> None:
    colored = {k: v for k, v in env.items() if k != "NO_COLOR"}
    code, screen = typed(colored, ["reflect"], ["x", CTRL_D])
    assert code == 0, screen
    assert DIM + LEAVE_OUT in screen.replace("\r", "")


def test_a_second_answer_to_the_themes_prompt_is_refused(env: dict[str, str]) -> None:
    first = ally(env, "reflect", "--theme", "ageism", "--answer", "one")
    assert first.returncode == 0, first.stderr
    again = ally(env, "reflect", "--theme", "ageism", "--answer", "two")
    assert again.returncode == 1
    assert "You already answered the prompt" in again.stderr and "--another" in again.stderr
    another = ally(env, "reflect", "--theme", "ageism", "--another", "--answer", "three")
    assert another.returncode == 0, another.stderr
    ids = [o["prompt_id"] for o in export_objects(env) if o["kind"] == "reflection"]
    pool = {p.id for p in prompts.of_theme(BUILTIN, "ageism")}
    assert len(ids) == 2 and ids[0] != ids[1] and set(ids) <= pool


def test_piped_reflect_prints_no_privacy_line(env: dict[str, str]) -> None:
    done = ally(env, "reflect", "--theme", "rest", input="rested\n")
    assert done.returncode == 0, done.stderr
    assert LEAVE_OUT not in done.stdout + done.stderr
    assert done.stdout.startswith("Reflection recorded for ")


def test_an_unknown_theme_is_a_usage_error_and_keeps_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    done = ally(env, "reflect", "--theme", "racsim", "--answer", "kept?")
    assert done.returncode == 2
    assert done.stderr == (
        f"ally: No theme 'racsim'. Choose one of: {', '.join(prompts.THEMES)}.\n"
    )
    assert not (tmp_path / "ally.db").exists() or export_objects(env) == []
    assert list(tmp_path.rglob("draft-*")) == []
