"""`--edit` on `log` and `reflect`, with stand-in editors: shell scripts written by the test.

Each stand-in records what it was given (the file's path, its mode, its folder's mode and
its text) in a folder of the test's, then writes text, exits non-zero, or writes nothing.
"""

from __future__ import annotations

import shlex
import stat
import tempfile
from pathlib import Path

import pytest

from tests.integration.helpers import ally, cli_env, export_objects, ok, one_line_error


@pytest.fixture
def seen(tmp_path: Path) -> Path:
    folder = tmp_path / "seen"
    folder.mkdir()
    return folder


def stand_in(tmp_path: Path, seen: Path, name: str, action: str) -> Path:
    """A stand-in editor: notes what it was given in `seen`, then runs `action`."""
    script = tmp_path / f"{name}.sh"
    script.write_text(
        "#!/bin/sh\n"
        f'for a in "$@"; do last="$a"; done; echo "$@" > {seen}/argv\n'
        f'echo "$last" > {seen}/path; stat -c %a "$last" > {seen}/mode\n'
        f'stat -c %a "$(dirname "$last")" > {seen}/folder_mode; cp "$last" {seen}/given\n'
        f"{action}\n",
        encoding="utf-8",
    )
    script.chmod(0o700)
    return script


WRITES = """printf 'Listened to the tenants\\nwithout steering it\\n' > "$last\""""
WRITES_ABOVE_GUIDE = (
    """{ printf 'Their plan, their timing.\\n'; cat "$last"; } > "$last.x" && """
    """cat "$last.x" > "$last" && rm "$last.x\""""
)
FAILS = """printf 'half of what I meant' > "$last"; exit 3"""
EMPTY = """: > "$last\""""


