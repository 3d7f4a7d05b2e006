"""Behaviour guards for "instant to use": what loads, and how the report reads.

Timing belongs to bench/run; these tests pin the causes instead. A shell completion
re-runs ally on every TAB, so `--help`, `--version` and completion must not load the
heavy modules; `ally log` writes through sqlite3 alone; the report's queries search
their indexes instead of scanning the entries table.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from allycli.core.records import Record
from allycli.store.database import Store

HEAVY = ("sqlmodel", "sqlalchemy", "yaml", "prompt_toolkit", "psycopg", "cryptography")
# prompt_toolkit (the line editor of `reflect` and `--note -` at a terminal) costs about as
# much again as the rest of `ally log`; only those two paths may load it. psycopg and
# cryptography are sync's: only `ally sync` may load them.

# Runs allycli.cli.main() in a fresh interpreter with the given argv (or, for null, only
# imports allycli.cli.app), then writes the exit code and the heavy modules that were loaded
# to a file: stdout belongs to the command.
PROBE = """
import json, sys
report, heavy, argv = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
code = 0
if argv is None:  # only import the module
    import allycli.cli.app
else:
    sys.argv = argv
    from allycli.cli.app import main
    try:
        main()
    except SystemExit as exc:
        code = exc.code
sys.stdout.flush()
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(heavy))
with open(report, "w") as fh:
    json.dump({"code": code, "loaded": loaded}, fh)
