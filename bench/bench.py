"""ally's performance benchmark: the figures of "instant to use".

Full mode (`bench/run`) builds bench/.env (ally installed from this checkout, not
editable, and jrnl from PyPI), runs itself again inside it, generates seeded datasets
under bench/.data, and measures every figure as whole-process wall time: the median of
alternating runs (A, B, A, B, ...) against a reference run in the same invocation.
Peak memory is the child's ru_maxrss, read with os.wait4 by a tiny helper process, so
that the benchmark's own memory does not count.

Quick mode (`bench/run --quick`) uses the current interpreter's environment, small
datasets and one run each, and never touches the network: the test suite runs it so
the benchmark cannot rot.

Every run starts from a fresh copy of its dataset, so `log` and `import` runs do not
grow it. The datasets span the ten years up to today, so `report --year` sees the
current year. The exit status is 0 even when a target does not hold: this measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import benchsync
from benchdata import NEEDLE, Data, generate
from benchmeasure import Case, Figure, Row, measure, rss_floor, table

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
ENV_DIR = BENCH / ".env"
DATA_DIR = BENCH / ".data"
NOTE = "Joined the housing march; brought water for the marshals"
SEARCH_WORD = "redlining"  # in one of the 24 notes: 3,901 of the 100,000 entries hold it
SEARCH_HITS = "~4% match"

# -- the environment -----------------------------------------------------------------------


def build_env(log: Path) -> Path:
    """bench/.env: a venv with jrnl from PyPI and ally from this checkout (not editable)."""
    python = ENV_DIR / "bin" / "python"
    if not python.exists():
        _step(f"creating {ENV_DIR}")
        subprocess.run([sys.executable, "-m", "venv", str(ENV_DIR)], check=True)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    _step("installing jrnl and ally's dependencies (pip install jrnl '.[sync]')")
    _logged([*pip, "jrnl", f"{REPO}[sync]"], log)
    _step("installing ally from this checkout (pip install --force-reinstall --no-deps .)")
    _logged([*pip, "--force-reinstall", "--no-deps", str(REPO)], log)
    return python


def _logged(argv: list[str], log: Path) -> None:
    with log.open("a") as fh:
        fh.write(f"$ {' '.join(argv)}\n")
        fh.flush()
        done = subprocess.run(argv, stdout=fh, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        sys.exit(f"bench: `{' '.join(argv)}` failed; see {log}.")


def _step(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Tools:
    """The programs measured: all from the current interpreter's environment."""

    python: str
    ally: tuple[str, ...]
    jrnl: str | None

    @classmethod
    def here(cls) -> Tools:
        scripts = Path(sys.executable).parent
        ally = scripts / "ally"
        jrnl = scripts / "jrnl"
        return cls(
            python=sys.executable,
            ally=(str(ally),) if ally.exists() else (sys.executable, "-m", "allycli"),
            jrnl=str(jrnl) if jrnl.exists() else None,
        )


def child_env(data: Data) -> dict[str, str]:
    """A private HOME, XDG folders and database for every child."""
    from allycli.shell.session import isolated_env

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **isolated_env(data.home, data.work / "ally.db"),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }
    if "TZ" in os.environ:
        env["TZ"] = os.environ["TZ"]
    return env


