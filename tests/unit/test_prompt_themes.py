"""Themes on prompts: reading them from a prompts file, and the day's prompt within a theme."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from allycli.core import prompts
from allycli.core.errors import DataFileError, UsageError
from allycli.core.prompts import THEMES, Prompt
from allycli.store import promptfiles

TODAY = date(2026, 12, 7)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prompts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ONE = """prompts:
  - id: mine-1
    kind: reflection
    pillar: listening
    action_type: null
    themes: {themes}
    text: Whose words stayed with you?
"""


def test_the_fixed_set_of_themes() -> None:
    assert THEMES == (
        "racism", "sexism", "misogyny", "homophobia", "transphobia", "xenophobia", "ableism",
        "ageism", "class", "colonialism", "antisemitism", "islamophobia", "intersectionality",
        "accountability", "consent", "safety", "access", "systems", "rest",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("written", "themes"),
    [("[racism, access]", ("racism", "access")), ("[]", ()), ("[rest, rest]", ("rest",))],
)
def test_a_prompts_file_gives_its_themes(
    tmp_path: Path, written: str, themes: tuple[str, ...]
) -> None:
    [prompt] = promptfiles.load_file(write(tmp_path, ONE.format(themes=written)))
    assert prompt.themes == themes


def test_themes_may_be_left_out(tmp_path: Path) -> None:
    text = ONE.replace("    themes: {themes}\n", "")
    [prompt] = promptfiles.load_file(write(tmp_path, text))
    assert prompt.themes == ()


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("[racism, patience]", "no theme 'patience'. Choose from: racism, sexism,"),
        ("racism", "themes must be a list such as [racism, access]."),
        ("[[racism]]", "themes must be a list such as [racism, access]."),
    ],
)
def test_an_unknown_theme_is_the_prompts_files_error_naming_it(
    tmp_path: Path, written: str, message: str
) -> None:
    path = write(tmp_path, ONE.format(themes=written))
    with pytest.raises(DataFileError) as caught:
        promptfiles.load_file(path)
    assert str(path) in caught.value.message and "item 1" in caught.value.message
    assert message in caught.value.message


@pytest.mark.parametrize("name", ["racism", "Racism", " ableism "])
def test_a_theme_is_named_whatever_its_case(name: str) -> None:
    assert prompts.resolve_theme(name) == name.strip().lower()


def test_an_unknown_theme_is_a_usage_error_listing_the_themes() -> None:
    with pytest.raises(UsageError) as caught:
        prompts.resolve_theme("racsim")
    assert caught.value.message == f"No theme 'racsim'. Choose one of: {', '.join(THEMES)}."


def themed(pid: str, *themes: str, kind: str = "reflection") -> Prompt:
    return Prompt(pid, kind, "learning", None, f"Reflect on {pid}.", themes)


SET = (
    themed("c", "ageism"),
    themed("a", "ageism", "rest"),
    themed("e", "rest"),
    themed("b", "ageism"),
    themed("l", "ageism", kind="learning"),
    themed("d"),
)


def test_a_themes_pool_is_its_reflection_prompts_in_id_order() -> None:
    assert [p.id for p in prompts.of_theme(SET, "ageism")] == ["a", "b", "c"]
    assert [p.id for p in prompts.of_theme(SET, "rest")] == ["a", "e"]
    assert prompts.of_theme(SET, "racism") == []


def test_the_days_prompt_in_a_theme_is_the_pools_entry_at_the_days_number() -> None:
    days = [TODAY + timedelta(days=i) for i in range(9)]
    shown = [prompts.theme_of_the_day(SET, d, "ageism").id for d in days]
    pool = ["a", "b", "c"]
    assert shown == [pool[d.toordinal() % 3] for d in days]
    # a pool of three brings each prompt back every third day, never sooner
    assert all(shown[i] == shown[i + 3] != shown[i + 1] for i in range(6))


def test_a_theme_no_reflection_prompt_carries_is_a_data_error() -> None:
    with pytest.raises(DataFileError, match="No reflection prompt carries the theme 'racism'"):
        prompts.theme_of_the_day(SET, TODAY, "racism")


def test_every_theme_has_reflection_prompts_among_the_builtin_ones() -> None:
    builtin = promptfiles.load([promptfiles.builtin_path()])
    assert [t for t in THEMES if not prompts.of_theme(builtin, t)] == []
