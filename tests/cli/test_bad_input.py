"""Bad input, catalogued: every command refuses it with one sentence and changes nothing.

Each case runs against a database seeded with a few entries (by importing a fixed jsonl
file, so the ids are known and two of them share a prefix). For every case: the exact exit
code (2 for usage errors, 1 for any other refusal), exactly one line on stderr that starts
with "ally: " and ends with ".", a fragment saying what was wrong, no traceback, nothing on
stdout (doctor prints its findings there), no note or answer text echoed, and an export
taken afterwards identical to the one taken before.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import time_machine
from typer.testing import CliRunner, Result

from allycli.cli.app import app

WED = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)  # a Wednesday; "today" below
MARKER = "secret-marker-7781"
INTERNAL = "Something went wrong inside ally"  # the last-resort message: a bug, not an answer

ID_A = "aaaa0000-0000-4000-8000-000000000001"
ID_B = "aaaa1111-0000-4000-8000-000000000002"  # shares the prefix "aaaa" with ID_A
ID_C = "cccc2222-0000-4000-8000-000000000003"
NEW_ID = "dddd3333-0000-4000-8000-000000000004"  # never in the seed: a valid line to import


def practice(**over: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": NEW_ID,
        "kind": "practice",
        "date": "2026-11-20",
        "created_at": "2026-11-20T09:00:00+00:00",
        "pillar": "action",
        "action_type": "protest",
        "note": f"{MARKER} imported",
        "minutes": 30,
    }
    obj.update(over)
    return obj


def reflection(**over: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": NEW_ID,
        "kind": "reflection",
        "date": "2026-11-20",
        "created_at": "2026-11-20T21:00:00+01:00",
        "prompt_id": "reflect-listening-01",
        "prompt": "Whose voice did you hear today?",
        "pillar": "listening",
        "answer": f"{MARKER} answered",
    }
    obj.update(over)
    return obj


def without(obj: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in keys}


def line(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")


SEED = b"".join(
    [
        line(practice(id=ID_A, date="2026-11-23", note=f"{MARKER} seed one", minutes=None)),
        line(practice(id=ID_B, date="2026-11-24", pillar="listening", action_type=None)),
        line(reflection(id=ID_C, date="2026-11-24")),
    ]
)
GOOD = line(practice(note="a good first line"))  # a valid new entry before the bad line

GOOD_PROMPT = (
    "  - id: mine-01\n    kind: reflection\n    pillar: listening\n"
    "    text: Who did you make room for today?\n"
)


# -- the table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    code: int
    fragment: str  # part of the one sentence: says what was wrong
    env: dict[str, str] = field(default_factory=dict)  # "{tmp}" is the test's folder
    files: dict[str, bytes | None] = field(default_factory=dict)  # None: a folder
    input: bytes | None = None
    keep: tuple[str, ...] = ()  # files whose bytes (or folders whose listing) must not change
    draft: bool = False  # a refused log, reflect or edit keeps its words as a draft, says where

    def fill(self, tmp: Path, text: str) -> str:
        return text.replace("{tmp}", str(tmp))


def c(
    case_id: str, args: str | tuple[str, ...], code: int, fragment: str, **kw: Any
) -> pytest.ParameterSet:
    argv = tuple(args.split()) if isinstance(args, str) else args
    return pytest.param(Case(case_id, argv, code, fragment, **kw), id=case_id)


def imported(name: str, data: bytes, fragment: str, **kw: Any) -> pytest.ParameterSet:
    """`ally import` of a bad file: exit 1, the line named, nothing imported."""
    return c(
        f"import-{name}", ("import", "{tmp}/in.jsonl"), 1, fragment,
        files={"in.jsonl": data}, **kw,
    )  # fmt: skip


def prompts(
    name: str, yaml: str | bytes, fragment: str, args: str = "reflect --answer x"
) -> pytest.ParameterSet:
    """A bad prompts file named by ALLY_PROMPTS: exit 1, the file and the problem named; an
    answer given with the command is kept as a draft without its prompt."""
    data = yaml if isinstance(yaml, bytes) else yaml.encode("utf-8")
    return c(
        f"prompts-{name}", tuple(args.split()), 1, fragment,
        env={"ALLY_PROMPTS": "{tmp}/prompts.yaml"}, files={"prompts.yaml": data},
        draft=args.startswith("reflect --answer"),
    )  # fmt: skip


NOT_SQLITE = f"{MARKER}: a shopping list, not a database\n".encode()
FOREIGN = b"<a SQLite file made by another program>"  # made by foreign_sqlite()
DB_ELSEWHERE = {"ALLY_DB": "{tmp}/other.db"}

CASES = [
    # -- log: activity, pillar, dates, minutes, notes
    c("log-unknown-activity", "log sleeping", 2, "No activity 'sleeping'"),
    c("log-ambiguous-prefix", "log vo", 2, "could be volunteering or voting"),
    c("log-empty-activity", ("log", ""), 2, "No activity ''"),
    c("log-missing-activity", "log", 2, "Missing argument"),
    c("log-unknown-flag", "log protest --bogus", 2, "--bogus"),
    c("log-note-without-value", "log protest --note", 2, "--note"),
    c("log-unknown-pillar", "log protest -p dancing", 2, "No pillar 'dancing'"),
    c("log-ambiguous-pillar", "log protest --pillar l", 2, "could be listening or learning"),
    c("log-future-date", "log protest -d 2030-01-01", 2, "2030-01-01 is in the future"),
    c("log-tomorrow-iso", "log protest --date 2026-11-26", 2, "2026-11-26 is in the future"),
    c("log-date-word", "log protest -d someday", 2, "'someday' is not a date"),
    c("log-date-tomorrow", "log protest -d tomorrow", 2,
      "--date tomorrow (Thu 26 Nov) is in the future"),
    c("log-date-feb-30", "log protest -d 2026-02-30", 2, "'2026-02-30' is not a date"),
    c("log-date-month-13", "log protest -d 2026-13-01", 2, "'2026-13-01' is not a date"),
    c("log-date-short-iso", "log protest -d 2026-1-5", 2, "'2026-1-5' is not a date"),
    c("log-date-slashes", "log protest -d 25/11/2026", 2, "'25/11/2026' is not a date"),
    c("log-ago-negative", ("log", "protest", "-d", "-1 days ago"), 2, "'-1 days ago' is not"),
    c("log-ago-fraction", ("log", "protest", "-d", "1.5 days ago"), 2, "'1.5 days ago' is not"),
    c("log-ago-months", ("log", "protest", "-d", "3 months ago"), 2, "'3 months ago' is not"),
    c("log-ago-no-number", ("log", "protest", "-d", "days ago"), 2, "'days ago' is not"),
    c("log-ago-word-number", ("log", "protest", "-d", "two days ago"), 2, "'two days ago' is"),
    c("log-ago-no-ago", ("log", "protest", "-d", "3 days"), 2, "'3 days' is not"),
    c("log-ago-in-future", ("log", "protest", "-d", "in 3 days"), 2, "'in 3 days' is not"),
    c("log-ago-six-digits", ("log", "protest", "-d", "123456 days ago"), 2, "is not a date"),
    # -- days before 1900: each door names its range
    c("log-date-1899", "log protest -d 1899-12-31", 2,
      "--date 1899-12-31 is before 1900; ally takes days from 1900 on (1900-01-01 to today)."),
    c("log-date-year-1", "log listening --date 0001-01-01", 2, "0001-01-01 is before 1900"),
    c("log-date-typo-0226", "log protest -d 0226-12-05", 2, "0226-12-05 is before 1900"),
    c("log-ago-before-1900", ("log", "protest", "-d", "50000 days ago"), 2,
      "--date 50000 days ago (1890-01-02) is before 1900"),
    c("edit-date-1899", "edit aaaa0000 --date 1899-12-31", 2,
      "--date 1899-12-31 is before 1900; ally takes days from 1900 on"),
    c("reflect-date-1899", ("reflect", "--answer", MARKER, "-d", "1899-12-31"), 2,
      "--date 1899-12-31 is before 1900"),
    c("report-since-year-1", "report --since 0001-01-01", 2,
      "--since 0001-01-01 is before 1900; ally takes days from 1900 on (1900-01-01 to today)."),
    c("report-until-1899", "report --since 1900-01-01 --until 1899-12-31", 2,
      "--until 1899-12-31 is before 1900"),
    c("list-since-1899", "list --since 1899-12-31", 2, "--since 1899-12-31 is before 1900"),
    c("search-until-1899", "search march --until 1899-12-31", 2,
      "--until 1899-12-31 is before 1900"),
    c("export-since-1899", "export --since 1899-12-31", 2, "--since 1899-12-31 is before 1900"),
    c("calendar-year-1753", "calendar 1753", 2,
      "1753 is not a year ally can show; give a year from 1900 to 2026."),
    c("calendar-next-year", "calendar 2027", 2, "give a year from 1900 to 2026"),
    c("calendar-since-1899", "calendar --since 1899-12-31", 2, "--since 1899-12-31 is before"),
    c("pause-since-1899", "pause --since 1899-12-31 --until 1900-01-01", 2,
      "--since 1899-12-31 is before 1900; ally takes days from 1900 on "
      "(1900-01-01 to 366 days ahead)."),
    c("log-minutes-zero", "log protest --minutes 0", 2,
      "--minutes takes a whole number of minutes, 1 or more; 0 is not one."),
    c("log-minutes-negative", "log protest --minutes -5", 2, "1 or more; -5 is not one."),
    c("log-minutes-text", "log protest --minutes abc", 2, "takes a whole number of minutes"),
    c("log-minutes-fraction", "log protest --minutes 1.5", 2, "takes a whole number of minutes"),
    c("log-minutes-over-a-day", "log protest --minutes 1441", 2, "from 1 to 1440"),
    c("log-minutes-huge", "log protest --minutes " + "9" * 30, 2, "from 1 to 1440"),
    c("log-note-lone-surrogate", ("log", "protest", "--note", f"{MARKER} \ud800"), 2,
      "The note contains characters that are not valid text"),
    c("log-stdin-not-utf8", ("log", "protest", "--note", "-"), 2, "not UTF-8",
      input=MARKER.encode() + b" \xff\xfe\n"),
    # -- reflect
    c("reflect-unknown-prompt", ("reflect", "--prompt", "no-such", "--answer", MARKER), 2,
      "No prompt has the id 'no-such'"),
    c("reflect-future-date", ("reflect", "--answer", MARKER, "-d", "2030-01-01"), 2,
      "2030-01-01 is in the future"),
    c("reflect-date-typo", ("reflect", "--answer", MARKER, "-d", "yesterdy"), 2,
      "'yesterdy' is not a date"),
    c("reflect-answer-lone-surrogate", ("reflect", "--answer", f"\ud800{MARKER}"), 2,
      "The answer contains characters that are not valid text"),
    c("reflect-stdin-not-utf8", ("reflect", "--answer", "-"), 2, "not UTF-8",
      input=b"\xc3\x28 " + MARKER.encode()),
    c("reflect-limit-zero", "reflect --list --limit 0", 2,
      "--limit takes a whole number, 1 or more; 0 is not one."),
    # -- prompts files named by ALLY_PROMPTS
    c("prompts-missing-file", ("reflect", "--answer", MARKER), 1, "which is not a file",
      env={"ALLY_PROMPTS": "{tmp}/no-such.yaml"}),
    c("prompts-a-folder", "report", 1, "which is not a file",
      env={"ALLY_PROMPTS": "{tmp}/folder"}, files={"folder": None}),
    prompts("invalid-yaml", "prompts:\n  - id: [unclosed\n", "is not valid YAML at line"),
    prompts("tab-indent", "prompts:\n\t- id: x\n", "is not valid YAML"),
    prompts("not-utf8", b"prompts: []\n# caf\xe9\n", "cannot be read: it is not UTF-8 text"),
    prompts("missing-text", "prompts:\n" + GOOD_PROMPT
            + "  - id: mine-02\n    kind: reflection\n    pillar: action\n",
            "item 2 needs a non-empty text 'text'"),
    prompts("bad-pillar", "prompts:\n  - id: mine-03\n    kind: learning\n    pillar: "
            "shouting\n    text: Read something.\n", "pillar must be one of", args="report"),
    prompts("bad-action-type", "prompts:\n  - id: mine-04\n    kind: learning\n    pillar: "
            "action\n    action_type: Napping!\n    text: Rest.\n", "action_type must be one of",
            args="report --json"),
    prompts("duplicate-id", "prompts:\n" + GOOD_PROMPT + GOOD_PROMPT,
            "the id 'mine-01' is used twice"),
    prompts("unknown-kind", "prompts:\n  - id: mine-05\n    kind: quiz\n    pillar: action\n"
            "    text: Hm.\n", "kind must be one of"),
    prompts("unknown-field", "prompts:\n  - id: mine-06\n    kind: reflection\n    pillar: "
            "action\n    text: Hm.\n    colour: red\n", "unknown fields: colour"),
    prompts("not-a-list", "prompts: just words\n", "must hold a list"),
    prompts("doctor-invalid-yaml", "prompts: [\n", "1 problem found; see the fix above",
            args="doctor"),
    # -- report
    c("report-week-and-month", "report --week --month", 2, "Choose one of"),
    c("report-month-and-year", "report --month --year --json", 2, "Choose one of"),
    c("report-week-and-since", "report --week --since monday", 2, "Choose one of"),
    c("report-until-alone", "report --until today", 2, "--until goes with --since"),
    c("report-since-after-until", "report --since today --until yesterday", 2,
      "--since 2026-11-25 is after --until 2026-11-24"),
    c("report-future-since", "report --since 2030-01-01", 2, "2030-01-01 is in the future"),
    c("report-future-until", "report --since 2026-01-01 --until 2030-01-01", 2,
      "2030-01-01 is in the future"),
    c("report-since-word", ("report", "--since", "last week"), 2, "'last week' is not a date"),
    # -- list
    c("list-unknown-type", "list --type napping", 2, "No action type 'napping'"),
    c("list-ambiguous-type", "list -t v", 2, "could be volunteering or voting"),
    c("list-pillar-is-a-type", "list --pillar protest", 2, "No pillar 'protest'"),
    c("list-since-after-until", ("list", "--since", "today", "--until", "3 days ago"), 2,
      "is after --until"),
    c("list-future-until", "list --until 2027-01-01", 2, "2027-01-01 is in the future"),
    c("list-bad-since", "list --since 2026-00-10", 2, "'2026-00-10' is not a date"),
    c("list-limit-zero", "list --limit 0", 2,
      "--limit takes a whole number, 1 or more; 0 is not one."),
    c("list-limit-text", "list --limit many --json", 2, "--limit takes a whole number"),
    # -- delete
    c("delete-non-hex", "delete zzzz1234", 2, "hex id"),
    c("delete-too-short", "delete aaa", 2, "at least its first 4 characters"),
    c("delete-empty", ("delete", ""), 2, "hex id"),
    c("delete-punctuation", ("delete", "aaaa%"), 2, "hex id"),
    c("delete-ambiguous", "delete aaaa --yes", 2, "More than one entry id starts with aaaa"),
    c("delete-unknown", "delete abcdef12 --yes", 1, "No entry has the id abcdef12"),
    c("delete-missing-id", "delete", 2, "Give an entry's ID, or --last"),
    # -- export
    c("export-unknown-format", "export --format xml", 2, "No export format 'xml'"),
    c("export-empty-format", ("export", "--format", ""), 2, "No export format ''"),
    c("export-to-a-folder", "export --output {tmp}/folder", 2, "is a folder",
      files={"folder": None}, keep=("folder",)),
    c("export-over-the-db", "export --output {tmp}/ally.db", 2, "overwrite the database"),
    c("export-over-the-wal", "export -o {tmp}/ally.db-wal --format md", 2,
      "overwrite the database"),
    c("export-under-a-file", "export --output {tmp}/plain/out.jsonl", 1, "Not a directory",
      files={"plain": b"x"}, keep=("plain",)),
    c("export-missing-folder", "export --output {tmp}/nowhere/out.jsonl", 1,
      "No such file or directory"),
    c("export-over-a-file", "export --output {tmp}/notes.txt", 1,
      "notes.txt already exists; add --force to replace it, or choose a new file.",
      files={"notes.txt": b"my own notes\n"}, keep=("notes.txt",)),
    c("export-force-without-output", "export --force", 2, "--force goes with --output FILE"),
    # -- edit --minutes: a number, or none
    c("edit-minutes-word", "edit aaaa0000 --minutes lots", 2,
      "--minutes takes a whole number of minutes, 1 or more, such as --minutes 90, or none to "
      "clear them; 'lots' is not one."),
    c("edit-minutes-zero", "edit aaaa0000 --minutes 0", 2, "'0' is not one."),
    c("edit-minutes-negative", "edit aaaa0000 --minutes -5", 2, "'-5' is not one."),
    c("edit-minutes-over-a-day", "edit aaaa0000 --minutes 1441", 2, "from 1 to 1440"),
    c("edit-minutes-none-on-a-reflection", "edit cccc2222 --minutes none", 2,
      "--minutes is for practice entries"),
    # -- import: the file itself
    c("import-missing-file", "import {tmp}/no-such.jsonl", 1, "There is no file"),
    c("import-a-folder", "import {tmp}/folder", 1, "is a folder",
      files={"folder": None}, keep=("folder",)),
    c("import-missing-arg", "import", 2, "Missing argument"),
    # -- import: malformed lines (line 1 is valid and new: the file is refused whole)
    imported("not-json", GOOD + b"{this is not json\n", "line 2 is not valid JSON"),
    imported("array-line", GOOD + line([practice()]), "line 2: expected an object"),
    imported("string-line", line("hello"), "line 1: expected an object"),
    imported("empty-object", GOOD + b"{}\n", "line 2: 'kind' must be"),
    imported("unknown-kind", line(practice(kind="habit")), "'kind' must be"),
    imported("missing-fields", GOOD + line(without(practice(), "pillar", "note")),
             "line 2: missing note, pillar"),
    imported("unknown-field", GOOD + line(practice(mood="good")), "unknown field mood"),
    imported("bad-uuid", GOOD + line(practice(id="not-a-uuid")), "'id' must be a UUID"),
    imported("braced-uuid", line(practice(id="{" + NEW_ID + "}")), "'id' must be a UUID"),
    imported("numeric-id", line(practice(id=12345)), "'id' must be a UUID"),
    imported("bad-date", GOOD + line(practice(date="2026-02-30")), "'date' must be YYYY-MM-DD"),
    imported("short-date", line(practice(date="2026-1-5")), "'date' must be YYYY-MM-DD"),
    imported("created-at-no-offset",
             GOOD + line(practice(created_at="2026-11-20T09:00:00")),
             "'created_at' must be an ISO 8601 time with an offset"),
    imported("created-at-garbage", line(practice(created_at="at nine")),
             "'created_at' must be"),
    imported("bad-pillar", GOOD + line(practice(pillar="shouting")), "'pillar' must be one of"),
    imported("bad-action-type", line(practice(action_type="Napping!")),
             "'action_type' must be null, one of"),
    imported("unknown-action-type", line(practice(action_type="napping")),
             "the action type 'napping' is not built in, and neither this file nor the journal "
             "defines it"),
    imported("minutes-string", GOOD + line(practice(minutes="30")), "'minutes' must be"),
    imported("minutes-bool", line(practice(minutes=True)), "'minutes' must be"),
    imported("minutes-float", line(practice(minutes=1.5)), "'minutes' must be"),
    imported("minutes-negative", line(practice(minutes=-5)), "'minutes' must be"),
    imported("minutes-huge", GOOD + line(practice(minutes=10**30)), "'minutes' must be"),
    imported("minutes-5000-digits", GOOD + line(practice()).replace(b'"minutes": 30',
             b'"minutes": ' + b"9" * 5000), "line 2"),
    imported("note-number", line(practice(note=7781)), "'note' must be text or null"),
    imported("reflection-no-answer", GOOD + line(without(reflection(), "answer")),
             "missing answer"),
    imported("reflection-empty-answer", line(reflection(answer="")), "needs an 'answer'"),
    imported("note-lone-surrogate",
             GOOD + b'{"id": "eeee4444-0000-4000-8000-000000000005", "kind": "practice", '
             b'"date": "2026-11-20", "created_at": "2026-11-20T09:00:00+00:00", '
             b'"pillar": "action", "action_type": null, "note": "' + MARKER.encode()
             + b' \\ud800", "minutes": null}\n', "'note' contains characters that"),
    imported("not-utf8-line-3", GOOD + SEED[: SEED.index(b"\n") + 1]
             + b'{"note": "' + MARKER.encode() + b'\xff\xfe"}\n', "line 3 is not UTF-8"),
    imported("deeply-nested", GOOD + b"[" * 100_000 + b"]" * 100_000 + b"\n",
             "line 2 is not valid JSON"),
    # -- backup
    c("backup-over-a-file", "backup --output {tmp}/plain", 1, "already exists",
      files={"plain": NOT_SQLITE}, keep=("plain",)),
    c("backup-over-the-db", "backup --output {tmp}/ally.db", 1, "already exists"),
    c("backup-under-a-file", "backup --output {tmp}/plain/ally.db", 1, "Not a directory",
      files={"plain": NOT_SQLITE}, keep=("plain",)),
    c("backup-no-database", "backup", 1, "There is no database", env=DB_ELSEWHERE),
    # -- ALLY_DB unusable: under a regular file, a folder, not SQLite, someone else's SQLite
    c("db-under-a-file-log", ("log", "protest", "--note", MARKER), 1, "{tmp}/plain",
      env={"ALLY_DB": "{tmp}/plain/ally.db"}, files={"plain": NOT_SQLITE}, keep=("plain",),
      draft=True),
    c("db-deeper-under-a-file", ("log", "protest", "--note", MARKER), 1, "{tmp}/plain",
      env={"ALLY_DB": "{tmp}/plain/sub/ally.db"}, files={"plain": NOT_SQLITE},
      keep=("plain",), draft=True),
    c("db-under-a-file-import", "import {tmp}/in.jsonl", 1, "{tmp}/plain",
      env={"ALLY_DB": "{tmp}/plain/ally.db"}, files={"plain": b"x", "in.jsonl": GOOD},
      keep=("plain",)),
    c("db-is-a-folder-log", ("log", "protest", "-n", MARKER), 1, "is a folder",
      env={"ALLY_DB": "{tmp}/folder"}, files={"folder": None}, keep=("folder",), draft=True),
    c("db-is-a-folder-list", "list", 1, "is a folder",
      env={"ALLY_DB": "{tmp}/folder"}, files={"folder": None}, keep=("folder",)),
    c("db-is-a-folder-export", "export", 1, "is a folder",
      env={"ALLY_DB": "{tmp}/folder"}, files={"folder": None}, keep=("folder",)),
    c("db-not-sqlite-log", ("log", "protest", "-n", MARKER), 1, "is not an ally database",
      env=DB_ELSEWHERE, files={"other.db": NOT_SQLITE}, keep=("other.db",), draft=True),
    c("db-not-sqlite-reflect", ("reflect", "-a", MARKER), 1, "is not an ally database",
      env=DB_ELSEWHERE, files={"other.db": NOT_SQLITE}, keep=("other.db",), draft=True),
    c("db-not-sqlite-report", "report --json", 1, "is not an ally database",
      env=DB_ELSEWHERE, files={"other.db": NOT_SQLITE}, keep=("other.db",)),
    c("db-not-sqlite-list", "list", 1, "is not an ally database",
      env=DB_ELSEWHERE, files={"other.db": NOT_SQLITE}, keep=("other.db",)),
    c("db-not-sqlite-delete", "delete aaaa0000 --yes", 1, "is not an ally database",
      env=DB_ELSEWHERE, files={"other.db": NOT_SQLITE}, keep=("other.db",)),
    c("db-not-sqlite-import", "import {tmp}/in.jsonl", 1, "is not an ally database",
      env=DB_ELSEWHERE, files={"other.db": NOT_SQLITE, "in.jsonl": GOOD}, keep=("other.db",)),
    c("db-not-sqlite-backup", "backup --output {tmp}/copy.db", 1, "is not an ally database",
      env=DB_ELSEWHERE, files={"other.db": NOT_SQLITE}, keep=("other.db",)),
    c("db-not-sqlite-doctor", "doctor", 1, "1 problem found; see the fix above",
      env=DB_ELSEWHERE, files={"other.db": NOT_SQLITE}, keep=("other.db",)),
    c("db-foreign-sqlite-log", ("log", "protest", "-n", MARKER), 1,
      "a SQLite database that ally did not create",
      env=DB_ELSEWHERE, files={"other.db": FOREIGN}, keep=("other.db",), draft=True),
    c("db-under-a-file-doctor", "doctor", 1, "1 problem found; see the fix above",
      env={"ALLY_DB": "{tmp}/plain/ally.db"}, files={"plain": NOT_SQLITE}, keep=("plain",)),
    # -- no such command
    c("unknown-command", "journal", 2, "No such command 'journal'"),
    # -- rhythm and pause
    c("rhythm-misspelt-unit", "rhythm listening 3/wek", 2, "'3/wek' is not a rhythm. Use N/day"),
    c("rhythm-too-many-days", "rhythm listening 8/week", 2, "must be from 1 to 7, for example"),
    c("rhythm-zero-days", "rhythm listening 0/week", 2, "must be from 1 to 7"),
    c("rhythm-negative-minutes", "rhythm listening -1min/day", 2, "'-1min/day' is not a rhythm"),
    c("rhythm-zero-day-block", "rhythm listening 3/0d", 2, "needs K from 1 to 366"),
    c("rhythm-unknown-category", "rhythm sleeping 3/week", 2, "No category 'sleeping'. Choose"),
    c("rhythm-ambiguous-category", "rhythm vo 1/week", 2, "could be volunteering or voting"),
    c("rhythm-json-while-setting", "rhythm listening 3/week --json", 2, "--json lists rhythms"),
    c("pause-until-before-since", "pause --since 2026-11-30 --until 2026-11-20", 2,
      "--until 2026-11-20 is before --since 2026-11-30"),
    c("pause-too-long", "pause --since 2026-01-01 --until 2027-01-10", 2,
      "A pause lasts at most 366 days"),
    c("pause-too-far-ahead", "pause --since 2027-11-30 --until 2027-12-01", 2,
      "within 366 days of today"),
    c("pause-unknown-category", "pause sleeping --since today --until today", 2,
      "No category 'sleeping'"),
    c("pause-without-until", "pause --since today", 2, "needs --since and --until"),
    c("pause-end-unknown-id", "pause --end ffff0000", 1, "No pause has the id ffff0000"),
    c("pause-cancel-unknown-id", "pause --cancel ffff0000", 1, "No pause has the id ffff0000"),
    c("pause-bad-id", "pause --end zz", 2, "A pause id is the hex id"),
    c("pause-two-modes", "pause --list --cancel ffff0000", 2, "Choose one of"),
    c("pause-json-without-list", "pause --json", 2, "--json goes with --list"),
]  # fmt: skip

assert len(CASES) >= 45


# -- running a case ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(WED, tick=False):
        yield


def invoke(*args: str, env: dict[str, str] | None = None, input: bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input, env=env, prog_name="ally")


def exported() -> str:
    result = invoke("export")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def foreign_sqlite(path: Path) -> None:
    """A SQLite file some other program made: a table, no ally application id."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE shopping (item TEXT)")
    conn.execute("INSERT INTO shopping VALUES (?)", (MARKER,))
    conn.commit()
    conn.close()