"""


def probe(
    tmp_path: Path,
    argv: list[str] | None,
    env: dict[str, str] | None = None,
    heavy: tuple[str, ...] = HEAVY,
) -> tuple[Any, list[str], str]:
    report = tmp_path / "probe.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), json.dumps(heavy), json.dumps(argv)],
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert report.exists(), done.stderr
    result = json.loads(report.read_text())
    return result["code"], result["loaded"], done.stdout


def test_importing_the_cli_loads_nothing_heavy(tmp_path: Path) -> None:
    code, loaded, _ = probe(tmp_path, None)
    assert code == 0
    assert loaded == []


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["ally", "--help"], {}, "log"),
        (["ally", "--version"], {}, "ally "),
        (["ally", "sync", "--help"], {}, "--show-key"),
        (
            ["ally"],
            {"_ALLY_COMPLETE": "complete_bash", "COMP_WORDS": "ally sync --s", "COMP_CWORD": "2"},
            "--show-key",
        ),
        (
            ["ally"],
            {"_ALLY_COMPLETE": "complete_bash", "COMP_WORDS": "ally lo", "COMP_CWORD": "1"},
            "log",
        ),
        (
            ["ally"],
            {"_ALLY_COMPLETE": "complete_bash", "COMP_WORDS": "ally log pro", "COMP_CWORD": "2"},
            "protest",
        ),
        (
            ["ally"],
            {"_ALLY_COMPLETE": "complete_bash", "COMP_WORDS": "ally delete ", "COMP_CWORD": "2"},
            "0000aa02-0000-4000-8000-000000000000",
        ),
        (
            ["ally"],
            {
                "_ALLY_COMPLETE": "complete_bash",
                "COMP_WORDS": "ally reflect --prompt reflect-yielding-0",
                "COMP_CWORD": "3",
            },
            "reflect-yielding-01",
        ),
        (
            ["ally"],
            {"_ALLY_COMPLETE": "complete_bash", "COMP_WORDS": "ally log x -d y", "COMP_CWORD": "4"},
            "yesterday",
        ),
        (
            ["ally"],
            {"_ALLY_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "ally export --format "},
            "jsonl",
        ),
        (["ally"], {"ALLY_DB": "{empty}"}, "ally log"),  # an empty journal: the overview
        (
            ["ally"],
            {"_ALLY_COMPLETE": "complete_bash", "COMP_WORDS": "ally log mutu", "COMP_CWORD": "2"},
            "mutual-aid",
        ),  # an own type, read without SQLModel
        (["ally", "--show-completion", "zsh"], {}, "compdef"),
    ],
    ids=[
        "help",
        "version",
        "sync-help",
        "complete-sync",
        "complete-command",
        "complete-activity",
        "complete-entry-id",
        "complete-prompt-id",
        "complete-date",
        "complete-format-zsh",
        "bare",
        "complete-own-type",
        "show-completion",
    ],
)
def test_help_version_and_completion_load_nothing_heavy(
    tmp_path: Path, db_path: Path, argv: list[str], env: dict[str, str], expected: str
) -> None:
    Store(db_path).insert([Record(
        id="0000aa02-0000-4000-8000-000000000000", kind="practice", day="2026-11-24",
        created_at="2026-11-24T10:00:00+00:00", pillar="action", action_type="protest",
    ).row()])  # fmt: skip
    with Store(db_path).writing() as conn:
        from allycli.core.taxonomy import OwnType
        from allycli.store import types as type_store

        type_store.put(conn, OwnType("mutual-aid", "mutual-aid", "action",
                                     updated_at="2026-11-24T10:00:00+00:00"))  # fmt: skip
    env = {k: v.replace("{empty}", str(tmp_path / "empty.db")) for k, v in env.items()}
    code, loaded, out = probe(tmp_path, argv, env)
    assert code in (0, None)
    assert expected in out.split() or expected in out
    assert loaded == [], f"{argv} {env} loaded {loaded}"


@pytest.mark.parametrize(
    "note", [["--note", "Joined the march"], ["--note", "-"], []], ids=["note", "stdin", "none"]
)
def test_logging_does_not_load_sqlmodel_sqlalchemy_or_prompt_toolkit(
    tmp_path: Path, db_path: Path, note: list[str]
) -> None:
    Store(db_path).insert([_record(random.Random(1), date.today())])  # an existing database
    code, loaded, out = probe(tmp_path, ["ally", "log", "protest", *note])  # stdin: /dev/null
    assert code in (0, None)
    assert "protest" in out
    heavy = ("sqlmodel", "sqlalchemy", "prompt_toolkit", "psycopg", "cryptography")
    assert [m for m in loaded if m in heavy] == []
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM entry").fetchone()[0] == 2


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["show", "{id}"], "{id}"),
        (["edit", "{id}", "--note", "Joined the rent strike"], "Changed the practice entry"),
        (["search", "march"], "{short}"),
        (["delete", "{id}", "--yes"], "Deleted the practice entry"),
    ],
    ids=["show", "edit", "search", "delete"],
)
def test_show_edit_search_delete_do_not_load_sqlmodel_or_yaml(
    tmp_path: Path, db_path: Path, argv: list[str], expected: str
) -> None:
    day = date.today().isoformat()
    record = Record(str(uuid.UUID(int=7)), "practice", day, f"{day}T09:00:00+00:00", "action",
                    "protest", "Joined the march")  # fmt: skip
    Store(db_path).insert([record.row()])
    fill = {"id": record.id, "short": record.id[:8]}
    code, loaded, out = probe(tmp_path, ["ally", *(a.format(**fill) for a in argv)])
    assert code in (0, None)
    assert expected.format(**fill) in out
    assert loaded == []


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["list", "--limit", "10"], "{short}"),
        (["report", "--week"], "1 practice entry"),
        (["report", "--year", "--json"], '"entries": 1'),
        (["calendar"], "1 day"),
        (["export", "--format", "jsonl"], "{id}"),
        (["reflect", "--answer", "An answer"], "Reflection recorded"),
        (["today"], "Today,"),
        ([], "Today,"),  # plain ally on a journal with entries: the day at a glance
    ],
    ids=["list", "report", "report-json", "calendar", "export", "reflect", "today", "bare"],
)
def test_reads_do_not_load_sqlmodel_or_sqlalchemy(
    tmp_path: Path, db_path: Path, argv: list[str], expected: str
) -> None:
    """Lists, reports, the calendar and export read through sqlite3 (store/queries.py)."""
    day = date.today().isoformat()
    record = Record(str(uuid.UUID(int=7)), "practice", day, f"{day}T09:00:00+00:00", "action",
                    "protest", "Joined the march")  # fmt: skip
    Store(db_path).insert([record.row()])
    fill = {"id": record.id, "short": record.id[:8]}
    code, loaded, out = probe(tmp_path, ["ally", *argv], heavy=("sqlmodel", "sqlalchemy"))
    assert code in (0, None)
    assert expected.format(**fill) in out
    assert loaded == []


@pytest.mark.parametrize(
    "argv",
    [
        ["ally", "reflect", "--answer", "An answer"],
        ["ally", "reflect"],  # stdin is /dev/null, not a terminal: read as piped
        ["ally", "reflect", "--help"],
        ["ally", "log", "--help"],
    ],
    ids=["answer", "piped", "reflect-help", "log-help"],
)
def test_reflect_loads_prompt_toolkit_only_at_a_terminal(tmp_path: Path, argv: list[str]) -> None:
    code, loaded, _ = probe(tmp_path, argv, heavy=("prompt_toolkit",))
    assert code in (0, None)
    assert loaded == []


def _typer_needs_pydantic() -> bool:
    from importlib.metadata import requires

    names = [re.split(r"[\s;<>=!~\[(]", r, maxsplit=1)[0] for r in requires("typer") or ()]
    return "pydantic" in (n.lower() for n in names)


@pytest.mark.xfail(
    _typer_needs_pydantic(),
    reason="Typer 0.29 coerces every parameter it processes through a pydantic TypeAdapter "
    "(typer/core.py _TyperParameter.process_value -> _coercion.build_runtime_param -> "
    "typer/_adapters.py imports pydantic), even a flag whose value is None during "
    "completion; that alone costs about 70 ms per TAB and per `ally log`. "
    "Typer 0.28 does not; this guard applies once typer is pinned below 0.29.",
    strict=True,
)
@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["ally"], {"_ALLY_COMPLETE": "complete_bash", "COMP_WORDS": "ally lo", "COMP_CWORD": "1"}),
        (["ally", "log", "protest", "--note", "Joined the march"], {}),
    ],
    ids=["complete", "log"],
)
def test_completion_and_logging_do_not_load_pydantic(
    tmp_path: Path, argv: list[str], env: dict[str, str]
) -> None:
    code, loaded, _ = probe(tmp_path, argv, env, heavy=("pydantic",))
    assert code in (0, None)
    assert loaded == []


# -- the report's queries and their plans --------------------------------------------------


def _record(rng: random.Random, day: date) -> tuple[object, ...]:
    common = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "day": day.isoformat(),
        "created_at": f"{day.isoformat()}T{rng.randint(7, 22):02d}:00:00+00:00",
    }
    if rng.random() < 0.1:
        pillar = rng.choice(("action", "listening", "learning", "yielding"))
        return Record(kind="reflection", pillar=pillar, prompt_id=f"{pillar}-01",
                      prompt="A question?", answer="An answer.", **common).row()  # fmt: skip
    action_type = rng.choice(("protest", "money", "learning", None, None))
    pillar = {"protest": "action", "money": "action", "learning": "learning"}.get(
        action_type or "", rng.choice(("listening", "yielding"))
    )
    return Record(kind="practice", pillar=pillar, action_type=action_type, note="n",
                  **common).row()  # fmt: skip


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three years of entries, without ANALYZE: the planner sees what a user's file shows."""
    db = tmp_path_factory.mktemp("plans") / "ally.db"
    rng = random.Random(4)
    today = date.today()
    rows = [_record(rng, today - timedelta(days=rng.randrange(3 * 365))) for _ in range(3000)]
    Store(db).insert(rows)
    return db


