"""A prompts file of one's own that cannot serve (missing, not a file, nested too deeply,
over 1 MiB, not valid) is warned about in one line naming the file, and left aside: the
built-in prompts serve, `report` and `reflect` work, an answer given with `--answer` is
recorded. `ally log` never reads a prompts file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run

COLON = (
    "prompts:\n"
    "  - id: mine-01\n"
    "    kind: reflection\n"
    "    pillar: yielding\n"
    "    text: Whose plan: yours or theirs?\n"
)


def _broken(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """A prompts file of one's own that cannot serve, and what its warning must hold."""
    path = tmp_path / "prompts.yaml"
    if kind == "missing":
        return path, "does not exist"
    if kind == "a folder":
        path.mkdir()
        return path, "not a file"
    if kind == "too deep":
        path.write_text("prompts: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
        return path, "; fix it or move it aside"  # too deep for libyaml or for Python
    if kind == "too large":
        item = "  - id: p{n}\n    kind: reflection\n    pillar: yielding\n    text: {t}\n"
        body = "".join(item.format(n=n, t="x" * 200) for n in range(8000))
        path.write_text("prompts:\n" + body, encoding="utf-8")
        assert path.stat().st_size > 2**20
        return path, "over 1 MiB"
    path.write_text(COLON, encoding="utf-8")
    return path, "at line 5"


KINDS = ["missing", "a folder", "too deep", "too large", "a colon"]


def _warned_once(stderr: str, path: Path, what: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("ally: ") and str(path) in lines[0] and what in lines[0], stderr


def _recorded_despite(run: Run, path: Path, what: str) -> None:
    """`reflect --answer` records the answer against a built-in prompt, with one warning."""
    done = run("reflect", "--answer", "Their plan, their timing.")
    assert done.stdout.startswith("Reflection recorded for today")
    _warned_once(done.stderr, path, what)


@pytest.fixture(params=KINDS)
def named(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, str]:
    """A broken prompts file named by ALLY_PROMPTS, and what its warning must hold."""
    path, what = _broken(tmp_path, request.param)
    monkeypatch.setenv("ALLY_PROMPTS", str(path))
    return path, what


def test_a_broken_prompts_file_named_by_ally_prompts_is_left_aside(
    run: Run, named: tuple[Path, str]
) -> None:
    path, what = named
    _recorded_despite(run, path, what)
    [answer] = json.loads(run("list", "--json").stdout)
    assert answer["answer"] == "Their plan, their timing."
    assert answer["prompt_id"].startswith("reflect-")  # a built-in prompt served
    report = run("report")
    assert "Learning prompts" in report.stdout
    _warned_once(report.stderr, path, what)


GOOD_PROMPT = (
    "  - id: mine-01\n    kind: reflection\n    pillar: listening\n"
    "    text: Who did you make room for?\n"
)
NOT_VALID = [
    ("prompts:\n  - id: [unclosed\n", "is not valid YAML at line"),
    ("prompts:\n\t- id: x\n", "is not valid YAML"),
    (b"prompts: []\n# caf\xe9\n", "cannot be read: it is not UTF-8 text"),
    ("prompts:\n" + GOOD_PROMPT + "  - id: mine-02\n    kind: reflection\n    pillar: action\n",
     "item 2 needs a non-empty text 'text'"),
    ("prompts:\n  - id: mine-03\n    kind: learning\n    pillar: shouting\n    text: Read.\n",
     "pillar must be one of"),
    ("prompts:\n  - id: mine-04\n    kind: learning\n    pillar: action\n"
     "    action_type: Napping!\n    text: Rest.\n", "action_type must be one of"),
    ("prompts:\n" + GOOD_PROMPT + GOOD_PROMPT, "the id 'mine-01' is used twice"),
    ("prompts:\n  - id: mine-05\n    kind: quiz\n    pillar: action\n    text: Hm.\n",
     "kind must be one of"),
    ("prompts:\n  - id: mine-06\n    kind: reflection\n    pillar: action\n    text: Hm.\n"
     "    colour: red\n", "unknown fields: colour"),
    ("prompts: just words\n", "must hold a list"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "what"), NOT_VALID, ids=[w for _, w in NOT_VALID])
def test_a_prompts_file_that_is_not_valid_is_named_and_left_aside(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str | bytes, what: str
) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    monkeypatch.setenv("ALLY_PROMPTS", str(path))
    _recorded_despite(run, path, what)
    _warned_once(run("report", "--json").stderr, path, what)


@pytest.mark.parametrize("kind", ["a folder", "a colon"])
def test_a_broken_prompts_file_in_the_config_folder_is_left_aside(
    run: Run, tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "home" / "config" / "ally"
    folder.mkdir(parents=True)
    path, what = _broken(folder, kind)
    _recorded_despite(run, path, what)


def test_log_never_reads_a_prompts_file(run: Run, named: tuple[Path, str]) -> None:
    done = run("log", "protest", "--note", "Joined the march")
    assert done.stdout.startswith("Logged protest") and done.stderr == ""


def test_a_good_prompts_file_of_ones_own_still_serves(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(COLON.replace("Whose plan: yours or theirs?", "Whose plan?"), "utf-8")
    monkeypatch.setenv("ALLY_PROMPTS", str(path))
    done = run("reflect", "--prompt", "mine-01", "--answer", "Theirs.")
    assert "(prompt mine-01)" in done.stdout and done.stderr == ""