def make(tmp: Path, name: str, data: bytes | None) -> None:
    path = tmp / name
    if data is None:
        path.mkdir()
    elif data == FOREIGN:
        foreign_sqlite(path)
    else:
        path.write_bytes(data)
    os.chmod(path, 0o700 if data is None else 0o600)  # so no mode warning joins the error


def kept_draft(tmp: Path, err: str) -> Path:
    """The one draft a refused log or reflect wrote: private, named in the message, the words kept;
    beside the database, or in ally's state folder when that cannot be written."""
    places = (tmp / "drafts", tmp / "home" / "state" / "ally" / "drafts")
    [draft] = [p for folder in places if folder.is_dir() for p in folder.iterdir()]
    assert draft.name.startswith("draft-") and draft.name.endswith(".jsonl")
    assert f"kept in {draft}," in err, err
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    [obj] = [json.loads(text) for text in draft.read_text(encoding="utf-8").splitlines()]
    if obj["kind"] == "reflection":  # its prompt could not be loaded: import chooses it
        answer = "x" if "prompts" in err else MARKER
        assert (obj["prompt_id"], obj["prompt"], obj["answer"]) == (None, None, answer)
        return draft
    assert (obj["kind"], obj["action_type"], obj["note"]) == ("practice", "protest", MARKER)
    return draft


