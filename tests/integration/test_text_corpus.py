"""Text in, text out: a corpus of notes and answers round-trips byte for byte.

Every text goes in through `ally log --note` (and `--note -` for the multi-line ones),
`ally reflect --answer`, and comes out unchanged through `ally list --json`, `ally export`,
and an `ally import` into a fresh database exported again. Rendering (`ally list`,
`ally report`, `ally reflect --list`, `ally reflect --prompts`) runs in real processes, with
colour forced and with NO_COLOR, and never writes a control character that came from user
text: every ESC in the output starts one of the SGR sequences Rich makes for bold, dim and
italic. Text is stored as given, except that CRLF line ends become LF; a NUL character (see
tests/integration/test_input_rules.py) or a lone surrogate cannot be stored and is refused
with exit 2.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from allycli.cli.app import app
from allycli.core.sanitize import json_text
from allycli.shell.session import isolated_env
from allycli.store.promptfiles import builtin_path, load_file
from tests.integration.helpers import first_to_build, run_folder

MB = 1_000_000
BIG = ("practice 👩🏽‍🤝‍👩🏿 صبر\tשבת cafe\u0301 [b]x[/b] " * (MB // 30 + 1))[: MB // 2 + 7]
BIG = BIG + "\n" + BIG  # two lines, more than 1 MB of UTF-8 in all

CORPUS: dict[str, str] = {
    "zwj-emoji": "Marched with friends 👩🏽‍🤝‍👩🏿 under the 🏳️‍⚧️ flag 👨‍👩‍👧‍👦",
    "combining": "cafe\u0301 with the re\u0301sume\u0301 group, n\u0303 and a\u030a",
    "rtl": "شكراً على الاستماع — תודה שהקשבת — mixed עברית and العربية",
    "bidi-controls": "abc\u202edcba\u202c then \u2067isolate\u2069 and \u200fRLM\u200e end",
    "crlf": "first line\r\nsecond line\r\nthird line",
    "multi-line": "line one\nline two\n\nline four after a blank",
    "unicode-line-separators": "one\u2028two\u2029three",
    "tabs": "col one\tcol two\t\tafter two tabs",
    "padded": "   spaces before and after   ",
    "markup": "[bold]not bold[/bold] [/i] [link=x]not a link[/link] [red]x[/] \\[escaped]",
    "at-hash-colon": "@organizer #housing :tada: :smile: 10:30 key: value http://x.org/#a",
    "ansi-sgr": "\x1b[31mred\x1b[0m \x1b[38;5;196mhot\x1b[0m \x1b[2J\x1b[H cleared?",
    "osc": "\x1b]0;stolen title\x07 \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ end",
    "c1-controls": "\x9b31m8-bit CSI \x9d0;t\x9c NEL\x85 and \x90DCS\x9c",
    "bare-controls": "\x1bc reset \x07 bell \x7f del \x08 backspace \x0b vt \x0c ff \x1c fs",
    "one-megabyte": BIG,
}
# Texts with a line break also go in through `--note -`, with a trailing newline added.
MULTI_LINE = {k for k, v in CORPUS.items() if "\n" in v or "\r" in v}
# What the OS will not put in argv (over 128 KiB): these go in by stdin.
ARGV_SAFE = {k for k, v in CORPUS.items() if "\x00" not in v and len(v.encode()) < 100_000}
USER_SGR = ("\x1b[31m", "\x1b[38;5;196m", "\x1b[2J", "\x1b[H")  # never made by Rich here

EVIL_PROMPT = (
    "Whose \x1b[31mred\x1b[0m voice \x1b]0;t\x07 was \x9b2J missing\x00? [bold]הקשבה[/bold]"
)
PROMPT_ID = "reflect-action-05"  # a built-in id: the prompts file replaces its text


def test_the_corpus_is_what_it_says() -> None:
    assert len(BIG.encode("utf-8")) > MB
    assert unicodedata.normalize("NFC", CORPUS["combining"]) != CORPUS["combining"]
    assert {"crlf", "multi-line", "one-megabyte"} == MULTI_LINE
    assert set(CORPUS) - ARGV_SAFE == {"one-megabyte"}


def stored(text: str) -> str:
    """What ally keeps of a text: the text, with CRLF line ends made LF."""
    return text.replace("\r\n", "\n")


# -- in process: every way in, every way out ---------------------------------------------


def invoke(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None):
    result = CliRunner().invoke(app, list(args), input=input, env=env, prog_name="ally")
    assert result.exit_code == 0, (args[:2], result.exit_code, result.stderr[:300])
    assert result.stderr == ""
    return result


def exported(env: dict[str, str] | None = None) -> str:
    return invoke("export", env=env).stdout


def objects(jsonl: str) -> list[dict[str, Any]]:
    # jsonl lines end with "\n" only: str.splitlines would also split at U+0085 and U+2028
    return [json.loads(line) for line in jsonl.removesuffix("\n").split("\n") if jsonl]


@pytest.mark.parametrize("name", list(CORPUS))
def test_text_round_trips_in_process(name: str, isolated: Path) -> None:
    text = CORPUS[name]
    invoke("log", "protest", "--note", text)
    expected = [stored(text)]
    if name in MULTI_LINE:
        invoke("log", "listening", "--note", "-", input=text + "\n")
        expected.append(stored(text))
    invoke("reflect", "--prompt", PROMPT_ID, "--answer", text)
    if name in MULTI_LINE:
        invoke("reflect", "--prompt", PROMPT_ID, "--answer", "-", input=text + "\n")
    answers = [stored(text)] * (2 if name in MULTI_LINE else 1)

    listed = json.loads(invoke("list", "--json").stdout)
    first = exported()
    assert objects(first) == listed[::-1]
    assert [o["note"] for o in listed if o["kind"] == "practice"] == expected
    assert [o["answer"] for o in listed if o["kind"] == "reflection"] == answers
    assert first.encode("utf-8").count(json_text(stored(text)).encode()) == len(expected + answers)

    fresh = {"ALLY_DB": str(isolated / "fresh.db")}
    assert invoke("import", str(_write(isolated / "out.jsonl", first)), env=fresh).stdout == (
        f"Imported {len(listed)} entries from {isolated / 'out.jsonl'}; "
        "0 updated, 0 already present, 0 kept in a conflict.\n"
    )
    assert exported(fresh) == first


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_stdin_drops_one_trailing_newline_and_no_more(isolated: Path) -> None:
    invoke("log", "protest", "--note", "-", input="two newlines\n\n")
    invoke("log", "protest", "--note", "-", input="windows line end\r\n")
    invoke("log", "protest", "--note", "-", input="no newline")
    invoke("reflect", "--prompt", PROMPT_ID, "--answer", "-", input="answer\n")
    found = Counter((o.get("note"), o.get("answer")) for o in objects(exported()))
    assert found == Counter(
        [("two newlines\n", None), ("windows line end", None), ("no newline", None),
         (None, "answer")]
    )  # fmt: skip


@pytest.mark.parametrize("command", [("log", "protest", "--note"), ("reflect", "--answer")])
@pytest.mark.parametrize("bad", ["\ud800", "lone \udfff low", "pair split \ud83d!"])
def test_a_lone_surrogate_is_refused_and_nothing_is_stored(
    command: tuple[str, ...], bad: str, isolated: Path
) -> None:
    invoke("log", "money", "--note", "kept")
    before = exported()
    result = CliRunner().invoke(app, [*command, bad], prog_name="ally")
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    what = "note" if command[0] == "log" else "answer"
    assert result.stderr == (
        f"ally: The {what} contains characters that are not valid text (such as a lone "
        "surrogate); nothing was saved.\n"
    )
    assert result.stdout == ""
    assert exported() == before


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00")))
def test_any_text_logged_is_exported_unchanged(text: str, isolated: Path) -> None:
    assume(text != "-")  # `--note -` reads the note from stdin
    db = isolated / "property.db"
    db.unlink(missing_ok=True)
    env = {"ALLY_DB": str(db)}
    invoke("log", "protest", f"--note={text}", env=env)
    [entry] = objects(exported(env))
    # a note that is only whitespace is no note at all; anything else is kept as it was,
    # CRLF line ends made LF
    assert entry["note"] == (stored(text) if text.strip() else None)


# -- real processes ------------------------------------------------------------------------

SGR = re.compile("\x1b\\[[0-9;]*m")
RICH_SGR = re.compile("\x1b\\[(?:[0-3](?:;[0-3])*)?m")  # bold, dim, italic and reset: Rich's
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and newline


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar holding `text` exactly, controls as escapes."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif CONTROL.match(ch) or ch in "\t\n":
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def evil_prompts(path: Path) -> Path:
    """Every built-in learning prompt, and one reflection prompt, with hostile text."""
    chosen = [p for p in load_file(builtin_path()) if p.kind == "learning" or p.id == PROMPT_ID]
    lines = ["prompts:"]
    for p in chosen:
        lines += [
            f"  - id: {p.id}",
            f"    kind: {p.kind}",
            f"    pillar: {p.pillar}",
            f"    action_type: {p.action_type or 'null'}",
            f"    text: {yaml_quoted(EVIL_PROMPT + ' ' + p.id)}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def process_env(root: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ALLY_", "XDG_", "LC_", "PYTHON"))
        and k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM", "LANG")
    }
    env.update(isolated_env(root / "home", root / "ally.db"))
    env.update(
        ALLY_PROMPTS=str(root / "prompts.yaml"),
        LC_ALL="C.UTF-8",
        TERM="xterm-256color",
        COLUMNS="80",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def ally(env: dict[str, str], *args: str | bytes, input: str | None = None):
    proc = subprocess.run(
        [sys.executable, "-m", "allycli", *args],
        env=env,
        input=b"" if input is None else input.encode("utf-8"),
        capture_output=True,
        timeout=900,  # a ceiling for a loaded machine: some runs import the whole corpus
        check=False,
    )
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    return proc


def ok(proc: subprocess.CompletedProcess[bytes]) -> str:
    assert proc.returncode == 0, (proc.args[3:5], proc.returncode, proc.stderr[:300])
    assert proc.stderr == b"", proc.stderr[:300]
    return proc.stdout.decode("utf-8")  # strict: the output is always valid UTF-8


def write_corpus(env: dict[str, str]) -> Counter:
    """Every text of the corpus, written by real `ally` processes: the (kind, text) kept."""
    kept: Counter = Counter()
    for name, text in CORPUS.items():
        if name in ARGV_SAFE:
            ok(ally(env, "log", "protest", "--note", text))
            ok(ally(env, "reflect", "--prompt", PROMPT_ID, "--answer", text))
        else:
            ok(ally(env, "log", "protest", "--note", "-", input=text))
            ok(ally(env, "reflect", "--prompt", PROMPT_ID, "--answer", "-", input=text))
        kept[("practice", stored(text))] += 1
        kept[("reflection", stored(text))] += 1
        if name in MULTI_LINE:
            ok(ally(env, "log", "listening", "-n", "-", input=text + "\n"))
            kept[("practice", stored(text))] += 1
    (Path(env["ALLY_DB"]).parent / "kept.json").write_text(json.dumps(list(kept.items())))
    return kept


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Counter]:
    """A database holding every text of the corpus, once per test run: the first
    pytest-xdist worker to need it writes it (about 35 processes), the others read it."""
    root = run_folder(tmp_path_factory, "corpus")
    env = process_env(root, NO_COLOR="1")
    with first_to_build(root) as build:
        if build:
            evil_prompts(root / "prompts.yaml")
            write_corpus(env)
    kept = json.loads((root / "kept.json").read_text())
    return env, Counter({(kind, text): n for (kind, text), n in kept})


@pytest.mark.slow
def test_every_text_round_trips_through_real_processes(
    corpus_db: tuple[dict[str, str], Counter], tmp_path: Path
) -> None:
    env, kept = corpus_db
    first = ok(ally(env, "export"))
    found = Counter(
        (o["kind"], o["note"] if o["kind"] == "practice" else o["answer"]) for o in objects(first)
    )
    assert found == kept
    listed = json.loads(ok(ally(env, "list", "--json")))
    assert listed == objects(first)[::-1]
    prompts = {o["prompt"] for o in listed if o["kind"] == "reflection"}
    assert prompts == {EVIL_PROMPT + " " + PROMPT_ID}

    (tmp_path / "all.jsonl").write_bytes(first.encode("utf-8"))
    fresh = {**env, "ALLY_DB": str(tmp_path / "fresh.db")}
    ok(ally(fresh, "import", str(tmp_path / "all.jsonl")))
    assert ok(ally(fresh, "export")) == first
    assert ok(ally(fresh, "import", str(tmp_path / "all.jsonl"))).startswith("Imported 0 entries")
    assert ok(ally(fresh, "export")) == first


def test_invalid_utf8_in_argv_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    (tmp_path / "prompts.yaml").write_text("prompts: []\n", encoding="utf-8")
    env = process_env(tmp_path, NO_COLOR="1")
    ok(ally(env, "log", "money", "--note", "kept"))
    before = ok(ally(env, "export"))
    for args in (
        ("log", "protest", "--note", b"secret-marker-7781 \xff\xfe bytes"),
        ("reflect", "--answer", b"\xed\xa0\x80 secret-marker-7781"),  # an encoded surrogate
    ):
        proc = ally(env, *args)
        assert proc.returncode == 2, (proc.returncode, proc.stderr)
        err = proc.stderr.decode("utf-8")
        assert err.startswith("ally: The ") and err.endswith("; nothing was saved.\n"), err
        assert err.count("\n") == 1 and "secret-marker-7781" not in err
        assert proc.stdout == b""
    assert ok(ally(env, "export")) == before


MODES = {
    "colour": {"FORCE_COLOR": "1"},
    "no-colour": {"NO_COLOR": "1"},
}
VIEWS = {
    "list": ("list",),
    "report": ("report",),
    "reflect-list": ("reflect", "--list", "--limit", "100"),
    "reflect-prompts": ("reflect", "--prompts"),
}


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_rendering_never_passes_on_control_characters(
    corpus_db: tuple[dict[str, str], Counter], view: str, mode: str
) -> None:
    base, _ = corpus_db
    env = {k: v for k, v in base.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    out = ok(ally({**env, **MODES[mode]}, *VIEWS[view]))

    sgr = SGR.findall(out)
    if mode == "colour":
        assert sgr, "colour was forced, so Rich should have styled something"
    else:
        assert sgr == []
    assert [s for s in sgr if not RICH_SGR.fullmatch(s)] == [], "an SGR from user text"
    rest = SGR.sub("", out)
    assert "\x1b" not in rest
    assert CONTROL.findall(rest) == []  # no BEL, NUL, CR, DEL, C1 (8-bit CSI/OSC/ST)
    for seq in USER_SGR:
        assert seq not in out
    # the hostile text was shown, made harmless, not left out
    # (in pieces without spaces: the tables wrap long text at word boundaries)
    if view in ("list", "reflect-list"):
        for piece in ("\ufffd[31mred\ufffd[0m", "\ufffd]0;stolen"):
            assert piece in rest, piece
    if view == "reflect-list":
        for piece in (
            "👩🏽‍🤝‍👩🏿",
            "\ufffd]8;;http://evil.example\ufffd\\link",
            "re\u0301sume\u0301",
        ):
            assert piece in rest, piece
    if view in ("report", "reflect-prompts", "reflect-list"):
        for piece in ("\ufffd[31mred\ufffd[0m", "\ufffd]0;t\ufffd", "\ufffd2J", "missing\ufffd?"):
            assert piece in rest, piece