def _calls() -> dict[str, Any]:
    """A call of every read in store/queries.py, by name (with its variants)."""
    from allycli.store import queries

    today = date.today()
    week = today - timedelta(days=today.weekday())
    year, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    return {
        "period_counts (week)": lambda c: queries.period_counts(c, week, week + timedelta(6)),
        "period_counts (year)": lambda c: queries.period_counts(c, year, year_end),
        "last_practiced": lambda c: queries.last_practiced(c, today),
        "last_practiced (made before)": lambda c: queries.last_practiced(c, today, 10**15),
        "answered_prompts": lambda c: queries.answered_prompts(c, today - timedelta(30), today),
        "records (since, until)": lambda c: list(
            queries.records(c, queries.Filters(since=week, until=today))
        ),
        "records (kind, limit)": lambda c: list(
            queries.records(c, queries.Filters(kind="reflection", limit=20))
        ),
        "records (oldest first)": lambda c: list(
            queries.records(c, queries.Filters(newest_first=False))
        ),
        "day_counts": lambda c: queries.day_counts(c, year, year_end),
        "day_counts (pillar)": lambda c: queries.day_counts(c, year, year_end, pillar="listening"),
        "day_counts (type)": lambda c: queries.day_counts(c, year, year_end, action_type="protest"),
        "practiced_days": lambda c: queries.practiced_days(c, today),
        "practiced_days (type)": lambda c: queries.practiced_days(c, today, action_type="money"),
    }