def snapshot(path: Path) -> object:
    return sorted(p.name for p in path.iterdir()) if path.is_dir() else path.read_bytes()


def tree(tmp: Path) -> list[str]:
    """Every file under tmp but SQLite's own -wal and -shm companions."""
    return sorted(
        str(p.relative_to(tmp)) for p in tmp.rglob("*") if not p.name.endswith(("-wal", "-shm"))
    )


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_in_one_sentence_and_changes_nothing(
    case: Case, isolated: Path
) -> None:
    tmp = isolated
    (tmp / "seed.jsonl").write_bytes(SEED)
    seeded = invoke("import", str(tmp / "seed.jsonl"))
    assert seeded.exit_code == 0, seeded.stderr
    before = exported()
    assert len(before.splitlines()) == 3

    for name, data in case.files.items():
        make(tmp, name, data)
    kept = {name: snapshot(tmp / name) for name in case.keep}
    files_before = tree(tmp)

    args = [case.fill(tmp, a) for a in case.args]
    env = {k: case.fill(tmp, v) for k, v in case.env.items()}
    result = invoke(*args, env=env or None, input=case.input)

    assert result.exit_code == case.code, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr
    assert err.startswith("ally: "), err
    assert err.endswith(".\n"), err
    assert err.count("\n") == 1, err
    assert case.fill(tmp, case.fragment) in err, err
    assert INTERNAL not in err, err
    assert "Traceback" not in err + result.stdout
    assert MARKER not in err, err
    if case.args[0] == "doctor":
        assert "!! " in result.stdout
    else:
        assert result.stdout == "", result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )

    for name, was in kept.items():
        assert snapshot(tmp / name) == was, f"{name} was changed"
    files_after = tree(tmp)
    if case.draft:
        draft = kept_draft(tmp, err)
        made = [draft, *draft.parents][: 4 if draft.parent.parent.name == "ally" else 2]
        for path in made:
            files_after.remove(str(path.relative_to(tmp)))
    assert files_after == files_before, "a file was created or removed"
    assert exported() == before
