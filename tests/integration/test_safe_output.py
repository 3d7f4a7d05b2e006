"""Output that cannot harm, and encodings that cannot stop ally, through real processes.

Hostile notes (escape sequences, OSC 52 clipboard writes, bidi overrides, NUL, Markdown,
spreadsheet formulas) are imported from jsonl, then every output is checked byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from pathlib import Path

import pytest

from allycli.core.records import Record
from allycli.store.database import Store

from .helpers import ally, cli_env, ok, one_line_error

HOSTILE = {
    "esc": "title \x1b]0;owned\x07 and \x1b[2J clear",
    "clip": "\x1b]52;c;ZXZpbA==\x07 clipboard",
    "bidi": "access \u202eevil\u202c level",
    "nul": "before\x00after \x7f del \x9b2J c1",
    "heading": "# not a heading",
    "quote": "> not a quote",
    "list": "- not a list\n* nor this\n+ nor this\n1. nor a numbered one",
    "code": "    not code\n```\nnor a fence\n```",
    "link": "[click](http://evil.example) <http://evil.example> ![img](x.png) <b>bold</b>",
    "setext": "a line\n===",
    "formula": '=HYPERLINK("http://evil.example","x")',
    "plus": "+1+2",
    "minus": "-2+3",
    "at": "@SUM(1)",
    "tab": "\t=1",
    "plain": "Café, naïve, 日本, 👩🏽‍🤝‍👩🏿",
}
# Bytes a terminal acts on: C0 controls but tab and newline, DEL, C1, bidi overrides.
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


def line(n: int, note: str) -> str:
    return json.dumps(
        {
            "id": str(uuid.UUID(int=n + 1)),
            "kind": "practice",
            "date": "2026-11-20",
            "created_at": f"2026-11-20T09:00:{n:02d}+00:00",
            "pillar": "action",
            "action_type": "protest",
            "note": note,
            "minutes": None,
        }
    )


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, str]:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    source = tmp_path / "hostile.jsonl"
    reflection = {
        "id": str(uuid.UUID(int=999)), "kind": "reflection", "date": "2026-11-20",
        "created_at": "2026-11-20T10:00:00+00:00", "prompt_id": "listening-01",
        "prompt": "Whom did you \x1b[1mlisten\x1b[0m to?", "pillar": "listening",
        "answer": "Amal \u202ekiwi\u202c, at the café\n# not a heading",
    }  # fmt: skip
    # import refuses a NUL in any text: the note holding one is stored as an older ally (or
    # another program) could have left it, straight into the database file
    nul = {n for n, t in enumerate(HOSTILE.values()) if "\x00" in t}
    source.write_text(
        "".join(line(n, t) + "\n" for n, t in enumerate(HOSTILE.values()) if n not in nul)
        + json.dumps(reflection)
        + "\n"
    )
    ok(ally(env, "import", str(source)))
    Store(Path(env["ALLY_DB"])).insert(
        [Record(**record(n, t)).row() for n, t in enumerate(HOSTILE.values()) if n in nul]
    )
    return env


def record(n: int, note: str) -> dict[str, object]:
    """The fields of `line(n, note)`'s entry, as a Record takes them."""
    fields = json.loads(line(n, note))
    fields["day"] = fields.pop("date")
    return fields


def test_md_export_escapes_markdown_and_shows_control_characters(hostile: dict[str, str]) -> None:
    out = ok(ally(hostile, "export", "--format", "md")).stdout
    assert ACTIVE.findall(out) == []
    body = out.splitlines()
    # the only headings are ally's own: the title and one day
    assert [ln for ln in body if ln.lstrip().startswith("#")] == [
        "# ally journal",
        "## Friday 20 November 2026",
    ]
    # every note line is inside its list item, and none starts a quote, list, fence or code
    items = [ln for ln in body if ln.startswith("- **protest** (action): ")]
    assert len(items) == len(HOSTILE)
    continued = [ln[2:] for ln in body if ln.startswith("  ") and not ln.startswith("  > ")]
    assert [ln for ln in body if ln.startswith("  > ")] == [
        "  > Amal \\u202ekiwi\\u202c, at the café",
        "  > \\# not a heading",
    ]
    assert "- *Reflection on listening*: Whom did you \\x1b\\[1mlisten\\x1b\\[0m to?" in body
    for text in continued:
        assert not re.match(r"[>\-*+`=]|\d+[.)]| {2}|\t", text), text
    for piece in (
        r"title \x1b\]0;owned\x07 and \x1b\[2J clear",
        r"\x1b\]52;c;ZXZpbA==\x07 clipboard",
        r"access \u202eevil\u202c level",
        r"before\x00after \x7f del \x9b2J c1",
        r"\# not a heading",
        r"\> not a quote",
        r"\- not a list",
        r"\* nor this",
        r"1\. nor a numbered one",
        "\u00a0\u00a0\u00a0\u00a0not code",
        r"\`\`\`",
        r"\[click\](http://evil.example) \<http://evil.example\> \!\[img\](x.png) \<b\>bold\</b\>",
        r"\===",
        "Café, naïve, 日本, 👩🏽‍🤝‍👩🏿",
    ):
        assert piece in out, piece