def figures(tools: Tools, data: Data) -> list[Figure]:
    work = data.work
    db = work / "ally.db"
    env = child_env(data)
    complete_env = {
        **env,
        "_ALLY_COMPLETE": "complete_bash",
        "COMP_WORDS": "ally lo",
        "COMP_CWORD": "1",
    }
    complete_id_env = {
        **env,
        "_ALLY_COMPLETE": "complete_bash",
        "COMP_WORDS": "ally delete 3",
        "COMP_CWORD": "2",
    }
    ally = tools.ally
    typer_ref = Case((tools.python, "-c", "import typer"), env)
    big, small = f"{data.big:,}", f"{data.small:,}"

    def on(source: Path, *argv: str, check: Callable[[str], str | None] | None = None) -> Case:
        return Case((*ally, *argv), env, ((source, db),), check)

    log = ("log", "protest", "--note", NOTE)
    year = ("report", "--year")
    year_json = ("report", "--year", "--json")
    jrnl_case, jrnl_skip = None, None
    if tools.jrnl is None:
        jrnl_skip = "jrnl is not installed here: reference skipped"
    else:
        jrnl_case = Case(
            (tools.jrnl, NOTE),
            env,
            ((data.small_jrnl, work / "journal.txt"),),
            _journal_has(work / "journal.txt", NOTE, data.small + 1),
        )
    probe_id = _first_id(data.big_jsonl)
    show = ("show", probe_id[:8])
    edit = ("edit", probe_id[:8], "--note", NOTE)
    search = ("search", SEARCH_WORD)
    needle = ("search", NEEDLE)
    return [
        Figure("--help vs import typer", Case((*ally, "--help"), env, check=_has("log")),
               typer_ref, "<= 1.3x", max_ratio=1.3),
        Figure("--version vs import typer", Case((*ally, "--version"), env, check=_has("ally ")),
               typer_ref, "<= 1.3x", max_ratio=1.3),
        Figure("complete 'ally lo' vs import typer",
               Case(ally, complete_env, check=_completes("log")), typer_ref, "<= 1.3x",
               max_ratio=1.3),
        Figure(f"log ({small}) vs jrnl ({small})", on(data.small_db, *log, check=_has("protest")),
               jrnl_case, "<= 1.0x", max_ratio=1.0, skipped=jrnl_skip),
        Figure(f"log ({big}) vs log (empty)", on(data.big_db, *log, check=_has("protest")),
               on(data.empty_db, *log, check=_has("protest")), "<= 1.1x", max_ratio=1.1),
        Figure(f"report --year ({big}) vs (empty)", on(data.big_db, *year, check=_has("action")),
               on(data.empty_db, *year, check=_has("action")), "<= 1.5x, < 1 s",
               max_ratio=1.5, max_value=1.0),
        Figure(f"report --year --json ({big}) vs (empty)",
               on(data.big_db, *year_json, check=_report_json(nonempty=True)),
               on(data.empty_db, *year_json, check=_report_json(nonempty=False)),
               "<= 1.5x, < 1 s", max_ratio=1.5, max_value=1.0),
        Figure(f"report --year, rhythms ({big}) vs (empty)",
               on(data.big_rhythm_db, *year, check=_has("Rhythms")),
               on(data.empty_rhythm_db, *year, check=_has("Rhythms")), "<= 1.5x",
               max_ratio=1.5),
        Figure(f"rhythm --json ({big}) vs (empty)",
               on(data.big_rhythm_db, "rhythm", "--json", check=_has('"momentum"')),
               on(data.empty_rhythm_db, "rhythm", "--json", check=_has('"momentum"')),
               "<= 1.5x", max_ratio=1.5),
        Figure(f"calendar ({big}) vs (empty)",
               on(data.big_db, "calendar", check=_has("Busiest week")),
               on(data.empty_db, "calendar", check=_has("3 or more")), "<= 1.5x", max_ratio=1.5),
        Figure(f"complete 'ally delete 3' ({big}) vs import typer",
               Case(ally, complete_id_env, ((data.big_db, db),), _entry_ids("3")), typer_ref,
               "<= 1.3x", max_ratio=1.3),
        Figure(f"import ({big})",
               on(data.empty_db, "import", str(data.big_jsonl), check=_has(f"Imported {data.big}")),
               None, "< 10 s", max_value=10.0),
        Figure(f"export jsonl ({big})",
               on(data.big_db, "export", "--format", "jsonl", check=_lines(data.big)),
               None, "< 3 s", max_value=3.0),
        Figure(f"search {NEEDLE} ({big}, 1 match) vs (empty)",
               on(data.big_db, *needle, check=_has("Quillwort")),
               on(data.empty_db, *needle, check=_has("No entry")), "<= 1.3x", max_ratio=1.3),
        Figure(f"search {SEARCH_WORD} ({big}, {SEARCH_HITS}) vs (empty)",
               on(data.big_db, *search, check=_has(SEARCH_WORD)),
               on(data.empty_db, *search, check=_has("No entry")), "<= 1.3x", max_ratio=1.3),
        Figure(f"list --limit 10 ({big}) vs search {SEARCH_WORD} ({big})",
               on(data.big_db, "list", "--limit", "10", check=_lines(10)),
               on(data.big_db, *search, check=_has(SEARCH_WORD)), "<= 2x", max_ratio=2.0),
        Figure(f"report --week ({big}) vs search {SEARCH_WORD} ({big})",
               on(data.big_db, "report", "--week", check=_has("This week")),
               on(data.big_db, *search, check=_has(SEARCH_WORD)), "<= 2x", max_ratio=2.0),
        Figure(f"show ({big}) vs log ({big})", on(data.big_db, *show, check=_has(probe_id)),
               on(data.big_db, *log, check=_has("protest")), "<= 1.2x", max_ratio=1.2),
        Figure(f"edit --note ({big}) vs log ({big})",
               on(data.big_db, *edit, check=_has("note")),
               on(data.big_db, *log, check=_has("protest")), "<= 1.2x", max_ratio=1.2),
        Figure(f"export RSS ({big}) vs ({small})",
               on(data.big_db, "export", "--format", "jsonl", check=_lines(data.big)),
               on(data.small_db, "export", "--format", "jsonl", check=_lines(data.small)),
               "<= 1.2x (flat)", max_ratio=1.2, memory=True),
        Figure(f"report --year RSS ({big}) vs (empty)", on(data.big_db, *year),
               on(data.empty_db, *year), "<= 100 MiB", max_value=100.0, memory=True),
    ]  # fmt: skip


def _first_id(jsonl: Path) -> str:
    with jsonl.open(encoding="utf-8") as fh:
        return str(json.loads(fh.readline())["id"])


def _has(text: str) -> Callable[[str], str | None]:
    return lambda out: None if text in out else f"output lacks {text!r}"


def _completes(word: str) -> Callable[[str], str | None]:
    def check(out: str) -> str | None:
        words = out.replace(",", " ").split()
        return None if word in words else f"completion offered {out.strip()[:60]!r}, not {word!r}"

    return check


