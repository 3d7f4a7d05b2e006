"""Input rules through the real executable: NUL is refused, CRLF becomes LF.

Stdin (`--note -`, `--answer -`, a piped reflect) and flags (`--note`, `--answer`) alike.
NUL cannot be passed in argv, so it arrives by stdin; the refusal is one sentence, exit 2,
never repeats the text, and leaves every stored entry as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from allycli.core.errors import UsageError
from allycli.core.fields import storable
from tests.integration.helpers import ally, cli_env, export_objects, ok, one_line_error


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path, tmp_path / "ally.db")


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (("log", "protest", "--note", "-"), "note"),
        (("reflect", "--answer", "-"), "answer"),
        (("reflect",), "answer"),  # piped, no flag
    ],
    ids=["note-dash", "answer-dash", "reflect-piped"],
)
@pytest.mark.parametrize(
    "data", [b"secret-7731 before\x00after", b"\x00", b"trailing nul-7731\x00\n"]
)
def test_nul_on_stdin_is_refused_and_nothing_is_saved(
    env: dict[str, str], args: tuple[str, ...], what: str, data: bytes
) -> None:
    ok(ally(env, "log", "money", "--note", "kept"))
    line = one_line_error(ally(env, *args, input=data), 2)
    assert line == (
        f"ally: The {what} contains a NUL character, which ally does not store; nothing was saved."
    )
    assert "7731" not in line
    assert [(o["kind"], o.get("note")) for o in export_objects(env)] == [("practice", "kept")]


@pytest.mark.parametrize(
    ("args", "data", "field", "expected"),
    [
        (("log", "protest", "--note", "-"), b"one\r\ntwo\r\n\r\nfour\r\n", "note",
         "one\ntwo\n\nfour"),
        (("reflect", "--answer", "-"), b"a\r\nb\r\n", "answer", "a\nb"),
        (("reflect",), b"piped\r\nanswer\r\n", "answer", "piped\nanswer"),
        (("log", "protest", "--note", "first\r\nsecond"), b"", "note", "first\nsecond"),
        (("reflect", "--answer", "x\r\ny\r\nz"), b"", "answer", "x\ny\nz"),
        (("log", "protest", "--note", "a lone \r stays"), b"", "note", "a lone \r stays"),
    ],
    ids=["note-dash", "answer-dash", "reflect-piped", "note-flag", "answer-flag", "lone-cr"],
)  # fmt: skip
def test_crlf_becomes_lf(
    env: dict[str, str], args: tuple[str, ...], data: bytes, field: str, expected: str
) -> None:
    ok(ally(env, *args, input=data))
    [entry] = export_objects(env)
    assert entry[field] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("a\r\nb", "a\nb"),
        ("a\r\r\nb", "a\r\nb"),  # one CRLF made LF; the lone CR before it stays
        ("\r\n", "\n"),
        ("a\rb", "a\rb"),
        ("tab\tand\u2028separator", "tab\tand\u2028separator"),
    ],
)
def test_storable_makes_crlf_lf_and_nothing_else(text: str, expected: str) -> None:
    assert storable(text, "note") == expected


@pytest.mark.parametrize("text", ["\x00", "a\x00", "\x00b", "lone \ud800"])
def test_storable_refuses_nul_and_lone_surrogates(text: str) -> None:
    with pytest.raises(UsageError) as refused:
        storable(text, "answer")
    assert refused.value.message.startswith("The answer contains ")
    assert refused.value.message.endswith("; nothing was saved.")
