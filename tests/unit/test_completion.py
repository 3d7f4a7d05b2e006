"""completion: what TAB offers, read without YAML or SQLModel, and each shell's own script."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from allycli.core.errors import UsageError
from allycli.core.records import Record
from allycli.shell import completion
from allycli.store.database import Store
from allycli.store.promptfiles import builtin_path


def test_formats_and_date_words() -> None:
    assert [f for f, _ in completion.formats("")] == ["jsonl", "csv", "md"]
    assert [f for f, _ in completion.formats("c")] == ["csv"]
    assert completion.dates("t") == ["today", "tuesday", "thursday"]
    assert completion.dates("Y") == ["yesterday"]
    assert completion.dates("s") == ["saturday", "sunday"]


def test_rhythm_specs_complete_in_canonical_form() -> None:
    assert [s for s, _ in completion.rhythm_specs("1/")] == ["1/day", "1/week", "1/month"]
    assert [s for s, _ in completion.rhythm_specs("o")] == ["off"]


def test_prompt_ids_read_without_yaml_agree_with_the_yaml() -> None:
    data = yaml.safe_load(builtin_path().read_text(encoding="utf-8"))
    expected = [p["id"] for p in data["prompts"] if p["kind"] == "reflection"]
    offered = completion.prompt_ids("", (builtin_path(),))
    assert [i for i, _ in offered] == expected
    assert all(help_ == "reflection prompt" for _, help_ in offered)
    listening = [i for i, _ in completion.prompt_ids("reflect-listening", (builtin_path(),))]
    assert listening and all(i.startswith("reflect-listening") for i in listening)


def test_user_prompts_join_and_a_missing_file_is_skipped(tmp_path: Path) -> None:
    mine = tmp_path / "prompts.yaml"
    mine.write_text(
        "prompts:\n  - id: 'my-own-01'\n    kind: reflection\n    pillar: yielding\n"
        "    action_type: null\n    text: Who spoke first today?\n"
        "  - id: my-learning-01\n    kind: learning\n    pillar: action\n",
        encoding="utf-8",
    )
    offered = completion.prompt_ids("my-", (builtin_path(), mine, tmp_path / "missing.yaml"))
    assert offered == [("my-own-01", "reflection prompt")]


def _entry(i: int, day: str, **fields: object) -> tuple[object, ...]:
    base: dict[str, object] = {"kind": "practice", "pillar": "action", "action_type": "protest"}
    base.update(fields)
    return Record(
        id=f"{i:08x}-0000-4000-8000-000000000000",
        day=day,
        created_at=f"{day}T10:00:00+00:00",
        **base,  # type: ignore[arg-type]
    ).row()


def test_entry_ids_newest_first_with_what_they_are(db_path: Path) -> None:
    Store(db_path).insert(
        [
            _entry(0xAA01, "2026-11-20"),
            _entry(0xAA02, "2026-11-24", pillar="listening", action_type=None),
            _entry(
                0xBB03,
                "2026-11-22",
                kind="reflection",
                pillar="yielding",
                action_type=None,
                prompt_id="reflect-yielding-02",
                answer="a",
            ),
        ]
    )
    assert completion.entry_ids("", db_path) == [
        ("0000aa02-0000-4000-8000-000000000000", "2026-11-24 listening"),
        ("0000bb03-0000-4000-8000-000000000000", "2026-11-22 reflection reflect-yielding-02"),
        ("0000aa01-0000-4000-8000-000000000000", "2026-11-20 protest (action)"),
    ]
    assert [i for i, _ in completion.entry_ids("0000AA", db_path)] == [
        "0000aa02-0000-4000-8000-000000000000",
        "0000aa01-0000-4000-8000-000000000000",
    ]
    # wildcards typed by the user are plain characters
    assert completion.entry_ids("%", db_path) == []
    assert completion.entry_ids("0000aa0_", db_path) == []


def test_entry_ids_create_no_file(tmp_path: Path, db_path: Path) -> None:
    assert completion.entry_ids("", tmp_path / "nothing.db") == []
    assert not (tmp_path / "nothing.db").exists()
    Store(db_path).insert([_entry(1, "2026-11-20")])
    Store(db_path).checkpoint()
    conn = sqlite3.connect(db_path)  # leave the file with no -wal or -shm beside it
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = sorted(os.listdir(tmp_path))
    assert len(completion.entry_ids("", db_path)) == 1
    assert sorted(os.listdir(tmp_path)) == before


def test_entry_ids_of_a_file_that_is_not_a_database_offer_nothing(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert completion.entry_ids("", junk) == []
    assert junk.read_bytes() == b"not a database at all" * 100


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--show-completion", "zsh"], ("--show-completion", "zsh")),
        (["--install-completion", "tcsh"], ("--install-completion", "tcsh")),
        (["--show-completion"], None),
        (["--show-completion", "--help"], None),
        (["log", "--show-completion", "zsh"], None),
    ],
)
def test_shell_option(argv: list[str], expected: tuple[str, str] | None) -> None:
    assert completion.shell_option(argv) == expected


def test_an_unknown_shell_is_refused() -> None:
    with pytest.raises(UsageError) as caught:
        completion.handle_shell_option("--install-completion", "tcsh")
    assert caught.value.message == (
        "ally has no completion for 'tcsh'; it completes in bash, zsh and fish (and PowerShell). "
        "Run 'ally --show-completion bash' (or zsh, fish)."
    )


def test_themes_complete_from_the_fixed_set_without_reading_yaml() -> None:
    code = (
        "import sys; from allycli.shell import completion; "
        "print(completion.complete_theme('a'), completion.complete_theme('Is')); "
        "print('yaml' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert out.splitlines() == [
        "['ableism', 'ageism', 'antisemitism', 'accountability', 'access'] ['islamophobia']",
        "False",
    ]