def _captured(db: Path) -> list[tuple[str, str]]:
    """(call name, SQL with its values) of every statement on the entry and practice_day
    tables that the calls send, as sqlite3 traces them."""
    seen: list[tuple[str, str]] = []
    current = [""]
    with Store(db).reading() as conn:
        conn.set_trace_callback(lambda sql: seen.append((current[0], sql)))
        for name, call in _calls().items():
            current[0] = name
            call(conn)
        conn.set_trace_callback(None)
    return [s for s in seen if "FROM entry" in s[1] or "FROM practice_day" in s[1]]


def test_every_read_of_queries_is_checked() -> None:
    """The plan check below calls every public read of store/queries.py, so a new query
    cannot escape it (the names come from the module, not from a hand list)."""
    import inspect

    from allycli.store import queries

    reads = {
        name
        for name, value in vars(queries).items()
        if inspect.isfunction(value) and value.__module__ == queries.__name__
        and not name.startswith("_")
    }  # fmt: skip
    assert reads == {name.split(" ")[0] for name in _calls()}


def test_report_queries_use_an_index(populated: Path) -> None:
    captured = _captured(populated)
    assert {name for name, _ in captured} == set(_calls())  # each call reached the table
    full_scans = []
    with sqlite3.connect(populated) as conn:
        for name, sql in captured:
            for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"):
                scan = row[3].startswith(("SCAN entry", "SCAN practice_day"))
                if scan and "INDEX" not in row[3] and "PRIMARY KEY" not in row[3]:
                    full_scans.append(f"{name}: {row[3]} | {' '.join(sql.split())}")
    assert full_scans == []


def test_rhythm_aggregates_read_only_covering_indexes(populated: Path) -> None:
    """Days per category come from practice_day's key, minute sums from an index alone: no
    entry rows are read and nothing is scanned."""
    from allycli.store import rhythms as rhythm_store

    today = date.today()
    week = today - timedelta(days=today.weekday())
    seen: list[str] = []
    with Store(populated).reading() as conn:
        conn.set_trace_callback(seen.append)
        rhythm_store.category_days(conn, today)
        rhythm_store.category_days(conn, today, ["practice", "learning", "money"])
        rhythm_store.last_days(conn, today, ["listening", "money"])
        rhythm_store.period_minutes(conn, week, today)
        for category in ("practice", "listening", "money"):
            rhythm_store.unit_days(conn, category, week, today, minutes=True)
        list(rhythm_store.practiced_days_desc(conn, today))
        conn.set_trace_callback(None)
    by_day = [s for s in seen if "FROM practice_day" in s]
    from_entries = [s for s in seen if "FROM entry" in s]
    assert (len(by_day), len(from_entries)) == (7, 1)
    with sqlite3.connect(populated) as conn:
        for sql in by_day:
            plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
            assert any("USING PRIMARY KEY" in line for line in plan), (sql, plan)
            assert not any(line.startswith("SCAN") for line in plan), (sql, plan)
        for sql in from_entries:
            plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
            assert any("COVERING INDEX" in line for line in plan), (sql, plan)
            assert not any(line.startswith("SCAN entry") for line in plan), (sql, plan)


def test_practice_days_from_the_pillars_equal_their_own_query(populated: Path) -> None:
    from allycli.store import rhythms as rhythm_store

    today = date.today()
    with Store(populated).reading() as conn:
        for minutes in ((), ("practice",)):
            together = rhythm_store.category_days(conn, today, minutes_for=minutes)["practice"]
            alone = rhythm_store.category_days(conn, today, ["practice"], minutes)["practice"]
            assert together == alone and len(alone) > 500