def test_csv_export_neutralizes_formulas_and_shows_control_characters(
    hostile: dict[str, str],
) -> None:
    out = ok(ally(hostile, "export", "--format", "csv")).stdout
    assert ACTIVE.findall(out) == []
    rows = list(csv.DictReader(io.StringIO(out)))
    notes = [r["note"] for r in rows]
    expected = {
        "formula": '\'=HYPERLINK("http://evil.example","x")',
        "plus": "'+1+2",
        "minus": "'-2+3",
        "at": "'@SUM(1)",
        "tab": "'\t=1",
        "heading": "# not a heading",
        "bidi": "access \\u202eevil\\u202c level",
        "nul": "before\\x00after \\x7f del \\x9b2J c1",
        "plain": HOSTILE["plain"],
    }
    for key, shown in expected.items():
        assert notes[list(HOSTILE).index(key)] == shown, key
    for cell in (c for r in rows for c in r.values()):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("args", [("export",), ("list", "--json")], ids=["jsonl", "list-json"])
def test_json_escapes_control_and_bidi_characters_and_stays_lossless(
    hostile: dict[str, str], args: tuple[str, ...]
) -> None:
    out = ok(ally(hostile, *args)).stdout
    assert ACTIVE.findall(out) == []
    for escaped in ("\\u001b]52;c;", "\\u202eevil\\u202c", "\\u0000after", "\\u007f", "\\u009b"):
        assert escaped in out, escaped
    objects = [json.loads(x) for x in out.splitlines()] if args == ("export",) else json.loads(out)
    notes = [o["note"] for o in objects if o["kind"] == "practice"]
    assert sorted(notes) == sorted(HOSTILE.values())
    [answer] = [o["answer"] for o in objects if o["kind"] == "reflection"]
    assert answer == "Amal \u202ekiwi\u202c, at the café\n# not a heading"


@pytest.mark.parametrize("view", [("list",), ("report",), ("reflect", "--list")])
def test_terminal_views_pass_on_no_bidi_override(hostile: dict[str, str], view: tuple) -> None:
    out = ok(ally(hostile, *view)).stdout
    assert ACTIVE.findall(out) == []


def test_an_import_error_shows_only_a_short_sanitized_excerpt(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    obj = json.loads(line(1, "x"))
    obj["\x1b]0;owned\x07" + "k" * 300] = "v"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")
    said = one_line_error(ally(env, "import", str(bad)))
    assert said == (
        f"ally: {bad}, line 1: unknown field \\x1b]0;owned\\x07{'k' * 23}…; nothing was imported."
    )
    assert len(said) < len(str(bad)) + 100, said


# -- encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "md"])
def test_exports_to_stdout_are_utf8_whatever_the_locale(
    hostile: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    expected = ok(ally(hostile, "export", "--format", fmt)).stdout
    for extra in ({"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONUTF8": "0"}):
        result = ok(ally({**hostile, **extra}, "export", "--format", fmt))
        assert result.stdout == expected
        assert "日本" in result.stdout


@pytest.mark.parametrize(
    "view", [("list",), ("report",), ("reflect", "--list"), ("list", "--json")]
)
def test_other_commands_replace_what_the_terminal_cannot_show(
    hostile: dict[str, str], view: tuple
) -> None:
    env = {**hostile, "LC_ALL": "C", "PYTHONUTF8": "0"}
    result = ok(ally(env, *view))
    assert result.stderr == ""
    if view == ("list", "--json"):  # JSON is data: UTF-8 always
        assert "日本" in result.stdout
    elif view == ("list",):
        assert "Caf?, na?ve" in result.stdout
    elif view == ("reflect", "--list"):
        assert "at the caf?" in result.stdout


def test_an_error_message_shows_a_hostile_path_visibly_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "a\x1b]0;owned\x07\nb"
    folder.mkdir()
    said = one_line_error(ally(cli_env(tmp_path, folder), "list"))
    shown = str(tmp_path) + "/a\\x1b]0;owned\\x07\\nb"
    assert said == f"ally: {shown} is a folder; ALLY_DB must name a file."