def _entry_ids(prefix: str) -> Callable[[str], str | None]:
    def check(out: str) -> str | None:
        ids = out.split()
        if ids and all(len(i) == 36 and i.startswith(prefix) for i in ids):
            return None
        return f"completion offered {out.strip()[:60]!r}, not entry ids starting {prefix!r}"

    return check


def _lines(n: int) -> Callable[[str], str | None]:
    def check(out: str) -> str | None:
        count = out.count("\n")
        return None if count == n else f"wrote {count} lines, expected {n}"

    return check


def _report_json(nonempty: bool) -> Callable[[str], str | None]:
    def check(out: str) -> str | None:
        try:
            entries = json.loads(out)["entries"]
        except (ValueError, KeyError, TypeError):
            return "output is not a report's JSON"
        return None if (entries > 0) == nonempty else f"report counted {entries} entries"

    return check


def _journal_has(journal: Path, text: str, entries: int) -> Callable[[str], str | None]:
    def check(_: str) -> str | None:
        body = journal.read_text(encoding="utf-8")
        count = sum(1 for line in body.splitlines() if line.startswith("["))
        if text.split(";")[0] not in body:
            return "the journal lacks the new entry"
        return None if count == entries else f"the journal has {count} entries, not {entries}"

    return check


# -- main ----------------------------------------------------------------------------------


def parse(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small datasets, one run, no venv")
    p.add_argument("--runs", type=int, help="timed runs of each side (default 7; quick 1)")
    p.add_argument("--big", type=int, help="entries in the big dataset (default 100,000)")
    p.add_argument("--small", type=int, help="entries in the small dataset (default 1,000)")
    p.add_argument("--data", type=Path, default=None, help=f"datasets folder (default {DATA_DIR})")
    p.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    p.add_argument("--only", action="append", default=[], metavar="TEXT",
                   help="measure only the figures whose name holds TEXT (repeatable)")  # fmt: skip
    p.add_argument("--in-env", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    data_root = (args.data or (DATA_DIR / "quick" if args.quick else DATA_DIR)).resolve()
    if not args.quick and not args.in_env:
        ENV_DIR.mkdir(exist_ok=True)
        python = build_env(ENV_DIR / "pip.log")
        again = [str(python), str(Path(__file__).resolve()), "--in-env", *(argv or sys.argv[1:])]
        return subprocess.run(again, check=False).returncode
    runs = args.runs or (1 if args.quick else 7)
    warmup = 0 if args.quick else 1
    data = Data(
        big=args.big or (200 if args.quick else 100_000),
        small=args.small or (50 if args.quick else 1_000),
        root=data_root,
    )
    tools = Tools.here()
    today = date.today()
    _step(generate(data, today, with_jrnl=tools.jrnl is not None))
    print(
        f"ally {_version('allycli')} (typer {_version('typer')}, jrnl {_version('jrnl')}) "
        f"on Python {platform.python_version()} ({sys.executable}), {os.cpu_count()} CPUs, "
        f"today {today.isoformat()}"
    )
    print(
        f"mode {'quick' if args.quick else 'full'}: median of {runs} alternating run(s) each "
        f"after {warmup} warm-up; big = {data.big:,} entries, small = {data.small:,}",
        end="\n\n",
        flush=True,
    )
    rows = []
    chosen = [
        f for f in figures(tools, data) if not args.only or any(t in f.name for t in args.only)
    ]
    for figure in chosen:
        _step(f"measuring {figure.name}")
        rows.append(measure(figure, runs, warmup, data.work))
    if not args.only or any(t in name for name, _ in benchsync.targets(data) for t in args.only):
        rows += sync_rows(tools, data, runs, warmup, today)
    print(table(rows), end="\n\n")
    print(f"RSS floor (the measuring helper alone): {rss_floor(data.work):.1f} MiB")
    failing = [r.name for r in rows if r.holds is False]
    held = sum(r.holds is True for r in rows)
    print(f"targets holding: {held} of {len(rows)}")
    if failing:
        print("NOT HOLDING: " + "; ".join(failing))
    sys.stdout.flush()
    if args.json:
        results = {
            "mode": "quick" if args.quick else "full",
            "runs": runs,
            "today": today.isoformat(),
            "rows": [r.to_json() for r in rows],
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


def sync_rows(tools: Tools, data: Data, runs: int, warmup: int, today: date) -> list[Row]:
    """The sync figures, on a private PostgreSQL hub; skipped, saying why, without one."""
    why = benchsync.unavailable()
    if why is not None:
        _step(f"sync figures {why}")
        return [Row(name, None, None, target, False, None, note=why)
                for name, target in benchsync.targets(data)]  # fmt: skip
    rows = []
    env = child_env(data)
    with benchsync.hub_server() as cluster:
        _step("preparing the sync hubs (a first sync of the big journal)")
        sync = benchsync.prepare(cluster, data, tools.ally, env, today)
        for figure in benchsync.figures(sync, data, tools.ally, env):
            _step(f"measuring {figure.name}")
            rows.append(measure(figure, runs, warmup, data.work))
    return rows


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    sys.exit(main())