def env_with(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = cli_env(tmp_path, tmp_path / "ally.db", **extra)
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    env.update(extra)
    return env


def given(seen: Path) -> tuple[Path, str, str, str]:
    path = Path((seen / "path").read_text().strip())
    return (
        path,
        (seen / "mode").read_text().strip(),
        (seen / "folder_mode").read_text().strip(),
        (seen / "given").read_text(encoding="utf-8"),
    )


def test_log_edit_records_the_note_written_and_removes_the_file(tmp_path: Path, seen: Path) -> None:
    env = env_with(tmp_path, EDITOR=str(stand_in(tmp_path, seen, "writes", WRITES)))
    result = ok(ally(env, "log", "listening", "--edit", "--minutes", "45"))
    assert result.stdout.startswith("Logged listening for today")
    [entry] = export_objects(env)
    assert (entry["note"], entry["minutes"]) == ("Listened to the tenants\nwithout steering it", 45)

    path, mode, folder_mode, text = given(seen)
    assert (mode, folder_mode) == ("600", "700")
    assert path.parent == tmp_path / "home" / "state" / "ally" / "editing"
    assert Path(tempfile.gettempdir()).resolve() != path.parent.resolve()
    assert not path.exists()  # removed once the note was recorded
    assert list(path.parent.iterdir()) == []
    assert "# A note on your practice: listening" in text


def test_reflect_edit_shows_the_prompt_below_the_line_and_records_the_text_above(
    tmp_path: Path, seen: Path
) -> None:
    editor = stand_in(tmp_path, seen, "above", WRITES_ABOVE_GUIDE)
    env = env_with(tmp_path, VISUAL=str(editor))
    result = ok(ally(env, "reflect", "--prompt", "reflect-yielding-01", "--edit"))
    assert "(prompt reflect-yielding-01)" in result.stdout
    assert "Reflection recorded for " in result.stdout
    [entry] = export_objects(env)
    assert entry["answer"] == "Their plan, their timing."
    path, mode, _, text = given(seen)
    assert mode == "600" and not path.exists()
    assert text.startswith("\n# ------------------------ >8 ------------------------\n")
    assert "# Yielding (reflect-yielding-01): Whose plan or lead have you followed, even" in text


def test_visual_wins_over_editor_and_a_command_may_carry_arguments(
    tmp_path: Path, seen: Path
) -> None:
    writes = stand_in(tmp_path, seen, "writes", WRITES)
    env = env_with(
        tmp_path,
        VISUAL=f"{shlex.quote(str(writes))} --wait -c 'set x'",
        EDITOR=str(tmp_path / "not-this-one"),
    )
    ok(ally(env, "log", "protest", "--edit"))
    path, *_ = given(seen)
    assert (seen / "argv").read_text() == f"--wait -c set x {path}\n"
    assert [o["note"] for o in export_objects(env)] == [
        "Listened to the tenants\nwithout steering it"
    ]


def test_an_editor_that_exits_non_zero_records_nothing_and_keeps_the_file(
    tmp_path: Path, seen: Path
) -> None:
    ok(ally(env_with(tmp_path), "log", "money", "--note", "kept"))
    env = env_with(tmp_path, EDITOR=str(stand_in(tmp_path, seen, "fails", FAILS)))
    line = one_line_error(ally(env, "reflect", "--edit"), 1)
    path, *_ = given(seen)
    assert line == (
        "ally: The editor exited with status 3, so nothing was saved; what you wrote is kept "
        f"in {path}."
    )
    assert path.read_text(encoding="utf-8") == "half of what I meant"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [o["kind"] for o in export_objects(env)] == ["practice"]


@pytest.mark.parametrize("command", [("log", "protest"), ("reflect",)])
def test_an_editor_that_writes_nothing_records_nothing_and_says_so(
    tmp_path: Path, seen: Path, command: tuple[str, ...]
) -> None:
    env = env_with(tmp_path, EDITOR=str(stand_in(tmp_path, seen, "empty", EMPTY)))
    result = ok(ally(env, *command, "--edit"))
    what = "note" if command[0] == "log" else "answer"
    assert result.stdout.splitlines()[-1] == f"Nothing recorded: the {what} was empty."
    assert export_objects(env) == []
    path, *_ = given(seen)
    assert not path.exists()


def test_an_editor_left_unchanged_records_nothing(tmp_path: Path, seen: Path) -> None:
    env = env_with(tmp_path, EDITOR=str(stand_in(tmp_path, seen, "keeps", "true")))
    result = ok(ally(env, "reflect", "--edit"))
    assert result.stdout.splitlines()[-1] == "Nothing recorded: the answer was empty."
    assert export_objects(env) == []


def test_a_missing_editor_is_named_and_nothing_is_left_behind(tmp_path: Path) -> None:
    env = env_with(tmp_path, EDITOR=str(tmp_path / "no-such-editor"))
    line = one_line_error(ally(env, "log", "protest", "--edit"), 1)
    assert line.startswith(f"ally: The editor '{tmp_path / 'no-such-editor'}' could not be ")
    assert line.endswith("set VISUAL or EDITOR to an editor you have. Nothing was saved.")
    assert list((tmp_path / "home" / "state" / "ally" / "editing").iterdir()) == []


def test_a_nul_from_the_editor_is_refused_and_the_file_kept(tmp_path: Path, seen: Path) -> None:
    editor = stand_in(tmp_path, seen, "nul", """printf 'a\\000b' > "$last\"""")
    env = env_with(tmp_path, EDITOR=str(editor))
    line = one_line_error(ally(env, "log", "protest", "--edit"), 1)
    path, *_ = given(seen)
    assert "NUL" in line and line.endswith(f"it is kept in {path}.")
    assert path.read_bytes() == b"a\x00b"
    assert export_objects(env) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("log", "protest", "--edit", "--note", "x"), "Choose --note or --edit, not both."),
        (("reflect", "--edit", "--answer", "x"), "Choose --answer or --edit, not both."),
        (("log", "sleeping", "--edit"), "No activity 'sleeping'"),
    ],
)
def test_a_wrong_command_is_refused_before_the_editor_opens(
    tmp_path: Path, seen: Path, args: tuple[str, ...], message: str
) -> None:
    env = env_with(tmp_path, EDITOR=str(stand_in(tmp_path, seen, "writes", WRITES)))
    line = one_line_error(ally(env, *args), 2)
    assert line.startswith(f"ally: {message}")
    assert not (seen / "path").exists()  # the editor never opened


def test_the_editing_folder_is_made_private_again(tmp_path: Path, seen: Path) -> None:
    folder = tmp_path / "home" / "state" / "ally" / "editing"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    env = env_with(tmp_path, EDITOR=str(stand_in(tmp_path, seen, "writes", WRITES)))
    ok(ally(env, "log", "protest", "--edit"))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (seen / "folder_mode").read_text().strip() == "700"


def test_a_prompt_from_a_file_reaches_the_editor_without_control_characters(
    tmp_path: Path, seen: Path
) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text(
        "prompts:\n  - id: mine-01\n    kind: reflection\n    pillar: yielding\n"
        '    text: "Whose \\e[31mred\\e[0m voice \\e]0;title\\a was missing?"\n',
        encoding="utf-8",
    )
    editor = stand_in(tmp_path, seen, "above", WRITES_ABOVE_GUIDE)
    env = env_with(tmp_path, EDITOR=str(editor), ALLY_PROMPTS=str(prompts))
    ok(ally(env, "reflect", "--prompt", "mine-01", "--edit"))
    *_, text = given(seen)
    assert "# Yielding (mine-01): Whose ?[31mred?[0m voice ?]0;title? was missing?\n" in text
    assert "\x1b" not in text and "\x07" not in text
    assert [o["answer"] for o in export_objects(env)] == ["Their plan, their timing."]
